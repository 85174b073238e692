"""Greetings and requests for help ("hello", "what can you do", "ayuda"), and thanks.

They are not questions about the sources: Steward answers a greeting with what it covers and
how to ask, thanks with a short reply, and counts neither as unanswered. A message counts only
when all of it is one of these phrases (after folding case, accents and punctuation), or one
typo away from one; thanks, when every word of it is a word of thanks.
"""

from __future__ import annotations

import unicodedata

PHRASES: dict[str, frozenset[str]] = {
    "en": frozenset(
        [
            "hello",
            "hi",
            "hey",
            "hello there",
            "hi there",
            "hey there",
            "good morning",
            "good afternoon",
            "good evening",
            "help",
            "help me",
            "i need help",
            "what can you do",
            "what do you do",
            "what can i ask",
            "what can i ask you",
            "what do you know",
            "who are you",
            "what are you",
            "how does this work",
            "how do i use this",
            "how do i use you",
            "how do i ask",
        ]
    ),
    "es": frozenset(
        [
            "hola",
            "buenas",
            "buenos dias",
            "buenas tardes",
            "buenas noches",
            "ayuda",
            "ayudame",
            "necesito ayuda",
            "que puedes hacer",
            "que haces",
            "que sabes",
            "que te puedo preguntar",
            "que puedo preguntar",
            "quien eres",
            "que eres",
            "como funciona",
            "como funciona esto",
            "como te uso",
            "como pregunto",
        ]
    ),
}
# Words that do not change what such a message asks ("hi steward", "ayuda por favor").
FILLER = frozenset({"steward", "bot", "please", "pls", "thanks", "por", "favor", "gracias"})
# A message of thanks: one of the first words, the others from the second set or `FILLER`.
THANKS = {
    "en": frozenset({"thanks", "thank", "thx", "ty", "cheers"}),
    "es": frozenset({"gracias", "agradezco", "agradecido", "agradecida"}),
}
THANKS_WITH = frozenset(
    {"you", "so", "much", "a", "lot", "very", "ok", "okay", "great", "awesome", "perfect"}
    | {"muchas", "muchisimas", "mil", "te", "se", "lo", "muy", "perfecto", "vale", "genial"}
    | {"compa", "companero", "companera", "amigo", "amiga"}
)


def _words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(c if c.isalnum() else " " for c in folded if not unicodedata.combining(c))
    return letters.split()


def _normalise(text: str) -> str:
    return " ".join(w for w in _words(text) if w not in FILLER)


def _one_edit_apart(a: str, b: str) -> bool:
    """Whether `a` becomes `b` by changing, adding or removing at most one character."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)) :] == b[i + 1 :]


def greeting_language(message: str) -> str | None:
    """The language of the greeting or help request that `message` is, or None."""
    said = _normalise(message)
    if not said:
        return None
    for lang, phrases in PHRASES.items():
        if said in phrases:
            return lang
    if len(said) < 5:  # a typo in "hi" or "hola" is as likely another word
        return None
    for lang, phrases in PHRASES.items():
        if any(len(p) >= 5 and _one_edit_apart(said, p) for p in phrases):
            return lang
    return None


def thanks_language(message: str) -> str | None:
    """The language of the thanks that `message` is ("thanks!", "muchas gracias compañero"),
    or None."""
    words = set(_words(message))
    for lang, thanks in THANKS.items():
        if words & thanks and words <= thanks | THANKS_WITH | FILLER:
            return lang
    return None
