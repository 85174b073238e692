"""/faq: browse entries (everyone) and keep the server's FAQ current (moderators)."""

from __future__ import annotations

import io
import math
import secrets
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.embeds import answer_embed, answer_view, choose_language, clip, shown_back
from bot.i18n import t
from bot.knowledge import Entry
from bot.permissions import (
    NotAllowed,
    Scope,
    locale_language,
    report_error,
    require_moderator,
    scope_for_entry,
)
from bot.respond import quick, send_update, within_window
from bot.store import ImportPlan, StoreError, entry_to_form, fingerprint, form_to_data
from bot.yamlsafe import MAX_YAML_BYTES

if TYPE_CHECKING:
    from bot.client import StewardBot

PAGE_SIZE = 10
Inter = discord.Interaction["StewardBot"]


async def reply(interaction: Inter, content: str | None = None, **kwargs: Any) -> None:
    """Answer privately, whether or not the interaction was answered already."""
    kwargs.setdefault("ephemeral", True)
    kwargs.setdefault("allowed_mentions", discord.AllowedMentions.none())
    if interaction.response.is_done():
        await interaction.followup.send(content or discord.utils.MISSING, **kwargs)
    else:
        await interaction.response.send_message(content, **kwargs)


def refusal(exc: StoreError, lang: str) -> str:
    """A store refusal in `lang`, listing every problem."""
    return clip(exc.message(lang), 1900)


def actor_name(actor_id: str | None, lang: str) -> str:
    """Who made a recorded change (a mention, or a note that the user was forgotten)."""
    return f"<@{actor_id}>" if actor_id else t("forgotten_actor", lang)


class ReportingModal(discord.ui.Modal):
    """A modal whose refusals and errors are answered like a command's."""

    async def on_error(self, interaction: Inter, error: Exception) -> None:  # type: ignore[override]
        """Show a refusal; log anything else."""
        await report_error(interaction, error)


