"""The matcher: two retrievers, the learned decision, near misses, in-place index updates,
server entries matching on their own words, and the lexical-only mode."""

from __future__ import annotations

import itertools
import json
from dataclasses import replace

import pytest

from bot.answers import Engine
from bot.decision import LEXICAL_FEATURES, SEMANTIC_FEATURES, load_model
from bot.knowledge import Citation, Entry
from bot.matcher import SHARED, Decision


@pytest.fixture(scope="module")
def lexical_engine(bundled):
    """The engine as on a host with `STEWARD_SEMANTIC=off`."""
    return Engine(bundled, semantic=False)


def _entry(entry_id: str, question: str, answer: str, *alternates: str) -> Entry:
    return Entry(
        id=entry_id,
        question=question,
        answer=answer,
        sources=(Citation(url="https://example.org/local"),),
        alternates=alternates,
    )


def test_the_shipped_model_describes_candidates_with_both_feature_sets():
    model = load_model()
    assert model.semantic.model.features == SEMANTIC_FEATURES
    assert model.lexical.model.features == LEXICAL_FEATURES
    for policy in (model.semantic, model.lexical):
        assert 0 < policy.suggest < policy.answer < 1 and 0 <= policy.margin < 0.5


def test_every_stored_phrasing_answers_its_own_entry(engine):
    misses = []
    for entry in engine.kb.entries.values():
        for _lang, text in entry.phrasings():
            best = engine.matcher.match(text).best
            if best is None or best.entry_id != entry.id:
                misses.append((entry.id, text, best and best.entry_id))
    assert misses == []


@pytest.mark.parametrize(
    "question",
    [
        "How many Starbucks stores are there in Seattle?",
        "What is the minimum wage in Texas?",
        "Who won the World Cup?",
        "good morning!",
        "¿Qué hora es en Madrid?",
    ],
)
def test_uncovered_questions_are_declined(engine, lexical_engine, question):
    assert not engine.ask(question).answered
    assert not lexical_engine.ask(question).answered


@pytest.mark.parametrize("eng", ["engine", "lexical_engine"])
def test_a_near_miss_on_another_order_is_not_given_eo_14025s_date(request, eng):
    answer = request.getfixturevalue(eng).ask("When was EO 11246 signed?")
    assert "April 26, 2021" not in answer.answer


def test_typos_and_casual_wording_are_found_by_meaning(engine):
    answer = engine.ask("how many recomendations did the task force reprot make")
    assert answer.answered and "70" in answer.answer


def test_a_question_inside_a_longer_message_is_answered(engine):
    answer = engine.ask(
        "I work at a warehouse in Ohio and my coworkers keep arguing about this. "
        "Who chairs the White House task force on worker organizing?"
    )
    assert answer.answered and "Harris" in answer.answer


@pytest.mark.parametrize(
    "question", ["who chairs the white house task force on worker organizing", "task force chair"]
)
def test_a_long_message_is_answered_by_the_question_at_its_end(engine, question):
    story = (
        "so ive been at the distribution center for three years now and last week our shift "
        "lead told everyone the union stuff is a waste of time. half the floor believes him and "
        "the other half is scared to say anything 😩 my cousin works at a coffee shop in another "
        "state and she says it is totally different there, they talk about it openly on breaks.\n"
        "anyway i keep seeing posts about the government and labor and i dont know what is real. "
        "we have a meeting next week and i want to get the basics right before I open my mouth.\n"
    )
    answer = engine.ask(story + question)
    assert len(story) > 500
    assert answer.answered and "Harris" in answer.answer


def test_spanish_finds_entries_through_either_language(engine):
    answer = engine.ask(
        "¿Quién preside el grupo de trabajo sobre organización de los trabajadores?"
    )
    assert answer.answered and answer.lang == "es" and "Harris" in answer.answer


def test_candidates_are_distinct_entries_ranked_by_probability(engine):
    result = engine.matcher.match("starbucks union votes")
    ids = [c.entry_id for c in result.candidates]
    assert len(ids) == len(set(ids))
    assert all(a.score >= b.score for a, b in itertools.pairwise(result.candidates))
    assert all(0 <= c.score <= 1 for c in result.candidates)


def test_autocomplete_completes_the_last_word(engine):
    assert engine.suggest("who chairs the task f")[0].id == "task-force-chair"
    assert len(engine.suggest("")) == 25


def test_a_server_entry_is_found_by_meaning_at_once_and_only_there(bundled):
    eng = Engine(bundled)
    eng.put(_entry("dues", "How much are union dues?", "Dues are 1.5% of base pay."), "7")
    answer = eng.ask("what do dues cost me", "7")
    assert answer.answered and answer.id == "dues"
    assert eng.ask("what do dues cost me", "8").id != "dues"
    assert eng.ask("what do dues cost me").id != "dues"
    eng.put(
        replace(
            _entry("dues", "How much are union dues?", "Dues are 1.5% of base pay."),
            question="What does membership cost?",
        ),
        "7",
    )
    assert eng.ask("how much is membership", "7").id == "dues"
    eng.drop("dues", "7")
    assert eng.ask("what do dues cost me", "7").id != "dues"


def test_shared_synonyms_do_not_change_how_server_entries_match(bundled):
    """A moderator's "meeting" is not the shared FAQ's White House roundtable."""
    eng = Engine(bundled, semantic=False)
    eng.put(_entry("next-meeting", "When is our next union meeting?", "Thursday at 6 pm."), "7")
    index = eng.matcher._lexical["7"]  # the server's own index
    assert index.lexicon.words == {} and index.lexicon.phrases == ()
    answer = eng.ask("when is our next union meeting", "7")
    assert answer.id == "next-meeting"


def test_replacing_a_servers_entries_swaps_them_whole(bundled):
    eng = Engine(bundled)
    eng.replace_guild("7", [_entry("parking", "Where do we park?", "Lot C, behind the dock.")])
    assert eng.matcher.match("where can I leave my car", [SHARED, "7"]).best.entry_id == "parking"
    eng.replace_guild("7", [_entry("bikes", "Where do bikes go?", "The rack by door 2.")])
    found = eng.matcher.match("where can I leave my car", [SHARED, "7"]).candidates
    assert "parking" not in {c.entry_id for c in found}
    assert eng.matcher.entry_count == len(bundled.entries) + 1


def test_without_the_semantic_model_the_lexical_policy_decides(lexical_engine):
    assert lexical_engine.matcher.semantic is None
    answer = lexical_engine.ask("When was Executive Order 14025 signed?")
    assert answer.answered and "April 26, 2021" in answer.answer
    assert lexical_engine.matcher.policy([SHARED]) is lexical_engine.matcher.model.lexical


def test_a_shipped_phrasing_is_an_exact_answer(engine):
    result = engine.matcher.match("Who chairs the Task Force on Worker Organizing and Empowerment?")
    assert result.decision is Decision.ANSWER and result.best.score == 1.0


def test_the_model_file_is_plain_json_the_runtime_reads_with_numpy():
    from importlib import resources

    data = json.loads(resources.files("bot").joinpath("decision.json").read_text("utf-8"))
    for policy in data.values():
        assert policy["trees"] and all(len(tree) == 5 for tree in policy["trees"])
        assert 0 < policy["suggest"] < policy["answer"] < 1
