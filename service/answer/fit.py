"""Fits the answering models from labelled questions (`falun-kb fit`).

Two logistic regressions: the unit model (does this sentence/list unit answer the question:
labelled by the question's evidence) and the question model (does anything retrieved answer
it: labelled `answerable`), stacked on the unit model's cross-validated probabilities. The
answer threshold is the lowest at which at most `max_false_answers` of the unanswerable
questions get an answer in cross-validation; how many extra units to quote is a grid search
on cross-validated facts. Only the training files are read; a held-out file is never seen.

The questions may also be retrieved from an index with distractor passages (`--distractors`):
both copies of a question are fitted on and kept in one cross-validation fold, and the answer
threshold and the quote grid are chosen on the corpus copies, which is what users query.

The question model's `labelled_margin` compares a question with the training questions
themselves (`labelled.py`): in cross-validation each question's margin is taken against the
training folds' questions, never its own fold's, and in the final fit against every other
training question; the model keeps them all, for a new question's margin.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from statistics import mean
from typing import Any

import numpy as np

from index.hybrid import ScoredChunk
from lang import tokenize
from service.answer.extractive import ExtractiveAnswerer
from service.answer.features import QUESTION_FEATURES, UNIT_FEATURES, Candidate, question_features
from service.answer.fitted import AnsweringModel, LogisticModel
from service.answer.labelled import LabelledQuestions, questions_file
from service.answer.query import QueryPlan
from service.answer.selection import overlaps, select_units
from service.evaluate import comparable

FOLDS = 5
SEED = 0
# The question model's out-of-fold probabilities are averaged over this many shuffles of its
# folds, so the answer threshold does not hang on one split of ~130 unanswerable questions.
REPEATS = 5
# At most this share of the unanswerable training questions may get an answer in
# cross-validation. A policy, not a fit: on the 247 training questions 0.10 answers 73 % of
# the answerable ones, 0.20 answers 88 % (the report's by_false_answer_cap).
MAX_FALSE_ANSWERS = 0.20
FALSE_ANSWER_CAPS = (0.05, 0.10, 0.15, 0.20, 0.25, 0.30)  # reported beside the chosen one
REGULARISATION = (0.03, 0.1, 0.3, 1.0, 3.0, 10.0)  # C values tried, chosen by CV log-loss
# The answerable share the question model is fitted as if the questions asking for a kind of
# answer (how many, when, a name ...) had: None keeps the files' own share. Our tempting
# unanswerable questions were mostly written in that form (about 28 % of those questions
# answerable against 72 % of the others), a prior of how we wrote them; the share is chosen
# by cross-validated flag accuracy at the cap (eval/README.md, eleventh session).
KIND_SHARES = (None, 0.35, 0.40, 0.45, 0.50)
# Quote limits (a question, one asking for several things) whose facts and length the report
# shows beside the configured ones: more quotes find more facts, at more text to read.
QUOTE_LIMITS = ((2, 4), (3, 5), (4, 6), (5, 7), (6, 8), (8, 10))
YEAR_WEIGHTS = (0.0, 0.25, 0.5, 1.0, 2.0)  # tried for each overlap in a comparison's quotes

# The units an answer quotes for an example with a model's quote parameters, given the
# units' probabilities (`ExtractiveAnswerer.quoted_under`).
Quoting = Callable[[AnsweringModel, "Example", Sequence[float]], list[int]]


def answers_evidence(unit: str, evidence: Sequence[str]) -> bool:
    """A unit answers when it holds an evidence string, lies inside one, or shares most of
    an evidence string's words (evidence may span a unit boundary)."""
    unit_words = set(tokenize(unit))
    for e in evidence:
        if e in unit or (len(unit) >= 15 and unit in e):
            return True
        words = set(tokenize(e))
        if words and len(words & unit_words) >= 0.6 * len(words):
            return True
    return False


CORPUS = "corpus"  # the source of examples retrieved from the corpus's own index


@dataclass
class Example:
    """One labelled question with what retrieval found for it."""

    id: str
    answerable: bool
    facts: list[str]
    units: list[Candidate]
    texts: list[str]  # each unit's text, folded for fact matching
    labels: list[bool]
    question: Any  # features.Question
    source: str = CORPUS  # the index it was retrieved from
    plan: QueryPlan | None = None  # the question as read
    vector: np.ndarray | None = None  # the question's vector, as the answerer embeds it


