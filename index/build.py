"""Build the index into one directory of plain files + Chroma, and open it only if it matches."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from index.cache import EmbeddingCache, embed_passages_cached
from index.centrality import CENTRALITY, centralities, load_centrality, save_centrality
from index.config import DEFAULT_RETRIEVAL, RetrievalConfig
from index.generations import (
    BM25_DIR,
    CHUNKS,
    DOCUMENTS,
    EMBEDDING_CACHE,
    GENERATIONS,
    MANIFEST,
    DiskFullError,
    chroma_path,
    collection_for,
    current_generation,
    discard_generation,
    disk_nearly_full,
    new_generation,
    read_jsonl,
    remove_old_generations,
    remove_stale_generations,
    switch_to,
    write_atomic,
    write_jsonl,
)
from index.hybrid import HybridRetriever
from index.lexical import SwedishBM25
from index.manifest import IndexManifest, check_manifest, mismatch, new_manifest
from index.store import open_chroma
from index.units import UNIT_VECTORS, UnitVectors, unit_texts
from index.word_stats import WORD_STATS, WordStats
from ingest.load import no_progress
from ingest.schema import SECTION_SEPARATOR, Chunk, Document, DocumentMeta

if TYPE_CHECKING:
    from index.protocols import Embedder

# progress(stage, done, total) for the stages here: embed (chunks), units, store, bm25, write
Progress = Callable[[str, int, int], None]
STORE_STEP = 1000  # chunks per Chroma write between two progress reports


@dataclass(frozen=True)
class KnowledgeIndex:
    documents: dict[str, Document]
    chunks: dict[str, Chunk]  # in document order
    manifest: IndexManifest
    retriever: HybridRetriever
    embedder: Embedder  # what the retriever embeds queries with (a reindex reuses it)
    units: UnitVectors  # every quotable unit's vector, for answering
    # counted at ingest; None for a generation built before they were stored
    word_stats: WordStats | None = None


def indexed_text(chunk: Chunk, meta: DocumentMeta) -> str:
    """What is embedded and BM25-indexed for a chunk: its text under its document title and
    section path, so a passage like a bare list of names is found by what it is a list of."""
    heading = SECTION_SEPARATOR.join([meta.title, *chunk.section])
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


def _embed_cached(
    embed_model: Embedder, texts: list[str], data_dir: Path, progress: Progress, stage: str
) -> tuple[np.ndarray, int]:
    """The texts' vectors, embedding only those not in the shared cache, and their dimension.
    The cache is written per batch, so a stopped build loses at most one batch."""
    with EmbeddingCache(data_dir / EMBEDDING_CACHE) as cache:
        vectors = embed_passages_cached(
            embed_model, texts, cache, lambda done, total: progress(stage, done, total)
        )
    dim = int(vectors.shape[1]) if len(texts) else len(embed_model.embed_query("dimension probe"))
    return vectors, dim


def _store(
    generation: Path,
    chroma_url: str | None,
    ordered: list[Chunk],
    vectors: np.ndarray,
    metas: dict[str, DocumentMeta],
    progress: Progress,
) -> None:
    """The chunks and their vectors into the generation's Chroma collection, in steps."""
    collection = collection_for(generation.name)
    store = open_chroma(chroma_path(generation, chroma_url), chroma_url, collection)
    store.reset()
    for start in range(0, len(ordered), STORE_STEP):
        progress("store", start, len(ordered))
        end = start + STORE_STEP
        store.upsert(ordered[start:end], vectors[start:end], metas)
    progress("store", len(ordered), len(ordered))


