"""An answer's sources as people read them: each source once, with every quote from it."""

from __future__ import annotations

from collections.abc import Iterable

from bot.answers import SourceRef


def group_sources(sources: Iterable[SourceRef]) -> list[tuple[SourceRef, list[str]]]:
    """Sources in the order first cited, each with its quotes in order (none repeated)."""
    groups: dict[str, tuple[SourceRef, list[str]]] = {}
    for ref in sources:
        _first, quotes = groups.setdefault(ref.id or ref.url or ref.title, (ref, []))
        if ref.quote and ref.quote not in quotes:
            quotes.append(ref.quote)
    return list(groups.values())