def gather(
    answerer: ExtractiveAnswerer,
    read: Callable[[dict[str, Any]], tuple[QueryPlan, list[ScoredChunk]]],
    items: Sequence[dict[str, Any]],
    source: str = CORPUS,
) -> list[Example]:
    """Candidates and labels of each question, read and retrieved as the service does."""
    out = []
    for item in items:
        plan, hits = read(item)
        vector = answerer.question_vector(plan)
        question = answerer.question_of(plan, vector)
        units = answerer.candidates(plan, hits, question)
        texts = [
            comparable(answerer.documents[u.hit.chunk.doc_id].text[u.start : u.end]) for u in units
        ]
        evidence = [comparable(e) for e in item.get("evidence", [])]
        answerable = bool(item.get("answerable", True))
        labels = [answerable and answers_evidence(t, evidence) for t in texts]
        facts = [comparable(f) for f in item.get("facts", [])]
        out.append(
            Example(
                str(item["id"]), answerable, facts, units, texts, labels, question, source, plan,
                vector,
            )
        )  # fmt: skip
    return out


def labelled_only(
    answerer: ExtractiveAnswerer,
    read: Callable[[dict[str, Any]], tuple[QueryPlan, list[ScoredChunk]]],
    items: Sequence[dict[str, Any]],
) -> list[Example]:
    """The questions as read and embedded, with their labels only: labelled questions for
    `labelled_margin` that are not fitted on (`fit`'s `labelled_also`)."""
    out = []
    for item in items:
        plan, _ = read(item)
        answerable = bool(item.get("answerable", True))
        vector = answerer.question_vector(plan)
        out.append(Example(str(item["id"]), answerable, [], [], [], [], None, CORPUS, plan, vector))
    return out


def _fit_logistic(
    x: np.ndarray,
    y: np.ndarray,
    c: float,
    names: tuple[str, ...],
    weights: np.ndarray | None = None,
) -> LogisticModel:
    from sklearn.linear_model import LogisticRegression  # imported to fit only

    mu = x.mean(axis=0)
    sd = x.std(axis=0)
    sd[sd == 0] = 1.0
    lr = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
    lr.fit((x - mu) / sd, y, sample_weight=weights)
    return LogisticModel(
        names,
        tuple(float(v) for v in mu),
        tuple(float(v) for v in sd),
        tuple(float(v) for v in lr.coef_[0]),
        float(lr.intercept_[0]),
    )


def _cv_probabilities(
    x: np.ndarray,
    y: np.ndarray,
    groupings: Sequence[np.ndarray],
    names: tuple[str, ...],
    weights: np.ndarray | None = None,
    per_fold: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]] | None = None,
) -> tuple[np.ndarray, float]:
    """Out-of-fold probabilities at the regularisation with the best out-of-fold log-loss,
    averaged over the groupings (each assigns every row a group; groups are kept whole).
    `weights` weigh the rows in each fit and in the log-loss. `per_fold(train, test)` gives
    a fold's training and test rows when a feature depends on the training rows."""
    from sklearn.metrics import log_loss
    from sklearn.model_selection import GroupKFold

    splits = [list(GroupKFold(n_splits=FOLDS).split(x, y, g)) for g in groupings]
    best: tuple[float, np.ndarray, float] | None = None
    for c in REGULARISATION:
        p = np.zeros(len(y))
        for folds in splits:
            for train, test in folds:
                if len(set(y[train])) < 2:
                    p[test] += y[train].mean()
                    continue
                w = None if weights is None else weights[train]
                x_train, x_test = (x[train], x[test]) if per_fold is None else per_fold(train, test)
                model = _fit_logistic(x_train, y[train], c, names, w)
                p[test] += [model.probability(row) for row in x_test]
        p /= len(splits)
        loss = log_loss(y, np.clip(p, 1e-6, 1 - 1e-6), sample_weight=weights)
        if best is None or loss < best[0]:
            best = (loss, p, c)
    assert best is not None
    return best[1], best[2]


