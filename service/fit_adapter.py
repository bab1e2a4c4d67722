"""Fits the question adapter (`falun-kb fit-adapter`, `index/adapter.py`) from labelled questions.

Each answerable training question is read as answering reads it, and its vector is taken as
the answerer takes it (what is asked, an English question's gloss joined in). Its targets are
the corpus's quotable units that hold its evidence (`answers_evidence`). The matrix W = I + D
minimises the mean cross-entropy of a softmax over every corpus unit's cosine-like score
(W q · u / temperature), the answering units its target, plus strength · ‖D‖²; the strength
is chosen from a small grid by the mean reciprocal rank of the first answering unit in
cross-validation by question (identity reported beside it). Only the training files are read.

Cross-validation by question keeps every document in the fit, and a full map ranks a
document it never saw (a plan uploaded next year) far below the known ones. So the map is
applied shrunk toward the identity, I + share · D, with shares chosen from data: for the
units it was fitted with, by the MRR cross-validated by question; for any other unit, by
the MRR cross-validated by document (each document's units and questions left out of the
fit, its questions ranked among all units, the other documents' through the first share)
together with the MRR by question among the distractor units at that share
(`choose_shares`).

With `--distractors DIR` (an index of the corpus with newsreel passages), the ten units of
that index's other passages nearest to each training question join the softmax as wrong
answers: fitted on the corpus's units alone, the map also drew questions toward passages the
corpus index never holds, and an archive that grows would hold them.

`falun-kb fit` fits the answering models on features that must look like a new question's:
it gathers each fold's questions with an adapter fitted on the other folds (`fold_adapters`)
and on the adapter's training files beyond its own.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from index.adapter import QueryAdapter, adapter_from, shrunk
from index.cache import text_key
from index.units import units_of
from service.answer.fit import FOLDS, SEED, answers_evidence, item_folds
from service.evaluate import comparable

STRENGTHS = (1e-3, 3e-4, 1e-4)  # the penalty on ‖W − I‖² tried
SHARES = (0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1.0)  # of the fitted map kept, tried
TEMPERATURE = 0.05  # of the softmax over units (cosines differ by hundredths)
ITERATIONS = 200  # of L-BFGS, from W = I
NEGATIVES_PER_QUESTION = 10  # distractor units fitted as wrong answers, nearest to each question


@dataclass(frozen=True)
class AdapterData:
    """What the adapter is fitted on."""

    ids: list[str]
    answerable: list[bool]
    questions: np.ndarray  # each question's vector, unit length, as answering reads it
    answers: np.ndarray  # which units hold each question's evidence (bool, questions × units)
    units: np.ndarray  # every corpus unit's vector, unit length
    # the units of distractor passages (an index's beside the corpus's), unit length: the
    # nearest of them to each training question are fitted as wrong answers too
    others: np.ndarray | None = None
    texts: tuple[str, ...] = ()  # each corpus unit's text, in the order of `units`
    unit_docs: tuple[str, ...] = ()  # each corpus unit's document (its first chunk's)
    cited: tuple[frozenset[str], ...] = ()  # the documents each question's evidence is in


def adapter_data(
    kb: Any, items: Sequence[dict[str, Any]], distractors: Sequence[Any] = ()
) -> AdapterData:
    """The questions' vectors and the units that answer them, in the corpus index of `kb`;
    with the units of the `distractors` knowledge bases' indexes that are not the corpus's."""
    doc_of: dict[str, str] = {}
    for chunk in kb.retriever.chunks.values():
        for text in units_of(chunk.text):
            doc_of.setdefault(text, chunk.doc_id)
    stored = {t: kb.answerer.units.vector_of(t) for t in doc_of}
    texts = [t for t, vector in stored.items() if vector is not None]
    unit_matrix = _unit_length(np.stack([stored[t] for t in texts]))
    others = None
    if distractors:
        corpus = {text_key(t) for t in texts}
        others = np.concatenate([
            np.asarray(d.answerer.units.vectors, dtype=np.float32)[
                [i for i, key in enumerate(d.answerer.units.keys) if key not in corpus]
            ]
            for d in distractors
        ])  # fmt: skip
    folded = [comparable(t) for t in texts]
    vectors, answers = [], []
    for item in items:
        plan, _, _ = kb.read(item["question"], item.get("history", []), judged=False)
        vectors.append(kb.answerer.question_vector(plan))
        evidence = [comparable(e) for e in item.get("evidence", [])]
        answerable = bool(item.get("answerable", True)) and bool(evidence)
        answers.append([answerable and answers_evidence(t, evidence) for t in folded])
    return AdapterData(
        ids=[str(item["id"]) for item in items],
        answerable=[bool(item.get("answerable", True)) for item in items],
        questions=_unit_length(np.stack(vectors)),
        answers=np.array(answers, dtype=bool).reshape(len(items), len(texts)),
        units=unit_matrix,
        others=others,
        texts=tuple(texts),
        unit_docs=tuple(doc_of[t] for t in texts),
        cited=tuple(frozenset(item.get("docs", [])) for item in items),
    )


def _unit_length(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float64)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)


def nearest_others(data: AdapterData, rows: np.ndarray) -> np.ndarray:
    """The distractor units nearest (by the embedder's own cosine) to any of the questions
    `rows`, NEGATIVES_PER_QUESTION each: where a fitted map must not lead."""
    if data.others is None or not len(rows):
        return np.zeros((0, data.units.shape[1]))
    count = min(NEGATIVES_PER_QUESTION, len(data.others) - 1)
    scores = data.questions[rows].astype(np.float32) @ data.others.T
    nearest = np.unique(np.argpartition(-scores, count, axis=1)[:, :count])
    return _unit_length(data.others[nearest])


def fit_matrix(data: AdapterData, rows: np.ndarray, strength: float) -> np.ndarray:
    """W fitted on the questions `rows` (those with an answering unit among them), with the
    distractor units nearest to them as wrong answers, if there are distractors."""
    from scipy.optimize import minimize  # scikit-learn's dependency; imported to fit only

    rows = np.array([r for r in rows if data.answers[r].any()], dtype=int)
    wrong = nearest_others(data, rows)
    q, u = data.questions[rows], np.vstack([data.units, wrong])
    target = np.hstack([data.answers[rows], np.zeros((len(rows), len(wrong)), dtype=bool)])
    dim = q.shape[1]

    def loss(x: np.ndarray) -> tuple[float, np.ndarray]:
        d = x.reshape(dim, dim)
        logits = (q @ (np.eye(dim) + d).T @ u.T) / TEMPERATURE
        logits -= logits.max(axis=1, keepdims=True)
        e = np.exp(logits)
        total, hit = e.sum(axis=1, keepdims=True), (e * target).sum(axis=1, keepdims=True)
        value = float(np.mean(np.log(total) - np.log(hit)) + strength * (d * d).sum())
        slope = e / total - e * target / hit  # d loss / d logits, per question
        grad = (u.T @ slope.T @ q) / TEMPERATURE / len(rows) + 2 * strength * d
        return value, grad.ravel()

    found = minimize(
        loss, np.zeros(dim * dim), jac=True, method="L-BFGS-B", options={"maxiter": ITERATIONS}
    )
    return np.eye(dim) + found.x.reshape(dim, dim)


def first_answer_ranks(
    data: AdapterData,
    rows: np.ndarray,
    matrix: np.ndarray,
    other: np.ndarray | None = None,
    fitted: np.ndarray | None = None,
    among_others: bool = False,
) -> np.ndarray:
    """For each question of `rows` with an answering unit: the rank (0 = first) of its first
    answering unit among all units by cosine to its mapped vector (mapped by `other`
    instead for the units outside the mask `fitted`, if given); with `among_others`, the
    distractor units (mapped by `other`, as units not fitted with) rank among them."""
    rows = np.array([r for r in rows if data.answers[r].any()], dtype=int)
    mapped = _unit_length(data.questions[rows] @ matrix.T)
    apart = mapped if other is None else _unit_length(data.questions[rows] @ other.T)
    scores = mapped @ data.units.T
    if other is not None and fitted is not None:
        scores[:, ~fitted] = apart @ data.units[~fitted].T
    order = np.argsort(-scores, axis=1, kind="stable")
    hits = np.take_along_axis(data.answers[rows], order, axis=1)
    ranks = hits.argmax(axis=1)
    if among_others and data.others is not None:
        ranks = ranks + _others_nearer(data, rows, scores, apart)
    return ranks


def ranks_among_others(data: AdapterData, rows: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """For each question of `rows` with an answering unit: how many distractor units lie
    nearer to its mapped vector than its nearest answering unit."""
    rows = np.array([r for r in rows if data.answers[r].any()], dtype=int)
    mapped = _unit_length(data.questions[rows] @ matrix.T)
    assert data.others is not None
    return _others_nearer(data, rows, mapped @ data.units.T, mapped)


def _others_nearer(
    data: AdapterData, rows: np.ndarray, scores: np.ndarray, mapped: np.ndarray
) -> np.ndarray:
    """Per question of `rows` (each with an answering unit, its units' `scores`): how many
    distractor units lie nearer to `mapped`, its vector as they see it, than its nearest
    answering unit."""
    best = np.where(data.answers[rows], scores, -np.inf).max(axis=1).astype(np.float32)
    return (mapped.astype(np.float32) @ data.others.T > best[:, None]).sum(axis=1)


def _summary(ranks: np.ndarray, among_others: np.ndarray | None) -> dict[str, float]:
    out = {
        "first_unit_answers": round(float(np.mean(ranks == 0)), 4),
        "answer_in_first_3": round(float(np.mean(ranks < 3)), 4),
        "mrr": round(float(np.mean(1 / (1 + ranks))), 4),
    }
    if among_others is not None:
        out["fewer_than_10_distractor_units_nearer"] = round(float(np.mean(among_others < 10)), 4)
    return out


def cross_validated(
    data: AdapterData, strength: float | None, matrices: Sequence[np.ndarray] | None = None
) -> dict[str, float]:
    """Out-of-fold ranks of the answering units with adapters fitted at `strength` (None:
    the embedder's own vectors), or with the folds' `matrices` when they are given."""
    folds = _folds(data)
    if matrices is None:
        identity = [np.eye(data.questions.shape[1])] * FOLDS
        matrices = identity if strength is None else _fold_matrices(data, folds, strength)
    ranks, among_others = [], []
    for k, matrix in enumerate(matrices):
        rows = np.flatnonzero(folds == k)
        ranks.append(first_answer_ranks(data, rows, matrix))
        if data.others is not None:
            among_others.append(ranks_among_others(data, rows, matrix))
    return _summary(np.concatenate(ranks), np.concatenate(among_others) if among_others else None)


def left_out_fits(
    data: AdapterData, strength: float
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Per document: the questions whose evidence is in it alone, the mask of the other
    documents' units, and the map fitted on the questions that do not cite it against those
    units."""
    fits = []
    for doc in sorted(set(data.unit_docs)):
        train = np.array([i for i, docs in enumerate(data.cited) if doc not in docs], dtype=int)
        test = np.array([i for i, docs in enumerate(data.cited) if docs == {doc}], dtype=int)
        keep = np.array([d != doc for d in data.unit_docs])
        without = replace(data, units=data.units[keep], answers=data.answers[:, keep])
        fits.append((test, keep, fit_matrix(without, train, strength)))
    return fits


def left_out_documents(
    data: AdapterData,
    strength: float,
    known_share: float,
    shares: Sequence[float] = SHARES,
    fits: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]] | None = None,
) -> dict[float, np.ndarray]:
    """Cross-validation by document: per share, the reciprocal ranks of each document's
    questions (those whose evidence is in it alone) with the map fitted on the other
    questions against the other documents' units (`left_out_fits`, or `fits` made by it),
    ranked among all the units and the distractor units; the left-out document's units and
    the distractors through the map at that share, the other documents' at `known_share`."""
    found: dict[float, list[np.ndarray]] = {s: [] for s in shares}
    for test, keep, matrix in left_out_fits(data, strength) if fits is None else fits:
        known = shrunk(matrix, known_share)
        for share in shares:
            ranks = first_answer_ranks(data, test, known, shrunk(matrix, share), keep, True)
            found[share].append(1 / (1 + ranks))
    return {s: np.concatenate(found[s]) for s in shares}


def by_question(
    data: AdapterData,
    matrices: Sequence[np.ndarray],
    shares: Sequence[float] = SHARES,
    known_share: float | None = None,
) -> dict[float, np.ndarray]:
    """Cross-validation by question: per share, each question's reciprocal rank with its
    fold's matrix (`matrices`, fitted without the fold) at that share for every unit; with
    `known_share`, the corpus's units at that share instead and the distractor units, as
    units not fitted with, at each share of the grid."""
    folds = _folds(data)
    found: dict[float, list[np.ndarray]] = {s: [] for s in shares}
    for k, matrix in enumerate(matrices):
        rows = np.flatnonzero(folds == k)
        known = None if known_share is None else shrunk(matrix, known_share)
        for share in shares:
            if known is None:
                ranks = first_answer_ranks(data, rows, shrunk(matrix, share))
            else:
                ranks = first_answer_ranks(data, rows, known, shrunk(matrix, share), None, True)
            found[share].append(1 / (1 + ranks))
    return {s: np.concatenate(found[s]) for s in shares}


def choose_shares(
    data: AdapterData, strength: float, matrices: Sequence[np.ndarray]
) -> dict[str, Any]:
    """The share of the map for the units it is fitted with (best MRR by question among
    the corpus's units, with the folds' `matrices` fitted at `strength`) and for any other
    unit (best mean of two MRRs: by document, and by question among the distractor units
    as well; both with the known units at the first share), and the grids. The by-document
    MRR alone would favour a share that lifts every unknown unit; the distractors' ranks
    hold it back. Without the questions' documents, the first share for every unit."""
    questions = by_question(data, matrices)
    grid = {str(s): round(float(np.mean(questions[s])), 4) for s in SHARES}
    known = max(SHARES, key=lambda s: grid[str(s)])
    out: dict[str, Any] = {"share": known, "by_question_mrr": grid}
    if not any(data.cited):
        return out
    documents = left_out_documents(data, strength, known)
    out["by_document_mrr"] = {str(s): round(float(np.mean(documents[s])), 4) for s in SHARES}
    criteria = [out["by_document_mrr"]]
    if data.others is not None:
        among = by_question(data, matrices, SHARES, known)
        out["by_question_mrr_among_distractors"] = {
            str(s): round(float(np.mean(among[s])), 4) for s in SHARES
        }
        criteria.append(out["by_question_mrr_among_distractors"])
    out["share_other_units"] = max(
        SHARES, key=lambda s: float(np.mean([c[str(s)] for c in criteria]))
    )
    return out


def fit_adapter(data: AdapterData) -> tuple[np.ndarray, dict[str, Any]]:
    """The map at the strength with the best cross-validated MRR (unshrunk), the shares it
    is applied with (`choose_shares`), the units it was fitted with and the grids."""
    folds = _folds(data)
    matrices = {strength: _fold_matrices(data, folds, strength) for strength in STRENGTHS}
    grid: dict[str, Any] = {"identity": cross_validated(data, None)}
    for strength in STRENGTHS:
        grid[str(strength)] = cross_validated(data, strength, matrices[strength])
    best = max(STRENGTHS, key=lambda s: grid[str(s)]["mrr"])
    shares = choose_shares(data, best, matrices[best])
    matrix = fit_matrix(data, np.arange(len(data.ids)), best)
    about = {"strength": best, "cross_validated": grid, **shares}
    if "share_other_units" in shares:
        about["fitted_units"] = sorted(text_key(t) for t in data.texts)
    return matrix, about


@dataclass(frozen=True)
class OutOfFold:
    """Each question's fold, each fold's matrix, and what the adapter in use records."""

    fold_of: dict[str, int]
    matrices: list[np.ndarray]
    about: dict[str, Any]

    def adapters(self) -> list[QueryAdapter]:
        """Each fold's adapter, applied with the shares the adapter in use records."""
        return [adapter_from(matrix, self.about) for matrix in self.matrices]

    def adapters_of(self, items: Sequence[dict[str, Any]]) -> list[QueryAdapter]:
        """Each question's adapter: its fold's."""
        adapters = self.adapters()
        return [adapters[self.fold_of[str(item["id"])]] for item in items]


def fold_adapters(
    data: AdapterData, strength: float, always: int = 0
) -> tuple[dict[str, int], list[np.ndarray]]:
    """Each question's fold and, per fold, the matrix fitted on the other folds' questions.
    The last `always` questions are in no fold: every fold's matrix is fitted on them too
    (questions the adapter in use was fitted on that the answering models are not)."""
    asked = len(data.ids) - always
    folds = np.concatenate([
        item_folds(data.ids[:asked], data.answerable[:asked], SEED), np.full(always, -1)
    ])  # fmt: skip
    fold_of = dict(zip(data.ids[:asked], (int(f) for f in folds[:asked]), strict=True))
    return fold_of, _fold_matrices(data, folds, strength)


def _folds(data: AdapterData) -> np.ndarray:
    return item_folds(data.ids, data.answerable, SEED)


def _fold_matrices(data: AdapterData, folds: np.ndarray, strength: float) -> list[np.ndarray]:
    """Per fold, the matrix fitted on the other folds' questions."""
    return [fit_matrix(data, np.flatnonzero(folds != k), strength) for k in range(FOLDS)]


def matrix_digest(matrix: np.ndarray) -> str:
    return hashlib.sha256(np.asarray(matrix, dtype=np.float32).tobytes()).hexdigest()
