"""Moderators keep their server's FAQ current, end to end through the loopback stand-in."""

from __future__ import annotations

import asyncio

import discord
import yaml

from bot.knowledge import parse_entries
from tests.conftest import GUILD_A, GUILD_B, TOKEN
from tests.discord_standin import running

MOD_PERMS = discord.Permissions(manage_guild=True, view_channel=True, send_messages=True).value
MEETING_Q = "When is our store's union meeting?"
STRIKE_FUND = {
    "id": "strike-fund",
    "question": "Do we have a strike fund?",
    "answer": "Yes: ask a steward how to pay in.",
    "sources": [{"url": "https://example.org/fund"}],
}
MEETING_FORM = {
    "question": MEETING_Q,
    "alternates": "union meeting time\nwhen do we meet as a union",
    "answer": "Our store's union meeting is every first Monday at 6 pm in the back room.",
    "sources": "https://example.org/sbwu-meetings Meeting notes\n"
    "blavity-roundtable | Laura Garza of Starbucks Workers United",
    "note": "",
}


SPANISH = "es-419"  # a Latin-American Spanish Discord client


def content(ex) -> str:
    """The text of a reply (of an interaction exchange, or of a recorded follow-up)."""
    return ex.data.get("content") or ""


def final_content(ex) -> str:
    """What the user finally sees: the reply, or the follow-up or edit after a deferral."""
    if ex.type != 5:
        return content(ex)
    later = [*ex.followups, *ex.edits]
    return (later[-1].json.get("content") or "") if later else ""


def components(data) -> list[dict]:
    """The components of a message or modal, out of their action rows."""
    return [c for row in data.get("components") or [] for c in row["components"]]


async def open_add(standin, steward, user_id=None, perms=MOD_PERMS, guild=GUILD_A, locale="en-US"):
    payload = standin.slash_command(
        "faq add", guild_id=guild, user_id=user_id, permissions=perms, locale=locale
    )
    if perms is None:  # refused: the command does not complete
        return await standin.interact(payload)
    return await standin.run_app_command(steward, payload)


async def add_entry(standin, steward, form=MEETING_FORM, guild=GUILD_A):
    ex = await open_add(standin, steward, guild=guild)
    assert ex.type == 9, ex.data
    return await standin.interact(
        standin.modal_submit(ex.data["custom_id"], form, guild_id=guild, permissions=MOD_PERMS)
    )


async def ask(standin, steward, question, guild=GUILD_A):
    ex = await standin.run_app_command(
        steward, standin.slash_command("ask", {"question": question}, guild_id=guild)
    )
    return ex.data["embeds"][0]


def server_file(steward, guild=GUILD_A):
    return steward.store.path(str(guild))


async def test_non_moderator_is_refused_everywhere(standin, steward):
    ex = await open_add(standin, steward, perms=None)  # @everyone's permissions
    assert ex.type == 4 and ex.ephemeral and "Only moderators" in content(ex)
    # A forged modal submit from a non-moderator is refused too (checked on submit).
    opened = await open_add(standin, steward)
    forged = await standin.interact(
        standin.modal_submit(opened.data["custom_id"], MEETING_FORM, guild_id=GUILD_A)
    )
    assert "Only moderators" in content(forged)
    assert not server_file(steward).exists()
    for cmd, opts in [
        ("faq export", {}),
        ("faq gaps", {}),
        ("faq alias", {"entry": "eo-14025-what", "phrasing": "x y z"}),
        ("steward config", {"private_default": True}),
    ]:
        refused = await standin.interact(standin.slash_command(cmd, opts, guild_id=GUILD_A))
        assert refused.ephemeral and "Only" in content(refused), cmd


