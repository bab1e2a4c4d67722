"""Server-mode store: the service against a real `chroma run` process, down and up again."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.served import free_port

pytestmark = [pytest.mark.slow, pytest.mark.server]

CHROMA = Path(sys.executable).with_name("chroma")


class ChromaServer:
    """A `chroma run` process on loopback that a test can stop and start again."""

    def __init__(self, path: Path, port: int):
        self.path, self.port = path, port
        self.url = f"http://127.0.0.1:{port}"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                str(CHROMA),
                "run",
                "--path",
                str(self.path),
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)
        raise RuntimeError("chroma run did not start")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=30)


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    if not CHROMA.exists():
        pytest.skip("the chroma CLI is not installed")
    server = ChromaServer(tmp_path_factory.mktemp("chroma-server"), free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def server_client(chroma_server, tmp_path_factory):
    from service.http.app import create_app
    from service.kb import KnowledgeBaseService
    from service.pipeline import run_ingest
    from service.settings import Settings
    from tests.conftest import CORPUS

    settings = Settings(
        data_dir=tmp_path_factory.mktemp("data"), corpus_dir=CORPUS, chroma_url=chroma_server.url
    )
    run_ingest(settings)
    kb = KnowledgeBaseService.open(settings)
    return TestClient(create_app(settings, kb=kb))


def test_service_answers_from_the_chroma_server(server_client):
    health = server_client.get("/healthz").json()
    assert health["store"] == "chroma-server" and health["store_reachable"]
    body = server_client.post(
        "/api/ask", json={"question": "Vilken vänort har Falun i Finland?"}
    ).json()
    assert body["answerable"] and any("Hamina" in c["quote"] for c in body["citations"])


def test_store_down_gives_503_and_the_service_recovers_when_it_returns(
    server_client, chroma_server
):
    question = {"question": "Vem är internationell koordinator?"}
    chroma_server.stop()
    down = server_client.post("/api/ask", json=question)
    assert down.status_code == 503
    assert "försök igen" in down.json()["detail"] and "unreachable" in down.json()["detail"]
    health = server_client.get("/healthz")
    assert health.status_code == 503 and health.json()["status"] == "degraded"

    chroma_server.start()  # same data, same port: no restart of our service
    up = server_client.post("/api/ask", json=question)
    assert up.status_code == 200 and up.json()["answerable"]
    assert server_client.get("/healthz").json()["status"] == "ok"


def test_no_embedded_store_is_written_in_server_mode(server_client, tmp_path_factory):
    data_dirs = list(tmp_path_factory.getbasetemp().glob("data*"))
    assert data_dirs
    for data in data_dirs:
        assert not list(data.glob("generations/*/chroma")), "server mode must not write chroma/"
