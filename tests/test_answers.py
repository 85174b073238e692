"""The answer object: one shape for JSON, embeds, DMs and eval."""

from __future__ import annotations

import pytest

from bot.answers import MAX_QUESTION_CHARS, Engine, QuestionError

KEYS = {
    "question",
    "answered",
    "id",
    "matched_question",
    "answer",
    "confidence",
    "sources",
    "note",
    "suggestions",
    "lang",
}


def test_answer_json_follows_the_contract(engine):
    data = engine.ask("When was Executive Order 14025 signed?").to_json()
    assert set(data) == KEYS
    assert data["answered"] is True and data["id"] == "eo-14025-signed-date"
    assert "April 26, 2021" in data["answer"] and 0 < data["confidence"] <= 1
    assert data["sources"] and set(data["sources"][0]) == {
        "id",
        "title",
        "outlet",
        "published",
        "url",
        "quote",
    }
    assert data["lang"] == "en"


def test_declined_answer_has_no_sources(engine):
    data = engine.ask("Who won the World Cup?").to_json()
    assert data["answered"] is False and data["id"] is None and data["answer"] == ""
    assert data["sources"] == [] and data["matched_question"] is None


def test_quotes_are_verbatim_source_words(engine, bundled):
    from bot.text import fold_quote

    for src in engine.ask("Who chairs the task force?").sources:
        assert fold_quote(src.quote) in bundled.sources[src.id].folded_text


def test_disagreement_and_changes_are_noted(engine):
    eo = engine.ask("Is Executive Order 11246 still in effect?")
    assert eo.answered and "14173" in eo.answer + (eo.note or "")
    iatse = engine.ask("Which union do the Titmouse workers belong to?")
    assert iatse.answered and "Theatrical Stage Employees" in iatse.answer


def test_unverified_facts_are_not_stated(engine):
    lead = engine.ask("Who leads the Better for All campaign?")
    assert not lead.answered or "does not say" in lead.answer or "not" in lead.answer


def test_a_question_the_sources_do_not_answer_is_declined_with_what_they_do_say(engine):
    # entries tagged not-in-sources record such questions: Steward says it does not know and
    # points to the related entries that are sourced
    contracts = engine.ask("Did Biden cut off Amazon's federal contracts?")
    data = contracts.to_json()
    assert data["answered"] is False and data["answer"] == "" and data["sources"] == []
    assert contracts.silent_on == "Did Biden cut off Amazon's federal contracts?"
    assert [s.id for s in contracts.suggestions] == ["sanders-amazon-contracts"]
    assert "do not answer" in contracts.declined_text()[0]
    status = engine.ask("¿La orden 14025 sigue vigente?")
    assert not status.answered and status.lang == "es"
    assert status.silent_on == engine.entry("eo-14025-still-in-force").text("es")[0]
    suggested = {s.id for s in status.suggestions}
    assert "eo-14173-revoked-eo-11246" in suggested  # what was revoked: EO 11246
    assert not any(engine.entry(i).silent for i in suggested)


@pytest.mark.xfail(
    strict=True,
    reason="known: the learned decision answers this message with the hearing's topic, which "
    "is not what its first question asks (a wrong answer)",
)
def test_a_message_that_mainly_asks_what_the_sources_do_not_answer_is_declined(engine):
    # its other questions are offered
    both = engine.ask("¿Qué votó el Senado tras la audiencia? ¿Le quitaron los contratos a Amazon?")
    assert not both.answered and both.silent_on
    assert {s.id for s in both.suggestions} >= {"sanders-amazon-contracts", "senate-hearing-topic"}


def test_autocomplete_offers_silent_entries_only_to_moderators(engine):
    def ids(**kw):
        return {s.id for s in engine.suggest("eo 14025 still in force", **kw)}

    assert "eo-14025-still-in-force" not in ids()
    assert "eo-14025-still-in-force" in ids(silent=True)
    assert not any(engine.entry(s.id).silent for s in engine.suggest(""))


@pytest.mark.parametrize("text", ["", "   ", "x" * (MAX_QUESTION_CHARS + 1)])
def test_bad_questions_raise(engine, text):
    with pytest.raises(QuestionError):
        engine.ask(text)


def test_invisible_characters_neither_count_nor_split_words(engine):
    plain = engine.ask("Who chairs the worker organizing task force?")
    hidden = engine.ask(
        "\ufeffWho chairs the work\u00ader organ\u200bizing task force?" + "\u200b" * 600
    )
    assert hidden.question == plain.question and hidden.id == plain.id and hidden.answered


def test_spanish_question_gets_spanish_answer_with_english_quote(engine):
    answer = engine.ask("¿Cuándo se firmó la orden ejecutiva 14025?")
    assert answer.lang == "es" and "26 de abril de 2021" in answer.answer
    assert answer.sources[0].quote.startswith("Executive Order 14025") or "April" in (
        answer.sources[0].quote + answer.sources[-1].quote
    )
    english = engine.ask("When was Executive Order 14025 signed?", lang="en")
    assert english.lang == "en" and "April 26, 2021" in english.answer


def test_keyword_questions_are_answered_in_the_language_their_words_belong_to(bundled):
    # no function word either way: the words found only in Spanish (or English) phrasings decide
    engine = Engine(bundled)  # a fresh engine: its first keyword question is judged alike
    assert engine.ask("jfk8 vote result").lang == "en"
    spanish = engine.ask("resultado votacion jfk8")
    assert spanish.answered and spanish.lang == "es"
    english = engine.ask("jfk8 vote result")
    assert english.answered and english.lang == "en"
    assert engine.ask("eo 14025").lang == "en"  # names and numbers only: English by default
    # an English name in a Spanish keyword question is no English cue
    assert engine.ask("better for all demandas").lang == "es"
    assert engine.ask("the hill biden pro laboral decadas").lang == "es"