async def test_moderator_adds_and_only_that_server_sees_it(standin, steward):
    opened = await open_add(standin, steward)
    inputs = [c["custom_id"] for row in opened.data["components"] for c in row["components"]]
    assert inputs[:4] == ["question", "alternates", "answer", "sources"]
    assert opened.data["title"] == "Add a FAQ entry"
    sub = await standin.interact(
        standin.modal_submit(
            opened.data["custom_id"], MEETING_FORM, guild_id=GUILD_A, permissions=MOD_PERMS
        )
    )
    assert "Added `" in content(sub) and "live now" in content(sub)
    embed = await ask(standin, steward, "when do we have the union meeting at our store")
    assert "first Monday" in embed["description"]
    assert "this server's entry" in embed["footer"]["text"]
    # found by meaning at once: the form's new phrasings were embedded with the change
    paraphrase = await ask(standin, steward, "what day does the union get together at the shop")
    assert "first Monday" in paraphrase.get("description", "")
    fields = " ".join(f["value"] for f in embed["fields"])
    assert "not checked" in fields and "https://example.org/sbwu-meetings" in fields
    other = await ask(standin, steward, MEETING_Q, guild=GUILD_B)
    assert "first Monday" not in other.get("description", "")
    dm = standin.dm_message(MEETING_Q)
    await standin.dispatch("MESSAGE_CREATE", dm)
    reply = await standin.wait_for_message(int(dm["channel_id"]))
    assert "first Monday" not in reply.json["embeds"][0].get("description", "")
    stored, problems = parse_entries(server_file(steward).read_text(), "f", str(GUILD_A))
    assert problems == [] and stored[0].question == MEETING_Q


async def test_bad_entry_lists_every_problem_and_writes_nothing(standin, steward):
    form = dict(
        MEETING_FORM,
        sources="blavity-roundtable | a quote that is not there\nnope | x",
        question="When was Executive Order 14025 signed?",
    )
    sub = await add_entry(standin, steward, form)
    text = content(sub)
    assert "not saved" in text and "not verbatim" in text and "unknown source 'nope'" in text
    assert "is also on entry 'eo-14025-signed-date'" in text
    assert not server_file(steward).exists()


async def test_edit_stale_edit_remove_alias_history_revert(standin, steward):
    await add_entry(standin, steward)
    entry_id = steward.engine.guild_entries(str(GUILD_A))[0].id
    # Two moderators open the edit form on the same version.
    first = await standin.run_app_command(
        steward,
        standin.slash_command(
            "faq edit", {"entry": entry_id}, guild_id=GUILD_A, permissions=MOD_PERMS
        ),
    )
    second = await standin.run_app_command(
        steward,
        standin.slash_command(
            "faq edit", {"entry": entry_id}, guild_id=GUILD_A, permissions=MOD_PERMS
        ),
    )
    prefilled = {
        c["custom_id"]: c.get("value")
        for row in first.data["components"]
        for c in row["components"]
    }
    assert prefilled["question"] == MEETING_Q
    edited = dict(MEETING_FORM, answer="Our store's union meeting is every first Tuesday.")
    ok = await standin.interact(
        standin.modal_submit(
            second.data["custom_id"], edited, guild_id=GUILD_A, permissions=MOD_PERMS
        )
    )
    assert "Saved" in content(ok)
    stale = await standin.interact(
        standin.modal_submit(
            first.data["custom_id"],
            dict(MEETING_FORM, answer="Stale text."),
            guild_id=GUILD_A,
            permissions=MOD_PERMS,
        )
    )
    assert "changed by someone else" in content(stale)
    assert "first Tuesday" in (await ask(standin, steward, MEETING_Q))["description"]

    alias = await standin.interact(
        standin.slash_command(
            "faq alias",
            {"entry": entry_id, "phrasing": "juntas del sindicato en la tienda"},
            guild_id=GUILD_A,
            permissions=MOD_PERMS,
        )
    )
    assert "Added" in content(alias)
    assert (
        "first Tuesday"
        in (await ask(standin, steward, "juntas del sindicato en la tienda"))["description"]
    )

    removal = await standin.run_app_command(
        steward,
        standin.slash_command(
            "faq remove", {"entry": entry_id}, guild_id=GUILD_A, permissions=MOD_PERMS
        ),
    )
    confirm = next(
        c
        for row in removal.data["components"]
        for c in row["components"]
        if c["custom_id"] == "steward:confirm"
    )
    assert [c["label"] for c in components(removal.data)] == ["Confirm", "Cancel"]
    done = await standin.interact(
        standin.component_interaction(confirm["custom_id"], removal.message, permissions=MOD_PERMS)
    )
    assert "Removed" in done.data["content"]
    assert steward.engine.entry(entry_id, str(GUILD_A)) is None

    history = await standin.interact(
        standin.slash_command(
            "faq history", {"entry": entry_id}, guild_id=GUILD_A, permissions=MOD_PERMS
        )
    )
    lines = history.data["embeds"][0]["description"].splitlines()
    assert [ln.split()[1] for ln in lines] == ["add", "edit", "alias", "remove"]
    revert = await standin.interact(
        standin.slash_command(
            "faq revert", {"entry": entry_id, "version": 2}, guild_id=GUILD_A, permissions=MOD_PERMS
        )
    )
    assert "Reverted" in content(revert)
    restored = steward.engine.entry(entry_id, str(GUILD_A))
    assert restored is not None and "first Tuesday" in restored.answer
    assert "juntas del sindicato en la tienda" not in restored.alternates


