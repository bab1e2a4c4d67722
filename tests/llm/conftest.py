"""A real OpenAI-compatible LLM server for the `llm` tests: FALUN_KB_LLM_URL, or the one that
scripts/llm_server.sh serves once it has installed llama-cpp-python and assembled the model."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.served import free_port

ROOT = Path(__file__).resolve().parents[2]
LLM_DIR = Path(os.environ.get("FALUN_KB_LLM_DIR", ROOT / "data" / "llm"))
MODEL = LLM_DIR / "qwen2.5-0.5b-instruct.gguf"
SERVER_PYTHON = LLM_DIR / "venv" / "bin" / "python"
STARTUP_SECONDS = 180


def pytest_configure(config: pytest.Config) -> None:
    # also in pyproject's markers; registered here so this directory works under --strict-markers
    config.addinivalue_line("markers", "llm: needs a real OpenAI-compatible LLM server")


@dataclass(frozen=True)
class LlmServer:
    url: str
    model: str
    timeout: float


def _wait_until_up(url: str, proc: subprocess.Popen[bytes] | None) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the LLM server exited with {proc.returncode}")
        try:
            if httpx.get(f"{url}/models", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise TimeoutError(f"no LLM server at {url} after {STARTUP_SECONDS} s")


@pytest.fixture(scope="session")
def llm_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlmServer]:
    timeout = float(os.environ.get("FALUN_KB_LLM_TIMEOUT", "120"))
    if url := os.environ.get("FALUN_KB_LLM_URL"):
        from service.answer.llm_client import api_base

        model = os.environ.get("FALUN_KB_LLM_MODEL", "qwen2.5-0.5b-instruct")
        _wait_until_up(api_base(url), None)
        yield LlmServer(api_base(url), model, timeout)
        return
    if not (MODEL.exists() and SERVER_PYTHON.exists()):
        pytest.skip("no LLM server: set FALUN_KB_LLM_URL or run scripts/llm_server.sh once")
    port = free_port()
    log = (tmp_path_factory.mktemp("llm") / "server.log").open("wb")
    proc = subprocess.Popen(
        ["bash", str(ROOT / "scripts" / "llm_server.sh"), "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        url = f"http://127.0.0.1:{port}/v1"
        _wait_until_up(url, proc)
        yield LlmServer(url, "qwen2.5-0.5b-instruct", timeout)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
