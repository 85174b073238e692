"""Normalisation, stemming, synonyms and language detection."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.text import (
    Lexicon,
    basic_tokens,
    detect_language,
    fold_quote,
    language_cues,
    question_parts,
    stem,
    written_as_names,
)


def test_fold_quote_only_folds_whitespace_and_typographic_quotes():
    assert fold_quote("“worker  power”\n is ‘core’") == "\"worker power\" is 'core'"
    assert fold_quote("Worker") != fold_quote("worker")


def test_basic_tokens_fold_case_accents_and_numbers():
    assert basic_tokens("¿Quién firmó la Orden 14025?") == [
        "quien",
        "firmo",
        "la",
        "orden",
        "14025",
    ]
    assert basic_tokens("2,654 to 2,131; O’Brien's") == ["2654", "to", "2131", "obrien"]


def test_accented_que_asks_what_and_keeps_the_phrases_it_starts(bundled):
    assert basic_tokens("¿QUÉ pasó?") == basic_tokens("¿Que\u0301 pasó?") == ["qué", "paso"]
    assert basic_tokens("dijo que no") == ["dijo", "que", "no"]
    lex = bundled.lexicon
    assert lex.content_tokens("¿Qué dijo Smalls?")[0] == "what"
    assert "what" not in lex.content_tokens("dijo que Smalls")
    assert lex.content_tokens("¿Qué día firmó?") == lex.content_tokens("que dia firmo")
    # typed on a phone: "q dia", "k dia"
    assert lex.content_tokens("q dia firmo") == lex.content_tokens("k dia firmo")
    assert lex.content_tokens("q dia firmo") == lex.content_tokens("que dia firmo")


def test_question_parts_split_context_from_the_questions_asked():
    assert question_parts("When was EO 14025 signed?") == []
    assert question_parts("Trabajo en un Starbucks. ¿Cuántas tiendas votaron 2,654 a 2,131?") == [
        ("Trabajo en un Starbucks", False),
        ("Cuántas tiendas votaron 2,654 a 2,131", True),
    ]
    assert question_parts("¿Qué es la ALU y qué logró?") == [
        ("Qué es la ALU", True),
        ("qué logró", True),
    ]
    # a preposition may come between the join and the question word
    assert question_parts("¿Cuántas tiendas votaron y desde cuándo?") == [
        ("Cuántas tiendas votaron", True),
        ("desde cuándo", True),
    ]
    # question words as typed in chat join too; a trailing "o q" ("or what?") is no question
    assert question_parts("el de REI como se llama y de q union es") == [
        ("el de REI como se llama", True),
        ("de q union es", True),
    ]
    assert question_parts("la 11246 ya no sirve, la quitaron o q") == [
        ("la 11246 ya no sirve", False),
        ("la quitaron o q", True),
    ]
    # English has no "¿": a question word before "and" + another question word asks too
    assert question_parts("What is the ALU and who is its president?") == [
        ("What is the ALU", True),
        ("who is its president", True),
    ]
    assert question_parts("leí la nota de the hill, lo escribieron bien?") == [
        ("leí la nota de the hill", False),
        ("lo escribieron bien", True),
    ]
    # with a question mark in the message, a question word alone does not make a question
    assert question_parts("Cuando se reunieron con Harris, ¿qué dijeron de los patrones?") == [
        ("Cuando se reunieron con Harris", False),
        ("qué dijeron de los patrones", True),
    ]
    # the "?" of a sentence that already asked marks no later clause of it
    assert question_parts("¿Cuándo votan en el almacén de Bessemer, en Alabama?") == [
        ("Cuándo votan en el almacén de Bessemer", True),
        ("en Alabama", False),
    ]
    # a place after a comma stays with its question
    assert question_parts("¿Cómo salió el voto en el Starbucks de Buffalo, Nueva York?") == []
    assert question_parts("trabajo en rei. quien fue a la junta") == [
        ("trabajo en rei", False),
        ("quien fue a la junta", True),
    ]


def test_stem_is_shared_by_inflections():
    assert stem("organizing") == stem("organized") == stem("organize")
    assert stem("sindicatos") == stem("sindicato")
    assert stem("votes") == stem("voted") == stem("vote")


def test_lexicon_rewrites_phrases_before_stop_words(bundled):
    lex = bundled.lexicon
    assert lex.content_tokens("Who signed the executive order?") == ["who", "sign", "eo"]
    assert lex.content_tokens("¿Quién firmó la orden ejecutiva?") == ["who", "sign", "eo"]
    assert "iatse" in lex.content_tokens("International Alliance of Theatrical Stage Employees")
    assert "alu" in lex.content_tokens("el sindicato de amazon")
    # typed without its little words, a phrase is still the phrase
    assert lex.content_tokens("comité presupuesto senado") == ["budgetcommittee"]
    assert lex.content_tokens("grupo trabajo casa blanca") == ["taskforce", "whitehouse"]
    # how people address each other in chat says nothing about what they ask
    assert lex.content_tokens("parce, brother, che: cuándo salió la EO") == lex.content_tokens(
        "cuándo salió la EO"
    )
    # the topics talked about are not the talking: "¿De qué temas hablaron?"
    topic, talk = lex.content_tokens("temas hablaron")
    assert topic != talk and lex.content_tokens("asuntos") == [topic]
    assert lex.content_tokens("presta atención") == lex.content_tokens("prioriza")
    # that an event took place is what every question about it assumes
    for held in (
        "¿Cuándo tuvo lugar la mesa redonda?",
        "¿Cuándo se llevó a cabo la mesa redonda?",
        "When was the roundtable held?",
        "when did the roundtable take place",
    ):
        assert lex.content_tokens(held) == ["when", "roundtable"]
    # and a polite frame asks the bot: it says nothing about what is asked
    framed = "could you tell me when the roundtable took place"
    assert lex.content_tokens(framed) == ["when", "roundtable"]


def test_lexicon_drops_a_phrase_whose_canonical_token_is_a_stop_word():
    lex = Lexicon.from_mapping({"held": ["tuvo lugar"], "say": ["dijo"]}, ["held", "la"])
    assert lex.content_tokens("la junta tuvo lugar") == ["junt"]
    assert lex.content_tokens("la junta was held") == ["junt", "was"]
    assert lex.content_tokens("dijo") == ["say"]


def test_lexicon_from_mapping():
    lex = Lexicon.from_mapping({"taskforce": ["task force"]}, ["the"], ["common"])
    assert lex.content_tokens("the Task Force") == ["taskforce"]
    assert "common" in lex.common


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("¿Quién es Laura Garza?", "es"),
        ("que numero tiene la orden ejecutiva", "es"),
        ("cuantas tiendas de starbucks votaron en contra", "es"),
        ("perdio el sindicato de amazon", "es"),
        ("quien dirige Better for All", "es"),  # an English name in a Spanish question
        ("a que union pertenece alex speidel", "es"),  # "a" is Spanish too
        ("fecha eo 14025", "es"),
        ("Who is Laura Garza?", "en"),
        ("eo 14025??", "en"),
        ("REI workers union: UFCW or RWDSU?", "en"),
        ("how many starbucks stores voted", "en"),
        ("", "en"),
    ],
)
def test_detect_language(text, lang):
    assert detect_language(text) == lang


@given(st.text(max_size=200))
def test_normalising_never_crashes_and_is_idempotent(text):
    once = " ".join(basic_tokens(text))
    assert " ".join(basic_tokens(once)) == once
    assert detect_language(text) in ("en", "es")


def test_english_words_of_a_name_are_no_language_cue(bundled):
    lex = bundled.lexicon
    assert language_cues("better for all demandas", lex) == (0.0, 0.0)
    assert language_cues("what does Better for All demand", lex) == (0.0, 2.0)
    assert language_cues("better for all demandas") == (0.0, 1.0)  # "for", without a lexicon


def test_words_written_as_names_are_names():
    assert written_as_names("¿Cuántos votos sacó el Starbucks de Buffalo?") == [
        "Starbucks",
        "Buffalo",
    ]
    assert written_as_names("Buffalo votó. ¿Tesla no?") == []  # each starts a sentence
    assert written_as_names("el dueño dijo que iba a llamar a ICE") == ["ICE"]  # an acronym
    assert written_as_names("WHEN DID BIDEN SIGN EO 14025") == []  # typed in capitals
    assert written_as_names("So I asked: did Harris come?") == ["Harris"]  # "I" is no name
    assert written_as_names("What Is The Task Force Report?") == []  # title case: no signal


def test_discord_markup_and_links_are_dropped_and_other_angle_brackets_kept():
    from bot.text import without_markup

    text = (
        "<@!42> <@&7> <#9> who chairs it <:pepe:123> <a:dance:5> <t:1651795200:R> https://x.org/a"
    )
    assert without_markup(text).split() == ["who", "chairs", "it"]
    assert without_markup("is 3 < 4 or a<b>?") == "is 3 < 4 or a<b>?"
    assert without_markup("[free money](https://evil.example/x) now") == "free money now"


def test_a_long_message_is_read_from_a_words_start_near_its_end():
    from bot.text import message_end

    assert message_end("short", 10) == "short"
    assert message_end("one two three four", 10) == "three four"
    assert message_end("one two three four", 9) == "four"
