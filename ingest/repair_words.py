"""OCR repair word by word: the spellings damaged glyphs could hide, and the best of them.

Also how damaged a text looks, since that is judged by the same candidates. The lexicon
that scores the spellings is passed in (`ingest.repair_lexicon`); nothing here loads one.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from lang import is_word

if TYPE_CHECKING:
    from ingest.repair_lexicon import Lexicon

_LEAD = "\"'([{«“‘„"
_TRAIL = "\"'.,;:!?)]}»”’…+"
_DAMAGE_GLYPH = re.compile(r"[a-zåäöé][6&@|]|[6&@|][a-zåäöé]|ii")
# A valid word is only respelled when the variant scores this much higher (for → för).
MARGIN = 1.0
MAX_SUBSTITUTIONS = 4  # bounds the candidates of long words
MAX_CANDIDATES = 3000

# What an OCR glyph (lower-cased) may stand for, with a cost for the less common confusions.
SUBSTITUTIONS: dict[str, tuple[tuple[str, float], ...]] = {
    "a": (("å", 0.0), ("ä", 0.0), ("ö", 1.0)),
    "o": (("ö", 0.0),),
    "é": (("ä", 0.0), ("ö", 0.0)),
    "6": (("ö", 0.0),),
    "&": (("ä", 0.0), ("å", 0.0)),
    "@": (("ä", 0.0), ("å", 0.0), ("ö", 0.0)),
    "d": (("ä", 1.0), ("ö", 1.0), ("å", 1.0)),
    "1": (("l", 0.3),),
    "|": (("l", 0.3), ("i", 0.3)),
}
# One letter read as two glyphs.
MERGES: tuple[tuple[str, str, float], ...] = (
    ("ii", "ü", 0.0),
    ("ao", "ö", 1.0),
    ("od", "ö", 1.0),
    ("oé", "ö", 1.0),
    ("éo", "ö", 1.0),
    ("éa", "ä", 1.0),
    ("aé", "ä", 1.0),
)


def word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# After a determiner a valid word is more likely an adjective or noun than a respelled
# verb (den fortsatta, not den fortsätta): ask for a larger margin there.
DETERMINERS = word_set("den det de denna detta dessa en ett sin sitt sina")


def split_token(token: str) -> tuple[str, str, str]:
    """A whitespace token as (leading punctuation, word, trailing punctuation)."""
    start, end = 0, len(token)
    while start < end and token[start] in _LEAD:
        start += 1
    while end > start and token[end - 1] in _TRAIL:
        end -= 1
    return token[:start], token[start:end], token[end:]


def _alternatives(low: str, i: int, first: bool) -> list[tuple[str, int, float]]:
    """(replacement, characters consumed, cost) for position i of a lower-cased word."""
    options = [(low[i], 1, 0.0)]
    options += [(rep, 1, cost) for rep, cost in SUBSTITUTIONS.get(low[i], ())]
    if first and low[i] == "g":
        options.append(("ö", 1, 0.5))  # a capital Ö read as G
    if first and low[i] == "l":
        options.append(("i", 1, 0.5))  # a capital I read as l
    for pair, rep, cost in MERGES:
        if low.startswith(pair, i):
            options.append((rep, len(pair), cost))
    return options


def _candidates(low: str) -> dict[str, float]:
    """Every spelling the damaged glyphs of `low` could stand for, with its cheapest cost."""
    found: dict[str, float] = {}

    def walk(i: int, built: str, cost: float, subs: int) -> None:
        if len(found) >= MAX_CANDIDATES:
            return
        if i == len(low):
            if built not in found or cost < found[built]:
                found[built] = cost
            return
        for rep, used, extra in _alternatives(low, i, i == 0):
            changed = (rep, used) != (low[i], 1)
            if changed and subs >= MAX_SUBSTITUTIONS:
                continue
            walk(i + used, built + rep, cost + extra, subs + changed)

    walk(0, "", 0.0, 0)
    return found


def _recase(original: str, word: str, sentence_start: bool) -> str:
    """Give `word` the case of `original`; a damaged first glyph takes the sentence's case."""
    if original[0] in "G6&@|1l" and word[0] != original[0].lower():
        head = word[0].upper() if sentence_start else word[0]
        return head + _recase(original[1:], word[1:], False) if len(word) > 1 else head
    if len(original) == len(word):
        return "".join(w.upper() if o.isupper() else w for o, w in zip(original, word, strict=True))
    return word[:1].upper() + word[1:] if original[:1].isupper() else word


def _skip(part: str) -> bool:
    """Names' initials, abbreviations, numbers and foreign glyphs are left alone."""
    if (
        not 2 <= len(part) <= 40
        or not is_word(part, "glyphs")
        or not any(c.isalpha() for c in part)
    ):
        return True
    return sum(c.isupper() for c in part) >= 2  # ICLD, EU, KS


def repair_word(
    part: str, lexicon: Lexicon, prev: str = "", nxt: str = "", sentence_start: bool = False
) -> str:
    """The best spelling of one hyphen-free word, or the word itself."""
    if _skip(part):
        return part
    low = part.lower()
    orig_valid = lexicon.valid(part)
    is_name = part[0].isupper() and not sentence_start and orig_valid
    if is_name:
        return part
    orig_score = lexicon.score(part) + lexicon.context(prev, low, nxt)
    margin = MARGIN * (2 if prev in DETERMINERS else 1) if orig_valid else 0.0
    best, best_score = part, orig_score + margin
    for cand, cost in _candidates(low).items():
        if cand == low:
            continue
        word = _recase(part, cand, sentence_start)
        if not lexicon.valid(word) and (orig_valid or lexicon.zipf(word) < 1.0):
            continue
        score = lexicon.score(word) + lexicon.context(prev, cand, nxt) - cost
        if score > best_score:
            best, best_score = word, score
    # Long lower-case words only: a short or capitalised unknown word is more likely a name.
    long_word = len(part) >= 8 and (part.islower() or sentence_start)
    if best == part and long_word and not orig_valid and lexicon.compound(part) is None:
        return _compound_repair(part, lexicon, sentence_start)
    return best


def _compound_repair(part: str, lexicon: Lexicon, sentence_start: bool) -> str:
    """An unknown word whose respelling splits into two dictionary words, or the word."""
    best, best_score = part, -math.inf
    for cand, cost in _candidates(part.lower()).items():
        found = lexicon.compound(cand)
        if found is not None and found - cost > best_score:
            best, best_score = _recase(part, cand, sentence_start), found - cost
    return best


def damage_ratio(text: str, context: Lexicon) -> float:
    """Share of words that are OCR glyph soup or unknown words with a known Swedish repair."""
    lexicon = context
    tokens = [split_token(t)[1] for t in text.split()]
    words = [t for t in tokens if any(c.isalpha() for c in t) and len(t) >= 2]
    if not words:
        return 0.0
    damaged = 0
    for word in words:
        if _DAMAGE_GLYPH.search(word.lower()) and not _skip(word):
            damaged += 1
        elif word.isalpha() and not lexicon.valid(word):
            low = word.lower()
            damaged += any(lexicon.valid(c) for c in _candidates(low) if c != low)
    return damaged / len(words)


def looks_damaged(text: str, context: Lexicon) -> bool:
    """True for OCR text with broken Swedish letters; clean documents stay False."""
    return damage_ratio(text, context) >= 0.03
