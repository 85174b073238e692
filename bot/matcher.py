"""Match a question to FAQ entries: an inverted index to shortlist, weighted coverage and
rapidfuzz to score, and one place (`Thresholds`) that decides answer / did-you-mean / decline.

Why not rapidfuzz's WRatio or token_set_ratio alone: both give 90-100 to a short question whose
words are a subset of a long phrasing ("how many starbucks stores" inside a phrasing about store
votes), so a question about something the FAQ does not cover would be answered. Here every
content word of the question must be accounted for, weighted by how rare it is (IDF over
entries), and a word the knowledge has never seen weighs as much as the rarest one it has.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from bot.knowledge import Entry
from bot.text import QUESTION_WORDS, Lexicon, basic_tokens, question_parts, stem, written_as_names

SHARED = "shared"
# What an answer must hold to answer a question that opens with "when" or "how many": a date
# or a span of time ("within 180 days"), a number. English and Spanish answer texts.
_MONTHS = (
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre"
)
# The canonical tokens of "still" and "now" (synonyms.yaml): a question about the present.
_PRESENT = frozenset({"still", "now"})
# ... and of "before" with "become": before someone became what the documents call them
_EARLIER = frozenset({"before", "become"})
_ANSWER_HOLDS = {
    "when": re.compile(
        rf"\b(?:1[89]|20)\d\d\b|\b(?:{_MONTHS}|days?|weeks?|months?|years?|d[ií]as?|semanas?|"
        r"mes(?:es)?|a[nñ]os?)\b",
        re.IGNORECASE,
    ),
    "howmany": re.compile(
        r"\d|\b(?:two|three|four|five|six|seven|eight|nine|ten|dozens?|hundreds?|"
        r"thousands?|millions?|half|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|"
        r"docenas?|cientos?|mil|miles|millones|mitad)\b",
        re.IGNORECASE,
    ),
}
# Numbers that count nothing: a year, a day of a month, an order's number ("May 5, 2022",
# "5 de mayo", "EO 14025"). "How many employees?" is not answered by a date.
_NOT_A_COUNT = re.compile(
    rf"\b(?:1[89]|20)\d\d\b|\b\d{{5}}\b"
    rf"|\b(?:{_MONTHS})\s+\d{{1,2}}\b|\b\d{{1,2}}\s+de\s+(?:{_MONTHS})\b",
    re.IGNORECASE,
)


def _focus(tokens: list[str]) -> str:
    """The word a question asks about: after its question word ("cuántos *trabajadores*")."""
    return tokens[1] if tokens[0] in QUESTION_WORDS and len(tokens) > 1 else tokens[0]


def _answer_holds(entry: Entry) -> frozenset[str]:
    """The question words of `_ANSWER_HOLDS` whose kind of fact the entry's answer holds."""
    texts = [entry.answer, *(tr.answer for tr in entry.translations.values())]
    counts = [_NOT_A_COUNT.sub(" ", text) for text in texts]
    return frozenset(
        kind
        for kind, pattern in _ANSWER_HOLDS.items()
        if any(map(pattern.search, counts if kind == "howmany" else texts))
    )


# The canonical token of "dijo", "declaró", "told", "stated" (synonyms.yaml).
SAID = "say"


PERSONAL_WORDS = frozenset(
    [
        "i",
        "me",
        "my",
        "mine",
        "we",
        "us",
        "our",
        "ours",
        "myself",
        "yo",
        "mi",
        "mis",
        "nuestro",
        "nuestra",
        "nuestros",
        "nuestras",
        "nosotros",
    ]
)
# Asking the bot what it thinks or advises ("¿Qué opinas, va a ganar?"): no document says.
_ASKS_OPINION = re.compile(
    r"\b(?:opinas|piensas|pensas|crees|recomiendas|recomiendame|aconsejas|aconsejame"
    r"|tu opinion|vale la pena|you think|you recommend|you advise|your opinion|should (?:i|we)"
    r"|worth it)\b"
)


def _asks_opinion(words: list[str]) -> bool:
    """Whether a text's `basic_tokens` ask what the bot thinks ("¿Qué opinas, va a ganar?")."""
    return bool(_ASKS_OPINION.search(" ".join(words)))


