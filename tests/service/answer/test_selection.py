from types import SimpleNamespace

from index.hybrid import ScoredChunk
from ingest.schema import Chunk
from service.answer.selection import QuoteSelection, Unit

YEARS = {"strategy": None, "plan-2020": 2020, "plan-2023": 2023}


def unit(doc_id: str, score: float) -> Unit:
    chunk = Chunk(chunk_id=f"{doc_id}:1", doc_id=doc_id, text="x", start=0, end=1,
                  start_line=1, end_line=1)  # fmt: skip
    hit = ScoredChunk(chunk, score, None, None, None, None)
    return Unit(hit, 0, 0, 1, score, frozenset())


def selection() -> QuoteSelection:
    documents = {d: SimpleNamespace(meta=SimpleNamespace(year=y)) for d, y in YEARS.items()}
    return QuoteSelection(documents, lexicon=None, model=None, config=None)  # type: ignore[arg-type]


def test_an_undated_documents_best_quote_leads_and_dated_plans_follow_newest_first():
    chosen = [unit("plan-2020", 0.6), unit("strategy", 0.9), unit("plan-2023", 0.3)]
    ordered = selection().dated_newest_first(chosen)
    assert [u.hit.chunk.doc_id for u in ordered] == ["strategy", "plan-2023", "plan-2020"]


def test_the_newer_plan_leads_when_both_quotes_are_dated():
    chosen = [unit("plan-2020", 0.9), unit("plan-2023", 0.4), unit("strategy", 0.2)]
    ordered = selection().dated_newest_first(chosen)
    assert [u.hit.chunk.doc_id for u in ordered] == ["plan-2023", "plan-2020", "strategy"]
