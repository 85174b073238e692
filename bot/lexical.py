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
import itertools
import math
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
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


def summary_score(q_cov: float, p_cov: float, fuzzy: float) -> float:
    """One summary of a phrasing's match, for ranking (weighted F-measure and fuzzy)."""
    if not q_cov or not p_cov:
        return 0.0
    f_score = 2 * q_cov * p_cov / (q_cov + p_cov)
    return 0.75 * f_score * q_cov**0.5 + 0.25 * fuzzy * q_cov


@dataclass(frozen=True, slots=True)
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
    score: float  # `summary_score` of the three above


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
        self._posting_arrays: dict[str, npt.NDArray[np.intp]] = {}  # the same, as arrays
        self._entry_df: Counter[str] = Counter()
        self._next_id = 0
        self._idf_cache: dict[str, float] = {}
        self._total_p: dict[int, float] = {}
        self._vocab_cache: tuple[dict[str, list[str]], dict[str, str]] | None = None
        self._corrections: dict[str, str | None] = {}  # typo -> indexed word (`_correct`)
        self._spellings: dict[str, str | None] = {}  # typo -> phrasings' word (`spelling`)
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
                self._posting_arrays.pop(tok, None)
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
                self._posting_arrays.pop(tok, None)
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
        self._spellings.clear()

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

    @staticmethod
    def _remembered(
        cache: dict[str, str | None], word: str, find: Callable[[str], str | None]
    ) -> str | None:
        """`find(word)`, remembered in `cache` until the index changes (a plain dict: a cache
        holding a bound method would make a reference cycle, and keep an index that a reload
        replaced alive)."""
        if word not in cache:
            if len(cache) >= CORRECTIONS_KEPT:
                cache.clear()
            cache[word] = find(word)
        return cache[word]

    def _correct(self, token: str) -> str | None:
        """`_correct_uncached`, remembered."""
        return self._remembered(self._corrections, token, self._correct_uncached)

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
        wanted = dict.fromkeys(only)
        acc, acc_p, touched = self._accumulate(
            [(t, c, w) for t, c, w in query.terms.values() if c], wanted
        )
        # the best-covered phrasings; ties go to the earlier phrasing, so a run never depends
        # on set order (hash seeds)
        found = np.flatnonzero(touched)
        shortlist: list[int] = found[np.lexsort((found, -acc[found]))[: SHORTLIST * 2]].tolist()
        listed = set(shortlist)
        shortlist += [
            p for e in wanted for p in sorted(self._by_entry.get(e, ())) if p not in listed
        ]
        if not shortlist:
            return []
        phrasings = [self._phrasings[pid] for pid in shortlist]
        fuzzy = process.cdist(
            [query.joined],
            [ph.joined for ph in phrasings],
            scorer=fuzz.token_sort_ratio,
            dtype=np.float64,
        )[0].tolist()
        matched_q, matched_p = acc[shortlist].tolist(), acc_p[shortlist].tolist()
        total_q = query.total or 1.0
        best: dict[str, tuple[float, int]] = {}  # entry -> (score, position in the shortlist)
        covers: list[tuple[float, float, float]] = []
        for i, (pid, ph) in enumerate(zip(shortlist, phrasings, strict=True)):
            total_p = self._total_p.get(pid)
            if total_p is None:
                total_p = self._total_p[pid] = math.fsum(map(self._phrasing_weight, ph.tokens))
            cover = (
                min(matched_q[i] / total_q, 1.0),
                min(matched_p[i] / total_p, 1.0) if total_p else 0.0,
                fuzzy[i] / 100.0,
            )
            covers.append(cover)
            score = summary_score(*cover)
            prev = best.get(ph.entry_id)
            if prev is None or score > prev[0]:
                best[ph.entry_id] = (score, i)
        credited = [(t, w * c) for t, c, w in query.terms.values() if c]
        named = [(t, w) for t, _c, w in query.terms.values() if t in query.names]
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))
        out: list[LexicalMatch] = []
        for rank, (entry_id, (score, i)) in enumerate(ranked):
            if rank >= limit and entry_id not in wanted:
                continue
            ph = phrasings[i]
            vocab = self._entry_vocab.get(entry_id, frozenset())
            answer = self._answer_tokens.get(entry_id, frozenset())
            missing = math.fsum(w for t, w in named if t not in vocab)
            explained = math.fsum(wc for t, wc in credited if t not in ph.tokens and t in answer)
            out.append(
                LexicalMatch(
                    entry_id,
                    ph.text,
                    ph.lang,
                    *covers[i],
                    min(explained / total_q, 1.0),
                    min(missing / total_q, 1.0),
                    score,
                )
            )
        return out

    def _phrasing_weight(self, token: str) -> float:
        """A phrasing's names weigh more than its ordinary words: a question that leaves out
        the name a phrasing is about is probably not about it."""
        weight = self._idf(token)
        return weight * 1.5 if self._is_name(token) else weight

    def _posting(self, token: str) -> npt.NDArray[np.intp]:
        """The phrasings holding `token`, as an array (kept until they change)."""
        found = self._posting_arrays.get(token)
        if found is None:
            found = self._posting_arrays[token] = np.fromiter(
                self._postings.get(token, ()), np.intp
            )
        return found

    def _accumulate(
        self, targets: list[tuple[str, float, float]], only: Iterable[str]
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
        """Matched weight per phrasing id, question side and phrasing side, and which
        phrasings are candidates.

        Candidates come from the postings of the rarer words (a phrasing that shares just
        "when" cannot score well); common words are credited to those candidates by
        membership, so a query never walks tens of thousands of postings.
        """
        acc = np.zeros(self._next_id)
        acc_p = np.zeros(self._next_id)
        touched = np.zeros(self._next_id, bool)
        ordered = sorted(targets, key=lambda t: len(self._posting(t[0])))
        if len(ordered) > 1 and len(self._posting(ordered[0][0])) > CANDIDATE_BUDGET:
            rarest = [self._postings.get(t[0], set()) for t in ordered[:3]]
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
                if i == 0 or len(self._posting(t[0])) <= CANDIDATE_BUDGET
            ]
            common = [t for t in ordered if t not in rare]
        seeds.update(p for e in only for p in self._by_entry.get(e, ()))
        for target, credit, weight in rare:
            posting = self._posting(target)
            acc[posting] += weight * credit
            acc_p[posting] += self._phrasing_weight(target) * credit
            touched[posting] = True
        touched[np.fromiter(seeds, np.intp, len(seeds))] = True
        for target, credit, weight in common:
            posting = self._posting(target)
            posting = posting[touched[posting]]
            acc[posting] += weight * credit
            acc_p[posting] += self._phrasing_weight(target) * credit
        return acc, acc_p, touched

    def spelling(self, word: str) -> str | None:
        """The phrasings' word an unknown `word` is a typo of ("recomendations"), if any:
        within one edit, one more per `LETTERS_PER_TYPO` letters."""
        return self._remembered(self._spellings, word, self._spelling_uncached)

    def _spelling_uncached(self, word: str) -> str | None:
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
