import math

import pytest

from bench.stats import latency_summary, median_of_runs, percentile, ratio


def test_percentile_interpolates_between_ranks():
    values = [1.0, 2.0, 3.0, 4.0]
    assert percentile(values, 0) == 1.0
    assert percentile(values, 100) == 4.0
    assert percentile(values, 50) == pytest.approx(2.5)
    assert percentile(values, 95) == pytest.approx(3.85)


def test_percentile_ignores_input_order_and_handles_edge_cases():
    assert percentile([5.0, 1.0, 3.0], 50) == 3.0
    assert percentile([7.0], 99) == 7.0
    assert math.isnan(percentile([], 50))
    with pytest.raises(ValueError):
        percentile([1.0], 101)


def test_latency_summary_in_ms_and_rps():
    s = latency_summary([0.010, 0.020, 0.030, 0.040], wall_seconds=2.0)
    assert s["n"] == 4
    assert s["p50_ms"] == pytest.approx(25.0)
    assert s["mean_ms"] == pytest.approx(25.0)
    assert s["rps"] == pytest.approx(2.0)


def test_median_of_runs_is_key_by_key():
    runs = [{"p50": 1.0, "rps": 30.0}, {"p50": 3.0, "rps": 10.0}, {"p50": 2.0, "rps": 20.0}]
    assert median_of_runs(runs) == {"p50": 2.0, "rps": 20.0}
    assert median_of_runs([]) == {}


def test_ratio_is_nan_when_undefined():
    assert ratio(1.0, 2.0) == 0.5
    assert math.isnan(ratio(1.0, 0.0))
    assert math.isnan(ratio(float("nan"), 1.0))
