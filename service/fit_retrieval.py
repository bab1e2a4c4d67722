"""Fits the hybrid retrieval's fusion from labelled questions (`falun-kb fit-retrieval`).

Weighted reciprocal-rank fusion has three numbers: its k and the dense and BM25 weights
(only their ratio matters, so dense stays 1). Each pair on a small grid is scored by the
evidence's mean reciprocal rank over the training questions (recall@5 breaks ties), in
every index given: the corpus alone and the corpus with newsreel distractor chunks, so the
choice holds when the archive grows. Each question is retrieved once per index; only the
fusion is redone for each pair. Writes index/fusion.json with the data, the command and the
whole grid. Only the training files are read; a held-out file is never seen.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from statistics import mean
from typing import Any

from index.hybrid import reciprocal_rank_fusion
from service.evaluate import comparable, retrieval_scores

RRF_K = (3, 5, 10, 20, 40)
LEXICAL_WEIGHTS = (0.5, 0.75, 1.0, 1.5, 2.0, 3.0)  # the dense weight is 1
RESULTS = 10  # the results scored, as `falun-kb eval` searches

# (rrf_k, lexical_weight) -> (mean recall@5, MRR) of the evidence in one index
Quality = Callable[[int, float], tuple[float, float]]


def scored_questions(items: Sequence[dict[str, Any]]) -> list[tuple[str, list[str]]]:
    """(question, folded evidence) of each answerable question that stands alone."""
    return [
        (item["question"], [comparable(e) for e in item["evidence"]])
        for item in items
        if item.get("evidence") and not item.get("history")
    ]


def fusion_quality(kb: Any, questions: Sequence[tuple[str, list[str]]]) -> Quality:
    """How well each fusion ranks the evidence in `kb`'s index: each question's dense and
    BM25 rankings are retrieved once, as `kb.search` retrieves them, and fused per pair."""
    ranked = []
    for question, evidence in questions:
        plan = kb.plan(question)
        dense, lexical = kb.retriever.rankings(question, lexical_extra=plan.lexical_extra)
        ranked.append((evidence, [cid for cid, _ in dense], [cid for cid, _ in lexical]))
    folded: dict[str, str] = {}

    def text(cid: str) -> str:
        if cid not in folded:
            folded[cid] = comparable(kb.retriever.chunks[cid].text)
        return folded[cid]

    def quality(k: int, weight: float) -> tuple[float, float]:
        r5, rr = [], []
        for evidence, dense, lexical in ranked:
            fused = reciprocal_rank_fusion([dense, lexical], [1.0, weight], k=k)[:RESULTS]
            _, recall, reciprocal = retrieval_scores(evidence, [text(cid) for cid, _ in fused])
            r5.append(recall)
            rr.append(reciprocal)
        return mean(r5), mean(rr)

    return quality


def fit_fusion(indexes: dict[str, Quality]) -> tuple[dict[str, float], list[dict[str, Any]]]:
    """The (rrf_k, lexical_weight) with the best mean MRR over the indexes, and the grid."""
    grid = []
    for k, weight in itertools.product(RRF_K, LEXICAL_WEIGHTS):
        row: dict[str, Any] = {"rrf_k": k, "lexical_weight": weight}
        scores = []
        for name, quality in indexes.items():
            recall, mrr = quality(k, weight)
            scores.append((recall, mrr))
            row[name] = {"recall@5": round(recall, 3), "mrr": round(mrr, 3)}
        row["mrr"] = round(mean(mrr for _, mrr in scores), 4)
        row["recall@5"] = round(mean(recall for recall, _ in scores), 4)
        grid.append(row)
    best = max(grid, key=lambda r: (r["mrr"], r["recall@5"]))
    chosen = {"rrf_k": best["rrf_k"], "dense_weight": 1.0, "lexical_weight": best["lexical_weight"]}
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