class LabelledRows:
    """The examples' questions as labelled questions (`labelled.LabelledQuestions`), one per
    question however many indexes it was retrieved from, and the questions of `also`, which
    are labelled questions for every example (in every fold's training) but never fitted on;
    a question's margin never counts itself, nor a question of the same text in another
    file."""

    def __init__(
        self, examples: Sequence[Example], embedder: str = "", also: Sequence[Example] = ()
    ):
        every = [*examples, *also]
        groups = question_groups(every)
        self.fitted = len(examples)
        self.answerable = np.array([e.answerable for e in every])
        self.vectors = np.array([e.vector for e in every], dtype=np.float32)
        self.firsts = np.flatnonzero(groups == np.arange(len(every)))
        texts = np.array([e.plan.text.strip().lower() if e.plan else e.id for e in every])
        self.same = (groups[:, None] == groups[self.firsts][None, :]) | (
            texts[:, None] == texts[self.firsts][None, :]
        )
        self.embedder = embedder

    def labelled(self, among: np.ndarray | None = None) -> LabelledQuestions:
        """The questions of the example rows `among` (default: all) and of `also`."""
        rows = self.firsts[self._columns(among)]
        return LabelledQuestions.of(self.vectors[rows], self.answerable[rows], self.embedder)

    def margins(self, rows: np.ndarray, among: np.ndarray | None = None) -> np.ndarray:
        """Each example row's margin against the questions of the rows `among` and of
        `also`, its own left out."""
        columns = self._columns(among)
        return self.labelled(among).margins(self.vectors[rows], self.same[np.ix_(rows, columns)])

    def _columns(self, among: np.ndarray | None) -> np.ndarray:
        if among is None:
            return np.arange(len(self.firsts))
        return np.flatnonzero(np.isin(self.firsts, among) | (self.firsts >= self.fitted))


def kind_weights(asks_kind: np.ndarray, answerable: np.ndarray, share: float | None) -> np.ndarray:
    """Row weights under which the questions asking for a kind of answer are answerable in
    `share` of cases (their weighted count unchanged); every other row weighs 1."""
    w = np.ones(len(answerable))
    if share is None:
        return w
    for label, target in ((True, share), (False, 1 - share)):
        rows = asks_kind & (answerable == label)
        if rows.any():
            w[rows] = target * asks_kind.sum() / rows.sum()
    return w


def select(
    example: Example, probabilities: Sequence[float], ratio: float, floor: float, limit: int
) -> list[int]:
    """The example's units the answerer would quote (`select_units`)."""
    units = example.units
    return select_units(
        probabilities, ratio, floor, limit, lambda i, j: overlaps(units[i], units[j])
    )


def _facts_found(example: Example, chosen: list[int]) -> float:
    quoted = " ".join(example.texts[i] for i in chosen)
    return mean(f in quoted for f in example.facts) if example.facts else 0.0


def question_groups(examples: Sequence[Example]) -> np.ndarray:
    """Each example's group: the position of its question's first copy, so a question
    retrieved from several indexes is never split across cross-validation folds."""
    first: dict[str, int] = {}
    return np.array([first.setdefault(e.id, i) for i, e in enumerate(examples)])


def question_folds(examples: Sequence[Example], seed: int) -> np.ndarray:
    """Each example's fold: the questions are split stratified by answerable, and every copy
    of a question lands in its question's fold."""
    answerable: dict[str, bool] = {}
    for e in examples:
        answerable.setdefault(e.id, e.answerable)
    ids = list(answerable)
    fold_of = dict(zip(ids, item_folds(ids, [answerable[i] for i in ids], seed), strict=True))
    return np.array([fold_of[e.id] for e in examples])


def item_folds(ids: Sequence[str], answerable: Sequence[bool], seed: int) -> np.ndarray:
    """Each question's fold, split stratified by answerable."""
    from sklearn.model_selection import StratifiedKFold

    y = np.array(answerable, dtype=int)
    folds = np.zeros(len(ids), dtype=int)
    splits = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=seed).split(y, y)
    for k, (_, test) in enumerate(splits):
        folds[test] = k
    return folds