@dataclass(frozen=True)
class Thresholds:
    """Every tuning constant of the decision, calibrated on data (see benchmarks/calibrate.py)."""

    answer: float = 0.5  # at or above: answer
    suggest: float = 0.3  # at or above (and below answer): "did you mean"
    tie_margin: float = 0.02  # top two entries closer than this and below `sure`: ask which
    sure: float = 0.85  # above this the top entry is answered even when another is close
    sure_related: float = 0.55  # ... or above this, when the close one is a related entry
    question_word_weight: float = 0.35  # "who"/"when" count, but little
    question_type_penalty: float = 0.7  # "who ..." against a phrasing asking "when ..."
    missing_fact_penalty: float = 0.5  # "when ..." against an answer with no date, and the like
    counted_weight: float = 1.5  # "how many X": an entry must speak of X, if X is this rare
    answer_credit: float = 0.8  # an ordinary word only the entry's answer uses counts this much
    common_cap: float = 2.5  # the most an ordinary word of the question weighs
    common_unknown_weight: float = 0.3  # an unknown ordinary word, as a share of a name's weight
    letters_per_typo: int = 10  # a word may hold one typo (Damerau-Levenshtein), more per this
    typo_credit: float = 0.85  # a corrected or inflected word counts this much of a match
    beta2: float = 1.0  # F-measure weight of the question's coverage over the phrasing's
    name_weight: float = 1.5  # a phrasing's names (not ordinary words) weigh this much more
    number_conflict_penalty: float = 0.5  # the question's number is not the phrasing's
    predicate_penalty: float = 0.8  # none of the question's ordinary words are in the phrasing
    personal_penalty: float = 0.6  # "our"/"my"/"I" in the question but not in the phrasing
    fuzzy_share: float = 0.25  # share of the final score from rapidfuzz's token_sort_ratio
    shortlist: int = 40  # phrasings scored in full after the index shortlist
    candidate_budget: int = 2000  # postings longer than this only credit other candidates
    max_suggestions: int = 3
    max_also: int = 2  # answers to a message's other questions, at most


DEFAULT_THRESHOLDS = Thresholds()


class Decision(Enum):
    """What to do with a question."""

    ANSWER = "answer"
    SUGGEST = "suggest"
    DECLINE = "decline"


@dataclass(frozen=True)
class Candidate:
    """An entry and how well the question matched its best phrasing."""

    owner: str
    entry_id: str
    score: float
    phrasing: str
    lang: str
    names_all: bool = False  # the phrasing names everything the question names


@dataclass(frozen=True)
class MatchResult:
    """The matcher's verdict: the decision and the ranked distinct entries behind it."""

    decision: Decision
    candidates: tuple[Candidate, ...]
    # answers to the message's other questions ("¿Cuándo salió el informe y cuántas
    # recomendaciones trae?"), each another entry, in the order they are asked
    also: tuple[Candidate, ...] = ()

    @property
    def best(self) -> Candidate | None:
        """The top candidate, if any."""
        return self.candidates[0] if self.candidates else None


@dataclass(frozen=True)
class _Phrasing:
    key: tuple[str, str]  # (owner, entry id)
    lang: str
    text: str
    tokens: frozenset[str]
    personal: bool
    says: bool  # asks what was said (not just "dice que..." in its context)

    @property
    def joined(self) -> str:
        """The tokens sorted and joined, for rapidfuzz's token_sort_ratio."""
        return " ".join(sorted(self.tokens))