class ReportingView(discord.ui.View):
    """A view whose refusals and errors are answered like a command's."""

    async def on_error(
        self, interaction: discord.Interaction[Any], error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        """Show a refusal; log anything else."""
        await report_error(interaction, error)


Field = tuple[str, str, discord.TextStyle, int, bool]  # custom_id, label key, style, max, required
SHORT, LONG = discord.TextStyle.short, discord.TextStyle.paragraph
QUESTION_FIELD_CHARS = 150  # what the knowledge format allows a question
ENTRY_FIELDS: list[Field] = [
    ("question", "field_question", SHORT, QUESTION_FIELD_CHARS, True),
    ("alternates", "field_alternates", LONG, 4000, False),
    ("answer", "field_answer", LONG, 1000, True),
    ("sources", "field_sources", LONG, 4000, True),
    ("note", "field_note", LONG, 600, False),
]
SPANISH_FIELDS: list[Field] = [
    ("question", "field_es_question", SHORT, 150, True),
    ("alternates", "field_es_alternates", LONG, 4000, False),
    ("answer", "field_es_answer", LONG, 1000, True),
    ("note", "field_es_note", LONG, 600, False),
]


class FormTooLong(Exception):
    """A pre-filled value longer than its field: Discord refuses such a form, and a cut value
    would be saved cut."""

    def __init__(self, label_key: str, length: int, limit: int) -> None:
        super().__init__(label_key)
        self.label_key, self.length, self.limit = label_key, length, limit

    def message(self, lang: str) -> str:
        """What the moderator is told, in `lang`."""
        field = t(self.label_key, lang)
        return t("form_too_long", lang, field=field, length=self.length, limit=self.limit)


class FormModal(ReportingModal):
    """A form of text inputs (add/edit: custom_ids as in the contract; Spanish text).
    `FormTooLong` when a value does not fit its field."""

    def __init__(
        self,
        title: str,
        fields: list[Field],
        on_submit: Callable[[Inter, dict[str, str]], Awaitable[None]],
        custom_id: str,
        lang: str,
        values: dict[str, str] | None = None,
    ) -> None:
        super().__init__(title=clip(title, 45), custom_id=custom_id, timeout=900)
        values = values or {}
        self._handler = on_submit
        self.inputs: dict[str, discord.ui.TextInput[Any]] = {}
        for cid, label_key, style, max_len, required in fields:
            if len(values.get(cid) or "") > max_len:
                raise FormTooLong(label_key, len(values[cid]), max_len)
            field: discord.ui.TextInput[Any] = discord.ui.TextInput(
                label=t(label_key, lang),
                custom_id=cid,
                style=style,
                max_length=max_len,
                required=required,
                default=values.get(cid) or None,
            )
            self.inputs[cid] = field
            self.add_item(field)

    async def on_submit(self, interaction: Inter) -> None:  # type: ignore[override]
        """Pass the fields to the handler, which checks permissions again."""
        await self._handler(interaction, {k: v.value or "" for k, v in self.inputs.items()})


class OwnedView(ReportingView):
    """A view only the user who opened it may use (others are told so, privately)."""

    def __init__(self, owner_id: int, timeout: float) -> None:
        super().__init__(timeout=timeout)
        self.owner_id = owner_id

    async def interaction_check(self, interaction: Inter) -> bool:  # type: ignore[override]
        """Only the user who started it may press."""
        if interaction.user.id != self.owner_id:
            await reply(interaction, t("not_yours", locale_language(interaction)))
            return False
        return True


class Confirm(OwnedView):
    """Confirm / cancel for the user who asked; the action re-checks permissions."""

    def __init__(
        self, owner_id: int, action: Callable[[Inter], Awaitable[None]], lang: str
    ) -> None:
        super().__init__(owner_id, timeout=300)
        self.action = action
        self.confirm.label = t("confirm", lang)
        self.cancel.label = t("cancel", lang)

    @discord.ui.button(style=discord.ButtonStyle.danger, custom_id="steward:confirm")
    async def confirm(self, interaction: Inter, _button: discord.ui.Button[Any]) -> None:
        """Run the action once."""
        self.stop()
        await self.action(interaction)

    @discord.ui.button(style=discord.ButtonStyle.secondary, custom_id="steward:cancel")
    async def cancel(self, interaction: Inter, _button: discord.ui.Button[Any]) -> None:
        """Do nothing."""
        self.stop()
        await interaction.response.edit_message(
            content=t("cancelled", locale_language(interaction)), view=None, embed=None
        )


class Pager(OwnedView):
    """Previous / next pages of the entry list, for the user who asked."""

    def __init__(self, owner_id: int, pages: list[discord.Embed]) -> None:
        super().__init__(owner_id, timeout=600)
        self.pages = pages
        self.index = 0
        self._sync()

    def _sync(self) -> None:
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index >= len(self.pages) - 1

    @discord.ui.button(
        label="◀", style=discord.ButtonStyle.secondary, custom_id="steward:page:prev"
    )
    async def previous(self, interaction: Inter, _button: discord.ui.Button[Any]) -> None:
        """Show the previous page."""
        self.index = max(0, self.index - 1)
        self._sync()
        await interaction.response.edit_message(embed=self.pages[self.index], view=self)

    @discord.ui.button(
        label="▶", style=discord.ButtonStyle.secondary, custom_id="steward:page:next"
    )
    async def next(self, interaction: Inter, _button: discord.ui.Button[Any]) -> None:
        """Show the next page."""
        self.index = min(len(self.pages) - 1, self.index + 1)
        self._sync()
        await interaction.response.edit_message(embed=self.pages[self.index], view=self)


class GapActions(OwnedView):
    """For one unanswered question: add it as a phrasing of an entry, or create an entry."""

    def __init__(self, cog: Faq, owner_id: int, text: str, targets: list[Entry], lang: str) -> None:
        super().__init__(owner_id, timeout=600)
        self.cog, self.text = cog, text
        for entry in targets[:4]:
            button: discord.ui.Button[Any] = discord.ui.Button(
                label=clip(t("gap_add_phrasing", lang, entry_id=entry.id), 80),
                style=discord.ButtonStyle.primary,
                custom_id=f"steward:gapalias:{entry.id}",
            )
            button.callback = self._alias_callback(entry.id)  # type: ignore[method-assign, assignment]
            self.add_item(button)
        create: discord.ui.Button[Any] = discord.ui.Button(
            label=t("gap_create", lang),
            style=discord.ButtonStyle.success,
            custom_id="steward:gapnew",
        )
        create.callback = self._create  # type: ignore[method-assign, assignment]
        self.add_item(create)

    def _alias_callback(self, entry_id: str) -> Callable[[Inter], Awaitable[None]]:
        async def callback(interaction: Inter) -> None:
            scope = await require_moderator(interaction)
            try:
                await within_window(
                    interaction,
                    interaction.client.store.alias(
                        scope.key, entry_id, self.text, interaction.user.id
                    ),
                    ephemeral=True,
                )
            except StoreError as exc:
                await reply(interaction, refusal(exc, locale_language(interaction)))
                return
            await interaction.client.records.drop_gap(scope.key, self.text)
            await reply(
                interaction,
                t(
                    "alias_added",
                    locale_language(interaction),
                    phrasing=shown_back(self.text, 200),
                    entry_id=entry_id,
                ),
                suppress_embeds=True,
            )

        return callback

    async def _create(self, interaction: Inter) -> None:
        await require_moderator(interaction)
        # a gap is kept as normalised text, up to 300 characters: a question starts with a
        # capital, and what the form's question field cannot hold is cut where the moderator
        # sees it (a new entry: nothing saved is lost)
        question = clip(self.text[:1].upper() + self.text[1:], QUESTION_FIELD_CHARS)
        await interaction.response.send_modal(
            self.cog.add_modal(interaction, {"question": question})
        )


class Faq(commands.GroupCog, group_name="faq", group_description=_("Browse and keep the FAQ")):
    """Everyone may show and list entries; moderators change their server's entries."""

    def __init__(self, bot: StewardBot) -> None:
        self.bot = bot
        super().__init__()

    async def interaction_check(self, interaction: Inter) -> bool:  # type: ignore[override]
        """A server whose FAQ file could not be loaded: tell its moderators why, on any /faq
        (they cannot change the FAQ until it is fixed); everyone else sees the shared entries."""
        if interaction.guild_id is None:
            return True
        problem = self.bot.store.retry_unloaded(str(interaction.guild_id))
        if problem is None:
            return True
        try:
            await require_moderator(interaction)
        except NotAllowed:
            return True
        raise NotAllowed(refusal(problem, locale_language(interaction)))

    # -- everyone -------------------------------------------------------------------------

    async def entry_autocomplete(
        self, interaction: Inter, current: str
    ) -> list[app_commands.Choice[str]]:
        """Entries by id or question for what has been typed."""
        guild = str(interaction.guild_id) if interaction.guild_id else None
        lang = choose_language(interaction.locale, current)
        return await quick(
            self.bot.worker,
            lambda: self._entry_choices(current, guild, lang),
            lambda: self._entry_choices("", guild, lang),  # the first entries
        )

    def _entry_choices(
        self, current: str, guild: str | None, lang: str
    ) -> list[app_commands.Choice[str]]:
        found = self.bot.engine.suggest(current, guild, lang=lang, silent=True)
        needle = current.strip().casefold()
        by_id = [e for e in self.bot.engine.entries(guild) if needle and needle in e.id][:25]
        seen: set[str] = set()
        choices: list[app_commands.Choice[str]] = []
        for entry_id, question in [(e.id, e.text(lang)[0]) for e in by_id] + [
            (s.id, s.question) for s in found
        ]:
            if entry_id not in seen:
                seen.add(entry_id)
                choices.append(
                    app_commands.Choice(name=clip(f"{question} ({entry_id})", 100), value=entry_id)
                )
        return choices[:25]

    @app_commands.command(name=_("show"), description=_("Show one FAQ entry"))
    @app_commands.describe(entry=_("The entry (start typing to search)"))
    async def show(self, interaction: Inter, entry: str) -> None:
        """/faq show entry"""
        lang = locale_language(interaction)
        guild = str(interaction.guild_id) if interaction.guild_id else None
        found = self.bot.engine.entry(entry, guild)
        if found is None:
            await reply(interaction, t("unknown_entry", lang, entry_id=clip(entry, 64)))
            return
        answer = self.bot.engine.render(found, lang, guild=guild)
        await reply(
            interaction,
            embed=answer_embed(answer),
            view=answer_view(answer) or discord.utils.MISSING,
            ephemeral=False,
        )

    show.autocomplete("entry")(entry_autocomplete)

    @app_commands.command(name=_("list"), description=_("Browse the FAQ entries"))
    async def list_entries(self, interaction: Inter) -> None:
        """/faq list with previous/next buttons."""
        lang = locale_language(interaction)
        guild = str(interaction.guild_id) if interaction.guild_id else None
        entries = self.bot.engine.entries(guild)
        pages_count = max(1, math.ceil(len(entries) / PAGE_SIZE))
        pages = []
        for p in range(pages_count):
            chunk = entries[p * PAGE_SIZE : (p + 1) * PAGE_SIZE]
            embed = discord.Embed(
                title=t("list_title", lang),
                colour=discord.Colour.dark_green(),
                description=clip("\n".join(f"`{e.id}` {e.text(lang)[0]}" for e in chunk), 4096),
            )
            embed.set_footer(text=t("page", lang, page=p + 1, pages=pages_count))
            pages.append(embed)
        view = Pager(interaction.user.id, pages)
        await reply(interaction, embed=pages[0], view=view)

    # -- moderators: add and edit ---------------------------------------------------------

    async def _save_and_show(
        self,
        inter: Inter,
        save: Awaitable[Entry],
        message_key: str,
        lang: str,
        guild: str | None,
        *,
        shown_in: str | None = None,
    ) -> None:
        """Run a form's save; reply with the refusal, or the confirmation and the saved entry
        (rendered in `shown_in`, default the moderator's language)."""
        try:
            saved = await within_window(inter, save, ephemeral=True)
        except StoreError as exc:
            await reply(inter, refusal(exc, lang))
            return
        await reply(
            inter,
            t(message_key, lang, entry_id=saved.id),
            embed=answer_embed(self.bot.engine.render(saved, shown_in or lang, guild=guild)),
        )

    def add_modal(self, interaction: Inter, values: dict[str, str] | None = None) -> FormModal:
        """The empty (or pre-filled) form for a new entry, in the language of `interaction`."""

        async def submit(inter: Inter, fields: dict[str, str]) -> None:
            scope = await require_moderator(inter)
            lang = locale_language(inter)
            data = form_to_data("", **fields)
            await self._save_and_show(
                inter,
                self.bot.store.add(scope.key, data, inter.user.id),
                "added",
                lang,
                scope.guild,
            )

        lang = locale_language(interaction)
        return FormModal(
            t("add_title", lang),
            ENTRY_FIELDS,
            submit,
            custom_id=f"steward:add:{secrets.token_hex(4)}",
            lang=lang,
            values=values,
        )

    @app_commands.command(
        name=_("add"), description=_("Add an entry to this server's FAQ (moderators)")
    )
    async def add(self, interaction: Inter) -> None:
        """/faq add: opens the entry form. A shared entry needs its Spanish text, which the form
        cannot hold: owners add those to the knowledge files and run /steward reload."""
        await require_moderator(interaction)
        await interaction.response.send_modal(self.add_modal(interaction))

    @app_commands.command(
        name=_("edit"), description=_("Edit one of this server's entries (moderators)")
    )
    @app_commands.describe(entry=_("The entry (start typing to search)"))
    async def edit(self, interaction: Inter, entry: str) -> None:
        """/faq edit entry: the same form, filled in; refused if the entry changes meanwhile."""
        _scope, current = await scope_for_entry(interaction, entry)
        version = fingerprint(current)

        async def submit(inter: Inter, fields: dict[str, str]) -> None:
            again, _latest = await scope_for_entry(inter, entry)
            lang = locale_language(inter)
            data = form_to_data(entry, **fields)
            await self._save_and_show(
                inter,
                self.bot.store.edit(again.key, entry, data, inter.user.id, version),
                "saved",
                lang,
                again.guild,
            )

        lang = locale_language(interaction)
        try:
            modal = FormModal(
                t("edit_title", lang, entry_id=entry),
                ENTRY_FIELDS,
                submit,
                custom_id=f"steward:edit:{entry}:{version}:{secrets.token_hex(4)}",
                lang=lang,
                values=entry_to_form(current),
            )
        except FormTooLong as exc:
            await reply(interaction, exc.message(lang))
            return
        await interaction.response.send_modal(modal)

    edit.autocomplete("entry")(entry_autocomplete)

    @app_commands.command(
        name=_("translate"), description=_("Add or edit the Spanish text of an entry (moderators)")
    )
    @app_commands.describe(entry=_("The entry (start typing to search)"))
    async def translate(self, interaction: Inter, entry: str) -> None:
        """/faq translate entry: the Spanish question, phrasings, answer and note."""
        _scope, current = await scope_for_entry(interaction, entry)
        version = fingerprint(current)
        tr = current.translations.get("es")
        values = (
            {
                "question": tr.question,
                "alternates": "\n".join(tr.alternates),
                "answer": tr.answer,
                "note": tr.note or "",
            }
            if tr
            else {}
        )

        async def submit(inter: Inter, fields: dict[str, str]) -> None:
            again, _latest = await scope_for_entry(inter, entry)
            lang = locale_language(inter)
            await self._save_and_show(
                inter,
                self.bot.store.set_translation(
                    again.key, entry, "es", fields, inter.user.id, version
                ),
                "saved_spanish",
                lang,
                again.guild,
                shown_in="es",
            )

        lang = locale_language(interaction)
        try:
            modal = FormModal(
                t("translate_title", lang),
                SPANISH_FIELDS,
                submit,
                custom_id=f"steward:tr:{entry}:{version}:{secrets.token_hex(4)}",
                lang=lang,
                values=values,
            )
        except FormTooLong as exc:
            await reply(interaction, exc.message(lang))
            return
        await interaction.response.send_modal(modal)

    translate.autocomplete("entry")(entry_autocomplete)

    # -- moderators: remove, alias --------------------------------------------------------

    @app_commands.command(
        name=_("remove"), description=_("Remove one of this server's entries (moderators)")
    )
    @app_commands.describe(entry=_("The entry (start typing to search)"))
    async def remove(self, interaction: Inter, entry: str) -> None:
        """/faq remove entry, after a confirm button."""
        await scope_for_entry(interaction, entry)

        async def do_remove(inter: Inter) -> None:
            scope, _current = await scope_for_entry(inter, entry)
            lang = locale_language(inter)
            try:
                await within_window(
                    inter, self.bot.store.remove(scope.key, entry, inter.user.id), update=True
                )
            except StoreError as exc:
                await send_update(inter, content=refusal(exc, lang), view=None)
                return
            await send_update(inter, content=t("removed", lang, entry_id=entry), view=None)

        lang = locale_language(interaction)
        await reply(
            interaction,
            t("remove_confirm", lang, entry_id=entry),
            view=Confirm(interaction.user.id, do_remove, lang),
        )

    remove.autocomplete("entry")(entry_autocomplete)

    @app_commands.command(
        name=_("alias"), description=_("Add another way to ask an entry's question (moderators)")
    )
    @app_commands.describe(
        entry=_("The entry (start typing to search)"), phrasing=_("The new phrasing")
    )
    async def alias(
        self, interaction: Inter, entry: str, phrasing: app_commands.Range[str, 1, 150]
    ) -> None:
        """/faq alias entry phrasing"""
        scope, _current = await scope_for_entry(interaction, entry)
        lang = locale_language(interaction)
        try:
            await within_window(
                interaction,
                self.bot.store.alias(scope.key, entry, phrasing, interaction.user.id),
                ephemeral=True,
            )
        except StoreError as exc:
            await reply(interaction, refusal(exc, lang))
            return
        await reply(interaction, t("alias_added", lang, phrasing=phrasing, entry_id=entry))

    alias.autocomplete("entry")(entry_autocomplete)

    # -- moderators: export and import ----------------------------------------------------

    @app_commands.command(
        name=_("export"), description=_("Download this server's entries as YAML (moderators)")
    )
    async def export(self, interaction: Inter) -> None:
        """/faq export: the server's entries as a YAML attachment."""
        scope = await require_moderator(interaction)
        text = await within_window(
            interaction, self.bot.worker.run(self.bot.store.export, scope.key), ephemeral=True
        )
        count = len(self.bot.engine.guild_entries(scope.key))
        file = discord.File(io.BytesIO(text.encode("utf-8")), filename=f"faq-{scope.key}.yaml")
        await reply(
            interaction, t("exported", locale_language(interaction), count=count), file=file
        )

    @app_commands.command(
        name=_("import"),
        description=_(
            "Add or update this server's entries from a YAML file, after a preview (moderators)"
        ),
    )
    @app_commands.describe(file=_("A YAML file in the FAQ format"))
    async def import_(self, interaction: Inter, file: discord.Attachment) -> None:
        """/faq import file: validate everything, preview the changes, apply on confirm."""
        scope = await require_moderator(interaction)
        lang = locale_language(interaction)
        if file.size > MAX_YAML_BYTES:
            await reply(interaction, t("import_too_big", lang, size=file.size))
            return
        if not file.filename.lower().endswith((".yaml", ".yml", ".txt")):
            await reply(interaction, t("import_not_yaml", lang))
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            raw = await file.read()
            text = raw.decode("utf-8")
        except (discord.HTTPException, UnicodeDecodeError) as exc:
            failed = (
                "import_not_utf8"
                if isinstance(exc, UnicodeDecodeError)
                else "import_download_failed"
            )
            await reply(interaction, t(failed, lang))
            return
        try:
            plan = await self.bot.worker.run(self.bot.store.plan_import, scope.key, text)
        except StoreError as exc:
            await reply(interaction, refusal(exc, lang))
            return
        await reply(
            interaction,
            embed=_plan_embed(plan, lang),
            view=Confirm(interaction.user.id, self._apply_import(plan), lang),
        )

    def _apply_import(self, plan: ImportPlan) -> Callable[[Inter], Awaitable[None]]:
        async def apply(inter: Inter) -> None:
            await require_moderator(inter)
            lang = locale_language(inter)
            try:
                await within_window(
                    inter, self.bot.store.apply_import(plan, inter.user.id), update=True
                )
            except StoreError as exc:
                await send_update(inter, content=refusal(exc, lang), view=None, embed=None)
                return
            done = t("imported", lang, added=len(plan.added), changed=len(plan.changed))
            await send_update(inter, content=done, view=None, embed=None)

        return apply

    # -- moderators: gaps, history, revert ------------------------------------------------

    @app_commands.command(
        name=_("gaps"),
        description=_("Questions the bot could not answer here, most frequent first (moderators)"),
    )
    async def gaps(self, interaction: Inter) -> None:
        """/faq gaps, with a menu to act on one."""
        scope = await require_moderator(interaction)
        lang = locale_language(interaction)
        gaps = await within_window(interaction, self.bot.records.gaps(scope.key), ephemeral=True)
        if not gaps:
            await reply(interaction, t("no_gaps", lang))
            return
        lines = [
            t("gap_line", lang, count=g.count, text=shown_back(g.text, 150), date=g.last_seen[:10])
            for g in gaps
        ]
        embed = discord.Embed(title=t("gaps_title", lang), description=clip("\n".join(lines), 4096))
        embed.set_footer(text=t("gaps_footer", lang))
        select: discord.ui.Select[Any] = discord.ui.Select(
            placeholder=t("gaps_placeholder", lang),
            custom_id="steward:gaps",
            options=[
                discord.SelectOption(label=clip(g.text, 100), value=str(i))
                for i, g in enumerate(gaps[:25])
            ],
        )

        async def chosen(inter: Inter) -> None:
            again = await require_moderator(inter)
            text = gaps[int(select.values[0])].text
            ranked = await within_window(
                inter,
                self.bot.worker.run(
                    lambda: self.bot.engine.matcher.match(text, [again.key]).candidates
                ),
                ephemeral=True,
            )
            targets = [
                e
                for c in ranked
                if (e := self.bot.engine.entry(c.entry_id, again.key)) and e.origin == again.key
            ]
            actions = GapActions(self, inter.user.id, text, targets, locale_language(inter))
            await reply(inter, f"“{shown_back(text, 300)}”", view=actions, suppress_embeds=True)

        select.callback = chosen  # type: ignore[method-assign, assignment]
        view = ReportingView(timeout=600)
        view.add_item(select)
        await reply(interaction, embed=embed, view=view)

    @app_commands.command(name=_("history"), description=_("Every change to an entry (moderators)"))
    @app_commands.describe(entry=_("The entry (start typing to search)"))
    async def history(self, interaction: Inter, entry: str) -> None:
        """/faq history entry"""
        scope = await require_moderator(interaction)
        found = self.bot.engine.entry(entry, scope.key)
        key = "shared" if found is not None and found.origin == "shared" else scope.key
        lang = locale_language(interaction)
        changes = await self.bot.records.history(key, entry)
        if not changes:
            await reply(interaction, t("no_history", lang, entry_id=clip(entry, 64)))
            return
        lines = [
            f"**v{c.version}** {t(f'action_{c.action}', lang)} · "
            f"{c.at[:16].replace('T', ' ')} UTC · {actor_name(c.actor_id, lang)}"
            for c in changes[-25:]
        ]
        embed = discord.Embed(
            title=clip(t("history_title", lang, entry_id=entry), 256), description="\n".join(lines)
        )
        embed.set_footer(text=t("history_footer", lang))
        await reply(interaction, embed=embed)

    history.autocomplete("entry")(entry_autocomplete)

    @app_commands.command(
        name=_("revert"), description=_("Restore an entry to an earlier version (moderators)")
    )
    @app_commands.describe(
        entry=_("The entry (start typing to search)"),
        version=_("The version number from /faq history"),
    )
    async def revert(
        self, interaction: Inter, entry: str, version: app_commands.Range[int, 1, 1_000_000]
    ) -> None:
        """/faq revert entry version"""
        scope = await require_moderator(interaction)
        current = self.bot.engine.entry(entry, scope.key)
        target: Scope = scope
        if current is not None and current.origin == "shared":
            target, _c = await scope_for_entry(interaction, entry)
        lang = locale_language(interaction)
        try:
            restored = await within_window(
                interaction,
                self.bot.store.revert(target.key, entry, version, interaction.user.id),
                ephemeral=True,
            )
        except StoreError as exc:
            await reply(interaction, refusal(exc, lang))
            return
        if restored is None:
            await reply(interaction, t("reverted_removed", lang, entry_id=entry, version=version))
        else:
            await reply(
                interaction,
                t("reverted", lang, entry_id=entry, version=version),
                embed=answer_embed(self.bot.engine.render(restored, lang, guild=target.guild)),
            )

    revert.autocomplete("entry")(entry_autocomplete)


def _plan_embed(plan: ImportPlan, lang: str) -> discord.Embed:
    def names(ids: tuple[str, ...]) -> str:
        return clip(", ".join(f"`{i}`" for i in ids), 1000) if ids else t("import_none", lang)

    embed = discord.Embed(
        title=t("import_preview_title", lang), description=t("import_preview_description", lang)
    )
    for key, ids in (
        ("import_added", plan.added),
        ("import_changed", plan.changed),
    ):
        embed.add_field(name=t(key, lang, count=len(ids)), value=names(ids), inline=False)
    embed.set_footer(text=t("import_unchanged", lang, count=len(plan.unchanged)))
    return embed


async def setup(bot: StewardBot) -> None:
    """Load the cog."""
    await bot.add_cog(Faq(bot))
