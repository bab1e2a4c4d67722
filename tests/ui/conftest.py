"""App factory and a live server for the UI tests; swap `ui_kb` to test the real service."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI

from service.facade import KnowledgeBase
from tests.ui.fakes import FakeKnowledgeBase
from ui.mount import mount_ui

EXAMPLES = [
    "Vad ska Falu kommun göra internationellt?",
    "Hur många bor på månen?",
]


@pytest.fixture(scope="module")
def ui_kb() -> KnowledgeBase:
    """The KnowledgeBase behind the UI; override this fixture to use the real service."""
    return FakeKnowledgeBase(draft_delay=0.15)


@pytest.fixture(scope="module")
def ui_app() -> Callable[[KnowledgeBase], FastAPI]:
    """Factory: a FastAPI app with the document pages and the chat page at "/"."""

    def make(kb: KnowledgeBase, examples: list[str] = EXAMPLES) -> FastAPI:
        return mount_ui(FastAPI(), lambda: kb, examples)

    return make


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def live_url(ui_app, ui_kb) -> Iterator[str]:
    """A real uvicorn server in a background thread; yields its base URL."""
    import uvicorn  # only the browser tests need a server

    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(ui_app(ui_kb), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium through Playwright, one per test module."""
    from ui.screenshot import launch_chromium

    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = launch_chromium(p)
        yield browser
        browser.close()
