"""The `steward` command: ask, check, eval, run and health."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from pydantic import ValidationError

from bot import health
from bot.answers import Answer, Engine, QuestionError, load_engine
from bot.citations import group_sources
from bot.config import Settings, invalid_settings
from bot.evaluation import METRICS, EvalFileError, load_suite, run_suite, summarise
from bot.i18n import t
from bot.knowledge import NotUtf8Error, load_knowledge, read_text
from bot.store import GuildStore, StoreError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # exit 2 with a usage line, as the contract says
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def _guild_id(value: str) -> str:
    """A Discord server id: digits only (it names a folder under the data directory)."""
    if not re.fullmatch(r"[0-9]{1,20}", value):
        raise argparse.ArgumentTypeError(f"not a server id (digits only): {value!r}")
    return value


def _parser() -> argparse.ArgumentParser:
    data = _Parser(add_help=False)
    data.add_argument(
        "--data",
        type=Path,
        default=None,
        help="data directory (default: $STEWARD_DATA_DIR or ./data)",
    )
    dirs = _Parser(add_help=False, parents=[data])  # every command but health
    dirs.add_argument(
        "--knowledge",
        type=Path,
        default=None,
        help="knowledge directory (default: $STEWARD_KNOWLEDGE_DIR or bundled)",
    )
    server = _Parser(add_help=False)  # the commands that read a server's file
    server.add_argument(
        "--guild",
        type=_guild_id,
        default=None,
        help="answer as inside this server (its id); with check, validate only its file",
    )
    common = _Parser(add_help=False, parents=[dirs, server])  # ask and eval
    common.add_argument(
        "--lang",
        choices=("en", "es", "auto"),
        default="auto",
        help="answer language (default: detected from the question)",
    )
    parser = _Parser(
        prog="steward", description="Sourced answers about US worker-organizing policy."
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    ask = sub.add_parser("ask", parents=[common], help="answer a question offline")
    ask.set_defaults(usage=ask.format_usage())
    ask.add_argument("--json", action="store_true", help="print the JSON answer object")
    ask.add_argument("question", nargs="+", help="the question, or - to read one per line")
    sub.add_parser(
        "check", parents=[dirs, server], help="validate the knowledge (and server files)"
    )
    ev = sub.add_parser("eval", parents=[common], help="score a labelled question file")
    ev.add_argument("file", type=Path)
    ev.add_argument("--json", action="store_true", help="machine-readable output")
    ev.add_argument(
        "--min",
        nargs="+",
        default=[],
        metavar="KIND=FRACTION",
        type=_floor,
        help="exit 1 when a kind (answerable, abstain, confusable, spanish, spanish_abstain, "
        "server) scores below FRACTION",
    )
    sub.add_parser("run", parents=[dirs], help="start the Discord bot")
    sub.add_parser(
        "health",
        parents=[data],
        help=f"exit 0 if the running bot was connected in the last {health.STALE_SECONDS:.0f} s",
    )
    return parser


def _floor(text: str) -> tuple[str, float]:
    """`KIND=FRACTION` for `steward eval --min`."""
    kind, _, value = text.partition("=")
    metric = METRICS.get(kind, kind)
    if metric not in METRICS.values():
        raise argparse.ArgumentTypeError(f"unknown kind '{kind}' ({', '.join(METRICS)})")
    try:
        fraction = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not KIND=FRACTION") from None
    if not 0 <= fraction <= 1:
        raise argparse.ArgumentTypeError(f"{fraction} is not between 0 and 1")
    return metric, fraction


def _engine(args: argparse.Namespace, settings: Settings) -> Engine:
    engine, problems = load_engine(
        settings.knowledge_dir, settings.steward_data_dir, semantic=settings.steward_semantic
    )
    if problems:
        for p in problems:
            print(p, file=sys.stderr)
        print(
            f"steward: the knowledge has {len(problems)} problem(s); run 'steward check'",
            file=sys.stderr,
        )
        raise SystemExit(1)
    if args.guild:
        store = GuildStore(settings.steward_data_dir, engine)
        try:
            store.load_guild(str(args.guild))
        except StoreError as exc:
            print(f"steward: {exc}", file=sys.stderr)
            raise SystemExit(1) from None
    return engine


def format_text(answer: Answer) -> str:
    """A plain-text rendering of an answer for the terminal."""
    lang = answer.lang
    if not answer.answered:
        text, heading = answer.declined_text()
        lines = [text]
        if answer.silent_on and answer.suggestions:
            lines.append(f"{heading}:")
        lines += [f"  - {s.question} [{s.id}]" for s in answer.suggestions]
        return "\n".join(lines)
    lines = [answer.matched_question or "", "", answer.answer]
    if answer.note:
        lines += ["", f"{t('note', lang)}: {answer.note}"]
    lines += ["", f"{t('sources', lang)}:"]
    for s, quotes in group_sources(answer.sources):
        if not s.checked:  # a moderator's link: its title, if any, then the link once
            title = f"{s.title}\n    " if s.title != s.url else ""
            lines.append(f"  - {title}{s.url}\n    ({t('unchecked_link', lang)})")
        else:
            when = f", {s.published}" if s.published else ""
            lines.append(f"  - {s.outlet}{when}: {s.title}\n    {s.url or t('no_link', lang)}")
        if quotes and lang != "en":  # quotes stay in the source's English
            lines.append(f"    {t('quote_label', lang)}:")
        # a quote that holds straight double quotes itself is set off with curly ones
        lines += [f"    “{q}”" if '"' in q else f'    "{q}"' for q in quotes]
    lines += ["", f"{t('confidence', lang)}: {answer.confidence:.2f}  [{answer.id}]"]
    return "\n".join(lines)


def _ask(args: argparse.Namespace, settings: Settings) -> int:
    engine = _engine(args, settings)
    guild = str(args.guild) if args.guild else None
    if args.question == ["-"]:
        for line in sys.stdin:
            text = line.rstrip("\n")
            try:
                answer = engine.ask(text, guild, args.lang)
            except QuestionError as exc:
                payload = _declined_payload(text, exc)
                output = str(payload["error"])
            else:
                payload = answer.to_json()
                output = format_text(answer)
            if args.json:
                print(json.dumps(payload, ensure_ascii=False), flush=True)
            else:  # each answer as a single question gets it, sources and all, a blank line apart
                print(output, end="\n\n", flush=True)
        return 0
    question = " ".join(args.question)
    try:
        answer = engine.ask(question, guild, args.lang)
    except QuestionError as exc:  # a bad argument: a usage line, as the contract says
        print(f"{args.usage.rstrip()}\nsteward: {t(exc.key, 'en', **exc.values)}", file=sys.stderr)
        return 2
    print(
        json.dumps(answer.to_json(), ensure_ascii=False, indent=2)
        if args.json
        else format_text(answer)
    )
    return 0


def _declined_payload(text: str, exc: QuestionError) -> dict[str, object]:
    """The answer object for a batch line that is not a valid question."""
    return {
        "question": text,
        "answered": False,
        "id": None,
        "matched_question": None,
        "answer": "",
        "confidence": 0.0,
        "sources": [],
        "note": None,
        "suggestions": [],
        "lang": "en",
        "error": t(exc.key, "en", **exc.values),
    }


def _check(args: argparse.Namespace, settings: Settings) -> int:
    root = settings.knowledge_dir
    if not root.is_dir():
        print(f"{root}:0: knowledge directory not found", file=sys.stderr)
        return 1
    kb, problems = load_knowledge(root)
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        return 1
    phrasings = sum(len(e.phrasings()) for e in kb.entries.values())
    summary = f"ok: {len(kb.entries)} entries, {phrasings} phrasings, {len(kb.sources)} sources"
    if args.data or args.guild:
        if not settings.steward_data_dir.is_dir():
            print(f"{settings.steward_data_dir}:0: data directory not found", file=sys.stderr)
            return 1
        # the checks need the lexical index only: no sentence vectors are computed for them
        store = GuildStore(settings.steward_data_dir, Engine(kb, semantic=False))
        guilds = [args.guild] if args.guild else store.guild_ids()
        server_problems: list[str] = []
        for guild in guilds:  # as the bot loads them: each against the shared knowledge
            if not store.path(guild).exists():
                server_problems.append(f"{store.path(guild)}:0: no file for this server")
                continue
            try:
                store.load_guild(guild)
            except StoreError as exc:
                server_problems += exc.problems
        if server_problems:
            print(*server_problems, sep="\n", file=sys.stderr)
            return 1
        summary += f"; {len(guilds)} server(s) checked"
    print(summary)
    return 0


def _eval(args: argparse.Namespace, settings: Settings) -> int:
    try:
        suite = load_suite(read_text(args.file))
    except OSError as exc:
        print(f"steward: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    except NotUtf8Error as exc:
        print(f"steward: {args.file}:{exc.line}: {exc}", file=sys.stderr)
        return 2
    except EvalFileError as exc:
        print(f"steward: {args.file}: {exc}", file=sys.stderr)
        return 2
    engine = _engine(args, settings)
    guild = str(args.guild) if args.guild else None

    def entry_text(entry_id: str, lang: str) -> str | None:
        entry = engine.entry(entry_id, guild)
        return entry.text(lang)[1] if entry else None

    summary = summarise(run_suite(suite, engine, guild, args.lang), entry_text)
    below = [
        f"{metric} {summary['scores'][metric]['score']:.1%} < {floor:.1%}"
        for metric, floor in args.min
        if metric in summary["scores"] and summary["scores"][metric]["score"] < floor
    ]
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        for metric, s in summary["scores"].items():
            print(f"{metric}: {s['passed']}/{s['total']} ({s['score']:.1%})")
        print("confusion: " + ", ".join(f"{k} {v}" for k, v in summary["confusion"].items()))
        for f in summary["failures"]:
            print(f"FAIL [{f['section']}] {f['question']!r}: {f['why']}")
    for line in below:
        print(f"steward: below the floor: {line}", file=sys.stderr)
    return 1 if below else 0


def _run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.client import run_bot  # imported here: the offline commands never load discord

    return run_bot(settings)


def _health(args: argparse.Namespace, settings: Settings) -> int:
    return 0 if health.is_fresh(settings.steward_data_dir) else 1


def _settings(args: argparse.Namespace) -> Settings:
    """The environment's and `.env`'s settings, with the command line's directories over them."""
    settings = Settings()
    overrides = {
        "steward_knowledge_dir": getattr(args, "knowledge", None),
        "steward_data_dir": args.data,
    }
    return settings.model_copy(update={k: v for k, v in overrides.items() if v is not None})


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `steward` console script."""
    args = _parser().parse_args(argv)
    try:
        settings = _settings(args)
    except ValidationError as exc:  # one line per bad variable, no traceback
        for line in invalid_settings(exc):
            print(f"steward: invalid setting {line}", file=sys.stderr)
        return 2
    handlers = {"ask": _ask, "check": _check, "eval": _eval, "run": _run, "health": _health}
    try:
        return handlers[args.command](args, settings)
    except BrokenPipeError:  # the reader stopped early (`steward eval ... | head`): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
