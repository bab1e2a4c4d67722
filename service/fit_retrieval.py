"""Fits the hybrid retrieval's fusion from labelled questions (`falun-kb fit-retrieval`).

Weighted reciprocal-rank fusion has three numbers: its k and the dense and BM25 weights
(only their ratio matters, so dense stays 1); the dense side subtracts a share of each
chunk's centrality (`index.centrality`) from its cosine, and a third ranking, both sides'
candidates and the passages of the units nearest the question over the whole index, ranked
by their nearest sentence (unit), is fused with its own weight. That ranking compares units
through the question adapter, which is fitted on these questions: with one in use, each
question is compared through the adapter fitted without its fold (as `falun-kb fit` gathers).
Each point of a small grid over these is scored by the mean of the evidence's recall@5 and
its mean reciprocal rank over the training questions (the two retrieval bars the answers
stand on: MRR alone chose a point whose answers cross-validated worse), in every index
given: the corpus alone and the corpus with newsreel distractor chunks, so the choice holds
when the archive grows. Each question is retrieved once per index; only the fusion is redone
for each grid point. Writes index/fusion.json with the data, the command and the whole grid.
Only the training files are read; a held-out file is never seen.

This fits the first stage: search then orders the fused passages by their best sentence's
answering probability (`ExtractiveAnswerer.rank_passages`, the fitted unit model), so
`falun-kb eval`'s recall@5 and MRR are the two stages' and differ from the grid's.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from statistics import mean
from typing import Any

from index.centrality import less_central_first
from index.hybrid import reciprocal_rank_fusion
from service.evaluate import comparable, retrieval_scores
from service.reading import search_arguments, with_named_municipality

RRF_K = (3, 5, 10, 20, 40)
LEXICAL_WEIGHTS = (0.5, 0.75, 1.0, 1.5, 2.0, 3.0)  # the dense weight is 1
CENTRALITY_WEIGHTS = (0.0, 0.1, 0.25, 0.5)
UNIT_WEIGHTS = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0)
RESULTS = 10  # the results scored, as `falun-kb eval` searches

# (rrf_k, lexical_weight, centrality_weight, unit_weight) -> (mean recall@5, MRR) of the
# evidence in one index
Quality = Callable[[int, float, float, float], tuple[float, float]]


def scored_items(items: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The answerable questions that stand alone: the ones a fusion is scored on."""
    return [item for item in items if item.get("evidence") and not item.get("history")]


def scored_questions(items: Sequence[dict[str, Any]]) -> list[tuple[str, list[str]]]:
    """(question, folded evidence) of each answerable question that stands alone."""
    return [
        (item["question"], [comparable(e) for e in item["evidence"]])
        for item in scored_items(items)
    ]


def fusion_quality(
    kb: Any,
    questions: Sequence[tuple[str, list[str]]],
    adapters: Sequence[Callable[[Any], Any] | None] | None = None,
) -> Quality:
    """How well each fusion ranks the evidence in `kb`'s index: each question is read as
    `kb.search` reads it (typos corrected, what is asked, an English question's gloss, the
    named municipality as a filter), and its dense pool, BM25 ranking, nearest units'
    passages and candidates' nearest-sentence cosines are retrieved once, then re-ranked
    and fused per grid point. With `adapters` (one per question), each question's units are
    compared through its own question adapter: one fitted without the question's fold, so
    the third ranking is as good as a new question's, not better (in-sample)."""
    retriever = kb.retriever
    units = getattr(retriever, "units", None)
    fitted = None if units is None else units.adapter
    try:
        ranked = [
            _rankings(kb, question, evidence, units, None if adapters is None else adapters[n])
            for n, (question, evidence) in enumerate(questions)
        ]
    finally:
        if units is not None:
            units.adapt(fitted)
    return _quality(kb, ranked)


