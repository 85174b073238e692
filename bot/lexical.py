"""The lexical retriever: an inverted index over one owner's phrasings, scored by IDF-weighted
coverage and rapidfuzz, with typo correction over the index's own vocabulary.

It measures; it does not decide. What it reports for each entry (how much of the question its
best phrasing covers and the reverse, fuzzy similarity, words only its answer explains, what
the question names that the entry never mentions) are features of the learned decision
(`bot.decision`). Each owner (the shared knowledge, each server) has its own index and its
own lexicon, so synonyms written for the shared FAQ never change how a server's entries match.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import math
import operator
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from bot.knowledge import Entry
from bot.text import QUESTION_WORDS, Lexicon, basic_tokens, phrasing_key, stem

QUESTION_WORD_WEIGHT = 0.35  # "who"/"when" say what kind of answer is wanted, not what about
LETTERS_PER_TYPO = 10  # a word may hold one typo (Damerau-Levenshtein), one more per this many
TYPO_CREDIT = 0.85  # a corrected or inflected word counts this much of a match
SHORTLIST = 40  # phrasings scored in full after the postings shortlist
CORRECTIONS_KEPT = 4096  # remembered typo corrections, per index
CANDIDATE_BUDGET = 2000  # postings longer than this only credit candidates found otherwise


@dataclass(frozen=True, slots=True)
class _Phrasing:
    entry_id: str
    lang: str
    text: str
    tokens: frozenset[str]
    joined: str  # the tokens sorted and joined, for rapidfuzz's token_sort_ratio


@dataclass(frozen=True)
class LexicalMatch:
    """How well one entry's best phrasing covers a question (all shares in 0..1)."""

    entry_id: str
    phrasing: str
    lang: str
    q_cov: float  # of the question's weight, the share the phrasing has
    p_cov: float  # of the phrasing's weight, the share the question has
    fuzzy: float  # rapidfuzz token_sort_ratio of the content tokens
    answer_cov: float  # of the question's weight, the share only the entry's answer has
    missing_names: float  # of the question's weight, names and numbers the entry never uses

    @cached_property
    def score(self) -> float:
        """One summary of the match, for ranking (weighted F-measure and fuzzy)."""
        if not self.q_cov or not self.p_cov:
            return 0.0
        f_score = 2 * self.q_cov * self.p_cov / (self.q_cov + self.p_cov)
        return 0.75 * f_score * self.q_cov**0.5 + 0.25 * self.fuzzy * self.q_cov


@dataclass(frozen=True)
class Query:
    """A question as one index sees it: its tokens resolved against the vocabulary."""

    tokens: tuple[str, ...]
    # token -> (indexed token, credit, weight); credit 0: the index does not know it
    terms: dict[str, tuple[str, float, float]]
    names: frozenset[str]  # what the question names (not ordinary words), resolved
    total: float
    unknown: float  # share of the question's weight the index does not know
    joined: str  # the known tokens sorted and joined (all of them when none is known)


