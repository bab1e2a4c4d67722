"""The adapter fit learns a map that puts each held-out question's answering unit first where
the embedder's own vectors do not, and keeps every question out of its own fold's adapter."""

from dataclasses import replace

import numpy as np

from service.fit_adapter import (
    NEGATIVES_PER_QUESTION,
    SHARES,
    AdapterData,
    OutOfFold,
    choose_shares,
    cross_validated,
    first_answer_ranks,
    fit_matrix,
    fold_adapters,
    left_out_documents,
    nearest_others,
    ranks_among_others,
    shrunk,
)


def rotated_questions(n=120, dim=6, units=12, seed=0):
    """Questions that lie along a rotation of their answering unit: the embedder's cosine
    ranks the answer anywhere, the inverse rotation ranks it first."""
    rng = np.random.default_rng(seed)
    unit_vectors = rng.normal(size=(units, dim))
    unit_vectors /= np.linalg.norm(unit_vectors, axis=1, keepdims=True)
    rotation, _ = np.linalg.qr(rng.normal(size=(dim, dim)))
    answer = rng.integers(0, units, size=n)
    questions = unit_vectors[answer] @ rotation.T + 0.05 * rng.normal(size=(n, dim))
    questions /= np.linalg.norm(questions, axis=1, keepdims=True)
    answers = np.zeros((n, units), dtype=bool)
    answers[np.arange(n), answer] = True
    answerable = [True] * n
    answers[:10] = False  # unanswerable ones: nothing to learn from
    answerable[:10] = [False] * 10
    ids = [f"q{i}" for i in range(n)]
    return AdapterData(ids, answerable, questions, answers, unit_vectors)


def test_the_fitted_map_ranks_held_out_answers_first():
    data = rotated_questions()
    train, test = np.arange(0, 90), np.arange(90, 120)
    identity = first_answer_ranks(data, test, np.eye(6))
    fitted = first_answer_ranks(data, test, fit_matrix(data, train, 1e-4))
    assert np.mean(fitted == 0) >= 0.9
    assert np.mean(identity == 0) < 0.5


def test_cross_validation_scores_out_of_fold():
    data = rotated_questions()
    assert cross_validated(data, 1e-4)["mrr"] > cross_validated(data, None)["mrr"] + 0.3


def test_a_strong_penalty_keeps_the_embedders_vectors():
    data = rotated_questions()
    matrix = fit_matrix(data, np.arange(len(data.ids)), 1e5)
    assert np.allclose(matrix, np.eye(6), atol=1e-3)


def test_each_fold_adapter_is_fitted_without_its_folds_questions():
    data = rotated_questions(n=60)
    fold_of, matrices = fold_adapters(data, 1e-4)
    assert sorted(set(fold_of.values())) == list(range(len(matrices)))
    # refitting fold 0's adapter on the other folds' questions alone gives the same matrix
    others = np.array([i for i, q in enumerate(data.ids) if fold_of[q] != 0])
    assert np.allclose(matrices[0], fit_matrix(data, others, 1e-4))


def test_questions_in_no_fold_are_in_every_fold_adapters_fit():
    data = rotated_questions(n=60)
    fold_of, matrices = fold_adapters(data, 1e-4, always=20)
    asked = data.ids[:40]
    assert list(fold_of) == asked  # the last twenty are in no fold
    # the asked questions keep the folds they have without the others
    alone = AdapterData(asked, data.answerable[:40], data.questions[:40], data.answers[:40],
                        data.units)  # fmt: skip
    assert fold_of == fold_adapters(alone, 1e-4)[0]
    others = np.array([i for i, q in enumerate(asked) if fold_of[q] != 0] + list(range(40, 60)))
    assert np.allclose(matrices[0], fit_matrix(data, others, 1e-4))


def test_the_nearest_distractor_units_are_fitted_as_wrong_answers():
    base = rotated_questions()
    rng = np.random.default_rng(1)
    others = rng.normal(size=(300, 6))
    others /= np.linalg.norm(others, axis=1, keepdims=True)
    data = AdapterData(base.ids, base.answerable, base.questions, base.answers, base.units, others)
    rows = np.arange(10, 40)
    wrong = nearest_others(data, rows)
    nearest = np.argsort(-(base.questions[rows] @ others.T), axis=1)[:, 0]
    # each question's nearest distractor unit is among them
    assert all(np.isclose(wrong @ others[n], 1).any() for n in nearest)
    assert len(wrong) <= NEGATIVES_PER_QUESTION * len(rows)
    fitted = fit_matrix(data, np.arange(0, 90), 1e-4)
    test = np.arange(90, 120)
    assert np.mean(first_answer_ranks(data, test, fitted) == 0) >= 0.9
    # fewer distractor units lie nearer the answer than with the embedder's own vectors
    among = ranks_among_others(data, test, fitted)
    assert among.mean() < ranks_among_others(data, test, np.eye(6)).mean()


