"""The one answer object every surface renders, and the engine that produces it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from itertools import islice
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bot.heap import collector_paused
from bot.i18n import t
from bot.knowledge import Entry, KnowledgeBase, Problem, load_knowledge
from bot.matcher import SHARED, Candidate, Decision, Matcher
from bot.semantic import (
    BUNDLED_VECTORS,
    QueryMaps,
    SemanticIndex,
    VectorCache,
    default_embedder,
)
from bot.smalltalk import greeting_language, thanks_language
from bot.text import (
    basic_tokens,
    cue_language,
    detect_language,
    fold_quote,
    language_cues,
    without_markup,
)
from bot.yamlsafe import UNPAIRED_SURROGATE

MAX_QUESTION_CHARS = 2000  # a Discord message: a long one ends with its question (`Matcher.views`)


class QuestionError(ValueError):
    """A question that cannot be asked at all (empty, or too long); `key` names the message."""

    def __init__(self, key: str, **values: int) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


@dataclass(frozen=True)
class SourceRef:
    """A cited source as shown to users (a catalogued document or an unchecked link)."""

    id: str | None
    title: str
    outlet: str
    published: str | None
    url: str
    quote: str
    checked: bool = True


@dataclass(frozen=True)
class Suggestion:
    """A "did you mean" or related entry."""

    id: str
    question: str
    confidence: float


@dataclass(frozen=True)
class Answer:
    """What Steward says about one question; JSON, embeds, DMs and eval all render this."""

    question: str
    answered: bool
    id: str | None
    matched_question: str | None
    answer: str
    confidence: float
    sources: tuple[SourceRef, ...]
    note: str | None
    suggestions: tuple[Suggestion, ...]
    lang: str
    related: tuple[Suggestion, ...] = field(default=())
    origin: str | None = None
    silent_on: str | None = None  # declined: the known question the sources do not answer
    kind: str | None = None  # "help" (a greeting or a request for help) or "thanks": no question

    @property
    def counts_as_gap(self) -> bool:
        """Whether moderators should see this question among those Steward could not answer."""
        return not self.answered and self.kind is None

    def joined(self, other: Answer) -> Answer:
        """This answer followed by another entry's, under its question: a message that asks
        two things ("¿Cuándo salió el informe y cuántas recomendaciones trae?") gets both."""
        shown = {self.id, other.id}
        related = [r for r in (*self.related, *other.related) if r.id not in shown]
        return replace(
            self,
            answer=f"{self.answer}\n\n{other.matched_question}\n{other.answer}",
            sources=(*self.sources, *(s for s in other.sources if s not in self.sources)),
            note="\n\n".join(n for n in (self.note, other.note) if n) or None,
            related=tuple({r.id: r for r in related}.values()),
        )

    def declined_text(self) -> tuple[str, str]:
        """A declined answer's message and the heading of its suggestions, in its language."""
        if self.kind is not None:
            return t(self.kind, self.lang), ""
        if self.silent_on:
            # a question mark closing the quoted question ends the sentence too: no "?”."
            stop = "" if self.silent_on.endswith(("?", "!", ".")) else "."
            silent = t("sources_silent", self.lang, question=self.silent_on, stop=stop)
            return silent, t("related", self.lang)
        heading = t("suggestions", self.lang) + ("?" if self.lang == "en" else "")
        return t("did_you_mean" if self.suggestions else "declined", self.lang), heading

    def to_json(self) -> dict[str, Any]:
        """The contract's JSON answer object (plus `help`, the text that answers a greeting or
        thanks)."""
        payload: dict[str, Any] = {
            "question": self.question,
            "answered": self.answered,
            "id": self.id,
            "matched_question": self.matched_question,
            "answer": self.answer,
            "confidence": round(self.confidence, 3),
            "sources": [
                {k: v for k, v in asdict(s).items() if k != "checked"} for s in self.sources
            ],
            "note": self.note,
            "suggestions": [asdict(s) for s in self.suggestions],
            "lang": self.lang,
        }
        if self.kind is not None:
            payload["help"] = self.declined_text()[0]
        return payload

    @classmethod
    def help(cls, question: str, lang: str, kind: str = "help") -> Answer:
        """The answer to "hello" or "what can you do" (what Steward covers and how to ask), or
        with `kind` "thanks" to thanks."""
        return cls(question, False, None, None, "", 0.0, (), None, (), lang, kind=kind)


_INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)


def validate_question(question: str) -> str:
    """The question stripped, or `QuestionError` when it is empty or over the limit.

    Half a UTF-16 pair on its own (from a JSON escape, or undecodable bytes in argv) is not
    text and could be neither printed nor stored: it becomes U+FFFD. Invisible formatting
    characters (zero-width spaces, soft hyphens, byte-order marks, direction marks) are dropped:
    they count for nothing a reader sees, and would split the words they sit in. Discord's
    markup (mentions, custom emoji, timestamps) and links are not what the writer asks: they go
    too (`without_markup`)."""
    text = without_markup(_INVISIBLE.sub("", UNPAIRED_SURROGATE.sub("\ufffd", question))).strip()
    if not text:
        raise QuestionError("empty_question")
    if len(text) > MAX_QUESTION_CHARS:
        raise QuestionError("too_long", length=len(text), limit=MAX_QUESTION_CHARS)
    return text


class Engine:
    """Shared knowledge plus each server's own entries, one index over all of them."""

    def __init__(
        self,
        kb: KnowledgeBase,
        *,
        semantic: bool = True,
        data_dir: Path | None = None,
        background: bool = False,
        vectors: VectorCache | None = None,
    ) -> None:
        """`semantic`: use the sentence-embedding retriever when the model loads here (see
        `bot.semantic`); `data_dir`: where computed vectors are kept across runs;
        `background`: compute missing vectors of the shared knowledge in a thread (the bot)
        rather than before the first answer (the CLI); `vectors`: a cache to share (a reload
        keeps the serving engine's)."""
        self.kb = kb
        embedder = default_embedder() if semantic else None
        index = None
        if embedder is not None:
            cache = vectors or VectorCache(
                kb.root / BUNDLED_VECTORS, data_dir / "vectors" if data_dir else None
            )
            index = SemanticIndex(embedder, cache, QueryMaps.load())
        self.matcher = Matcher(kb.lexicon, index)
        with collector_paused():
            self.matcher.load(kb.entries.values(), SHARED, background=background)
        self._guild_entries: dict[str, dict[str, Entry]] = {}
        self._word_languages: dict[str, str] | None = None  # word -> the one language using it

    # -- entries --------------------------------------------------------------------------

    def entries(self, guild: str | None = None) -> list[Entry]:
        """Entries visible from a server (shared, then its own) or from a DM (shared only)."""
        own = list(self._guild_entries.get(guild, {}).values()) if guild else []
        return [*self.kb.entries.values(), *own]

    def guilds(self) -> list[str]:
        """The servers that have entries of their own."""
        return list(self._guild_entries)

    def guild_entries(self, guild: str) -> list[Entry]:
        """Only the server's own entries."""
        return list(self._guild_entries.get(guild, {}).values())

    def entry(self, entry_id: str, guild: str | None = None) -> Entry | None:
        """An entry by id as seen from a server (its own first) or a DM."""
        if guild:
            own = self._guild_entries.get(guild, {}).get(entry_id)
            if own is not None:
                return own
        return self.kb.entries.get(entry_id)

    def put(self, entry: Entry, guild: str | None) -> None:
        """Add or replace an entry (shared when `guild` is None); both indexes update at once,
        so the next question finds it by meaning too."""
        if guild is None:
            self.kb.entries[entry.id] = entry
        else:
            self._guild_entries.setdefault(guild, {})[entry.id] = entry
        self.matcher.add(entry, guild or SHARED)

    def drop(self, entry_id: str, guild: str | None) -> None:
        """Remove an entry from the knowledge and the indexes."""
        if guild is None:
            self.kb.entries.pop(entry_id, None)
        else:
            self._guild_entries.get(guild, {}).pop(entry_id, None)
        self.matcher.remove(entry_id, guild or SHARED)

    def replace_guild(self, guild: str, entries: Iterable[Entry]) -> None:
        """Swap a server's whole set of entries."""
        entries = list(entries)
        self._guild_entries[guild] = {e.id: e for e in entries}
        self.matcher.load(entries, guild)

    # -- asking ---------------------------------------------------------------------------

    def ask(self, question: str, guild: str | None = None, lang: str = "auto") -> Answer:
        """Answer `question` as seen from `guild` (None: a DM or the CLI) in `lang`."""
        text = validate_question(question)
        if (greeting := greeting_language(text)) is not None:
            return Answer.help(text, greeting if lang == "auto" else lang)
        if (thanked := thanks_language(text)) is not None:
            return Answer.help(text, thanked if lang == "auto" else lang, "thanks")
        owners = (SHARED, guild) if guild else (SHARED,)
        result = self.matcher.match(text, owners)
        best = result.best
        if lang == "auto":
            cues = language_cues(text, self.kb.lexicon)
            # keywords only ("resultado votacion jfk8"): the words' own language decides
            lang = cue_language(cues) if any(cues) else self._keyword_language(text)
        silent_on: str | None = None
        suggestions: tuple[Suggestion, ...] = ()
        entry = self._entry_for(best) if best is not None else None
        if best is not None and entry is not None and result.decision is Decision.ANSWER:
            others = [e for c in result.also if (e := self._entry_for(c)) is not None]
            if not entry.silent:
                answer = self.render(entry, lang, question=text, confidence=best.score, guild=guild)
                for other in others:
                    if not other.silent:
                        answer = answer.joined(self.render(other, lang, guild=guild))
                return answer
            # what the message mainly asks, the sources do not answer: say so, and point to
            # what they do say and to the message's other questions
            silent_on = entry.text(lang)[0]
            pointers = [*self._related(entry, lang, guild)]
            pointers += [Suggestion(e.id, e.text(lang)[0], 1.0) for e in others if not e.silent]
            suggestions = tuple({s.id: s for s in pointers}.values())
        if result.decision is Decision.SUGGEST:
            suggestions = self._suggestions(result.candidates, lang, guild)
        return Answer(
            text,
            False,
            None,
            None,
            "",
            best.score if best else 0.0,
            (),
            None,
            suggestions,
            lang,
            silent_on=silent_on,
        )

    def _keyword_language(self, text: str) -> str:
        """Spanish when more of the words occur only in Spanish phrasings and answers than only
        in English ones (of the shared knowledge); English otherwise."""
        if self._word_languages is None:
            seen: dict[str, set[str]] = {}
            for entry in self.kb.entries.values():
                texts = [(lang, key) for lang, _text, key in entry.keyed_phrasings]
                texts += [(lang, entry.text(lang)[1]) for lang in ("en", *entry.translations)]
                for text_lang, said in texts:
                    for word in basic_tokens(said):
                        seen.setdefault(word, set()).add(text_lang)
            self._word_languages = {w: langs.pop() for w, langs in seen.items() if len(langs) == 1}
        votes = [self._word_languages.get(word) for word in basic_tokens(text)]
        return "es" if votes.count("es") > votes.count("en") else "en"

    def render(
        self,
        entry: Entry,
        lang: str,
        *,
        question: str | None = None,
        confidence: float = 1.0,
        guild: str | None = None,
    ) -> Answer:
        """The answer object for a known entry (a match, a button press or /faq show); an
        entry not yet translated into `lang` is shown in English, and its note says so."""
        matched_q, answer, note = entry.text(lang)
        if lang != "en" and lang not in entry.translations:
            note = "\n\n".join(n for n in (t("untranslated", lang), note) if n)
        return Answer(
            question=question if question is not None else matched_q,
            answered=True,
            id=entry.id,
            matched_question=matched_q,
            answer=answer,
            confidence=confidence,
            sources=self._sources(entry),
            note=note,
            suggestions=(),
            lang=lang,
            related=self._related(entry, lang, guild),
            origin=entry.origin,
        )

    def suggest(
        self,
        text: str,
        guild: str | None = None,
        limit: int = 25,
        lang: str | None = None,
        *,
        silent: bool = False,
    ) -> list[Suggestion]:
        """Entries for autocomplete: ranked by the matcher on partial text, or the first ones.
        Entries the sources are silent on are left out unless `silent` (moderators' lists)."""
        owners = {SHARED, guild} if guild else {SHARED}
        lang = lang or (detect_language(text) if text.strip() else "en")
        ranked = self.matcher.autocomplete(text, owners, limit) if text.strip() else []
        out = [
            Suggestion(c.entry_id, e.text(lang)[0], c.score)
            for c in ranked
            if (e := self._entry_for(c)) is not None and (silent or not e.silent)
        ]
        if len(out) < limit and not text.strip():
            listed = (e for e in self.entries(guild) if silent or not e.silent)
            out += [Suggestion(e.id, e.text(lang)[0], 0.0) for e in islice(listed, limit)]
        return out[:limit]

    def _entry_for(self, cand: Candidate) -> Entry | None:
        if cand.owner == SHARED:
            return self.kb.entries.get(cand.entry_id)
        return self._guild_entries.get(cand.owner, {}).get(cand.entry_id)

    def _related(self, entry: Entry, lang: str, guild: str | None) -> tuple[Suggestion, ...]:
        """The entry's related entries that answer something (not those the sources are
        silent on)."""
        return tuple(
            Suggestion(r.id, r.text(lang)[0], 1.0)
            for rid in entry.related
            if (r := self.entry(rid, guild)) is not None and not r.silent
        )

    def _suggestions(
        self, cands: Iterable[Candidate], lang: str, guild: str | None
    ) -> tuple[Suggestion, ...]:
        """Candidates above the suggestion floor; one the sources are silent on stands for its
        related entries."""
        floor = self.matcher.policy((SHARED,)).suggest
        out: dict[str, Suggestion] = {}
        for c in cands:
            if c.score < floor or (e := self._entry_for(c)) is None:
                continue
            if not e.silent:
                out.setdefault(e.id, Suggestion(e.id, e.text(lang)[0], round(c.score, 3)))
                continue
            for r in self._related(e, lang, guild):
                out.setdefault(r.id, Suggestion(r.id, r.question, round(c.score, 3)))
        return tuple(out.values())

    def _sources(self, entry: Entry) -> tuple[SourceRef, ...]:
        refs: list[SourceRef] = []
        for cit in entry.sources:
            if cit.source is not None:
                src = self.kb.sources.get(cit.source)
                if src is None:
                    continue
                refs.append(
                    SourceRef(
                        src.id, src.title, src.outlet, src.published, src.url, cit.quote or ""
                    )
                )
            elif cit.url:
                refs.append(
                    SourceRef(
                        None,
                        cit.title or cit.url,
                        _host(cit.url),
                        None,
                        cit.url,
                        cit.quote or "",
                        checked=False,
                    )
                )
        return _without_repeats(refs)


