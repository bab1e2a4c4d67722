"""The fusion fit picks the grid point whose rankings put the evidence highest, in every
index it is given, and the fitted file is what retrieval's defaults read."""

import json
from dataclasses import dataclass, field
from types import SimpleNamespace

from index.config import RetrievalConfig, _fitted_fusion
from service.fit_retrieval import fit_fusion, scored_questions, write_fusion


@dataclass
class FakeRetriever:
    rrf_k: int = 20
    dense_weight: float = 1.0
    lexical_weight: float = 2.0


@dataclass
class RankingKB:
    """Search puts the evidence first only at (best_k, best_weight), else third."""

    best_k: int
    best_weight: float
    retriever: FakeRetriever = field(default_factory=FakeRetriever)

    def search(self, query, k=10):
        hit = (self.retriever.rrf_k, self.retriever.lexical_weight) == (
            self.best_k,
            self.best_weight,
        )
        texts = ["annat", "något", "annat igen"]
        texts.insert(0 if hit else 2, "beviset står här")
        return [SimpleNamespace(text=t) for t in texts]


QUESTIONS = scored_questions(
    [
        {"question": "Var står beviset?", "evidence": ["Beviset står här"]},
        {"question": "Och sen?", "evidence": ["beviset"], "history": ["Var står beviset?"]},
        {"question": "Obesvarbar?", "evidence": [], "answerable": False},
    ]
)


def test_only_standalone_answerable_questions_are_scored():
    assert QUESTIONS == [("Var står beviset?", ["beviset star har"])]


def test_the_grid_point_that_ranks_the_evidence_first_is_chosen():
    chosen, grid = fit_fusion({"corpus": RankingKB(10, 0.75)}, QUESTIONS)
    assert chosen == {"rrf_k": 10, "dense_weight": 1.0, "lexical_weight": 0.75}
    best = next(r for r in grid if (r["rrf_k"], r["lexical_weight"]) == (10, 0.75))
    assert best["corpus"] == {"recall@5": 1.0, "mrr": 1.0}
    assert min(r["mrr"] for r in grid) < 1.0


def test_the_choice_is_averaged_over_every_index():
    kbs = {"corpus": RankingKB(10, 0.75), "distractors-1": RankingKB(20, 1.0)}
    chosen, grid = fit_fusion(kbs, QUESTIONS)
    # each index's best scores 1 there and 1/3 in the other: a tie, both means equal
    assert (chosen["rrf_k"], chosen["lexical_weight"]) in {(10, 0.75), (20, 1.0)}
    assert max(r["mrr"] for r in grid) == round((1 + 1 / 3) / 2, 4)


def test_the_written_fit_is_what_retrieval_reads(tmp_path):
    questions = tmp_path / "q.jsonl"
    questions.write_text('{"question": "x"}\n', encoding="utf-8")
    out = tmp_path / "fusion.json"
    chosen = {"rrf_k": 10, "dense_weight": 1.0, "lexical_weight": 0.75}
    write_fusion(chosen, [], [questions], {"corpus": "data"}, out)
    assert _fitted_fusion(out) == chosen
    assert RetrievalConfig(**_fitted_fusion(out)).lexical_weight == 0.75
    assert json.loads(out.read_text())["fitted_by"].startswith("falun-kb fit-retrieval")
    assert _fitted_fusion(tmp_path / "missing.json") == {}
