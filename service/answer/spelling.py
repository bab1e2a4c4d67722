"""Typos in questions ("budjet", "kordinatorer", "Falköpping") corrected against the words the
documents themselves use: a word the documents lack and hunspell's Swedish dictionary does
not know gets hunspell's suggestion, or the nearest spelling among the documents' words
(names are in no dictionary), but only a spelling the documents contain."""

from __future__ import annotations

import difflib
import re
from typing import Protocol

from lang import find_words

# how alike a corpus spelling must be to stand in for an unknown word (difflib's ratio):
# one or two letters wrong in a word of eight
CLOSE_SPELLING = 0.8
_SHORTEST = 4  # shorter words are too ambiguous to correct


class Dictionary(Protocol):
    def valid(self, word: str) -> bool: ...

    def suggest(self, word: str) -> list[str]: ...


class QuestionSpelling:
    """Corrections of a question's words, restricted to the documents' vocabulary."""

    def __init__(self, vocabulary: set[str], dictionary: Dictionary) -> None:
        self.vocabulary = vocabulary  # the documents' lower-cased words (lang.vocabulary)
        self.dictionary = dictionary
        self._known: dict[str, str | None] = {}  # corrections found so far
        self._by_length: dict[int, list[str]] = {}
        for word in self.vocabulary:
            self._by_length.setdefault(len(word), []).append(word)

    def correction(self, word: str) -> str | None:
        low = word.lower()
        if len(low) < _SHORTEST or low in self.vocabulary or self.dictionary.valid(word):
            return None
        if low not in self._known:
            self._known[low] = self._nearest(low)
        return self._known[low]

    def _nearest(self, low: str) -> str | None:
        # the documents' nearest spelling first: fast, and it knows their names; hunspell's
        # suggestions (slow, a tenth of a second a word) only when none is near
        near = [w for n in range(len(low) - 2, len(low) + 3) for w in self._by_length.get(n, [])]
        close = difflib.get_close_matches(low, near, n=1, cutoff=CLOSE_SPELLING)
        if close:
            return close[0]
        for suggestion in self.dictionary.suggest(low):
            if suggestion.lower() in self.vocabulary:
                return suggestion.lower()
        return None

    def correct(self, text: str) -> str:
        """The text with each correctable word replaced (its capital kept)."""
        out = text
        for word in dict.fromkeys(find_words(text, "letters")):
            fixed = self.correction(word)
            if fixed:
                fixed = fixed[:1].upper() + fixed[1:] if word[:1].isupper() else fixed
                out = re.sub(rf"\b{re.escape(word)}\b", fixed, out)
        return out
