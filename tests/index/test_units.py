"""Unit vectors: saved in the generation, mapped (not read) on load, the same cosines."""

import numpy as np
import pytest

from index.units import UnitVectors


def _units(n: int, seed: int = 0) -> UnitVectors:
    rng = np.random.default_rng(seed)
    return UnitVectors([f"Mening {i}." for i in range(n)], rng.standard_normal((n, 8)))


@pytest.mark.parametrize("n", [1, 3, 70_000])
def test_loaded_vectors_are_mapped_and_give_the_saved_cosines(tmp_path, n):
    units = _units(n)
    units.save(tmp_path / "u.npz")
    loaded = UnitVectors.load(tmp_path / "u.npz")
    assert isinstance(loaded.vectors, np.memmap)  # rows read as answering asks for them
    assert loaded.keys == units.keys and len(loaded) == n
    with np.load(tmp_path / "u.npz") as data:  # what np.load reads whole
        assert np.array_equal(np.asarray(loaded.vectors), data["vectors"])
    q = np.random.default_rng(1).standard_normal(8)
    fresh, mapped = units.cosines_to(q), loaded.cosines_to(q)
    for i in (0, n // 2, n - 1):
        assert mapped(f"Mening {i}.") == pytest.approx(fresh(f"Mening {i}."), abs=1e-6)
    assert mapped("ingen sådan mening") is None


def test_no_units_and_a_compressed_file_still_load(tmp_path):
    empty = UnitVectors([], np.zeros((0, 8), dtype=np.float32))
    empty.save(tmp_path / "e.npz")
    assert len(UnitVectors.load(tmp_path / "e.npz")) == 0
    units = _units(5)
    np.savez_compressed(tmp_path / "c.npz", keys=np.array(units.keys), vectors=units.vectors)
    loaded = UnitVectors.load(tmp_path / "c.npz")
    assert np.allclose(loaded.vectors, units.vectors) and loaded.keys == units.keys


def test_a_chunk_is_as_near_as_its_nearest_sentence():
    texts = ["Rådet möts varje månad.", "Budgeten är 180 000 kr.", "Vänorterna är fyra."]
    vectors = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.6, 0.8, 0.0]])
    units = UnitVectors(texts, vectors)
    chunks = {
        "long": "Rådet möts varje månad. Budgeten är 180 000 kr.",
        "short": "Vänorterna är fyra.",
        "unembedded": "En mening utan vektor.",
    }
    best = units.best_unit_cosines(np.array([0.0, 1.0, 0.0]), chunks)
    assert best["long"] == pytest.approx(1.0)  # its second sentence, not the mean of both
    assert best["short"] == pytest.approx(0.8)
    assert best["unembedded"] == 0.0


def test_a_unit_near_the_mean_of_all_is_central_and_the_centre_survives_a_reload(tmp_path):
    texts = ["Generisk mening.", "Om budget.", "Om vänorter.", "Om rådet."]
    vectors = np.array([[1.0, 1.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    units = UnitVectors(texts, vectors)
    central = {t: units.centrality(t) for t in texts}
    assert central["Generisk mening."] == pytest.approx(1.0)
    assert all(central[t] < 0.9 for t in texts[1:])
    assert units.centrality("okänd") is None
    units.save(tmp_path / "u.npz")
    loaded = UnitVectors.load(tmp_path / "u.npz")
    assert loaded.centrality("Om budget.") == pytest.approx(central["Om budget."], abs=1e-6)
    # a file saved before the centre was stored counts it on load
    np.savez(tmp_path / "old.npz", keys=np.array(units.keys), vectors=units.vectors)
    old = UnitVectors.load(tmp_path / "old.npz")
    assert old.centrality("Om rådet.") == pytest.approx(central["Om rådet."], abs=1e-6)


def test_the_nearest_rows_are_ranked_as_cosines_to_the_adapted_query():
    units = _units(50, seed=3)
    q = np.random.default_rng(4).standard_normal(8)
    cosine = units.cosines_to(q)
    by_cosine = sorted(range(50), key=lambda i: -cosine(f"Mening {i}."))
    assert units.nearest_rows(q, 5) == by_cosine[:5]
    assert units.nearest_rows(q, 500) == by_cosine  # at most every unit
    swap = np.eye(8)[::-1]  # an adapter reversing the axes moves the query, and the order
    units.adapt(lambda v: swap @ v)
    adapted = units.cosines_to(q)
    assert units.nearest_rows(q, 5) == sorted(range(50), key=lambda i: -adapted(f"Mening {i}."))[:5]
    assert units.nearest_rows(q, 5) != by_cosine[:5]
    assert UnitVectors([], np.zeros((0, 8))).nearest_rows(q, 3) == []
