"""Security headers on every response of the web app.

The pages show health information and text patients typed, so they load nothing from
other sites, run no inline script, cannot be framed, and send no Referer. The only other
origin a page may contact is the Rasa socket.io channel the chat widget talks to. A
handler that needs something else sets its own header: these are only defaults.
"""

from __future__ import annotations

from sanic.request import Request
from sanic.response import HTTPResponse

from bot.web.site import chat_endpoint


def content_security_policy(request: Request) -> str:
    """Same-origin everything, plus the chat endpoint for `connect-src`."""
    endpoint = chat_endpoint(request)
    connect = " ".join(("'self'", *(endpoint.sources if endpoint else ())))
    return "; ".join((
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        f"connect-src {connect}",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ))


async def add_security_headers(request: Request, response: HTTPResponse) -> None:
    """Response middleware: set each header unless the handler already did."""
    defaults = {
        "Content-Security-Policy": content_security_policy(request),
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    for name, value in defaults.items():
        response.headers.setdefault(name, value)
