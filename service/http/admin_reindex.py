"""Reindexing for the admin API: one run at a time, its progress stage by stage, and a stop."""

from __future__ import annotations

import threading

from fastapi import FastAPI, HTTPException, Request
from pydantic import BaseModel

from ingest.schema import PageConfidence
from service.progress import IngestProgress, IngestStatus, IngestStopped
from service.settings import Settings

_reindex_lock = threading.Lock()  # held while a reindex runs
_state_lock = threading.Lock()  # makes the app's progress record once


class FileStatus(BaseModel):
    doc_id: str
    status: str
    chunks: int
    messages: list[str]
    ocr_pages: list[PageConfidence] = []  # a scan's pages: OCR confidence, low ones flagged


class AdminResult(BaseModel):
    action: str
    doc_id: str | None = None
    files: list[FileStatus]
    unchanged: bool = False
    progress: IngestStatus | None = None  # each stage's count, seconds and rate


def reindex_progress(app: FastAPI) -> IngestProgress:
    """The app's record of its running or last reindex (made on first use)."""
    with _state_lock:
        if getattr(app.state, "reindex_progress", None) is None:
            app.state.reindex_progress = IngestProgress()
        return app.state.reindex_progress


def _claim(app: FastAPI) -> IngestProgress:
    """Take the one reindex slot (409 when taken) and start its progress record."""
    if not _reindex_lock.acquire(blocking=False):
        raise HTTPException(409, "En inläsning pågår redan / a reindex is already running")
    progress = reindex_progress(app)
    progress.start()
    return progress


def _run(app: FastAPI, progress: IngestProgress, action: str, doc_id: str | None) -> AdminResult:
    """Rebuild and serve the new index, then give the slot back; stopped or failed, the
    previous generation keeps serving."""
    from service.kb import KnowledgeBaseService
    from service.pipeline import run_ingest

    settings: Settings = app.state.settings
    try:
        embedder = app.state.kb.embedder  # the model already loaded, not a second one
        report = run_ingest(settings, embedder=embedder, progress=progress)
        app.state.kb = KnowledgeBaseService.open(settings, embedder=embedder)
        progress.finish()
    except IngestStopped as exc:
        progress.finish(exc)
        raise HTTPException(
            409,
            "Inläsningen avbröts; det tidigare indexet används fortfarande / "
            "reindex stopped; the previous index still serves",
        ) from None
    except BaseException as exc:
        progress.finish(exc)
        raise
    finally:
        _reindex_lock.release()
    files = [
        FileStatus(
            doc_id=f.doc_id,
            status=f.status,
            chunks=f.chunks,
            messages=list(f.messages),
            ocr_pages=list(f.ocr_pages),
        )
        for f in report.files
    ]
    return AdminResult(
        action=action,
        doc_id=doc_id,
        files=files,
        unchanged=report.unchanged,
        progress=progress.status(),
    )


def reindex(request: Request, action: str, doc_id: str | None = None) -> AdminResult:
    """Rebuild the index from the corpus directory and serve the new one; one at a time."""
    return _run(request.app, _claim(request.app), action, doc_id)


def reindex_in_background(app: FastAPI) -> IngestStatus:
    """Start a reindex in a thread of its own and return at once: its progress is followed
    with the status endpoint (a long reindex outlives an HTTP request's patience)."""
    progress = _claim(app)

    def run() -> None:
        try:
            _run(app, progress, "reindex", None)
        except BaseException:  # recorded in the progress (state failed/stopped, error)
            return

    threading.Thread(target=run, name="reindex", daemon=True).start()
    return progress.status()


async def reindex_async(request: Request, action: str, doc_id: str | None = None) -> AdminResult:
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(reindex, request, action, doc_id)
