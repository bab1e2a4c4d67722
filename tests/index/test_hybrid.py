import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from index.config import RetrievalConfig
from index.hybrid import HybridRetriever, combined_vector, reciprocal_rank_fusion
from index.lexical import SwedishBM25
from index.store import open_chroma
from tests.fakes import HashEmbedding

ids = st.sampled_from([f"c{i}" for i in range(12)])
ranking = st.lists(ids, max_size=10, unique=True)
weighted = st.lists(
    st.tuples(ranking, st.floats(min_value=0.0, max_value=5.0, allow_nan=False)), max_size=5
)


@given(weighted, st.randoms(use_true_random=False), st.integers(min_value=1, max_value=100))
def test_fusion_ignores_the_order_of_the_rankings(pairs, rnd, k):
    shuffled = list(pairs)
    rnd.shuffle(shuffled)
    assert reciprocal_rank_fusion(
        [r for r, _ in pairs], [w for _, w in pairs], k
    ) == reciprocal_rank_fusion([r for r, _ in shuffled], [w for _, w in shuffled], k)


@given(
    st.lists(st.tuples(ranking, st.floats(min_value=0.01, max_value=5.0)), min_size=1, max_size=5),
    st.integers(min_value=1, max_value=100),
)
def test_item_ranked_first_everywhere_wins(pairs, k):
    rankings = [["winner", *(i for i in r if i != "winner")] for r, _ in pairs]
    fused = reciprocal_rank_fusion(rankings, [w for _, w in pairs], k)
    assert fused[0][0] == "winner"
    assert all(score < fused[0][1] for _, score in fused[1:])


def test_fusion_scores_and_validation():
    fused = dict(reciprocal_rank_fusion([["a", "b"], ["b"]], [1.0, 2.0], k=60))
    assert fused["a"] == pytest.approx(1 / 61)
    assert fused["b"] == pytest.approx(1 / 62 + 2 / 61)
    assert reciprocal_rank_fusion([], [], k=60) == []
    with pytest.raises(ValueError):
        reciprocal_rank_fusion([["a"]], [1.0, 1.0])
    with pytest.raises(ValueError):
        reciprocal_rank_fusion([["a"]], [-1.0])


@pytest.fixture
def retriever(tmp_path, corpus):
    documents, chunks = corpus
    model = HashEmbedding()
    store = open_chroma(tmp_path / "chroma")
    vectors = np.asarray(model.get_text_embedding_batch([c.text for c in chunks]))
    store.upsert(chunks, vectors, {d.doc_id: d.meta for d in documents})
    bm25 = SwedishBM25().build([c.chunk_id for c in chunks], [c.text for c in chunks])
    return HybridRetriever(
        store,
        bm25,
        {c.chunk_id: c for c in chunks},
        {d.doc_id: d.meta for d in documents},
        model,
        RetrievalConfig(dense_k=3, lexical_k=3),  # the product's fusion, fewer candidates
    )


def test_retrieve_fuses_and_always_carries_dense_similarity(retriever):
    results = retriever.retrieve("Vilka vänorter har Falun?", k=6)
    assert len({r.chunk.chunk_id for r in results}) == len(results)
    assert 3 < len(results) <= 6  # the union of 3 dense and ≤3 lexical hits
    assert all(r.dense_similarity is not None for r in results)
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)
    lexical_only = [r for r in results if r.dense_rank is None]
    assert lexical_only, "the Falköping passage is found by BM25 only"
    vanorter = [r for r in results if "vänort" in r.chunk.text]
    assert all(r.lexical_rank is not None for r in vanorter)


def test_dense_similarity_of_lexical_only_hits_is_the_true_cosine(retriever):
    model = retriever.embed_model
    q = np.asarray(model.get_query_embedding("vänorter"))
    for r in retriever.lexical("vänorter", k=5):
        p = np.asarray(model.get_text_embedding(r.chunk.text))
        assert r.dense_similarity == pytest.approx(float(p @ q), abs=1e-4)
        assert r.lexical_rank is not None
        assert r.dense_rank is None


def test_filters_apply_to_both_sides(retriever):
    results = retriever.retrieve("vänorter", k=10, filters={"municipality": "Falköpings kommun"})
    assert {r.chunk.doc_id for r in results} == {"falkoping-policy"}
    plan = retriever.retrieve("budget", k=10, filters={"year": 2023, "doc_type": "verksamhetsplan"})
    assert {r.chunk.doc_id for r in plan} == {"falun-plan-2023"}
    assert retriever.allowed_ids({"year": None}) == {
        cid for cid, c in retriever.chunks.items() if c.doc_id != "falun-plan-2023"
    }
    with pytest.raises(ValueError):
        retriever.retrieve("x", filters={"colour": "blå"})


