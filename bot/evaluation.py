"""`steward eval`: score the engine on a labelled question file (the format of eval/dev.yaml)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.answers import Answer, QuestionError
from bot.yamlsafe import YamlError, load_yaml

SECTIONS = ("answerable", "abstain", "confusable", "spanish", "spanish_abstain")
_SPANISH_MARKERS = ("¿", "á", "é", "í", "ó", "ú", "ñ", " el ", " la ", " de ", " que ", " los ")


class EvalFileError(ValueError):
    """The question file is not in the expected format."""


@dataclass
class Case:
    """One labelled question."""

    section: str
    q: str
    expect: list[list[str]] = field(default_factory=list)
    forbid: list[str] = field(default_factory=list)


@dataclass
class Outcome:
    """How the engine did on one case."""

    case: Case
    passed: bool
    why: str
    answer: Answer | None


def load_cases(text: str) -> list[Case]:
    """Parse an eval file; raise `EvalFileError` with a clear message when it is malformed."""
    try:
        data = load_yaml(text)
    except YamlError as exc:
        raise EvalFileError(f"line {exc.line}: {exc}") from None
    if not isinstance(data, dict):
        raise EvalFileError("an eval file is a mapping of sections to lists of questions")
    cases: list[Case] = []
    for section, items in data.items():
        if section not in SECTIONS:
            raise EvalFileError(
                f"unknown section '{section}' (expected one of {', '.join(SECTIONS)})"
            )
        for item in items or []:
            if not isinstance(item, dict) or not isinstance(item.get("q"), str):
                raise EvalFileError(f"{section}: every item needs a text 'q'")
            expect = item.get("expect") or []
            if not all(isinstance(g, list) and all(isinstance(s, str) for s in g) for g in expect):
                raise EvalFileError(f"{section}: 'expect' must be a list of lists of text")
            forbid = item.get("forbid") or []
            cases.append(Case(section, item["q"], [list(g) for g in expect], list(forbid)))
    return cases


def _looks_spanish(text: str) -> bool:
    low = f" {text.casefold()} "
    return sum(marker in low for marker in _SPANISH_MARKERS) >= 2


def judge(case: Case, answer: Answer | None) -> Outcome:
    """Decide whether one answer passes its case."""
    if answer is None:
        ok = case.section in ("abstain", "spanish_abstain", "confusable") and not case.expect
        return Outcome(case, ok, "refused as invalid input", None)
    body = f"{answer.answer}\n{answer.note or ''}".casefold()
    missing = [g for g in case.expect if not any(alt.casefold() in body for alt in g)]
    if case.section in ("abstain", "spanish_abstain"):
        ok = not answer.answered
        why = "declined" if ok else f"answered with '{answer.id}'"
        if ok and case.section == "spanish_abstain" and answer.lang != "es":
            ok, why = False, "declined, but not in Spanish"
        return Outcome(case, ok, why, answer)
    if case.section == "confusable":
        hit = [f for f in case.forbid if f.casefold() in body]
        if hit:
            return Outcome(case, False, f"answer '{answer.id}' contains forbidden {hit}", answer)
        if not answer.answered:
            return Outcome(case, True, "declined", answer)
        if missing:
            return Outcome(case, False, f"answered '{answer.id}' without {missing}", answer)
        return Outcome(case, True, f"answered '{answer.id}'", answer)
    if not answer.answered:
        sugg = ", ".join(s.id for s in answer.suggestions)
        return Outcome(case, False, f"declined (suggested: {sugg or 'none'})", answer)
    if missing:
        return Outcome(case, False, f"answered '{answer.id}' without {missing}", answer)
    if case.section == "spanish" and (answer.lang != "es" or not _looks_spanish(answer.answer)):
        return Outcome(case, False, f"answered '{answer.id}' but not in Spanish", answer)
    return Outcome(case, True, f"answered '{answer.id}'", answer)


def run_eval(cases: list[Case], ask: Callable[[str], Answer]) -> list[Outcome]:
    """Ask every case and judge it."""
    outcomes: list[Outcome] = []
    for case in cases:
        try:
            answer: Answer | None = ask(case.q)
        except QuestionError:
            answer = None
        outcomes.append(judge(case, answer))
    return outcomes


def summarise(outcomes: list[Outcome]) -> dict[str, Any]:
    """Scores per metric plus every failure."""
    names = {
        "answerable": "answerable_accuracy",
        "abstain": "abstention_accuracy",
        "confusable": "near_miss_accuracy",
        "spanish": "spanish_accuracy",
        "spanish_abstain": "spanish_abstention_accuracy",
    }
    scores: dict[str, Any] = {}
    for section, metric in names.items():
        group = [o for o in outcomes if o.case.section == section]
        if group:
            passed = sum(o.passed for o in group)
            scores[metric] = {
                "passed": passed,
                "total": len(group),
                "score": round(passed / len(group), 4),
            }
    failures = [
        {
            "section": o.case.section,
            "question": o.case.q,
            "why": o.why,
            "id": o.answer.id if o.answer else None,
            "confidence": round(o.answer.confidence, 3) if o.answer else None,
        }
        for o in outcomes
        if not o.passed
    ]
    return {
        "scores": scores,
        "failures": failures,
        "total": len(outcomes),
        "passed": sum(o.passed for o in outcomes),
    }
