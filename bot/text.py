"""Text normalisation shared by the knowledge checker and the matcher.

Questions and phrasings go through the same steps so they meet halfway: case and accents folded,
typographic quotes straightened, punctuation dropped, synonyms and abbreviations rewritten to one
canonical token (from `synonyms.yaml` in the knowledge directory), stop words removed and a light
suffix stemmer applied.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

_TYPOGRAPHIC = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
    }
)
_WS = re.compile(r"\s+")
# Dropped before splitting: thousands separators ("2,654" -> "2654"), possessive 's, apostrophes.
# Each branch starts with its literal character so the scan skips ahead quickly.
_DROPPED = re.compile(r"[,.](?<=\d[,.])(?=\d{3}\b)|'(?:(?<=\w')s\b)?")
_WORD = re.compile(r"[^\W_]+")
# The Unicode blocks of combining diacritical marks (what NFKD splits off accented letters).
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
# Accented "qué" asks ("¿Qué dijo?" = "what"); plain "que" is mostly "that". The accent is the
# only thing telling them apart, so this one word keeps it (composed or decomposed).
INTERROGATIVE_QUE = "qu\u00e9"
_QUE = re.compile("(?<![^\\W_])qu(?:\u00e9|e\u0301)(?![^\\W_])", re.IGNORECASE)

# Question words carry meaning ("who" vs "when") but little weight; a question asking "who" is
# not answered by a phrasing asking "when" (see the matcher's question-type check).
QUESTION_WORDS = frozenset({"who", "what", "when", "where", "why", "how", "howmany"})


# Where a message splits into the questions it asks and the context around them: sentence ends,
# an opening ¿ or ¡, commas, and "and"/"y" before a question word ("¿Qué es la ALU y qué logró?"),
# also as typed in chat ("y de q union es").
_ASKING = (
    r"qu[eé]|qui[eé]n(?:es)?|cu[aá]ndo|cu[aá]nt[oa]s?|c[oó]mo|d[oó]nde|por\s+qu[eé]|cu[aá]l(?:es)?"
    r"|what|who|whom|whose|when|where|why|how|which"
    r"|q|k|ke|xq|pq|kien(?:es)?"
)
# "y desde cuándo", "and since when": a preposition may come before the question word
_PREPOSITIONS = r"a|con|de|desde|en|hasta|para|por|sobre|since|in|from|with|for|to|of"
_PART_BREAK = re.compile(
    rf"(?<=[.!?;:])\s+|[¿¡]|,(?!\d)\s*"
    rf"|\s+(?:y|e|o|pero|and|or|but)\s+(?=(?:(?:{_PREPOSITIONS})\s+)?(?:{_ASKING})\b)"
    r"(?!(?:q|k|qu[eé]|what)\W*$)",  # "...la quitaron o qué?" ends in a tag, not a question
    re.IGNORECASE,
)
_ASKS = re.compile(rf"\b(?:{_ASKING})\b", re.IGNORECASE)
# Capitalised words and nothing else up to the end of a question: a place ("Nueva York?").
_PLACE = re.compile(r"(?:[A-ZÁÉÍÓÚÜÑ][^\W_]*\.?\s*)+\?")


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\s*\n\s*")


# What Discord puts in a message's text that is not what its writer asks: mentions of users,
# roles and channels, custom emoji, timestamps, and links (their words are a web address's)
_MARKUP = re.compile(r"<(?:@[!&]?\d+|#\d+|a?:\w+:\d+|t:-?\d+(?::\w)?)>|<?https?://[^\s>]+>?")
_LINKED = re.compile(r"\[([^\]]*)\]\(<?https?://[^)\s]*>?\)")  # [text](url): its text
_SPACES = re.compile(r"[ \t]{2,}")


def without_markup(text: str) -> str:
    """`text` without Discord's mentions, custom emoji, timestamps and links (a masked link
    keeps its text)."""
    if "<" not in text and "://" not in text:
        return text
    return _SPACES.sub(" ", _MARKUP.sub(" ", _LINKED.sub(r"\1", text)))


def message_end(text: str, limit: int) -> str:
    """The last `limit` characters of a message, from a word's start: where its question is."""
    if len(text) <= limit:
        return text
    end = text[-limit:]
    cut = None if text[-limit - 1].isspace() else re.search(r"\s", end)
    return end[cut.end() :] if cut else end