def _write_bm25(
    generation: Path, ordered: list[Chunk], texts: list[str], progress: Progress
) -> None:
    progress("bm25", 0, len(ordered))
    bm25 = SwedishBM25().build([c.chunk_id for c in ordered], texts)
    bm25.save(generation / BM25_DIR)
    progress("bm25", len(ordered), len(ordered))


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
    killed build leaves the previous generation serving, and the next build removes what a
    killed one left and embeds only what it had not."""
    data_dir = Path(data_dir)
    report = progress or no_progress
    (data_dir / GENERATIONS).mkdir(parents=True, exist_ok=True)
    remove_stale_generations(data_dir, chroma_url)
    ordered = _ordered_chunks(documents, chunks)
    previous = current_generation(data_dir)

    metas = {d.doc_id: d.meta for d in documents}
    texts = [indexed_text(c, metas[c.doc_id]) for c in ordered]
    vectors, dim = _embed_cached(embed_model, texts, data_dir, report, "embed")
    units = unit_texts(ordered)
    unit_vectors, _ = _embed_cached(embed_model, units, data_dir, report, "units")

    generation = new_generation(data_dir)
    try:
        _store(generation, chroma_url, ordered, vectors, metas, report)
        _write_bm25(generation, ordered, texts, report)
        report("write", 0, 1)
        write_jsonl(generation / DOCUMENTS, list(documents))
        write_jsonl(generation / CHUNKS, ordered)
        UnitVectors(units, unit_vectors).save(generation / UNIT_VECTORS)
        WordStats.count(ordered, documents).save(generation / WORD_STATS)
        central = centralities([c.chunk_id for c in ordered], vectors)
        save_centrality(central, generation / CENTRALITY)
        collection = collection_for(generation.name)
        manifest = new_manifest(
            documents, ordered, embed_model, dim, chunker_settings, collection, len(units)
        )
        write_atomic(generation / MANIFEST, manifest.model_dump_json(indent=2))
        _verify(generation, manifest, chroma_url)
        report("write", 1, 1)
    except BaseException as exc:
        # a half-written generation is never switched to; free its space at once
        full = disk_nearly_full(generation)
        discard_generation(generation, chroma_url)
        if full and isinstance(exc, Exception):
            # Chroma reports a full disk as an internal compaction error: say what it is
            raise DiskFullError(f"no space left on the disk of {data_dir}") from exc
        raise
    switch_to(data_dir, generation)
    keep = {generation.name} | ({previous.name} if previous else set())
    remove_old_generations(data_dir, keep, chroma_url)
    return manifest


def _verify(generation: Path, manifest: IndexManifest, chroma_url: str | None) -> None:
    """A generation goes live only when every part holds every chunk."""
    store = open_chroma(chroma_path(generation, chroma_url), chroma_url, manifest.collection)
    expected = manifest.counts["chunks"]
    counts = {
        "chroma": store.count(),
        "chunks.jsonl": len(read_jsonl(generation / CHUNKS, Chunk)),
        "bm25": len(SwedishBM25.load(generation / BM25_DIR)),
    }
    wrong = {part: n for part, n in counts.items() if n != expected}
    units = len(UnitVectors.load(generation / UNIT_VECTORS))
    if units != manifest.counts["units"]:
        wrong["units"] = units
    if wrong:
        raise RuntimeError(f"new index generation incomplete ({wrong}, expected {expected})")


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
        documents = read_jsonl(generation / DOCUMENTS, Document)
        chunks = read_jsonl(generation / CHUNKS, Chunk)
        bm25 = SwedishBM25.load(generation / BM25_DIR)
        units = UnitVectors.load(generation / UNIT_VECTORS)
        stats = generation / WORD_STATS
        word_stats = WordStats.load(stats) if stats.exists() else None
        centrality = load_centrality(generation / CENTRALITY)
    except (OSError, ValueError, KeyError) as exc:
        raise mismatch(data_dir, [f"index files unreadable ({exc})"]) from exc
    store = open_chroma(chroma_path(generation, chroma_url), chroma_url, manifest.collection)
    expected = manifest.counts.get("chunks")
    counts = {"chroma": store.count(), "chunks.jsonl": len(chunks), "bm25": len(bm25)}
    wrong = {name: n for name, n in counts.items() if n != expected}
    if wrong:
        raise mismatch(data_dir, [f"manifest lists {expected} chunks but found {wrong}"])
    doc_map = {d.doc_id: d for d in documents}
    chunk_map = {c.chunk_id: c for c in chunks}
    retriever = HybridRetriever(
        store,
        bm25,
        chunk_map,
        {doc_id: d.meta for doc_id, d in doc_map.items()},
        embed_model,
        retrieval,
        centrality,
        units,
    )
    return KnowledgeIndex(doc_map, chunk_map, manifest, retriever, embed_model, units, word_stats)
