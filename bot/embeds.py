"""Turn the core's `Answer` into Discord embeds and buttons (the only Discord-aware rendering)."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.answers import Answer, SourceRef, Suggestion
from bot.citations import group_sources
from bot.i18n import t
from bot.text import detect_language

ANSWER_COLOUR = discord.Colour.dark_green()
DECLINE_COLOUR = discord.Colour.light_grey()
SPANISH_LOCALES = frozenset({discord.Locale.spain_spanish, discord.Locale.latin_american_spanish})
EMBED_CHARS, EMBED_FIELDS = 6000, 25  # Discord's limits for one embed
FIELD_CHARS = 1024  # ... and for one field's value


def clip(text: str, limit: int) -> str:
    """Cut text to Discord's field limits, marking the cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def shown_back(text: str, limit: int) -> str:
    """Text a user typed, shown to someone else: cut to `limit`, with its markdown (masked
    links, formatting) escaped so it reads as typed and links nothing."""
    return discord.utils.escape_markdown(clip(text, limit))


def choose_language(locale: discord.Locale | None, question: str) -> str:
    """A Spanish client locale or a Spanish question gets Spanish; anything else English."""
    if locale in SPANISH_LOCALES:
        return "es"
    return detect_language(question) if question.strip() else "en"


def answer_embed(answer: Answer) -> discord.Embed:
    """The embed for an answer: question, answer, note, sources with quotes, confidence."""
    lang = answer.lang
    if not answer.answered:
        text, heading = answer.declined_text()
        colour = ANSWER_COLOUR if answer.kind is not None else DECLINE_COLOUR
        embed = discord.Embed(description=text, colour=colour)
        if answer.suggestions:
            embed.add_field(
                name=heading,
                value=clip("\n".join(f"• {s.question}" for s in answer.suggestions), FIELD_CHARS),
                inline=False,
            )
        return embed
    embed = discord.Embed(
        title=clip(answer.matched_question or "", 256),
        description=clip(answer.answer, 4096),
        colour=ANSWER_COLOUR,
    )
    if answer.note:
        embed.add_field(name=t("note", lang), value=clip(answer.note, FIELD_CHARS), inline=False)
    footer = f"{t('confidence', lang)}: {answer.confidence:.0%} · {t('entry_footer', lang, entry_id=answer.id)}"
    if answer.origin not in (None, "shared"):
        footer += f" · {t('server_entry', lang)}"
    embed.set_footer(text=footer)
    _add_sources(embed, answer)
    return embed


def _add_sources(embed: discord.Embed, answer: Answer) -> None:
    """One field per source, with all its quotes; when Discord's limits leave no room for
    the rest, a last field says how many are not shown."""
    lang = answer.lang
    groups = group_sources(answer.sources)
    for i, (src, quotes) in enumerate(groups):
        name = f"{t('sources', lang)} {i + 1}: {clip(src.outlet, 200)}"
        value = _source_text(src, quotes, lang)
        more = t("more_sources", lang, count=len(groups) - i)
        room_for_more = len(t("sources", lang)) + len(more) if i < len(groups) - 1 else 0
        if (
            len(embed.fields) >= EMBED_FIELDS - 1
            or len(embed) + len(name) + len(value) + room_for_more > EMBED_CHARS
        ):
            embed.add_field(name=t("sources", lang), value=more, inline=False)
            return
        embed.add_field(name=name, value=value, inline=False)


def _source_text(src: SourceRef, quotes: list[str], lang: str) -> str:
    """A source's field: its link, date and as many of its quotes as fit whole in Discord's
    1,024 characters, then how many more there are (a quote cut short misquotes)."""
    link = (
        f"[{clip(src.title, 200)}]({src.url})" if src.url else f"{src.title} ({t('no_link', lang)})"
    )
    lines = [link]
    if src.published:
        lines.append(f"{t('published', lang)}: {src.published}")
    if not src.checked:
        lines.append(f"*{t('unchecked_link', lang)}*")
    if quotes:
        lines.append(f"{t('quote_label', lang)}:")
    shown = [f"> {clip(_escape_quote(q), 700)}" for q in quotes]
    for kept in range(len(shown), 1, -1):
        more = [t("more_quotes", lang, count=len(shown) - kept)] if kept < len(shown) else []
        text = "\n".join([*lines, *shown[:kept], *more])
        if len(text) <= FIELD_CHARS:
            return text
    more = [t("more_quotes", lang, count=len(shown) - 1)] if len(shown) > 1 else []
    return clip("\n".join([*lines, *shown[:1], *more]), FIELD_CHARS)


def _escape_quote(text: str) -> str:
    return discord.utils.escape_markdown(" ".join(text.split()))


class ShowEntryButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"steward:show:(?P<lang>en|es):(?P<id>[a-z0-9-]{1,64})",
):
    """A button that shows one FAQ entry to whoever presses it (works after restarts)."""

    def __init__(self, entry_id: str, lang: str, label: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=clip(label, 80),
                style=discord.ButtonStyle.secondary,
                custom_id=f"steward:show:{lang}:{entry_id}",
            )
        )
        self.entry_id = entry_id
        self.lang = lang

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> ShowEntryButton:
        """Rebuild the button from its custom_id."""
        return cls(match["id"], match["lang"], getattr(item, "label", None) or match["id"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Answer the presser privately with the entry."""
        bot = interaction.client
        guild = str(interaction.guild_id) if interaction.guild_id else None
        entry = bot.engine.entry(self.entry_id, guild)
        if entry is None:
            await interaction.response.send_message(
                t("unknown_entry", self.lang, entry_id=self.entry_id), ephemeral=True
            )
            return
        answer = bot.engine.render(entry, self.lang, guild=guild)
        await interaction.response.send_message(
            embed=answer_embed(answer),
            view=answer_view(answer) or discord.utils.MISSING,
            ephemeral=True,
        )


def answer_view(answer: Answer) -> discord.ui.View | None:
    """Buttons for "did you mean" suggestions or related entries (up to 3 each)."""
    items: list[Suggestion] = list(answer.suggestions[:3]) + list(answer.related[:3])
    if not items:
        return None
    view = discord.ui.View(timeout=None)
    for s in items:
        view.add_item(ShowEntryButton(s.id, answer.lang, s.question))
    return view
