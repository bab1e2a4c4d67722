"""Load the catalog and the documents of a corpus directory into typed `Document`s."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

from ingest.decode import DecodeError, decode_text, split_pages
from ingest.markup import strip_markup
from ingest.ocr import OcrOptions
from ingest.pdf import DEFAULT_OCR, PdfError, read_pdf
from ingest.schema import Document, DocumentMeta, PageConfidence, content_hash
from lang import find_years

log = logging.getLogger(__name__)

CATALOG_NAME = "catalog.json"
TEXT_SUFFIXES = frozenset({".txt"})
MARKUP_SUFFIXES = frozenset({".md", ".markdown"})
PDF_SUFFIXES = frozenset({".pdf"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | MARKUP_SUFFIXES | PDF_SUFFIXES
UNKNOWN = "okänd"
# progress(stage, done, total): "load" per file (OCR included), "repair" per document
StageProgress = Callable[[str, int, int], None]


def no_progress(stage: str, done: int, total: int) -> None:
    """The progress of a caller that does not follow it."""


class IngestError(Exception):
    """A file that cannot be ingested, with the path and a reason a person can act on."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class IngestProblem:
    """One warning or error met while loading a corpus."""

    path: Path
    doc_id: str | None
    level: Literal["warning", "error"]
    message: str


@dataclass(frozen=True)
class LoadResult:
    """The documents that loaded, and what went wrong with the rest."""

    documents: list[Document] = field(default_factory=list)
    problems: list[IngestProblem] = field(default_factory=list)


def load_catalog(corpus_dir: Path) -> dict[str, DocumentMeta]:
    """Read `catalog.json` (doc_id -> metadata) from the corpus directory."""
    path = corpus_dir / CATALOG_NAME
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise IngestError(path, f"cannot read the catalog: {err}") from err
    if not isinstance(raw, dict):
        raise IngestError(path, "the catalog must be a JSON object keyed by doc_id")
    catalog: dict[str, DocumentMeta] = {}
    for doc_id, entry in raw.items():
        try:
            catalog[doc_id] = DocumentMeta.model_validate({**entry, "doc_id": doc_id})
        except (ValidationError, TypeError) as err:
            raise IngestError(path, f"invalid entry {doc_id!r}: {err}") from err
    return catalog


DEFAULT_MAX_BYTES = 100 * 1024 * 1024


