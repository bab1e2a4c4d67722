"""Section 6: one question's latency through each client door of one served app.

The same questions through `/api/ask` (httpx), `/v1/chat/completions` (the official
`openai` client) and the MCP tool `ask` over streamable HTTP at `/mcp` (the official `mcp`
client, one session kept open as an assistant keeps it). All three answer with `kb.ask`;
the difference is each door's own cost: its request and response shapes, the answer text
and, for MCP, JSON-RPC and the tool's structured output. The doors take turns question by
question (the order rotates), so a slow moment of the machine falls on all of them alike.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench.http_load import LoadPlan
from bench.stats import latency_summary, median_of_runs, ratio
from bench.tables import render_table

DOORS = ("/api/ask", "/v1/chat/completions", "MCP ask")
BASELINE = "/api/ask"
CLIENTS_HEADER = ["door (client)", "p50 ms", "p95 ms", "mean ms", "n/run", "p50 ×", "p95 ×"]
CLIENT_OF = {"/api/ask": "httpx", "/v1/chat/completions": "openai", "MCP ask": "mcp"}


def _timed(call: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    call()
    return time.perf_counter() - t0


async def _one_run(base: str, questions: Sequence[str], count: int) -> dict[str, list[float]]:
    """`count` questions through every door in turn; the seconds each took, by door."""
    import anyio.to_thread
    import httpx
    import openai
    from mcp import Client

    api = httpx.Client(base_url=base, timeout=60.0)
    chat = openai.OpenAI(base_url=f"{base}/v1", api_key="x", max_retries=0, timeout=60.0)

    def via_api(q: str) -> None:
        r = api.post("/api/ask", json={"question": q})
        r.raise_for_status()
        assert "citations" in r.json()

    def via_openai(q: str) -> None:
        r = chat.chat.completions.create(
            model="falun-kb", messages=[{"role": "user", "content": q}]
        )
        assert "citations" in (r.model_extra or {})

    seconds: dict[str, list[float]] = {door: [] for door in DOORS}
    try:
        async with Client(f"{base}/mcp", read_timeout_seconds=60) as mcp:
            for i in range(count):
                q = questions[i % len(questions)]
                order = DOORS[i % 3 :] + DOORS[: i % 3]
                for door in order:
                    if door == "MCP ask":
                        t0 = time.perf_counter()
                        result = await mcp.call_tool("ask", {"question": q})
                        seconds[door].append(time.perf_counter() - t0)
                        if result.is_error or not result.structured_content:
                            raise RuntimeError(f"MCP ask failed: {result.content}")
                    else:
                        call = via_api if door == "/api/ask" else via_openai
                        seconds[door].append(
                            await anyio.to_thread.run_sync(_timed, lambda c=call, q=q: c(q))
                        )
    finally:
        api.close()
        chat.close()
    return seconds


def measure_clients(base: str, questions: Sequence[str], plan: LoadPlan) -> dict[str, Any]:
    """Warm up (each question once through each door), then `plan.repeats` runs of
    `plan.max_requests_1` questions each; the median of the runs' p50/p95 per door."""
    import anyio

    anyio.run(_one_run, base, questions, len(questions))  # warm-up
    runs: dict[str, list[dict[str, float]]] = {door: [] for door in DOORS}
    for _ in range(plan.repeats):
        started = time.perf_counter()
        seconds = anyio.run(_one_run, base, questions, plan.max_requests_1)
        wall = time.perf_counter() - started
        for door in DOORS:
            runs[door].append(latency_summary(seconds[door], wall))
    result: dict[str, Any] = {door: median_of_runs(runs[door]) for door in DOORS}
    base_row = result[BASELINE]
    result["ratios"] = {
        f"{door} / {BASELINE} {key}": ratio(result[door][key], base_row[key])
        for door in DOORS
        if door != BASELINE
        for key in ("p50_ms", "p95_ms")
    }
    return result


def client_rows(result: dict[str, Any]) -> list[list[object]]:
    """One row per door, with its p50 and p95 as multiples of /api/ask's."""
    base = result[BASELINE]
    return [
        [
            f"{door} ({CLIENT_OF[door]})",
            s["p50_ms"],
            s["p95_ms"],
            s["mean_ms"],
            int(s["n"]),
            ratio(s["p50_ms"], base["p50_ms"]),
            ratio(s["p95_ms"], base["p95_ms"]),
        ]
        for door in DOORS
        for s in [result[door]]
    ]


def run_section(ctx: dict[str, Any], say: Callable[[str], None]) -> dict[str, Any]:
    """`falun-kb bench --only clients`: serve the bench index, measure, print the table."""
    from bench.datadirs import build_clean
    from bench.http_load import start_service, stop_process
    from service.evaluate import load_questions

    data_dir: Path = ctx["cache"] / "data-http"
    build_clean(data_dir, ctx["corpus"])
    questions = [q["question"] for q in load_questions(ctx["questions"])]
    proc, base = start_service(data_dir, ctx["cache"] / "serve-clients.log")
    try:
        result = measure_clients(base, questions, ctx["plan"])
    finally:
        stop_process(proc)
    plan: LoadPlan = ctx["plan"]
    notes = [
        f"one client, sequential; {plan.max_requests_1} questions a run through each door in "
        f"turn (rotating order), median of {plan.repeats} runs after a warm-up; loopback",
        "×: as a multiple of /api/ask's; MCP keeps one session open (stateless JSON, one POST "
        "a call)",
    ]
    title = "6. One question through each client door"
    say(render_table(title, CLIENTS_HEADER, client_rows(result), notes))
    return result
