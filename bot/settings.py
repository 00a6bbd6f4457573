"""All runtime settings in one place, read from the environment and `.env`.

Every setting has a documented default (see the README's settings table) so that a fresh
clone runs with no configuration at all: SQLite under `var/`, servers on localhost. The
environment wins over `.env`, so a deployment can override anything without editing files.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit

from dotenv import dotenv_values

ROOT = Path(__file__).resolve().parent.parent
TOKEN_VAR = "BOT_API_TOKEN"
SECRET_KEY_VAR = "BOT_SECRET_KEY"


class SettingsError(ValueError):
    """A setting has a value that cannot work; the message says which and why."""


@dataclass(frozen=True)
class TwilioChannel:
    """Twilio SMS and WhatsApp; `numbers` are the clinic's, `+1...` or `whatsapp:+1...`."""

    account_sid: str
    auth_token: str = field(repr=False)
    numbers: tuple[str, ...]
    api_url: str


@dataclass(frozen=True)
class TelegramChannel:
    """A Telegram bot; Telegram sends `secret_token` with every update."""

    token: str = field(repr=False)
    bot_name: str
    webhook_url: str
    secret_token: str = field(repr=False)
    api_url: str


@dataclass(frozen=True)
class SlackChannel:
    """A Slack app (bot token and signing secret)."""

    token: str = field(repr=False)
    signing_secret: str = field(repr=False)
    api_url: str


@dataclass(frozen=True)
class FacebookChannel:
    """A Facebook page on Messenger (app secret signs the webhooks)."""

    verify: str = field(repr=False)
    secret: str = field(repr=False)
    page_access_token: str = field(repr=False)
    page_id: str
    api_url: str


@dataclass(frozen=True)
class CallbackChannel:
    """A generic gateway: it posts messages with `token`, answers go to `url`."""

    url: str = field(repr=False)
    token: str = field(repr=False)


@dataclass(frozen=True)
class Channels:
    """The messaging channels that are switched on (None: off) and our public address."""

    twilio: TwilioChannel | None = None
    telegram: TelegramChannel | None = None
    slack: SlackChannel | None = None
    facebook: FacebookChannel | None = None
    callback: CallbackChannel | None = None
    public_url: str = ""


@dataclass(frozen=True)
class RateLimits:
    """Requests allowed a minute, per client, on the public side.

    Website messages per address, messages per conversation on every public channel,
    staff log-ins per address. Calls with the API token are server-to-server: a clinic's
    gateway or a load test sends everything from one address, so they are not limited.
    `trusted_proxies`: how many reverse proxies (nginx, a load balancer) stand in front;
    the client's address is then read from X-Forwarded-For, which is ignored otherwise
    (anyone could write it).
    """

    per_address: int = 60
    per_conversation: int = 20
    logins_per_address: int = 10
    trusted_proxies: int = 0


@dataclass(frozen=True)
class Notify:
    """Where the clinic hears about new call-back requests and emergencies.

    By email (any SMTP server: `BOT_SMTP_*`, to the addresses in `BOT_NOTIFY_EMAIL`)
    and/or by a webhook (`BOT_NOTIFY_WEBHOOK_URL`, signed with
    `BOT_NOTIFY_WEBHOOK_SECRET`). Messages carry a link to the staff page
    (`BOT_STAFF_URL`), never what the patient wrote. Nothing set: no notifications.
    """

    email_to: tuple[str, ...] = ()
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_from: str | None = None
    smtp_tls: str = "starttls"
    webhook_url: str | None = None
    webhook_secret: str | None = None

    @property
    def any(self) -> bool:
        """Whether any way of notifying is set up."""
        return bool(self.email_to or self.webhook_url)


