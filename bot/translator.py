"""Spanish names and descriptions for the slash commands (discord.py's `app_commands.Translator`).

A Spanish Discord client (es-ES, es-419) shows these; the English names stay the commands' own.
"""

from __future__ import annotations

import discord
from discord import app_commands

SPANISH: dict[str, str] = {
    # names
    "ask": "preguntar",
    "question": "pregunta",
    "private": "privado",
    "faq": "faq",
    "show": "ver",
    "entry": "entrada",
    "list": "lista",
    "sources": "fuentes",
    "add": "agregar",
    "edit": "editar",
    "remove": "quitar",
    "alias": "frase",
    "phrasing": "frase",
    "export": "exportar",
    "import": "importar",
    "file": "archivo",
    "gaps": "sin-respuesta",
    "history": "historial",
    "revert": "revertir",
    "version": "version",
    "translate": "traducir",
    "steward": "steward",
    "config": "ajustes",
    "private_default": "privado-por-defecto",
    "mod_role": "rol-moderador",
    "reload": "recargar",
    "audit": "auditoria",
    "forget": "olvidar",
    "user": "usuario",
    "Ask Steward": "Preguntar a Steward",
    # descriptions
    "Ask a question about worker organizing policy; the answer cites its sources": "Haz una pregunta sobre políticas de organización laboral; la respuesta cita sus fuentes",
    "Your question (start typing to see FAQ questions)": "Tu pregunta (empieza a escribir para ver preguntas frecuentes)",
    "Only you see the answer": "Solo tú ves la respuesta",
    "Browse and keep the FAQ": "Consultar y mantener las preguntas frecuentes",
    "Show one FAQ entry": "Ver una entrada de las preguntas frecuentes",
    "The entry (start typing to search)": "La entrada (empieza a escribir para buscar)",
    "Browse the FAQ entries": "Explorar las entradas de las preguntas frecuentes",
    "The documents Steward's answers come from": "Los documentos de los que vienen las respuestas",
    "Add an entry to this server's FAQ (moderators)": "Agregar una entrada a las preguntas de este servidor (moderadores)",
    "Edit one of this server's entries (moderators)": "Editar una entrada de este servidor (moderadores)",
    "Remove one of this server's entries (moderators)": "Quitar una entrada de este servidor (moderadores)",
    "Add another way to ask an entry's question (moderators)": "Agregar otra forma de hacer la pregunta de una entrada (moderadores)",
    "The new phrasing": "La nueva frase",
    "Download this server's entries as YAML (moderators)": "Descargar las entradas de este servidor en YAML (moderadores)",
    "Add or update this server's entries from a YAML file, after a preview (moderators)": "Agregar o actualizar las entradas de este servidor desde un archivo YAML, con vista previa (moderadores)",
    "A YAML file in the FAQ format": "Un archivo YAML en el formato de las preguntas frecuentes",
    "Questions the bot could not answer here, most frequent first (moderators)": "Preguntas que el bot no pudo responder aquí, las más frecuentes primero (moderadores)",
    "Every change to an entry (moderators)": "Todos los cambios de una entrada (moderadores)",
    "Restore an entry to an earlier version (moderators)": "Restaurar una entrada a una versión anterior (moderadores)",
    "The version number from /faq history": "El número de versión de /faq history",
    "Add or edit the Spanish text of an entry (moderators)": "Agregar o editar el texto en español de una entrada (moderadores)",
    "Steward's settings for this server": "Ajustes de Steward para este servidor",
    "Set moderator roles and private answers (moderators)": "Configurar roles de moderación y respuestas privadas (moderadores)",
    "Answer privately unless the user asks otherwise": "Responder en privado salvo que la persona pida lo contrario",
    "A role whose members may edit this server's FAQ (toggles it)": "Un rol cuyos miembros pueden editar las preguntas del servidor (lo activa o desactiva)",
    "Reload the shared knowledge from disk (bot owners)": "Recargar el conocimiento compartido desde el disco (dueños del bot)",
    "Recent changes to this server's FAQ (moderators)": "Cambios recientes en las preguntas de este servidor (moderadores)",
    "Delete a user's id from the bot's records (bot owners)": "Borrar el id de una persona de los registros del bot (dueños del bot)",
    "The user whose records to delete": "La persona cuyos registros se borran",
}


class StewardTranslator(app_commands.Translator):
    """Spanish for Spanish clients; every other locale sees the English originals."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        """Return the Spanish text for `string`, or None to keep the original."""
        if locale not in (discord.Locale.spain_spanish, discord.Locale.latin_american_spanish):
            return None
        return SPANISH.get(string.message)
