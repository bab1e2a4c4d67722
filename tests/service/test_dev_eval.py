"""The bars on the dev questions, through the real pipeline and the fitted answering model.

Whether to answer is a model fitted (`falun-kb fit`) so that at most 20% of the unanswerable
training questions get an answer in cross-validation; the bars hold it near that on the dev
file, and to what it measured on the plainly worded questions (d01–d17). The held-out files
(eval/own_heldout.jsonl … own_heldout6.jsonl, written by other hands and never fitted on)
are held to what they measured there, a little below, so a worse model fails.
"""

import json

import pytest

from service.evaluate import evaluate, load_questions
from tests.conftest import DEV_QUESTIONS

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def plain_questions(tmp_path_factory):
    items = [q for q in load_questions(DEV_QUESTIONS) if q["id"].startswith("d")]
    assert len(items) == 17
    path = tmp_path_factory.mktemp("eval") / "plain_questions.jsonl"
    path.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in items), "utf-8")
    return path


@pytest.fixture(scope="module")
def report(real_kb, plain_questions):
    return evaluate(real_kb, plain_questions)


def test_every_quote_is_verbatim_in_its_document(report, real_kb):
    for item in load_questions(DEV_QUESTIONS):
        answer = real_kb.ask(item["question"])
        for c in answer.citations:
            assert c.quote in real_kb.document_text(c.doc_id), (item["id"], c.quote)


def test_answerable_flags_meet_the_bar(report):
    summary = report.summary()
    assert summary["answerable_accuracy"] >= 0.8, report.render()


def test_retrieval_and_answer_quality_meet_the_bar(report):
    summary = report.summary()
    assert summary["evidence_recall@5"] >= 0.95, report.render()
    assert summary["facts_present"] >= 0.75, report.render()
    assert summary["quotes_verbatim"] == 1.0


@pytest.mark.parametrize(
    ("name", "refused", "answered"),
    [
        ("dev_questions.jsonl", 0.8, 0.9),
        ("own_heldout.jsonl", 0.75, 0.9),
        ("own_heldout2.jsonl", 0.85, 0.9),
        ("own_heldout3.jsonl", 0.65, 0.9),
        ("own_heldout4.jsonl", 0.85, 0.9),
        ("own_heldout5.jsonl", 0.85, 0.9),
        ("own_heldout6.jsonl", 0.85, 0.9),
    ],
)
def test_unanswerable_questions_are_refused(real_kb, name, refused, answered):
    """The fitted refusal, on the whole dev file and on the six never-fitted files:
    measured 1.00/1.00, 0.80/0.99, 0.89/0.99, 0.78/1.00, 0.90/0.99, 0.92/0.96 and 0.90/0.95
    (refused when unanswerable / answered when answerable; own_heldout3 has 9 unanswerable
    questions, so its bar is lower), fitted on 2 899 questions retrieved clean and among
    distractors, where cross-validation says 0.80/0.94. The dev file's questions are among
    the labelled questions the model measures a question against (`labelled_margin`): its
    rates there are in-sample, the held-out files' are not."""
    path = DEV_QUESTIONS.parent / name
    summary = evaluate(real_kb, path).summary()
    assert summary["refused_when_unanswerable"] >= refused, summary
    assert summary["answered_when_answerable"] >= answered, summary


def test_scan_evidence_is_retrieved_in_correct_swedish(real_kb, plain_questions):
    """The scan's passages are given in corrected Swedish: they must be found verbatim."""
    scan = "falun-verksamhetsplan-2023"
    items = [i for i in load_questions(plain_questions) if scan in i.get("docs", [])]
    scan_text = " ".join(real_kb.document_text(scan).split())
    checked = 0
    for item in items:
        texts = [" ".join(r.text.split()) for r in real_kb.search(item["question"], k=5)]
        for evidence in [e for e in item["evidence"] if e in scan_text]:
            assert any(evidence in t for t in texts), (item["id"], evidence)
            checked += 1
    assert checked >= 2  # the scan's own evidence, exact and in correct Swedish
