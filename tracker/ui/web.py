"""The app in a browser: textual-serve's server, one app process per tab, with an optional token.

textual-serve runs ``command`` for every browser tab that connects (its own process, on the same
database) and relays the terminal over a websocket; downloads (`App.deliver_binary`) and `App.open_url`
reach the browser. It has no authentication of its own: with a token, the page, the websocket and the
downloads are refused (403) without it. The token is given once in the URL (``?token=…``) and then kept
in a same-site, HTTP-only cookie, so the websocket and download requests the page makes carry it.
"""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING

from aiohttp import web
from textual_serve.server import Server

if TYPE_CHECKING:
    from aiohttp.web import Request, StreamResponse

__all__ = ["TOKEN_COOKIE", "TrackerServer"]

TOKEN_COOKIE = "tracker_serve_token"


class TrackerServer(Server):
    """textual-serve's `Server`, refusing every request without the token when one is set."""

    def __init__(self, command: str, *, host: str, port: int, token: str | None = None) -> None:
        super().__init__(command, host=host, port=port, title="tracker")
        self.token = token

    def allowed(self, request: Request) -> bool:
        """True without a token; else the request's ``token`` (query) or cookie must equal it."""
        if not self.token:
            return True
        given = request.query.get("token") or request.cookies.get(TOKEN_COOKIE) or ""
        return hmac.compare_digest(given.encode("utf-8"), self.token.encode("utf-8"))

    def refuse(self) -> web.HTTPForbidden:
        return web.HTTPForbidden(text="tracker serve: this server needs its token: open the URL it printed\n")

    async def handle_index(self, request: Request) -> StreamResponse:
        if not self.allowed(request):
            raise self.refuse()
        # the page's websocket URL names the host the browser asked for (0.0.0.0 is no address to connect to)
        self.public_url = f"{request.scheme}://{request.host}"
        response: StreamResponse = await super().handle_index(request)
        if self.token:
            response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="Strict")
        return response

    async def handle_websocket(self, request: Request) -> web.WebSocketResponse:
        if not self.allowed(request):
            raise self.refuse()
        return await super().handle_websocket(request)

    async def handle_download(self, request: Request) -> StreamResponse:
        if not self.allowed(request):
            raise self.refuse()
        return await super().handle_download(request)
