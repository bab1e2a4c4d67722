"""Split a passage into quotable units (sentences, list items) with exact character spans."""

from __future__ import annotations

import itertools
import re

# A unit ends at sentence-final punctuation followed by space and a capital/digit/bullet.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”»)]?\s+(?=[\"“«(]?[A-ZÅÄÖÉ0-9•▶\-])")
# A line break starts a new unit when the next line looks like a new item or sentence.
_NEW_LINE_ITEM = re.compile(r"\n\s*(?=(?:[-•▶*¢]|\d+[.):]|[A-ZÅÄÖÉ]|[eo]\s+[A-ZÅÄÖÉ]|o\s*\|))")
_CONTINUES = re.compile(r"[,\-–]\s*$|\b(?:och|samt|eller|att|för|med|i|av|till|som|genom)\s*$")
# Bullet glyphs, including the ones OCR makes of "•" ("e ", "¢ ", "o |").
_BULLET = re.compile(r"^(?:[-•▶*¢]\s*)+|^[eo]\s+(?=[A-ZÅÄÖÉ])|^o\s*\|\s*")

_NUMBERED = re.compile(r"^(?:\d+[.):]|Mål \d+:)\s")

MAX_UNIT_CHARS = 600


def _cut_points(text: str) -> list[int]:
    cuts = {m.end() for m in _SENTENCE_END.finditer(text)}
    for m in _NEW_LINE_ITEM.finditer(text):
        before = text[: m.start()].rstrip()
        if before and not _CONTINUES.search(before):
            cuts.add(m.end())
    return sorted(c for c in cuts if 0 < c < len(text))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    bullet = _BULLET.match(text[start:end])
    if bullet and bullet.end() < end - start:
        start += bullet.end()
    return start, end


def split_units(text: str) -> list[tuple[int, int]]:
    """Spans (start, end) into `text` of its quotable units, in order.

    A unit that introduces a list (ends with ":") is joined with the list that follows when
    the whole stays short, because the intro alone answers nothing.
    """
    bounds = [0, *_cut_points(text), len(text)]
    pieces = [(a, b) for a, b in itertools.pairwise(bounds)]
    spans: list[tuple[int, int]] = []
    bulleted: list[bool] = []
    for a, b in pieces:
        start, end = _trim(text, a, b)
        if end > start and any(ch.isalnum() for ch in text[start:end]):
            spans.append((start, end))
            bulleted.append(
                bool(_BULLET.match(text[a:b].lstrip())) or bool(_NUMBERED.match(text[start:end]))
            )
    merged: list[tuple[int, int]] = []
    i = 0
    while i < len(spans):
        start, end = spans[i]
        run = _short_item_run(text, spans, bulleted, i)
        if run > i + 1:
            # a list of short lines without an intro line (names under a heading)
            merged.append((start, spans[run - 1][1]))
            i = run
        elif text[start:end].endswith(":"):
            j = i + 1
            # list items follow the intro; a plain sentence after them ends the list
            while j < len(spans) and spans[j][1] - start <= MAX_UNIT_CHARS:
                item = text[spans[j][0] : spans[j][1]]
                if not bulleted[j] and item.endswith((".", "!", "?", ":")):
                    break
                end = spans[j][1]
                j += 1
            merged.append((start, end))
            i = max(j, i + 1)
        else:
            merged.append((start, end))
            i += 1
    return merged


SHORT_ITEM_CHARS = 80


def _short_item_run(text: str, spans: list[tuple[int, int]], bulleted: list[bool], i: int) -> int:
    """End index of the run of short, unpunctuated, unbulleted lines starting at spans[i]."""
    j = i
    while j < len(spans) and not bulleted[j]:
        item = text[spans[j][0] : spans[j][1]]
        if (
            len(item) > SHORT_ITEM_CHARS
            or "\n" in item.strip()
            or item.endswith((".", "!", "?", ":", ";"))
        ):
            break
        if j > i and (spans[j][1] - spans[i][0]) > MAX_UNIT_CHARS:
            break
        j += 1
    return j


def collapse_whitespace(text: str) -> str:
    """A quote as shown in running text: the source's line breaks become single spaces."""
    return re.sub(r"\s+", " ", text).strip()
