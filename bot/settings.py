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
        )

    @property
    def action_server_url(self) -> str:
        """Where the Rasa server calls custom actions (always loopback)."""
        return f"http://127.0.0.1:{self.action_port}/webhook"


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


def ensure_api_token(settings: Settings) -> tuple[Settings, bool]:
    """Return settings with an API token, generating and storing one if none is set.

    The token protects Rasa's HTTP API (which can read and rewrite conversations), so
    the server never starts without one. A generated token is appended to `.env`
    (mode 0600) so that it survives restarts; the flag says whether that happened.
    """
    if settings.api_token:
        return settings, False
    token = secrets.token_urlsafe(32)
    dotenv = settings.root / ".env"
    existing = dotenv.read_text(encoding="utf-8") if dotenv.is_file() else ""
    if existing and not existing.endswith("\n"):
        existing += "\n"
    dotenv.write_text(f"{existing}{TOKEN_VAR}={token}\n", encoding="utf-8")
    dotenv.chmod(0o600)
    return replace(settings, api_token=token), True


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


def _log_level(raw: str) -> str:
    level = raw.strip().upper()
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise SettingsError(f"BOT_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got {raw!r}")
    return level
