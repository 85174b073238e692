"""Every message the bot writes, in English and Spanish."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "declined": {
        "en": "I don't know: my FAQ has no sourced answer to that question.",
        "es": "No lo sé: mis preguntas frecuentes no tienen una respuesta con fuentes para eso.",
    },
    "did_you_mean": {
        "en": "I'm not sure what you mean. Did you mean one of these?",
        "es": "No estoy seguro de lo que preguntas. ¿Quisiste decir alguna de estas?",
    },
    "empty_question": {
        "en": "Please ask a question: the text was empty.",
        "es": "Escribe una pregunta: el texto estaba vacío.",
    },
    "too_long": {
        "en": "That question is too long ({length} characters; the limit is {limit}). Please shorten it.",
        "es": "La pregunta es demasiado larga ({length} caracteres; el límite es {limit}). Acórtala, por favor.",
    },
    "sources": {"en": "Sources", "es": "Fuentes"},
    "note": {"en": "Note", "es": "Nota"},
    "confidence": {"en": "Confidence", "es": "Confianza"},
    "related": {"en": "Related", "es": "Relacionadas"},
    "suggestions": {"en": "Did you mean", "es": "¿Quisiste decir"},
    "quote_label": {
        "en": "Quoted from the source",
        "es": "Cita textual de la fuente, en su idioma original (inglés)",
    },
    "unchecked_link": {
        "en": "link added by this server's moderators (its text is not checked)",
        "es": "enlace añadido por los moderadores de este servidor (su texto no está verificado)",
    },
    "no_link": {"en": "no public link", "es": "sin enlace público"},
    "published": {"en": "published", "es": "publicado"},
    "rate_limited": {
        "en": "You're asking quickly: please wait {seconds} s and try again.",
        "es": "Estás preguntando muy rápido: espera {seconds} s y vuelve a intentarlo.",
    },
    "error": {
        "en": "Something went wrong while answering. Please try again in a moment.",
        "es": "Algo salió mal al responder. Inténtalo de nuevo en un momento.",
    },
    "unknown_entry": {
        "en": "There is no FAQ entry with the id `{entry_id}`.",
        "es": "No hay ninguna entrada con el id `{entry_id}`.",
    },
    "entry_footer": {"en": "FAQ entry {entry_id}", "es": "Entrada {entry_id}"},
    "server_entry": {"en": "this server's entry", "es": "entrada de este servidor"},
    "list_title": {"en": "FAQ entries", "es": "Entradas de las preguntas frecuentes"},
    "page": {"en": "Page {page} of {pages}", "es": "Página {page} de {pages}"},
    "sources_title": {
        "en": "Where Steward's answers come from",
        "es": "De dónde vienen las respuestas",
    },
    "server_only": {
        "en": "This only works inside a server.",
        "es": "Esto solo funciona dentro de un servidor.",
    },
    "only_moderators": {
        "en": "Only moderators (Manage Server permission or a moderator role set with "
        "/steward config) can change this server's FAQ. Nothing changed.",
        "es": "Solo los moderadores (permiso Gestionar servidor o un rol de moderación "
        "configurado con /steward config) pueden cambiar las preguntas de este servidor. "
        "No se cambió nada.",
    },
    "only_owners": {
        "en": "Only the bot's owners can change the shared knowledge. Nothing changed.",
        "es": "Solo los dueños del bot pueden cambiar el conocimiento compartido. "
        "No se cambió nada.",
    },
    "not_yours": {
        "en": "These buttons belong to someone else's question: ask your own with /ask.",
        "es": "Estos botones son de la pregunta de otra persona: haz la tuya con /ask.",
    },
    # -- store refusals (the checker's problem lines follow them, in English) --------------
    "store_guild_invalid": {
        "en": "the entries of server {guild} are invalid",
        "es": "Las entradas del servidor {guild} no son válidas.",
    },
    "store_entry_not_saved": {
        "en": "the entry was not saved",
        "es": "La entrada no se guardó:",
    },
    "store_translation_not_saved": {
        "en": "the translation was not saved",
        "es": "La traducción no se guardó:",
    },
    "store_phrasing_not_added": {
        "en": "the phrasing was not added",
        "es": "La frase no se agregó:",
    },
    "store_no_entry_shared": {
        "en": "there is no entry '{entry_id}' in the shared knowledge",
        "es": "No hay ninguna entrada '{entry_id}' en el conocimiento compartido.",
    },
    "store_no_entry_server": {
        "en": "there is no entry '{entry_id}' in this server's entries",
        "es": "No hay ninguna entrada '{entry_id}' entre las de este servidor.",
    },
    "store_stale_edit": {
        "en": "'{entry_id}' was changed by someone else after you opened the form; "
        "nothing was saved. Open /faq edit again to see the current text.",
        "es": "Otra persona cambió '{entry_id}' después de que abriste el formulario; "
        "no se guardó nada. Abre /faq edit de nuevo para ver el texto actual.",
    },
    "store_stale_translation": {
        "en": "'{entry_id}' changed after you opened the form; nothing was saved.",
        "es": "'{entry_id}' cambió después de que abriste el formulario; no se guardó nada.",
    },
    "store_no_history": {
        "en": "history is not available",
        "es": "El historial no está disponible.",
    },
    "store_no_version": {
        "en": "'{entry_id}' has no version {version}",
        "es": "'{entry_id}' no tiene la versión {version}.",
    },
    "store_no_version_range": {
        "en": "'{entry_id}' has no version {version} (versions 1 to {last})",
        "es": "'{entry_id}' no tiene la versión {version} (hay de la 1 a la {last}).",
    },
    "store_already_removed": {
        "en": "'{entry_id}' is already removed",
        "es": "'{entry_id}' ya está quitada.",
    },
    "store_version_unrestorable": {
        "en": "that version can no longer be restored",
        "es": "Esa versión ya no se puede restaurar:",
    },
    "store_not_imported": {
        "en": "the file was not imported",
        "es": "El archivo no se importó:",
    },
    "store_too_many_entries": {
        "en": "the file has {count} entries; the limit is {limit}",
        "es": "El archivo tiene {count} entradas; el límite es {limit}.",
    },
    "store_shared_import": {
        "en": "the shared knowledge is changed by editing its files, not by import",
        "es": "El conocimiento compartido se cambia editando sus archivos, no importando.",
    },
    "store_import_stale": {
        "en": "the entries changed since the file was checked; import it again",
        "es": "Las entradas cambiaron desde que se revisó el archivo; vuelve a importarlo.",
    },
    "store_knowledge_invalid": {
        "en": "the knowledge on disk is invalid; still serving the last good version",
        "es": "El conocimiento en el disco no es válido; sigo usando la última versión buena:",
    },
}


def t(key: str, lang: str = "en", **values: object) -> str:
    """The message `key` in `lang` (English when missing), formatted with `values`."""
    texts = MESSAGES[key]
    template = texts.get(lang) or texts["en"]
    return template.format(**values) if values else template
