"""The optional bearer token (FALUN_KB_API_TOKEN) of the client APIs: /v1 and /mcp."""

from __future__ import annotations

import hmac


def bearer_ok(expected: str | None, authorization: str) -> bool:
    """True when no token is configured, or the Authorization header carries it."""
    if not expected:
        return True
    scheme, _, token = authorization.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        token.strip().encode(), expected.encode()
    )
