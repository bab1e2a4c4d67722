"""How well a passage or sentence covers a question: IDF-weighted term coverage, pure functions."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from index.word_stats import WordStats, document_frequencies
from lang import compound_of, fold, same_word, tokenize

# Words that say what kind of answer is wanted, not what it is about: they must not count
# as missing evidence ("Vad *händer* med ...", "Hur har ... *ändrats*").
QUESTION_WORDS = frozenset(
    fold(w, casefold=False)
    for w in tokenize(
        "gör görs göra händer hände finns fanns står stod säger sade sa betyder innebär "
        "menas gäller enligt ändrats förändrats förändring förändringar ändring ändringar "
        "skillnad skillnader jämfört jämför jämförelse mellan egentligen ungefär "
        "stor stort många mycket länge ofta"
    )
)

_ENTITY = re.compile(r"\b(?:[A-ZÅÄÖ][\wåäöéü]*[A-ZÅÄÖ0-9][\wåäö+]*|[A-ZÅÄÖ]{2,}\+?|\d{3,4})\b")
_CAPITALIZED = re.compile(r"\b[A-ZÅÄÖ][a-zåäöéü]+")


def question_terms(text: str) -> list[str]:
    """Content stems of a question, question words removed, duplicates dropped."""
    return [t for t in dict.fromkeys(tokenize(text)) if t not in QUESTION_WORDS]


def question_entities(text: str, ignore: Iterable[str] = ()) -> list[str]:
    """Names, acronyms and years a supporting passage must mention (stemmed, folded).

    A capitalised word inside the question ("Borlänge", "Hamina") or an acronym ("ICLD")
    names the thing asked about; a passage that lacks it answers another question.
    """
    ignored = {t for name in ignore for t in tokenize(name)}
    found = [m.group() for m in _ENTITY.finditer(text)]
    stripped = text.strip()
    for m in _CAPITALIZED.finditer(stripped):
        before = stripped[: m.start()].rstrip()
        if before and before[-1] not in ".!?:":  # not a sentence-initial capital
            found.append(m.group())
    stems = [t for name in found for t in tokenize(name)]
    return [t for t in dict.fromkeys(stems) if t not in ignored and t not in QUESTION_WORDS]


def term_matches(term: str, tokens: set[str]) -> bool:
    """A query stem matches a passage token exactly, by inflection, or as/inside a compound."""
    if term in tokens:
        return True
    if len(term) < 3:
        return False
    for token in tokens:
        if same_word(term, token) or (len(term) >= 5 and term in token):
            return True
    return compound_of(term, tokens)


@dataclass(frozen=True)
class TermStats:
    """Document frequencies of stems over the indexed chunks, for IDF weights."""

    df: dict[str, int]
    n: int

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> TermStats:
        df, n = document_frequencies(texts)
        return cls(df=df, n=max(n, 1))

    @classmethod
    def of(cls, stats: WordStats) -> TermStats:
        """From the word statistics an index generation stores (counted at ingest)."""
        return cls(df=stats.df, n=max(stats.chunks, 1))

    def idf(self, term: str) -> float:
        # A term absent from the whole corpus weighs most: nothing can support it.
        return math.log((self.n + 1) / (self.df.get(term, 0) + 0.5))

    def specificity(self, term: str) -> float:
        """The term's IDF as a share of the highest, that of a term no chunk has."""
        return self.idf(term) / math.log((self.n + 1) / 0.5)


def covered(term: str, tokens: set[str], synonyms: dict[str, list[str]] | None = None) -> bool:
    """The term, or one of its synonyms, is in the tokens."""
    alternatives = [term, *((synonyms or {}).get(term, []))]
    return any(term_matches(t, tokens) for t in alternatives)


def coverage(
    terms: list[str],
    tokens: set[str],
    stats: TermStats,
    synonyms: dict[str, list[str]] | None = None,
) -> float:
    """Share of the question's IDF weight that the tokens cover (0..1)."""
    if not terms:
        return 0.0
    total = sum(stats.idf(t) for t in terms)
    hit = sum(stats.idf(t) for t in terms if covered(t, tokens, synonyms))
    return hit / total if total else 0.0


def missing_entities(
    entities: list[str], tokens: set[str], synonyms: dict[str, list[str]] | None = None
) -> list[str]:
    """Names of the question the passage does not mention (an expansion of "KS" counts)."""
    return [e for e in entities if not covered(e, tokens, synonyms)]
