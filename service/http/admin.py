"""Corpus administration over the API: upload, replace, delete, reindex, a document's
status; bearer-token only."""

from __future__ import annotations

import hmac
import json
import os
import re
import threading
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request, UploadFile
from pydantic import ValidationError

from ingest.schema import DocumentMeta
from service.http.admin_reindex import (
    AdminResult,
    reindex_async,
    reindex_in_background,
    reindex_progress,
)
from service.models import DocumentInfo, StatusUpdate
from service.progress import IngestStatus
from service.settings import Settings

ALLOWED_SUFFIXES = {".txt", ".md", ".pdf"}
_SAFE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,99}$")

router = APIRouter(prefix="/api/admin", tags=["administration"])
_catalog_lock = threading.Lock()
STATUS_FIELDS = ("status", "valid_from", "replaced_by")


def require_admin(request: Request) -> None:
    """A valid bearer token from FALUN_KB_ADMIN_TOKEN; without one configured, always 403."""
    settings: Settings = request.app.state.settings
    expected = settings.admin_token.get_secret_value() if settings.admin_token else ""
    if not expected:
        raise HTTPException(
            403, "Administration är avstängd (FALUN_KB_ADMIN_TOKEN är inte satt) / admin disabled"
        )
    given = request.headers.get("authorization", "")
    scheme, _, token = given.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.encode(), expected.encode()):
        raise HTTPException(403, "Fel eller saknad behörighetstoken / missing or wrong token")


Admin = Annotated[None, Depends(require_admin)]


def safe_doc_id(name: str) -> str:
    """A document id that cannot leave the corpus directory (no paths, no dots, no slashes)."""
    doc_id = name.strip().lower()
    if not _SAFE_ID.match(doc_id):
        raise HTTPException(
            422,
            f"Ogiltigt dokument-id {name!r}: använd a-z, 0-9, - och _ / invalid document id",
        )
    return doc_id


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.uploading")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _catalog(settings: Settings) -> dict:
    path = settings.corpus_dir / "catalog.json"
    return json.loads(path.read_text("utf-8")) if path.exists() else {}


def _save_catalog(settings: Settings, catalog: dict) -> None:
    text = json.dumps(catalog, ensure_ascii=False, indent=2) + "\n"
    _write_atomic(settings.corpus_dir / "catalog.json", text.encode("utf-8"))


@router.post("/documents", response_model=AdminResult)
async def upload_document(
    request: Request,
    _: Admin,
    file: UploadFile,
    title: Annotated[str, Form(min_length=1, max_length=300)],
    municipality: Annotated[str | None, Form(min_length=1, max_length=120)] = None,
    doc_type: Annotated[str, Form(min_length=1, max_length=60)] = "okänd",
    year: Annotated[int | None, Form(ge=1900, le=2100)] = None,
    ocr: Annotated[bool, Form()] = False,
    doc_id: Annotated[str | None, Form()] = None,
) -> AdminResult:
    """Upload or replace a document with its catalog metadata, then reindex; without a
    municipality, the document is the home municipality's (FALUN_KB_HOME_MUNICIPALITY)."""
    settings: Settings = request.app.state.settings
    suffix = Path(file.filename or "").suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        allowed = ", ".join(sorted(ALLOWED_SUFFIXES))
        raise HTTPException(415, f"Filtypen {suffix or '(ingen)'} stöds inte (tillåtna: {allowed})")
    ident = safe_doc_id(doc_id or Path(file.filename or "").stem)
    data = await file.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        raise HTTPException(413, f"Filen är större än {settings.max_upload_bytes} byte / too large")
    if not data:
        raise HTTPException(422, "Filen är tom / the file is empty")
    catalog = _catalog(settings)
    old = catalog.get(ident, {}).get("file")
    name = f"{ident}{suffix}"
    target = (settings.corpus_dir / name).resolve()
    if target.parent != settings.corpus_dir.resolve():  # belt and braces: ids are already safe
        raise HTTPException(422, "Ogiltigt filnamn / invalid file name")
    _write_atomic(target, data)
    if old and old != name:
        (settings.corpus_dir / old).unlink(missing_ok=True)
    kept = {k: v for k, v in catalog.get(ident, {}).items() if k in STATUS_FIELDS}
    catalog[ident] = {
        **kept,  # a new version of a document keeps its status
        "file": name,
        "title": title,
        "municipality": municipality or settings.home_municipality,
        "doc_type": doc_type,
        "year": year,
        "ocr": ocr,
    }
    _save_catalog(settings, catalog)
    return await reindex_async(request, "upload", ident)


