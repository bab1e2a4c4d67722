"""OCR-tolerant word matching shared by wording lookup and plan comparison.

Everything here works on folded words (lowercase, no diacritics, common OCR slips undone),
so it gives the same answers on raw OCR text and on its repaired version.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from difflib import SequenceMatcher
from functools import lru_cache
from typing import NamedTuple

import Stemmer

from index.lexical import SWEDISH_STOPWORDS, fold_diacritics
from service.answer.sentences import split_units

# Words as the two tools see them: "&" and "@" are letters here because OCR makes them of
# "ä"/"ö" ("&r", "er@vrats"); hyphens and apostrophes split, so "EU-\nmedel" == "EU-medel".
_WORD = re.compile(r"[\w@&]+")
STOPWORDS = frozenset(fold_diacritics(w) for w in SWEDISH_STOPWORDS)
_YEAR = re.compile(r"^(?:19|20)\d\d$")


class Token(NamedTuple):
    fold: str
    start: int
    end: int


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("swedish")


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
    return fold_diacritics(word).replace("_", "")


def tokens_of(text: str) -> tuple[Token, ...]:
    """The folded words of `text` with their exact character spans."""
    out = []
    for m in _WORD.finditer(text):
        folded = fold_word(m.group())
        if folded:
            out.append(Token(folded, m.start(), m.end()))
    return tuple(out)


# Documents are tokenized once per text, whatever the number of lookups.
token_stream = lru_cache(maxsize=16)(tokens_of)


def folds(text: str) -> list[str]:
    return [t.fold for t in tokens_of(text)]


def fold_text(text: str) -> str:
    """Text as comparison sees it: "Söka ett\nvänortssamarbete" -> "soka ett vanortssamarbete"."""
    return " ".join(folds(text))


@lru_cache(maxsize=65536)
def stem(folded: str) -> str:
    return _stemmer().stemWord(folded)


@lru_cache(maxsize=65536)
def ocr_key(folded: str) -> str:
    """A skeleton in which the letters OCR confuses for å/ä/ö are one letter."""
    return re.sub(r"[aeo]", "a", folded.replace("ii", "u"))


def is_stop(folded: str) -> bool:
    return folded in STOPWORDS


def is_content(folded: str) -> bool:
    """A word that carries meaning: not a stop word, not a year, not a lone letter."""
    return not (folded in STOPWORDS or _YEAR.match(folded) or len(folded) < 2)


@lru_cache(maxsize=262144)
def token_sim(a: str, b: str) -> float:
    """Similarity of two folded words in 0..1: equal, OCR-equal, same stem, or close spelling."""
    if a == b:
        return 1.0
    ka, kb = ocr_key(a), ocr_key(b)
    if ka == kb:
        return 0.95
    if stem(a) == stem(b) or stem(ka) == stem(kb):
        return 0.85
    shorter = min(len(a), len(b))
    if shorter < 4 or abs(len(a) - len(b)) > max(2, shorter // 3) or ka[0] != kb[0]:
        return 0.0
    ratio = SequenceMatcher(None, ka, kb, autojunk=False).ratio()
    return 0.6 + 1.4 * (ratio - 0.75) if ratio >= 0.75 else 0.0


def soft_match(
    a: Sequence[str], b: Sequence[str], floor: float = 0.75
) -> list[tuple[int, int, float]]:
    """Greedy one-to-one pairing of words of `a` and `b` by `token_sim`, best pairs first."""
    pairs = []
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            s = token_sim(x, y)
            if s >= floor:
                pairs.append((s, i, j))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    used_a: set[int] = set()
    used_b: set[int] = set()
    out = []
    for s, i, j in pairs:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            out.append((i, j, s))
    return out


def soft_jaccard(a: Sequence[str], b: Sequence[str]) -> float:
    if not a or not b:
        return 0.0
    matched = sum(s for _, _, s in soft_match(a, b))
    return matched / (len(a) + len(b) - matched)


def line_of(text: str, offset: int) -> int:
    """1-based line number of a character offset."""
    return text.count("\n", 0, offset) + 1


# --- units: the sentences and list items that comparison aligns ------------------------

_BULLET_LINE = re.compile(r"^\s*(?:[-•▶*¢]|[eo]\s(?=\S)|o\s*\|)\s*")
_ENDS_SENTENCE = re.compile(r"[.!?:;]\s*$")


class Span(NamedTuple):
    start: int
    end: int


def _line_spans(text: str, start: int, end: int) -> list[Span]:
    """Non-empty lines of text[start:end], bullet glyphs trimmed."""
    out = []
    pos = start
    for line in text[start:end].split("\n"):
        a, b = pos, pos + len(line)
        pos = b + 1
        bullet = _BULLET_LINE.match(line)
        if bullet and bullet.end() < len(line):
            a += bullet.end()
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append(Span(a, b))
    return out


_ITEM_START = re.compile(r"^\s*(?:[-•▶*¢]|[eo]\s|o\s*\||[A-ZÅÄÖÉ0-9])")


def unit_spans(text: str, start: int, end: int, is_list: bool = False) -> list[Span]:
    """Absolute spans of the quotable units of text[start:end] (a chunk).

    Finer than `split_units`: a list merged with its intro is split back into its items
    (in a list chunk also at blank lines: "... genom\n\nVänortssamarbeten"), and a sentence
    that OCR line breaks cut in two ("... efter forslag fran" / "Internationella radet")
    is joined again.
    """
    spans: list[Span] = []
    for a, b in split_units(text[start:end]):
        a, b = a + start, b + start
        lines = _line_spans(text, a, b)
        starts = [
            bool(_ITEM_START.match(text[text.rfind("\n", 0, ln.start) + 1 :])) for ln in lines
        ]
        first = text[lines[0].start : lines[0].end] if lines else ""
        if any(starts[1:]) and (first.endswith(":") or (is_list and "\n\n" in text[a:b])):
            items = [lines[0]]
            for line, new_item in zip(lines[1:], starts[1:], strict=True):
                if new_item:
                    items.append(line)
                else:  # a wrapped item: "... Falu kommuns\nverksamheter, ..."
                    items[-1] = Span(items[-1].start, line.end)
            spans.extend(items)
        else:
            spans.append(Span(a, b))
    joined: list[Span] = []
    for span in spans:
        if joined:
            prev = joined[-1]
            gap = text[prev.end : span.start]
            prev_text = text[prev.start : prev.end]
            if (
                gap.count("\n") == 1
                and not _ENDS_SENTENCE.search(prev_text)
                and len(prev_text.split()) >= 6
                and _ENDS_SENTENCE.search(text[span.start : span.end])
            ):
                joined[-1] = Span(prev.start, span.end)
                continue
        joined.append(span)
    return [s for s in joined if any(is_content(f) for f in folds(text[s.start : s.end]))]


# --- facts that comparison aligns on: members, amounts, places -------------------------

_MEMBER = re.compile(
    r"^(?P<name>[A-ZÅÄÖÉÜ][^\s()]+(?:\s[A-ZÅÄÖÉÜ][^\s()]*){1,3})\s*\((?P<party>[A-ZÅÄÖ]{1,3})\)"
    r"\s*(?:,\s*(?P<role>.+?))?\s*$"
)
_AMOUNT = re.compile(
    r"(?<![\d,])(\d{1,3}(?:[ \u00a0]\d{3})+|\d+)(?:,(\d+))?\s*"
    r"(tkr|mkr|msek|miljoner kronor|kronor|kr)\b",
    re.IGNORECASE,
)
_FACTOR = {"tkr": 1_000, "mkr": 1_000_000, "msek": 1_000_000, "miljoner kronor": 1_000_000}


def member(line: str) -> tuple[str, str, str] | None:
    """(name, party, role) of a council member line: "Jan E Fors (M), ordförande"."""
    m = _MEMBER.match(line.strip())
    if m is None:
        return None
    role = "ledamot"
    if m.group("role"):
        words = folds(m.group("role"))
        if words and token_sim(words[-1], "ordforande") >= 0.85:
            role = "vice ordförande" if "vice" in words else "ordförande"
        else:
            role = " ".join(m.group("role").split())
    return " ".join(m.group("name").split()), m.group("party"), role


def amounts(text: str) -> list[tuple[int, str]]:
    """Money amounts in kronor with their wording: "177 tkr" -> (177000, "177 tkr")."""
    out = []
    for m in _AMOUNT.finditer(text):
        whole = int(re.sub(r"\s", "", m.group(1)))
        fraction = float(f"0.{m.group(2)}") if m.group(2) else 0.0
        unit = " ".join(m.group(3).lower().split())
        out.append((round((whole + fraction) * _FACTOR.get(unit, 1)), " ".join(m.group().split())))
    return out


@lru_cache(maxsize=4096)
def places(text: str, names: tuple[str, ...]) -> frozenset[str]:
    """Those of `names` (places and organisations) a passage mentions, OCR-tolerant."""
    words = set(folds(text))
    return frozenset(p for p in names if any(token_sim(folds(p)[0], w) >= 0.85 for w in words))
