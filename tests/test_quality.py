"""The quality bar on the labelled question sets (tests/data, copied from the shared dev set,
plus independent sets written from the source texts alone, plus Spanish probe and tuning sets
written the way Spanish-speaking workers type)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.evaluation import load_cases, run_eval, summarise

DATA = Path(__file__).parent / "data"


def _scores(engine, name: str) -> tuple[dict[str, float], list]:
    """Per-section scores of a question file, and its failures."""
    cases = load_cases((DATA / name).read_text(encoding="utf-8"))
    summary = summarise(run_eval(cases, engine.ask))
    return {k: v["score"] for k, v in summary["scores"].items()}, summary["failures"]


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
    scores, failures = _scores(engine, "holdout.yaml")
    assert scores["near_miss_accuracy"] == 1.0, failures
    assert scores["abstention_accuracy"] >= 0.95, failures
    assert scores["spanish_abstention_accuracy"] >= 0.9, failures
    assert scores["answerable_accuracy"] >= 0.85, failures
    assert scores["spanish_accuracy"] >= 0.85, failures


def test_second_independent_spanish_set(engine):
    scores, failures = _scores(engine, "holdout-es2.yaml")
    assert scores["spanish_accuracy"] >= 0.85, failures
    assert scores["spanish_abstention_accuracy"] >= 0.8, failures


def test_spanish_probe_set(engine):
    """Spanish as warehouse, retail and food-service workers type it (tests/data/spanish-probe.yaml).

    Left to the code: "horario de la biblioteca publica de Baltimore" is answered because an
    unknown ordinary word ("horario") weighs too little.
    """
    scores, failures = _scores(engine, "spanish-probe.yaml")
    assert scores["spanish_accuracy"] >= 0.95, failures
    assert scores["spanish_abstention_accuracy"] >= 0.9, failures


def test_spanish_tuning_set(engine):
    """Long messages with context, keyword queries and informal Spanish (tests/data/spanish-train.yaml)."""
    scores, failures = _scores(engine, "spanish-train.yaml")
    assert scores["spanish_accuracy"] >= 0.83, failures
    assert scores["spanish_abstention_accuracy"] >= 0.82, failures


def test_third_independent_spanish_set_stays_at_its_first_measure(engine):
    """Held out: 39/60 answered and 17/20 declined at its first run; a floor, not a goal."""
    scores, failures = _scores(engine, "holdout-es3.yaml")
    assert scores["spanish_accuracy"] >= 0.63, failures
    assert scores["spanish_abstention_accuracy"] >= 0.8, failures
