"""The fusion fit picks the grid point whose rankings put the evidence highest, in every
index it is given, and the fitted file is what retrieval's defaults read."""

import json
from dataclasses import dataclass, field
from types import SimpleNamespace

from index.config import RetrievalConfig, _fitted_fusion
from service.fit_retrieval import fit_fusion, fusion_quality, scored_questions, write_fusion


def quality_best_at(best_k, best_weight, best_central=0.0, best_unit=0.0):
    """An index whose evidence ranks first only at (best_k, best_weight, best_central,
    best_unit), else third."""
    best = (best_k, best_weight, best_central, best_unit)
    return lambda *point: (1.0, 1.0 if point == best else 1 / 3)


@dataclass
class Units:
    """Unit vectors' one setting the fit touches: the question adapter in use."""

    adapter: object = None

    def adapt(self, adapter):
        self.adapter = adapter


@dataclass
class RankedKB:
    """A knowledge base whose retriever returns fixed dense and BM25 rankings."""

    dense: list[str]
    lexical: list[str]
    unit_side: list[str] = field(default_factory=list)  # found by the nearest units only
    calls: list[tuple[str, str]] = field(default_factory=list)
    units: "Units | None" = None

    def search_plan(self, question):
        return SimpleNamespace(
            text=question,
            dense_text=question.removeprefix("Hej! "),  # what is asked: no greeting
            lexical_text=question.lower(),
            lexical_extra="utökat",
            gloss="",
            municipality="Falun" if "Falun" in question else None,
        )

    @property
    def retriever(self):
        texts = {"ev": "Beviset står här", "a": "annat", "b": "något", "u": "enhet"}
        chunks = {cid: SimpleNamespace(text=t) for cid, t in texts.items()}

        def lexical_ranking(question, filters=None, lexical_extra="", lexical_query=None):
            self.calls.append(("bm25", question, filters, lexical_extra, lexical_query))
            return [(c, 1.0) for c in self.lexical]

        def nearest(qvec, k, filters):
            self.calls.append(("dense", qvec, filters))
            return [(c, 0.5 - n / 100) for n, c in enumerate(self.dense)][:k]

        def nearest_sentence_first(qvec, candidates):
            sentence = {"u": 1.0, "b": 0.9, "ev": 0.8, "a": 0.1}  # b's best sentence is nearest
            return sorted(dict.fromkeys(candidates), key=lambda c: -sentence[c])

        def nearest_unit_chunks(qvec, filters=None):
            used = None if self.units is None else self.units.adapter
            self.calls.append(("units", qvec, filters, used))
            return list(self.unit_side)

        return SimpleNamespace(
            lexical_ranking=lexical_ranking,
            nearest=nearest,
            nearest_sentence_first=nearest_sentence_first,
            nearest_unit_chunks=nearest_unit_chunks,
            units=self.units,
            dense_query_vector=lambda question, also="": f"vector of {question}{also}",
            chunks=chunks,
            dense_k=30,
            config=SimpleNamespace(dense_pool=3),
            centrality={"a": 0.9, "ev": 0.1, "b": 0.5},
        )


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
    chosen, grid = fit_fusion({"corpus": quality_best_at(10, 0.75, 0.25, 0.5)})
    assert chosen == {
        "rrf_k": 10,
        "dense_weight": 1.0,
        "lexical_weight": 0.75,
        "centrality_weight": 0.25,
        "unit_weight": 0.5,
    }
    best = next(
        r
        for r in grid
        if (r["rrf_k"], r["lexical_weight"], r["centrality_weight"], r["unit_weight"])
        == (10, 0.75, 0.25, 0.5)
    )
    assert best["corpus"] == {"recall@5": 1.0, "mrr": 1.0}
    assert min(r["mrr"] for r in grid) < 1.0


def test_the_choice_is_averaged_over_every_index():
    indexes = {"corpus": quality_best_at(10, 0.75), "distractors-1": quality_best_at(20, 1.0)}
    chosen, grid = fit_fusion(indexes)
    # each index's best scores 1 there and 1/3 in the other: a tie, both means equal
    assert (chosen["rrf_k"], chosen["lexical_weight"]) in {(10, 0.75), (20, 1.0)}
    assert max(r["mrr"] for r in grid) == round((1 + 1 / 3) / 2, 4)


