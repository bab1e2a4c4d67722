import numpy as np

from index.centrality import centralities, less_central_first, load_centrality, save_centrality


def test_a_chunk_along_the_common_direction_is_the_most_central():
    vectors = np.array([[1.0, 0.0], [1.0, 0.1], [0.9, -0.1], [0.0, 1.0]])
    central = centralities(["a", "b", "c", "far"], vectors)
    assert min(central, key=central.get) == "far"
    assert all(central[c] > central["far"] + 0.3 for c in "abc")


def test_less_central_first_reorders_by_cosine_less_the_weighted_centrality():
    hits = [("hub", 0.80), ("answer", 0.78), ("other", 0.50)]
    central = {"hub": 0.95, "answer": 0.70, "other": 0.10}
    assert less_central_first(hits, central, 0.0) == hits
    assert less_central_first(hits, None, 0.5) == hits
    reranked = less_central_first(hits, central, 0.25)
    assert [cid for cid, _ in reranked] == ["answer", "hub", "other"]
    assert dict(reranked) == dict(hits)  # the cosines themselves are kept


def test_centrality_round_trips_and_an_older_generation_has_none(tmp_path):
    save_centrality({"a": 0.5, "b": 0.25}, tmp_path / "centrality.json")
    assert load_centrality(tmp_path / "centrality.json") == {"a": 0.5, "b": 0.25}
    assert load_centrality(tmp_path / "missing.json") is None
