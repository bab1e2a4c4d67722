"""Repair Swedish OCR text: restore å/ä/ö from the usual OCR confusions, line for line.

Each word is expanded into the spellings its damaged glyphs could stand for (a→å/ä,
o→ö, 6→ö, &→ä ...). The candidates are scored by a Swedish hunspell dictionary (with its
compound rules), wordfreq's Swedish frequencies and counts from clean documents of the
corpus; neighbours settle words that are valid both ways (for/för, var/vår, ar/är/år).
"""

from __future__ import annotations

import itertools
import math
import re
import sysconfig
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lang import compound_splits, ends_sentence, find_words, is_word, ocr_bullet

_DICT_DIRS = (Path(sysconfig.get_path("data")) / "share" / "hunspell", Path("/usr/share/hunspell"))
_LEAD = "\"'([{«“‘„"
_TRAIL = "\"'.,;:!?)]}»”’…+"
_DAMAGE_GLYPH = re.compile(r"[a-zåäöé][6&@|]|[6&@|][a-zåäöé]|ii")
_INVALID_PENALTY = 2.0  # a hunspell-unknown spelling counts as this much less frequent
_CORPUS_WEIGHT = 0.5
_CONTEXT_WEIGHT = 0.5
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
# (word, previous words, next words, bonus): Swedish collocations that settle words valid
# both with and without diacritics, e.g. possessives before "egen" (var egen → vår egen).


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_OWN = _words("egen eget egna")
CONTEXT_HINTS: tuple[tuple[str, frozenset[str], frozenset[str], float], ...] = (
    ("vår", frozenset(), _OWN, 3.0),
    ("vårt", frozenset(), _OWN, 3.0),
    ("våra", frozenset(), _OWN, 3.0),
    ("åter", frozenset({"att"}), frozenset(), 1.0),  # "att" takes no present tense (äter)
)
# After a determiner a valid word is more likely an adjective or noun than a respelled
# verb (den fortsatta, not den fortsätta): ask for a larger margin there.
DETERMINERS = _words("den det de denna detta dessa en ett sin sitt sina")
# Words after which "ar" is "år", not "är": counts and quantities (and small numbers).
YEAR_PREVIOUS = _words(
    "ett två tre fyra fem sex sju åtta nio tio flera några många per varje detta samma "
    "nästa förra hela halvt"
)


@dataclass(frozen=True)
class Change:
    """One repaired whitespace token: 1-based line, the token before and after."""

    line: int
    before: str
    after: str


@dataclass(frozen=True)
class RepairResult:
    text: str
    changes: list[Change] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.changes)


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


def _split(token: str) -> tuple[str, str, str]:
    start, end = 0, len(token)
    while start < end and token[start] in _LEAD:
        start += 1
    while end > start and token[end - 1] in _TRAIL:
        end -= 1
    return token[:start], token[start:end], token[end:]


def _repair_line(line: str, lexicon: Lexicon, before: str = "", after: str = "") -> str:
    """Repair one line; `before`/`after` are the neighbouring lines' edge words (wrapping)."""
    bullet = ocr_bullet(line)
    if bullet:
        line = (
            f"{bullet[1]}•{bullet[2]}{'I' if bullet[3] == '|' else bullet[3]}"
            + line[bullet.end() :]
        )
    elif line.lstrip().startswith("| "):
        line = line.replace("|", "I", 1)
    spans = list(re.finditer(r"\S+", line))
    cores = [_split(m[0])[1] for m in spans]
    lows = [c.lower() for c in cores]
    out, pos = [], 0
    for k, m in enumerate(spans):
        lead, core, trail = _split(m[0])
        if "://" in core or core.startswith("www.") or ("@" in core and "." in core):
            out.append(line[pos : m.end()])  # URLs and e-mail addresses
            pos = m.end()
            continue
        prev = lows[k - 1] if k else before
        nxt = lows[k + 1] if k + 1 < len(spans) else after
        start = k == 0 or (k == 1 and spans[0][0] == "•")
        start = start or ends_sentence(spans[k - 1][0], closers="", marks=".!?:")
        parts = re.split(r"([-/])", core)
        if len(parts) == 1:
            fixed = repair_word(core, lexicon, prev, nxt, start)
        else:
            fixed = "".join(
                p if p in "-/" else repair_word(p, lexicon, sentence_start=start and i == 0)
                for i, p in enumerate(parts)
            )
        out.append(line[pos : m.start()] + lead + fixed + trail)
        lows[k] = fixed.lower()  # the next word sees its repaired neighbour (nasta ar → nästa år)
        pos = m.end()
    return "".join(out) + line[pos:]


def repair_text(text: str, context: Lexicon) -> RepairResult:
    """Repair every line of OCR text; line i of the result is line i of the input."""
    lexicon = context
    lines = text.split("\n")
    repaired = list(lines)
    for _ in range(3):  # to a fixpoint, so that repair is idempotent
        edges = [line.split() for line in repaired]
        again = [
            _repair_line(
                line,
                lexicon,
                _split(edges[i - 1][-1])[1].lower() if i and edges[i - 1] else "",
                _split(edges[i + 1][0])[1].lower() if i + 1 < len(edges) and edges[i + 1] else "",
            )
            for i, line in enumerate(repaired)
        ]
        if again == repaired:
            break
        repaired = again
    changes = [
        Change(number, before, after)
        for number, (old, new) in enumerate(zip(lines, repaired, strict=True), start=1)
        if old != new
        for before, after in zip(old.split(), new.split(), strict=True)
        if before != after
    ]
    return RepairResult("\n".join(repaired), changes)


def damage_ratio(text: str, context: Lexicon) -> float:
    """Share of words that are OCR glyph soup or unknown words with a known Swedish repair."""
    lexicon = context
    tokens = [_split(t)[1] for t in text.split()]
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


def repair_document_text(text: str, context: Lexicon) -> RepairResult:
    """Repair a document only if it looks damaged; a clean text comes back unchanged."""
    if not looks_damaged(text, context):
        return RepairResult(text)
    return repair_text(text, context)


def repair_file(path: str | Path, context: Lexicon) -> RepairResult:
    """Repair an OCR text file (the `falun-kb repair FILE` command)."""
    return repair_text(Path(path).read_text(encoding="utf-8"), context)
