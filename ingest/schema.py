"""The one typed data model shared by every stage: documents, their metadata and chunks."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from lang import line_of

SECTION_SEPARATOR = " › "  # between the headings of a section path ("Mål › Mål Norden")


def last_heading(section_path: str) -> str:
    """The most specific heading of a section path ("Mål Norden"; "" for none)."""
    return section_path.split(SECTION_SEPARATOR)[-1]


ChunkKind = Literal["paragraph", "list", "list_item", "goal", "heading", "table"]
# in force, replaced by another document, or archived; each year's plan is in force for its year
DocStatus = Literal["gällande", "ersatt", "arkiverad"]
IN_FORCE: DocStatus = "gällande"


class DocumentMeta(BaseModel):
    """Catalog metadata of one document; `doc_id` is the file stem and is used everywhere."""

    model_config = ConfigDict(frozen=True)

    doc_id: str
    title: str
    municipality: str
    doc_type: str
    year: int | None = None
    ocr: bool = False
    file: str
    reference: str | None = None
    note: str | None = None
    source: str | None = None
    # catalog state, read when the index is opened: changing it re-embeds nothing
    status: DocStatus = IN_FORCE
    valid_from: date | None = None
    replaced_by: str | None = None  # the doc_id of the document that replaced this one


class Span(BaseModel):
    """Where in a document: character offsets into its text, the 1-based inclusive lines
    they touch, and the PDF page of the first line. Chunks, citations, wording matches and
    compared items all say where they are with it; `Document.span` is the one place that
    computes it."""

    model_config = ConfigDict(frozen=True)

    doc_id: str
    start: int
    end: int
    start_line: int
    end_line: int
    page: int | None = None


class PageConfidence(BaseModel):
    """How sure OCR was of one scanned page (mean word confidence, 0-100; None: no words),
    the share of its words that are Swedish function words (None: too few to tell), and
    whether the page should be scanned again."""

    model_config = ConfigDict(frozen=True)

    page: int
    confidence: float | None
    swedish: float | None = None
    low: bool


class Document(BaseModel):
    """A loaded document.

    `text` is the text that is indexed and quoted from. It keeps the line layout of the
    source file (markup is stripped inside lines, never whole lines removed), so a line
    number in a citation is a line number in the file. `raw_text` is that same text before
    OCR repair (markup already stripped); for a clean document the two are equal, and a
    repaired text has the same number of lines as its raw text. `pages` maps 1-based line
    numbers to PDF page numbers where the source had pages.
    """

    model_config = ConfigDict(frozen=True)

    meta: DocumentMeta
    text: str
    raw_text: str
    content_hash: str
    pages: tuple[int, ...] | None = None  # pages[i] = page of line i+1
    # (line, level) of headings known from markup, which stripping removed from `text`;
    # None means plain text, whose headings the structure stage has to guess.
    heading_levels: tuple[tuple[int, int], ...] | None = None
    warnings: tuple[str, ...] = ()
    ocr_pages: tuple[PageConfidence, ...] = ()  # the OCR'd pages of a scanned PDF

    @property
    def doc_id(self) -> str:
        return self.meta.doc_id

    @property
    def repaired(self) -> bool:
        return self.text != self.raw_text

    def span(self, start: int, end: int) -> Span:
        """Where `text[start:end]` is: its lines and (for a PDF) the page it starts on."""
        start_line = line_of(self.text, start)
        return Span(
            doc_id=self.doc_id,
            start=start,
            end=end,
            start_line=start_line,
            end_line=line_of(self.text, end - 1),
            page=self.pages[start_line - 1] if self.pages else None,
        )


class Chunk(Span):
    """One retrievable unit of a document, cut along its structure.

    Invariant: `document.text[start:end] == text`; `start_line`/`end_line` are the
    1-based, inclusive lines of `document.text` that the span touches.
    """

    chunk_id: str
    text: str
    section: tuple[str, ...] = ()
    kind: ChunkKind = "paragraph"
    ordinal: int = Field(0, description="position of the chunk in its document")

    @property
    def section_path(self) -> str:
        return SECTION_SEPARATOR.join(self.section)


def chunk_id_for(doc_id: str, text: str, start: int) -> str:
    """Deterministic id, so re-ingesting the same text yields the same ids."""
    digest = hashlib.sha256(f"{start}:{text}".encode()).hexdigest()[:10]
    return f"{doc_id}:{digest}"


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