async def test_export_import_round_trip_and_preview(standin, steward):
    await add_entry(standin, steward)
    export = await standin.interact(
        standin.slash_command("faq export", guild_id=GUILD_A, permissions=MOD_PERMS)
    )
    assert export.files and export.files[0].filename.endswith(".yaml")
    exported = export.files[0].data.decode()
    data = yaml.safe_load(exported)
    assert data[0]["question"] == MEETING_Q
    data[0]["answer"] = "Our store's union meeting moved to Wednesdays."
    data.append(dict(STRIKE_FUND))
    attachment = standin.add_attachment("faq.yaml", yaml.safe_dump(data).encode(), "text/yaml")
    preview = await standin.run_app_command(
        steward,
        standin.slash_command(
            "faq import", {"file": attachment}, guild_id=GUILD_A, permissions=MOD_PERMS
        ),
    )
    assert preview.type == 5  # deferred: the download and checks happen after
    followup = await preview.next_followup()
    body = followup.json
    fields = {f["name"]: f["value"] for f in body["embeds"][0]["fields"]}
    assert fields["Added (1)"] == "`strike-fund`" and fields["Changed (1)"].startswith("`")
    assert not any(name.startswith("Removed") for name in fields)  # it merges
    assert "Wednesdays" not in server_file(steward).read_text()  # nothing before confirm
    done = await standin.interact(
        standin.component_interaction("steward:confirm", followup.message, permissions=MOD_PERMS)
    )
    assert "1 added, 1 changed. Live now." in done.data["content"]
    assert "Wednesdays" in (await ask(standin, steward, MEETING_Q))["description"]
    assert "Wednesdays" in server_file(steward).read_text()


HOSTILE = {
    "bomb.yaml": b"a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n",
    "tag.yaml": b"- id: x\n  question: !!python/object/apply:os.system [echo hi]\n",
    "binary.yaml": bytes(range(256)) * 4,
    "notalist.yaml": b"just: a mapping\n",
    "badquote.yaml": b"- id: q\n  question: Why?\n  answer: Because.\n  sources:\n"
    b"    - {source: blavity-roundtable, quote: words that are not in Blavity}\n",
    # `$` matches before a final newline: such an id once passed and shadowed a shared entry
    "newline-id.yaml": b'- id: "eo-14025-signed-date\\n"\n  question: When was it signed?\n'
    b"  answer: Never.\n  sources:\n    - url: https://example.org/x\n",
    "surrogate.yaml": b'- id: q\n  question: "Why \\ud800?"\n  answer: Because.\n'
    b"  sources:\n    - url: https://example.org/x\n",
}


async def test_hostile_imports_are_refused_and_change_nothing(standin, steward):
    await add_entry(standin, steward)
    before = server_file(steward).read_bytes()
    for name, payload in HOSTILE.items():
        att = standin.add_attachment(name, payload, "text/yaml")
        ex = await standin.run_app_command(
            steward,
            standin.slash_command(
                "faq import", {"file": att}, guild_id=GUILD_A, permissions=MOD_PERMS
            ),
        )
        reply = await ex.next_followup()
        assert (
            "not imported" in reply.json["content"] or "Could not read" in reply.json["content"]
        ), name
        assert not reply.json.get("components"), name
    big = standin.add_attachment("big.yaml", b"#" * (1_000_001), "text/yaml")
    ex = await standin.interact(
        standin.slash_command("faq import", {"file": big}, guild_id=GUILD_A, permissions=MOD_PERMS)
    )
    assert "limit is 1 MB" in content(ex)
    assert server_file(steward).read_bytes() == before


