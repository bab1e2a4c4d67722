"""What the MCP tools return: the API's models where a tool returns one (lists wrapped in
an object, as structuredContent must be), and the readable text that goes beside them."""

from __future__ import annotations

from pydantic import BaseModel, Field

from service.models import (
    Answer,
    Citation,
    ComparedItem,
    DocumentDetail,
    DocumentInfo,
    SearchResult,
    WordingMatch,
    WordingResult,
    line_range,
)


class SearchResults(BaseModel):
    query: str
    results: list[SearchResult]


class Comparison(BaseModel):
    doc_a: str
    doc_b: str
    topic: str | None
    items: list[ComparedItem]


class DocumentList(BaseModel):
    documents: list[DocumentInfo]


class DocumentLines(DocumentDetail):
    """A document's metadata and its indexed text, whole or lines `start_line`–`end_line`
    (1-based, inclusive: the line numbers citations give)."""

    start_line: int
    end_line: int
    line_count: int = Field(description="the number of lines in the whole document")


# --- readable text --------------------------------------------------------------------


def _where(r: Citation | SearchResult) -> str:
    year = f", {r.year}" if r.year is not None else ""
    section = f" › {r.section}" if r.section else ""
    lines = line_range(r.location.start_line, r.location.end_line)
    note = f" [{r.status_note}]" if r.status_note else ""  # replaced or archived
    return f"«{r.title}» ({r.municipality}{year}; {r.doc_id}){note}{section}, {lines}"


def answer_text(answer: Answer) -> str:
    """The answer with its [n] markers, then each source with its quote; a refusal with
    the nearest passages."""
    out = [answer.answer.strip()]
    if answer.citations:
        out.append("Källor / sources:")
        out += [f"[{c.n}] {_where(c)}\n    «{' '.join(c.quote.split())}»" for c in answer.citations]
    elif answer.nearest:
        out.append("Närliggande avsnitt / nearest passages:")
        out += [f"– {_where(r)}\n    {_short(r.text)}" for r in answer.nearest]
    return "\n\n".join(out)


def _short(text: str, limit: int = 300) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def search_text(results: list[SearchResult]) -> str:
    """One numbered hit a paragraph: where, score, the passage shortened."""
    if not results:
        return "Inga träffar / no results."
    return "\n\n".join(
        f"{i}. {_where(r)} (score {r.score:.3f})\n    {_short(r.text)}"
        for i, r in enumerate(results, 1)
    )


def _match_line(m: WordingMatch) -> str:
    kind = "exakt / exact" if m.exact else f"likhet / similarity {m.score:.2f}"
    lines = line_range(m.start_line, m.end_line)
    return f"[{kind}] «{m.title}» ({m.doc_id}) › {m.section}, {lines}\n    «{_short(m.text)}»"


def wording_text(result: WordingResult) -> str:
    """The matches, exact first; "no such wording" with the closest passages."""
    if result.found:
        return "\n\n".join(_match_line(m) for m in result.matches)
    head = "Formuleringen finns inte i dokumenten / the wording does not occur. Närmast / closest:"
    return "\n\n".join([head, *(_match_line(m) for m in result.nearest)])


def document_lines(detail: DocumentDetail, start: int | None, end: int | None) -> DocumentLines:
    """`detail` cut to lines start–end (1-based, inclusive, clamped to the document);
    ValueError when no line is left."""
    lines = detail.text.split("\n")
    first = max(1, start or 1)
    last = min(len(lines), end or len(lines))
    if first > last:
        raise ValueError(
            f"Inga rader i {first}–{last} (dokumentet har {len(lines)} rader) / "
            f"no lines in {first}–{last} (the document has {len(lines)} lines)"
        )
    raw = detail.raw_text
    return DocumentLines(
        **detail.model_dump(exclude={"text", "raw_text"}),
        text="\n".join(lines[first - 1 : last]),
        raw_text="\n".join(raw.split("\n")[first - 1 : last]) if raw is not None else None,
        start_line=first,
        end_line=last,
        line_count=len(lines),
    )


def document_text(doc: DocumentLines) -> str:
    """The lines numbered as citations number them, under a line naming the document."""
    width = len(str(doc.end_line))
    numbered = [
        f"{n:>{width}}  {line}" for n, line in enumerate(doc.text.split("\n"), start=doc.start_line)
    ]
    year = f", {doc.year}" if doc.year is not None else ""
    head = (
        f"«{doc.title}» ({doc.municipality}{year}; {doc.doc_id}), "
        f"rad {doc.start_line}–{doc.end_line} av {doc.line_count}"
    )
    return "\n".join([head, "", *numbered])
