"""Punctuation and bullet glyphs: where sentences break, end, and list items start."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Literal

# Closing quotes and brackets that may follow a sentence's full stop.
CLOSERS = '"”»)'
# ... in a document, where a typographic apostrophe may close a quote too.
DOCUMENT_CLOSERS = '"”’)»'
# Marks that end a sentence or introduce what follows (a list after ":").
SENTENCE_MARKS = ".!?;:"
# What the next sentence starts with: a capital or digit (maybe after an opening quote or
# bracket), or in a passage also a bullet.
NEXT_IN_DOCUMENT = r"[\"“(A-ZÅÄÖÉÜ0-9]"
NEXT_IN_PASSAGE = r"[\"“«(]?[A-ZÅÄÖÉ0-9•▶\-]"
# Citation labels of generated text after its full stop: "[1]", "[1, 3]", "[1][2]".
_LABELS = r"(?:\s*\[\s*\d+(?:\s*[,;]\s*\d+)*\s*\])*"
_ABBREVIATION = re.compile(
    r"(?:\b(?:t\.ex|bl\.a|m\.m|s\.k|d\.v\.s|dvs|osv|etc|ca|nr|kap|resp|e\.g|i\.e|st|jfr)|"
    r"\b[A-ZÅÄÖa-zåäö])\.$",
    re.I,
)


@lru_cache(maxsize=8)
def _break(
    closers: str, many_closers: bool, next_start: str | None, cited: bool
) -> re.Pattern[str]:
    marks = "[.!?]*" if cited else ""
    closer = f"[{re.escape(closers)}]{'*' if many_closers else '?'}"
    ahead = f"(?={next_start})" if next_start else ""
    return re.compile(rf"(?<=[.!?]){marks}{closer}{_LABELS if cited else ''}\s+{ahead}")


def sentence_breaks(
    text: str,
    start: int = 0,
    end: int | None = None,
    *,
    closers: str = CLOSERS,
    many_closers: bool = False,
    next_start: str | None = NEXT_IN_PASSAGE,
    cited: bool = False,
) -> Iterator[re.Match[str]]:
    """The one sentence splitter: each break between sentences of text[start:end].

    A break is . ! or ? with its `closers` (one, or `many_closers`), then space before what
    `next_start` allows (None: anything). In `cited` (generated) text repeated marks and the
    citation labels after the full stop stay with the sentence; the match starts after the
    first mark and ends where the next sentence begins.
    """
    pattern = _break(closers, many_closers, next_start, cited)
    return pattern.finditer(text, start, len(text) if end is None else end)


def ends_with_abbreviation(text: str) -> bool:
    """The text ends with an abbreviation's full stop ("t.ex.", "bl.a.", "J."), not a sentence's."""
    return _ABBREVIATION.search(text) is not None


def ends_sentence(
    text: str, *, closers: str = DOCUMENT_CLOSERS, marks: str = SENTENCE_MARKS
) -> bool:
    """The text ends with sentence-final (or list-introducing) punctuation and its closers."""
    stripped = text.rstrip().rstrip(closers)
    return bool(stripped) and stripped[-1] in marks


# --- bullets: the glyphs of list items, and what OCR makes of them -----------------------

# Glyphs a passage's list items start with ("¢" is what OCR makes of "•").
BULLET_GLYPHS = "-•▶*¢"
# Every glyph a document's list items may start with.
DOCUMENT_BULLET_GLYPHS = "-–—•▪▶►▸■□●○◦·*¢✓➢➤"
# The glyphs OCR reads a "•" as, replaced back by repair.
OCR_BULLET_GLYPHS = "e¢°©«*o"

BulletKind = Literal["document", "passage", "line"]
_G, _DG = re.escape(BULLET_GLYPHS), re.escape(DOCUMENT_BULLET_GLYPHS)
_BULLET: dict[BulletKind, re.Pattern[str]] = {
    # a document line: glyphs (stacked), "e"/"o" only before a capital or "|" (OCR's I)
    "document": re.compile(rf"^[ \t]*((?:(?:[{_DG}]|[eo](?=[ \t]+[A-ZÅÄÖÉÜ|]))[ \t]+)+)(?=\S)"),
    # a passage's unit: its leading glyphs, "e"/"o" before a capital, "o |"
    "passage": re.compile(rf"^(?:[{_G}]\s*)+|^[eo]\s+(?=[A-ZÅÄÖÉ])|^o\s*\|\s*"),
    # a line of a quoted unit: one glyph and the space after it
    "line": re.compile(rf"^\s*(?:[{_G}]|[eo]\s(?=\S)|o\s*\|)\s*"),
}
_OCR_BULLET = re.compile(rf"^(\s*)(?:[{re.escape(OCR_BULLET_GLYPHS)}])(\s+)(\|(?=\s)|[A-ZÅÄÖ|])")
_ITEM_START = re.compile(rf"^\s*(?:[{_G}]|[eo]\s|o\s*\||[A-ZÅÄÖÉ0-9])")
# A line break before a new item or sentence of a passage.
_NEW_LINE_ITEM = re.compile(rf"\n\s*(?=(?:[{_G}]|\d+[.):]|[A-ZÅÄÖÉ]|[eo]\s+[A-ZÅÄÖÉ]|o\s*\|))")
_NUMBERED: dict[Literal["document", "passage"], re.Pattern[str]] = {
    # a document line: "1." or "2)" (one or two digits) before space or the line's end
    "document": re.compile(r"^[ \t]*\d{1,2}[.)](?=[ \t]|$)"),
    # a passage's unit: "1.", "2)", "3:" or a numbered goal ("Mål 3:") before space
    "passage": re.compile(r"^(?:\d+[.):]|Mål \d+:)\s"),
}


def bullet_end(text: str, kind: BulletKind) -> int:
    """Where the content of a bulleted line or unit starts (0: no bullet)."""
    found = _BULLET[kind].match(text)
    return found.end() if found else 0


def ocr_bullet(line: str) -> re.Match[str] | None:
    """An OCR-damaged bullet at the start of a line: (indent, space, first letter) groups."""
    return _OCR_BULLET.match(line)


def starts_item(line: str) -> bool:
    """The line starts a new list item or sentence: a bullet, a capital or a digit."""
    return _ITEM_START.match(line) is not None


def new_line_items(text: str) -> Iterator[re.Match[str]]:
    """Line breaks of a passage before what looks like a new item or sentence."""
    return _NEW_LINE_ITEM.finditer(text)


_GOAL: dict[Literal["document", "passage"], re.Pattern[str]] = {
    # a document line: "Mål 3:", "Delmål 12.", OCR's "Mal 3:", any case
    "document": re.compile(r"^(?:del)?m[åa]l[ \t]+\d{1,2}[ \t]*[:.]", re.IGNORECASE),
    # a passage's unit: "Mål 3:", "Mal 3." (its number is no wording of the goal)
    "passage": re.compile(r"^(?:Mål|Mal)\s+\d+\s*[:.]"),
}


def goal_end(text: str, kind: Literal["document", "passage"]) -> int:
    """Where a numbered goal's label ("Mål 3:") at the start of `text` ends (0: none)."""
    found = _GOAL[kind].match(text)
    return found.end() if found else 0


def is_numbered(text: str, kind: Literal["document", "passage"]) -> bool:
    """The line or unit starts with an item number ("1.", "2)"), in a passage also "Mål 3:"."""
    return _NUMBERED[kind].match(text) is not None
