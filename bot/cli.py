"""The `steward` command: ask, check, eval and run."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.answers import Answer, Engine, QuestionError, load_engine
from bot.citations import group_sources
from bot.evaluation import EvalFileError, load_cases, run_eval, summarise
from bot.i18n import t
from bot.knowledge import load_knowledge
from bot.paths import default_data_dir, default_knowledge_dir
from bot.store import GuildStore, StoreError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # exit 2 with a usage line, as the contract says
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def _guild_id(value: str) -> str:
    """A Discord server id: digits only (it names a folder under the data directory)."""
    if not re.fullmatch(r"[0-9]{1,20}", value):
        raise argparse.ArgumentTypeError(f"not a server id (digits only): {value!r}")
    return value


def _parser() -> argparse.ArgumentParser:
    dirs = _Parser(add_help=False)  # every command
    dirs.add_argument(
        "--knowledge",
        type=Path,
        default=None,
        help="knowledge directory (default: $STEWARD_KNOWLEDGE_DIR or bundled)",
    )
    dirs.add_argument(
        "--data",
        type=Path,
        default=None,
        help="data directory (default: $STEWARD_DATA_DIR or ./data)",
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
    ask.add_argument("--json", action="store_true", help="print the JSON answer object")
    ask.add_argument("question", nargs="+", help="the question, or - to read one per line")
    sub.add_parser(
        "check", parents=[dirs, server], help="validate the knowledge (and server files)"
    )
    ev = sub.add_parser("eval", parents=[common], help="score a labelled question file")
    ev.add_argument("file", type=Path)
    ev.add_argument("--json", action="store_true", help="machine-readable output")
    sub.add_parser("run", parents=[dirs], help="start the Discord bot")
    return parser


def _knowledge_dir(args: argparse.Namespace) -> Path:
    return args.knowledge or default_knowledge_dir()


def _engine(args: argparse.Namespace) -> Engine:
    engine, problems = load_engine(_knowledge_dir(args))
    if problems:
        for p in problems:
            print(p, file=sys.stderr)
        print(
            f"steward: the knowledge has {len(problems)} problem(s); run 'steward check'",
            file=sys.stderr,
        )
        raise SystemExit(1)
    if args.guild:
        store = GuildStore(args.data or default_data_dir(), engine)
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
        lines += [f'    "{q}"' for q in quotes]
    lines += ["", f"{t('confidence', lang)}: {answer.confidence:.2f}  [{answer.id}]"]
    return "\n".join(lines)


def _ask(args: argparse.Namespace) -> int:
    engine = _engine(args)
    guild = str(args.guild) if args.guild else None
    if args.question == ["-"]:
        for line in sys.stdin:
            text = line.rstrip("\n")
            try:
                answer = engine.ask(text, guild, args.lang)
                payload = answer.to_json()
            except QuestionError as exc:
                payload = _declined_payload(text, exc)
            if args.json:
                print(json.dumps(payload, ensure_ascii=False), flush=True)
            else:
                text = payload["answer"] or payload.get("help") or payload.get("error")
                print(text or t("declined"), flush=True)
        return 0
    question = " ".join(args.question)
    try:
        answer = engine.ask(question, guild, args.lang)
    except QuestionError as exc:
        print(f"steward: {t(exc.key, 'en', **exc.values)}", file=sys.stderr)
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


def _check(args: argparse.Namespace) -> int:
    root = _knowledge_dir(args)
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
        store = GuildStore(args.data or default_data_dir(), Engine(kb))
        guilds = [args.guild] if args.guild else store.guild_ids()
        server_problems = []
        for guild in guilds:  # as the bot loads them: each against the shared knowledge
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


def _eval(args: argparse.Namespace) -> int:
    try:
        cases = load_cases(args.file.read_text(encoding="utf-8"))
    except OSError as exc:
        print(f"steward: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    except EvalFileError as exc:
        print(f"steward: {args.file}: {exc}", file=sys.stderr)
        return 2
    engine = _engine(args)
    guild = str(args.guild) if args.guild else None
    summary = summarise(run_eval(cases, lambda q: engine.ask(q, guild, args.lang)))
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        return 0
    for metric, s in summary["scores"].items():
        print(f"{metric}: {s['passed']}/{s['total']} ({s['score']:.1%})")
    for f in summary["failures"]:
        print(f"FAIL [{f['section']}] {f['question']!r}: {f['why']}")
    return 0


def _run(args: argparse.Namespace) -> int:
    if args.knowledge:
        os.environ["STEWARD_KNOWLEDGE_DIR"] = str(args.knowledge)
    if args.data:
        os.environ["STEWARD_DATA_DIR"] = str(args.data)
    from bot.client import run_bot  # imported here: the offline commands never load discord

    return run_bot()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `steward` console script."""
    args = _parser().parse_args(argv)
    handlers = {"ask": _ask, "check": _check, "eval": _eval, "run": _run}
    try:
        return handlers[args.command](args)
    except BrokenPipeError:  # the reader stopped early (`steward eval ... | head`): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
