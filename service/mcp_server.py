"""The knowledge base as an MCP server (Model Context Protocol), for assistants that use tools.

Read-only tools over the same `KnowledgeBaseService` the HTTP API calls: `search`, `ask`,
`find_wording`, `compare_documents`, `get_document` and `list_documents`. Each result is the
API's own pydantic model as `structuredContent` (its JSON schema is the tool's outputSchema),
and readable text beside it for a model or a person. Served over stdio by `falun-kb mcp`
and over streamable HTTP at `/mcp` by the app (`service/http/mcp_http.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel, Field

from service.kb import KnowledgeBaseService, UnknownFilterValue
from service.lookup.comparison_text import comparison_table
from service.mcp_results import (
    Comparison,
    DocumentLines,
    DocumentList,
    SearchResults,
    answer_text,
    document_lines,
    document_text,
    search_text,
    wording_text,
)
from service.models import MAX_HISTORY_TURNS, Answer, Filters, WordingResult, text_field

NAME = "falun-kb"
INSTRUCTIONS = (
    "Frågor om kommunens internationella arbete besvaras med ordagranna citat ur dess "
    "dokument. Ange källan (dokument, avsnitt, rader) för det du återger; säger verktyget "
    "att svaret inte framgår av dokumenten, hitta inte på något. / Questions about the "
    "municipality's international work, answered with verbatim quotes from its documents. "
    "Cite the source (document, section, lines) of what you pass on; when a tool says the "
    "documents do not answer, do not make anything up."
)
READ_ONLY = ToolAnnotations(
    read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False
)

# --- parameters -----------------------------------------------------------------------

Question = Annotated[
    str, text_field("Frågan / question"), Field(description="frågan / the question")
]
Municipality = Annotated[
    str | None, Field(description="bara denna kommuns dokument / only this municipality's")
]
DocType = Annotated[
    str | None, Field(description="bara denna dokumenttyp / only this document type")
]
Year = Annotated[int | None, Field(description="bara detta års dokument / only this year's")]
DocId = Annotated[str, Field(description="dokumentets id / the document's id (list_documents)")]


def _filters(municipality: str | None, doc_type: str | None, year: int | None) -> Filters:
    return Filters(municipality=municipality, doc_type=doc_type, year=year)


def _result(text: str, model: BaseModel) -> CallToolResult:
    return CallToolResult(
        content=[TextContent(type="text", text=text)],
        structured_content=model.model_dump(mode="json"),
    )


# --- the server -----------------------------------------------------------------------


def build_server(get_kb: Callable[[], KnowledgeBaseService]) -> MCPServer:
    """The tools over the knowledge base `get_kb()` returns at each call (a reindex swaps it)."""
    server = MCPServer(
        NAME, title="Kunskapsbas / knowledge base", instructions=INSTRUCTIONS, log_level="WARNING"
    )

    def unknown_document(exc: KeyError) -> ToolError:
        known = ", ".join(d.doc_id for d in get_kb().documents())
        return ToolError(
            f"Okänt dokument / unknown document: {exc.args[0]!r} (kända / known: {known})"
        )

    @server.tool(annotations=READ_ONLY)
    def search(
        query: Annotated[str, text_field("Sökfrågan / query"), Field(description="sökfrågan")],
        k: Annotated[int, Field(ge=1, le=50, description="antal / how many")] = 10,
        municipality: Municipality = None,
        doc_type: DocType = None,
        year: Year = None,
    ) -> Annotated[CallToolResult, SearchResults]:
        """Sök: de bästa avsnitten för en sökfråga, med dokument, avsnitt och rader. /
        Search: the best passages for a query, with document, section and line span."""
        try:
            hits = get_kb().search(query, k=k, filters=_filters(municipality, doc_type, year))
        except UnknownFilterValue as exc:
            raise ToolError(str(exc)) from None
        return _result(search_text(hits), SearchResults(query=query, results=hits))

    @server.tool(annotations=READ_ONLY)
    def ask(
        question: Question,
        municipality: Municipality = None,
        doc_type: DocType = None,
        year: Year = None,
        history: Annotated[
            list[str],
            Field(
                max_length=MAX_HISTORY_TURNS,
                description="tidigare frågor i samtalet, äldst först / the conversation's "
                "earlier questions, oldest first: a follow-up is read against them",
            ),
        ] = [],  # noqa: B006 (the schema's default; never mutated)
    ) -> Annotated[CallToolResult, Answer]:
        """Fråga: ett svar av ordagranna citat ur dokumenten, numrerade [n] med källa
        (dokument, avsnitt, rader), eller "Det framgår inte av dokumenten" med närliggande
        avsnitt. / Ask: an answer of verbatim quotes from the documents, numbered [n] with
        their sources, or a plain "not in the documents" with the nearest passages."""
        try:
            filters = _filters(municipality, doc_type, year)
            answer = get_kb().ask(question, filters=filters, history=history)
        except UnknownFilterValue as exc:
            raise ToolError(str(exc)) from None
        return _result(answer_text(answer), answer)

    @server.tool(annotations=READ_ONLY)
    def find_wording(
        text: Annotated[
            str, text_field("Formuleringen / text"), Field(description="formuleringen")
        ],
        limit: Annotated[int, Field(ge=1, le=50, description="högst / at most")] = 10,
        municipality: Municipality = None,
        doc_type: DocType = None,
        year: Year = None,
    ) -> Annotated[CallToolResult, WordingResult]:
        """Exakt formulering: var en formulering står, exakt eller nästan (skiftläge,
        diakritiska tecken, OCR-fel, radbrytningar, böjning); exakta träffar först. / Where
        a wording occurs, exactly or approximately; exact matches first."""
        try:
            result = get_kb().wording(text, _filters(municipality, doc_type, year), limit=limit)
        except UnknownFilterValue as exc:
            raise ToolError(str(exc)) from None
        return _result(wording_text(result), result)

    @server.tool(annotations=READ_ONLY)
    def compare_documents(
        doc_a: DocId,
        doc_b: DocId,
        topic: Annotated[
            str | None,
            Field(max_length=200, description="bara detta ämne, t.ex. budget / only this topic"),
        ] = None,
    ) -> Annotated[CallToolResult, Comparison]:
        """Jämför två dokument (t.ex. två års planer) punkt för punkt: same, changed,
        only_a, only_b, med citat ur båda. / Compare two documents (e.g. two years' plans)
        item by item, each side quoted."""
        try:
            items = get_kb().compare(doc_a, doc_b, topic=topic)
        except KeyError as exc:
            raise unknown_document(exc) from None
        comparison = Comparison(doc_a=doc_a, doc_b=doc_b, topic=topic, items=items)
        return _result(comparison_table(items), comparison)

    @server.tool(annotations=READ_ONLY)
    def get_document(
        doc_id: DocId,
        from_line: Annotated[int | None, Field(ge=1, description="första rad / first line")] = None,
        to_line: Annotated[int | None, Field(ge=1, description="sista rad / last line")] = None,
    ) -> Annotated[CallToolResult, DocumentLines]:
        """Ett dokuments text, helt eller rad from_line–to_line (de radnummer citaten
        anger). / A document's indexed text, whole or lines from_line–to_line (the line
        numbers citations give)."""
        try:
            detail = get_kb().document(doc_id)
        except KeyError as exc:
            raise unknown_document(exc) from None
        try:
            doc = document_lines(detail, from_line, to_line)
        except ValueError as exc:
            raise ToolError(str(exc)) from None
        return _result(document_text(doc), doc)

    @server.tool(annotations=READ_ONLY)
    def list_documents() -> Annotated[CallToolResult, DocumentList]:
        """Dokumenten: id, titel, kommun, typ och år. / The documents: id, title,
        municipality, type and year."""
        docs = DocumentList(documents=get_kb().documents())
        rows = [
            f"{d.doc_id}: «{d.title}» ({d.municipality}, {d.doc_type}, {d.year})"
            for d in docs.documents
        ]
        return _result("\n".join(rows), docs)

    return server
