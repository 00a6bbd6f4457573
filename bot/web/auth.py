"""Staff sessions without server-side state: an HMAC-signed cookie, plus CSRF tokens.

The cookie holds only the staff id, when the session was issued and last used, the
account's session version and a random nonce; it is signed with HMAC-SHA256 under a key
derived from `BOT_SECRET_KEY`, so it cannot be forged or edited. Changing the secret (or
the account's session version) ends every session. A session ends after 30 idle minutes
and, whatever the activity, 8 hours after login. CSRF tokens are an HMAC of the session's
nonce, so every form of one session carries the same token and nothing needs storing.
Everything here is plain Python (no Sanic), so it is tested directly.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

SESSION_COOKIE = "staff_session"
LOGIN_COOKIE = "staff_login"
FLASH_COOKIE = "staff_flash"
COOKIE_PATH = "/staff"
IDLE_SECONDS = 30 * 60
ABSOLUTE_SECONDS = 8 * 60 * 60
MAX_TOKEN_LENGTH = 4096
HOME = "/staff"

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
    "Referrer-Policy": "same-origin",
}


class Signer:
    """Signs small JSON payloads with HMAC-SHA256 under a key derived for one purpose.

    Deriving one key per purpose (session, login form, flash message, CSRF) means a
    value signed for one use can never be replayed as another.
    """

    def __init__(self, secret: str, purpose: str) -> None:
        self._key = hmac.new(
            secret.encode("utf-8"), b"bot.web.auth/" + purpose.encode("utf-8"), hashlib.sha256
        ).digest()

    def mac(self, text: str) -> str:
        """The URL-safe HMAC of `text`."""
        digest = hmac.new(self._key, text.encode("utf-8"), hashlib.sha256).digest()
        return _b64encode(digest)

    def verify(self, text: str, mac: str) -> bool:
        """Whether `mac` is the HMAC of `text`, compared in constant time."""
        expected = self.mac(text).encode("ascii")
        return hmac.compare_digest(expected, mac.encode("utf-8", "replace"))

    def sign(self, payload: Mapping[str, object]) -> str:
        """`payload` as JSON, base64url-encoded, a dot, and its HMAC."""
        body = _b64encode(json.dumps(payload, separators=(",", ":"), sort_keys=True).encode())
        return f"{body}.{self.mac(body)}"

    def unsign(self, token: str | None) -> dict[str, object] | None:
        """The payload of a token this signer made, or None if forged, edited or malformed."""
        if not token or len(token) > MAX_TOKEN_LENGTH or token.count(".") != 1:
            return None
        body, mac = token.split(".")
        if not self.verify(body, mac):
            return None
        try:
            payload = json.loads(_b64decode(body))
        except (binascii.Error, ValueError):
            return None
        return payload if isinstance(payload, dict) else None


@dataclass(frozen=True)
class StaffSession:
    """What the session cookie says: who, since when, last seen when, and its nonce."""

    staff_id: int
    version: int
    issued: int
    seen: int
    nonce: str

    @classmethod
    def start(cls, staff_id: int, version: int, now: int) -> StaffSession:
        """A new session (fresh nonce, so a login never reuses an earlier CSRF token)."""
        return cls(staff_id, version, issued=now, seen=now, nonce=secrets.token_urlsafe(16))

    def expired(self, now: int) -> bool:
        """Idle too long, past its absolute lifetime, or from the future (clock games)."""
        return (
            now - self.seen > IDLE_SECONDS
            or now - self.issued > ABSOLUTE_SECONDS
            or self.issued > now + 60
        )

    def touched(self, now: int) -> StaffSession:
        """The same session, last used `now` (the idle clock restarts)."""
        return replace(self, seen=now)

    def encode(self, signer: Signer) -> str:
        """The cookie value."""
        return signer.sign(
            {"u": self.staff_id, "v": self.version, "i": self.issued, "s": self.seen,
             "n": self.nonce}
        )

    @classmethod
    def decode(cls, signer: Signer, token: str | None, now: int) -> StaffSession | None:
        """The session in a cookie value, or None if it is invalid or expired."""
        payload = signer.unsign(token)
        if payload is None:
            return None
        ints = [payload.get(key) for key in ("u", "v", "i", "s")]
        nonce = payload.get("n")
        if not all(type(value) is int for value in ints) or not isinstance(nonce, str):
            return None
        session = cls(*ints, nonce=nonce)  # type: ignore[arg-type]
        return None if session.expired(now) else session


class Keys:
    """The signers the staff pages use, all derived from the one secret key."""

    def __init__(self, secret: str) -> None:
        self.session = Signer(secret, "session")
        self.login = Signer(secret, "login-form")
        self.flash = Signer(secret, "flash")
        self.csrf = Signer(secret, "csrf")

    def csrf_token(self, nonce: str) -> str:
        """The CSRF token of the session (or login form) with this nonce."""
        return self.csrf.mac(nonce)

    def csrf_ok(self, nonce: str | None, submitted: str | None) -> bool:
        """Whether a submitted form carries the token of this session's nonce."""
        return bool(nonce and submitted) and self.csrf.verify(nonce, submitted or "")


def safe_next(value: str | None) -> str:
    """Where to go after login: a /staff path of this site, else the staff home page.

    Refuses anything a browser could read as another site (`//host`, a backslash,
    schemes, control characters) so the login page cannot be used as an open redirect.
    """
    if not value or len(value) > 2000:
        return HOME
    if any(ch in value for ch in "\\\r\n\t\0") or any(ord(ch) < 32 for ch in value):
        return HOME
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or value.startswith("//"):
        return HOME
    if parts.path != HOME and not parts.path.startswith(HOME + "/"):
        return HOME
    if ".." in parts.path.split("/") or parts.path.startswith(f"{HOME}/login"):
        return HOME
    return value


def same_origin(origin: str | None, host: str, sec_fetch_site: str | None = None) -> bool:
    """Whether a state-changing request comes from our own pages.

    Browsers send `Origin` on POSTs (and `Sec-Fetch-Site`); when present they must name
    this host. Their absence is allowed: the CSRF token is the main defence, this check
    a second one.
    """
    if sec_fetch_site and sec_fetch_site.lower() not in ("same-origin", "none"):
        return False
    if origin is None:
        return True
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and parts.netloc.lower() == host.lower()


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
