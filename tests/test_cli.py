"""The `steward` command as users and scripts run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot import health
from bot.answers import MAX_QUESTION_CHARS
from bot.cli import main

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        text=True,
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def exit_status(argv: list[str]) -> object:
    """What `steward ARGV` exits with, whether main returns it or raises SystemExit."""
    try:
        return main(argv)
    except SystemExit as exc:
        return exc.code


def test_ask_text_names_sources(capsys):
    assert main(["ask", "When was Executive Order 14025 signed?"]) == 0
    out = capsys.readouterr().out
    assert "April 26, 2021" in out and "Sources:" in out and "https://" in out


def test_ask_json_is_the_answer_object(capsys):
    assert main(["ask", "--json", "eo 14025 signed when"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["answered"] and data["id"] == "eo-14025-signed-date" and data["lang"] == "en"


def test_ask_text_says_when_the_sources_do_not_answer(capsys):
    assert main(["ask", "was eo 14025 revoked?"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("I don't know: Steward's sources do not answer")
    assert "Related:" in out and "[eo-14173-revoked-eo-11246]" in out and "Sources:" not in out


def test_ask_lang_option(capsys):
    assert main(["ask", "--json", "--lang", "es", "When was Executive Order 14025 signed?"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["lang"] == "es" and "26 de abril de 2021" in data["answer"]


def test_batch_mode_one_json_line_per_question_in_order():
    lines = [
        "When was Executive Order 14025 signed?",
        "",
        "x" * (MAX_QUESTION_CHARS + 1),
        "Who won the World Cup?",
        "¿Quién es Laura Garza?",
    ]
    proc = run("ask", "--json", "-", stdin="\n".join(lines) + "\n")
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [o["question"] for o in out] == [lines[0], "", lines[2], lines[3], lines[4]]
    assert [o["answered"] for o in out] == [True, False, False, False, True]
    assert out[4]["lang"] == "es"
    assert "too long" in out[2]["error"]


def test_batch_mode_in_plain_text_answers_as_a_single_question_does(capsys):
    questions = ["When was Executive Order 14025 signed?", "was eo 14025 revoked?"]
    single = []
    for q in questions:
        assert main(["ask", q]) == 0
        single.append(capsys.readouterr().out)
    proc = run("ask", "-", stdin="\n".join([*questions, ""]) + "\n")
    assert proc.returncode == 0, proc.stderr
    assert (
        proc.stdout == "\n".join(single) + "\n" + "Please ask a question: the text was empty.\n\n"
    )
    assert "Sources:" in proc.stdout and "Related:" in proc.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ask", "   "], "empty"),
        (["ask", "y" * (MAX_QUESTION_CHARS + 1)], "too long"),
    ],
)
def test_bad_questions_exit_2_with_a_usage_line_and_a_message(capsys, args, message):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: steward ask") and message in err


def test_bad_arguments_exit_2_with_usage():
    proc = run("ask", "--nope", "hi")
    assert proc.returncode == 2 and "usage:" in proc.stderr
    assert run("frobnicate").returncode == 2


def test_check_ok_and_broken(tmp_path, knowledge_copy, capsys):
    assert main(["check", "--knowledge", str(knowledge_copy)]) == 0
    assert "ok:" in capsys.readouterr().out
    faq = knowledge_copy / "faq" / "task-force.yaml"
    faq.write_text(faq.read_text().replace("id: task-force-chair", "id: task-force-what", 1))
    assert main(["check", "--knowledge", str(knowledge_copy)]) == 1
    err = capsys.readouterr().err
    assert "task-force.yaml:" in err and "duplicate id 'task-force-what'" in err


def test_eval_reports_scores_and_failures(tmp_path, capsys):
    cases = tmp_path / "cases.yaml"
    cases.write_text(
        'answerable:\n  - {q: "When was EO 14025 signed?", expect: [["april 26"]]}\n'
        '  - {q: "When was EO 14025 signed?", expect: [["december"]]}\n'
        'abstain:\n  - {q: "Who won the World Cup?"}\n'
    )
    assert main(["eval", str(cases), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["scores"]["answerable_accuracy"] == {"passed": 1, "total": 2, "score": 0.5}
    assert summary["scores"]["abstention_accuracy"]["score"] == 1.0
    assert len(summary["failures"]) == 1 and "december" in summary["failures"][0]["why"]
    cases.write_text("answerable: [oops\n")
    assert main(["eval", str(cases)]) == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"answerable: 5\n", "answerable: expected a list of questions"),
        (b"abstain: 3.5\n", "abstain: expected a list of questions"),
        (b"answerable:\n", "the file has no questions"),
        (b"{}\n", "the file has no questions"),
        ("answerable:\n  - q: ¿Qué?\n".encode("utf-16"), "the file is UTF-16, not UTF-8"),
        (b"answerable:\n  - q: caf\xe9\n", "the file is not UTF-8"),
    ],
)
def test_eval_refuses_a_malformed_file_in_one_line(tmp_path, content, message):
    cases = tmp_path / "cases.yaml"
    cases.write_bytes(content)
    proc = run("eval", str(cases))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert len(proc.stderr.splitlines()) == 1 and message in proc.stderr, proc.stderr


def test_eval_asks_a_files_questions_inside_its_server(tmp_path, capsys):
    """An off-topic question in a file with server entries is asked where those entries live,
    so answering it with one of them fails."""
    cases = tmp_path / "cases.yaml"
    cases.write_text(
        "server_entries:\n"
        "  - id: our-dues\n    question: How much are our chapter dues?\n"
        "    answer: Ten dollars a month.\n    sources:\n    - url: https://example.org/dues\n"
        'server:\n  - {q: "How much are our chapter dues?", expect: [["ten dollars"]]}\n'
        'abstain:\n  - {q: "How much are our chapter dues?"}\n'
    )
    assert main(["eval", str(cases), "--json"]) == 0
    scores = json.loads(capsys.readouterr().out)["scores"]
    assert scores["server_accuracy"]["score"] == 1.0
    assert scores["abstention_accuracy"]["score"] == 0.0


def test_guild_option_answers_with_server_entries(tmp_path, capsys):
    guild_dir = tmp_path / "guilds" / "99"
    guild_dir.mkdir(parents=True)
    (guild_dir / "faq.yaml").write_text(
        "- id: our-dues\n  question: How much are our chapter dues?\n  answer: Ten dollars.\n"
        "  sources:\n  - url: https://example.org/dues\n"
    )
    assert (
        main(
            [
                "ask",
                "--json",
                "--data",
                str(tmp_path),
                "--guild",
                "99",
                "How much are our chapter dues?",
            ]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out)["id"] == "our-dues"
    assert main(["ask", "--json", "--data", str(tmp_path), "How much are our chapter dues?"]) == 0
    assert json.loads(capsys.readouterr().out)["answered"] is False


def test_dotenv_settings_reach_every_command(tmp_path, knowledge_copy, monkeypatch, capsys):
    """ask, check and eval read STEWARD_KNOWLEDGE_DIR and STEWARD_DATA_DIR from .env, as run does."""
    for name in ("STEWARD_KNOWLEDGE_DIR", "STEWARD_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    data = tmp_path / "server-data"
    (data / "guilds" / "99").mkdir(parents=True)
    (data / "guilds" / "99" / "faq.yaml").write_text(
        "- id: our-dues\n  question: How much are our chapter dues?\n  answer: Ten dollars.\n"
        "  sources:\n  - url: https://example.org/dues\n"
    )
    workdir = tmp_path / "work"
    workdir.mkdir()
    (workdir / ".env").write_text(
        f"STEWARD_KNOWLEDGE_DIR={knowledge_copy}\nSTEWARD_DATA_DIR={data}\n", encoding="utf-8"
    )
    monkeypatch.chdir(workdir)
    assert main(["ask", "--json", "--guild", "99", "How much are our chapter dues?"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == "our-dues"

    faq = knowledge_copy / "faq" / "task-force.yaml"  # .env's knowledge, now broken
    faq.write_text(faq.read_text().replace("id: task-force-chair", "id: task-force-what", 1))
    cases = tmp_path / "cases.yaml"
    cases.write_text('answerable:\n  - {q: "When was EO 14025 signed?", expect: [["april 26"]]}\n')
    for argv in (["check"], ["ask", "When was EO 14025 signed?"], ["eval", str(cases)]):
        assert exit_status(argv) == 1, argv
        assert f"{faq}:" in capsys.readouterr().err, argv


@pytest.mark.parametrize(
    ("argv", "setting"),
    [
        (["ask", "When was EO 14025 signed?"], "STEWARD_RATE_LIMIT=abc"),
        (["check"], "STEWARD_RATE_LIMIT=abc"),
        (["check"], "STEWARD_LOG_LEVEL=LOUD"),
        (["eval", "cases.yaml"], "STEWARD_RATE_LIMIT=abc"),
        (["run"], "STEWARD_RATE_LIMIT=abc"),
        (["health"], "STEWARD_RATE_LIMIT=abc"),
    ],
)
def test_a_bad_setting_is_one_line_naming_it_and_exit_2(tmp_path, monkeypatch, argv, setting):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text(f"{setting}\n", encoding="utf-8")
    name = setting.partition("=")[0]
    monkeypatch.delenv(name, raising=False)
    proc = subprocess.run(
        [sys.executable, "-m", "bot", *argv],
        text=True,
        capture_output=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2 and proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"steward: invalid setting {name}:")


def test_health_says_whether_the_bot_was_connected_lately(tmp_path, capsys):
    data = ["health", "--data", str(tmp_path)]
    assert main(data) == 1  # never connected
    health.mark_connected(tmp_path)
    assert main(data) == 0
    health.health_file(tmp_path).write_text(f"{time.time() - health.STALE_SECONDS - 1}\n")
    assert main(data) == 1  # stale: the bot stopped refreshing it
    health.health_file(tmp_path).write_text("garbage\n")
    assert main(data) == 1
    assert capsys.readouterr() == ("", "")


def test_check_reports_a_file_that_is_not_utf8_as_one_line(knowledge_copy):
    path = knowledge_copy / "faq" / "extra.yaml"
    path.write_bytes("- id: extra\n  question: ¿Qué?\n".encode("utf-16"))
    proc = run("check", "--knowledge", str(knowledge_copy))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.splitlines() == [
        f"{path}:1: the file is UTF-16, not UTF-8: save it as UTF-8"
    ]


def test_check_validates_server_files_with_data_and_guild(tmp_path, capsys):
    good, bad = tmp_path / "guilds" / "10" / "faq.yaml", tmp_path / "guilds" / "20" / "faq.yaml"
    for path in (good, bad):
        path.parent.mkdir(parents=True)
    good.write_text(
        "- id: our-dues\n  question: How much are our chapter dues?\n  answer: Ten dollars.\n"
        "  sources:\n  - url: https://example.org/dues\n"
    )
    bad.write_text(
        '- id: "eo-14025-signed-date\\n"\n  question: When?\n  answer: Now.\n'
        "  sources:\n  - url: https://example.org/x\n"
    )
    assert main(["check", "--data", str(tmp_path)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"{bad}:1: bad id 'eo-14025-signed-date\\n': use lowercase letters, digits "
        "and hyphens (at most 64 characters)"
    ]
    assert main(["check", "--data", str(tmp_path), "--guild", "10"]) == 0
    assert "1 server(s) checked" in capsys.readouterr().out
    assert main(["check", "--data", str(tmp_path), "--guild", "30"]) == 1  # no such file
    assert "guilds/30/faq.yaml:0: no file for this server" in capsys.readouterr().err
    assert main(["check", "--data", str(tmp_path / "nowhere")]) == 1
    assert capsys.readouterr().err == f"{tmp_path / 'nowhere'}:0: data directory not found\n"
    bad.write_bytes("- id: café\n".encode("latin-1"))
    assert main(["check", "--data", str(tmp_path), "--guild", "20"]) == 1
    assert capsys.readouterr().err.startswith(f"{bad}:1: the file is not UTF-8 (byte 0xe9)")


@pytest.mark.parametrize("command", ["check", "ask", "eval"])
def test_a_server_id_that_is_not_digits_exits_2_with_usage(command):
    extra = {"check": [], "ask": ["hi"], "eval": ["x.yaml"]}[command]
    proc = run(command, "--guild", "abc", *extra)
    assert proc.returncode == 2 and "usage:" in proc.stderr and "not a server id" in proc.stderr
    assert run("ask", "--guild", "12\n", "hi").returncode == 2


def test_plain_text_groups_quotes_under_their_source_once(capsys):
    assert main(["ask", "Which worker organizers attended the White House roundtable?"]) == 0
    out = capsys.readouterr().out
    assert out.count("  - Blavity, ") == 1 and out.count("https://blavity.com/") == 1
    assert "Chris Smalls, the former Amazon employee" in out
    assert "Cita textual" not in out
    assert main(["ask", "--lang", "es", "Which organizers attended the roundtable?"]) == 0
    out = capsys.readouterr().out
    assert out.count("  - Blavity, ") == 1
    label = "Cita textual de la fuente, en su idioma original (inglés):"
    assert out.count(label) == out.count("\n  - ")  # once per source, above its quotes


def test_a_link_only_source_prints_its_url_once(tmp_path, capsys):
    guild_dir = tmp_path / "guilds" / "99"
    guild_dir.mkdir(parents=True)
    (guild_dir / "faq.yaml").write_text(
        "- id: our-dues\n  question: How much are our chapter dues?\n  answer: Ten dollars.\n"
        "  sources:\n  - url: https://example.org/dues\n"
        "  - url: https://example.org/minutes\n    title: Meeting minutes\n"
    )
    args = ["ask", "--data", str(tmp_path), "--guild", "99", "How much are our chapter dues?"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert out.count("https://example.org/dues") == 1
    assert "  - Meeting minutes\n    https://example.org/minutes\n" in out
    assert out.count("its text is not checked") == 2


@pytest.mark.parametrize(
    ("message", "lang", "start"),
    [
        ("hello", "en", "I'm Steward."),
        ("What can you do?", "en", "I'm Steward."),
        ("help", "en", "I'm Steward."),
        ("hola", "es", "Soy Steward."),
        ("¿Qué puedes hacer?", "es", "Soy Steward."),
        ("ayuda", "es", "Soy Steward."),
    ],
)
def test_greetings_and_help_get_what_steward_covers(capsys, message, lang, start):
    assert main(["ask", "--json", message]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["answered"] is False and data["answer"] == "" and data["id"] is None
    assert data["sources"] == [] and data["lang"] == lang and data["help"].startswith(start)
    assert main(["ask", message]) == 0
    assert capsys.readouterr().out.startswith(start)
