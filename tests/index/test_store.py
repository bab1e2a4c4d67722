import numpy as np
import pytest

from index.filters import build_where
from index.store import chunk_metadata, open_chroma
from tests.fakes import HashEmbedding


@pytest.fixture
def store(tmp_path):
    return open_chroma(tmp_path / "chroma")


def _fill(store, corpus):
    documents, chunks = corpus
    vectors = np.asarray(HashEmbedding().get_text_embedding_batch([c.text for c in chunks]))
    store.upsert(chunks, vectors, {d.doc_id: d.meta for d in documents})
    return documents, chunks, vectors


def test_build_where():
    assert build_where(None) is None
    assert build_where({}) is None
    assert build_where({"year": 2023}) == {"year": 2023}
    assert build_where({"year": None}) == {"year": -1}
    assert build_where({"doc_type": "policy", "municipality": "Falu kommun"}) == {
        "$and": [{"municipality": "Falu kommun"}, {"doc_type": "policy"}]
    }
    assert build_where({"doc_type": ["policy", "strategi"]}) == {
        "doc_type": {"$in": ["policy", "strategi"]}
    }
    with pytest.raises(ValueError, match="unknown filter"):
        build_where({"author": "x"})


def test_chunk_metadata_has_no_none(corpus):
    documents, chunks = corpus
    meta = chunk_metadata(chunks[0], documents[0].meta)
    assert meta["year"] == -1
    assert meta["doc_id"] == "falun-strategi"
    assert meta["start_line"] == 1
    assert None not in meta.values()


def test_round_trip_query_returns_cosine_similarity(store, corpus):
    _, chunks, vectors = _fill(store, corpus)
    assert store.count() == len(chunks)
    assert store.ids() == {c.chunk_id for c in chunks}
    hits = store.query(vectors[1], k=3)
    assert hits[0][0] == chunks[1].chunk_id
    assert hits[0][1] == pytest.approx(1.0, abs=1e-4)
    assert hits[0][1] >= hits[1][1] >= hits[2][1]
    expected = float(vectors[1] @ vectors[0])
    assert dict(store.query(vectors[1], k=10))[chunks[0].chunk_id] == pytest.approx(
        expected, abs=1e-4
    )


def test_query_with_where(store, corpus):
    _, chunks, vectors = _fill(store, corpus)
    hits = store.query(vectors[0], k=10, where=build_where({"year": 2023}))
    assert {cid for cid, _ in hits} == {c.chunk_id for c in chunks if c.doc_id == "falun-plan-2023"}
    where = build_where({"municipality": "Falu kommun", "doc_type": "strategi"})
    assert {cid for cid, _ in store.query(vectors[0], k=10, where=where)} == {
        c.chunk_id for c in chunks if c.doc_id == "falun-strategi"
    }
    assert store.query(vectors[0], k=10, where=build_where({"year": 1999})) == []


def test_upsert_is_idempotent_and_delete_doc(store, corpus):
    _fill(store, corpus)
    _, chunks, _ = _fill(store, corpus)
    assert store.count() == len(chunks)
    store.delete_doc("falun-strategi")
    assert store.ids() == {c.chunk_id for c in chunks if c.doc_id != "falun-strategi"}
    store.delete_ids([])  # no-op, Chroma itself rejects an empty list


def test_embeddings_by_id_and_persistence(tmp_path, corpus):
    _, chunks, vectors = _fill(open_chroma(tmp_path / "chroma"), corpus)
    reopened = open_chroma(tmp_path / "chroma")
    got = reopened.embeddings([chunks[2].chunk_id, "missing:id"])
    assert set(got) == {chunks[2].chunk_id}
    np.testing.assert_allclose(got[chunks[2].chunk_id], vectors[2], rtol=1e-6)


def test_reset_allows_a_new_dimension(store, corpus):
    documents, chunks, _ = _fill(store, corpus)
    store.reset()
    assert store.count() == 0
    vectors = np.asarray(HashEmbedding(dim=8).get_text_embedding_batch([c.text for c in chunks]))
    store.upsert(chunks, vectors, {d.doc_id: d.meta for d in documents})
    assert store.count() == len(chunks)


def test_open_chroma_needs_a_location():
    with pytest.raises(ValueError):
        open_chroma(None, None)


FILTER_CASES = [
    {"year": 2023},
    {"year": None},
    {"municipality": "Falu kommun"},
    {"municipality": "Falköpings kommun", "doc_type": "policy"},
    {"doc_type": ["policy", "strategi"]},
    {"year": [2023, None]},
    {"municipality": "Falu kommun", "year": 1999},
]


@pytest.mark.parametrize("filters", FILTER_CASES)
def test_document_filter_means_what_the_chroma_where_means(store, corpus, filters):
    """`document_filter` (BM25 side, wording lookup) and Chroma's `where` select the same chunks."""
    from index.filters import document_filter

    documents, chunks, vectors = _fill(store, corpus)
    by_chroma = {cid for cid, _ in store.query(vectors[0], k=50, where=build_where(filters))}
    meta = {d.doc_id: d.meta for d in documents}
    passes = document_filter(filters)
    by_passes = {c.chunk_id for c in chunks if passes(meta[c.doc_id])}
    assert by_chroma == by_passes
