"""Recover a document's structure (headings, paragraphs, lists, goals, noise) from its text."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal

from ingest.lines import (
    FUNCTION_WORDS,
    LineKind,
    classify,
    ends_open,
    heading_like,
    implicit_item_like,
    introduces_list,
    starts_lower,
    title_like,
)
from ingest.schema import Document
from lang import ends_sentence, folds

BlockKind = Literal["heading", "paragraph", "list_item", "goal", "table", "toc", "noise"]
CONTENT_KINDS = frozenset({"paragraph", "list_item", "goal", "table"})
ITEM_KINDS = frozenset({"list_item", "goal"})
_BLOCK_KIND: dict[LineKind, BlockKind] = {
    "text": "paragraph", "item": "list_item", "goal": "goal", "table": "table",
    "toc": "toc", "noise": "noise", "heading": "heading", "blank": "noise",
}  # fmt: skip
_MAX_GAP = 3  # blank lines a list may sit below its intro, or a lower-case line may continue


@dataclass(frozen=True)
class Block:
    """One structural unit; `start:end` is its content span in the text (glyphs excluded)."""

    kind: BlockKind
    text: str
    start: int
    end: int
    start_line: int
    end_line: int
    section: tuple[str, ...] = ()
    level: int = 0
    intro: bool = False


class _Lines:
    """The lines of a text with offsets, kinds and content columns, refined in passes."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.raw = text.split("\n")
        self.offsets = [0]
        for line in self.raw[:-1]:
            self.offsets.append(self.offsets[-1] + len(line) + 1)
        classified = [classify(line) for line in self.raw]
        self.kinds: list[LineKind] = [kind for kind, _ in classified]
        self.body = [col for _, col in classified]
        self.levels: dict[int, int] = {}  # title (level 0) or heading levels known from markup
        self.implicit: set[int] = set()
        self.title: int | None = None
        self.letterhead: int | None = None  # a first line that is not the document's title

    def content(self, i: int) -> str:
        return self.raw[i][self.body[i] :].rstrip()

    def next_nonblank(self, i: int) -> tuple[int | None, int]:
        """Index of the next non-blank line after i and the number of blank lines between."""
        for j in range(i + 1, len(self.raw)):
            if self.kinds[j] != "blank":
                return j, j - i - 1
        return None, 0

    def prev_nonblank(self, i: int) -> tuple[int | None, int]:
        for j in range(i - 1, -1, -1):
            if self.kinds[j] != "blank":
                return j, i - j - 1
        return None, 0

    def next_content(self, i: int) -> int | None:
        for j in range(i + 1, len(self.raw)):
            if self.kinds[j] not in ("blank", "noise", "toc"):
                return j
        return None


def names_title(line: str, title: str) -> bool:
    """At least half the line's words are words of the title (a letterhead's are not)."""
    words, known = folds(line), set(folds(title))
    return 2 * sum(w in known for w in words) >= len(words)


def _guess_headings(lines: _Lines, title: str | None) -> None:
    """Mark plain-text headings: the title line, then short capitalised lines before body text.
    A first line that does not name the document's known title ("Kommun Dnr 12/23") is a
    letterhead: text to quote, not a heading."""
    first = lines.next_content(-1)
    if first is not None and lines.kinds[first] == "text" and title_like(lines.content(first)):
        if title is None or names_title(lines.content(first), title):
            lines.kinds[first], lines.levels[first], lines.title = "heading", 0, first
        else:
            lines.letterhead = first
    for i, kind in enumerate(lines.kinds):
        if kind != "text" or i == lines.letterhead or not heading_like(lines.content(i)):
            continue
        nxt = lines.next_content(i)
        if nxt is None or (lines.kinds[nxt] == "text" and starts_lower(lines.content(nxt))):
            continue  # a heading is followed by body text, not by the rest of its sentence
        prev, gap = lines.prev_nonblank(i)
        wrapped = prev is not None and gap == 0 and lines.kinds[prev] in ("text", "item", "goal")
        if wrapped and not ends_sentence(lines.content(prev)):
            continue  # the line continues a paragraph wrapped without blank lines
        lines.kinds[i] = "heading"


def _find_implicit_lists(lines: _Lines) -> None:
    """Short unbulleted lines under an intro (':', dangling word or heading) form a list."""
    for i, kind in enumerate(lines.kinds):
        is_intro = kind == "text" and introduces_list(lines.content(i))
        if not (is_intro or (kind == "heading" and i != lines.title)):
            continue
        run: list[int] = []
        j, gap = lines.next_nonblank(i)
        while j is not None and gap <= (_MAX_GAP if not run else 1):
            entry = lines.content(j)
            if lines.kinds[j] not in ("text", "heading") or lines.levels.get(j) is not None:
                break
            after, after_gap = lines.next_nonblank(j)
            # "…i kontakt med" may end an entry when no lower-case line continues it
            ends_run = after is None or after_gap > 1 or lines.kinds[after] != "text"
            if not implicit_item_like(entry, may_dangle=bool(run) and ends_run):
                break
            first_word = lines.content(run[0]).split()[0] if run else entry.split()[0]
            if starts_lower(first_word) and entry.split()[0] != first_word:
                break  # lower case means a wrapped line, unless every entry starts alike
            run.append(j)
            j, gap = lines.next_nonblank(j)
        if len(run) >= 2:
            for j in run:
                lines.kinds[j] = "item"
                lines.implicit.add(j)


