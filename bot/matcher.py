"""Match a question to FAQ entries with two retrievers and a learned decision.

Candidates are the union of the lexical index's best entries (`bot.lexical`, one index per
owner) and the semantic index's nearest ones (`bot.semantic`); each is described by features
that hold for any knowledge base (`bot.decision`), a small trained model says how likely it
answers the question, and two settings decide answer / did you mean / decline.

A message is also tried clause by clause (the question at the end of a long message, or each
of two joined questions): each asking clause is another view of the same message, and an entry
is judged by its best view.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import Enum
from typing import NamedTuple

import numpy as np

from bot.decision import DecisionModel, Policy, load_model
from bot.knowledge import Entry
from bot.lexical import LexicalIndex, LexicalMatch, Query
from bot.semantic import PASSAGE, SHARED, SemanticIndex, SemanticScores
from bot.text import Lexicon, basic_tokens, question_parts, sentences, written_as_names

_LETTERS = re.compile(r"[^\W\d_]+")
RETRIEVED = 10  # entries taken from each retriever
MAX_VIEWS = 3  # clauses of a message tried besides the whole message
# the semantic retriever reads a view's last so many characters (of a long message, its end,
# where the question is): the model's cost grows with the text's length
EMBEDDED_CHARS = 500
MAX_SUGGESTIONS = 3
MAX_ALSO = 2  # answers to a message's other questions, at most

_MONTHS = (
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre"
)
# What an answer must hold for a question asking "when" or "how many": a date or span, a number.
_HOLDS = {
    "when": re.compile(
        rf"\b(?:1[89]|20)\d\d\b|\b(?:{_MONTHS}|days?|weeks?|months?|years?|d[ií]as?|semanas?|"
        r"mes(?:es)?|a[nñ]os?|monday|tuesday|wednesday|thursday|friday|saturday|sunday|lunes|"
        r"martes|mi[eé]rcoles|jueves|viernes|s[aá]bado|domingo)\b",
        re.IGNORECASE,
    ),
    "howmany": re.compile(
        r"\d|\b(?:two|three|four|five|six|seven|eight|nine|ten|dozens?|hundreds?|thousands?|"
        r"millions?|half|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|docenas?|cientos?|"
        r"mil|miles|millones|mitad)\b",
        re.IGNORECASE,
    ),
}


def semantic_texts(entry: Entry) -> list[str]:
    """What the semantic index holds for an entry: its phrasings (as questions) and its answer
    in each language (as passages)."""
    answers = [entry.answer, *(tr.answer for tr in entry.translations.values())]
    return [p for _, p in entry.phrasings()] + [PASSAGE + a for a in answers]


def _margins(values: Sequence[float]) -> list[float]:
    """Each value minus the best of the others (minus 0 when there are none)."""
    if len(values) < 2:
        return [v - 0.0 for v in values]
    first = max(range(len(values)), key=values.__getitem__)
    best = values[first]
    runner_up = max(v for i, v in enumerate(values) if i != first)
    return [v - (runner_up if i == first else best) for i, v in enumerate(values)]


def _holds(entry: Entry) -> frozenset[str]:
    """The kinds of fact (`_HOLDS`) the entry's answer, in any language, holds."""
    texts = [entry.answer, *(tr.answer for tr in entry.translations.values())]
    return frozenset(k for k, rx in _HOLDS.items() if any(rx.search(t) for t in texts))


class Decision(Enum):
    """What to do with a question."""

    ANSWER = "answer"
    SUGGEST = "suggest"
    DECLINE = "decline"


@dataclass(frozen=True)
class Candidate:
    """An entry and how likely it answers the question (`score`, 0..1)."""

    owner: str
    entry_id: str
    score: float
    phrasing: str
    lang: str


@dataclass(frozen=True)
class MatchResult:
    """The decision and the ranked distinct entries behind it."""

    decision: Decision
    candidates: tuple[Candidate, ...]
    # answers to the message's other questions, each another entry, in the order asked
    also: tuple[Candidate, ...] = ()

    @property
    def best(self) -> Candidate | None:
        """The top candidate, if any."""
        return self.candidates[0] if self.candidates else None


class View(NamedTuple):
    """One text a message is judged by (`Matcher.views`)."""

    text: str
    corrected: bool = False  # the message with its typos corrected
    part: bool = False  # a clause or sentence of the message, not all of it


