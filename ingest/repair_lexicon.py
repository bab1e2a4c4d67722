"""The Swedish lexicon OCR repair scores spellings with: hunspell, wordfreq, clean-corpus counts.

Loading the dictionary is slow, so a Lexicon is built once and passed to every repair.
"""

from __future__ import annotations

import itertools
import math
import sysconfig
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ingest.repair_words import looks_damaged, word_set
from lang import compound_splits, find_words

_DICT_DIRS = (Path(sysconfig.get_path("data")) / "share" / "hunspell", Path("/usr/share/hunspell"))
_INVALID_PENALTY = 2.0  # a hunspell-unknown spelling counts as this much less frequent
_CORPUS_WEIGHT = 0.5
_CONTEXT_WEIGHT = 0.5
# (word, previous words, next words, bonus): Swedish collocations that settle words valid
# both with and without diacritics, e.g. possessives before "egen" (var egen → vår egen).
_OWN = word_set("egen eget egna")
CONTEXT_HINTS: tuple[tuple[str, frozenset[str], frozenset[str], float], ...] = (
    ("vår", frozenset(), _OWN, 3.0),
    ("vårt", frozenset(), _OWN, 3.0),
    ("våra", frozenset(), _OWN, 3.0),
    ("åter", frozenset({"att"}), frozenset(), 1.0),  # "att" takes no present tense (äter)
)
# Words after which "ar" is "år", not "är": counts and quantities (and small numbers).
YEAR_PREVIOUS = word_set(
    "ett två tre fyra fem sex sju åtta nio tio flera några många per varje detta samma "
    "nästa förra hela halvt"
)


class Lexicon:
    """Swedish dictionary, word frequencies and clean-corpus counts, built once and reused."""

    def __init__(self, speller: Any, unigrams: Counter[str], bigrams: Counter[tuple[str, str]]):
        self._speller = speller
        self.unigrams = unigrams
        self.bigrams = bigrams
        self._valid: dict[str, bool] = {}
        self._zipf: dict[str, float] = {}

    @classmethod
    def build(cls, texts: Iterable[str] = ()) -> Lexicon:
        """Load the dictionary and count words of those `texts` that do not look damaged."""
        # Heavy imports here, not at module import: the CLI's --help stays instant.
        import hunspell  # type: ignore[import-untyped]  # C binding without type stubs

        for folder in _DICT_DIRS:
            dic, aff = folder / "sv_SE.dic", folder / "sv_SE.aff"
            if dic.exists() and aff.exists():
                speller = hunspell.HunSpell(str(dic), str(aff))
                break
        else:
            raise FileNotFoundError("sv_SE.dic/.aff not found; pip install hunspell-sv")
        lexicon = cls(speller, Counter(), Counter())
        clean = [text for text in texts if not looks_damaged(text, lexicon)]
        for text in clean:
            words = [w.lower() for w in find_words(text, "letters")]
            lexicon.unigrams.update(words)
            lexicon.bigrams.update(itertools.pairwise(words))
        return lexicon

    def suggest(self, word: str) -> list[str]:
        """hunspell's spellings for a word it does not know, best first."""
        return [str(s) for s in self._speller.suggest(word)]

    def lemmas(self, word: str) -> list[str]:
        """hunspell's dictionary forms of a word ("upphörde" → "upphöra"), the word aside."""
        if not word.isalpha():
            return []
        found = (s.decode() if isinstance(s, bytes) else str(s) for s in self._speller.stem(word))
        return [s for s in dict.fromkeys(found) if s != word]

    def valid(self, word: str) -> bool:
        if word not in self._valid:
            self._valid[word] = bool(self._speller.spell(word))
        return self._valid[word]

    def compound(self, word: str) -> float | None:
        """Score of `word` as two dictionary words, perhaps joined by s (compounds that
        hunspell's rules miss): the rarer part's frequency, or None if it splits no way."""
        best = None
        for head, tail in compound_splits(word.lower(), min_head=3, min_tail=3):
            if not self.valid(tail):
                continue
            if not self.valid(head) and head.endswith("s"):
                head = head[:-1]
            if self.valid(head):
                score = min(self.zipf(head), self.zipf(tail))
                best = score if best is None else max(best, score)
        return best

    def zipf(self, word: str) -> float:
        low = word.lower()
        if low not in self._zipf:
            from wordfreq import zipf_frequency  # loads its data files on first use

            self._zipf[low] = zipf_frequency(low, "sv")
        return self._zipf[low]

    def score(self, word: str) -> float:
        """Log-frequency of a spelling: wordfreq, plus clean-corpus evidence, less unknown words."""
        corpus = min(1.0, _CORPUS_WEIGHT * math.log1p(self.unigrams[word.lower()]))
        return self.zipf(word) + corpus - (0.0 if self.valid(word) else _INVALID_PENALTY)

    def context(self, prev: str, word: str, nxt: str) -> float:
        low = word.lower()
        found = math.log1p(self.bigrams[prev, low]) + math.log1p(self.bigrams[low, nxt])
        bonus = sum(
            weight
            for target, before, after, weight in CONTEXT_HINTS
            if target == low and (prev in before or nxt in after)
        )
        if low == "år" and ((prev.isdigit() and len(prev) < 4) or prev in YEAR_PREVIOUS):
            bonus += 2.5
        return _CONTEXT_WEIGHT * found + bonus


def corpus_lexicon(corpus_dir: Path) -> Lexicon:
    """The lexicon over the clean .txt/.md documents of `corpus_dir` (the configured corpus,
    passed down by the caller; nothing here knows where the repository keeps one)."""
    corpus_dir = Path(corpus_dir)
    paths = sorted(corpus_dir.glob("*.txt")) + sorted(corpus_dir.glob("*.md"))
    return Lexicon.build(p.read_text(encoding="utf-8") for p in paths)