class Matcher:
    """An in-memory index over every phrasing of every entry, updatable in place."""

    def __init__(self, lexicon: Lexicon, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> None:
        self.lexicon = lexicon
        self._thresholds = thresholds
        self._phrasings: dict[int, _Phrasing] = {}
        self._by_entry: dict[tuple[str, str], list[int]] = {}
        self._entry_types: dict[tuple[str, str], frozenset[str]] = {}
        self._entry_holds: dict[tuple[str, str], frozenset[str]] = {}
        self._answer_words: dict[tuple[str, str], frozenset[str]] = {}
        self._related: dict[tuple[str, str], frozenset[str]] = {}
        self._postings: dict[str, set[int]] = defaultdict(set)
        self._entry_df: Counter[str] = Counter()
        self._exact: dict[frozenset[str], set[int]] = defaultdict(set)
        self._next_id = 0
        self._vocab_cache: tuple[dict[str, list[str]], dict[str, str]] | None = None
        # raw words and word pairs of every phrasing, to complete a half-typed word; built on
        # the first autocomplete, then kept up to date
        self._word_stats: tuple[Counter[str], Counter[tuple[str, str]]] | None = None
        self._words_sorted: list[str] | None = None
        self._correct = lru_cache(maxsize=4096)(self._correct_uncached)
        self._idf_cache: dict[str, float] = {}
        self._pweight_cache: dict[str, float] = {}
        self._total_p: dict[int, float] = {}  # id(phrasing) -> its total weight

    @property
    def thresholds(self) -> Thresholds:
        """The tuning constants in force."""
        return self._thresholds

    @thresholds.setter
    def thresholds(self, value: Thresholds) -> None:
        self._thresholds = value
        self._vocab_changed()

    # -- building -------------------------------------------------------------------------

    def add(self, entry: Entry, owner: str = SHARED) -> None:
        """Index an entry (replacing any earlier version with the same owner and id)."""
        key = (owner, entry.id)
        self.remove(entry.id, owner)
        ids: list[int] = []
        entry_tokens: set[str] = set()
        for lang, text, normalised in entry.keyed_phrasings:
            words = normalised.split()
            self._count_words(words, 1)
            toks = self.lexicon.content_tokens_of(words)
            if not toks:
                continue
            pid = self._next_id
            self._next_id += 1
            token_set = frozenset(toks)
            personal = self._is_personal(words)
            asked = [clause for clause, asks in question_parts(text) if asks]
            says = SAID in (
                {t for clause in asked for t in self.lexicon.content_tokens(clause)}
                if asked
                else token_set
            )
            self._phrasings[pid] = _Phrasing(key, lang, text, token_set, personal, says)
            for tok in token_set:
                self._postings[tok].add(pid)
            self._exact[token_set].add(pid)
            entry_tokens |= token_set
            ids.append(pid)
        self._by_entry[key] = ids
        self._entry_types[key] = frozenset(entry_tokens & QUESTION_WORDS)
        self._entry_holds[key] = _answer_holds(entry)
        self._related[key] = frozenset(entry.related)
        answers = " ".join([entry.answer, *(tr.answer for tr in entry.translations.values())])
        self._answer_words[key] = frozenset(
            t
            for t in self.lexicon.content_tokens(answers)
            if t in self.lexicon.common and t not in QUESTION_WORDS
        )
        self._entry_df.update(entry_tokens)
        self._vocab_changed()

    def add_all(self, entries: Iterable[Entry], owner: str = SHARED) -> None:
        """Index many entries."""
        for entry in entries:
            self.add(entry, owner)

    def remove(self, entry_id: str, owner: str = SHARED) -> None:
        """Drop an entry from the index; unknown ids are ignored."""
        ids = self._by_entry.pop((owner, entry_id), None)
        self._entry_types.pop((owner, entry_id), None)
        self._entry_holds.pop((owner, entry_id), None)
        self._related.pop((owner, entry_id), None)
        self._answer_words.pop((owner, entry_id), None)
        if not ids:
            return
        entry_tokens: set[str] = set()
        for pid in ids:
            ph = self._phrasings.pop(pid)
            self._count_words(basic_tokens(ph.text), -1)
            for tok in ph.tokens:
                self._postings[tok].discard(pid)
                if not self._postings[tok]:
                    del self._postings[tok]
            self._exact[ph.tokens].discard(pid)
            if not self._exact[ph.tokens]:
                del self._exact[ph.tokens]
            entry_tokens |= ph.tokens
        self._entry_df.subtract(entry_tokens)
        self._entry_df += Counter()  # drop zero counts
        self._vocab_changed()

    def _count_words(self, words: list[str], delta: int) -> None:
        if self._word_stats is None:
            return
        unigrams, bigrams = self._word_stats
        for word in words:
            unigrams[word] += delta
        for pair in itertools.pairwise(words):
            bigrams[pair] += delta

    def _stats(self) -> tuple[Counter[str], Counter[tuple[str, str]]]:
        if self._word_stats is None:
            self._word_stats = (Counter(), Counter())
            for ph in self._phrasings.values():
                self._count_words(basic_tokens(ph.text), 1)
        return self._word_stats

    def _vocab_changed(self) -> None:
        # Every weight depends on the number of entries: recompute lazily after any change.
        self._idf_cache.clear()
        self._pweight_cache.clear()
        self._total_p.clear()
        self._vocab_cache = None
        self._words_sorted = None
        self._correct.cache_clear()

    @property
    def entry_count(self) -> int:
        """How many entries are indexed (all owners)."""
        return len(self._by_entry)

    @property
    def phrasing_count(self) -> int:
        """How many phrasings are indexed (all owners)."""
        return len(self._phrasings)

    # -- scoring --------------------------------------------------------------------------

    def _idf(self, token: str) -> float:
        cached = self._idf_cache.get(token)
        if cached is not None:
            return cached
        n = max(len(self._by_entry), 1)
        df = self._entry_df.get(token, 0)
        weight = math.log(1 + n / (df if df else 0.5))
        if token in QUESTION_WORDS:
            weight = min(weight, 1.0) * self.thresholds.question_word_weight
        self._idf_cache[token] = weight
        return weight

    def _vocab(self) -> tuple[dict[str, list[str]], dict[str, str]]:
        """Known spellings by first letter (a typo rarely hits the first letter), sorted, and
        the indexed token each stands for: indexed words, and the synonym file's single-word
        variants of indexed tokens ("sindicatto" is then a typo of "sindicato", so "union")."""
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

    def _correct_uncached(self, token: str) -> str | None:
        """An indexed word this one is a typo or an inflection of ("threats" ~ "threaten")."""
        if len(token) < 5 or not token.isalpha():
            return None
        buckets, spellings = self._vocab()
        for cut in range(len(token), 4, -1):  # a known spelling, or an inflection of one
            known = spellings.get(token[:cut])
            if known:
                return known
        if token in self.lexicon.common:  # a real word ("conoce") is not a typo of another
            return None
        vocab = buckets.get(token[0], [])
        found = process.extractOne(
            token,
            vocab,
            scorer=DamerauLevenshtein.distance,
            score_cutoff=1 + len(token) // self.thresholds.letters_per_typo,
        )
        if found:
            return spellings[found[0]]
        start = bisect.bisect_left(vocab, token)  # an unfinished word: "organi" -> "organiz..."
        longer = itertools.takewhile(lambda t: t.startswith(token), vocab[start:])
        close = [t for t in longer if len(t) - len(token) <= 3]
        return spellings[min(close, key=len)] if close else None

    def _is_personal(self, words: list[str]) -> bool:
        """Whether `basic_tokens` speak of the asker ("our meeting", "mi tienda"), beyond a
        polite frame ("¿Me podría decir...?", a phrase of the stop word "please")."""
        return bool(PERSONAL_WORDS.intersection(self.lexicon.without_dropped_phrases(words)))

    def _resolve(self, tokens: list[str]) -> dict[str, tuple[str, float]]:
        """Map each query token to (indexed token, credit); unknown tokens keep credit 0."""
        resolved: dict[str, tuple[str, float]] = {}
        for tok in tokens:
            if tok in self._postings:
                resolved[tok] = (tok, 1.0)
            else:
                fixed = self._correct(tok)
                resolved[tok] = (fixed, self.thresholds.typo_credit) if fixed else (tok, 0.0)
        return resolved

    def match(self, question: str, owners: Iterable[str] = (SHARED,)) -> MatchResult:
        """Rank entries visible to `owners` for `question` and decide what to do.

        A message that is not answered as a whole is tried clause by clause: the question it
        asks ("¿Cuántas tiendas votaron?") with the names the rest of it gives ("Trabajo en un
        Starbucks en Texas."), or each of two joined questions ("¿Qué es la ALU y qué logró?").
        """
        allowed = set(owners)
        ranked = self.rank(question, allowed, prune=True)
        decision = self._decide(ranked)
        whole = decision is Decision.ANSWER
        # an answered message is tried clause by clause only when it asks two things
        split = question_parts(question)
        asking = sum(asks for _, asks in split)
        parts = self._question_parts(question, split) if not whole or asking > 1 else []
        opinion = bool(parts) and _asks_opinion(basic_tokens(question))
        answered: dict[str, Candidate] = {}  # each asking clause's best answer
        for clause, part, context in parts:
            part_ranked = self._rank_tokens(
                part, clause, allowed, 10, prune=True, optional=context, opinion=opinion
            )
            if self._decide(part_ranked) is not Decision.ANSWER:
                continue
            if clause not in answered or part_ranked[0].score > answered[clause].score:
                answered[clause] = part_ranked[0]
            if not whole and (
                decision is not Decision.ANSWER or part_ranked[0].score > ranked[0].score
            ):
                decision, ranked = Decision.ANSWER, part_ranked
        also: dict[tuple[str, str], Candidate] = {}
        if decision is Decision.ANSWER:
            main = (ranked[0].owner, ranked[0].entry_id)
            for cand in answered.values():
                also.setdefault((cand.owner, cand.entry_id), cand)
            also.pop(main, None)
        top = tuple(ranked[: max(self.thresholds.max_suggestions, 1)])
        return MatchResult(decision, top, tuple(also.values())[: self.thresholds.max_also])

    def _question_parts(
        self, question: str, split: list[tuple[str, bool]]
    ) -> list[tuple[str, list[str], list[str]]]:
        """Each clause that asks something, as its text, its content tokens and the optional
        ones the rest of the message adds: alone, and with that context (see `_rank_tokens`).
        "I work at a Starbucks. How many stores voted?" asks nothing about the asker's own
        situation: only the clause's own words say whether it does. `split` is the message's
        `question_parts`."""
        clauses = [(part, self.lexicon.content_tokens(part), asks) for part, asks in split]
        # "ICE", "Amazon": written as names, they are names here even if also ordinary words
        written = self._written_as_names(question)

        def is_name(token: str) -> bool:
            return self._is_name(token) or (token in written and token in self._postings)

        # a name the FAQ does not know, asked about ("¿Quién es Jaz Brisack y qué papel tuvo en
        # Starbucks?"), is what the message's other questions are about too
        strangers = [
            t
            for _, tokens, asks in clauses
            if asks
            for t in tokens
            if t in written and t not in self._postings and t not in self.lexicon.common
        ]
        out: list[tuple[str, list[str], list[str]]] = []
        for i, (clause, own, asks) in enumerate(clauses):
            if not asks:
                continue
            tokens = list(dict.fromkeys(own + strangers))
            # alone only when it names its own subject: "¿Cuántas tiendas votaron?" after
            # "Trabajo en Walmart." is not about the stores the FAQ knows
            if any(is_name(t) for t in tokens):
                out.append((clause, tokens, []))
            context = [
                t
                for j, (_, others, _) in enumerate(clauses)
                if j != i
                for t in others
                if t not in tokens and t not in QUESTION_WORDS
            ]
            # the context's names say what the question is about; its other words may help
            names = [t for t in context if is_name(t)]
            vague = bool(i) and not own and not clauses[i - 1][2]
            if vague or (i and not names and not any(is_name(t) for t in tokens)):
                # no names at all: "Leí que alguien de una biblioteca estuvo en la reunión.
                # ¿Quién fue?" asks about what the sentence before it says; so does a clause
                # that says nothing itself after one that asks nothing ("...me preguntó si
                # Bernie tiene hijos, y no supe qué decirle. ¿Tú sabes?")
                before = [t for t in clauses[i - 1][1] if t not in QUESTION_WORDS]
                names = list(dict.fromkeys(names + [t for t in before if t not in tokens]))
            # but cannot make answerable what the clause asks about if no phrasing speaks of it
            # ("¿En qué *ciudad* trabaja Laura Garza y cuántos años lleva en Starbucks?")
            if names and (not tokens or self._knows(_focus(tokens))):
                optional = [t for t in context if t not in names]
                out.append(
                    (clause, list(dict.fromkeys(tokens + names)), list(dict.fromkeys(optional)))
                )
        return out

    def _knows(self, token: str) -> bool:
        """Whether some phrasing has `token`, or a typo or inflection of it."""
        return self._resolve([token])[token][1] > 0

    def _written_as_names(self, text: str) -> set[str]:
        """The tokens of the words `text` writes as names ("Buffalo", "ICE")."""
        return {t for word in written_as_names(text) for t in self.lexicon.content_tokens(word)}

    def _is_name(self, token: str) -> bool:
        """An indexed word that is no ordinary word: "starbuck", "jfk8", "14025"."""
        return (
            token in self._postings
            and token not in self.lexicon.common
            and token not in QUESTION_WORDS
        )

    def rank(
        self, question: str, allowed: set[str], limit: int = 10, *, prune: bool = False
    ) -> list[Candidate]:
        """Distinct entries, best first, each with its best phrasing's score.

        With `prune`, a question that could not reach the "did you mean" threshold even if a
        phrasing matched every known word of it returns nothing at once (decline).
        """
        return self._rank_tokens(
            self.lexicon.content_tokens(question), question, allowed, limit, prune=prune
        )

    def _rank_tokens(
        self,
        tokens: list[str],
        question: str,
        allowed: set[str],
        limit: int,
        *,
        prune: bool,
        optional: list[str] | None = None,
        opinion: bool = False,
    ) -> list[Candidate]:
        """Rank for `tokens`, the words of `question` (the text whose own words say whether it
        is about the asker). `optional` words (the ordinary words of the message's context: "Mi
        organizador me dijo que Biden firmó...") count for a phrasing that has them and need
        not be explained by one that does not. `opinion`: the message around `question` asks
        what the bot thinks."""
        if not tokens:
            return []
        resolved = self._resolve(tokens)
        focus = _focus(tokens)
        # "Buffalo" is a name there, not an animal; and a question about something no phrasing
        # speaks of ("¿En qué *ciudad*...?", "¿Cuánto *pagan*...?") is about that, not the rest
        named = self._written_as_names(question) | {focus}
        query = {
            tok: (
                target,
                credit,
                self._query_weight(target) if credit else self._unknown_weight(tok, tok in named),
            )
            for tok, (target, credit) in resolved.items()
        }
        context = self._resolve([t for t in optional or [] if t not in query]).values()
        extra = [(target, credit) for target, credit in context if credit]
        q_types = frozenset(tokens) & QUESTION_WORDS
        words = basic_tokens(question)
        q_personal = self._is_personal(words)
        q_opinion = opinion or _asks_opinion(words)
        q_numbers = {t for t in tokens if t.isdigit()}
        # The question's ordinary words (its predicate: "employees", "vote", "signed").
        q_plain = {
            target
            for target, credit, _ in query.values()
            if target in self.lexicon.common and target not in QUESTION_WORDS
        }
        total_q = sum(w for _, _, w in query.values())
        if total_q <= 0:
            return []
        if prune and self._score_bound(query, total_q) < self.thresholds.suggest:
            return []
        acc, acc_p = self._accumulate(
            [(target, credit, weight) for target, credit, weight in query.values() if credit]
        )
        exact_ids = self._exact.get(frozenset(t for t, c, _ in query.values() if c == 1.0), set())
        if len({t for t, c, _ in query.values() if c == 1.0}) != len(query):
            exact_ids = set()
        wanted = self.thresholds.shortlist
        # Phrasings identical to the question always make the shortlist, whatever the ties.
        shortlist = [*exact_ids, *heapq.nlargest(wanted * 2, acc, key=acc.__getitem__)]
        if len(acc) > len(shortlist):  # other servers' phrasings may crowd out visible ones
            visible = sum(1 for pid in shortlist if self._phrasings[pid].key[0] in allowed)
            if visible < wanted:
                shortlist = sorted(acc, key=acc.__getitem__, reverse=True)
        best: dict[tuple[str, str], Candidate] = {}
        asks_said = query[focus][:2] == (SAID, 1.0)
        q_names = {t for t, c, _ in query.values() if c and self._is_name(t)}
        target, credit, _ = query[focus]
        counted = (
            target
            if credit
            and target in self.lexicon.common
            and self._idf(target) >= self.thresholds.counted_weight
            else None
        )
        asked = {t for t, _c, _w in query.values()}
        present = {t for t, c, _ in query.values() if c} & _PRESENT or (
            _EARLIER if asked >= _EARLIER else set()
        )
        query_joined = " ".join(sorted(t for t, c, _ in query.values() if c) or tokens)
        examined = 0
        for pid in shortlist:
            ph = self._phrasings[pid]
            if ph.key[0] not in allowed:
                continue
            examined += 1
            if examined > self.thresholds.shortlist:
                break
            shared = [(t, c) for t, c in extra if t in ph.tokens]
            bonus = sum(self._query_weight(t) * c for t, c in shared)
            # An ordinary word the phrasing lacks but the entry's answer uses counts in part
            # ("...han contactado al ALU para iniciar sus propias *campañas*?"); not the word the
            # question asks about ("how many *employees*"): a phrasing must have that one.
            answer_words = self._answer_words[ph.key]
            explained = self.thresholds.answer_credit * sum(
                weight * credit
                for tok, (target, credit, weight) in query.items()
                if credit and tok != focus and target not in ph.tokens and target in answer_words
            )
            bonus_p = sum(self._phrasing_weight(t) * c for t, c in shared)
            score = self._score(
                ph,
                acc[pid] + bonus + explained,
                acc_p[pid] + bonus_p,
                total_q + bonus,
                query_joined,
                pid in exact_ids,
            )
            # "¿Qué dijo Laura Garza?" asks what someone said: a phrasing and answer that never
            # speak of what was said (who she is) do not answer it; a phrasing's context ("un
            # compa dice que O'Brien...") does not speak of it either.
            if asks_said and not ph.says and SAID not in answer_words and pid not in exact_ids:
                score *= self.thresholds.missing_fact_penalty
            # An entry answers the kinds of question its phrasings ask ("who", "when", ...).
            e_types = self._entry_types[ph.key]
            if q_types and e_types and not q_types & e_types:
                score *= self.thresholds.question_type_penalty
            # A question that opens with "when" or "how many" wants a date or a number: an
            # answer with none ("why Smalls was fired") does not answer it, whatever it shares
            # (unless the question is one of its phrasings: "when we build back...", a quote).
            # Nor is "how many *members*" by a count of something else ("recommendation total").
            kind = tokens[0]
            lacks = kind in _ANSWER_HOLDS and kind not in self._entry_holds[ph.key]
            if (
                kind == "howmany"
                and counted
                and counted not in ph.tokens
                and counted not in answer_words
            ):
                lacks = True
            # "¿Sigue trabajando en Starbucks?", "¿Qué hacía Walsh antes de ser secretario?":
            # not the documents' time, unless the entry speaks of that time
            if present and not (present & ph.tokens or present & answer_words):
                lacks = True
            if lacks and pid not in exact_ids:
                score *= self.thresholds.missing_fact_penalty
            # "our meeting", "can I ...": about the asker's own situation, which the documents
            # cannot know, unless the phrasing itself is written that way (a server's entry).
            if q_personal and not ph.personal:
                score *= self.thresholds.personal_penalty
            if q_opinion:  # what the bot thinks: no phrasing is written that way
                score *= self.thresholds.personal_penalty
            # "EO 11246" is not "EO 14025": a number in the question that the phrasing
            # replaces with another number names a different thing.
            if q_numbers and not q_numbers & ph.tokens and any(t.isdigit() for t in ph.tokens):
                score *= self.thresholds.number_conflict_penalty
            # Sharing only a name ("Starbucks") is not enough: when the question says what it
            # wants to know in ordinary words and the phrasing shares none of them, it asks
            # something else ("how many employees" against "how many stores unionized").
            if q_plain and not q_plain & ph.tokens and ph.tokens & self.lexicon.common:
                score *= self.thresholds.predicate_penalty
            prev = best.get(ph.key)
            if prev is None or score > prev.score:
                best[ph.key] = Candidate(
                    ph.key[0], ph.key[1], score, ph.text, ph.lang, q_names <= ph.tokens
                )
        return sorted(best.values(), key=lambda c: (-c.score, c.entry_id))[:limit]

    def _score_bound(self, query: dict[str, tuple[str, float, float]], total_q: float) -> float:
        """The best score any phrasing could reach: the question's coverage if every known
        word matched and the phrasing had no other word (see `_score`)."""
        q = sum(w * c for _t, c, w in query.values()) / total_q
        beta2, share = self.thresholds.beta2, self.thresholds.fuzzy_share
        f_best = (1 + beta2) * q / (beta2 + q) if q else 0.0
        return (1 - share) * f_best * q**0.5 + share * q

    def _accumulate(
        self, targets: list[tuple[str, float, float]]
    ) -> tuple[dict[int, float], dict[int, float]]:
        """Matched weight per phrasing, question side and phrasing side.

        Candidates come from the postings of the rarer words only (a phrasing that shares just
        "when" or "union" with the question cannot score well); common words are then credited
        to those candidates by membership, so a query never walks tens of thousands of postings.
        """
        acc: dict[int, float] = defaultdict(float)
        acc_p: dict[int, float] = defaultdict(float)
        ordered = sorted(targets, key=lambda t: len(self._postings.get(t[0], ())))
        budget = self.thresholds.candidate_budget
        empty: set[int] = set()
        if len(ordered) > 1 and len(self._postings.get(ordered[0][0], empty)) > budget:
            # Only common words: a candidate must share the three rarest (or, when none does,
            # two of them); set intersections run in C, the rest is credited by membership.
            rarest = [self._postings.get(t[0], empty) for t in ordered[:3]]
            seeds = set.intersection(*rarest)  # sharing all of them, when any do
            if not seeds:
                seeds = set().union(*(a & b for a, b in itertools.combinations(rarest, 2)))
            rare: list[tuple[str, float, float]] = []
            common = ordered
        else:
            seeds = set()
            rare = [
                t
                for i, t in enumerate(ordered)
                if i == 0 or len(self._postings.get(t[0], empty)) <= budget
            ]
            common = [t for t in ordered if t not in rare]
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

    def _phrasing_weight(self, token: str) -> float:
        """A phrasing's word weighs more when it names something (not an ordinary word): a
        question that leaves out "White House" is not asking about the White House meeting."""
        cached = self._pweight_cache.get(token)
        if cached is not None:
            return cached
        weight = self._idf(token)
        if token not in self.lexicon.common and token not in QUESTION_WORDS:
            weight *= self.thresholds.name_weight
        self._pweight_cache[token] = weight
        return weight

    def _score(
        self,
        ph: _Phrasing,
        matched_q: float,
        matched_p: float,
        total_q: float,
        query_joined: str,
        exact: bool,
    ) -> float:
        if exact:
            return 1.0
        total_p = self._total_p.get(id(ph))
        if total_p is None:
            total_p = self._total_p[id(ph)] = sum(self._phrasing_weight(t) for t in ph.tokens)
        q_cov = min(matched_q / total_q, 1.0)
        p_cov = min(matched_p / total_p, 1.0) if total_p else 0.0
        if q_cov == 0 or p_cov == 0:
            return 0.0
        # Weighted F-measure leaning on the question's words: all of them must be explained.
        beta2 = self.thresholds.beta2
        f_score = (1 + beta2) * q_cov * p_cov / (beta2 * p_cov + q_cov)
        fuzzy = fuzz.token_sort_ratio(query_joined, ph.joined) / 100.0
        share = self.thresholds.fuzzy_share
        return round((1 - share) * f_score * q_cov**0.5 + share * fuzzy * q_cov, 4)

    def _query_weight(self, token: str) -> float:
        """A known word's weight in a question: its rarity in the FAQ, but an ordinary word
        ("consiste", "celebró") that only one entry happens to use is no name: capped."""
        weight = self._idf(token)
        if token in self.lexicon.common:
            weight = min(weight, self.thresholds.common_cap)
        return weight

    def _unknown_weight(self, token: str, named: bool = False) -> float:
        """An unknown word weighs as much as the rarest name, an ordinary one less (unless `named`:
        written as a name, or the word the question asks about)."""
        weight = math.log(1 + max(len(self._by_entry), 1) / 0.5)
        if token in self.lexicon.common and not named:
            weight *= self.thresholds.common_unknown_weight
        return weight

    def complete(self, text: str) -> str:
        """Finish a half-typed last word from the phrasings' words ("task f" -> "task force")."""
        if not text or text[-1].isspace():
            return text
        words = basic_tokens(text)
        unigrams, bigrams = self._stats()
        if not words or (unigrams.get(words[-1], 0) > 0 and len(words[-1]) > 3):
            return text
        if self._words_sorted is None:
            self._words_sorted = sorted(w for w, n in unigrams.items() if n > 0)
        partial = words[-1]
        start = bisect.bisect_left(self._words_sorted, partial)
        options = list(
            itertools.takewhile(lambda w: w.startswith(partial), self._words_sorted[start:])
        )
        if not options:
            return text
        prev = words[-2] if len(words) > 1 else None
        best = max(options, key=lambda w: (bigrams.get((prev, w), 0) if prev else 0, unigrams[w]))
        return " ".join([*words[:-1], best])

    def _decide(self, ranked: list[Candidate]) -> Decision:
        th = self.thresholds
        if not ranked or ranked[0].score < th.suggest:
            return Decision.DECLINE
        top = ranked[0].score
        if top < th.answer:
            return Decision.SUGGEST
        # a close second is a real choice, unless only the top phrasing names what the question
        # names ("Titmouse"), or the second is an entry the top one lists as related ("What is
        # the IAM?" and "Who organized at the Baltimore library?"): then the top one answers
        # and the other is shown with it
        if len(ranked) < 2 or top >= th.sure or top - ranked[1].score >= th.tie_margin:
            return Decision.ANSWER
        first, second = ranked[:2]
        named = first.names_all and not second.names_all
        related = second.entry_id in self._related.get((first.owner, first.entry_id), ())
        if named or (related and top >= th.sure_related):
            return Decision.ANSWER
        return Decision.SUGGEST