async def test_twenty_concurrent_adds_are_all_kept(standin, steward):
    opened = [await open_add(standin, steward) for _ in range(20)]
    forms = [
        dict(
            MEETING_FORM,
            question=f"What is rule number {i} of our chapter?",
            alternates=f"chapter rule {i}",
            answer=f"Rule {i} is written in the bylaws.",
            sources="https://example.org/bylaws",
        )
        for i in range(20)
    ]
    results = await asyncio.gather(
        *[
            standin.interact(
                standin.modal_submit(
                    o.data["custom_id"], f, guild_id=GUILD_A, permissions=MOD_PERMS
                )
            )
            for o, f in zip(opened, forms, strict=True)
        ]
    )
    # each change embeds its phrasings on the one engine thread: the later ones are deferred
    await standin.wait_until(
        lambda: all(r.type != 5 or r.edits or r.followups for r in results),
        timeout=60,
        what="every add",
    )
    assert all("Added" in final_content(r) for r in results)
    stored, problems = parse_entries(server_file(steward).read_text(), "f", str(GUILD_A))
    assert problems == [] and len(stored) == 20
    assert len(steward.engine.guild_entries(str(GUILD_A))) == 20


async def test_restart_keeps_everything(standin, make_steward):
    first = make_steward()
    async with running(first, standin, TOKEN, GUILD_A):
        await add_entry(standin, first)
        await standin.interact(
            standin.slash_command(
                "steward config", {"private_default": True}, guild_id=GUILD_A, permissions=MOD_PERMS
            )
        )
        await ask(standin, first, "a question nobody covers about parking fees")
    second = make_steward()
    async with running(second, standin, TOKEN, GUILD_A):
        ex = await standin.run_app_command(
            second, standin.slash_command("ask", {"question": MEETING_Q}, guild_id=GUILD_A)
        )
        assert "first Monday" in ex.data["embeds"][0]["description"]
        assert ex.ephemeral  # the server's private-by-default setting survived
        gaps = await standin.interact(
            standin.slash_command("faq gaps", guild_id=GUILD_A, permissions=MOD_PERMS)
        )
        assert "parking fees" in gaps.data["embeds"][0]["description"]
        entry_id = second.engine.guild_entries(str(GUILD_A))[0].id
        history = await second.records.history(str(GUILD_A), entry_id)
        assert [c.action for c in history] == ["add"]


async def test_gaps_offer_a_path_to_answer_them(standin, steward):
    await add_entry(standin, steward)
    for _ in range(2):
        await ask(standin, steward, "Where do we meet for the union meeting downtown?")
    gaps = await standin.run_app_command(
        steward, standin.slash_command("faq gaps", guild_id=GUILD_A, permissions=MOD_PERMS)
    )
    desc = gaps.data["embeds"][0]["description"]
    assert desc.startswith("**2×** where do we meet for the union meeting downtown?")
    assert str(standin.default_user["id"]) not in str(gaps.data)
    pick = await standin.interact(
        standin.component_interaction(
            "steward:gaps", gaps.message, component_type=3, values=["0"], permissions=MOD_PERMS
        )
    )
    ids = [c["custom_id"] for row in pick.data["components"] for c in row["components"]]
    assert "steward:gapnew" in ids
    alias_id = next(i for i in ids if i.startswith("steward:gapalias:"))
    done = await standin.interact(
        standin.component_interaction(alias_id, pick.message, permissions=MOD_PERMS)
    )
    assert "as a phrasing of" in content(done)
    embed = await ask(standin, steward, "Where do we meet for the union meeting downtown?")
    assert "first Monday" in embed["description"]


async def import_entries(standin, steward, data, guild=GUILD_A):
    """Upload `data` with /faq import and confirm it."""
    attachment = standin.add_attachment("faq.yaml", yaml.safe_dump(data).encode(), "text/yaml")
    preview = await standin.run_app_command(
        steward,
        standin.slash_command(
            "faq import", {"file": attachment}, guild_id=guild, permissions=MOD_PERMS
        ),
    )
    followup = await preview.next_followup()
    return await standin.interact(
        standin.component_interaction("steward:confirm", followup.message, permissions=MOD_PERMS)
    )


