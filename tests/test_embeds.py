"""The embed an answer becomes: every source shown, or a count of those left out."""

from __future__ import annotations

from dataclasses import replace

from bot.answers import SourceRef
from bot.embeds import EMBED_CHARS, EMBED_FIELDS, answer_embed, shown_back


def source(n: int, quote: str, outlet: str | None = None) -> SourceRef:
    return SourceRef(
        f"s{n}", f"Title {n}", outlet or f"Outlet {n}", "2022", f"https://e.org/{n}", quote
    )


def test_every_source_is_shown_once_with_all_its_quotes(engine):
    answer = engine.ask("Which worker organizers attended the White House roundtable?")
    embed = answer_embed(answer)
    names = [f.name for f in embed.fields if f.name.startswith("Sources")]
    assert len(names) == len({s.id for s in answer.sources}) == 3
    blavity = next(f.value for f in embed.fields if "Blavity" in f.name)
    assert blavity.count("> ") == 4 and blavity.count("Quoted from the source") == 1


def test_eight_sources_are_all_shown(engine):
    answer = engine.ask("When was Executive Order 14025 signed?")
    many = replace(answer, sources=tuple(source(n, f"quote {n}") for n in range(8)))
    embed = answer_embed(many)
    assert [f.name for f in embed.fields if "Outlet" in f.name] == [
        f"Sources {n + 1}: Outlet {n}" for n in range(8)
    ]
    assert "more" not in str(embed.to_dict())


def test_sources_past_discords_limits_are_counted_not_dropped_silently(engine):
    answer = engine.ask("When was Executive Order 14025 signed?")
    long_quotes = tuple(source(n, "word " * 140) for n in range(12))
    embed = answer_embed(replace(answer, sources=long_quotes))
    shown = [f for f in embed.fields if "Outlet" in f.name]
    assert 0 < len(shown) < 12 and len(embed) <= EMBED_CHARS and len(embed.fields) <= EMBED_FIELDS
    assert embed.fields[-1].value == f"…and {12 - len(shown)} more sources, which do not fit here"
    spanish = answer_embed(replace(answer, sources=long_quotes, lang="es"))
    assert spanish.fields[-1].value.startswith("…y ") and len(spanish) <= EMBED_CHARS


def test_text_shown_back_to_moderators_has_no_live_markdown():
    text = shown_back("[free money](https://evil.example) **now**", 150)
    assert text == "\\[free money](https://evil.example) \\*\\*now\\*\\*"


def test_a_source_with_more_quotes_than_fit_shows_whole_quotes_and_counts_the_rest(engine):
    answer = engine.ask("When was Executive Order 14025 signed?")
    quotes = [f"Quote {n} " + "word " * 60 for n in range(6)]
    many = replace(answer, sources=tuple(source(1, q, outlet="Outlet") for q in quotes))
    for lang, more in (("en", "more quotes from this source"), ("es", "citas más de esta fuente")):
        field = next(f for f in answer_embed(replace(many, lang=lang)).fields if "Outlet" in f.name)
        shown = [line for line in field.value.splitlines() if line.startswith("> ")]
        assert 0 < len(shown) < 6 and len(field.value) <= 1024
        assert all(line.rstrip().endswith("word") for line in shown)  # none cut short
        assert f"{6 - len(shown)} {more}" in field.value.splitlines()[-1]


def test_every_shipped_answer_fits_discords_limits_without_cutting_a_quote(engine):
    for entry in engine.entries():
        for lang in ("en", "es"):
            answer = engine.render(entry, lang, question=entry.question, confidence=1.0)
            embed = answer_embed(answer)
            assert len(embed) <= EMBED_CHARS and len(embed.fields) <= EMBED_FIELDS
            for field in embed.fields:
                assert len(field.value) <= 1024
                quoted = [line for line in field.value.splitlines() if line.startswith("> ")]
                assert not any(line.endswith("…") for line in quoted), (entry.id, lang)
