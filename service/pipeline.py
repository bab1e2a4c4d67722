"""Ingest end to end: load the corpus, chunk it, build the index, report per file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.chunk import ChunkerConfig, chunk_document
from ingest.load import load_corpus, no_progress
from ingest.schema import Chunk, Document, PageConfidence
from lang.units import UNITS_VERSION
from service.settings import Settings

if TYPE_CHECKING:
    from index.protocols import Embedder

# progress(stage, done, total) through every stage: load (OCR included), repair, chunk, then
# index.build's embed, units, store, bm25, write (service.progress.IngestProgress records it)
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class FileReport:
    doc_id: str
    path: str
    status: str  # "ok" | "warning" | "error"
    chunks: int = 0
    messages: tuple[str, ...] = ()
    ocr_pages: tuple[PageConfidence, ...] = ()  # each scanned page's OCR confidence


@dataclass(frozen=True)
class IngestReport:
    files: list[FileReport] = field(default_factory=list)
    chunks: int = 0
    embedder: str = ""
    unchanged: bool = False  # the live index was already built from these very files

    @property
    def ok(self) -> bool:
        return any(f.status != "error" for f in self.files)

    def render(self) -> str:
        lines = [f"{'status':8} {'chunks':>6}  document", "-" * 60]
        for f in self.files:
            lines.append(f"{f.status:8} {f.chunks:>6}  {f.doc_id}  ({f.path})")
            lines.extend(f"{'':17}- {m}" for m in f.messages)
            if f.ocr_pages:
                pages = ", ".join(
                    f"{p.page}: {'-' if p.confidence is None else f'{p.confidence:.0f}'}"
                    f"{' (skanna om)' if p.low else ''}"
                    for p in f.ocr_pages
                )
                lines.append(f"{'':17}- OCR-säkerhet per sida / OCR confidence by page: {pages}")
        lines.append("-" * 60)
        indexed = sum(f.status != "error" for f in self.files)
        lines.append(f"{indexed} documents, {self.chunks} chunks indexed with {self.embedder}")
        if self.unchanged:
            lines.append("Inga ändringar sedan förra inläsningen: indexet är oförändrat.")
        return "\n".join(lines)


def chunker_config(settings: Settings) -> ChunkerConfig:
    return settings.chunker


def chunker_settings(settings: Settings) -> dict[str, object]:
    """What the manifest records of the chunker, so a changed setting forces a rebuild."""
    return {"chunker": "structure-v1", "units": UNITS_VERSION, **asdict(chunker_config(settings))}


def load_and_chunk(
    corpus_dir: Path, settings: Settings, progress: Progress | None = None
) -> tuple[list[Document], list[Chunk], list[FileReport]]:
    """Every loadable document and its chunks; one report line per file, bad ones included."""
    ingest = settings.ingest
    loaded = load_corpus(corpus_dir, max_bytes=ingest.max_file_bytes, progress=progress)
    config = ingest.chunker
    problems: dict[str, list[str]] = {}
    errors: dict[str, str] = {}
    for p in loaded.problems:
        key = str(p.path)
        problems.setdefault(key, []).append(p.message)
        if p.level == "error":
            errors[key] = p.doc_id or Path(p.path).stem
    chunks: list[Chunk] = []
    reports: list[FileReport] = []
    report = progress or no_progress
    for done, doc in enumerate(loaded.documents):
        report("chunk", done, len(loaded.documents))
        doc_chunks = chunk_document(doc, config)
        chunks.extend(doc_chunks)
        path = str(corpus_dir / doc.meta.file)
        messages = tuple(problems.pop(path, [])) + doc.warnings
        status = "warning" if messages else "ok"
        reports.append(
            FileReport(doc.doc_id, path, status, len(doc_chunks), messages, doc.ocr_pages)
        )
    report("chunk", len(loaded.documents), len(loaded.documents))
    for path, messages in problems.items():
        status = "error" if path in errors else "warning"
        reports.append(
            FileReport(errors.get(path, Path(path).stem), path, status, 0, tuple(messages))
        )
    return loaded.documents, chunks, reports


def open_embedder(settings: Settings) -> Embedder:
    """The configured embedding model (the one factory; tests inject a fake instead)."""
    from index.embed import make_embedder  # heavy (llama-index): only here

    config = settings.embedding
    return make_embedder(config.spec, config.batch_size)


def run_ingest(
    settings: Settings,
    corpus_dir: Path | None = None,
    progress: Progress | None = None,
    *,
    embedder: Embedder | None = None,
) -> IngestReport:
    """Build the index from the corpus directory; bad files are reported, the rest indexed.
    `embedder` defaults to the configured model."""
    from index.build import build_index  # heavy (chromadb): only here
    from index.manifest import index_is_current

    corpus = corpus_dir or settings.corpus_dir
    documents, chunks, reports = load_and_chunk(corpus, settings, progress)
    if not documents:
        raise RuntimeError(f"no loadable documents in {corpus}")
    embed_model = embedder if embedder is not None else open_embedder(settings)
    chunker = chunker_settings(settings)
    if index_is_current(settings.data_dir, documents, chunks, embed_model, chunker):
        return IngestReport(reports, len(chunks), embed_model.model_name, unchanged=True)
    build_index(
        documents,
        chunks,
        embed_model,
        settings.data_dir,
        chunker,
        chroma_url=settings.chroma_url,
        progress=progress,
    )
    return IngestReport(files=reports, chunks=len(chunks), embedder=embed_model.model_name)
