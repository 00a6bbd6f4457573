"""Check that a webhook request comes from its platform (each one signs differently).

Slack's check (HMAC with a five-minute replay window) is the one `SlackInput` inherits
from Rasa.

All comparisons are constant-time. Each function answers only "genuine or not"; the
webhooks answer 401 when the signature header is missing and 403 when it is wrong.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

from twilio.request_validator import RequestValidator


def public_url(base: str, request_url: str, path: str, query: str) -> str:
    """The URL the platform called: `base` (our public address behind a proxy) + path.

    Twilio signs the full URL it called, which a proxy in front of us may rewrite (https
    to http, another host or port); without `base`, the URL as we received it is used.
    """
    if not base:
        return request_url
    return f"{base.rstrip('/')}{path}" + (f"?{query}" if query else "")


def twilio_ok(auth_token: str, url: str, params: Mapping[str, Any], signature: str) -> bool:
    """Twilio: base64 HMAC-SHA1 of the URL followed by the sorted POST parameters."""
    return RequestValidator(auth_token).validate(url, params, signature)


def hub_ok(app_secret: str, body: bytes, sha256: str | None, sha1: str | None) -> bool:
    """Messenger: `sha256=` hex HMAC of the body (or the older `sha1=` when that is all)."""
    header, algorithm = (sha256, hashlib.sha256) if sha256 else (sha1 or "", hashlib.sha1)
    expected = algorithm().name + "=" + hmac.new(app_secret.encode(), body, algorithm).hexdigest()
    return hmac.compare_digest(expected.encode(), header.encode())


def same_secret(expected: str, given: str) -> bool:
    """A shared secret (Telegram's secret token, the callback's bearer token)."""
    return hmac.compare_digest(expected.encode(), given.encode())


def bearer_token(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, else None."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()
