"""The HTTP API: search, ask, documents and health, over the knowledge base facade."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel

from service.kb import KnowledgeBaseService
from service.models import (
    Answer,
    AskRequest,
    DocumentDetail,
    DocumentInfo,
    SearchRequest,
    SearchResult,
)


class SearchResponse(BaseModel):
    results: list[SearchResult]


class DocumentsResponse(BaseModel):
    documents: list[DocumentInfo]


def get_kb(request: Request) -> KnowledgeBaseService:
    return request.app.state.kb


KB = Annotated[KnowledgeBaseService, Depends(get_kb)]

router = APIRouter()


@router.post("/api/search", response_model=SearchResponse, tags=["sök"])
def search(body: SearchRequest, kb: KB) -> SearchResponse:
    """Passages for a query, best first, with document, section and line span."""
    return SearchResponse(results=kb.search(body.query, k=body.k, filters=body.filters))


@router.post("/api/ask", response_model=Answer, tags=["fråga"])
def ask(body: AskRequest, kb: KB) -> Answer:
    """An answer quoting the documents with numbered citations, or 'not in the documents'."""
    return kb.ask(body.question, filters=body.filters)


@router.get("/api/documents", response_model=DocumentsResponse, tags=["dokument"])
def documents(kb: KB) -> DocumentsResponse:
    return DocumentsResponse(documents=kb.documents())


@router.get("/api/documents/{doc_id}", response_model=DocumentDetail, tags=["dokument"])
def document(doc_id: str, kb: KB) -> DocumentDetail:
    """Metadata and full indexed text (line numbers in citations refer to this text)."""
    try:
        return kb.document(doc_id)
    except KeyError:
        raise HTTPException(
            status_code=404, detail=f"Okänt dokument / unknown document: {doc_id!r}"
        ) from None


@router.get("/healthz", tags=["drift"])
def healthz(kb: KB) -> dict[str, object]:
    manifest = kb.index.manifest
    return {
        "status": "ok",
        "documents": manifest.counts.get("documents"),
        "chunks": manifest.counts.get("chunks"),
        "embedder": manifest.embedder,
        "store": "chroma-server" if kb.settings.chroma_url else "chroma-embedded",
    }
