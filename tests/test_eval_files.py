"""Every question file in eval/ is well formed and its evidence is in its documents."""

from pathlib import Path

import pytest

from ingest.load import load_corpus
from service.evaluate import load_questions, question_problems

ROOT = Path(__file__).resolve().parent.parent
QUESTION_FILES = sorted((ROOT / "eval").glob("*.jsonl"))


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    """The indexed texts (OCR repaired, as the index holds them) by document id."""
    return {d.doc_id: d.text for d in load_corpus(ROOT / "corpus").documents}


@pytest.mark.slow  # repairs the scanned plan's OCR text (a hunspell dictionary load)
@pytest.mark.parametrize("path", QUESTION_FILES, ids=lambda p: p.name)
def test_question_file_is_well_formed_with_evidence_in_its_documents(path, texts):
    items = load_questions(path)
    ids = [q.get("id") for q in items]
    assert len(ids) == len(set(ids)), "question ids repeat"
    problems = [p for item in items for p in question_problems(item, texts)]
    assert problems == []


def test_question_problems_are_found():
    texts = {"plan": "Rådet består av\n  fem ledamöter."}
    good = {
        "id": "x1",
        "persona": "staff",
        "question": "Hur många?",
        "docs": ["plan"],
        "evidence": ["radet bestar av fem ledamoter"],
        "facts": ["fem"],
        "answerable": True,
    }
    assert question_problems(good, texts) == []
    bad = {**good, "docs": ["plan", "nope"], "evidence": ["sex ledamöter"], "persona": "x"}
    found = " ".join(question_problems(bad, texts))
    assert "unknown document 'nope'" in found
    assert "evidence not in" in found
    assert "unknown persona" in found
    assert question_problems({**good, "history": "Och?"}, texts)
    assert question_problems({**good, "evidence": [], "facts": []}, texts)
    assert (
        question_problems({**good, "answerable": False, "evidence": [], "facts": []}, texts) == []
    )


def _split_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "split_questions", ROOT / "scripts" / "split_questions.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_follow_up_is_held_out_with_the_question_it_follows():
    split = _split_module()
    firsts = [f"Fråga nummer {n}?" for n in range(200)]
    held = [q for q in firsts if split.held_out({"question": q})]
    assert 0.15 < len(held) / len(firsts) < 0.45  # about HELD_OUT, not all or nothing
    for q in firsts:
        follow_up = {"question": "Och 2020?", "history": [q]}
        assert split.held_out(follow_up) == split.held_out({"question": q})


def test_report_by_persona_groups_questions_and_leaves_what_does_not_apply_empty():
    from service.evaluate import EvalReport, QuestionResult

    def result(qid, persona, expected, given, r5=None):
        return QuestionResult(
            qid, "?", expected, given, None, r5, None, None, None, persona=persona
        )

    report = EvalReport(
        [
            result("a", "staff", True, True, 1.0),
            result("b", "staff", True, False, 0.0),
            result("c", "unanswerable", False, True),
        ]
    )
    by = report.by_persona()
    assert by["staff"]["questions"] == 2 and by["staff"]["evidence_recall@5"] == 0.5
    assert by["staff"]["answerable_accuracy"] == 0.5
    assert by["unanswerable"]["refused_when_unanswerable"] == 0.0
    assert by["unanswerable"]["evidence_recall@5"] != by["unanswerable"]["evidence_recall@5"]
    assert "unanswerable" in report.render()