async def test_every_form_fits_discords_limits_or_the_moderator_is_told_why(standin, steward):
    long_gap = "I was wondering whether anybody here knows if there is any rule about how many " * 2
    await ask(standin, steward, long_gap.strip())
    gaps = await standin.run_app_command(
        steward, standin.slash_command("faq gaps", guild_id=GUILD_A, permissions=MOD_PERMS)
    )
    pick = await standin.interact(
        standin.component_interaction(
            "steward:gaps", gaps.message, component_type=3, values=["0"], permissions=MOD_PERMS
        )
    )
    create = await standin.interact(
        standin.component_interaction("steward:gapnew", pick.message, permissions=MOD_PERMS)
    )
    question = next(c for c in components(create.data) if c["custom_id"] == "question")
    assert len(question["value"]) <= question["max_length"] and question["value"][0] == "I"

    alternates = [
        f"alternate {i} of the union meeting time at our store " + "x " * 45 for i in range(40)
    ]
    big = {**STRIKE_FUND, "alternates": alternates}
    done = await import_entries(standin, steward, [big])
    edit = await done.next_edit() if done.type == 6 else None  # deferred: the edit follows
    assert "1 added" in (edit.json.get("content") if edit else content(done))
    opened = await standin.run_app_command(
        steward,
        standin.slash_command(
            "faq edit", {"entry": "strike-fund"}, guild_id=GUILD_A, permissions=MOD_PERMS
        ),
    )
    assert opened.type != 9  # no form Discord would refuse
    assert "more than Discord's form holds (4000)" in content(opened)


async def test_owners_edit_shared_knowledge_moderators_cannot(standin, steward, knowledge_copy):
    refused = await standin.interact(
        standin.slash_command(
            "faq alias",
            {"entry": "eo-14025-signed-date", "phrasing": "birthday of the worker order"},
            guild_id=GUILD_A,
            permissions=MOD_PERMS,
        )
    )
    assert "Only the bot's owners" in content(refused)
    owner = int(standin.owner["id"])
    ok = await standin.interact(
        standin.slash_command(
            "faq alias",
            {"entry": "eo-14025-signed-date", "phrasing": "birthday of the worker order"},
            guild_id=GUILD_A,
            user_id=owner,
        )
    )
    assert "Added" in content(ok)
    text = (knowledge_copy / "faq" / "executive-orders.yaml").read_text()
    assert "birthday of the worker order" in text
    embed = await ask(standin, steward, "birthday of the worker order", guild=GUILD_B)
    assert "April 26, 2021" in embed["description"]


async def test_refusal_is_in_spanish_for_a_spanish_client(standin, steward):
    ex = await standin.interact(standin.slash_command("faq add", guild_id=GUILD_A, locale="es-ES"))
    assert ex.ephemeral and "Solo los moderadores" in content(ex)
    opened = await open_add(standin, steward, locale=SPANISH)
    forged = await standin.interact(
        standin.modal_submit(
            opened.data["custom_id"], MEETING_FORM, guild_id=GUILD_A, locale=SPANISH
        )
    )
    assert "Solo los moderadores" in content(forged)
    for cmd, opts, refusal in [
        ("faq gaps", {}, "Solo los moderadores"),
        ("faq export", {}, "Solo los moderadores"),
        ("steward audit", {}, "Solo los moderadores"),
        ("steward reload", {}, "Solo los dueños del bot"),
    ]:
        refused = await standin.interact(
            standin.slash_command(cmd, opts, guild_id=GUILD_A, locale=SPANISH)
        )
        assert refused.ephemeral and content(refused).startswith(refusal), cmd
    assert not server_file(steward).exists()


async def test_spanish_moderator_gets_a_spanish_form_and_confirmation(standin, steward):
    opened = await open_add(standin, steward, locale=SPANISH)
    assert opened.data["title"] == "Agregar una entrada"
    inputs = components(opened.data)
    assert [c["custom_id"] for c in inputs] == list(MEETING_FORM)  # the contract's ids
    assert [c["label"] for c in inputs] == [
        "Pregunta",
        "Otras formas de preguntar (una por línea)",
        "Respuesta (de una a tres oraciones)",
        "Fuentes: id-de-fuente | cita, o una URL",
        "Nota (aclaración opcional)",
    ]
    sub = await standin.interact(
        standin.modal_submit(
            opened.data["custom_id"],
            MEETING_FORM,
            guild_id=GUILD_A,
            permissions=MOD_PERMS,
            locale=SPANISH,
        )
    )
    entry_id = steward.engine.guild_entries(str(GUILD_A))[0].id
    assert content(sub) == (
        f"Se agregó `{entry_id}` a las preguntas de este servidor. Ya está activa."
    )
    footer = sub.data["embeds"][0]["footer"]["text"]
    assert footer.startswith("Confianza: 100%") and "entrada de este servidor" in footer


