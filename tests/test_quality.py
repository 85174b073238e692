"""The quality bar on the labelled question sets (tests/data, copied from the shared dev set,
plus an independent set written from the source texts alone, plus a Spanish probe set written
the way Spanish-speaking workers type)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.evaluation import load_cases, run_eval, summarise

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def dev(engine):
    cases = load_cases((DATA / "dev.yaml").read_text(encoding="utf-8"))
    return summarise(run_eval(cases, engine.ask))


def test_dev_answerable_at_least_95_percent(dev):
    assert dev["scores"]["answerable_accuracy"]["score"] >= 0.95, dev["failures"]


def test_dev_every_off_topic_question_declined(dev):
    assert dev["scores"]["abstention_accuracy"]["score"] == 1.0, dev["failures"]


def test_dev_every_near_miss_handled(dev):
    assert dev["scores"]["near_miss_accuracy"]["score"] == 1.0, dev["failures"]


def test_dev_spanish(dev):
    assert dev["scores"]["spanish_accuracy"]["score"] >= 0.9, dev["failures"]
    assert dev["scores"]["spanish_abstention_accuracy"]["score"] == 1.0, dev["failures"]


def test_independent_set_never_answers_off_topic_or_near_miss_wrongly(engine):
    cases = load_cases((DATA / "holdout.yaml").read_text(encoding="utf-8"))
    summary = summarise(run_eval(cases, engine.ask))
    scores = {k: v["score"] for k, v in summary["scores"].items()}
    assert scores["near_miss_accuracy"] == 1.0, summary["failures"]
    assert scores["abstention_accuracy"] >= 0.95, summary["failures"]
    assert scores["spanish_abstention_accuracy"] >= 0.9, summary["failures"]
    assert scores["answerable_accuracy"] >= 0.85, summary["failures"]
    assert scores["spanish_accuracy"] >= 0.85, summary["failures"]


def test_second_independent_spanish_set(engine):
    cases = load_cases((DATA / "holdout-es2.yaml").read_text(encoding="utf-8"))
    summary = summarise(run_eval(cases, engine.ask))
    scores = {k: v["score"] for k, v in summary["scores"].items()}
    assert scores["spanish_accuracy"] >= 0.85, summary["failures"]
    assert scores["spanish_abstention_accuracy"] >= 0.8, summary["failures"]


def test_spanish_probe_set(engine):
    """Spanish as warehouse, retail and food-service workers type it (tests/data/spanish-probe.yaml).

    Left to the code: "horario de la biblioteca publica de Baltimore" is answered because an
    unknown ordinary word ("horario") weighs too little.
    """
    cases = load_cases((DATA / "spanish-probe.yaml").read_text(encoding="utf-8"))
    summary = summarise(run_eval(cases, engine.ask))
    scores = {k: v["score"] for k, v in summary["scores"].items()}
    assert scores["spanish_accuracy"] >= 0.95, summary["failures"]
    assert scores["spanish_abstention_accuracy"] >= 0.9, summary["failures"]