def test_lexical_extra_only_feeds_bm25(retriever):
    plain = retriever.lexical("Vad gäller för kommunen?", k=5)
    extra = retriever.retrieve("Vad gäller för kommunen?", k=10, lexical_extra="budget")
    budget = next(c for c in retriever.chunks.values() if "Budgeten" in c.text)
    assert budget.chunk_id not in {r.chunk.chunk_id for r in plain}
    hit = next(r for r in extra if r.chunk.chunk_id == budget.chunk_id)
    assert hit.lexical_rank == 1


def test_single_mode_methods(retriever):
    dense = retriever.dense("vänorter Gjøvik Rauma", k=2)
    assert len(dense) == 2
    assert dense[0].dense_rank == 1
    assert dense[0].score == dense[0].dense_similarity
    assert all(r.lexical_rank is None for r in dense)
    lexical = retriever.lexical("vänorter", k=10)
    assert [r.lexical_rank for r in lexical] == list(range(1, len(lexical) + 1))


def test_a_filter_leaving_few_chunks_ranks_as_chromas_filtered_search(retriever, corpus):
    from index.filters import build_where

    documents, chunks = corpus
    filters = [
        {"municipality": documents[0].meta.municipality},
        {"doc_id": [documents[-1].doc_id]},
        {"doc_id": [d.doc_id for d in documents]},
        {"year": 1901},  # nothing passes
    ]
    for query in ("vänorter", "budget för EU-projekt", "Falköping"):
        qvec = retriever.query_vector(query)
        for f in filters:
            exact = retriever._dense(qvec, 3, f)  # ranked here (few chunks pass)
            chroma = retriever.store.query(qvec, 3, build_where(f))
            assert [cid for cid, _ in exact] == [cid for cid, _ in chroma]
            assert [s for _, s in exact] == pytest.approx([s for _, s in chroma], abs=1e-5)
    assert retriever.allowed_ids({"year": 1901}) == set()
    passing = retriever.allowed_ids({"doc_id": [documents[-1].doc_id]})
    assert passing == {c.chunk_id for c in chunks if c.doc_id == documents[-1].doc_id}


def test_a_second_rendering_of_the_query_is_added_to_its_vector():
    vectors = {"q": np.array([1.0, 0.0]), "gloss": np.array([0.0, 1.0])}
    both = combined_vector(vectors.__getitem__, "q", "gloss")
    assert np.allclose(both, np.array([1.0, 1.0]) / np.sqrt(2))
    assert combined_vector(vectors.__getitem__, "q") is vectors["q"]
    assert combined_vector(vectors.__getitem__, "q", "q") is vectors["q"]


def test_dense_also_moves_the_dense_side_only(retriever):
    dense, lexical = retriever.rankings("vänort", dense_also="budget kronor")
    plain_dense, plain_lexical = retriever.rankings("vänort")
    assert lexical == plain_lexical
    assert dense != plain_dense


def _with_units(retriever, vectors_of):
    """The same retriever with a unit vector for every unit of its chunks, and the config's
    third ranking fused in."""
    from index.units import UnitVectors, unit_texts

    texts = unit_texts(retriever.chunks.values())
    units = UnitVectors(texts, np.stack([vectors_of(t) for t in texts]))
    config = RetrievalConfig(dense_k=3, lexical_k=3, unit_weight=1.0)
    return HybridRetriever(
        retriever.store,
        retriever.bm25,
        retriever.chunks,
        retriever.doc_meta,
        retriever.embed_model,
        config,
        units=units,
    )


def test_a_passage_neither_side_finds_is_a_candidate_through_its_nearest_sentence(retriever):
    from index.units import units_of

    query = "Vilka vänorter har Falun?"
    dense, lexical = retriever.rankings(query)
    found = {cid for cid, _ in dense} | {cid for cid, _ in lexical}
    plain = {r.chunk.chunk_id for r in retriever.retrieve(query, k=10)}
    lost = next(c for cid, c in retriever.chunks.items() if cid not in found | plain)
    target = units_of(lost.text)[0]
    qvec = np.asarray(retriever.dense_query_vector(query), dtype=np.float64)
    rng = np.random.default_rng(0)
    dim = len(qvec)

    def vector_of(text):  # the lost passage's first sentence points where the question does
        return qvec.copy() if text == target else rng.standard_normal(dim) * 0.01

    with_units = _with_units(retriever, vector_of)
    assert with_units.nearest_unit_chunks(qvec)[0] == lost.chunk_id
    assert lost.chunk_id in {r.chunk.chunk_id for r in with_units.retrieve(query, k=10)}
    # ... and a filter that excludes its document excludes it there too
    other = next(m.municipality for m in retriever.doc_meta.values()
                 if m.municipality != retriever.doc_meta[lost.doc_id].municipality)  # fmt: skip
    where = {"municipality": other}
    assert lost.chunk_id not in with_units.nearest_unit_chunks(qvec, where)
    assert lost.chunk_id not in {r.chunk.chunk_id for r in with_units.retrieve(query, 10, where)}