def sentences(text: str) -> list[str]:
    """A message's sentences (split after a full stop, "!" or "?", and at line breaks), each
    without its final punctuation."""
    found = (s.strip(" \t\n?.!;:…") for s in _SENTENCE_END.split(text))
    return [s for s in found if s]


def last_sentence(text: str) -> str:
    """A message's last sentence: the question, after whatever the asker told first."""
    start = max((m.end() for m in _SENTENCE_END.finditer(text) if m.end() < len(text)), default=0)
    return text[start:]


def question_parts(text: str) -> list[tuple[str, bool]]:
    """A message's clauses (sentences, comma-separated clauses, questions joined by "and"),
    each with whether it asks something; an empty list when the message is a single clause.

    A clause asks when it opens with "¿" or sits on either side of "y"/"and" with a question
    word ("¿Qué es la ALU y qué logró?", "What is the ALU and who leads it?"), or ends a
    sentence that ends in "?" and asks nothing before it ("¿Cuándo votan en Bessemer, en
    Alabama?" asks with its first clause, not its last); a place after a comma ("Bessemer,
    Alabama?") is no clause of its own. In a message with no
    question mark, a question word anywhere in a clause is enough; in one with a mark, a
    clause without one is context ("Cuando los organizadores se reunieron con Harris, ...").
    """
    marked = "?" in text or "¿" in text
    # a place after a comma belongs to its clause: "en el Starbucks de Buffalo, Nueva York?"
    breaks = [
        brk
        for brk in _PART_BREAK.finditer(text)
        if not (brk.group().startswith(",") and _PLACE.match(text, brk.end()))
    ]
    parts: list[tuple[str, bool]] = []
    start, opened, first = 0, False, 0  # first: where the current sentence's clauses start
    for brk in [*breaks, None]:
        end = brk.start() if brk else len(text)
        raw = text[start:end]
        clause = raw.strip(" \t\n?.!;:")
        if clause:
            asks = opened or (not marked and bool(_ASKS.search(clause)))
            if "?" in raw and not any(a for _, a in parts[first:]):
                asks = True
            parts.append((clause, asks))
        if brk:
            mark = brk.group().strip()
            if mark.isalpha() and parts and _ASKS.match(parts[-1][0]):
                # "What is the ALU and who...": both sides of the join ask
                parts[-1] = (parts[-1][0], True)
            if mark in ("", "¿", "¡"):  # a sentence ends
                first = len(parts)
            start, opened = brk.end(), mark not in (",", "")  # ¿, ¡, or "y" + question word
    return parts if len(parts) > 1 else []


def fold_quote(text: str) -> str:
    """Fold whitespace and typographic quotes only: the comparison used for verbatim quotes."""
    return _WS.sub(" ", text.translate(_TYPOGRAPHIC)).strip()


def strip_accents(text: str) -> str:
    """Remove combining accents ("organización" -> "organizacion"), keeping ñ as n."""
    if text.isascii():
        return text
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


def basic_tokens(text: str) -> list[str]:
    """Lower-case, accent-free, punctuation-free word tokens; no stop words removed."""
    if not text.isascii():
        text = text.translate(_TYPOGRAPHIC)
        text = INTERROGATIVE_QUE.join(strip_accents(part) for part in _QUE.split(text))
    return _WORD.findall(_DROPPED.sub("", text.casefold()))


_SENTENCE_START = re.compile(r"(?:^|[.!?¿¡:;\n]\s*|\"\s*)$")
_LETTERS = re.compile(r"[^\W\d_]+")


def written_as_names(text: str) -> list[str]:
    """The words a writer marked as names: capitalised inside a sentence ("el Starbucks de
    *Buffalo*") or written in capitals ("*ICE*", "*REI*"), even when they are also dictionary
    words. None when most words are capitalised (a title, or a message typed in capitals)."""
    words = list(_LETTERS.finditer(text))
    caps = [m for m in words if m.group()[0].isupper()]
    if not words or len(caps) * 2 > len(words):
        return []
    return [
        m.group()
        for m in caps
        if len(m.group()) > 1
        and (m.group().isupper() or not _SENTENCE_START.search(text[: m.start()]))
    ]


