"""Put the chat page and the document pages on a FastAPI app, in the order that works."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.facade import KnowledgeBase
from service.models import (
    Answer,
    ComparedItem,
    DocumentDetail,
    DocumentInfo,
    Filters,
    SearchResult,
    WordingResult,
)
from ui.chat import build_ui, gr  # gr via ui.chat: it turns analytics off first
from ui.chat_assets import PAGE_CSS
from ui.document_view import document_router


class DeferredKnowledgeBase:
    """A KnowledgeBase that asks `kb_getter` on every call.

    The app builds its real KnowledgeBase in the lifespan, after Gradio has been mounted;
    this stand-in lets the UI be built first and reach the real one once it exists.
    """

    def __init__(self, kb_getter: Callable[[], KnowledgeBase]) -> None:
        self._get = kb_getter

    @property
    def home_municipality(self) -> str:
        return self._get().home_municipality

    def ask(
        self, question: str, filters: Filters | None = None, *, history: Sequence[str] = ()
    ) -> Answer:
        return self._get().ask(question, filters, history=history)

    def ask_stream(
        self, question: str, filters: Filters | None = None, *, history: Sequence[str] = ()
    ) -> Iterator[str | Answer]:
        return self._get().ask_stream(question, filters, history=history)

    def search(self, query: str, k: int = 10, filters: Filters | None = None) -> list[SearchResult]:
        return self._get().search(query, k, filters)

    def documents(self) -> list[DocumentInfo]:
        return self._get().documents()

    def document(self, doc_id: str) -> DocumentDetail:
        return self._get().document(doc_id)

    def filter_options(self) -> dict[str, list[str | int]]:
        return self._get().filter_options()

    def feedback(self, answer_id: str, helpful: bool, comment: str | None = None) -> None:
        self._get().feedback(answer_id, helpful, comment)

    def wording(self, text: str, filters: Filters | None = None) -> WordingResult:
        return self._get().wording(text, filters)

    def compare(self, doc_a: str, doc_b: str, topic: str | None = None) -> list[ComparedItem]:
        return self._get().compare(doc_a, doc_b, topic)


class SwedishPage:
    """Gradio's page template says `lang="en"`; this page is Swedish, and screen readers
    pick their voice by it. Rewrites that one attribute of the page at "/", nothing else
    (uncompressed, so the bytes can be found; same length, so Content-Length holds)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != "/":
            await self.app(scope, receive, send)
            return
        headers = [(k, v) for k, v in scope["headers"] if k.lower() != b"accept-encoding"]
        first = True

        async def send_swedish(message: Message) -> None:
            nonlocal first
            if message["type"] == "http.response.body" and first:
                first = False
                body = message.get("body", b"").replace(b'lang="en"', b'lang="sv"', 1)
                message = {**message, "body": body}
            await send(message)

        await self.app({**scope, "headers": headers}, receive, send_swedish)


def mount_ui(app: FastAPI, kb_getter: Callable[[], KnowledgeBase], examples: list[str]) -> FastAPI:
    """Add `/dokument/{doc_id}` and the page (chat, wording, compare tabs) at "/" to `app`.

    The router goes first: a mount at "/" matches every path, so anything added after it
    is never reached.
    """
    app.include_router(document_router(kb_getter))
    app.add_middleware(SwedishPage)
    blocks = build_ui(DeferredKnowledgeBase(kb_getter), examples)
    # No run history: questions to a municipality can be personal; don't keep them in
    # the browser. The footer links (API docs, "built with Gradio") are noise here.
    return gr.mount_gradio_app(
        app, blocks, path="/", footer_links=[], run_history=False, css=PAGE_CSS
    )
