"""Every message exists in English and Spanish, and labels fit Discord's limits in both."""

from __future__ import annotations

from string import Formatter

import pytest

from bot.i18n import MESSAGES, t
from cogs.faq import ENTRY_FIELDS, SPANISH_FIELDS

LANGS = ("en", "es")
MODAL_TITLE, INPUT_LABEL, BUTTON_LABEL, SELECT_PLACEHOLDER = 45, 45, 80, 150
LIMITS = {
    "add_title": MODAL_TITLE,
    "translate_title": MODAL_TITLE,
    **{label: INPUT_LABEL for _cid, label, *_rest in ENTRY_FIELDS + SPANISH_FIELDS},
    "confirm": BUTTON_LABEL,
    "cancel": BUTTON_LABEL,
    "gap_create": BUTTON_LABEL,
    "gaps_placeholder": SELECT_PLACEHOLDER,
}
# Labels that carry an entry id are clipped to the limit; their fixed words must leave room.
WITH_ID = {"edit_title": MODAL_TITLE, "gap_add_phrasing": BUTTON_LABEL}
ROOM_FOR_ID = 20


def placeholders(template: str) -> set[str]:
    """The `{names}` a template is formatted with (format specs aside)."""
    return {name for _text, name, _spec, _conv in Formatter().parse(template) if name}


def test_every_message_has_both_languages_with_the_same_placeholders() -> None:
    bad = [
        key
        for key, texts in MESSAGES.items()
        if set(texts) != set(LANGS)
        or not all(texts[lang].strip() for lang in LANGS)
        or placeholders(texts["en"]) != placeholders(texts["es"])
    ]
    assert bad == []


@pytest.mark.parametrize("lang", LANGS)
def test_labels_fit_discords_limits(lang: str) -> None:
    for key, limit in LIMITS.items():
        assert 0 < len(t(key, lang)) <= limit, (key, lang, t(key, lang))
    for key, limit in WITH_ID.items():
        assert len(t(key, lang, entry_id="")) <= limit - ROOM_FOR_ID, (key, lang)