def phrasing_key(text: str) -> str:
    """The identity of a phrasing for the one-phrasing-one-entry rule."""
    return " ".join(basic_tokens(text))


@lru_cache(maxsize=65536)
def stem(token: str) -> str:
    """A deliberately light suffix stemmer for English and Spanish (same on both sides)."""
    if len(token) <= 3 or not token.isalpha():
        return token
    for suffix in ("aciones", "ations", "acion", "ation", "ings", "ing", "edly", "ed"):
        if token.endswith(suffix) and len(token) - len(suffix) >= 3:
            token = token[: -len(suffix)]
            break
    else:
        if token.endswith("ies") and len(token) > 4:
            token = token[:-3] + "y"
        elif token.endswith("es") and len(token) > 4:
            token = token[:-2]
        elif token.endswith("s") and not token.endswith(("ss", "us", "is")) and len(token) > 3:
            token = token[:-1]
    while token[-1] in "aeo" and len(token) > 3:
        token = token[:-1]
    return token


@dataclass(frozen=True)
class Lexicon:
    """Stop words and synonym rewrites, loaded from the knowledge directory's data file."""

    stop_words: frozenset[str] = frozenset()
    # multi-word phrase (tuple of basic tokens) -> canonical token; longest phrases first
    phrases: tuple[tuple[tuple[str, ...], str], ...] = ()
    # single token -> canonical token
    words: Mapping[str, str] = field(default_factory=dict)
    max_phrase: int = 1
    # stems of ordinary dictionary words: an unknown one weighs less than an unknown name
    common: frozenset[str] = frozenset()

    @classmethod
    def from_mapping(
        cls,
        synonyms: Mapping[str, Iterable[str]],
        stop_words: Iterable[str],
        common_words: Iterable[str] = (),
    ) -> Lexicon:
        """Build from {canonical: [variants...]}, stop words and common dictionary words."""
        phrases: dict[tuple[str, ...], str] = {}
        words: dict[str, str] = {}
        for canonical, variants in synonyms.items():
            canon = "".join(basic_tokens(canonical))
            for variant in [canonical, *variants]:
                toks = tuple(basic_tokens(variant))
                if len(toks) == 1:
                    words[toks[0]] = canon
                elif toks:
                    phrases[toks] = canon
                    # "¿qué día?" is "que dia" with the accent a writer may or may not type,
                    # or "q dia" / "k dia" typed on a phone
                    for que in (INTERROGATIVE_QUE, "q", "k"):
                        phrases.setdefault(tuple(que if t == "que" else t for t in toks), canon)
        stops = frozenset(t for w in stop_words for t in basic_tokens(w))
        # "comité presupuesto senado" is "comité de presupuesto del senado" typed in a hurry
        for toks, canon in list(phrases.items()):
            bare = tuple(t for t in toks if t not in stops)
            if 1 < len(bare) < len(toks):
                phrases.setdefault(bare, canon)
        ordered = tuple(sorted(phrases.items(), key=lambda kv: -len(kv[0])))
        max_phrase = max((len(p) for p in phrases), default=1)
        words.setdefault(INTERROGATIVE_QUE, "what")
        common = {stem(w) for w in common_words}
        # a canonical token is ordinary when a word it stands for is ("store": "stores",
        # "tienda"), not when it merely looks like one ("smalls" stands for "chris smalls")
        common.update(c for v, c in words.items() if v != c and stem(v) in common)
        return cls(frozenset(stops), ordered, words, max_phrase, frozenset(common))

    def content_tokens(self, text: str) -> list[str]:
        """Canonical, stemmed content tokens of a text, in order, duplicates kept."""
        return self.content_tokens_of(basic_tokens(text))

    def content_tokens_of(self, toks: list[str]) -> list[str]:
        """`content_tokens` for text already split by `basic_tokens`."""
        out: list[str] = []
        starts, stops, canonical = self._phrase_starts(), self.stop_words, self.words.get
        i, n = 0, len(toks)
        while i < n:
            tok = toks[i]
            if tok in starts:
                found = self._phrase_at(toks, i)
                if found:
                    if found[0] not in stops:  # "tuvo lugar" drops out like "held"
                        out.append(found[0])
                    i += found[1]
                    continue
            i += 1
            canon = canonical(tok)
            if canon is not None and canon not in stops:
                out.append(canon)
            elif canon is None and tok not in stops:
                out.append(stem(tok))
        return out

    def _phrase_at(self, toks: list[str], i: int) -> tuple[str, int] | None:
        """The multi-word phrase starting at `toks[i]`, as (canonical, length), if any."""
        phrases = self._phrase_index()
        for length in self._phrase_starts().get(toks[i], ()):
            canon = phrases.get(tuple(toks[i : i + length])) if i + length <= len(toks) else None
            if canon is not None:
                return canon, length
        return None

    def name_positions(self, toks: list[str]) -> set[int]:
        """Positions of words inside multi-word names ("Better for All", "The Hill")."""
        inside: set[int] = set()
        for i in range(len(toks)):
            found = self._phrase_at(toks, i) if i not in inside else None
            if found and found[0] not in self.common:
                inside.update(range(i, i + found[1]))
        return inside

    def _phrase_index(self) -> dict[tuple[str, ...], str]:
        cached = self.__dict__.get("_phrase_cache")
        if cached is None:
            cached = dict(self.phrases)
            object.__setattr__(self, "_phrase_cache", cached)
        return cached

    def _phrase_starts(self) -> dict[str, tuple[int, ...]]:
        """First word of each multi-word phrase -> the phrase lengths to try, longest first."""
        cached = self.__dict__.get("_starts_cache")
        if cached is None:
            lengths: dict[str, set[int]] = {}
            for words, _canon in self.phrases:
                lengths.setdefault(words[0], set()).add(len(words))
            cached = {w: tuple(sorted(ls, reverse=True)) for w, ls in lengths.items()}
            object.__setattr__(self, "_starts_cache", cached)
        return cached