async def test_spanish_moderator_removes_with_spanish_buttons(standin, steward):
    await add_entry(standin, steward)
    entry_id = steward.engine.guild_entries(str(GUILD_A))[0].id

    async def ask_to_remove():
        return await standin.run_app_command(
            steward,
            standin.slash_command(
                "faq remove",
                {"entry": entry_id},
                guild_id=GUILD_A,
                permissions=MOD_PERMS,
                locale=SPANISH,
            ),
        )

    # A button's reply follows the locale of the client that pressed it.
    first = await ask_to_remove()
    cancelled = await standin.interact(
        standin.component_interaction("steward:cancel", first.message, permissions=MOD_PERMS)
    )
    assert cancelled.data["content"] == "Cancelled; nothing changed."
    removal = await ask_to_remove()
    assert content(removal) == f"¿Quitar `{entry_id}`? El cambio es inmediato."
    labels = {c["custom_id"]: c["label"] for c in components(removal.data)}
    assert labels == {"steward:confirm": "Confirmar", "steward:cancel": "Cancelar"}
    other = int(standin.add_user("another-moderator")["id"])
    not_theirs = await standin.interact(
        standin.component_interaction(
            "steward:confirm",
            removal.message,
            user_id=other,
            permissions=MOD_PERMS,
            locale=SPANISH,
        )
    )
    assert content(not_theirs).startswith("Estos botones son de otra persona")
    assert steward.engine.entry(entry_id, str(GUILD_A)) is not None
    done = await standin.interact(
        standin.component_interaction(
            "steward:confirm", removal.message, permissions=MOD_PERMS, locale=SPANISH
        )
    )
    assert done.data["content"] == (
        f"Se quitó `{entry_id}`. Con `/faq history` y `/faq revert` puedes recuperarla."
    )
    assert steward.engine.entry(entry_id, str(GUILD_A)) is None
    history = await standin.interact(
        standin.slash_command(
            "faq history",
            {"entry": entry_id},
            guild_id=GUILD_A,
            permissions=MOD_PERMS,
            locale=SPANISH,
        )
    )
    embed = history.data["embeds"][0]
    assert embed["title"] == f"Historial de {entry_id}"
    assert [ln.split()[1] for ln in embed["description"].splitlines()] == ["agregada", "quitada"]


async def test_spanish_import_preview_and_refusal(standin, steward):
    await add_entry(standin, steward)
    data = yaml.safe_load(steward.store.export(str(GUILD_A)))
    data.append(dict(STRIKE_FUND))
    attachment = standin.add_attachment("faq.yaml", yaml.safe_dump(data).encode(), "text/yaml")
    preview = await standin.run_app_command(
        steward,
        standin.slash_command(
            "faq import",
            {"file": attachment},
            guild_id=GUILD_A,
            permissions=MOD_PERMS,
            locale=SPANISH,
        ),
    )
    followup = await preview.next_followup()
    embed = followup.json["embeds"][0]
    assert embed["title"] == "Vista previa de la importación: aún no cambió nada"
    assert {f["name"]: f["value"] for f in embed["fields"]} == {
        "Agregadas (1)": "`strike-fund`",
        "Cambiadas (0)": "ninguna",
    }
    assert embed["footer"]["text"] == "1 sin cambios"
    assert [c["label"] for c in components(followup.json)] == ["Confirmar", "Cancelar"]
    done = await standin.interact(
        standin.component_interaction(
            "steward:confirm", followup.message, permissions=MOD_PERMS, locale=SPANISH
        )
    )
    assert done.data["content"] == (
        "Importación hecha. Agregadas: 1; cambiadas: 0. Ya está activa."
    )
    assert steward.engine.entry("strike-fund", str(GUILD_A)) is not None
    # A refused file: the sentence is Spanish, the checker's problem lines stay as they are.
    bad = standin.add_attachment("bad.yaml", HOSTILE["badquote.yaml"], "text/yaml")
    refused = await standin.run_app_command(
        steward,
        standin.slash_command(
            "faq import", {"file": bad}, guild_id=GUILD_A, permissions=MOD_PERMS, locale=SPANISH
        ),
    )
    first, *problems = (await refused.next_followup()).json["content"].splitlines()
    assert first == "El archivo no se importó:"
    assert problems and all(p.startswith("upload:") for p in problems), problems


