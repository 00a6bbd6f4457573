"""The public clinic website: a landing page about the two programs, with the chat widget.

The widget (`static/site/chat.js`) talks to the Rasa server's socket.io channel straight
from the browser, so the page tells it where that channel is. The socket.io client comes
from `node_modules` (installed from package-lock.json by `make run`) and is served from
here, so a page never asks a CDN for anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from sanic import Blueprint
from sanic.exceptions import InvalidUsage, NotFound
from sanic.request import Request
from sanic.response import HTTPResponse, file

from bot.settings import ROOT, Settings
from bot.web.program_texts import program_texts
from bot.web.rendering import render

blueprint = Blueprint("site")

# Browser files served from node_modules: URL name -> path inside node_modules.
VENDOR_FILES = {
    "socket.io.min.js": "socket.io-client/dist/socket.io.min.js",
    "socket.io.min.js.map": "socket.io-client/dist/socket.io.min.js.map",
}
_WEBSOCKET_SCHEMES = {"http": "ws", "https": "wss"}


@dataclass(frozen=True)
class ChatEndpoint:
    """Where the browser reaches the Rasa server (its socket.io channel is `/socket.io/`)."""

    url: str

    @property
    def sources(self) -> tuple[str, ...]:
        """Its origin for HTTP long-polling and for WebSocket (for `connect-src`)."""
        parts = urlsplit(self.url)
        scheme = {"ws": "http", "wss": "https"}.get(parts.scheme, parts.scheme)
        websocket = _WEBSOCKET_SCHEMES.get(scheme)
        if not websocket or not parts.netloc:
            return ()
        return f"{scheme}://{parts.netloc}", f"{websocket}://{parts.netloc}"


def chat_endpoint(request: Request) -> ChatEndpoint | None:
    """`BOT_SOCKET_URL` if set, else the page's own host name on the Rasa port.

    None when the request's Host header is not a valid host name (no browser sends one).
    """
    settings: Settings = request.app.ctx.settings
    if settings.socket_url:
        return ChatEndpoint(settings.socket_url)
    host = request.server_name
    if not host:
        return None
    scheme = "https" if request.scheme in ("https", "wss") else "http"
    return ChatEndpoint(f"{scheme}://{host}:{settings.rasa_port}")


@blueprint.get("/")
async def home(request: Request) -> HTTPResponse:
    """The landing page, with the chat widget pointed at the Rasa server."""
    endpoint = chat_endpoint(request)
    if endpoint is None:
        raise InvalidUsage("The Host header is not a valid host name.")
    settings: Settings = request.app.ctx.settings
    return render(
        request, "site/home.html", chat=endpoint, retention_days=settings.retention_days,
        programs=program_texts(ROOT),
    )


@blueprint.get("/vendor/<name>")
async def vendor(request: Request, name: str) -> HTTPResponse:
    """A browser file from node_modules; 404 if unknown or not installed."""
    settings: Settings = request.app.ctx.settings
    relative = VENDOR_FILES.get(name)
    path = settings.root / "node_modules" / relative if relative else None
    if path is None or not path.is_file():
        raise NotFound(f"No vendor file {name!r} (run `make install`).")
    return await file(path, headers={"Cache-Control": "public, max-age=3600"})


async def not_found(request: Request, _exception: NotFound) -> HTTPResponse:
    """The site's 404 page, in place of Sanic's default error text."""
    return render(request, "site/not_found.html", status=404)
