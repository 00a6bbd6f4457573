"""The public clinic website: a landing page about the two programs, with the chat widget.

The page is in English at `/` and in Spanish at `/es/`: one template, its texts per
language in `site_texts.yml`; the program cards and the comparison are the assistant's own
answers in that language (`program_texts`), the opening hours are said in that language
from `clinic.yml`.

The widget (`static/site/chat.js`) talks to the Rasa server's socket.io channel straight
from the browser, so the page tells it where that channel is, and gives it its texts in
every language (`chat_texts.yml`, a JSON block), to switch between. The socket.io client
comes from `node_modules` (installed from package-lock.json by `make run`) and is served
from here, so a page never asks a CDN for anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from markupsafe import Markup, escape
from sanic import Blueprint
from sanic.exceptions import InvalidUsage, NotFound
from sanic.request import Request
from sanic.response import HTTPResponse, file, redirect

from bot.core.clinic import hours_in
from bot.settings import ROOT, Settings
from bot.web.program_texts import program_texts
from bot.web.rendering import render

blueprint = Blueprint("site")

TEXTS_DIR = Path(__file__).parent
HOME_PATHS = {"en": "/", "es": "/es/"}
"""The landing page's address in each language it is written in."""
LANGUAGES = tuple(HOME_PATHS)
_BOLD = re.compile(r"\*\*(.+?)\*\*")

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


@cache
def site_texts() -> dict[str, dict[str, Any]]:
    """The website's texts per language (`site_texts.yml`), read once."""
    return texts_per_language("site_texts.yml")


@cache
def chat_texts() -> dict[str, dict[str, Any]]:
    """The chat widget's texts per language (`chat_texts.yml`), read once."""
    return texts_per_language("chat_texts.yml")


def texts_per_language(name: str) -> dict[str, dict[str, Any]]:
    """A texts file of this folder: the same keys under every language the site speaks."""
    texts = yaml.safe_load((TEXTS_DIR / name).read_text(encoding="utf-8"))
    if set(texts) != set(LANGUAGES):
        raise ValueError(f"{name} must have texts in {', '.join(LANGUAGES)}")
    return texts


def rich(text: str, **values: object) -> Markup:
    """One of the site's own texts as HTML, **bold** as <strong>, {placeholders} filled.

    The text is escaped, and so are `values`, unless already markup (a link).
    """
    html = _BOLD.sub(r"<strong>\1</strong>", str(escape(text)))
    return Markup(html).format(**values)


def page_language(request: Request) -> str:
    """The language of the site's page at the request's path: "es" under /es/."""
    return "es" if request.path == "/es" or request.path.startswith("/es/") else "en"


def render_page(request: Request, template: str, language: str, status: int = 200,
                **context: object) -> HTTPResponse:
    """A site page in `language`: its texts (`t`), the link to the other languages."""
    others = [(code, path, site_texts()[code]["language_name"])
              for code, path in HOME_PATHS.items() if code != language]
    return render(request, template, status=status, lang=language, t=site_texts()[language],
                  home_path=HOME_PATHS[language], other_languages=others, rich=rich,
                  hours_in=hours_in, **context)


async def _home(request: Request, language: str) -> HTTPResponse:
    endpoint = chat_endpoint(request)
    if endpoint is None:
        raise InvalidUsage("The Host header is not a valid host name.")
    settings: Settings = request.app.ctx.settings
    return render_page(
        request, "site/home.html", language, chat=endpoint,
        retention_days=settings.retention_days, programs=program_texts(ROOT, language),
        chat_texts=chat_texts(),
    )


@blueprint.get("/")
async def home(request: Request) -> HTTPResponse:
    """The landing page, with the chat widget pointed at the Rasa server."""
    return await _home(request, "en")


@blueprint.get("/es/", strict_slashes=True)
async def home_es(request: Request) -> HTTPResponse:
    """The landing page in Spanish; the widget starts in Spanish."""
    return await _home(request, "es")


@blueprint.get("/es", strict_slashes=True)
async def home_es_without_slash(_request: Request) -> HTTPResponse:
    """`/es` is the Spanish page too, at its one address."""
    return redirect("/es/", status=301)


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
    return render_page(request, "site/not_found.html", page_language(request), status=404)
