"""Chunk vectors in Chroma, always with our own embeddings and cosine space."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from index.filters import NO_YEAR
from ingest.schema import Chunk, DocumentMeta

COLLECTION = "falun-kb-chunks"


def chunk_metadata(chunk: Chunk, meta: DocumentMeta) -> dict[str, str | int]:
    return {
        "doc_id": chunk.doc_id,
        "municipality": meta.municipality,
        "doc_type": meta.doc_type,
        "year": meta.year if meta.year is not None else NO_YEAR,
        "section": chunk.section_path,
        "start_line": chunk.start_line,
        "end_line": chunk.end_line,
    }


class StoreUnavailable(RuntimeError):
    """The Chroma server does not answer (down, restarting, network)."""


@contextlib.contextmanager
def _reachable(store: ChromaChunkStore) -> Iterator[None]:
    """Turn a lost connection to a Chroma server into StoreUnavailable; the next call retries,
    so the service recovers by itself when the server is back."""
    import httpx  # chromadb's HttpClient speaks httpx

    try:
        yield
    except (httpx.TransportError, ConnectionError) as exc:
        raise StoreUnavailable(f"Chroma at {store.where} unreachable: {exc}") from exc


# HNSW settings, by measurement (bench/scale.py, "ANN recall@30" against exact search):
# multilingual-e5 puts every Swedish passage at cosine 0.8-0.9 to every question, and in so
# narrow a band Chroma's defaults (M 16, ef 100/100) found only 77 % of the true top 30 among
# 5k newsreel distractors, often missing the best passage; recall then fell with corpus size.
# M 32 and ef 400/400 find all 30 at 5k for ~2 ms more per query.
HNSW_CONFIG = {"space": "cosine", "max_neighbors": 32, "ef_construction": 400, "ef_search": 400}


class ChromaChunkStore:
    """One Chroma collection of chunk vectors; ids are chunk ids."""

    def __init__(
        self,
        client: Any,
        collection_name: str = COLLECTION,
        where: str = "",
        hnsw: Mapping[str, Any] | None = None,
    ) -> None:
        self.client = client
        self.collection_name = collection_name
        self.where = where or "embedded store"
        self.hnsw = dict(hnsw or HNSW_CONFIG)
        self._collection = self._open()

    def _open(self) -> Any:
        # embedding_function=None: Chroma's default would download an ONNX model and fail
        # offline; we always pass vectors ourselves.
        return self.client.get_or_create_collection(
            self.collection_name,
            embedding_function=None,
            configuration={"hnsw": self.hnsw},
        )

    def reset(self) -> None:
        """Drop and recreate the collection (e.g. when the embedding dimension changes)."""
        self.client.delete_collection(self.collection_name)
        self._collection = self._open()

    def drop(self) -> None:
        """Remove the collection for good (an old index generation on a Chroma server)."""
        # already gone is fine; chromadb raises different types for that across versions
        with contextlib.suppress(Exception):
            self.client.delete_collection(self.collection_name)

    def upsert(
        self,
        chunks: Sequence[Chunk],
        embeddings: np.ndarray,
        doc_meta: Mapping[str, DocumentMeta],
    ) -> None:
        if len(chunks) != len(embeddings):
            raise ValueError(f"{len(chunks)} chunks but {len(embeddings)} embeddings")
        step = max(1, min(1000, self.client.get_max_batch_size()))
        for start in range(0, len(chunks), step):
            batch = chunks[start : start + step]
            self._collection.upsert(
                ids=[c.chunk_id for c in batch],
                embeddings=np.asarray(embeddings[start : start + step], dtype=np.float32),
                metadatas=[chunk_metadata(c, doc_meta[c.doc_id]) for c in batch],
                documents=[c.text for c in batch],
            )

    def delete_ids(self, ids: Sequence[str]) -> None:
        ids = list(ids)
        for start in range(0, len(ids), 1000):  # Chroma rejects an empty id list
            self._collection.delete(ids=ids[start : start + 1000])

    def delete_doc(self, doc_id: str) -> None:
        self._collection.delete(where={"doc_id": doc_id})

    def query(
        self, embedding: Sequence[float] | np.ndarray, k: int, where: dict[str, Any] | None = None
    ) -> list[tuple[str, float]]:
        """Top-k (chunk_id, cosine similarity), best first."""
        if k <= 0:
            return []
        with _reachable(self):
            result = self._collection.query(
                query_embeddings=[np.asarray(embedding, dtype=np.float32)],
                n_results=k,
                where=where,
                include=["distances"],
            )
        ids, distances = result["ids"][0], (result["distances"] or [[]])[0]
        # Chroma's cosine space returns distance = 1 - cosine similarity.
        return [(i, 1.0 - float(d)) for i, d in zip(ids, distances, strict=True)]

    def embeddings(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Stored vectors for those of `ids` that exist."""
        ids = list(ids)
        out: dict[str, np.ndarray] = {}
        # in batches: Chroma binds every id as an SQL variable, and SQLite caps them (~32k)
        for start in range(0, len(ids), 10_000):
            with _reachable(self):
                got = self._collection.get(ids=ids[start : start + 10_000], include=["embeddings"])
            vectors = got["embeddings"] if got["embeddings"] is not None else []
            out.update(
                (i, np.asarray(v, dtype=np.float32))
                for i, v in zip(got["ids"], vectors, strict=True)
            )
        return out

    def count(self) -> int:
        with _reachable(self):
            return int(self._collection.count())

    def ids(self) -> set[str]:
        return set(self._collection.get(include=[])["ids"])


def open_chroma(
    path: Path | None = None,
    url: str | None = None,
    collection_name: str = COLLECTION,
    hnsw: Mapping[str, Any] | None = None,
) -> ChromaChunkStore:
    """Embedded PersistentClient at `path`, or an HttpClient when a server `url` is given;
    a new collection gets the `hnsw` settings (HNSW_CONFIG unless given)."""
    # Imported here: chromadb takes about a second to import and the CLI's --help must not.
    import chromadb
    from chromadb.config import Settings

    settings = Settings(anonymized_telemetry=False)
    if url:
        parsed = urlparse(url if "://" in url else f"http://{url}")
        client = chromadb.HttpClient(
            host=parsed.hostname or "localhost",
            port=parsed.port or (443 if parsed.scheme == "https" else 8000),
            ssl=parsed.scheme == "https",
            settings=settings,
        )
    elif path is not None:
        client = chromadb.PersistentClient(path=str(path), settings=settings)
    else:
        raise ValueError("open_chroma needs a path (embedded) or a url (server)")
    return ChromaChunkStore(client, collection_name, where=url or str(path), hnsw=hnsw)