def load_document(
    path: Path,
    meta: DocumentMeta,
    ocr: OcrOptions | None = DEFAULT_OCR,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Document:
    """Read one .txt/.md/.pdf file; raise IngestError with the reason if it cannot be used.

    Scanned PDF pages are OCR'd with `ocr` (None: not at all); such a document gets
    `meta.ocr=True`, so its text is treated as OCR output.
    """
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise IngestError(path, f"unsupported file type {suffix or '(none)'!r} (use {supported})")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise IngestError(
                path,
                f"the file is {size / 1e6:.0f} MB, over the size limit of {max_bytes / 1e6:.0f} MB "
                "(FALUN_KB_MAX_FILE_BYTES)",
            )
        data = path.read_bytes()
    except OSError as err:
        raise IngestError(path, f"cannot read the file: {err.strerror or err}") from err
    if not data:
        raise IngestError(path, "the file is empty")
    pages: tuple[int, ...] | None = None
    headings: tuple[tuple[int, int], ...] | None = None
    confidence: tuple[PageConfidence, ...] = ()
    try:
        if suffix in PDF_SUFFIXES:
            pdf = read_pdf(data, ocr)
            text, pages, warnings, confidence = pdf.text, pdf.pages, pdf.warnings, pdf.confidence
            if pdf.ocr_pages:
                meta = meta.model_copy(update={"ocr": True})
        else:
            text, warnings = decode_text(data)
            text, pages = split_pages(text)
            if suffix in MARKUP_SUFFIXES:
                text, headings = strip_markup(text)
    except (DecodeError, PdfError) as err:
        raise IngestError(path, str(err)) from err
    if not text.strip():
        raise IngestError(path, "no text left after reading the file")
    return Document(
        meta=meta,
        text=text,
        raw_text=text,
        content_hash=content_hash(data),
        pages=pages,
        heading_levels=headings,
        warnings=warnings,
        ocr_pages=confidence,
    )


def infer_meta(path: Path, text: str | None = None) -> DocumentMeta:
    """Metadata for a file without catalog entry: title from its first line, year from its name."""
    title = path.stem
    for line in (text or "").split("\n"):
        if line.strip():
            title = line.strip()[:120]
            break
    years = find_years(path.stem)
    return DocumentMeta(
        doc_id=path.stem,
        title=title,
        municipality=UNKNOWN,
        doc_type=UNKNOWN,
        year=years[0] if years else None,
        file=path.name,
    )


def _first_heading(doc: Document) -> str | None:
    lines = doc.text.split("\n")
    for number, _level in doc.heading_levels or ():
        if title := lines[number - 1].strip():
            return title
    return None


def repair_damaged(
    documents: list[Document], progress: StageProgress | None = None
) -> list[Document]:
    """Documents whose text looks like damaged OCR get a repaired `text`; `raw_text` stays.

    The clean documents of the same corpus are the context that settles ambiguous words.
    """
    from ingest.repair import repair_document_text
    from ingest.repair_lexicon import Lexicon  # loads a dictionary: only here

    report = progress or no_progress
    report("repair", 0, len(documents))
    lexicon = Lexicon.build(d.raw_text for d in documents)
    repaired = []
    for doc in documents:
        if repaired:
            report("repair", len(repaired), len(documents))
        result = repair_document_text(doc.raw_text, lexicon)
        if result.changed:
            note = f"OCR text repaired: {len(result.changes)} words changed (raw text kept)"
            doc = doc.model_copy(update={"text": result.text, "warnings": (*doc.warnings, note)})
        repaired.append(doc)
    if documents:
        report("repair", len(documents), len(documents))
    return repaired


def load_corpus(
    corpus_dir: Path,
    catalog: dict[str, DocumentMeta] | None = None,
    ocr: OcrOptions | None = DEFAULT_OCR,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: StageProgress | None = None,
) -> LoadResult:
    """Load every supported file; a bad file becomes a problem and the rest still load."""
    result = LoadResult()
    problems = result.problems
    if catalog is None:
        try:
            catalog = load_catalog(corpus_dir)
        except IngestError as err:
            problems.append(IngestProblem(err.path, None, "warning", err.reason))
            catalog = {}
    by_file = {meta.file: meta for meta in catalog.values()}
    seen: set[str] = set()
    paths = [
        path
        for path in sorted(corpus_dir.iterdir())
        if path.name != CATALOG_NAME and not path.name.startswith(".") and path.is_file()
    ]
    report = progress or no_progress
    for done, path in enumerate(paths):
        report("load", done, len(paths))
        doc_id = path.stem
        meta = by_file.get(path.name) or catalog.get(doc_id)
        if meta is not None:
            doc_id = meta.doc_id
        if doc_id in seen:
            message = f"{path.name}: another file already has doc_id {doc_id!r}; skipped"
            problems.append(IngestProblem(path, doc_id, "error", message))
            continue
        try:
            doc = load_document(path, meta or infer_meta(path), ocr, max_bytes)
        except IngestError as err:
            problems.append(IngestProblem(path, doc_id, "error", f"{path.name}: {err.reason}"))
            log.warning("skipped %s: %s", path, err.reason)
            continue
        if meta is None:
            inferred = infer_meta(path, _first_heading(doc) or doc.text)
            inferred = inferred.model_copy(update={"ocr": doc.meta.ocr})
            doc = doc.model_copy(update={"meta": inferred})
            message = f"{path.name}: no catalog entry; metadata inferred (title {inferred.title!r})"
            problems.append(IngestProblem(path, doc_id, "warning", message))
        problems.extend(
            IngestProblem(path, doc_id, "warning", f"{path.name}: {w}") for w in doc.warnings
        )
        seen.add(doc_id)
        result.documents.append(doc)
    report("load", len(paths), len(paths))
    result.documents[:] = repair_damaged(result.documents, report)
    for meta in catalog.values():
        if meta.replaced_by is not None and meta.replaced_by not in catalog:
            message = (
                f"{meta.file}: replaced_by names no document in the catalog: {meta.replaced_by!r}"
            )
            problems.append(IngestProblem(corpus_dir / meta.file, meta.doc_id, "warning", message))
        if meta.doc_id not in seen and not (corpus_dir / meta.file).exists():
            message = f"{meta.file}: listed in the catalog as {meta.doc_id!r} but not found"
            problems.append(IngestProblem(corpus_dir / meta.file, meta.doc_id, "error", message))
    return result
