"""`steward eval`: score the engine on a labelled question file (the format of eval/dev.yaml).

Besides the dev set's sections, a file may hold `server_entries` (a server's own FAQ entries,
as moderators write them) and `server` (questions those entries answer): the entries are put
in a server of their own for the run, where the file's questions are asked, and each `server`
question is also asked from another server, where it must not get them (nothing leaks).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.answers import Answer, QuestionError
from bot.knowledge import Entry, parse_entry_list
from bot.yamlsafe import YamlError, load_yaml

if TYPE_CHECKING:
    from bot.answers import Engine

SECTIONS = ("answerable", "abstain", "confusable", "spanish", "spanish_abstain", "server")
DECLINED = ("abstain", "spanish_abstain", "confusable")  # sections whose questions want no answer
METRICS = {
    "answerable": "answerable_accuracy",
    "abstain": "abstention_accuracy",
    "confusable": "near_miss_accuracy",
    "spanish": "spanish_accuracy",
    "spanish_abstain": "spanish_abstention_accuracy",
    "server": "server_accuracy",
}
EVAL_GUILD = "eval-server"  # where a file's server entries live during a run
OTHER_GUILD = "eval-elsewhere"  # another server, which must never see them
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


@dataclass
class Suite:
    """A question file: its cases and the server entries its `server` cases are about."""

    cases: list[Case]
    server_entries: list[Entry] = field(default_factory=list)


def load_cases(text: str) -> list[Case]:
    """The cases of an eval file (see `load_suite`)."""
    return load_suite(text).cases


def load_suite(text: str) -> Suite:
    """Parse an eval file; raise `EvalFileError` with a clear message when it is malformed."""
    try:
        data = load_yaml(text)
    except YamlError as exc:
        raise EvalFileError(f"line {exc.line}: {exc}") from None
    if not isinstance(data, dict):
        raise EvalFileError("an eval file is a mapping of sections to lists of questions")
    cases: list[Case] = []
    server: list[Entry] = []
    for section, items in data.items():
        if section == "server_entries":
            server = _server_entries(items)
            continue
        if section not in SECTIONS:
            raise EvalFileError(
                f"unknown section '{section}' (expected one of {', '.join(SECTIONS)})"
            )
        if items is not None and not isinstance(items, list):
            raise EvalFileError(f"{section}: expected a list of questions")
        for item in items or []:
            if not isinstance(item, dict) or not isinstance(item.get("q"), str):
                raise EvalFileError(f"{section}: every item needs a text 'q'")
            expect = item.get("expect") or []
            if not all(isinstance(g, list) and all(isinstance(s, str) for s in g) for g in expect):
                raise EvalFileError(f"{section}: 'expect' must be a list of lists of text")
            forbid = item.get("forbid") or []
            cases.append(Case(section, item["q"], [list(g) for g in expect], list(forbid)))
    if any(c.section == "server" for c in cases) and not server:
        raise EvalFileError("'server' questions need 'server_entries'")
    if not cases:
        raise EvalFileError("the file has no questions")
    return Suite(cases, server)


def _server_entries(items: Any) -> list[Entry]:
    """A file's server entries, parsed and checked as a moderator's import would be."""
    entries, problems = parse_entry_list(items or [], "server_entries", EVAL_GUILD)
    if problems:
        raise EvalFileError(f"server_entries: {problems[0].message}")
    return entries


def _looks_spanish(text: str) -> bool:
    low = f" {text.casefold()} "
    return sum(marker in low for marker in _SPANISH_MARKERS) >= 2


def judge(case: Case, answer: Answer | None) -> Outcome:
    """Decide whether one answer passes its case."""
    if answer is None:
        ok = case.section in DECLINED and not case.expect
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


def run_suite(
    suite: Suite, engine: Engine, guild: str | None = None, lang: str = "auto"
) -> list[Outcome]:
    """Run a file on an engine: its server entries go into a server of their own for the run
    (and out again after), where every question of the file is asked (a question they do not
    answer must not get one of them); `server` questions are also asked from another server,
    where getting one of those entries is a leak and fails the case."""
    if suite.server_entries:
        engine.replace_guild(EVAL_GUILD, suite.server_entries)
    own = {e.id for e in suite.server_entries}
    try:
        outcomes = []
        for case in suite.cases:
            where = EVAL_GUILD if suite.server_entries else guild

            def ask(q: str, where: str | None = where) -> Answer:
                return engine.ask(q, where, lang)

            [outcome] = run_eval([case], ask)
            if case.section == "server":
                leaked = engine.ask(case.q, OTHER_GUILD, lang)
                if leaked.id in own:
                    outcome = Outcome(case, False, f"leaked to another server: {leaked.id}", leaked)
            outcomes.append(outcome)
        return outcomes
    finally:
        if suite.server_entries:
            engine.replace_guild(EVAL_GUILD, [])


def _confusion(outcomes: list[Outcome], right_first: Callable[[Outcome], bool]) -> dict[str, int]:
    """How the questions that should be answered went."""
    out: Counter[str] = Counter()
    for o in outcomes:
        if o.case.section not in ("answerable", "spanish", "server"):
            if o.answer is not None and o.answer.answered and not o.passed:
                out["answered_when_it_should_not"] += 1
            continue
        if o.passed:
            out["answered_right"] += 1
        elif o.answer is not None and o.answer.answered:
            out["answered_wrong"] += 1
        elif o.answer is not None and o.answer.suggestions and right_first(o):
            out["did_you_mean_right_first"] += 1
        else:
            out["declined_wrongly"] += 1
    return dict(out)


def summarise(
    outcomes: list[Outcome], entry_text: Callable[[str, str], str | None] | None = None
) -> dict[str, Any]:
    """Scores per metric, a confusion summary and every failure. `entry_text(id, lang)`: an
    entry's answer, to tell whether a did-you-mean's first suggestion was the right one."""

    def right_first(o: Outcome) -> bool:
        assert o.answer is not None
        text = entry_text(o.answer.suggestions[0].id, o.answer.lang) if entry_text else None
        body = (text or "").casefold()
        return bool(o.case.expect) and all(
            any(a.casefold() in body for a in g) for g in o.case.expect
        )

    scores: dict[str, Any] = {}
    for section, metric in METRICS.items():
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
        "confusion": _confusion(outcomes, right_first),
        "failures": failures,
        "total": len(outcomes),
        "passed": sum(o.passed for o in outcomes),
    }