async def test_spanish_gaps_view_and_its_buttons(standin, steward):
    await add_entry(standin, steward)
    question = "Where do we meet for the union meeting downtown?"
    for _ in range(2):
        await ask(standin, steward, question)
    gaps = await standin.run_app_command(
        steward,
        standin.slash_command("faq gaps", guild_id=GUILD_A, permissions=MOD_PERMS, locale=SPANISH),
    )
    embed = gaps.data["embeds"][0]
    assert embed["title"] == "Preguntas que Steward no pudo responder aquí"
    assert embed["description"].startswith(f"**2×** {question.lower()} *(última vez ")
    assert embed["footer"]["text"].startswith("No se guardan ids de usuarios.")
    assert components(gaps.data)[0]["placeholder"] == "Responder una de estas…"
    pick = await standin.interact(
        standin.component_interaction(
            "steward:gaps",
            gaps.message,
            component_type=3,
            values=["0"],
            permissions=MOD_PERMS,
            locale=SPANISH,
        )
    )
    labels = {c["custom_id"]: c["label"] for c in components(pick.data)}
    assert labels["steward:gapnew"] == "Crear una entrada"
    alias_id = next(i for i in labels if i.startswith("steward:gapalias:"))
    entry_id = alias_id.removeprefix("steward:gapalias:")
    assert labels[alias_id] == f"Agregar como frase de {entry_id}"
    create = await standin.interact(
        standin.component_interaction(
            "steward:gapnew", pick.message, permissions=MOD_PERMS, locale=SPANISH
        )
    )
    assert create.type == 9 and create.data["title"] == "Agregar una entrada"
    prefilled = components(create.data)[0]["value"]
    assert prefilled.lower() == question.lower() and prefilled[0].isupper()
    done = await standin.interact(
        standin.component_interaction(alias_id, pick.message, permissions=MOD_PERMS, locale=SPANISH)
    )
    assert content(done) == (
        f"Se agregó “{question.lower()}” como otra forma de preguntar `{entry_id}`. Ya está activa."
    )


async def test_moderator_adds_spanish_text_and_spanish_askers_get_it(standin, steward):
    await add_entry(standin, steward)
    entry_id = steward.engine.guild_entries(str(GUILD_A))[0].id
    opened = await standin.run_app_command(
        steward,
        standin.slash_command(
            "faq translate", {"entry": entry_id}, guild_id=GUILD_A, permissions=MOD_PERMS
        ),
    )
    assert opened.type == 9
    spanish = {
        "question": "¿Cuándo es la junta del sindicato de nuestra tienda?",
        "alternates": "junta sindical de la tienda",
        "answer": "La junta del sindicato de nuestra tienda es el primer lunes de cada mes.",
        "note": "",
    }
    saved = await standin.interact(
        standin.modal_submit(
            opened.data["custom_id"], spanish, guild_id=GUILD_A, permissions=MOD_PERMS
        )
    )
    assert "Saved the Spanish text" in content(saved)
    embed = await ask(standin, steward, "¿cuándo es la junta del sindicato de nuestra tienda?")
    assert "primer lunes" in embed["description"]
    english = await ask(standin, steward, MEETING_Q)
    assert "first Monday" in english["description"]


# -- one bad file never takes the bot down --------------------------------------------------


