"""When two Swedish words are the same word: inflection, compounds, OCR-tolerant token_sim."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from difflib import SequenceMatcher
from functools import lru_cache
from typing import NamedTuple

from lang.numbers import is_year
from lang.words import FOLDED_STOPWORDS, fold, stem, word_matches

# `token_sim` at or above this: the same word (equal, OCR-equal or the same stem).
SAME_WORD = 0.85


def same_word(
    a: str, b: str, *, min_stem: int = 3, max_ending: int = 4, short_stem_ending: int = 2
) -> bool:
    """Equal, or one an inflection of the other: the shorter, of at least `min_stem` letters,
    begins the longer, which adds at most `max_ending` letters (`short_stem_ending` after a
    three-letter stem: "mål"/"målet", not "mål"/"målsättning")."""
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    if len(short) < min_stem or not long.startswith(short):
        return False
    return len(long) - len(short) <= (short_stem_ending if len(short) == 3 else max_ending)


def compound_splits(word: str, *, min_head: int, min_tail: int) -> Iterator[tuple[str, str]]:
    """Every cut of `word` into a head and a tail of at least these lengths, left to right:
    the candidate parts of a Swedish compound (a linking "s" is still on one of them)."""
    for cut in range(min_head, len(word) - min_tail + 1):
        yield word[:cut], word[cut:]


def compound_of(word: str, parts: set[str], *, min_head: int = 3, min_rest: int = 4) -> bool:
    """`word` is a Swedish compound of two of `parts` ("vänortsgruppering" = "vänort" +
    "gruppering"), with or without the linking "s"; the tail may be inflected (`same_word`)."""
    for head, rest in compound_splits(word, min_head=min_head, min_tail=min_rest):
        if head not in parts:
            continue
        for tail in (rest, rest[1:] if rest.startswith("s") else None):
            if tail and any(same_word(tail, p) for p in parts):
                return True
    return False


# --- OCR-tolerant words: the same answers on raw OCR text and on its repaired version -----


class Token(NamedTuple):
    """One OCR-folded word of a text with its exact character span."""

    fold: str
    start: int
    end: int


@lru_cache(maxsize=65536)
def fold_word(word: str) -> str:
    """One word folded: lowercase, no diacritics, OCR digit/symbol slips read as letters."""
    word = unicodedata.normalize("NFC", word).lower()
    if word == "&":
        return "och"
    letters = sum(ch.isalpha() for ch in word)
    if letters:  # "&r", "er@vrats": symbols that OCR made of ä/ö
        word = word.replace("@", "o").replace("&", "a")
    if letters >= 2:  # "6ver", "l6pande", "16ner": digits that stand for letters
        word = re.sub(r"1(?=[a-z])", "l", word.replace("6", "o"))
    return fold(word, casefold=False).replace("_", "")


def tokens_of(text: str) -> tuple[Token, ...]:
    """The OCR-folded words of `text` with their exact character spans."""
    out = []
    for m in word_matches(text, "ocr"):
        folded = fold_word(m.group())
        if folded:
            out.append(Token(folded, m.start(), m.end()))
    return tuple(out)


def folds(text: str) -> list[str]:
    """The OCR-folded words of `text`."""
    return [t.fold for t in tokens_of(text)]


def fold_text(text: str) -> str:
    """Text as comparison sees it: "Söka ett\nvänortssamarbete" -> "soka ett vanortssamarbete"."""
    return " ".join(folds(text))


@lru_cache(maxsize=65536)
def ocr_key(folded: str) -> str:
    """A skeleton in which the letters OCR confuses for å/ä/ö are one letter."""
    return re.sub(r"[aeo]", "a", folded.replace("ii", "u"))


def is_stop(folded: str) -> bool:
    """A folded stop word ("for", "och")."""
    return folded in FOLDED_STOPWORDS


def is_content(folded: str) -> bool:
    """A word that carries meaning: not a stop word, not a year, not a lone letter."""
    return not (folded in FOLDED_STOPWORDS or is_year(folded) or len(folded) < 2)


@lru_cache(maxsize=262144)
def token_sim(a: str, b: str) -> float:
    """Similarity of two folded words in 0..1: equal, OCR-equal, same stem, or close spelling."""
    if a == b:
        return 1.0
    ka, kb = ocr_key(a), ocr_key(b)
    if ka == kb:
        return 0.95
    if stem(a) == stem(b) or stem(ka) == stem(kb):
        return SAME_WORD
    shorter = min(len(a), len(b))
    if shorter < 4 or abs(len(a) - len(b)) > max(2, shorter // 3) or ka[0] != kb[0]:
        return 0.0
    ratio = SequenceMatcher(None, ka, kb, autojunk=False).ratio()
    return 0.6 + 1.4 * (ratio - 0.75) if ratio >= 0.75 else 0.0
