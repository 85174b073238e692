"""`steward check`'s rules, over the bundled knowledge and over broken fixtures."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from bot import knowledge
from bot.knowledge import _parse_files, load_knowledge
from bot.paths import BUNDLED_KNOWLEDGE
from bot.text import phrasing_key
from bot.yamlsafe import YamlError, _Builder, _Loader, load_yaml

GOOD = """\
- id: chair
  question: Who chairs the committee?
  alternates: [committee chair name]
  answer: Alice Smith chairs the committee.
  sources:
    - source: memo
      quote: Alice Smith chairs the committee.
  translations:
    es:
      question: ¿Quién preside el comité?
      answer: Alice Smith preside el comité.
- id: size
  question: How many members does the committee have?
  answer: The committee has 12 members.
  related: [chair]
  sources:
    - source: memo
      quote: "It has   12 members."
  translations:
    es:
      question: ¿Cuántos miembros tiene el comité?
      answer: El comité tiene 12 miembros.
"""


def messages(root: Path) -> list[str]:
    return [str(p) for p in load_knowledge(root)[1]]


def test_bundled_knowledge_is_valid_and_large(bundled):
    assert len(bundled.entries) > 100
    assert {
        "blavity-roundtable",
        "thehill-harris-meeting",
        "better-for-all",
        "eo-14025",
        "eo-14173",
    } <= set(bundled.sources)
    for entry in bundled.entries.values():
        assert entry.sources, entry.id
        assert "es" in entry.translations, entry.id
        assert len(entry.alternates) >= 3, entry.id


def test_source_texts_are_the_shared_documents_verbatim(bundled):
    text = bundled.sources["blavity-roundtable"].text
    assert "Biden issued an executive order on April 26, 2021" in text
    assert (
        bundled.sources["better-for-all"]
        .text.rstrip()
        .endswith("The Better for All Campaign is led by:")
    )


def test_good_fixture_passes(make_knowledge):
    assert messages(make_knowledge(GOOD)) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            (
                "quote: Alice Smith chairs the committee.",
                "quote: Alice Smyth chairs the committee.",
            ),
            "quote is not verbatim in source 'memo'",
        ),
        (
            ("- source: memo\n      quote: Alice", "- source: nope\n      quote: Alice"),
            "unknown source 'nope'",
        ),
        (("id: size", "id: chair"), "duplicate id 'chair'"),
        (("id: size", "id: Size_Two"), "bad id 'Size_Two'"),
        (("related: [chair]", "related: [nobody]"), "unknown related id 'nobody'"),
        (
            (
                "alternates: [committee chair name]",
                "alternates: [How many members does the committee have]",
            ),
            "is also on entry",
        ),
        (("  answer: The committee has 12 members.\n", ""), "missing field 'answer'"),
        (("  related: [chair]\n", "  colour: blue\n"), "unknown key 'colour'"),
        (
            ("question: Who chairs the committee?", "question: " + "x" * 151),
            "'question' is 151 characters; the limit is 150",
        ),
        (
            ("    es:\n      question: ¿Quién", "    fr:\n      question: ¿Quién"),
            "unknown language 'fr'",
        ),
    ],
)
def test_each_problem_is_reported_with_path_and_line(make_knowledge, change, expected):
    old, new = change
    assert old in GOOD
    problems = messages(make_knowledge(GOOD.replace(old, new, 1)))
    assert any(expected in p for p in problems), problems
    assert all(":" in p.split(" ")[0] for p in problems)  # path:line: message
    assert all(p.split(":")[1].isdigit() for p in problems)


def test_every_problem_is_listed_at_once(make_knowledge):
    broken = GOOD.replace("quote: Alice Smith", "quote: Bob Smith").replace(
        "related: [chair]", "related: [ghost]"
    )
    problems = messages(make_knowledge(broken))
    assert len(problems) == 2


def test_typographic_quotes_and_whitespace_fold_but_nothing_else(make_knowledge):
    faq = GOOD.replace(
        "quote: Alice Smith chairs the committee.",
        "quote: 'He said \"hello\" there and it''s fine.'",
    ).replace('quote: "It has   12 members."', "quote: He said hello")
    root = make_knowledge(faq)
    (root / "sources" / "memo.txt").write_text("He said “hello”   there and it’s fine.")
    problems = messages(root)
    assert len(problems) == 1 and "He said hello" in problems[0]


def test_malformed_yaml_gives_a_line(make_knowledge):
    problems = messages(make_knowledge("- id: a\n  question: [unclosed\n"))
    assert problems and problems[0].split(":")[1] != "0"


def test_yaml_tags_and_aliases_are_refused(make_knowledge):
    tagged = GOOD.replace(
        "answer: Alice Smith chairs the committee.", "answer: !!python/object:os.system echo"
    )
    assert any("tags" in p for p in messages(make_knowledge(tagged)))
    aliased = GOOD.replace(
        "question: Who chairs the committee?", "question: &q Who chairs the committee?"
    ).replace("alternates: [committee chair name]", "alternates: [*q]")
    assert any("aliases" in p or "anchors" in p for p in messages(make_knowledge(aliased)))


def test_yes_no_stay_text(make_knowledge):
    faq = GOOD.replace("alternates: [committee chair name]", "alternates: [no, on]")
    assert messages(make_knowledge(faq)) == []


def test_missing_translation_of_a_shared_entry_is_reported(make_knowledge):
    faq = GOOD.replace(
        """  translations:
    es:
      question: ¿Quién preside el comité?
      answer: Alice Smith preside el comité.