@dataclass
class Scored:
    """One candidate of one view of a question: its features and, once judged, probability."""

    owner: str
    entry_id: str
    match: LexicalMatch
    features: dict[str, float] = field(default_factory=dict)
    probability: float = 0.0


class Matcher:
    """Both retrievers over every owner's entries, and the decision."""

    def __init__(
        self,
        lexicon: Lexicon,
        semantic: SemanticIndex | None = None,
        model: DecisionModel | None = None,
    ) -> None:
        self.lexicon = lexicon
        # a server's entries match on their own words: stop words only, no shared synonyms
        self._plain = Lexicon(stop_words=lexicon.stop_words, common=lexicon.common)
        self.semantic = semantic
        self._model = model
        self._lexical: dict[str, LexicalIndex] = {SHARED: LexicalIndex(lexicon)}
        self._entries: dict[tuple[str, str], Entry] = {}
        # what each entry's answer holds (`_holds`), worked out on first use, with the entry
        # it was worked out from (a replaced entry's is stale)
        self._holds: dict[tuple[str, str], tuple[Entry, frozenset[str]]] = {}

    @property
    def model(self) -> DecisionModel:
        """The decision model (the shipped one unless given)."""
        if self._model is None:
            self._model = load_model()
        return self._model

    # -- building -------------------------------------------------------------------------

    def _index(self, owner: str) -> LexicalIndex:
        index = self._lexical.get(owner)
        if index is None:
            lexicon = self.lexicon if owner == SHARED else self._plain
            index = self._lexical[owner] = LexicalIndex(lexicon)
        return index

    def add(self, entry: Entry, owner: str = SHARED) -> None:
        """Index an entry in both retrievers (replacing an earlier version)."""
        self._index(owner).add(entry)
        self._entries[owner, entry.id] = entry
        if self.semantic is not None:
            self.semantic.put(owner, entry.id, semantic_texts(entry))

    def remove(self, entry_id: str, owner: str = SHARED) -> None:
        """Drop an entry; unknown ids are ignored."""
        self._index(owner).remove(entry_id)
        self._entries.pop((owner, entry_id), None)
        self._holds.pop((owner, entry_id), None)
        if self.semantic is not None:
            self.semantic.drop(owner, entry_id)

    def load(self, entries: Iterable[Entry], owner: str = SHARED, background: bool = False) -> None:
        """Index an owner's whole set of entries at once (vectors the cache lacks are computed,
        with `background` in a thread while the lexical index already answers)."""
        entries = list(entries)
        with ThreadPoolExecutor(1, thread_name_prefix=f"load-{owner}") as pool:
            # the cached vectors are gathered beside the lexical build (numpy's copying runs
            # without the interpreter lock: about 0.4 s of 3.5 s at 10,000 entries)
            semantic = (
                pool.submit(
                    self.semantic.load,
                    owner,
                    [(e.id, semantic_texts(e)) for e in entries],
                    background=background,
                )
                if self.semantic is not None
                else None
            )
            self._lexical.pop(owner, None)
            self._entries = {k: v for k, v in self._entries.items() if k[0] != owner}
            self._holds = {k: v for k, v in self._holds.items() if k[0] != owner}
            index = self._index(owner)
            for entry in entries:
                index.add(entry)
                self._entries[owner, entry.id] = entry
            if semantic is not None:
                semantic.result()  # its errors are the caller's, as before

    def warm(self) -> None:
        """Build every lazily built structure now (at load, not on a question)."""
        for index in self._lexical.values():
            index.warm()

    @property
    def entry_count(self) -> int:
        """How many entries are indexed (all owners)."""
        return sum(i.entry_count for i in self._lexical.values())

    @property
    def phrasing_count(self) -> int:
        """How many phrasings are indexed (all owners)."""
        return sum(i.phrasing_count for i in self._lexical.values())

    # -- features -------------------------------------------------------------------------

    def views(
        self, question: str, owners: Sequence[str], *, last_sentence: bool = True
    ) -> list[View]:
        """The texts a message is judged by: the message, the clauses that ask something and
        (with `last_sentence`) its last sentence, where a question sits after whatever the
        asker told first, and the message with its typos corrected to the visible entries'
        words (the model weighs such a view itself). Training leaves the last sentence out:
        retrained with it, the model lost on the validation split at every seed, while the
        model trained without it gains from it there and on long messages
        (`benchmarks/ablations.md`)."""
        asking = [clause for clause, asks in question_parts(question) if asks]
        said = sentences(question) if last_sentence else []
        if len(said) > 1 and said[-1] not in asking:
            asking.append(said[-1])
        views = [View(question), *(View(c, part=True) for c in asking[-MAX_VIEWS:])]
        spelled = self._spelled(question, owners)
        return [*views, View(spelled, corrected=True)] if spelled else views

    def _spelled(self, text: str, owners: Sequence[str]) -> str | None:
        """`text` with each unknown word replaced by the visible phrasings' word it is a typo
        of; None when nothing changes."""
        indexes = [i for o in owners if (i := self._lexical.get(o)) is not None]
        names = set(written_as_names(text))  # "Texas" is a name, not a typo of "temas"

        def fix(match: re.Match[str]) -> str:
            word = match.group()
            folded = basic_tokens(word)
            if len(folded) != 1 or word in names:
                return word
            for index in indexes:
                if (found := index.spelling(folded[0])) is not None:
                    return found
            return word

        spelled = _LETTERS.sub(fix, text)
        return spelled if spelled != text else None

    def _semantic_ready(self, owners: Sequence[str]) -> bool:
        return self.semantic is not None and all(self.semantic.ready(o) for o in owners)

    def score_view(
        self, view: View, owners: Sequence[str], names: Iterable[str] = ()
    ) -> list[Scored]:
        """One view's candidates with their features (not yet judged). `names`: the words the
        whole message writes as names."""
        text = view.text
        sem: SemanticScores | None = None
        if self._semantic_ready(owners):
            assert self.semantic is not None
            sem = self.semantic.score(text[-EMBEDDED_CHARS:], owners)
        names = [*names, *written_as_names(text)]
        found: list[Scored] = []
        queries: dict[str, Query] = {}
        semantic_top = sem.top(RETRIEVED) if sem else []
        for owner in owners:
            index = self._lexical.get(owner)
            query = index.query(text, names) if index else None
            if index is None or query is None:
                continue
            queries[owner] = query
            wanted = [eid for o, eid in semantic_top if o == owner]
            for m in index.search(query, RETRIEVED, only=wanted):
                found.append(Scored(owner, m.entry_id, m))
        if not found:
            return []
        lex_scores = [c.match.score for c in found]
        lex_order = np.argsort(lex_scores)[::-1]
        cosines = [(sem.cosine(c.owner, c.entry_id) if sem else None) or 0.0 for c in found]
        answer_cos = [
            (sem.cosine(c.owner, c.entry_id, passages=True) if sem else None) or 0.0 for c in found
        ]
        mapped = [
            sum(
                sem.cosine(c.owner, c.entry_id, passages=passages, mapped=True) or 0.0
                for passages in (False, True)
            )
            if sem
            else 0.0
            for c in found
        ]
        mean, std = sem.spread() if sem else (0.0, 1.0)
        a_mean, a_std = sem.spread(passages=True) if sem else (0.0, 1.0)
        cos_order = np.argsort(cosines)[::-1]
        margins = {
            name: _margins(values)
            for name, values in (
                ("lex", lex_scores),
                ("cos", cosines),
                ("answer", answer_cos),
                ("mapped", mapped),
            )
        }
        q_kinds = {k for k in _HOLDS if k in queries[found[0].owner].tokens}
        for i, cand in enumerate(found):
            m, query = cand.match, queries[cand.owner]
            index = self._lexical[cand.owner]
            cand.features = {
                "lex_score": m.score,
                "q_cov": m.q_cov,
                "p_cov": m.p_cov,
                "fuzzy": m.fuzzy,
                "answer_cov": m.answer_cov,
                "missing_names": m.missing_names,
                "unknown": query.unknown,
                "lex_margin": margins["lex"][i],
                "lex_top": float(lex_order[0] == i),
                "type_unmet": float(
                    bool(q_kinds - self._answer_kinds((cand.owner, cand.entry_id)))
                ),
                "q_len": math.log1p(len(query.tokens)),
                "phrasings": math.log1p(index.phrasing_counts(cand.entry_id)),
                "cosine": cosines[i],
                "cos_margin": margins["cos"][i],
                "cos_top": float(cos_order[0] == i),
                "corrected": float(view.corrected),
                "cos_z": (cosines[i] - mean) / std if sem else 0.0,
                "answer_cos": answer_cos[i],
                "answer_z": (answer_cos[i] - a_mean) / a_std if sem else 0.0,
                "answer_margin": margins["answer"][i],
                "mapped": mapped[i],
                "mapped_margin": margins["mapped"][i],
            }
        return found

    def _answer_kinds(self, key: tuple[str, str]) -> frozenset[str]:
        """The kinds of fact the entry's answer holds (`_holds`)."""
        entry = self._entries.get(key)
        if entry is None:
            return frozenset()
        cached = self._holds.get(key)
        if cached is None or cached[0] is not entry:
            cached = self._holds[key] = (entry, _holds(entry))
        return cached[1]

    def policy(self, owners: Sequence[str]) -> Policy:
        """The decision policy for the retrievers that can serve `owners` now."""
        return self.model.semantic if self._semantic_ready(owners) else self.model.lexical

    @staticmethod
    def judge(scored: list[Scored], policy: Policy) -> None:
        """Set each candidate's probability with the policy's model."""
        if not scored:
            return
        model = policy.model
        rows = np.array([[c.features[f] for f in model.features] for c in scored], float)
        for cand, p in zip(scored, model.predict(rows), strict=True):
            cand.probability = float(p)

    # -- deciding -------------------------------------------------------------------------

    def match(self, question: str, owners: Iterable[str] = (SHARED,)) -> MatchResult:
        """Rank the entries visible to `owners` for `question` and decide."""
        owners = list(dict.fromkeys(owners))
        exact = [
            Candidate(o, eid, 1.0, question, "")
            for o in owners
            if (index := self._lexical.get(o)) is not None
            for eid in index.exact(question)
        ]
        if exact:  # a phrasing of the FAQ itself (an autocomplete choice): that entry
            return MatchResult(Decision.ANSWER, (exact[-1],))
        policy = self.policy(owners)
        names = written_as_names(question)
        best: dict[tuple[str, str], Scored] = {}
        clause_tops: set[tuple[str, str]] = set()  # the first entry of each asking clause
        views = [(v, self.score_view(v, owners, names=names)) for v in self.views(question, owners)]
        self.judge([c for _, scored in views for c in scored], policy)  # one call: all views
        for view, scored in views:
            if scored and view.part:
                top = max(scored, key=lambda c: c.probability)
                clause_tops.add((top.owner, top.entry_id))
            for cand in scored:
                key = (cand.owner, cand.entry_id)
                if key not in best or cand.probability > best[key].probability:
                    best[key] = cand
        ranked = sorted(best.values(), key=lambda c: (-c.probability, c.entry_id))
        # what one of the message's clauses asks first ("What is the ALU and who is its
        # president?") is another answer, not a rival
        others = [
            c
            for c in ranked[1:]
            if c.probability >= policy.answer and (c.owner, c.entry_id) in clause_tops
        ]
        rivals = [c for c in ranked if c not in others]
        decision = self.decide(policy, rivals)
        also = [self._candidate(c) for c in others] if decision is Decision.ANSWER else []
        return MatchResult(
            decision,
            tuple(self._candidate(c) for c in ranked[:MAX_SUGGESTIONS]),
            tuple(also[:MAX_ALSO]),
        )

    def _candidate(self, c: Scored) -> Candidate:
        return Candidate(
            c.owner, c.entry_id, round(c.probability, 4), c.match.phrasing, c.match.lang
        )

    def decide(self, policy: Policy, ranked: Sequence[Scored]) -> Decision:
        """Rasa's two settings: answer at or above `answer` unless the second entry is within
        `margin` (and is not an entry the first lists as related); suggest from `suggest`."""
        if not ranked or ranked[0].probability < policy.suggest:
            return Decision.DECLINE
        first = ranked[0]
        if first.probability < policy.answer:
            return Decision.SUGGEST
        if len(ranked) < 2 or first.probability - ranked[1].probability >= policy.margin:
            return Decision.ANSWER
        entry = self._entries.get((first.owner, first.entry_id))
        if entry is not None and ranked[1].entry_id in entry.related:
            return Decision.ANSWER
        return Decision.SUGGEST

    # -- autocomplete ---------------------------------------------------------------------

    def autocomplete(self, text: str, owners: Iterable[str], limit: int = 25) -> list[Candidate]:
        """Entries for a half-typed question, by the lexical index alone (fast)."""
        out: list[Candidate] = []
        for owner in owners:
            index = self._lexical.get(owner)
            query = index.query(index.complete(text)) if index else None
            if index is None or query is None:
                continue
            out += [
                Candidate(owner, m.entry_id, round(m.score, 4), m.phrasing, m.lang)
                for m in index.search(query, limit)
                if m.score > 0
            ]
        return sorted(out, key=lambda c: -c.score)[:limit]