@dataclass(frozen=True)
class Settings:
    """Typed view of the environment; build it with `Settings.from_env`."""

    root: Path
    database_url: str
    api_token: str | None
    host: str
    rasa_port: int
    action_port: int
    clinic_file: Path
    triage_rules_file: Path
    var_dir: Path
    log_level: str
    cors_origins: tuple[str, ...]
    web_port: int
    secret_key: str | None
    socket_url: str
    retention_days: int
    channels: Channels = field(default_factory=Channels)
    rate_limits: RateLimits = field(default_factory=RateLimits)
    notify: Notify = field(default_factory=Notify)
    staff_url: str = ""
    redis_url: str | None = None
    """Shared by several Rasa servers: their lock store and their socket.io messages."""
    action_url: str | None = None
    """The action servers' address when they are not this machine's `action_port`."""
    rasa_url: str | None = None
    """The Rasa servers' HTTP API for the website (staff take-over), if not this machine's."""
    background_work: bool = True
    """Whether this website runs retention and notifications (exactly one should)."""

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, root: Path = ROOT
    ) -> Settings:
        """Read settings from `environ` (default: `os.environ`) over `root/.env`.

        An empty variable counts as unset: `BOT_API_TOKEN=` in the environment must not
        hide the token stored in `.env` and leave the HTTP API open.
        """
        given = os.environ if environ is None else environ
        env = {**read_dotenv(root / ".env"), **{k: v for k, v in given.items() if v}}
        var_dir = _path(root, env.get("BOT_VAR_DIR", "var"))
        redis = env.get("BOT_REDIS_URL", "").strip()
        return cls(
            root=root,
            database_url=env.get("DATABASE_URL") or f"sqlite:///{var_dir / 'assistant.db'}",
            api_token=env.get(TOKEN_VAR) or None,
            host=env.get("BOT_HOST", "127.0.0.1"),
            rasa_port=_port(env, "BOT_RASA_PORT", 5005),
            action_port=_port(env, "BOT_ACTION_PORT", 5055),
            clinic_file=_path(root, env.get("BOT_CLINIC_FILE", "clinic.yml")),
            triage_rules_file=_path(root, env.get("BOT_TRIAGE_RULES", "triage_rules.yml")),
            var_dir=var_dir,
            log_level=_log_level(env.get("BOT_LOG_LEVEL", "INFO")),
            cors_origins=tuple(
                o.strip() for o in env.get("BOT_CORS_ORIGINS", "").split(",") if o.strip()
            ),
            web_port=_port(env, "BOT_WEB_PORT", 8000),
            secret_key=env.get(SECRET_KEY_VAR) or None,
            socket_url=_http_url(env, "BOT_SOCKET_URL").rstrip("/"),
            retention_days=_positive_int(env, "BOT_RETENTION_DAYS", 365),
            channels=_channels(env),
            rate_limits=RateLimits(
                per_address=_positive_int(env, "BOT_RATE_PER_ADDRESS", 60),
                per_conversation=_positive_int(env, "BOT_RATE_PER_CONVERSATION", 20),
                logins_per_address=_positive_int(env, "BOT_LOGIN_RATE_PER_ADDRESS", 10),
                trusted_proxies=_positive_int(env, "BOT_TRUSTED_PROXIES", 0, least=0),
            ),
            notify=_notify(env),
            staff_url=_http_url(env, "BOT_STAFF_URL").rstrip("/"),
            redis_url=_address(redis, "BOT_REDIS_URL", ("redis", "rediss")) if redis else None,
            action_url=_http_url(env, "BOT_ACTION_URL") or None,
            rasa_url=_http_url(env, "BOT_RASA_URL").rstrip("/") or None,
            background_work=_switch(env, "BOT_BACKGROUND_WORK", default=True),
        )

    @cached_property
    def audit_key(self) -> bytes:
        """The key that hashes deleted conversations' ids in the audit log.

        Derived from BOT_SECRET_KEY (never the key itself), so the same id always gives
        the same hash; without a secret key a random one is used and hashes cannot be
        matched later.
        """
        if not self.secret_key:
            return secrets.token_bytes(32)
        return hmac.new(self.secret_key.encode(), b"audit-log ids", hashlib.sha256).digest()

    @property
    def site_url(self) -> str:
        """The website's address as staff reach it, for links in notifications."""
        return self.staff_url or f"http://{self.host}:{self.web_port}"

    @property
    def rasa_api_url(self) -> str:
        """Where the website reaches the Rasa HTTP API: this machine's server, unless set."""
        return self.rasa_url or f"http://127.0.0.1:{self.rasa_port}"

    @property
    def action_server_url(self) -> str:
        """Where the Rasa server calls custom actions: this machine's, unless set."""
        return self.action_url or f"http://127.0.0.1:{self.action_port}/webhook"

    @property
    def allowed_origins(self) -> tuple[str, ...]:
        """Browser origins the Rasa server accepts: the configured ones, else our website's.

        The chat widget on the clinic site (port `web_port`) calls the Rasa server on
        another port, which is a cross-origin request the browser only makes if allowed.
        """
        if self.cors_origins:
            return self.cors_origins
        hosts = {"localhost", "127.0.0.1", self.host} - {"0.0.0.0"}
        return tuple(sorted(f"http://{host}:{self.web_port}" for host in hosts))