def _host(url: str) -> str:
    """A link's site, named as its outlet ("example.org")."""
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def _without_repeats(refs: list[SourceRef]) -> tuple[SourceRef, ...]:
    """The citations less those that say again what another citation of the same document
    says (a quote inside a longer quote of it, or the bare link to it)."""

    def said(ref: SourceRef) -> str:
        return fold_quote(ref.quote).rstrip(".").casefold()

    def repeats(i: int, ref: SourceRef) -> bool:
        return any(
            (other.id, other.url) == (ref.id, ref.url)
            and said(ref) in said(other)
            and (said(ref) != said(other) or j < i)  # of two equal quotes, the first stays
            for j, other in enumerate(refs)
            if j != i
        )

    return tuple(ref for i, ref in enumerate(refs) if not repeats(i, ref))


def load_engine(
    root: Path,
    data_dir: Path | None = None,
    *,
    semantic: bool = True,
    background: bool = False,
    vectors: VectorCache | None = None,
) -> tuple[Engine, list[Problem]]:
    """Load, validate and index a knowledge directory as one bulk build (see `bot.heap`).

    The engine serves only the valid entries; callers refuse to run when there are problems.
    """
    with collector_paused():
        kb, problems = load_knowledge(root)
        engine = Engine(
            kb, semantic=semantic, data_dir=data_dir, background=background, vectors=vectors
        )
        return engine, problems
