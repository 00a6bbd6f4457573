"""Pages rendered from the Jinja2 templates, with the clinic's details on every page.

Autoescaping is on: text typed by patients is shown on staff pages and must never become
markup.
"""

from __future__ import annotations

from sanic.request import Request
from sanic.response import HTTPResponse, html

from bot.core.clinic import load_clinic
from bot.settings import Settings


def render(request: Request, template: str, status: int = 200, **context: object) -> HTTPResponse:
    """Render a template with the clinic details (re-read, so edits apply at once)."""
    settings: Settings = request.app.ctx.settings
    page = request.app.ctx.templates.get_template(template)
    body = page.render(clinic=load_clinic(settings.clinic_file), **context)
    return html(body, status=status)
