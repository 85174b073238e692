"""Every message the bot writes, in English and Spanish."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "declined": {
        "en": "I don't know: my FAQ has no sourced answer to that question.",
        "es": "No lo sé: mis preguntas frecuentes no tienen una respuesta con fuentes para eso.",
    },
    "sources_silent": {
        "en": "I don't know: Steward's sources do not answer “{question}”{stop}",
        "es": "No lo sé: las fuentes de Steward no responden a «{question}»{stop}",
    },
    "thanks": {
        "en": "You're welcome. Ask me anything else about the worker organizing task force, "
        "Executive Order 14025, the May 2022 roundtable, the Senate hearing or the Better for "
        "All campaign.",
        "es": "De nada. Pregúntame lo que quieras sobre el grupo de trabajo de organización "
        "laboral, la Orden Ejecutiva 14025, la mesa redonda de mayo de 2022, la audiencia del "
        "Senado o la campaña Better for All.",
    },
    "help": {
        "en": "I'm Steward. I answer questions about US worker-organizing policy from sourced "
        "documents: the White House Task Force on Worker Organizing and Empowerment, Executive "
        "Order 14025, the May 2022 roundtable with Amazon, Starbucks, REI and other organizers, "
        "the Senate Budget Committee hearing on companies that violate labor laws, and the "
        "Better for All campaign. Ask one whole question, for example “When was Executive "
        "Order 14025 signed?” or “Who chairs the task force?”. Every answer names its sources, "
        "and when they do not cover something I say so. I answer in English or Spanish.",
        "es": "Soy Steward. Respondo preguntas sobre la política de organización laboral en "
        "Estados Unidos a partir de documentos con fuentes: el Grupo de Trabajo de la Casa "
        "Blanca sobre Organización y Empoderamiento de los Trabajadores, la Orden Ejecutiva "
        "14025, la mesa redonda de mayo de 2022 con organizadores de Amazon, Starbucks, REI y "
        "otras empresas, la audiencia del Comité de Presupuesto del Senado sobre empresas que "
        "violan las leyes laborales y la campaña Better for All. Haz una pregunta completa, por "
        "ejemplo «¿Cuándo se firmó la Orden Ejecutiva 14025?» o «¿Quién preside el grupo de "
        "trabajo?». Cada respuesta nombra sus fuentes, y si no cubren algo, lo digo. Respondo "
        "en español o en inglés.",
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
    "untranslated": {
        "en": "This answer has not been translated yet, so it is shown in English.",
        "es": "Esta respuesta aún no está traducida al español: se muestra en inglés.",
    },
    "confidence": {"en": "Confidence", "es": "Confianza"},
    "related": {"en": "Related", "es": "Relacionadas"},
    "suggestions": {"en": "Did you mean", "es": "¿Quisiste decir"},
    "quote_label": {
        "en": "Quoted from the source",
        "es": "Cita textual de la fuente, en su idioma original (inglés)",
    },
    "unchecked_link": {
        "en": "link added by this server's moderators; its text is not checked",
        "es": "enlace añadido por los moderadores de este servidor; su texto no está verificado",
    },
    "more_quotes": {
        "en": "*…and {count} more quotes from this source, which do not fit here*",
        "es": "*…y {count} citas más de esta fuente, que no caben aquí*",
    },
    "more_sources": {
        "en": "…and {count} more sources, which do not fit here",
        "es": "…y {count} fuentes más, que no caben aquí",
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
        "en": "These buttons belong to someone else: run the command yourself to get your own.",
        "es": "Estos botones son de otra persona: usa tú el comando para tener los tuyos.",
    },
    # -- /faq for moderators: forms ------------------------------------------------------
    "add_title": {"en": "Add a FAQ entry", "es": "Agregar una entrada"},
    "edit_title": {"en": "Edit {entry_id}", "es": "Editar {entry_id}"},
    "translate_title": {"en": "Spanish text", "es": "Texto en español"},
    "field_question": {"en": "Question", "es": "Pregunta"},
    "field_alternates": {
        "en": "Other ways to ask (one per line)",
        "es": "Otras formas de preguntar (una por línea)",
    },
    "field_answer": {
        "en": "Answer (one to three sentences)",
        "es": "Respuesta (de una a tres oraciones)",
    },
    "field_sources": {
        "en": "Sources: source-id | quote, or a URL",
        "es": "Fuentes: id-de-fuente | cita, o una URL",
    },
    "form_too_long": {
        "en": "This entry's “{field}” is {length} characters, more than Discord's form holds "
        "({limit}). Change it with `/faq export` and `/faq import`.",
        "es": "El campo «{field}» de esta entrada tiene {length} caracteres, más de los que "
        "caben en el formulario de Discord ({limit}). Cámbiala con `/faq export` y `/faq import`.",
    },
    "field_note": {"en": "Note (optional caveat)", "es": "Nota (aclaración opcional)"},
    "field_es_question": {"en": "Question in Spanish", "es": "Pregunta"},
    "field_es_alternates": {
        "en": "Other ways to ask, in Spanish (one per line)",
        "es": "Otras formas de preguntar (una por línea)",
    },
    "field_es_answer": {"en": "Answer in Spanish", "es": "Respuesta"},
    "field_es_note": {"en": "Note in Spanish (optional)", "es": "Nota (opcional)"},
    "shutting_down": {
        "en": "Steward is restarting. Please ask again in a minute.",
        "es": "Steward se está reiniciando. Vuelve a preguntar en un minuto.",
    },
    # -- /faq for moderators: replies ----------------------------------------------------
    "added": {
        "en": "Added `{entry_id}` to this server's FAQ. It is live now.",
        "es": "Se agregó `{entry_id}` a las preguntas de este servidor. Ya está activa.",
    },
    "saved": {
        "en": "Saved `{entry_id}`. It is live now.",
        "es": "Se guardó `{entry_id}`. Ya está activa.",
    },
    "saved_spanish": {
        "en": "Saved the Spanish text of `{entry_id}`.",
        "es": "Se guardó el texto en español de `{entry_id}`.",
    },
    "remove_confirm": {
        "en": "Remove `{entry_id}`? This takes effect at once.",
        "es": "¿Quitar `{entry_id}`? El cambio es inmediato.",
    },
    "removed": {
        "en": "Removed `{entry_id}`. `/faq history` and `/faq revert` can bring it back.",
        "es": "Se quitó `{entry_id}`. Con `/faq history` y `/faq revert` puedes recuperarla.",
    },
    "confirm": {"en": "Confirm", "es": "Confirmar"},
    "cancel": {"en": "Cancel", "es": "Cancelar"},
    "cancelled": {"en": "Cancelled; nothing changed.", "es": "Cancelado; no se cambió nada."},
    "alias_added": {
        "en": "Added “{phrasing}” as a phrasing of `{entry_id}`. It is live now.",
        "es": "Se agregó “{phrasing}” como otra forma de preguntar `{entry_id}`. Ya está activa.",
    },
    "exported": {
        "en": "{count} entries from this server.",
        "es": "Entradas de este servidor: {count}.",
    },
    "import_too_big": {
        "en": "The file is {size:,} bytes; the limit is 1 MB. Nothing changed.",
        "es": "El archivo tiene {size:,} bytes; el límite es 1 MB. No se cambió nada.",
    },
    "import_not_yaml": {
        "en": "Upload a YAML file (.yaml or .yml). Nothing changed.",
        "es": "Sube un archivo YAML (.yaml o .yml). No se cambió nada.",
    },
    "import_not_utf8": {
        "en": "Could not read the file: it is not UTF-8 text. Nothing changed.",
        "es": "No se pudo leer el archivo: no es texto UTF-8. No se cambió nada.",
    },
    "import_download_failed": {
        "en": "Could not read the file: the download failed. Nothing changed.",
        "es": "No se pudo leer el archivo: falló la descarga. No se cambió nada.",
    },
    "import_preview_title": {
        "en": "Import preview: nothing has changed yet",
        "es": "Vista previa de la importación: aún no cambió nada",
    },
    "import_preview_description": {
        "en": "Confirm to add and update the file's entries. This server's other entries stay as "
        "they are (`/faq remove` removes one).",
        "es": "Confirma para agregar y actualizar las entradas del archivo. Las demás entradas de "
        "este servidor quedan como están (`/faq remove` quita una).",
    },
    "import_added": {"en": "Added ({count})", "es": "Agregadas ({count})"},
    "import_changed": {"en": "Changed ({count})", "es": "Cambiadas ({count})"},
    "import_unchanged": {"en": "{count} unchanged", "es": "{count} sin cambios"},
    "import_none": {"en": "none", "es": "ninguna"},
    "imported": {
        "en": "Imported: {added} added, {changed} changed. Live now.",
        "es": "Importación hecha. Agregadas: {added}; cambiadas: {changed}. Ya está activa.",
    },
    "no_gaps": {
        "en": "No unanswered questions recorded for this server.",
        "es": "No hay preguntas sin respuesta registradas en este servidor.",
    },
    "gaps_title": {
        "en": "Questions Steward could not answer here",
        "es": "Preguntas que Steward no pudo responder aquí",
    },
    "gap_line": {
        "en": "**{count}×** {text} *(last {date})*",
        "es": "**{count}×** {text} *(última vez {date})*",
    },
    "gaps_footer": {
        "en": "No user ids are stored. Pick one below to answer it.",
        "es": "No se guardan ids de usuarios. Elige una abajo para responderla.",
    },
    "gaps_placeholder": {"en": "Answer one of these…", "es": "Responder una de estas…"},
    "gap_add_phrasing": {
        "en": "Add as phrasing of {entry_id}",
        "es": "Agregar como frase de {entry_id}",
    },
    "gap_create": {"en": "Create an entry", "es": "Crear una entrada"},
    "no_history": {
        "en": "No recorded changes to `{entry_id}`.",
        "es": "No hay cambios registrados de `{entry_id}`.",
    },
    "history_title": {"en": "History of {entry_id}", "es": "Historial de {entry_id}"},
    "history_footer": {
        "en": "/faq revert entry version restores the text after that change.",
        "es": "/faq revert entry version restaura el texto tal como quedó tras ese cambio.",
    },
    "forgotten_actor": {"en": "someone (forgotten)", "es": "alguien (olvidado)"},
    "action_add": {"en": "add", "es": "agregada"},
    "action_edit": {"en": "edit", "es": "editada"},
    "action_translate": {"en": "translate", "es": "traducida"},
    "action_alias": {"en": "alias", "es": "frase agregada"},
    "action_remove": {"en": "remove", "es": "quitada"},
    "action_revert": {"en": "revert", "es": "revertida"},
    "action_import": {"en": "import", "es": "importada"},
    "reverted": {
        "en": "Reverted `{entry_id}` to version {version}.",
        "es": "Se revirtió `{entry_id}` a la versión {version}.",
    },
    "reverted_removed": {
        "en": "Reverted `{entry_id}` to version {version}: removed.",
        "es": "Se revirtió `{entry_id}` a la versión {version}: quedó quitada.",
    },
    # -- store refusals (the checker's problem lines follow them, in English) --------------
    "store_guild_invalid": {
        "en": "the entries of server {guild} are invalid",
        "es": "Las entradas del servidor {guild} no son válidas:",
    },
    "store_guild_unloaded": {
        "en": "This server's FAQ file could not be loaded, so Steward answers here from the "
        "shared entries only, and changes to this server's FAQ are paused so that the file is "
        "left as it is. Ask the bot's operator to fix it (`steward check --data DIR --guild "
        "{guild}` lists the problems); it is loaded again on the next /faq once it is fixed.",
        "es": "No se pudo cargar el archivo de preguntas de este servidor: Steward responde "
        "aquí solo con las entradas compartidas, y los cambios a las preguntas de este servidor "
        "están en pausa para no tocar el archivo. Pide a quien opera el bot que lo arregle "
        "(`steward check --data DIR --guild {guild}` muestra los problemas); se vuelve a cargar "
        "en el siguiente /faq una vez arreglado.",
    },
    "store_would_not_load": {
        "en": "not saved: the file written would not load again",
        "es": "No se guardó: el archivo escrito no se podría volver a cargar:",
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
        "es": "'{entry_id}' ya se había quitado.",
    },
    "store_version_unrestorable": {
        "en": "that version can no longer be restored",
        "es": "Esa versión ya no se puede restaurar:",
    },
    "store_not_imported": {
        "en": "the file was not imported",
        "es": "El archivo no se importó:",
    },
    "store_phrasing_exists": {
        "en": "'{entry_id}' already has that phrasing",
        "es": "'{entry_id}' ya tiene esa forma de preguntar.",
    },
    "store_import_empty": {
        "en": "the file has no entries: nothing to import",
        "es": "El archivo no tiene entradas: no hay nada que importar.",
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
    # -- /steward ------------------------------------------------------------------------
    "config_summary": {
        "en": "Private answers by default: **{private}**\nModerator roles: {roles}",
        "es": "Respuestas privadas por defecto: **{private}**\nRoles de moderación: {roles}",
    },
    "on": {"en": "on", "es": "sí"},
    "off": {"en": "off", "es": "no"},
    "no_mod_roles": {
        "en": "none (Manage Server only)",
        "es": "ninguno (solo el permiso Gestionar servidor)",
    },
    "no_audit": {
        "en": "No changes recorded for this server yet.",
        "es": "Aún no hay cambios registrados en este servidor.",
    },
    "audit_title": {"en": "Recent FAQ changes", "es": "Cambios recientes en las preguntas"},
    "reloaded": {
        "en": "Reloaded the shared knowledge: {count} entries.",
        "es": "Se recargó el conocimiento compartido. Entradas: {count}.",
    },
    "forgot_user": {
        "en": "Removed that user's id from {count} record(s). "
        "Questions are never stored with user ids.",
        "es": "Se borró el id de esa persona de {count} registro(s). "
        "Las preguntas nunca se guardan con ids de usuarios.",
    },
}


def t(key: str, lang: str = "en", **values: object) -> str:
    """The message `key` in `lang` (English when missing), formatted with `values`."""
    texts = MESSAGES[key]
    template = texts.get(lang) or texts["en"]
    return template.format(**values) if values else template