@router.delete("/documents/{doc_id}", response_model=AdminResult)
async def delete_document(request: Request, doc_id: str, _: Admin) -> AdminResult:
    """Remove a document and its catalog entry, then reindex (its chunks go)."""
    settings: Settings = request.app.state.settings
    ident = safe_doc_id(doc_id)
    catalog = _catalog(settings)
    entry = catalog.pop(ident, None)
    if entry is None:
        raise HTTPException(404, f"Okänt dokument / unknown document: {ident!r}")
    (settings.corpus_dir / Path(entry["file"]).name).unlink(missing_ok=True)
    _save_catalog(settings, catalog)
    return await reindex_async(request, "delete", ident)


@router.patch("/documents/{doc_id}", response_model=DocumentInfo)
def set_status(request: Request, doc_id: str, body: StatusUpdate, _: Admin) -> DocumentInfo:
    """Mark a document in force (`gällande`), replaced (`ersatt`, `replaced_by` another
    document) or archived (`arkiverad`), from `valid_from`; saved in the catalog and in effect
    at once, without re-embedding anything."""
    settings: Settings = request.app.state.settings
    ident = safe_doc_id(doc_id)
    kb = request.app.state.kb
    with _catalog_lock:
        catalog = _catalog(settings)
        if ident not in catalog or ident not in kb.docs:
            raise HTTPException(404, f"Okänt dokument / unknown document: {ident!r}")
        change = body.model_dump(mode="json", exclude_unset=True)
        new = change.get("replaced_by")
        if new is not None and (new == ident or new not in catalog):
            raise HTTPException(
                422, f"replaced_by: okänt ersättande dokument / unknown replacement: {new!r}"
            )
        entry = {**catalog[ident], **change}
        entry = {k: v for k, v in entry.items() if not (k in STATUS_FIELDS and v is None)}
        try:
            DocumentMeta.model_validate({**entry, "doc_id": ident})
        except ValidationError as exc:
            raise HTTPException(422, str(exc)) from None
        catalog[ident] = entry
        _save_catalog(settings, catalog)
        kb.reload_statuses()
    return kb.info(ident)


@router.post("/reindex", response_model=AdminResult)
async def reindex_now(request: Request, _: Admin) -> AdminResult:
    """Re-read the corpus directory; unchanged files cost nothing. The response's `progress`
    gives each stage's count, seconds and rate; a stopped reindex answers 409."""
    return await reindex_async(request, "reindex")


@router.post("/reindex/start", response_model=IngestStatus, status_code=202)
def reindex_start(request: Request, _: Admin) -> IngestStatus:
    """Start a reindex and answer at once (202); follow it with `GET /api/admin/reindex/status`.
    409 when one is running."""
    return reindex_in_background(request.app)


@router.get("/reindex/status", response_model=IngestStatus)
def reindex_status(request: Request, _: Admin) -> IngestStatus:
    """The running or last reindex (upload and delete included): its stage, done/total, rate
    and time left, each stage so far, when it started and finished, and its error."""
    return reindex_progress(request.app).status()


@router.post("/reindex/stop", response_model=IngestStatus, status_code=202)
def reindex_stop(request: Request, _: Admin) -> IngestStatus:
    """Stop the running reindex after its current step; the previous index keeps serving and
    what was embedded stays cached for the next run. 409 when none is running."""
    progress = reindex_progress(request.app)
    if not progress.stop():
        raise HTTPException(409, "Ingen inläsning pågår / no reindex is running")
    return progress.status()
