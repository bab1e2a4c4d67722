from bench.quality import RetrievalOnly, quality_rows, top_passage_answer, where_baselines_win
from service.evaluate import evaluate_question
from service.models import Location, SearchResult

DOC = "Falun har vänorter. Vänorten i Finland är Hamina, Finland sedan 1940-talet."


def _hit(text: str) -> SearchResult:
    return SearchResult(
        chunk_id=f"d:{len(text)}",
        doc_id="d",
        title="t",
        municipality="Falu kommun",
        doc_type="strategi",
        year=None,
        section="",
        text=text,
        score=1.0,
        location=Location(start_line=1, end_line=1),
    )


def test_top_passage_is_the_answer_and_always_answerable():
    answer = top_passage_answer("q", [_hit(DOC[20:]), _hit(DOC[:19])])
    assert answer.answerable
    assert answer.answer == DOC[20:]
    assert [c.quote for c in answer.citations] == [DOC[20:]]
    assert top_passage_answer("q", []).citations == []


def test_retrieval_only_pipeline_scores_with_the_service_rules():
    hits = [_hit(DOC[:19]), _hit(DOC[20:])]
    pipeline = RetrievalOnly(lambda q, k: hits[:k], {"d": DOC})
    item = {
        "id": "x",
        "question": "Vänort i Finland?",
        "evidence": ["hamina, finland"],
        "facts": ["Hamina"],
    }
    result = evaluate_question(pipeline, item)
    assert result.evidence_recall_at_1 == 0.0
    assert result.evidence_recall_at_5 == 1.0
    assert result.reciprocal_rank == 0.5
    assert result.facts_present == 0.0  # the top-1 passage is not the one with the fact
    assert result.quotes_verbatim == 1.0


def test_where_baselines_win_lists_only_better_ranks():
    result = {
        "per_question": {
            "ours": {"q1": {"rr": 1.0}, "q2": {"rr": 0.5}},
            "A: llama-index recipe": {"q1": {"rr": 1.0}, "q2": {"rr": 1.0}},
            "B: BM25 only": {"q1": {"rr": 0.5}, "q2": {"rr": None}},
            "C: dense only": {"q1": {"rr": 0.0}, "q2": {"rr": 0.5}},
        },
        "questions": {"q1": "Fråga ett", "q2": "Fråga två"},
    }
    wins = where_baselines_win(result)
    assert len(wins) == 1 and wins[0].startswith("q2 A: llama-index recipe")


def test_quality_rows_follow_system_order():
    summary = {
        name: dict.fromkeys(
            [
                "evidence_recall@1",
                "evidence_recall@5",
                "mrr",
                "facts_present",
                "quotes_verbatim",
                "answerable_accuracy",
            ],
            1.0,
        )
        for name in ("C: dense only", "ours")
    }
    assert [row[0] for row in quality_rows(summary)] == ["ours", "C: dense only"]
