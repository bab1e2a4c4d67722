"""The service's typed contract: requests, search results, citations and answers."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from ingest.schema import IN_FORCE, DocStatus, DocumentMeta, Span

MAX_QUESTION_CHARS = 2000


class Filters(BaseModel):
    """Metadata filters; every given field must match. Unknown values are rejected (422)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    municipality: str | None = None
    doc_type: str | None = None
    year: int | None = None
    status: DocStatus | None = None

    def is_empty(self) -> bool:
        return all(v is None for v in (self.municipality, self.doc_type, self.year, self.status))


def text_field(what: str) -> AfterValidator:
    """A text that is neither blank nor over MAX_QUESTION_CHARS, with a message naming it."""

    def check(value: str) -> str:
        if not value.strip():
            raise ValueError(f"{what} får inte vara tom / must not be empty")
        if len(value) > MAX_QUESTION_CHARS:
            raise ValueError(
                f"{what} är för lång ({len(value)} tecken, högst {MAX_QUESTION_CHARS}) / "
                f"too long ({len(value)} characters, at most {MAX_QUESTION_CHARS})"
            )
        return value

    return AfterValidator(check)


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: Annotated[str, text_field("Sökfrågan / query")]
    k: int = Field(10, ge=1, le=50)
    filters: Filters = Field(default_factory=Filters)


MAX_HISTORY_TURNS = 10


class Turn(BaseModel):
    """An earlier exchange of the conversation: the question, and the answer if given."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    question: Annotated[str, text_field("Tidigare fråga / earlier question")]
    answer: str | None = Field(None, max_length=20 * MAX_QUESTION_CHARS)


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: Annotated[str, text_field("Frågan / question")]
    filters: Filters = Field(default_factory=Filters)
    history: list[Turn] = Field(
        default_factory=list,
        max_length=MAX_HISTORY_TURNS,
        description="earlier questions (and answers), oldest first: a follow-up is read "
        "against them",
    )


def line_range(start_line: int, end_line: int) -> str:
    """How a line span reads to a user: "rad 7", "rad 61–62"."""
    return f"rad {start_line}" if start_line == end_line else f"rad {start_line}–{end_line}"


class Location(BaseModel):
    """The lines (and page) of a `Span`: what a reader looks up in the document."""

    model_config = ConfigDict(frozen=True)

    start_line: int
    end_line: int
    page: int | None = None

    @classmethod
    def of(cls, span: Span) -> Location:
        return cls(start_line=span.start_line, end_line=span.end_line, page=span.page)


class Replacement(BaseModel):
    """The document in force that replaced a cited one ("Ersatt av «title» 2024")."""

    model_config = ConfigDict(frozen=True)

    doc_id: str
    title: str
    year: int | None = Field(None, description="from when it applies: valid_from, else its year")


class Source(BaseModel):
    """The document a result comes from: its catalog fields, declared once for every result
    (search hit, citation, document listing). `status` and `superseded_by` are the
    catalog's current word on it, set by the service after retrieval."""

    model_config = ConfigDict(frozen=True)

    doc_id: str
    title: str
    municipality: str
    doc_type: str
    year: int | None
    status: DocStatus = IN_FORCE
    superseded_by: Replacement | None = Field(
        None, description="set when the document is replaced or archived and its replacement known"
    )

    @classmethod
    def of(cls, source: DocumentMeta | Source, **fields: Any) -> Self:
        """This result for a document, its catalog fields taken from `source`."""
        return cls(
            doc_id=source.doc_id,
            title=source.title,
            municipality=source.municipality,
            doc_type=source.doc_type,
            year=source.year,
            **fields,
        )

    @property
    def status_note(self) -> str:
        """How a source not in force reads: "Ersatt av «title» 2024", "Arkiverad"; "" else."""
        if (new := self.superseded_by) is not None:
            return f"Ersatt av «{new.title}»" + (f" {new.year}" if new.year is not None else "")
        return "" if self.status == IN_FORCE else self.status.capitalize()


class SearchResult(Source):
    chunk_id: str
    section: str
    text: str
    score: float
    location: Location


class Citation(Source):
    """One cited passage. `quote` is an exact substring of the document's indexed text."""

    n: int
    section: str
    quote: str
    location: Location
    chunk_id: str
    context: str = Field(description="the whole passage (chunk) the quote was taken from")
    ocr: bool = False
    repaired: bool = Field(False, description="the quote is from OCR text repaired at ingest")
    raw_lines: str | None = Field(
        None, description="the cited lines as the OCR read them, before repair"
    )


class RemovedSentence(BaseModel):
    """A generated sentence that failed citation checking, and why."""

    model_config = ConfigDict(frozen=True)

    sentence: str
    reason: str


class Answer(BaseModel):
    model_config = ConfigDict(frozen=True)

    question: str
    answer: str
    answerable: bool
    citations: list[Citation]
    nearest: list[SearchResult] = Field(
        default_factory=list, description="Närliggande avsnitt: shown when not answerable"
    )
    language: str = "sv"
    answer_id: str | None = Field(None, description="for feedback (POST /api/feedback)")
    mode: Literal["extractive", "llm"] = "extractive"
    fallback_reason: str | None = Field(None, description="why an LLM answer was not used")
    removed: list[RemovedSentence] = Field(default_factory=list)
    interpreted_question: str | None = Field(
        None, description="Tolkad fråga: a follow-up rewritten to stand alone, when it was"
    )


class DocumentInfo(Source):
    ocr: bool
    chunks: int
    valid_from: date | None = None


class StatusUpdate(BaseModel):
    """A change of a document's status (PATCH /api/admin/documents/{doc_id}); fields not
    given stay as they are, `null` clears one."""

    model_config = ConfigDict(extra="forbid")

    status: DocStatus | None = None
    valid_from: date | None = None
    replaced_by: str | None = Field(None, max_length=100)


class DocumentDetail(DocumentInfo):
    text: str
    raw_text: str | None = None


class WordingRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: Annotated[str, text_field("Formuleringen / text")]
    filters: Filters = Field(default_factory=Filters)
    limit: int = Field(10, ge=1, le=50)


class CompareRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    doc_a: str
    doc_b: str
    topic: str | None = Field(None, max_length=200)


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answer_id: str = Field(min_length=1, max_length=64)
    helpful: bool
    comment: str | None = Field(None, max_length=2000)


Status = Literal["same", "changed", "only_a", "only_b"]


class Side(Span):
    """One side of a compared item; `quote` is the document text at its span."""

    section: str
    quote: str


class ComparedItem(BaseModel):
    model_config = ConfigDict(frozen=True)

    status: Status
    topic: str
    a: Side | None = None
    b: Side | None = None
    differences: list[str] = Field(default_factory=list)


class WordingMatch(Span):
    """One passage holding the wording; `doc.text[start:end] == text`."""

    title: str
    year: int | None
    section: str
    text: str
    score: float
    exact: bool
    chunk_id: str | None
    context: str
    context_start: int
    highlight_start: int  # the match within `context`
    highlight_end: int


class WordingResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    query: str
    found: bool
    matches: list[WordingMatch]
    nearest: list[WordingMatch]  # closest passages when nothing matched
