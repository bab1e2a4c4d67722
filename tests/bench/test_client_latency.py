"""The client-door table: each door's p50/p95 as a multiple of /api/ask's."""

import math

from bench.client_latency import DOORS, client_rows


def summary(p50: float, p95: float) -> dict[str, float]:
    return {"n": 10, "p50_ms": p50, "p95_ms": p95, "mean_ms": p50, "rps": 1.0}


def test_rows_name_the_client_and_divide_by_api_ask():
    result = {
        "/api/ask": summary(50.0, 100.0),
        "/v1/chat/completions": summary(55.0, 90.0),
        "MCP ask": summary(75.0, 0.0),
    }
    rows = client_rows(result)
    assert [r[0] for r in rows] == [
        "/api/ask (httpx)",
        "/v1/chat/completions (openai)",
        "MCP ask (mcp)",
    ]
    assert len(rows) == len(DOORS)
    assert rows[0][5:] == [1.0, 1.0]
    assert rows[1][5:] == [1.1, 0.9]
    assert rows[2][5] == 1.5 and rows[2][6] == 0.0


def test_a_missing_baseline_is_nan_not_a_crash():
    result = {door: summary(math.nan, math.nan) for door in DOORS}
    assert all(math.isnan(r[5]) for r in client_rows(result))
