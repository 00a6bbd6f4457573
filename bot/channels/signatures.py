"""Check that a webhook request comes from its platform (each one signs differently).

All comparisons are constant-time. Each function answers only "genuine or not"; the
webhooks answer 401 when the signature header is missing and 403 when it is wrong.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Mapping
from typing import Any

from twilio.request_validator import RequestValidator

SLACK_MAX_AGE_SECONDS = 5 * 60
"""Slack's advice: refuse older requests, so a captured one cannot be replayed later."""


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


def slack_ok(
    signing_secret: str, timestamp: str, body: bytes, signature: str, now: float | None = None
) -> bool:
    """Slack: `v0=` hex HMAC-SHA256 of `v0:<timestamp>:<body>`, at most 5 minutes old."""
    try:
        age = abs((time.time() if now is None else now) - int(timestamp))
    except ValueError:
        return False
    if age > SLACK_MAX_AGE_SECONDS:
        return False
    signed = b"v0:" + timestamp.encode() + b":" + body
    expected = "v0=" + hmac.new(signing_secret.encode(), signed, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), signature.encode())


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
