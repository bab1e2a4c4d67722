"""The scaled bench index's drawn vectors: like the real ones in distribution, never in place
of a real one the corpus has."""

import numpy as np

from bench.scale_index import DrawnDistractorVectors, VectorSampler, served_rows
from tests.fakes import HashEmbedding


def _cone(n: int, dim: int = 32, seed: int = 0) -> np.ndarray:
    """Vectors in a narrow cone, as multilingual-e5 puts every passage."""
    rng = np.random.default_rng(seed)
    out = np.ones(dim) * 3 + rng.standard_normal((n, dim))
    return out / np.linalg.norm(out, axis=1, keepdims=True)


def test_drawn_vectors_are_unit_deterministic_and_as_close_as_real_ones():
    real = _cone(400)
    sampler = VectorSampler(real)
    texts = [f"text {i}" for i in range(300)]
    drawn = sampler.sample(texts)
    assert drawn.shape == (300, 32) and drawn.dtype == np.float32
    assert np.allclose(np.linalg.norm(drawn, axis=1), 1, atol=1e-5)
    assert np.array_equal(drawn, sampler.sample(texts))
    query = _cone(1, seed=9)[0]
    real_cos, drawn_cos = real @ query, drawn @ query
    assert abs(real_cos.mean() - drawn_cos.mean()) < 0.02
    assert abs(real_cos.std() - drawn_cos.std()) < 0.02
    isotropic = np.random.default_rng(3).standard_normal((300, 32))
    isotropic /= np.linalg.norm(isotropic, axis=1, keepdims=True)
    assert abs((isotropic @ query).mean() - real_cos.mean()) > 0.5  # what random would miss


def test_only_distractor_texts_are_drawn_under_the_real_model_name():
    real = HashEmbedding(dim=32)
    embedder = DrawnDistractorVectors(real, {"brus ett", "brus två"}, VectorSampler(_cone(100)))
    assert embedder.model_name == real.model_name  # the service opens it with the real one
    texts = ["Falun har en vänort.", "brus ett", "Budget 2023.", "brus två"]
    out = embedder.embed_passages(texts)
    assert np.allclose(out[[0, 2]], real.embed_passages([texts[0], texts[2]]), atol=1e-6)
    assert not np.allclose(out[1], real.embed_passages(["brus ett"])[0], atol=1e-2)
    assert np.allclose(embedder.embed_query("vänort"), real.embed_query("vänort"))


def test_served_rows_name_the_targets_and_show_missing_figures_as_nan():
    rows = served_rows([{"chunks": 10, "ask": {"p95_ms": 120.0}, "http": {}}])
    by_name = {r[0]: r for r in rows}
    assert by_name["ask p95 ms (in-process)"][1:] == ["≤ 300", 120.0]
    assert by_name["chunks"][2] == 10
    assert np.isnan(by_name["server peak RSS MB"][2])