def read_dotenv(path: Path) -> dict[str, str]:
    """The `KEY=value` pairs of a `.env` file, read by python-dotenv.

    python-dotenv reads quotes, escapes, `export` and trailing comments the way shells and
    Docker do; a hand-written parser got quoted values with `#` in them wrong.
    """
    if not path.is_file():
        return {}
    values = dotenv_values(path, interpolate=False)  # "${X}" in a secret stays as written
    return {key: value for key, value in values.items() if value is not None}


def ensure_secrets(settings: Settings) -> tuple[Settings, list[str]]:
    """Return settings with an API token and a secret key, generating missing ones.

    The token protects Rasa's HTTP API (which can read and rewrite conversations) and
    the secret key signs staff sessions, so no server starts without them. Generated
    values are appended to `.env` (mode 0600) so that they survive restarts; the list
    names the variables that were generated.
    """
    missing = [
        name for name, value in ((TOKEN_VAR, settings.api_token),
                                 (SECRET_KEY_VAR, settings.secret_key)) if not value
    ]
    if not missing:
        return settings, []
    values = {name: secrets.token_urlsafe(32) for name in missing}
    dotenv = settings.root / ".env"
    existing = dotenv.read_text(encoding="utf-8") if dotenv.is_file() else ""
    if existing and not existing.endswith("\n"):
        existing += "\n"
    lines = "".join(f"{name}={value}\n" for name, value in values.items())
    write_private(dotenv, existing + lines)
    settings = replace(
        settings,
        api_token=values.get(TOKEN_VAR, settings.api_token),
        secret_key=values.get(SECRET_KEY_VAR, settings.secret_key),
    )
    return settings, missing


