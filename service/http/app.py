"""Builds the FastAPI app: the JSON API, friendly validation errors, and the chat UI at /."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.routing import Route

from index.store import StoreUnavailable
from service.http.admin import router as admin_router
from service.http.admin_feedback import router as feedback_router
from service.http.admin_page import AdminPageGuard
from service.http.admin_page import router as admin_page_router
from service.http.mcp_http import MCP_METHODS, MCP_PATH, McpHttp
from service.http.openai_compat import PREFIX as OPENAI_PREFIX
from service.http.openai_compat import router as openai_router
from service.http.openai_models import OpenAIError, error_response
from service.http.ratelimit import RateLimitMiddleware, TokenBuckets
from service.http.routes import router
from service.kb import KnowledgeBaseService, UnknownFilterValue
from service.settings import Settings

STORE_DOWN = (
    "Dokumentlagret svarar inte just nu; försök igen om en stund. / "
    "The document store is unreachable right now; please try again shortly."
)


def example_questions(path: Path) -> list[str]:
    """The chat's example questions, from a data file beside the corpus they are about
    (`examples_file`); none if there is no such file."""
    if not path.is_file():
        return []
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def _explain(errors: list[dict]) -> str:
    """One readable sentence per validation problem, e.g. 'question: får inte vara tom'."""
    parts = []
    for e in errors:
        where = ".".join(str(p) for p in e.get("loc", ()) if p != "body") or "begäran"
        message = str(e.get("msg", "ogiltigt värde")).removeprefix("Value error, ")
        parts.append(f"{where}: {message}")
    return "; ".join(parts)


def create_app(
    settings: Settings | None = None, *, kb: KnowledgeBaseService | None = None
) -> FastAPI:
    """The whole service. The knowledge base is opened once here, not per request or at import."""
    settings = settings or Settings()
    kb = kb or KnowledgeBaseService.open(settings)
    # MCP (streamable HTTP) at /mcp; its session manager runs in the app's lifespan
    mcp = McpHttp(lambda: app.state.kb, settings.http)
    app = FastAPI(
        title=f"{kb.home_municipality} – internationellt arbete",
        description="Frågor och svar med citat ur kommunens dokument om internationellt arbete.",
        version="0.1.0",
        lifespan=lambda _: mcp.running(),
    )
    app.state.kb = kb
    app.state.settings = settings

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        if _openai_path(request):  # OpenAI clients expect a 400 in their error shape
            return error_response(OpenAIError(400, _explain(list(exc.errors()))))
        return JSONResponse(
            status_code=422,
            content={"detail": _explain(list(exc.errors())), "errors": jsonable(exc.errors())},
        )

    @app.exception_handler(StoreUnavailable)
    async def _store_down(request: Request, exc: StoreUnavailable) -> JSONResponse:
        if _openai_path(request):
            down = OpenAIError(503, STORE_DOWN, type="server_error", code="store_unavailable")
            return error_response(down, headers={"Retry-After": "5"})
        return JSONResponse(
            status_code=503, content={"detail": STORE_DOWN}, headers={"Retry-After": "5"}
        )

    @app.exception_handler(UnknownFilterValue)
    async def _unknown_filter(_: Request, exc: UnknownFilterValue) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": str(exc)})

    @app.exception_handler(OpenAIError)
    async def _openai_error(_: Request, exc: OpenAIError) -> JSONResponse:
        return error_response(exc)

    app.include_router(router)
    app.include_router(admin_router)
    app.include_router(feedback_router)
    app.include_router(admin_page_router)
    app.include_router(openai_router)
    # before the UI's mount at "/", which would take every path after it
    app.router.routes.append(Route(MCP_PATH, endpoint=mcp, methods=MCP_METHODS))
    http = settings.http
    buckets = TokenBuckets(http.rate_limit_per_second, http.rate_limit_burst)
    # an upload may be as large as allowed plus its form fields; nothing else is big
    app.add_middleware(
        RateLimitMiddleware, buckets=buckets, max_body_bytes=http.max_upload_bytes + 65536
    )
    app.add_middleware(AdminPageGuard, token=http.admin_token)  # /admin: the review page
    if http.trusted_proxies:
        # added last, so it runs first: the rate limit and the audit log see the real client
        from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=list(http.trusted_proxies))
    _mount_ui(app)
    return app


def _openai_path(request: Request) -> bool:
    return request.url.path.startswith(OPENAI_PREFIX + "/")


def jsonable(errors: object) -> object:
    from fastapi.encoders import jsonable_encoder

    return jsonable_encoder(errors, custom_encoder={Exception: str})


def _mount_ui(app: FastAPI) -> None:
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no network here
    from service.http.review import FeedbackDesk
    from ui.admin_page import mount_admin  # heavy (gradio): only when an app is built
    from ui.mount import mount_ui

    def desk() -> FeedbackDesk | None:
        audit = app.state.kb.audit
        return FeedbackDesk(audit) if audit is not None else None

    mount_admin(app, desk)  # before the chat's mount at "/", which matches every path
    # the UI asks app.state for the knowledge base on every call: a reindex swaps it
    examples = example_questions(app.state.settings.examples_file)
    mount_ui(app, lambda: app.state.kb, examples)