def _continues(lines: _Lines, prev: int, nxt: int, gap: int, *, item: bool) -> bool:
    """Does line `nxt` continue the paragraph or list item whose last line is `prev`?"""
    if lines.kinds[nxt] != "text" or gap > _MAX_GAP:
        return False
    before, after = lines.content(prev), lines.content(nxt)
    if gap == 0 or not before.strip(" .)0123456789"):
        return True  # wrapped without a blank line, or an empty "1." waiting for its text
    if starts_lower(after):
        return True
    if item:
        return gap <= 1 and ends_open(before)
    return gap <= 1 and not ends_sentence(before)


def _section_levels(lines: _Lines, heading_levels: Mapping[int, int] | None) -> dict[int, int]:
    """Level of every heading line; level 0 is the document title, kept out of section paths."""
    heads = [i for i, kind in enumerate(lines.kinds) if kind == "heading"]
    if heading_levels is not None:
        levels = {i: heading_levels[i + 1] for i in heads}
        first = lines.next_content(-1)
        top = min(levels.values(), default=0)
        unique = first in levels and list(levels.values()).count(levels[first]) == 1
        if unique and levels[first] == top:
            levels[first] = 0  # a lone top heading on the first line is the title
        return levels
    return _guess_levels(lines, heads)


def _family(text: str) -> str | None:
    words = text.split()
    key = words[0].lower() if words else ""
    return key if 2 <= len(words) <= 4 and key not in FUNCTION_WORDS else None


def _guess_levels(lines: _Lines, heads: list[int]) -> dict[int, int]:
    """A heading right above another is its parent; series like "Mål X"/"Mål Y" are siblings."""
    families = Counter(_family(lines.content(i)) for i in heads)
    levels: dict[int, int] = {}
    depth = 1  # level of an ordinary heading: sibling of the last heading under a parent
    last_plain = 1
    for n, i in enumerate(heads):
        if i == lines.title:
            levels[i] = 0
            continue
        prev = heads[n - 1] if n else None
        parent = prev is not None and levels.get(prev, 0) > 0 and lines.next_content(prev) == i
        is_parent = n + 1 < len(heads) and lines.next_content(i) == heads[n + 1]
        family = _family(lines.content(i))
        if parent:
            levels[i] = depth = levels[prev] + 1
        elif is_parent:
            levels[i] = 1
        elif family and families[family] >= 2 and depth == 1:
            levels[i] = last_plain + 1
        else:
            levels[i] = depth
        if not (family and families[family] >= 2):
            last_plain = levels[i]
    return levels


def _span_block(
    lines: _Lines, kind: BlockKind, first: int, last: int, section: tuple[str, ...], level: int
) -> Block:
    start = lines.offsets[first] + lines.body[first]
    end = lines.offsets[last] + len(lines.raw[last].rstrip())
    text = lines.text[start:end]
    return Block(kind, text, start, end, first + 1, last + 1, section=section, level=level)


def parse_blocks(
    text: str, heading_levels: Mapping[int, int] | None = None, title: str | None = None
) -> list[Block]:
    """Split text into blocks with section paths; `heading_levels` maps 1-based line -> level;
    `title`, the document's title when known, tells its title line from a letterhead."""
    lines = _Lines(text)
    if heading_levels is not None:
        for number, level in heading_levels.items():
            lines.kinds[number - 1], lines.body[number - 1] = "heading", 0
            lines.levels[number - 1] = level
    else:
        _guess_headings(lines, title)
    _find_implicit_lists(lines)
    levels = _section_levels(lines, heading_levels)
    blocks: list[Block] = []
    stack: list[tuple[int, str]] = []
    i = 0
    while i < len(lines.raw):
        kind, last = lines.kinds[i], i
        if kind == "blank":
            i += 1
            continue
        if kind == "heading":
            level = levels.get(i, 1)
            stack = [(lvl, name) for lvl, name in stack if lvl < level]
            if level > 0:
                stack.append((level, lines.content(i).strip()))
        elif kind == "table":
            while last + 1 < len(lines.raw) and lines.kinds[last + 1] == "table":
                last += 1
        elif kind in ("text", "item", "goal") and i not in lines.implicit:
            nxt, gap = lines.next_nonblank(last)
            while nxt is not None and _continues(lines, last, nxt, gap, item=kind != "text"):
                last = nxt
                nxt, gap = lines.next_nonblank(last)
        section = tuple(name for _, name in stack)
        block = _span_block(lines, _BLOCK_KIND[kind], i, last, section, levels.get(i, 0))
        blocks.append(block)
        i = last + 1
    return _mark_intros(blocks)


def _mark_intros(blocks: list[Block]) -> list[Block]:
    """Flag paragraphs that introduce the list right after them."""
    out = list(blocks)
    for n, block in enumerate(blocks[:-1]):
        following = blocks[n + 1]
        is_before_list = block.kind == "paragraph" and following.kind in ITEM_KINDS
        if is_before_list and following.section == block.section and introduces_list(block.text):
            out[n] = replace(block, intro=True)
    return out


def document_blocks(doc: Document) -> list[Block]:
    """Blocks of a loaded document, using markup heading levels when the loader kept them."""
    levels = dict(doc.heading_levels) if doc.heading_levels is not None else None
    return parse_blocks(doc.text, levels, doc.meta.title)
