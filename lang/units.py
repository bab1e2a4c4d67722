"""Quotable units of a passage, sentences and list items, with exact character spans."""

from __future__ import annotations

import bisect
import itertools
import re
from typing import NamedTuple

from lang.marks import (
    bullet_end,
    ends_sentence,
    is_numbered,
    new_line_items,
    sentence_breaks,
    starts_item,
)
from lang.match import folds, is_content

# A line that runs on into the next: it ends with a comma, a dash or a joining word.
_CONTINUES = re.compile(r"[,\-–]\s*$|\b(?:och|samt|eller|att|för|med|i|av|till|som|genom)\s*$")

MAX_UNIT_CHARS = 600
# Recorded in the index manifest: a change to how units are split re-embeds them at ingest.
UNITS_VERSION = 4
# A line at least this share of the passage's longest line, without end punctuation, was
# wrapped by the page, not ended: "... vars medlemmar är Region" / "Dalarna, Region ...".
WRAPPED_SHARE = 0.75


# A line's item number: its full stop ends no sentence ("1. Utveckla ...").
_ITEM_NUMBER = re.compile(r"[ \t]*\d{1,2}[.)]")


def _cut_points(text: str) -> list[int]:
    cuts = {m.end() for m in sentence_breaks(text) if not _ends_item_number(text, m.start())}
    width = max((len(line.rstrip()) for line in text.split("\n")), default=0)
    for m in new_line_items(text):
        before = text[: m.start()].rstrip()
        if before and not runs_on(before) and not _wrapped(before, text, m, width):
            cuts.add(m.end())
    return sorted(c for c in cuts if 0 < c < len(text))


def runs_on(line: str) -> bool:
    """The line runs on into the next: it ends with a comma, a dash or a joining word."""
    return _CONTINUES.search(line) is not None


def _ends_item_number(text: str, end: int) -> bool:
    """text[:end] ends with a line that is only an item number ("1.", "2)")."""
    return _ITEM_NUMBER.fullmatch(text, text.rfind("\n", 0, end) + 1, end) is not None


def _wrapped(before: str, text: str, line_break: re.Match[str], width: int) -> bool:
    """The line before this break is prose the page wrapped: nearly as long as the widest
    line, unpunctuated, with at most one blank line after it and no item marker below it."""
    line = before[before.rfind("\n") + 1 :]
    after = text[line_break.end() :]
    return (
        text[len(before) : line_break.end()].count("\n") <= 2
        and len(line) >= WRAPPED_SHARE * width
        and not ends_sentence(line)
        and not bullet_end(after, "passage")
        and not is_numbered(after, "passage")
    )


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    bullet = bullet_end(text[start:end], "passage")
    if bullet and bullet < end - start:
        start += bullet
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
                bullet_end(text[a:b].lstrip(), "passage") > 0
                or is_numbered(text[start:end], "passage")
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
        elif (run := _short_item_run(text, spans, bulleted, i + 1)) > i + 2 and (
            not text[start:end].endswith((".", "!", "?", ";"))
            and spans[run - 1][1] - start <= MAX_UNIT_CHARS
        ):
            # an intro that runs on into its list without a colon ("… arbetar genom" and
            # the items on their own lines under it): quoted with the items, as a colon's
            merged.append((start, spans[run - 1][1]))
            i = run
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


def _is_item_line(line: str) -> bool:
    return bool(bullet_end(line, "document")) or is_numbered(line, "document")


def list_around(text: str, start: int, end: int) -> Offsets | None:
    """The whole bulleted or numbered list that text[start:end] is an item of, from its
    first item's words to its last one's end (blank lines between items, and an item's
    words wrapped onto a next line, perhaps after a blank one, stay inside it); None when
    that unit is no list item."""
    lines = text.split("\n")
    offsets = list(itertools.accumulate((len(line) + 1 for line in lines), initial=0))
    # each line's part in a list: an item, an item's wrapped words, or none
    inside: list[bool] = []
    for n, line in enumerate(lines):
        above = n - 1 if n < 2 or lines[n - 1].strip() else n - 2  # across one blank line
        wrapped = above >= 0 and inside[above] and line.strip()[:1].islower()
        inside.append(_is_item_line(line) or wrapped)
    at = bisect.bisect_right(offsets, text.rfind("\n", 0, start) + 1) - 1
    if not inside[at]:
        return None

    def next_item(n: int, step: int) -> int | None:
        """The list's line next to line n that way, across blank lines; None past its end."""
        n += step
        while 0 <= n < len(lines) and not lines[n].strip():
            n += step
        return n if 0 <= n < len(lines) and inside[n] else None

    top = bottom = at
    while (above := next_item(top, -1)) is not None:
        top = above
    while (below := next_item(bottom, 1)) is not None:
        bottom = below
    while not _is_item_line(lines[top]):  # wrapped words belong to the item above them
        top += 1
    a = offsets[top] + bullet_end(lines[top], "document")
    b = offsets[bottom] + len(lines[bottom].rstrip())
    while a < b and text[a].isspace():
        a += 1
    return Offsets(a, b) if b > a else None


def collapse_whitespace(text: str) -> str:
    """A quote as shown in running text: the source's line breaks become single spaces."""
    return re.sub(r"\s+", " ", text).strip()


# --- the finer units that comparison aligns -------------------------------------------


class Offsets(NamedTuple):
    """Absolute character offsets (start, end) of a unit in its document's text."""

    start: int
    end: int


def _line_spans(text: str, start: int, end: int) -> list[Offsets]:
    """Non-empty lines of text[start:end], bullet glyphs trimmed."""
    out = []
    pos = start
    for line in text[start:end].split("\n"):
        a, b = pos, pos + len(line)
        pos = b + 1
        bullet = bullet_end(line, "line")
        if bullet and bullet < len(line):
            a += bullet
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append(Offsets(a, b))
    return out


def unit_spans(text: str, start: int, end: int, is_list: bool = False) -> list[Offsets]:
    """Absolute spans of the quotable units of text[start:end] (a chunk).

    Finer than `split_units`: a list merged with its intro is split back into its items
    (in a list chunk also at blank lines: "... genom\n\nVänortssamarbeten"), and a sentence
    that OCR line breaks cut in two ("... efter forslag fran" / "Internationella radet")
    is joined again.
    """
    spans: list[Offsets] = []
    for a, b in split_units(text[start:end]):
        a, b = a + start, b + start
        lines = _line_spans(text, a, b)
        starts = [starts_item(text[text.rfind("\n", 0, ln.start) + 1 :]) for ln in lines]
        first = text[lines[0].start : lines[0].end] if lines else ""
        if any(starts[1:]) and (first.endswith(":") or (is_list and "\n\n" in text[a:b])):
            items = [lines[0]]
            for line, new_item in zip(lines[1:], starts[1:], strict=True):
                if new_item:
                    items.append(line)
                else:  # a wrapped item: "... Falu kommuns\nverksamheter, ..."
                    items[-1] = Offsets(items[-1].start, line.end)
            spans.extend(items)
        else:
            spans.append(Offsets(a, b))
    joined: list[Offsets] = []
    for span in spans:
        if joined:
            prev = joined[-1]
            gap = text[prev.end : span.start]
            prev_text = text[prev.start : prev.end]
            if (
                gap.count("\n") == 1
                and not ends_sentence(prev_text, closers="")
                and len(prev_text.split()) >= 6
                and ends_sentence(text[span.start : span.end], closers="")
            ):
                joined[-1] = Offsets(prev.start, span.end)
                continue
        joined.append(span)
    return [s for s in joined if any(is_content(f) for f in folds(text[s.start : s.end]))]
