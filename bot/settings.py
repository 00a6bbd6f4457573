"""All runtime settings in one place, read from the environment and `.env`.

Every setting has a documented default (see the README's settings table) so that a fresh
clone runs with no configuration at all: SQLite under `var/`, servers on localhost. The
environment wins over `.env`, so a deployment can override anything without editing files.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOKEN_VAR = "BOT_API_TOKEN"
SECRET_KEY_VAR = "BOT_SECRET_KEY"


class SettingsError(ValueError):
    """A setting has a value that cannot work; the message says which and why."""


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

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, root: Path = ROOT
    ) -> Settings:
        """Read settings from `environ` (default: `os.environ`) over `root/.env`."""
        env = {**read_dotenv(root / ".env"), **(os.environ if environ is None else environ)}
        var_dir = _path(root, env.get("BOT_VAR_DIR", "var"))
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
            socket_url=env.get("BOT_SOCKET_URL", "").strip().rstrip("/"),
            retention_days=_positive_int(env, "BOT_RETENTION_DAYS", 365),
        )

    @property
    def action_server_url(self) -> str:
        """Where the Rasa server calls custom actions (always loopback)."""
        return f"http://127.0.0.1:{self.action_port}/webhook"

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
    """Parse a `KEY=value` file; blank lines and `#` comments are skipped."""
    if not path.is_file():
        return {}
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        values[key.strip().removeprefix("export ").strip()] = value.strip().strip("'\"")
    return values


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
    dotenv.write_text(existing + lines, encoding="utf-8")
    dotenv.chmod(0o600)
    settings = replace(
        settings,
        api_token=values.get(TOKEN_VAR, settings.api_token),
        secret_key=values.get(SECRET_KEY_VAR, settings.secret_key),
    )
    return settings, missing


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


def _positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, str(default))
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None
    if value < 1:
        raise SettingsError(f"{name} must be at least 1, got {value}")
    return value


def _log_level(raw: str) -> str:
    level = raw.strip().upper()
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise SettingsError(f"BOT_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got {raw!r}")
    return level
