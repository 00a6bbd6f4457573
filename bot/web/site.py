"""The public clinic website: a landing page about the two programs, with the chat widget."""

from __future__ import annotations

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.web import render

blueprint = Blueprint("site")


@blueprint.get("/")
async def home(request: Request) -> HTTPResponse:
    """The landing page."""
    return render(request, "site/home.html")
