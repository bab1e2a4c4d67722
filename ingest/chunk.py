"""Cut a document into chunks along its structure: paragraphs, lists with their intro, goals."""

from __future__ import annotations

from dataclasses import dataclass

from ingest.schema import Chunk, ChunkKind, Document, chunk_id_for
from ingest.structure import CONTENT_KINDS, ITEM_KINDS, Block, document_blocks
from lang import DOCUMENT_CLOSERS, NEXT_IN_DOCUMENT, sentence_breaks

_KIND_RANK: dict[ChunkKind, int] = {"list": 3, "goal": 2, "table": 1, "paragraph": 0}


@dataclass(frozen=True)
class ChunkerConfig:
    """Size bounds of chunks in characters; small neighbours merge, long paragraphs split."""

    max_chars: int = 700
    min_chars: int = 120


@dataclass(frozen=True)
class _Piece:
    """A span of consecutive blocks that is chunked as one piece if it fits."""

    start: int
    end: int
    section: tuple[str, ...]
    kind: ChunkKind
    # Where the unit may be cut if too long: the spans of its parts (blocks or sentences).
    parts: tuple[tuple[int, int], ...]

    @property
    def size(self) -> int:
        return self.end - self.start


def _units(blocks: list[Block]) -> list[_Piece]:
    """Group blocks: an intro paragraph with its list items; every other block on its own."""
    units: list[_Piece] = []
    content = [b for b in blocks if b.kind in CONTENT_KINDS]
    n = 0
    while n < len(content):
        block = content[n]
        group = [block]
        if block.intro or block.kind in ITEM_KINDS:
            while n + 1 < len(content) and _same_list(blocks, group[-1], content[n + 1]):
                n += 1
                group.append(content[n])
        kind: ChunkKind = "paragraph"
        if len(group) > 1 or block.kind == "list_item":
            kind = "list"
        elif block.kind in ("goal", "table"):
            kind = block.kind  # type: ignore[assignment]  # both are ChunkKinds too
        parts = tuple((b.start, b.end) for b in group)
        units.append(_Piece(group[0].start, group[-1].end, block.section, kind, parts))
        n += 1
    return units


def _same_list(blocks: list[Block], last: Block, candidate: Block) -> bool:
    """The candidate item continues the list ending at `last`, with nothing between them."""
    if candidate.kind not in ITEM_KINDS or candidate.section != last.section:
        return False
    between = [b for b in blocks if last.end <= b.start < candidate.start]
    return not between


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside text[start:end], whitespace between sentences left out."""
    spans = []
    cursor = start
    # a sentence ends with . ! ? (and closing quotes/brackets) before a capital or digit
    breaks = sentence_breaks(
        text, start, end, closers=DOCUMENT_CLOSERS, many_closers=True, next_start=NEXT_IN_DOCUMENT
    )
    for m in breaks:
        spans.append((cursor, m.start()))
        cursor = m.end()
    spans.append((cursor, end))
    return [(s, e) for s, e in spans if e > s]


def _pack(parts: list[tuple[int, int]], max_chars: int) -> list[tuple[int, int]]:
    """Greedily join consecutive spans while the joined span stays within max_chars."""
    packed: list[tuple[int, int]] = []
    for start, end in parts:
        if packed and end - packed[-1][0] <= max_chars:
            packed[-1] = (packed[-1][0], end)
        else:
            packed.append((start, end))
    return packed


def _split(unit: _Piece, text: str, max_chars: int) -> list[_Piece]:
    """Cut an over-long unit between its parts, and over-long parts between sentences."""
    if unit.size <= max_chars:
        return [unit]
    pieces: list[tuple[int, int]] = []
    for start, end in unit.parts:
        pieces.extend(_sentences(text, start, end) if end - start > max_chars else [(start, end)])
    return [
        _Piece(start, end, unit.section, unit.kind, ((start, end),))
        for start, end in _pack(pieces, max_chars)
    ]


def _merge(units: list[_Piece], text: str, config: ChunkerConfig) -> list[_Piece]:
    """Join a small unit with its neighbour in the same section, adjacent and within bounds."""
    merged: list[_Piece] = []
    for unit in units:
        if merged:
            last = merged[-1]
            small = last.size < config.min_chars or unit.size < config.min_chars
            fits = unit.end - last.start <= config.max_chars
            adjacent = not text[last.end : unit.start].strip()  # only blank lines between
            if small and fits and adjacent and last.section == unit.section:
                kind = max(last.kind, unit.kind, key=_KIND_RANK.__getitem__)
                merged[-1] = _Piece(last.start, unit.end, last.section, kind, ())
                continue
        merged.append(unit)
    return merged


def chunk_document(doc: Document, config: ChunkerConfig | None = None) -> list[Chunk]:
    """Chunks of a document; `doc.text[c.start:c.end] == c.text` for every chunk."""
    config = config or ChunkerConfig()
    text = doc.text
    units = [
        piece
        for unit in _units(document_blocks(doc))
        for piece in _split(unit, text, config.max_chars)
    ]
    chunks: list[Chunk] = []
    for unit in _merge(units, text, config):
        body = text[unit.start : unit.end]
        start = unit.start + len(body) - len(body.lstrip())
        end = unit.start + len(body.rstrip())
        if start >= end:
            continue
        chunk_text = text[start:end]
        chunks.append(
            Chunk(
                **doc.span(start, end).model_dump(),
                chunk_id=chunk_id_for(doc.doc_id, chunk_text, start),
                text=chunk_text,
                section=unit.section,
                kind=unit.kind,
                ordinal=len(chunks),
            )
        )
    return chunks