def test_a_close_second_is_a_choice_unless_the_first_lists_it_as_related(engine):
    from bot.lexical import LexicalMatch
    from bot.matcher import Decision, Scored

    policy = engine.matcher.policy(["shared"])
    first = engine.entry("eo-11246-status")
    related = first.related[0]
    unrelated = next(e.id for e in engine.entries() if e.id not in (first.id, *first.related))

    def scored(entry_id: str, probability: float) -> Scored:
        match = LexicalMatch(entry_id, "", "en", 0, 0, 0, 0, 0, 0)
        return Scored("shared", entry_id, match, probability=probability)

    top = max(policy.answer + 0.01, 0.9)
    close = top - policy.margin / 2
    decide = engine.matcher.decide
    assert decide(policy, [scored(first.id, top), scored(related, close)]) is Decision.ANSWER
    assert decide(policy, [scored(first.id, top), scored(unrelated, close)]) is Decision.SUGGEST
    assert decide(policy, [scored(first.id, top), scored(unrelated, 0.0)]) is Decision.ANSWER
    below = policy.answer - 0.01
    assert decide(policy, [scored(first.id, below)]) is Decision.SUGGEST
    assert decide(policy, [scored(first.id, policy.suggest - 0.01)]) is Decision.DECLINE


@pytest.mark.parametrize(
    ("question", "entries", "facts"),
    [
        pytest.param(
            "¿Cuántas tiendas de Starbucks votaron por el sindicato y desde cuándo?",
            {"starbucks-union-votes", "starbucks-union-since-when"},
            ("50", "diciembre de 2021"),
            marks=pytest.mark.xfail(
                strict=True,
                reason="known: the decision of 2026-12-07 (the maps' 'none of them' score, "
                "five averaged models) answers the first question and not the second",
            ),
        ),
        (
            "What is the ALU and who is its president?",
            {"alu-president", "alu-what"},
            ("Christian Smalls", "Staten Island"),
        ),
    ],
)
def test_a_message_asking_two_things_gets_both_answers(engine, question, entries, facts):
    answer = engine.ask(question)
    assert answer.id in entries
    [second] = entries - {answer.id}
    other = engine.entry(second)
    _matched, other_text, _note = other.text(answer.lang)
    assert other_text in answer.answer and all(fact in answer.answer for fact in facts)
    # each entry's sources are cited, once
    cited = {(s.id, s.quote) for s in answer.sources}
    assert cited >= {(c.source, c.quote) for c in other.sources}
    assert len(cited) == len(answer.sources)


def test_one_question_gets_one_answer(engine):
    answer = engine.ask("¿Qué es la ALU?")
    assert answer.answer == engine.entry("alu-what").text("es")[1]


def test_half_a_utf16_pair_in_a_question_becomes_a_replacement_character(engine):
    answer = engine.ask("When was Executive Order 14025 signed?\ud800")
    assert answer.question == "When was Executive Order 14025 signed?\ufffd" and answer.answered
    assert answer.to_json()["question"].encode("utf-8")  # printable and storable


def test_a_document_cited_twice_for_the_same_words_is_shown_once(make_knowledge):
    from bot.answers import load_engine

    root = make_knowledge(
        """\
        - id: chair
          question: Who chairs the committee?
          answer: Alice Smith chairs it; it has 12 members.
          sources:
            - source: memo
              quote: Alice Smith chairs the committee.
            - source: memo
              quote: It has 12 members.
            - source: memo
              quote: Alice Smith chairs
            - url: https://example.org/minutes
              title: Minutes
            - url: https://example.org/minutes
              title: Minutes
              quote: Alice Smith
          translations:
            es:
              question: ¿Quién preside el comité?
              answer: Lo preside Alice Smith; tiene 12 miembros.
        """
    )
    engine, problems = load_engine(root, semantic=False)
    assert not problems
    quotes = [(s.url, s.quote) for s in engine.ask("Who chairs the committee?").sources]
    assert quotes == [
        ("https://example.org/memo", "Alice Smith chairs the committee."),
        ("https://example.org/memo", "It has 12 members."),
        ("https://example.org/minutes", "Alice Smith"),
    ]


def test_an_entry_without_spanish_says_so_when_asked_in_spanish(engine):
    from bot.knowledge import parse_entry_list
    from bot.yamlsafe import load_yaml

    entries, problems = parse_entry_list(
        load_yaml(
            "- id: our-meeting\n  question: When is our next union meeting?\n"
            "  answer: Tuesday at 6 pm in the break room.\n"
            "  sources:\n  - url: https://example.org/meetings\n"
        ),
        "faq.yaml",
        "555",
    )
    assert problems == []
    engine.replace_guild("555", entries)
    try:
        spanish = engine.render(entries[0], "es", guild="555")
        english = engine.render(entries[0], "en", guild="555")
    finally:
        engine.replace_guild("555", [])
    assert spanish.answer == english.answer and spanish.lang == "es"
    assert spanish.note and "no está traducida" in spanish.note and english.note is None


def test_a_link_source_is_named_by_its_site(bundled):
    from bot.knowledge import parse_entries

    entries, problems = parse_entries(
        "- id: dues\n  question: How much are union dues here?\n  answer: Dues are 1.5% of pay.\n"
        "  sources:\n    - url: https://www.example.org/bylaws\n      title: Bylaws\n",
        "faq.yaml",
        "g1",
    )
    assert problems == []
    engine = Engine(bundled)
    engine.replace_guild("g1", entries)
    answer = engine.ask("How much are union dues here?", "g1", "es")
    assert [(s.outlet, s.title) for s in answer.sources] == [("example.org", "Bylaws")]
