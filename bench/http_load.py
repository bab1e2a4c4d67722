"""Sections 2 and 5: latency of /api/search and /api/ask over HTTP against a real server."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import ROOT, free_port
from bench.stats import latency_summary, median_of_runs

ENDPOINTS = ("search", "ask")


@dataclass(frozen=True)
class LoadPlan:
    """Bounds of one measured run: whichever of count or time is reached first."""

    max_requests_1: int
    max_requests_n: int
    max_seconds: float
    repeats: int
    concurrency: int = 16


QUICK = LoadPlan(max_requests_1=40, max_requests_n=96, max_seconds=5.0, repeats=2)
FULL = LoadPlan(max_requests_1=150, max_requests_n=400, max_seconds=15.0, repeats=3)


def payload(endpoint: str, question: str) -> dict[str, Any]:
    return {"query": question, "k": 10} if endpoint == "search" else {"question": question}


def start_process(
    args: Sequence[str], env: dict[str, str], log: Path, url: str, timeout: float = 300.0
) -> subprocess.Popen[bytes]:
    """Start a server process and wait until `url` answers 200 (or raise, process stopped)."""
    import httpx

    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        proc = subprocess.Popen(
            list(args), env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT
        )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{args[0]} exited with {proc.returncode}; see {log}")
        try:
            if httpx.get(url, timeout=2.0).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    stop_process(proc)
    raise RuntimeError(f"{url} did not come up within {timeout:.0f} s; see {log}")


def stop_process(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def start_service(data_dir: Path, log: Path, chroma_url: str | None = None) -> tuple[Any, str]:
    """`falun-kb serve` on a free loopback port with the bench data dir; returns (proc, base)."""
    port = free_port()
    env = {
        "FALUN_KB_DATA_DIR": str(data_dir),
        "OMP_WAIT_POLICY": "passive",
        # Every bench request comes from one loopback address: lift the per-client limiter,
        # or the run measures 429s instead of the service.
        "FALUN_KB_RATE_LIMIT_PER_SECOND": "1000000",
        "FALUN_KB_RATE_LIMIT_BURST": "1000000",
    }
    if chroma_url:
        env["FALUN_KB_CHROMA_URL"] = chroma_url
    args = [
        sys.executable,
        "-m",
        "service.cli",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    base = f"http://127.0.0.1:{port}"
    return start_process(args, env, log, f"{base}/healthz"), base


async def _run(
    base: str,
    endpoint: str,
    questions: Sequence[str],
    clients: int,
    max_requests: int,
    max_seconds: float,
) -> tuple[list[float], float, dict[str, int]]:
    import httpx

    latencies: list[float] = []
    errors: dict[str, int] = {}
    issued = 0
    start = time.perf_counter()
    deadline = start + max_seconds

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal issued, errors
        while issued < max_requests and time.perf_counter() < deadline:
            question = questions[issued % len(questions)]
            issued += 1
            t0 = time.perf_counter()
            response = await client.post(f"/api/{endpoint}", json=payload(endpoint, question))
            if response.status_code == 200:
                latencies.append(time.perf_counter() - t0)
            else:
                key = f"{response.status_code} {response.text[:160]}"
                errors[key] = errors.get(key, 0) + 1

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=60.0, limits=limits) as client:
        await asyncio.gather(*(worker(client) for _ in range(clients)))
    return latencies, time.perf_counter() - start, errors


def measure_latency(base: str, questions: Sequence[str], plan: LoadPlan) -> dict[str, Any]:
    """Warm up (every question once per endpoint), then the repeated bounded runs."""
    import httpx

    with httpx.Client(base_url=base, timeout=60.0) as client:
        for endpoint in ENDPOINTS:
            for q in questions:
                client.post(f"/api/{endpoint}", json=payload(endpoint, q)).raise_for_status()
    result: dict[str, Any] = {}
    for endpoint in ENDPOINTS:
        for clients, max_requests in (
            (1, plan.max_requests_1),
            (plan.concurrency, plan.max_requests_n),
        ):
            runs: list[dict[str, float]] = []
            errors: dict[str, int] = {}
            for _ in range(plan.repeats):
                lat, wall, errs = asyncio.run(
                    _run(base, endpoint, questions, clients, max_requests, plan.max_seconds)
                )
                runs.append(latency_summary(lat, wall))
                for key, count in errs.items():
                    errors[key] = errors.get(key, 0) + count
            result[f"{endpoint}/{clients}"] = {
                **median_of_runs(runs),
                "errors": sum(errors.values()),
                "error_samples": errors,
                "runs": len(runs),
            }
    return result


def latency_rows(results: dict[str, dict[str, Any]]) -> list[list[object]]:
    """One row per (setup, endpoint, clients)."""
    rows = []
    for setup, by_key in results.items():
        for key, s in by_key.items():
            endpoint, clients = key.split("/")
            rows.append(
                [
                    f"{setup} /api/{endpoint}",
                    int(clients),
                    s["p50_ms"],
                    s["p95_ms"],
                    s["p99_ms"],
                    s["rps"],
                    int(s["n"]),
                    int(s["errors"]),
                ]
            )
    return rows


LATENCY_HEADER = [
    "setup / endpoint",
    "clients",
    "p50 ms",
    "p95 ms",
    "p99 ms",
    "req/s",
    "n/run",
    "errors",
]


def start_chroma_server(path: Path, log: Path) -> tuple[Any, str]:
    """`chroma run` on a free loopback port; returns (proc, url)."""
    port = free_port()
    chroma = Path(sys.executable).with_name("chroma")
    args = [str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)]
    url = f"http://127.0.0.1:{port}"
    env = {"ANONYMIZED_TELEMETRY": "False"}
    return start_process(args, env, log, f"{url}/api/v2/heartbeat", timeout=60.0), url