async def test_a_server_file_that_cannot_be_read_skips_that_server_only(
    standin, make_steward, tmp_path, caplog
):
    good, bad = (tmp_path / "data" / "guilds" / str(g) / "faq.yaml" for g in (GUILD_A, GUILD_B))
    for path in (good, bad):
        path.parent.mkdir(parents=True)
    good.write_text(yaml.safe_dump([STRIKE_FUND]), encoding="utf-8")
    latin1 = "- id: reunion\n  question: ¿Cuándo es la reunión?\n".encode("latin-1")
    bad.write_bytes(latin1)
    steward = make_steward()
    async with running(steward, standin, TOKEN, GUILD_A):
        assert any(
            f"not serving server {GUILD_B}'s entries" in r.getMessage() for r in caplog.records
        )
        assert (
            "ask a steward"
            in (await ask(standin, steward, "Do we have a strike fund?"))["description"]
        )
        shared = await ask(standin, steward, "When was Executive Order 14025 signed?", GUILD_B)
        assert "April 26, 2021" in shared["description"]
        # its moderators are told on their next /faq, whatever the command; others just use it
        for cmd, opts in [("faq list", {}), ("faq add", {}), ("faq export", {})]:
            told = await standin.interact(
                standin.slash_command(cmd, opts, guild_id=GUILD_B, permissions=MOD_PERMS)
            )
            assert told.ephemeral and "could not be loaded" in content(told), cmd
            assert f"{bad}:2: the file is not UTF-8 (byte 0xbf)" in content(told), cmd
        spanish = await standin.interact(
            standin.slash_command(
                "faq list", guild_id=GUILD_B, permissions=MOD_PERMS, locale=SPANISH
            )
        )
        assert "No se pudo cargar" in content(spanish)
        member = await standin.run_app_command(
            steward, standin.slash_command("faq list", guild_id=GUILD_B)
        )
        assert member.data["embeds"][0]["title"] == "FAQ entries"
        assert bad.read_bytes() == latin1  # left as it is
        # fixed by the operator: served again from the next /faq
        bad.write_text(yaml.safe_dump([dict(STRIKE_FUND, id="fund-b")]), encoding="utf-8")
        listed = await standin.run_app_command(
            steward, standin.slash_command("faq list", guild_id=GUILD_B, permissions=MOD_PERMS)
        )
        assert listed.data["embeds"][0]["title"] == "FAQ entries"
        assert [e.id for e in steward.engine.guild_entries(str(GUILD_B))] == ["fund-b"]
        assert (
            "ask a steward"
            in (await ask(standin, steward, "Do we have a strike fund?", GUILD_B))["description"]
        )


async def test_half_a_utf16_pair_in_a_form_is_refused_and_nothing_is_written(standin, steward):
    form = dict(MEETING_FORM, question=MEETING_Q + "\ud800")
    sub = await add_entry(standin, steward, form)
    assert "not saved" in content(sub) and "'question' holds an unpaired UTF-16 surrogate" in (
        content(sub)
    )
    assert not server_file(steward).exists()
    await add_entry(standin, steward)
    entry_id = steward.engine.guild_entries(str(GUILD_A))[0].id
    refused = await standin.interact(
        standin.slash_command(
            "faq alias",
            {"entry": entry_id, "phrasing": "union \udc00 meeting"},
            guild_id=GUILD_A,
            permissions=MOD_PERMS,
        )
    )
    assert "unpaired UTF-16 surrogate" in content(refused)
    stored, problems = parse_entries(server_file(steward).read_text(), "f", str(GUILD_A))
    assert problems == [] and stored[0].question == MEETING_Q
    answer = await ask(standin, steward, "When is our store's union meeting?\ud800")
    assert "first Monday" in answer["description"]


async def test_reload_names_a_file_that_is_not_utf8_and_keeps_serving(
    standin, steward, knowledge_copy
):
    extra = knowledge_copy / "faq" / "extra.yaml"
    extra.write_bytes("- id: extra\n  question: ¿Qué?\n".encode("utf-16"))
    owner = int(standin.owner["id"])
    ex = await standin.run_app_command(
        steward, standin.slash_command("steward reload", guild_id=GUILD_A, user_id=owner)
    )
    await standin.wait_until(
        lambda: ex.type != 5 or ex.edits or ex.followups, timeout=30, what="the reload's reply"
    )
    text = final_content(ex)
    assert "still serving the last good version" in text
    assert f"{extra}:1: the file is UTF-16, not UTF-8" in text
    assert (
        "April 26, 2021"
        in (await ask(standin, steward, "When was EO 14025 signed?"))["description"]
    )


async def test_gaps_show_what_users_typed_without_live_links_and_greetings_are_not_gaps(
    standin, steward
):
    hello = await ask(standin, steward, "hello")
    assert hello["description"].startswith("I'm Steward.")
    await ask(standin, steward, "[free money](https://evil.example/x) **now** for parking?")
    gaps = await standin.run_app_command(
        steward, standin.slash_command("faq gaps", guild_id=GUILD_A, permissions=MOD_PERMS)
    )
    desc = gaps.data["embeds"][0]["description"]
    assert "free money \\*\\*now\\*\\* for parking?" in desc  # the link is no part of it
    assert "evil.example" not in desc
    assert "hello" not in desc
    pick = await standin.interact(
        standin.component_interaction(
            "steward:gaps", gaps.message, component_type=3, values=["0"], permissions=MOD_PERMS
        )
    )
    assert content(pick).startswith("“free money \\*\\*now")
    assert int(pick.data["flags"]) & 4  # SUPPRESS_EMBEDS: no preview of the link