def test_each_question_is_retrieved_once_and_fused_per_grid_point():
    kb = RankedKB(dense=["a", "ev"], lexical=["b", "ev"])
    quality = fusion_quality(kb, QUESTIONS)
    # equal weights: the evidence, second on both sides, outranks each side's first
    assert quality(10, 1.0, 0.0, 0.0) == (1.0, 1.0)
    # BM25 weighted 3 at k=1: its first (b) scores 3/2, the evidence (1 + 3)/3
    assert quality(1, 3.0, 0.0, 0.0) == (1.0, 0.5)
    # ... and the nearest-sentence ranking (b, ev, a) weighted 3 too puts b further ahead
    assert quality(1, 1.0, 0.0, 3.0) == (1.0, 0.5)
    assert quality(1, 1.0, 0.0, 0.0) == (1.0, 1.0)
    # BM25 weighted 1/4 at k=1: the dense first (a) leads, the evidence is second; but a
    # lies central, and less half its centrality the evidence leads the dense side and all
    assert quality(1, 0.25, 0.0, 0.0) == (1.0, 0.5)
    assert quality(1, 0.25, 0.5, 0.0) == (1.0, 1.0)
    # once, read as search reads it: the plan's BM25 words and expansions
    assert kb.calls == [
        ("bm25", "Var står beviset?", None, "utökat", "var står beviset?"),
        ("dense", "vector of Var står beviset?", None),
        ("units", "vector of Var står beviset?", None, None),
    ]


def test_a_question_is_retrieved_as_search_reads_it():
    kb = RankedKB(dense=["a", "ev"], lexical=["b", "ev"])
    fusion_quality(kb, [("Hej! Vad gör Falun?", ["beviset star har"])])
    municipality = {"municipality": "Falun"}
    assert kb.calls == [
        ("bm25", "Vad gör Falun?", municipality, "utökat", "hej! vad gör falun?"),
        ("dense", "vector of Vad gör Falun?", municipality),
        ("units", "vector of Vad gör Falun?", municipality, None),
    ]


def test_a_passage_only_the_nearest_units_find_joins_the_third_ranking():
    kb = RankedKB(dense=["a", "ev"], lexical=["b", "ev"], unit_side=["u"])
    quality = fusion_quality(kb, QUESTIONS)
    # without the third ranking, the unit side's passage plays no part
    assert quality(10, 1.0, 0.0, 0.0) == (1.0, 1.0)
    # with it, its nearest sentence ranks it first there (u, b, ev, a) and it leads the
    # fused ranking once that ranking weighs most: the evidence falls to third
    assert quality(1, 1.0, 0.0, 3.0) == (1.0, 1 / 3)


def test_each_question_is_compared_through_its_own_adapter_and_the_fitted_one_is_restored():
    fitted = object()
    kb = RankedKB(dense=["a", "ev"], lexical=["b", "ev"], units=Units(fitted))
    questions = [("Var står beviset?", ["beviset star har"]), ("Och här?", ["beviset"])]
    fusion_quality(kb, questions, adapters=["fold 0", "fold 1"])
    used = [call[3] for call in kb.calls if call[0] == "units"]
    assert used == ["fold 0", "fold 1"]
    assert kb.units.adapter is fitted


def test_the_written_fit_is_what_retrieval_reads(tmp_path):
    questions = tmp_path / "q.jsonl"
    questions.write_text('{"question": "x"}\n', encoding="utf-8")
    out = tmp_path / "fusion.json"
    chosen = {
        "rrf_k": 10,
        "dense_weight": 1.0,
        "lexical_weight": 0.75,
        "centrality_weight": 0.1,
        "unit_weight": 1.0,
    }
    write_fusion(chosen, [], [questions], {"corpus": "data"}, out)
    assert _fitted_fusion(out) == chosen
    assert RetrievalConfig(**_fitted_fusion(out)).lexical_weight == 0.75
    assert RetrievalConfig(**_fitted_fusion(out)).centrality_weight == 0.1
    assert RetrievalConfig(**_fitted_fusion(out)).unit_weight == 1.0
    assert json.loads(out.read_text())["fitted_by"].startswith("falun-kb fit-retrieval")
    assert _fitted_fusion(tmp_path / "missing.json") == {}


def test_recall_counts_as_much_as_mrr_in_the_choice():
    sharp = (3, 1.0, 0.0, 0.0)  # the evidence first when found, but often not in the top 5
    broad = (20, 1.0, 0.0, 0.0)  # nearly always in the top 5, a little lower

    def quality(*point):
        return {sharp: (0.6, 0.9), broad: (1.0, 0.8)}.get(point, (0.5, 0.5))

    chosen, _ = fit_fusion({"corpus": quality})
    assert chosen["rrf_k"] == 20
