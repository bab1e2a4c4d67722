"""How central each chunk's vector lies in its index: its cosine to the mean direction of all
chunk vectors, counted once at ingest and stored beside the generation.

A passage near the centre of the embedding space is near every question ("hubness"): short
conversational text, greetings, generic sentences. The dense side ranks by cosine minus a
fitted share of this centrality (`RetrievalConfig.centrality_weight`, `falun-kb
fit-retrieval`), which keeps such passages of a large archive from crowding out the ones
that answer. The reported dense similarity stays the plain cosine.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

CENTRALITY = "centrality.json"


def centralities(ids: Sequence[str], vectors: np.ndarray) -> dict[str, float]:
    """Each chunk's cosine to the normalised mean of the normalised chunk vectors."""
    if not len(ids):
        return {}
    unit = vectors / np.where(
        (norms := np.linalg.norm(vectors, axis=1, keepdims=True)) == 0, 1, norms
    )
    centre = mean_direction(unit)
    return {cid: round(float(c), 6) for cid, c in zip(ids, unit @ centre, strict=True)}


def mean_direction(vectors: np.ndarray, block: int = 65536) -> np.ndarray:
    """The normalised mean of normalised vectors, read a block of rows at a time (a mapped
    file of 700 000 unit vectors is not read whole)."""
    if not len(vectors):
        return np.zeros(vectors.shape[1] if vectors.ndim == 2 else 0, dtype=np.float32)
    total = sum(
        np.asarray(vectors[i : i + block], dtype=np.float64).sum(axis=0)
        for i in range(0, len(vectors), block)
    )
    return (total / (np.linalg.norm(total) or 1.0)).astype(np.float32)


def save_centrality(values: Mapping[str, float], path: Path) -> None:
    Path(path).write_text(json.dumps(dict(values)), encoding="utf-8")


def load_centrality(path: Path) -> dict[str, float] | None:
    """The stored values; None for a generation built before they were stored."""
    path = Path(path)
    if not path.exists():
        return None
    return {cid: float(v) for cid, v in json.loads(path.read_text(encoding="utf-8")).items()}


def less_central_first(
    hits: Sequence[tuple[str, float]], centrality: Mapping[str, float] | None, weight: float
) -> list[tuple[str, float]]:
    """Dense hits (chunk id, cosine) re-ranked by cosine - weight * centrality; the cosines
    are returned unchanged. Without stored values or weight, the order is the cosines'."""
    if not weight or centrality is None:
        return list(hits)
    return sorted(hits, key=lambda hit: -(hit[1] - weight * centrality.get(hit[0], 0.0)))
