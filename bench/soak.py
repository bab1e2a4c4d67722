"""Load run on loopback: many concurrent clients against a real `falun-kb serve`, bounded in
time, counting errors and watching the server's memory settle (issue: hardening).

    python -m bench.soak --clients 32 --seconds 60
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.common import RESULTS_DIR
from bench.http_load import start_service, stop_process
from bench.stats import percentile

QUESTIONS = [
    ("/api/ask", {"question": "Vilken vänort har Falun i Finland?"}),
    ("/api/ask", {"question": "Hur stor är budgeten?"}),
    ("/api/ask", {"question": "Vad är Faluns skattesats?"}),
    ("/api/search", {"query": "Erasmus+ elevutbyte", "k": 10}),
    (
        "/api/wording",
        {"text": "Extra stor vikt skall läggas på näringslivs- och utbildningsfrågor"},
    ),
    ("/api/ask", {"question": "Who is the international coordinator?"}),
]


@dataclass
class RoundResult:
    clients: int
    seconds: float
    requests: int
    errors: int
    statuses: dict[str, int]
    requests_per_s: float
    p50_ms: float
    p95_ms: float
    rss_after_mb: float


async def _client(
    base: str, stop_at: float, offset: int, latencies: list, statuses: Counter
) -> None:
    import httpx

    async with httpx.AsyncClient(base_url=base, timeout=30.0) as http:
        i = offset
        while time.monotonic() < stop_at:
            path, body = QUESTIONS[i % len(QUESTIONS)]
            i += 1
            started = time.perf_counter()
            try:
                response = await http.post(path, json=body)
                statuses[str(response.status_code)] += 1
            except httpx.HTTPError as exc:
                statuses[type(exc).__name__] += 1
            latencies.append(time.perf_counter() - started)


async def _round(base: str, clients: int, seconds: float) -> tuple[list[float], Counter, float]:
    latencies: list[float] = []
    statuses: Counter = Counter()
    started = time.monotonic()
    stop_at = started + seconds
    await asyncio.gather(*(_client(base, stop_at, n, latencies, statuses) for n in range(clients)))
    return latencies, statuses, time.monotonic() - started


def rss_mb(pid: int) -> float:
    import psutil

    return psutil.Process(pid).memory_info().rss / 2**20


def run_round(base: str, pid: int, clients: int, seconds: float, settle: float) -> RoundResult:
    latencies, statuses, wall = asyncio.run(_round(base, clients, seconds))
    time.sleep(settle)  # let in-flight work and allocator caches settle before reading RSS
    errors = sum(n for status, n in statuses.items() if status != "200")
    return RoundResult(
        clients=clients,
        seconds=round(wall, 2),
        requests=len(latencies),
        errors=errors,
        statuses=dict(statuses),
        requests_per_s=round(len(latencies) / wall, 2),
        p50_ms=round(1000 * percentile(latencies, 50), 1),
        p95_ms=round(1000 * percentile(latencies, 95), 1),
        rss_after_mb=round(rss_mb(pid), 1),
    )


def soak(data_dir: Path, clients: int, seconds: float, settle: float = 3.0) -> dict:
    """Warm up, then two equal rounds: a leak shows as RSS still growing in the second one."""
    proc, base = start_service(data_dir, data_dir / "soak-serve.log")
    try:
        warm = run_round(base, proc.pid, 2, min(5.0, seconds), settle)
        first = run_round(base, proc.pid, clients, seconds, settle)
        second = run_round(base, proc.pid, clients, seconds, settle)
    finally:
        stop_process(proc)
    growth = (second.rss_after_mb - first.rss_after_mb) / first.rss_after_mb
    return {
        "warmup": asdict(warm),
        "rounds": [asdict(first), asdict(second)],
        "errors": first.errors + second.errors,
        "rss_growth_between_rounds": round(growth, 4),
    }


def render(result: dict) -> str:
    rows = [f"{'round':6} {'clients':>7} {'s':>6} {'req':>6} {'req/s':>7} {'p50 ms':>7} "
            f"{'p95 ms':>7} {'errors':>6} {'RSS MB':>7}"]  # fmt: skip
    for name, r in [("warmup", result["warmup"]), *(("load", r) for r in result["rounds"])]:
        rows.append(
            f"{name:6} {r['clients']:>7} {r['seconds']:>6} {r['requests']:>6} "
            f"{r['requests_per_s']:>7} {r['p50_ms']:>7} {r['p95_ms']:>7} {r['errors']:>6} "
            f"{r['rss_after_mb']:>7}"
        )
    rows.append(
        f"RSS growth from load round 1 to 2: {100 * result['rss_growth_between_rounds']:.1f} %"
    )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument(
        "--data-dir", type=Path, required=True, help="a built index (falun-kb ingest)"
    )
    parser.add_argument("--out", type=Path, default=RESULTS_DIR / "soak.json")
    args = parser.parse_args(argv)
    result = soak(args.data_dir, args.clients, args.seconds)
    print(render(result))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
