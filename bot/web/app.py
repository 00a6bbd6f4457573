"""The website's app factory: one Sanic app for the site, staff pages and background work.

`create_app(settings)` builds the landing page, the chat widget's assets, the staff pages
(with the call-back queue), the daily retention task and, when set up, the task that
notifies the clinic of call-backs and emergencies.

The factory takes the settings rather than reading the environment, so tests build the app
with whatever settings they need.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from sanic import Sanic
from sanic.exceptions import NotFound
from sanic.request import Request
from sanic.response import HTTPResponse, json
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.records.db import make_engine, session_factory
from bot.records.retention import apply_retention
from bot.settings import Settings
from bot.web import callbacks, headers, live, notifications, site, staff
from bot.web.limits import trust_proxies

STATIC_DIR = Path(__file__).parent / "static"
logger = logging.getLogger(__name__)


def create_app(settings: Settings, name: str = "clinic_site") -> Sanic:
    """Build the web app for `settings`; `name` must be unique within one process."""
    app = Sanic(name)
    app.config.update({"ACCESS_LOG": False, "REQUEST_MAX_SIZE": 1_000_000})
    trust_proxies(app, settings.rate_limits)
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
    app.blueprint(callbacks.blueprint)
    app.blueprint(live.blueprint)
    app.error_handler.add(NotFound, site.not_found)
    app.register_middleware(headers.add_security_headers, "response")

    if settings.background_work:  # one website per installation does it (BOT_BACKGROUND_WORK)
        app.register_listener(_start_retention, "after_server_start")
        if settings.notify.any:
            app.register_listener(_start_notifications, "after_server_start")

    @app.get("/healthz")
    async def health(_request: Request) -> HTTPResponse:
        return json({"status": "ok"})

    return app


RETENTION_EVERY_SECONDS = 24 * 60 * 60


async def _start_retention(app: Sanic, _loop: object) -> None:
    app.add_task(_retention_daily(app))


async def _start_notifications(app: Sanic, _loop: object) -> None:
    app.add_task(notifications.notify_forever(app))


async def _retention_daily(app: Sanic) -> None:
    """Delete conversations past retention at start and then daily, inside the service.

    No cron job to set up: one website per installation does it, however many Rasa
    servers there are (a second website sets BOT_BACKGROUND_WORK=off). Work runs in a
    thread, off the event loop.
    """
    while True:
        await asyncio.to_thread(_retention_once, app.ctx.settings, app.ctx.sessions)
        await asyncio.sleep(RETENTION_EVERY_SECONDS)


def _retention_once(settings: Settings, sessions: Callable[[], Session]) -> None:
    try:
        with sessions() as db:
            count = apply_retention(db, settings.retention_days, datetime.now(UTC),
                                    audit_key=settings.audit_key, by="service")
    except SQLAlchemyError as error:
        logger.warning("Retention did not run: database not ready (%s)", type(error).__name__)
        return
    logger.info("Retention: deleted %d conversations older than %d days",
                count, settings.retention_days)


def serve_web(settings: Settings) -> None:
    """Run the website in the foreground (one process; Ctrl-C or SIGTERM stops it)."""
    create_app(settings).run(
        host=settings.host, port=settings.web_port, access_log=False, motd=False
    )