def test_distractor_units_nearer_than_the_answer_are_counted():
    units = np.eye(3)
    others = np.array([[0.9, 0.1, 0.0], [0.0, 0.0, 1.0], [0.99, 0.0, 0.14]])
    question = np.array([[0.95, 0.0, 0.31]])
    question /= np.linalg.norm(question)
    answers = np.array([[True, False, False]])
    data = AdapterData(["q"], [True], question, answers, units, others / 1.0)
    cosines = question @ others.T / np.linalg.norm(others, axis=1)
    expected = int((cosines > question @ units[0]).sum())
    assert ranks_among_others(data, np.array([0]), np.eye(3)).tolist() == [expected]


def with_documents(data, docs=3):
    """`data` with its units spread over `docs` documents, each question citing its answer's."""
    unit_docs = tuple(f"doc{i % docs}" for i in range(len(data.texts or data.units)))
    cited = tuple(frozenset(unit_docs[u] for u in np.flatnonzero(row)) for row in data.answers)
    return replace(data, unit_docs=unit_docs, cited=cited)


def test_a_map_every_document_shares_carries_to_a_document_left_out():
    data = with_documents(rotated_questions(n=150))
    left_out = left_out_documents(data, 1e-4, 1.0, shares=(0.0, 1.0))
    assert len(left_out[1.0]) == 140  # each answerable question, with its document left out
    assert left_out[1.0].mean() > left_out[0.0].mean() + 0.4


def test_a_new_documents_units_get_their_own_share_of_the_map():
    """Questions on doc0 sit on their answers (the embedder's vectors suffice); the other
    documents' are rotated. The map fitted on those misleads on doc0 left out, and helps
    on new questions about the documents it was fitted with: the two shares differ."""
    base = with_documents(rotated_questions(n=150))
    on_doc0 = np.array([docs == {"doc0"} for docs in base.cited])
    questions = base.questions.copy()
    questions[on_doc0] = base.units[base.answers[on_doc0].argmax(axis=1)]
    data = replace(base, questions=questions)
    left_out = left_out_documents(data, 1e-4, 1.0, shares=(0.0, 1.0))
    on_doc0 = int((on_doc0 & data.answers.any(axis=1)).sum())  # doc0's come first
    assert left_out[0.0][:on_doc0].mean() >= 0.9 > left_out[1.0][:on_doc0].mean()
    chosen = choose_shares(data, 1e-4, fold_adapters(data, 1e-4)[1])
    assert chosen["share"] == max(SHARES, key=lambda s: chosen["by_question_mrr"][str(s)])
    assert chosen["share"] > chosen["share_other_units"]
    other = chosen["by_document_mrr"]
    assert other[str(chosen["share_other_units"])] > other[str(chosen["share"])]


def test_without_the_questions_documents_one_share_serves_every_unit():
    data = rotated_questions(n=60)
    chosen = choose_shares(data, 1e-4, fold_adapters(data, 1e-4)[1])
    assert "share_other_units" not in chosen and chosen["share"] in SHARES


def test_the_fold_adapters_are_applied_as_the_adapter_in_use_is():
    matrix = np.array([[2.0, 1.0], [0.0, 3.0]])
    assert np.allclose(shrunk(matrix, 0), np.eye(2))
    assert np.allclose(shrunk(matrix, 1), matrix)
    about = {"share": 0.5, "share_other_units": 0.0, "fitted_units": ["k"]}
    adapter = OutOfFold({"q": 0}, [matrix], about).adapters()[0]
    assert np.allclose(adapter.matrix, [[1.5, 0.5], [0.0, 2.0]])
    assert np.allclose(adapter.for_other_units(np.array([1.0, 2.0])), [1.0, 2.0])
    assert adapter.fitted_units == {"k"}
    assert np.allclose(OutOfFold({"q": 0}, [matrix], {}).adapters()[0].matrix, matrix)


def test_distractor_units_rank_through_the_map_for_units_not_fitted_with():
    """A share that lifts every unit the map was not fitted with also lifts the distractors
    above the answer: counted, so the share for such units cannot be chosen on the new
    document's questions alone."""
    units = np.eye(3)
    question = np.array([[0.6, 0.8, 0.0]])
    answers = np.array([[True, False, False]])
    others = np.array([[0.6, 0.8, 0.0], [0.0, 0.0, 1.0]])  # the first one on the question
    data = AdapterData(["q"], [True], question, answers, units, others)
    toward_answer = np.diag([1.0, 0.1, 1.0])  # the map puts the question on its answer
    every = np.ones(3, dtype=bool)
    # unit 1 lies nearer than the answer by the raw vector, not through the map
    assert first_answer_ranks(data, np.array([0]), toward_answer).tolist() == [0]
    assert first_answer_ranks(data, np.array([0]), np.eye(3)).tolist() == [1]
    ranks = first_answer_ranks(data, np.array([0]), toward_answer, np.eye(3), every, True)
    assert ranks.tolist() == [1]  # the distractor on the raw question lies nearer
    ranks = first_answer_ranks(data, np.array([0]), toward_answer, toward_answer, every, True)
    assert ranks.tolist() == [0]
