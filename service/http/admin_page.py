"""The admin page's lock: every path under /admin (the page and its Gradio API) needs the
admin token, as a bearer header or as the cookie that signing in at /admin-login sets;
anything else gets a 403 with the sign-in form."""

from __future__ import annotations

import hashlib
import hmac
from html import escape
from http.cookies import SimpleCookie
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

PAGE = "/admin"
LOGIN = "/admin-login"
COOKIE = "falun_kb_admin"

router = APIRouter(include_in_schema=False)


def page_cookie(token: str) -> str:
    """The cookie's value: derived from the token, so the token itself is not stored."""
    return hmac.new(token.encode(), b"falun-kb-admin-page", hashlib.sha256).hexdigest()


def signed_in(headers: dict[bytes, bytes], token: str | None) -> bool:
    """A bearer token or a page cookie for the configured admin token (none: never)."""
    if not token:
        return False
    scheme, _, given = headers.get(b"authorization", b"").decode("latin-1").partition(" ")
    if scheme.lower() == "bearer" and hmac.compare_digest(given.encode(), token.encode()):
        return True
    cookies = SimpleCookie(headers.get(b"cookie", b"").decode("latin-1"))
    morsel = cookies.get(COOKIE)
    return morsel is not None and hmac.compare_digest(morsel.value, page_cookie(token))


def login_page(message: str, status_code: int = 403) -> HTMLResponse:
    return HTMLResponse(
        "<!doctype html><html lang='sv'><head><meta charset='utf-8'>"
        "<title>Administration</title></head><body><main>"
        f"<h1>Administration</h1><p role='alert'>{escape(message)}</p>"
        f"<form method='post' action='{LOGIN}'><label>Admin-token "
        "<input type='password' name='token' autocomplete='current-password'></label> "
        "<button type='submit'>Logga in</button></form></main></body></html>",
        status_code=status_code,
    )


class AdminPageGuard:
    """403 (with the sign-in form) for /admin and below without the admin token."""

    def __init__(self, app: ASGIApp, token: str | None) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        guarded = path == PAGE or path.startswith(PAGE + "/")
        if scope["type"] in ("http", "websocket") and guarded:
            headers = dict(scope.get("headers") or [])
            if not signed_in(headers, self.token):
                if scope["type"] == "websocket":
                    await send({"type": "websocket.close", "code": 1008})
                    return
                message = (
                    "Logga in med admin-token för att granska återkopplingen."
                    if self.token
                    else "Administration är avstängd (FALUN_KB_ADMIN_TOKEN är inte satt)."
                )
                await login_page(message)(scope, receive, send)
                return
        await self.app(scope, receive, send)


@router.post(LOGIN)
def login(request: Request, token: Annotated[str, Form()] = "") -> HTMLResponse:
    """Sign in to the admin page: the right token sets the page cookie (HttpOnly, strict,
    only for /admin) and goes to the page."""
    expected = request.app.state.settings.http.admin_token
    if not expected or not hmac.compare_digest(token.encode(), expected.encode()):
        return login_page("Fel admin-token.")
    response = RedirectResponse(PAGE + "/", status_code=303)
    response.set_cookie(COOKIE, page_cookie(expected), httponly=True, samesite="strict", path=PAGE)
    return response  # type: ignore[return-value]  # a redirect is the page's response
