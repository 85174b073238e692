"""Greetings and requests for help are told what Steward covers, and are not questions."""

from __future__ import annotations

import pytest

from bot.smalltalk import greeting_language


@pytest.mark.parametrize(
    ("message", "lang"),
    [
        ("hello", "en"),
        ("Hello!", "en"),
        ("hi steward", "en"),
        ("What can you do?", "en"),
        ("help", "en"),
        ("help please", "en"),
        ("what can yu do", "en"),  # one typo
        ("hola", "es"),
        ("¡Hola, Steward!", "es"),
        ("ayuda", "es"),
        ("¿Qué puedes hacer?", "es"),
        ("que puedes hacer", "es"),
        ("ayuda por favor", "es"),
    ],
)
def test_greetings_and_help_requests_are_recognised_in_their_language(message, lang):
    assert greeting_language(message) == lang


@pytest.mark.parametrize(
    "message",
    [
        "hello, who chairs the task force?",
        "help me understand executive order 14025",
        "what can the task force do",
        "who is steward",
        "hi there, when was the hearing?",
        "hoa",  # short words are not guessed at
        "",
        "???",
    ],
)
def test_a_question_is_not_a_greeting(message):
    assert greeting_language(message) is None


def test_no_phrasing_of_the_knowledge_is_taken_for_a_greeting(bundled):
    taken = [
        text
        for e in bundled.entries.values()
        for _l, text in e.phrasings()
        if greeting_language(text) is not None
    ]
    assert taken == []


def test_the_engine_answers_a_greeting_with_help_in_the_asked_language(engine):
    hello = engine.ask("hello")
    assert hello.kind == "help" and not hello.answered and not hello.counts_as_gap
    assert hello.to_json()["help"].startswith("I'm Steward") and hello.to_json()["answer"] == ""
    assert engine.ask("hello", lang="es").to_json()["help"].startswith("Soy Steward")
    assert engine.ask("ayuda").lang == "es"
    declined = engine.ask("Who won the World Cup?")
    assert declined.counts_as_gap and "help" not in declined.to_json()


@pytest.mark.parametrize(
    ("message", "lang"),
    [
        ("thanks", "en"),
        ("Thank you so much!", "en"),
        ("ok thx steward", "en"),
        ("gracias", "es"),
        ("¡Muchas gracias, compañero!", "es"),
        ("mil gracias", "es"),
    ],
)
def test_thanks_gets_a_short_reply_and_is_no_gap(engine, message, lang):
    from bot.smalltalk import thanks_language

    assert thanks_language(message) == lang
    reply = engine.ask(message)
    assert reply.kind == "thanks" and reply.lang == lang and not reply.counts_as_gap
    assert reply.to_json()["help"].startswith("You're welcome" if lang == "en" else "De nada")


@pytest.mark.parametrize(
    "message", ["thanks, who chairs the task force?", "gracias por la info sobre la orden 14025"]
)
def test_a_question_with_thanks_in_it_is_still_a_question(message):
    from bot.smalltalk import thanks_language

    assert thanks_language(message) is None