def fit(
    examples: list[Example],
    known_years: set[int],
    quote_limit: Callable[[bool], int],
    quoting: Quoting,
    max_false_answers: float = MAX_FALSE_ANSWERS,
    embedder: str = "",
    labelled_also: Sequence[Example] = (),
) -> tuple[AnsweringModel, dict[str, Any]]:
    """The models and their cross-validated report. Every example is fitted on; the answer
    threshold, the quote grids and the report are the corpus copies' (`CORPUS`). The
    questions of `labelled_also` are labelled questions beside the examples' own, in every
    fold, and not fitted on."""
    groups = question_groups(examples)
    rows = [(i, u.features, label) for i, e in enumerate(examples) for u, label in
            zip(e.units, e.labels, strict=True)]  # fmt: skip
    ux = np.array([r[1] for r in rows], dtype=float)
    uy = np.array([r[2] for r in rows], dtype=int)
    unit_groups = np.array([groups[r[0]] for r in rows])
    unit_cv, unit_c = _cv_probabilities(ux, uy, [unit_groups], UNIT_FEATURES)
    unit_model = _fit_logistic(ux, uy, unit_c, UNIT_FEATURES)

    per_example: list[list[float]] = [[] for _ in examples]
    for (i, _, _), p in zip(rows, unit_cv, strict=True):
        per_example[i].append(float(p))
    qx = np.array(
        [
            question_features(e.question, e.units, per_example[i], known_years)
            for i, e in enumerate(examples)
        ],
        dtype=float,
    )
    qy = np.array([e.answerable for e in examples], dtype=int)
    per_fold = None
    labelled = None
    if examples and all(e.vector is not None for e in examples):
        labelled = LabelledRows(examples, embedder, labelled_also)
        column = QUESTION_FEATURES.index("labelled_margin")
        qx[:, column] = labelled.margins(np.arange(len(examples)))

        # a split's margins, the same for every regularisation and kind share tried
        split_margins: dict[bytes, tuple[np.ndarray, np.ndarray]] = {}

        def per_fold(train: np.ndarray, test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            key = test.tobytes()
            if key not in split_margins:
                split_margins[key] = (
                    labelled.margins(train, among=train),
                    labelled.margins(test, among=train),
                )
            x_train, x_test = qx[train].copy(), qx[test].copy()
            x_train[:, column], x_test[:, column] = split_margins[key]
            return x_train, x_test

    fold_ofs = [question_folds(examples, seed) for seed in range(SEED, SEED + REPEATS)]
    corpus = [i for i, e in enumerate(examples) if e.source == CORPUS]
    asks_kind = np.array([e.question.wants is not None for e in examples])
    by_share = []
    for share in KIND_SHARES:
        weights = kind_weights(asks_kind, qy == 1, share)
        cv, c = _cv_probabilities(qx, qy, fold_ofs, QUESTION_FEATURES, weights, per_fold)
        cut = answer_threshold(cv[[i for i in corpus if not qy[i]]], max_false_answers)
        accuracy = float(np.mean((cv[corpus] >= cut) == (qy[corpus] == 1)))
        by_share.append((round(accuracy, 4), share, cv, c, weights))
    # the best accuracy; among equals the files' own share, then the share nearest it
    _, kind_share, question_cv, question_c, weights = max(
        by_share, key=lambda b: (b[0], -KIND_SHARES.index(b[1]))
    )
    question_model = _fit_logistic(qx, qy, question_c, QUESTION_FEATURES, weights)

    threshold = answer_threshold(question_cv[[i for i in corpus if not qy[i]]], max_false_answers)
    answered = [i for i in corpus if qy[i] and question_cv[i] >= threshold]
    grid = [(r, f) for r in np.linspace(0.0, 1.0, 21) for f in np.linspace(0.0, 0.6, 13)]

    def quoted(ratio: float, floor: float, questions: Sequence[int], limit=quote_limit):
        return [
            (examples[i], select(examples[i], per_example[i], ratio, floor,
                                 limit(examples[i].question.several)))
            for i in questions
        ]  # fmt: skip

    def facts_at(ratio: float, floor: float, questions: Sequence[int] = answered) -> float:
        return mean(_facts_found(e, c) for e, c in quoted(ratio, floor, questions))

    fitted: dict[tuple[int, int], tuple[float, float]] = {}  # by limits, each fitted once

    def fitted_grid(limit: Callable[[bool], int]) -> tuple[float, float]:
        """Most facts; among equals the fewest quotes (highest ratio, then floor)."""
        limits = (limit(False), limit(True))
        if limits not in fitted:
            facts = {g: mean(_facts_found(e, c) for e, c in quoted(*g, answered, limit))
                     for g in grid}  # fmt: skip
            fitted[limits] = max(grid, key=lambda g: (round(facts[g], 4), g[0], g[1]))
        return fitted[limits]

    ratio, floor = fitted_grid(quote_limit)
    questions = labelled.labelled() if labelled is not None else None
    model = AnsweringModel(
        unit_model, question_model, threshold, float(ratio), float(floor), 0.0, 0.0, questions
    )
    comparisons = [i for i in answered if len(known_years & set(examples[i].question.years)) >= 2]
    model, year_facts = fit_year_weights(
        model, [examples[i] for i in comparisons], [per_example[i] for i in comparisons], quoting
    )
    on_corpus = [examples[i] for i in corpus]
    report = _report(on_corpus, question_cv[corpus], threshold, facts_at(ratio, floor), unit_c,
                     question_c)  # fmt: skip
    report["by_false_answer_cap"] = [
        _at_cap(
            on_corpus,
            question_cv[corpus],
            cap,
            lambda ids: facts_at(ratio, floor, [corpus[j] for j in ids]),
        )
        for cap in FALSE_ANSWER_CAPS
    ]
    report["kind_share"] = {
        "chosen": kind_share,
        "files_share": round(float(qy[asks_kind].mean()), 3) if asks_kind.any() else None,
        "flag_accuracy_by_share": {str(b[1]): b[0] for b in by_share},
    }
    report["comparisons"] = {"answered": len(comparisons), "facts": round(year_facts, 3)}
    report["by_quote_limit"] = [
        _at_limits(limits, fitted_grid, lambda r, f, limit: quoted(r, f, answered, limit))
        for limits in QUOTE_LIMITS
    ]
    for source in sorted({e.source for e in examples} - {CORPUS}):
        other = [i for i, e in enumerate(examples) if e.source == source]
        report[f"with_{source}"] = _flags(question_cv[other] >= threshold, qy[other] == 1)
    return model, report


def fit_year_weights(
    model: AnsweringModel,
    comparisons: Sequence[Example],
    probabilities: Sequence[Sequence[float]],
    quoting: Quoting,
) -> tuple[AnsweringModel, float]:
    """The weights of a comparison's quote from another year (`YEAR_WEIGHTS` for the overlap
    of its section and of its words with the first quote) with the most facts quoted in the
    comparison questions answered, among equals the smallest; and those facts (0 without
    comparisons, whose model weighs the probability alone)."""

    def facts(weights: tuple[float, float]) -> float:
        weighed = replace(model, year_section_weight=weights[0], year_word_weight=weights[1])
        return mean(
            _facts_found(e, quoting(weighed, e, p))
            for e, p in zip(comparisons, probabilities, strict=True)
        )

    if not comparisons:
        return model, 0.0
    grid = [(s, w) for s in YEAR_WEIGHTS for w in YEAR_WEIGHTS]
    found = {g: facts(g) for g in grid}
    best = max(grid, key=lambda g: (round(found[g], 4), -g[0] - g[1], -g[0]))
    return replace(model, year_section_weight=best[0], year_word_weight=best[1]), found[best]


def _at_limits(
    limits: tuple[int, int],
    fitted_grid: Callable[[Callable[[bool], int]], tuple[float, float]],
    quoted: Callable[..., list[tuple[Example, list[int]]]],
) -> dict[str, Any]:
    """What other quote limits (for a question, and for one asking for several things) would
    give in cross-validation, with the ratio and floor refitted for them: the facts in the
    answered questions' quotes, and how many quotes and characters that takes."""
    limit = lambda several: limits[several]  # noqa: E731
    ratio, floor = fitted_grid(limit)
    chosen = quoted(ratio, floor, limit)
    return {
        "limits": list(limits),
        "ratio": round(float(ratio), 2),
        "floor": round(float(floor), 2),
        "facts_when_answered": round(mean(_facts_found(e, c) for e, c in chosen), 3),
        "quotes": round(mean(len(c) for _, c in chosen), 2),
        "characters": round(mean(sum(len(e.texts[i]) for i in c) for e, c in chosen)),
    }


def answer_threshold(unanswerable: np.ndarray, max_false_answers: float) -> float:
    """The lowest threshold at which at most that share of the unanswerable questions'
    (cross-validated) probabilities reach it."""
    if not len(unanswerable):
        return 0.5
    ranked = np.sort(unanswerable)
    allowed = int(max_false_answers * len(ranked))  # unanswerables that may get an answer
    return float(ranked[-(allowed + 1)] + 1e-6)


def _at_cap(
    examples: list[Example],
    p: np.ndarray,
    cap: float,
    facts_of: Callable[[Sequence[int]], float],
) -> dict[str, float]:
    """What another cap on answered unanswerables would give in cross-validation: the
    answerable share answered, flag accuracy, and facts over all answerable questions."""
    truth = np.array([e.answerable for e in examples])
    threshold = answer_threshold(p[~truth], cap)
    answer = p >= threshold
    answered = [i for i in range(len(examples)) if truth[i] and answer[i]]
    facts = facts_of(answered) * len(answered) / max(1, int(truth.sum())) if answered else 0.0
    return {
        "cap": cap,
        "threshold": round(threshold, 3),
        "unanswerable_answered": round(float(answer[~truth].mean()), 3),
        "answerable_answered": round(float(answer[truth].mean()), 3),
        "flag_accuracy": round(float((answer == truth).mean()), 3),
        "facts": round(facts, 3),
    }


def _flags(answer: np.ndarray, truth: np.ndarray) -> dict[str, Any]:
    """How the answer flags went: unanswerables answered, answerables refused, accuracy."""
    return {
        "cv_unanswerable_answered": int((answer & ~truth).sum()),
        "cv_answerable_refused": int((~answer & truth).sum()),
        "cv_flag_accuracy": round(float((answer == truth).mean()), 3),
    }


def _report(
    examples: list[Example],
    p: np.ndarray,
    threshold: float,
    facts: float,
    unit_c: float,
    question_c: float,
) -> dict[str, Any]:
    answer = p >= threshold
    truth = np.array([e.answerable for e in examples])
    true_answers = int((answer & truth).sum())
    return {
        "questions": len(examples),
        "answerable": int(truth.sum()),
        "unanswerable": int((~truth).sum()),
        "cv_precision_of_answering": round(true_answers / max(1, int(answer.sum())), 3),
        "cv_recall_of_answering": round(true_answers / max(1, int(truth.sum())), 3),
        **_flags(answer, truth),
        "cv_facts_in_quoted_units_when_answered": round(facts, 3),
        "regularisation": {"unit": unit_c, "question": question_c},
    }


def write_model(
    model: AnsweringModel,
    report: dict[str, Any],
    files: Sequence[Path],
    indexes: dict[str, str],
    out: Path,
    adapter: dict[str, Any] | None = None,
    labelled_also: Sequence[Path] = (),
) -> None:
    """The model with the command that refits it, its data's hashes, the indexes its
    questions were retrieved from (`CORPUS` first, then any with distractors) and the
    question adapter its features were gathered with (out of fold), if any."""
    distractors = [f"--distractors {d}" for name, d in indexes.items() if name != CORPUS]
    also = [f"--labelled-also {f}" for f in labelled_also] or ["--labelled-also none"]
    data = {
        "fitted_by": " ".join(["falun-kb fit", *distractors, *also, *(str(f) for f in files)]),
        "data": {str(f): hashlib.sha256(Path(f).read_bytes()).hexdigest() for f in files},
        "indexes": indexes,
        "unit_adapter": None
        if adapter is None
        else {
            "matrix_sha256": adapter["matrix_sha256"],
            "strength": adapter["strength"],
            "gathered": "each fold's questions with an adapter fitted on the other folds "
            "and the adapter's files beyond these",
        },
        "cross_validated": report,
        **model.to_json(),
    }
    if model.questions is not None:
        side = questions_file(out)
        data["labelled_questions"] = {
            "file": side.name,
            "sha256": model.questions.save(side),
            "questions": len(model.questions),
            "answerable": int(model.questions.answerable.sum()),
            "embedder": model.questions.embedder,
            "also": {
                str(f): hashlib.sha256(Path(f).read_bytes()).hexdigest() for f in labelled_also
            },
        }
    out.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
