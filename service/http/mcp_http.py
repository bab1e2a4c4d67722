"""The MCP server over streamable HTTP at `/mcp`, in the app beside the API and the UI.

Stateless, with JSON responses: every tool call is one POST, no session to keep, which
suits read-only tools and any number of server processes. The SDK's session manager must
run for requests to be served, so the app's lifespan runs it (`running`); a fresh one each
time the app starts, since a session manager runs only once and tests serve one app twice.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from starlette.responses import JSONResponse
from starlette.types import Receive, Scope, Send

from service.config import HttpConfig
from service.http.tokens import bearer_ok
from service.kb import KnowledgeBaseService
from service.mcp_server import build_server

MCP_PATH = "/mcp"
MCP_METHODS = ["GET", "POST", "DELETE"]
UNAUTHORIZED = "Fel eller saknad API-nyckel (FALUN_KB_API_TOKEN) / invalid or missing API key"


class McpHttp:
    """The ASGI endpoint at /mcp: the bearer token check (as on /v1), then the SDK's
    streamable HTTP transport."""

    def __init__(self, get_kb: Callable[[], KnowledgeBaseService], http: HttpConfig) -> None:
        self.server = build_server(get_kb)
        self.http = http

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Serve /mcp while the app runs. On a loopback host the SDK checks Host and Origin
        against DNS rebinding; on any other host the operator has chosen who may connect."""
        self.server.streamable_http_app(
            streamable_http_path=MCP_PATH,
            stateless_http=True,
            json_response=True,
            host=self.http.host,
        )
        async with self.server.session_manager.run():
            yield

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers") or [])
        authorization = headers.get(b"authorization", b"").decode("latin-1")
        if not bearer_ok(self.http.api_token, authorization):
            response = JSONResponse(
                {"detail": UNAUTHORIZED},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
            await response(scope, receive, send)
            return
        await self.server.session_manager.handle_request(scope, receive, send)