def write_private(path: Path, text: str) -> None:
    """Write a file only its owner may read, from its first byte on (it holds secrets).

    Writing first and restricting after would leave a moment when others can read it.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # an existing file keeps its old mode through os.open
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(text)


def _path(root: Path, value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else root / path


def _port(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, str(default))
    try:
        port = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a port number, got {raw!r}") from None
    if not 0 < port < 65536:
        raise SettingsError(f"{name} must be between 1 and 65535, got {port}")
    return port


def _positive_int(env: Mapping[str, str], name: str, default: int, least: int = 1) -> int:
    raw = env.get(name, str(default))
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None
    if value < least:
        raise SettingsError(f"{name} must be at least {least}, got {value}")
    return value


def _http_url(env: Mapping[str, str], name: str, default: str = "") -> str:
    """An http(s) URL from the environment, else `default`; "" when neither is set."""
    value = env.get(name, "").strip() or default
    return value and _address(value, name)


def _address(value: str, name: str, schemes: tuple[str, ...] = ("http", "https")) -> str:
    """Refuse a URL no server could be reached at.

    That is a wrong scheme, no host, a port that is not a number, or spaces. The message
    never repeats the value, as a URL may hold a secret.
    """
    parts = urlsplit(value)
    try:
        _ = parts.port
        reachable = bool(parts.hostname) and not any(c.isspace() for c in value)
    except ValueError:
        reachable = False
    if parts.scheme not in schemes or not reachable:
        expected = " or ".join(f"{scheme}://" for scheme in schemes)
        raise SettingsError(f"{name} must be an {expected} URL")
    return value


def _notify(env: Mapping[str, str]) -> Notify:
    """Email needs recipients and a server; a webhook needs its URL and secret."""
    email_to = tuple(a.strip() for a in env.get("BOT_NOTIFY_EMAIL", "").split(",") if a.strip())
    host = env.get("BOT_SMTP_HOST", "").strip() or None
    if bool(email_to) != bool(host):
        raise SettingsError("set both BOT_NOTIFY_EMAIL and BOT_SMTP_HOST, or neither")
    if any("@" not in address for address in email_to):
        raise SettingsError("BOT_NOTIFY_EMAIL must be email addresses, separated by commas")
    tls = env.get("BOT_SMTP_TLS", "starttls").strip().lower()
    if tls not in {"starttls", "ssl", "none"}:
        raise SettingsError("BOT_SMTP_TLS must be starttls, ssl or none")
    webhook = env.get("BOT_NOTIFY_WEBHOOK_URL", "").strip()
    secret = env.get("BOT_NOTIFY_WEBHOOK_SECRET", "").strip() or None
    if webhook and not secret:
        raise SettingsError("BOT_NOTIFY_WEBHOOK_URL needs BOT_NOTIFY_WEBHOOK_SECRET to sign with")
    return Notify(
        email_to=email_to, smtp_host=host,
        smtp_port=_port(env, "BOT_SMTP_PORT", 465 if tls == "ssl" else 587),
        smtp_user=env.get("BOT_SMTP_USER") or None,
        smtp_password=env.get("BOT_SMTP_PASSWORD") or None,
        smtp_from=env.get("BOT_SMTP_FROM") or (email_to[0] if email_to else None),
        smtp_tls=tls,
        webhook_url=_address(webhook, "BOT_NOTIFY_WEBHOOK_URL") if webhook else None,
        webhook_secret=secret,
    )


def _switch(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw not in {"on", "off", "true", "false", "1", "0", "yes", "no"}:
        raise SettingsError(f"{name} must be on or off, got {raw!r}")
    return raw in {"on", "true", "1", "yes"}


def _log_level(raw: str) -> str:
    level = raw.strip().upper()
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise SettingsError(f"BOT_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got {raw!r}")
    return level


def _channels(env: Mapping[str, str]) -> Channels:
    """Each channel is on when all its required variables are set, off when none is."""
    twilio = _group(env, "Twilio", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_NUMBER")
    telegram = _group(env, "Telegram", "TELEGRAM_TOKEN", "TELEGRAM_BOT_NAME",
                      "TELEGRAM_WEBHOOK_URL", "TELEGRAM_SECRET_TOKEN")
    slack = _group(env, "Slack", "SLACK_TOKEN", "SLACK_SIGNING_SECRET")
    facebook = _group(env, "Messenger", "FACEBOOK_VERIFY", "FACEBOOK_SECRET",
                      "FACEBOOK_PAGE_ACCESS_TOKEN", "FACEBOOK_PAGE_ID")
    callback = _group(env, "Callback", "CALLBACK_URL", "CALLBACK_TOKEN")
    return Channels(
        twilio=TwilioChannel(
            _checked(twilio[0], "TWILIO_ACCOUNT_SID", r"AC[0-9a-fA-F]{32}", "AC and 32 hex digits"),
            twilio[1],
            _twilio_numbers(twilio[2]),
            _http_url(env, "TWILIO_API_URL", "https://api.twilio.com"),
        ) if twilio else None,
        telegram=TelegramChannel(
            _checked(telegram[0], "TELEGRAM_TOKEN", r"[0-9]+:[A-Za-z0-9_-]+",
                     "the bot token from @BotFather (digits:letters)"),
            telegram[1].removeprefix("@"),
            _address(telegram[2], "TELEGRAM_WEBHOOK_URL", ("https",)),
            _checked(telegram[3], "TELEGRAM_SECRET_TOKEN", r"[A-Za-z0-9_-]{16,256}",
                     "16 to 256 letters, digits, _ or -"),
            _http_url(env, "TELEGRAM_API_URL", "https://api.telegram.org"),
        ) if telegram else None,
        slack=SlackChannel(
            *slack, _http_url(env, "SLACK_API_URL", "https://slack.com/api/")
        ) if slack else None,
        facebook=FacebookChannel(
            *facebook[:3],
            _checked(facebook[3], "FACEBOOK_PAGE_ID", r"[0-9]+", "the page's numeric id"),
            _http_url(env, "FACEBOOK_API_URL", "https://graph.facebook.com"),
        ) if facebook else None,
        callback=CallbackChannel(
            _address(callback[0], "CALLBACK_URL"),
            callback[1],
        ) if callback else None,
        public_url=_http_url(env, "BOT_PUBLIC_URL").rstrip("/"),
    )


def _twilio_numbers(raw: str) -> tuple[str, ...]:
    numbers = tuple(number.strip() for number in raw.split(",") if number.strip())
    for number in numbers or ("",):
        _checked(number, "TWILIO_NUMBER", r"(whatsapp:)?\+[1-9][0-9]{6,14}",
                 "comma-separated numbers: + and the country code, or whatsapp:+...")
    return numbers


def _group(env: Mapping[str, str], channel: str, *names: str) -> tuple[str, ...] | None:
    values = tuple(env.get(name, "").strip() for name in names)
    missing = [name for name, value in zip(names, values, strict=True) if not value]
    if len(missing) == len(names):
        return None
    if missing:
        raise SettingsError(
            f"The {channel} channel is partly configured: {', '.join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} not set. "
            f"Set all of {', '.join(names)} to switch it on, or none of them to leave it off."
        )
    return values


def _checked(value: str, name: str, pattern: str, expected: str) -> str:
    """Refuse a malformed value; the message never repeats it, as it may be a secret."""
    if not re.fullmatch(pattern, value):
        raise SettingsError(f"{name} must be {expected}")
    return value