# Cheap language cues: frequent function words and letters that are rare in English. Words both
# languages use ("a", "no", "me", "union") are in neither list.
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_ES_WORDS = _words(
    "el la los las del de que qué quien quienes cuando cuantos cuantas cuanto cuanta como donde por "
    "para con una un unos unas es son fue fueron era eran esta estan este estos estas ese esa eso "
    "hay habia se su sus sobre orden ejecutiva sindicato trabajadores trabajo grupo cual cuales "
    "pasa paso dijo firmo segunda tiendas votaron contra hora porque mi mis tu y o en al lo le "
    "les nos afilio puedo puede pueden quiere quieren tiene tienen hace hizo hola buenos buenas "
    "dias gracias si tambien pero muy mas todo todos ya fecha pertenece patron jefe empresa "
    "despidieron contratos federales ser estar algo nada cosa dia ano"
)
_EN_WORDS = _words(
    "the of and to in is was who what when where which how did does do an for on with by at "
    "from are were about that this it they he she his her their many much signed chair will "
    "can could would should has have had there whose why you your my get got been being or vs"
)


def language_cues(text: str, lexicon: Lexicon | None = None) -> tuple[float, float]:
    """The weight of Spanish cues and of English cues in a text (function words, ¿ ¡ ñ, accents).

    With a lexicon, English words inside a multi-word name ("Better for All") are no cue.
    """
    raw = text.casefold()
    spanish = 2.0 if ("¿" in raw or "¡" in raw or "ñ" in raw) else 0.0
    spanish += 0.5 * sum(1 for ch in raw if ch in "áéíóú")
    english = 0.0
    toks = basic_tokens(text)
    names = lexicon.name_positions(toks) if lexicon else set()
    for i, tok in enumerate(toks):
        if tok in _ES_WORDS:
            spanish += 1
        elif tok in _EN_WORDS and i not in names:
            english += 1
    return spanish, english


def detect_language(text: str) -> str:
    """Guess "es" or "en" from `language_cues`; English when there is no cue at all.

    A tie goes to Spanish: Spanish questions quote English names ("quien dirige Better for
    All"), English ones rarely hold a Spanish function word.
    """
    return cue_language(language_cues(text))


def cue_language(cues: tuple[float, float]) -> str:
    """The language `language_cues` point to (see `detect_language`)."""
    spanish, english = cues
    return "es" if spanish >= english and spanish > 0 else "en"
