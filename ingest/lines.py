"""Classify single lines of plain text: bullets, numbered goals, noise, headings-to-be."""

from __future__ import annotations

import re
from typing import Literal

from lang import bullet_end, ends_sentence, goal_end, is_numbered

LineKind = Literal["blank", "noise", "toc", "table", "item", "goal", "text", "heading"]

# Swedish (and a few English) words that do not end a heading or a list item; OCR-damaged
# forms ("fran", "pa", "for") are listed because the raw OCR text is parsed too.
_FUNCTION_WORDS_TEXT = """och att av i på pa för for till med om som från fran genom eller samt
men den det de en ett är ar vid under över over mot hos inom utan efter när nar där dar vilka
vilket vars både bade inte kan ska skall har blir bl the and of to in for with or by"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS_TEXT.split())
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-–]\s*)?(?:(?:sida|sid\.|s\.|page)\s*)?\d{1,3}(?:\s*(?:av|of|/)\s*\d{1,3})?"
    r"(?:\s*[-–])?\s*$",
    re.IGNORECASE,
)
_URL_ONLY = re.compile(r"^\s*(?:(?:https?://|www\.)\S+|[\w-]+(?:\.[\w-]+)+/\S*)\s*$")
_URL = re.compile(r"https?://|www\.")
_TOC = re.compile(r"\S.*?(?:\.{3,}|…+|(?:\s?\.){4,})\s*\d{1,3}\s*$")
_TABLE = re.compile(r"^\s*\|.*\|\s*$")


def classify(line: str) -> tuple[LineKind, int]:
    """Kind of a line and the column where its content starts (after any bullet glyph)."""
    if not line.strip():
        return "blank", 0
    if _PAGE_NUMBER.match(line) or _URL_ONLY.match(line):
        return "noise", 0
    if _TOC.match(line):
        return "toc", 0
    if _TABLE.match(line):
        return "table", len(line) - len(line.lstrip())
    # bullet glyphs, with what OCR makes of "•" ("e", "o", "¢") before a capital word
    bullet = bullet_end(line, "document")
    body = bullet or len(line) - len(line.lstrip())
    if is_numbered(line[body:], "document") or goal_end(line[body:], "document"):
        return "goal", body
    return ("item", body) if bullet else ("text", body)


def last_word(text: str) -> str:
    words = text.split()
    return words[-1].lower().strip("\"'”’»") if words else ""


def ends_open(text: str) -> bool:
    """True if the line plainly runs on: it ends with a comma, hyphen or a function word."""
    stripped = text.rstrip()
    return stripped.endswith((",", "-", "–")) or last_word(stripped) in FUNCTION_WORDS


def starts_lower(text: str) -> bool:
    """True if the line starts in lower case (or with a digit/bracket), i.e. continues."""
    first = text.lstrip()[:1]
    return bool(first) and (first.islower() or first in "([„0123456789")


def heading_like(text: str, *, max_chars: int = 60, max_words: int = 8) -> bool:
    """A short capitalised line without sentence punctuation, commas or brackets."""
    s = text.strip()
    if not s or len(s) > max_chars or not s[0].isupper():
        return False
    if ends_sentence(s) or ends_open(s) or _URL.search(s):
        return False
    if any(mark in s for mark in (",", ";", "(", "|", ". ", "? ", "! ", ": ")):
        return False
    return len(s.split()) <= max_words


def title_like(text: str) -> bool:
    """The first line of a plain document reads as its title."""
    s = text.strip()
    return bool(s) and not ends_sentence(s) and not ends_open(s) and len(s) <= 120


def implicit_item_like(text: str, *, may_dangle: bool = False) -> bool:
    """A short line that can be one entry of a list without bullet glyphs."""
    s = text.strip()
    if not s or len(s) > 100 or len(s.split()) > 14:
        return False
    return not (ends_sentence(s) or (ends_open(s) and not may_dangle) or ". " in s)


def introduces_list(text: str) -> bool:
    """A line ending with ':' or a dangling function word announces what follows."""
    s = text.rstrip()
    return s.endswith(":") or last_word(s) in FUNCTION_WORDS
