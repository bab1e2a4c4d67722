"""Per-client rate limit for the open question endpoints, and an early size guard for uploads."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

LIMITED_PREFIXES = (
    "/api/search",
    "/api/ask",
    "/api/wording",
    "/api/compare",
    "/v1/chat/completions",
    "/mcp",
)
TOO_MANY = "För många frågor på kort tid; vänta lite. / Too many requests."


@dataclass
class TokenBuckets:
    """`rate` requests per second per client, with bursts up to `burst`; pure and clocked."""

    rate: float
    burst: float
    clock: Callable[[], float] = time.monotonic
    buckets: dict[str, tuple[float, float]] = field(default_factory=dict)  # key -> (tokens, t)
    max_clients: int = 10_000

    def take(self, key: str) -> float:
        """0 when the request may pass, else the seconds until it may."""
        now = self.clock()
        tokens, then = self.buckets.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - then) * self.rate)
        if tokens >= 1:
            self.buckets[key] = (tokens - 1, now)
            self._forget_idle(now)
            return 0.0
        self.buckets[key] = (tokens, now)
        return (1 - tokens) / self.rate

    def _forget_idle(self, now: float) -> None:
        # memory stays bounded: clients whose bucket has refilled need no entry
        if len(self.buckets) > self.max_clients:
            full = self.burst / self.rate
            self.buckets = {k: v for k, v in self.buckets.items() if now - v[1] < full}


class RateLimitMiddleware:
    """429 with Retry-After when one client asks too fast; the address is only held in memory."""

    def __init__(self, app: ASGIApp, buckets: TokenBuckets, max_body_bytes: int) -> None:
        self.app = app
        self.buckets = buckets
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length", b"0")
        if length.isdigit() and int(length) > self.max_body_bytes:
            response = JSONResponse(
                {"detail": f"Begäran är större än {self.max_body_bytes} byte / request too large"},
                status_code=413,
            )
            await response(scope, receive, send)
            return
        if path.startswith(LIMITED_PREFIXES):
            client = (scope.get("client") or ("unknown", 0))[0]
            wait = self.buckets.take(client)
            if wait > 0:
                response = JSONResponse(
                    _too_many(path),
                    status_code=429,
                    headers={"Retry-After": str(max(1, round(wait)))},
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _too_many(path: str) -> dict:
    """The 429 body; in OpenAI's error shape on its compatible API (/v1/...)."""
    if path.startswith("/v1/"):
        return {
            "error": {
                "message": TOO_MANY,
                "type": "requests",
                "param": None,
                "code": "rate_limit_exceeded",
            }
        }
    return {"detail": TOO_MANY}