class LexicalIndex:
    """One owner's phrasings, updatable in place."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self._phrasings: dict[int, _Phrasing] = {}
        self._by_entry: dict[str, list[int]] = {}
        self._entry_vocab: dict[str, frozenset[str]] = {}  # phrasings' and answers' tokens
        self._answer_tokens: dict[str, frozenset[str]] = {}
        # phrasing_key -> phrasings (a tuple: almost always one, and a set costs 200 bytes)
        self._exact: dict[str, tuple[int, ...]] = {}
        self._postings: dict[str, set[int]] = defaultdict(set)
        self._entry_df: Counter[str] = Counter()
        self._next_id = 0
        self._idf_cache: dict[str, float] = {}
        self._total_p: dict[int, float] = {}
        self._vocab_cache: tuple[dict[str, list[str]], dict[str, str]] | None = None
        self._corrections: dict[str, str | None] = {}
        self._unigrams: Counter[str] = Counter()
        self._bigrams: Counter[tuple[str, str]] = Counter()
        self._words_sorted: list[str] | None = None

    # -- building -------------------------------------------------------------------------

    def add(self, entry: Entry) -> None:
        """Index an entry (replacing any earlier version with the same id)."""
        self.remove(entry.id)
        ids: list[int] = []
        entry_tokens: set[str] = set()
        for lang, text, key in entry.keyed_phrasings:
            words = list(map(sys.intern, key.split()))  # one string per word in the counts
            self._count_words(words, 1)
            toks = frozenset(self.lexicon.content_tokens_of(words))
            if not toks:
                continue
            pid = self._next_id
            self._next_id += 1
            self._phrasings[pid] = _Phrasing(entry.id, lang, text, toks, " ".join(sorted(toks)))
            for tok in toks:
                self._postings[tok].add(pid)
            self._exact[key] = (*self._exact.get(key, ()), pid)
            entry_tokens |= toks
            ids.append(pid)
        self._by_entry[entry.id] = ids
        answers = " ".join([entry.answer, *(tr.answer for tr in entry.translations.values())])
        answer_tokens = frozenset(self.lexicon.content_tokens(answers))
        self._answer_tokens[entry.id] = answer_tokens
        self._entry_vocab[entry.id] = frozenset(entry_tokens) | answer_tokens
        self._entry_df.update(entry_tokens)
        self._changed()

    def add_all(self, entries: Iterable[Entry]) -> None:
        """Index many entries."""
        for entry in entries:
            self.add(entry)

    def remove(self, entry_id: str) -> None:
        """Drop an entry; unknown ids are ignored."""
        ids = self._by_entry.pop(entry_id, None)
        self._answer_tokens.pop(entry_id, None)
        self._entry_vocab.pop(entry_id, None)
        if not ids:
            return
        entry_tokens: set[str] = set()
        for pid in ids:
            ph = self._phrasings.pop(pid)
            key = phrasing_key(ph.text)
            self._count_words(key.split(), -1)
            for tok in ph.tokens:
                self._postings[tok].discard(pid)
                if not self._postings[tok]:
                    del self._postings[tok]
            rest = tuple(p for p in self._exact[key] if p != pid)
            if rest:
                self._exact[key] = rest
            else:
                del self._exact[key]
            entry_tokens |= ph.tokens
        for tok in entry_tokens:
            self._entry_df[tok] -= 1
            if self._entry_df[tok] <= 0:
                del self._entry_df[tok]
        self._changed()

    def _count_words(self, words: list[str], delta: int) -> None:
        if delta > 0:  # Counter.update counts in C
            self._unigrams.update(words)
            self._bigrams.update(itertools.pairwise(words))
        else:
            self._unigrams.subtract(words)
            self._bigrams.subtract(itertools.pairwise(words))

    def _changed(self) -> None:
        # every weight depends on the number of entries: recompute lazily after a change
        self._idf_cache.clear()
        self._total_p.clear()
        self._vocab_cache = None
        self._words_sorted = None
        self._corrections.clear()

    def warm(self) -> None:
        """Build now what questions would otherwise build on first use."""
        self._vocab()
        self._sorted_words()

    @property
    def entry_count(self) -> int:
        """How many entries are indexed."""
        return len(self._by_entry)

    @property
    def phrasing_count(self) -> int:
        """How many phrasings are indexed."""
        return len(self._phrasings)

    def phrasing_counts(self, entry_id: str) -> int:
        """How many phrasings an entry has here."""
        return len(self._by_entry.get(entry_id, ()))

    def exact(self, text: str) -> list[str]:
        """Entries with a phrasing written exactly like `text` (case, accents and punctuation
        aside): an autocomplete choice, or a question copied from the FAQ."""
        return list(
            dict.fromkeys(
                self._phrasings[p].entry_id for p in self._exact.get(phrasing_key(text), ())
            )
        )

    # -- weights --------------------------------------------------------------------------

    def _idf(self, token: str) -> float:
        cached = self._idf_cache.get(token)
        if cached is None:
            n = max(len(self._by_entry), 1)
            df = self._entry_df.get(token, 0)
            cached = math.log(1 + n / (df if df else 0.5))
            if token in QUESTION_WORDS:
                cached = min(cached, 1.0) * QUESTION_WORD_WEIGHT
            self._idf_cache[token] = cached
        return cached

    def _is_name(self, token: str) -> bool:
        return token not in self.lexicon.common and token not in QUESTION_WORDS

    def _vocab(self) -> tuple[dict[str, list[str]], dict[str, str]]:
        """Known spellings by first letter (a typo rarely hits the first letter), sorted, and
        the indexed token each stands for: indexed words, and the lexicon's single-word
        variants of indexed tokens."""
        if self._vocab_cache is None:
            spellings = {t: t for t in self._postings if len(t) >= 4 and t.isalpha()}
            for variant, canonical in self.lexicon.words.items():
                word = stem(variant)
                if canonical in self._postings and len(word) >= 4 and word.isalpha():
                    spellings.setdefault(word, canonical)
            buckets: dict[str, list[str]] = defaultdict(list)
            for word in spellings:
                buckets[word[0]].append(word)
            self._vocab_cache = ({k: sorted(v) for k, v in buckets.items()}, spellings)
        return self._vocab_cache

    def _correct(self, token: str) -> str | None:
        """`_correct_uncached`, remembered (a plain dict: a cache holding a bound method would
        make a reference cycle, and keep an index that a reload replaced alive)."""
        if token not in self._corrections:
            if len(self._corrections) >= CORRECTIONS_KEPT:
                self._corrections.clear()
            self._corrections[token] = self._correct_uncached(token)
        return self._corrections[token]

    def _correct_uncached(self, token: str) -> str | None:
        """An indexed word this one is a typo, an inflection or an unfinished form of."""
        if len(token) < 5 or not token.isalpha():
            return None
        buckets, spellings = self._vocab()
        for cut in range(len(token), 4, -1):  # a known spelling, or an inflection of one
            known = spellings.get(token[:cut])
            if known:
                return known
        if token in self.lexicon.common:  # a real word is not a typo of another
            return None
        vocab = buckets.get(token[0], [])
        found = process.extractOne(
            token,
            vocab,
            scorer=DamerauLevenshtein.distance,
            score_cutoff=1 + len(token) // LETTERS_PER_TYPO,
        )
        if found:
            return spellings[found[0]]
        start = bisect.bisect_left(vocab, token)
        longer = itertools.takewhile(lambda t: t.startswith(token), vocab[start:])
        close = [t for t in longer if len(t) - len(token) <= 3]
        return spellings[min(close, key=len)] if close else None

    # -- querying -------------------------------------------------------------------------

    def query(self, text: str, names: Iterable[str] = ()) -> Query | None:
        """Resolve a question's content tokens; None when it has none. `names`: words the
        writer marked as names (capitalised inside a sentence), which count as names here."""
        tokens = self.lexicon.content_tokens(text)
        if not tokens:
            return None
        marked = {stem(w) for w in basic_tokens(" ".join(names))}
        unknown_weight = math.log(1 + max(len(self._by_entry), 1) / 0.5)
        terms: dict[str, tuple[str, float, float]] = {}
        found_names: set[str] = set()
        for tok in tokens:
            if tok in terms:
                continue
            target, credit = tok, 0.0
            if tok in self._postings:
                credit = 1.0
            elif (fixed := self._correct(tok)) is not None:
                target, credit = fixed, TYPO_CREDIT
            weight = self._idf(target) if credit else unknown_weight
            if target in self.lexicon.common and tok not in marked:
                weight = min(weight, 2.5)  # an ordinary word only one entry uses is no name
            terms[tok] = (target, credit, weight)
            if (self._is_name(target) or tok in marked) and (len(tok) > 1 or tok.isdigit()):
                found_names.add(target)
        total = math.fsum(w for _, _, w in terms.values())
        unknown = math.fsum(w for _, c, w in terms.values() if not c) / total if total else 1.0
        known = sorted(t for t, c, _ in terms.values() if c)
        joined = " ".join(known or tokens)
        return Query(tuple(tokens), terms, frozenset(found_names), total, unknown, joined)

    def search(
        self,
        query: Query,
        limit: int = 10,
        only: Iterable[str] = (),
    ) -> list[LexicalMatch]:
        """The best `limit` entries for `query`, plus every entry in `only` (scored even if
        the shortlist misses it)."""
        acc, acc_p = self._accumulate([(t, c, w) for t, c, w in query.terms.values() if c], only)
        # ties go to the earlier phrasing, so a run never depends on set order (hash seeds)
        top = heapq.nlargest(SHORTLIST * 2, zip(acc.values(), map(operator.neg, acc), strict=True))
        shortlist = [-negated for _, negated in top]
        wanted = dict.fromkeys(only)
        shortlist += [
            p for e in wanted for p in sorted(self._by_entry.get(e, ())) if p not in shortlist
        ]
        credited = [(t, w * c) for t, c, w in query.terms.values() if c]
        named = [(t, w) for t, _c, w in query.terms.values() if t in query.names]
        missing: dict[str, float] = {}  # per entry: what the question names it never uses
        best: dict[str, LexicalMatch] = {}
        for pid in shortlist:
            ph = self._phrasings[pid]
            if ph.entry_id not in missing:
                vocab = self._entry_vocab.get(ph.entry_id, frozenset())
                missing[ph.entry_id] = math.fsum(w for t, w in named if t not in vocab)
            match = self._match(
                ph,
                pid,
                query,
                (acc.get(pid, 0.0), acc_p.get(pid, 0.0)),
                credited,
                missing[ph.entry_id],
            )
            prev = best.get(ph.entry_id)
            if prev is None or match.score > prev.score:
                best[ph.entry_id] = match
        ranked = sorted(best.values(), key=lambda m: (-m.score, m.entry_id))
        return [m for i, m in enumerate(ranked) if i < limit or m.entry_id in wanted]

    def _match(
        self,
        ph: _Phrasing,
        pid: int,
        query: Query,
        matched: tuple[float, float],
        credited: list[tuple[str, float]],
        missing: float,
    ) -> LexicalMatch:
        """One phrasing's match; `matched` is its matched weight on the question's side and
        its own, `credited` the question's known words with their credited weights."""
        matched_q, matched_p = matched
        total_p = self._total_p.get(pid)
        if total_p is None:
            total_p = self._total_p[pid] = math.fsum(self._phrasing_weight(t) for t in ph.tokens)
        answer = self._answer_tokens.get(ph.entry_id, frozenset())
        explained = math.fsum(wc for t, wc in credited if t not in ph.tokens and t in answer)
        total_q = query.total or 1.0
        return LexicalMatch(
            ph.entry_id,
            ph.text,
            ph.lang,
            min(matched_q / total_q, 1.0),
            min(matched_p / total_p, 1.0) if total_p else 0.0,
            fuzz.token_sort_ratio(query.joined, ph.joined) / 100.0,
            min(explained / total_q, 1.0),
            min(missing / total_q, 1.0),
        )

    def _phrasing_weight(self, token: str) -> float:
        """A phrasing's names weigh more than its ordinary words: a question that leaves out
        the name a phrasing is about is probably not about it."""
        weight = self._idf(token)
        return weight * 1.5 if self._is_name(token) else weight

    def _accumulate(
        self, targets: list[tuple[str, float, float]], only: Iterable[str]
    ) -> tuple[dict[int, float], dict[int, float]]:
        """Matched weight per phrasing, question side and phrasing side.

        Candidates come from the postings of the rarer words (a phrasing that shares just
        "when" cannot score well); common words are credited to those candidates by
        membership, so a query never walks tens of thousands of postings.
        """
        acc: dict[int, float] = defaultdict(float)
        acc_p: dict[int, float] = defaultdict(float)
        empty: set[int] = set()
        ordered = sorted(targets, key=lambda t: len(self._postings.get(t[0], empty)))
        if len(ordered) > 1 and len(self._postings.get(ordered[0][0], empty)) > CANDIDATE_BUDGET:
            rarest = [self._postings.get(t[0], empty) for t in ordered[:3]]
            seeds = set.intersection(*rarest) or set().union(
                *(a & b for a, b in itertools.combinations(rarest, 2))
            )
            rare: list[tuple[str, float, float]] = []
            common = ordered
        else:
            seeds = set()
            rare = [
                t
                for i, t in enumerate(ordered)
                if i == 0 or len(self._postings.get(t[0], empty)) <= CANDIDATE_BUDGET
            ]
            common = [t for t in ordered if t not in rare]
        seeds.update(p for e in only for p in self._by_entry.get(e, ()))
        for target, credit, weight in rare:
            p_weight = self._phrasing_weight(target) * credit
            for pid in self._postings.get(target, empty):
                acc[pid] += weight * credit
                acc_p[pid] += p_weight
        for pid in seeds:
            acc[pid] += 0.0
        for target, credit, weight in common:
            p_weight = self._phrasing_weight(target) * credit
            for pid in acc:
                if target in self._phrasings[pid].tokens:
                    acc[pid] += weight * credit
                    acc_p[pid] += p_weight
        return acc, acc_p

    def spelling(self, word: str) -> str | None:
        """The phrasings' word an unknown `word` is a typo of ("recomendations"), if any:
        within one edit, one more per `LETTERS_PER_TYPO` letters."""
        known = (
            self._unigrams.get(word, 0) > 0
            or word in self.lexicon.words
            or word in self.lexicon.stop_words
            or stem(word) in self.lexicon.common
        )
        if known or len(word) < 4 or not word.isalpha():
            return None
        found = process.extract(
            word,
            self._sorted_words(),
            scorer=DamerauLevenshtein.distance,
            score_cutoff=1 + len(word) // LETTERS_PER_TYPO,
            limit=8,
        )
        # the nearest, then the most used ("haris": "harris" before "haria")
        best = min(found, key=lambda f: (f[1], -self._unigrams[f[0]]), default=None)
        return best[0] if best else None

    # -- autocomplete ---------------------------------------------------------------------

    def _sorted_words(self) -> list[str]:
        if self._words_sorted is None:
            self._words_sorted = sorted(w for w, n in self._unigrams.items() if n > 0)
        return self._words_sorted

    def complete(self, text: str) -> str:
        """Finish a half-typed last word from the phrasings' words ("task f" -> "task force")."""
        if not text or text[-1].isspace():
            return text
        words = basic_tokens(text)
        if not words or (self._unigrams.get(words[-1], 0) > 0 and len(words[-1]) > 3):
            return text
        vocab = self._sorted_words()
        partial = words[-1]
        start = bisect.bisect_left(vocab, partial)
        options = list(itertools.takewhile(lambda w: w.startswith(partial), vocab[start:]))
        if not options:
            return text
        prev = words[-2] if len(words) > 1 else None
        best = max(
            options,
            key=lambda w: (self._bigrams.get((prev, w), 0) if prev else 0, self._unigrams[w]),
        )
        return " ".join([*words[:-1], best])