""",
        "",
    )
    assert any("missing 'es' translation" in p for p in messages(make_knowledge(faq)))


def test_spanish_phrasing_on_two_entries_is_reported(make_knowledge):
    faq = GOOD.replace("¿Cuántos miembros tiene el comité?", "¿Quién preside el comité?")
    assert any("is also on entry" in p for p in messages(make_knowledge(faq)))


def test_phrasing_key_ignores_case_and_punctuation():
    assert phrasing_key("Who chairs the Committee?") == phrasing_key("who chairs the committee")


def test_eo_11246_entries_say_it_was_revoked(bundled):
    for entry in bundled.entries.values():
        text = f"{entry.question} {entry.answer}"
        if "11246" in text and entry.id.startswith(("eo-11246", "bfa-eo-11246")):
            blob = f"{entry.answer} {entry.note or ''}"
            assert "14173" in blob or "revoked" in blob, entry.id


def test_yaml_scalars_keep_their_types_and_lines():
    data = load_yaml(
        "a: Who signed it?\nb: 'true'\nc: true\nd: 14025\ne: 2021-04-26\nf: no\ng: ~\n"
        'h: 1.5\ni: Nothing\nj: "12"\n'
    )
    assert data == {
        "a": "Who signed it?",
        "b": "true",
        "c": True,
        "d": 14025,
        "e": "2021-04-26",
        "f": "no",
        "g": None,
        "h": 1.5,
        "i": "Nothing",
        "j": "12",
    }
    assert data.line_of("e") == 5


def _copy_faq_files(tmp_path: Path) -> list[Path]:
    """The bundled FAQ files (several, with problems added to one) in a scratch directory."""
    faq = tmp_path / "faq"
    faq.mkdir()
    for src in sorted((BUNDLED_KNOWLEDGE / "faq").glob("*.yaml")):
        (faq / src.name).write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    last = sorted(faq.glob("*.yaml"))[-1]
    last.write_text(last.read_text(encoding="utf-8") + "- id: Bad Id\n  answer: 3\n", "utf-8")
    return sorted(faq.glob("*.yaml"))


def test_a_worker_process_parses_big_directories_to_the_same_result(tmp_path, monkeypatch):
    files = _copy_faq_files(tmp_path)
    serial = _parse_files(files)
    parsed_here: list[Path] = []
    parse_file = knowledge._parse_file

    def recording(path: Path):  # only this process's calls: the worker is another interpreter
        parsed_here.append(path)
        return parse_file(path)

    monkeypatch.setattr(knowledge, "_parse_file", recording)
    monkeypatch.setattr(knowledge, "_usable_cpus", lambda: 2)
    parallel = _parse_files(files, parallel_from_bytes=1)
    assert parallel == serial
    assert 0 < len(parsed_here) < len(files)  # the worker parsed the rest
    assert any(problems for _entries, problems in serial)  # the added problem, with its path


def test_when_the_worker_cannot_run_this_process_parses_everything(tmp_path, monkeypatch):
    files = _copy_faq_files(tmp_path)
    serial = _parse_files(files)
    monkeypatch.setattr(sys, "executable", "/bin/false")
    monkeypatch.setattr(knowledge, "_usable_cpus", lambda: 2)
    assert _parse_files(files, parallel_from_bytes=1) == serial


def test_a_variant_under_two_canonical_words_is_refused(knowledge_copy):
    path = knowledge_copy / "synonyms.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("synonyms:\n", "synonyms:\n  walk: [march, harris]\n", 1), "utf-8")
    _kb, problems = load_knowledge(knowledge_copy)
    assert any("'harris' is listed under both" in p.message for p in problems)


# -- files that are not UTF-8 text, and text that is not text ------------------------------


@pytest.mark.parametrize(
    ("encode", "expected"),
    [
        (
            lambda text: text.replace("chair name", "chair née").encode("latin-1"),
            ":3: the file is not",
        ),
        (lambda text: text.encode("utf-16"), ":1: the file is UTF-16"),
        (lambda text: text.encode("utf-16-le"), ":1: the file holds NUL bytes"),
    ],
    ids=["latin-1", "utf-16", "utf-16-without-bom"],
)
def test_a_file_that_is_not_utf8_is_one_problem_with_its_line(make_knowledge, encode, expected):
    root = make_knowledge(GOOD)
    path = root / "faq" / "other.yaml"
    other = GOOD.replace("id: chair", "id: chair-2").replace("id: size", "id: size-2")
    path.write_bytes(encode(other.replace("Who chairs", "Who else chairs")))
    problems = messages(root)
    assert len(problems) == 1 and problems[0].startswith(f"{path}{expected}"), problems


def test_a_source_text_or_catalogue_that_is_not_utf8_is_a_problem(make_knowledge):
    root = make_knowledge(GOOD)
    memo = root / "sources" / "memo.txt"
    memo.write_bytes("Alice Smith chairs the committee.\nCafé".encode("cp1252"))
    assert any(p.startswith(f"{memo}:2: the file is not UTF-8") for p in messages(root))
    catalogue = root / "sources.yaml"
    catalogue.write_bytes(catalogue.read_text().encode("utf-16"))
    assert messages(root)[0].startswith(f"{catalogue}:1: the file is UTF-16")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("id: chair\n", 'id: "chair\\n"\n', "bad id 'chair\\n'"),
        ("- id: size", '- id: "size\\n"', "bad id 'size\\n'"),
    ],
)
def test_an_id_ending_in_a_newline_is_refused(make_knowledge, old, new, expected):
    problems = messages(make_knowledge(GOOD.replace(old, new, 1)))
    assert any(expected in p for p in problems), problems


def test_a_catalogue_link_ending_in_a_newline_is_refused(make_knowledge):
    root = make_knowledge(GOOD)
    catalogue = root / "sources.yaml"
    text = catalogue.read_text()
    catalogue.write_text(text.replace("url: https://example.org/memo", 'url: "https://e.org/m\\n"'))
    assert any("'url' must be an http(s) link" in p for p in messages(root))


@pytest.mark.parametrize(
    ("url", "refused"),
    [
        ("https://example.org/x)[click](https://evil.example", True),  # a second Markdown link
        ("https://@everyone", True),
        ("https://user@example.org/x", True),
        ("https://localhost/x", True),
        ("https://example.org/a b", True),
        ("https://en.wikipedia.org/wiki/Executive_order_(United_States)", False),
        ("https://example.org:8443/report?id=3#part", False),
    ],
)
def test_a_link_must_name_a_host_and_stay_one_link(make_knowledge, url, refused):
    root = make_knowledge(GOOD)
    catalogue = root / "sources.yaml"
    text = catalogue.read_text()
    catalogue.write_text(text.replace("url: https://example.org/memo", f'url: "{url}"'))
    assert any("'url' must be an http(s) link" in p for p in messages(root)) == refused


def test_an_unpaired_surrogate_is_refused_with_its_line():
    with pytest.raises(YamlError, match="unpaired UTF-16 surrogate") as raw:
        load_yaml("- a: b\n- c: d\ud800\n")
    assert raw.value.line == 2
    # libyaml refuses the escape itself; PyYAML's own parser (used where libyaml is missing)
    # reads it, and the builder refuses it
    with pytest.raises(YamlError) as escaped:
        load_yaml('- a: b\n- c: "d\\ud800"\n')
    assert escaped.value.line == 2
    node = yaml.compose('- a: b\n- c: "d\\ud800"\n', Loader=yaml.SafeLoader)
    with pytest.raises(YamlError, match="unpaired UTF-16 surrogate") as built:
        _Builder(_Loader("")).build(node)
    assert built.value.line == 2


def test_a_problem_names_the_quotes_own_line_and_a_broken_catalogue_is_one_problem(
    make_knowledge,
):
    root = make_knowledge(GOOD.replace("Alice Smith chairs", "Alice Smyth chairs"))
    (found,) = messages(root)
    assert found.startswith(f"{root / 'faq' / 'test.yaml'}:7: chair: quote is not verbatim")
    (root / "sources.yaml").write_text("x: [\n", encoding="utf-8")
    problems = messages(root)
    assert len(problems) == 1 and "sources.yaml" in problems[0]
