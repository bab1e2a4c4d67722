import numpy as np

from index.cache import EmbeddingCache, embed_passages_cached
from tests.fakes import HashEmbedding


def test_cache_hit_does_not_re_embed(tmp_path, counting_embedder):
    texts = ["Falu vänorter", "EU-fonder", "Mål 7", "Budget 2023", "Rådet"]
    with EmbeddingCache(tmp_path / "emb.sqlite") as cache:
        first = embed_passages_cached(counting_embedder, texts, cache)
    assert counting_embedder.embedded == texts

    counting_embedder.embedded.clear()
    with EmbeddingCache(tmp_path / "emb.sqlite") as cache:  # survives reopening
        again = embed_passages_cached(counting_embedder, [*texts, "Ny text"], cache)
    assert counting_embedder.embedded == ["Ny text"]
    np.testing.assert_array_equal(again[:5], first)
    assert again.dtype == np.float32


def test_rows_align_with_input_and_duplicates_embed_once(tmp_path, counting_embedder):
    texts = ["a b", "c", "a b", "d"]
    with EmbeddingCache(tmp_path / "emb.sqlite") as cache:
        vectors = embed_passages_cached(counting_embedder, texts, cache)
    assert counting_embedder.embedded == ["a b", "c", "d"]
    reference = HashEmbedding(dim=32)
    for text, row in zip(texts, vectors, strict=True):
        np.testing.assert_allclose(row, reference.get_text_embedding(text), rtol=1e-6)


def test_cache_is_keyed_by_model_name(tmp_path, counting_embedder):
    with EmbeddingCache(tmp_path / "emb.sqlite") as cache:
        embed_passages_cached(HashEmbedding(dim=8), ["samma text"], cache)
        embed_passages_cached(counting_embedder, ["samma text"], cache)
        assert len(cache) == 2
    assert counting_embedder.embedded == ["samma text"]


def test_progress_reports_batches_of_misses(tmp_path, counting_embedder):
    calls = []
    with EmbeddingCache(tmp_path / "emb.sqlite") as cache:
        embed_passages_cached(
            counting_embedder, ["a", "b", "c"], cache, progress=lambda d, t: calls.append((d, t))
        )
    assert calls == [(0, 3), (2, 3), (3, 3)]  # batch size 2


def test_empty_input(tmp_path, counting_embedder):
    with EmbeddingCache(tmp_path / "emb.sqlite") as cache:
        assert embed_passages_cached(counting_embedder, [], cache).shape[0] == 0