def _rankings(
    kb: Any, question: str, evidence: list[str], units: Any, adapter: Any
) -> tuple[list[str], list[tuple[str, float]], list[str], list[str], dict[str, int]]:
    """One question's evidence and retrieval, once: the dense pool, the BM25 ranking, the
    nearest units' passages and every candidate's rank by its nearest sentence."""
    retriever = kb.retriever
    pool_size = retriever.dense_k * retriever.config.dense_pool
    if adapter is not None:
        units.adapt(adapter)
    plan = kb.search_plan(question)
    asked = search_arguments(plan)
    filters = with_named_municipality(plan, {}) or None
    lexical = retriever.lexical_ranking(
        asked["query"], filters, asked["lexical_extra"], asked["lexical_query"]
    )
    qvec = retriever.dense_query_vector(asked["query"], asked["dense_also"])
    pool = retriever.nearest(qvec, pool_size, filters)
    lexical_ids = [cid for cid, _ in lexical]
    unit_side = retriever.nearest_unit_chunks(qvec, filters)
    candidates = [*(cid for cid, _ in pool), *lexical_ids, *unit_side]
    nearest = retriever.nearest_sentence_first(qvec, candidates)
    return evidence, pool, lexical_ids, unit_side, {c: i for i, c in enumerate(nearest)}


def _quality(kb: Any, ranked: list[Any]) -> Quality:
    retriever = kb.retriever
    folded: dict[str, str] = {}

    def text(cid: str) -> str:
        if cid not in folded:
            folded[cid] = comparable(kb.retriever.chunks[cid].text)
        return folded[cid]

    def quality(
        k: int, weight: float, centrality_weight: float, unit_weight: float
    ) -> tuple[float, float]:
        r5, rr = [], []
        for evidence, pool, lexical, unit_side, sentence_rank in ranked:
            reranked = less_central_first(pool, retriever.centrality, centrality_weight)
            dense = [cid for cid, _ in reranked[: retriever.dense_k]]
            # the third ranking over this point's candidates, as `retrieve` ranks them
            candidates = dict.fromkeys([*dense, *lexical, *unit_side])
            nearest = sorted(candidates, key=sentence_rank.__getitem__)
            fused = reciprocal_rank_fusion(
                [dense, lexical, nearest], [1.0, weight, unit_weight], k=k
            )[:RESULTS]
            _, recall, reciprocal = retrieval_scores(evidence, [text(cid) for cid, _ in fused])
            r5.append(recall)
            rr.append(reciprocal)
        return mean(r5), mean(rr)

    return quality


def fit_fusion(indexes: dict[str, Quality]) -> tuple[dict[str, float], list[dict[str, Any]]]:
    """The (rrf_k, lexical_weight, centrality_weight, unit_weight) with the best mean of
    MRR and recall@5 over the indexes, and the grid."""
    grid = []
    points = itertools.product(RRF_K, LEXICAL_WEIGHTS, CENTRALITY_WEIGHTS, UNIT_WEIGHTS)
    for k, weight, central, unit in points:
        row: dict[str, Any] = {
            "rrf_k": k,
            "lexical_weight": weight,
            "centrality_weight": central,
            "unit_weight": unit,
        }
        scores = []
        for name, quality in indexes.items():
            recall, mrr = quality(k, weight, central, unit)
            scores.append((recall, mrr))
            row[name] = {"recall@5": round(recall, 3), "mrr": round(mrr, 3)}
        row["mrr"] = round(mean(mrr for _, mrr in scores), 4)
        row["recall@5"] = round(mean(recall for recall, _ in scores), 4)
        grid.append(row)
    best = max(grid, key=lambda r: (r["mrr"] + r["recall@5"], r["mrr"]))
    chosen = {
        "rrf_k": best["rrf_k"],
        "dense_weight": 1.0,
        "lexical_weight": best["lexical_weight"],
        "centrality_weight": best["centrality_weight"],
        "unit_weight": best["unit_weight"],
    }
    return chosen, grid


def write_fusion(
    chosen: dict[str, float],
    grid: list[dict[str, Any]],
    files: Sequence[Path],
    indexes: dict[str, str],
    out: Path,
) -> None:
    data = {
        **chosen,
        "fitted_by": "falun-kb fit-retrieval " + " ".join(str(f) for f in files),
        "data": {str(f): hashlib.sha256(Path(f).read_bytes()).hexdigest() for f in files},
        "indexes": indexes,
        "grid": grid,
    }
    out.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
