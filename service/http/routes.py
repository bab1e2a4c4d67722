"""The HTTP API: search, ask, documents and health, over the knowledge base facade."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from index.store import StoreUnavailable
from service.kb import KnowledgeBaseService
from service.models import (
    Answer,
    AskRequest,
    ComparedItem,
    CompareRequest,
    DocumentDetail,
    DocumentInfo,
    FeedbackRequest,
    SearchRequest,
    SearchResult,
    WordingRequest,
    WordingResult,
)


class SearchResponse(BaseModel):
    results: list[SearchResult]


class CompareResponse(BaseModel):
    doc_a: str
    doc_b: str
    topic: str | None
    items: list[ComparedItem]


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
def ask(body: AskRequest, kb: KB, request: Request) -> Answer:
    """An answer quoting the documents with numbered citations, or 'not in the documents'."""
    client = request.client.host if request.client else None
    history = [turn.question for turn in body.history]
    return kb.ask(body.question, filters=body.filters, client=client, history=history)


@router.post("/api/feedback", tags=["fråga"])
def feedback(body: FeedbackRequest, kb: KB) -> dict[str, str]:
    """Whether an answer helped ("Hjälpte svaret?"), kept with the answer in the audit log."""
    try:
        kb.feedback(body.answer_id, body.helpful, body.comment)
    except KeyError:
        raise HTTPException(404, f"Okänt svar / unknown answer: {body.answer_id!r}") from None
    return {"status": "tack"}


@router.post("/api/wording", response_model=WordingResult, tags=["formulering"])
def wording(body: WordingRequest, kb: KB) -> WordingResult:
    """Where a wording occurs, exactly or approximately (case, diacritics, OCR damage,
    line breaks, small inflection or word-order changes); exact matches first."""
    return kb.wording(body.text, filters=body.filters, limit=body.limit)


@router.post("/api/compare", response_model=CompareResponse, tags=["jämför"])
def compare(body: CompareRequest, kb: KB) -> CompareResponse:
    """Two documents aligned by meaning and structure: same, changed, only_a, only_b."""
    try:
        items = kb.compare(body.doc_a, body.doc_b, topic=body.topic)
    except KeyError as exc:
        raise HTTPException(
            status_code=404, detail=f"Okänt dokument / unknown document: {exc.args[0]!r}"
        ) from None
    return CompareResponse(doc_a=body.doc_a, doc_b=body.doc_b, topic=body.topic, items=items)


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
def healthz(kb: KB) -> JSONResponse:
    """Liveness and the store's reachability: 503 while the Chroma server does not answer."""
    manifest = kb.index.manifest
    try:
        kb.index.retriever.store.count()
        store_ok = True
    except StoreUnavailable:
        store_ok = False
    body = {
        "status": "ok" if store_ok else "degraded",
        "store_reachable": store_ok,
        "documents": manifest.counts.get("documents"),
        "chunks": manifest.counts.get("chunks"),
        "embedder": manifest.embedder,
        "store": "chroma-server" if kb.settings.chroma_url else "chroma-embedded",
    }
    return JSONResponse(status_code=200 if store_ok else 503, content=body)
