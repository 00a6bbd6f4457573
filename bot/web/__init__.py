"""The clinic's website and staff pages: one Sanic app, built by `create_app(settings)`.

Sanic is what Rasa already runs on, so the site adds no web framework of its own. The
factory takes the settings rather than reading the environment, so tests build the app
with whatever settings they need. Templates are Jinja2 with autoescaping on: text typed
by patients is shown on staff pages and must never become markup.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from sanic import Sanic
from sanic.exceptions import NotFound
from sanic.request import Request
from sanic.response import HTTPResponse, html, json

from bot.clinic import load_clinic
from bot.settings import Settings

STATIC_DIR = Path(__file__).parent / "static"


def create_app(settings: Settings, name: str = "clinic_site") -> Sanic:
    """Build the web app for `settings`; `name` must be unique within one process."""
    from bot.db import make_engine, session_factory
    from bot.web import headers, site, staff

    app = Sanic(name)
    app.config.update(
        {"ACCESS_LOG": False, "FORWARDED_SECRET": None, "REQUEST_MAX_SIZE": 1_000_000}
    )
    app.ctx.settings = settings
    app.ctx.templates = Environment(
        loader=PackageLoader("bot.web"),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Lazy: nothing connects until a staff page needs the database.
    app.ctx.engine = make_engine(settings.database_url)
    app.ctx.sessions = session_factory(app.ctx.engine)
    app.static("/static", str(STATIC_DIR), name="static")
    app.blueprint(site.blueprint)
    app.blueprint(staff.blueprint)
    app.error_handler.add(NotFound, site.not_found)
    app.register_middleware(headers.add_security_headers, "response")

    @app.get("/healthz")
    async def health(_request: Request) -> HTTPResponse:
        return json({"status": "ok"})

    return app


def render(request: Request, template: str, status: int = 200, **context: object) -> HTTPResponse:
    """Render a template with the clinic details (re-read, so edits apply at once)."""
    settings: Settings = request.app.ctx.settings
    page = request.app.ctx.templates.get_template(template)
    body = page.render(clinic=load_clinic(settings.clinic_file), **context)
    return html(body, status=status)


def serve_web(settings: Settings) -> None:
    """Run the website in the foreground (one process; Ctrl-C or SIGTERM stops it)."""
    create_app(settings).run(
        host=settings.host, port=settings.web_port, access_log=False, motd=False
    )
