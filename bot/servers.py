"""Run the Rasa server, the action server and the website together, in the foreground.

All run as child processes of one supervisor, so Ctrl-C (or SIGTERM from a service
manager) stops them all, and if one dies the others are stopped too: a bot whose actions
are gone must not keep half-answering patients. The children run in their own sessions
so that a terminal's Ctrl-C reaches only the supervisor, which then stops them in order.
The Rasa server is started in-process by `serve_rasa` rather than with `rasa run`, so
that the API token travels in the environment instead of on a visible command line.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import time
import warnings
from functools import partial
from pathlib import Path
from types import FrameType
from typing import Any

import yaml

from bot.channels.config import credentials as channel_credentials
from bot.settings import SECRET_KEY_VAR, TOKEN_VAR, Settings, SettingsError, write_private
from bot.training import rasa_env

logger = logging.getLogger(__name__)

STOP_GRACE_SECONDS = 10
RASA_MAX_REQUEST_BYTES = 1_000_000
"""The Rasa server's body cap: webhooks and API calls, never near it (Sanic's default: 100 MB)."""
ACTION_MAX_REQUEST_BYTES = 32_000_000
"""The action server's: Rasa sends it the whole session's events with every call."""
ACTION_SERVER = [sys.executable, "-m", "bot", "serve-actions"]


def write_rasa_files(settings: Settings) -> tuple[Path, Path]:
    """Write the endpoints and credentials files Rasa reads, under the var folder.

    They are generated from the settings (never committed) because they carry the
    database location and, once channels are configured, their secrets; mode 0600.
    """
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    endpoints = {
        "action_endpoint": {"url": settings.action_server_url},
        "tracker_store": tracker_store_config(settings.database_url),
    }
    credentials = {
        # Rasa's REST channel, behind the API token (server-to-server).
        "bot.channels.rest.ApiRestInput": {"token": settings.api_token},
        # Rasa's socket.io channel (name "socketio") with its session persistence fixed.
        "bot.web.chat_channel.WebsiteChatInput": {
            "user_message_evt": "user_uttered",
            "bot_message_evt": "bot_uttered",
            "session_persistence": True,
        },
        **channel_credentials(settings.channels),
    }
    paths = settings.var_dir / "endpoints.yml", settings.var_dir / "credentials.yml"
    for path, content in zip(paths, (endpoints, credentials), strict=True):
        write_private(path, yaml.safe_dump(content, sort_keys=False))
    return paths


def shell_command(settings: Settings, model: Path) -> list[str]:
    """The `rasa shell` command line for a developer's trial in the terminal.

    `rasa shell` serves its own REST channel with no token. It therefore listens on
    loopback only, and its endpoints file names no tracker store, so the trial is kept in
    memory and never reaches (nor lets anyone else reach) the stored conversations.
    """
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    endpoints = settings.var_dir / "shell-endpoints.yml"
    action = {"action_endpoint": {"url": settings.action_server_url}}
    write_private(endpoints, yaml.safe_dump(action))
    return [sys.executable, "-m", "rasa", "shell", "--model", str(model),
            "--endpoints", str(endpoints), "--interface", "127.0.0.1"]


def tracker_store_config(database_url: str) -> dict[str, object]:
    """Translate a SQLAlchemy URL into Rasa's SQL tracker store settings."""
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return {"type": "SQL", "dialect": "sqlite", "db": url.database}
    config: dict[str, object] = {
        "type": "SQL",
        "dialect": url.drivername,
        "url": url.host,
        "port": url.port,
        "db": url.database,
        "username": url.username,
        "password": url.password,
        "query": dict(url.query),
    }
    return {key: value for key, value in config.items() if value not in (None, {})}


class DatabaseUnavailable(RuntimeError):
    """The conversation database cannot be reached; the message says why."""


def check_database(database_url: str) -> None:
    """Connect once, so that the bot never starts without its conversation store.

    Rasa falls back to an in-memory tracker store when the SQL one fails, which would
    silently lose every conversation; a clear refusal to start is better.
    """
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database:
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        raise DatabaseUnavailable(
            f"cannot reach the database {display_url(database_url)}: {exc.orig or exc}"
        ) from exc
    finally:
        engine.dispose()


def display_url(database_url: str) -> str:
    """The database URL with its password hidden, for logs and messages."""
    from sqlalchemy.engine import make_url

    return make_url(database_url).render_as_string(hide_password=True)


def hide_deprecation_warnings() -> None:
    """Keep the dozens of DeprecationWarnings of Rasa 3.6's dependencies out of the log.

    A clinic can do nothing about them, and they hide what matters. Importing Sanic
    switches them on again ("once"), so the filter goes in after it. `-W` or
    PYTHONWARNINGS shows them.
    """
    if sys.warnoptions:
        return
    import sanic  # noqa: F401

    warnings.filterwarnings("ignore", category=DeprecationWarning)


def serve_actions(settings: Settings) -> None:
    """Run the action server (rasa-sdk) on loopback, as `python -m rasa_sdk` would."""
    hide_deprecation_warnings()
    os.environ["SANIC_REQUEST_MAX_SIZE"] = str(ACTION_MAX_REQUEST_BYTES)
    from rasa_sdk.__main__ import main_from_args
    from rasa_sdk.endpoint import create_argument_parser

    main_from_args(create_argument_parser().parse_args(
        ["--actions", "actions", "--port", str(settings.action_port)]))


def serve_rasa(settings: Settings, model: Path) -> None:
    """Run the Rasa HTTP server (REST + socket.io channels, token-protected API)."""
    if not settings.api_token:
        raise SettingsError(f"{TOKEN_VAR} is not set: the HTTP API is never served without it")
    hide_deprecation_warnings()
    import rasa.core.run
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    level = logging.getLevelName(settings.log_level)
    configure_logging_and_warnings(level, warn_only_once=True, filter_repeated_logs=True)
    hide_deprecation_warnings()  # Rasa's "once" for UserWarning matches pyparsing's too
    configure_structlog(level)
    endpoints_file, credentials_file = write_rasa_files(settings)
    rasa.core.run.serve_application(
        model_path=str(model),
        interface=settings.host,
        port=settings.rasa_port,
        credentials=str(credentials_file),
        cors=list(settings.allowed_origins),
        auth_token=settings.api_token,
        enable_api=True,
        endpoints=AvailableEndpoints.read_endpoints(str(endpoints_file)),
        server_listeners=[(partial(_harden, settings), "before_server_start")],
    )


async def _harden(settings: Settings, app: Any, _loop: Any) -> None:
    """Harden Rasa's own app: body cap, bearer token, rate limits on public channels."""
    from bot.channels import limits
    from bot.channels.rest import bearer_as_token_argument

    app.config.REQUEST_MAX_SIZE = RASA_MAX_REQUEST_BYTES
    app.register_middleware(bearer_as_token_argument, "request")
    limits.install(app, settings.rate_limits)


def busy_ports(settings: Settings) -> list[str]:
    """The servers' ports something else already listens on, each with its setting.

    Checked before starting, so a second `make run` says which port is taken instead of
    starting half the servers and then stopping them with a stack trace.
    """
    wanted = (("BOT_RASA_PORT", settings.host, settings.rasa_port),
              ("BOT_ACTION_PORT", "127.0.0.1", settings.action_port),
              ("BOT_WEB_PORT", settings.host, settings.web_port))
    busy = []
    for name, host, port in wanted:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((host, port))
            except OSError:
                busy.append(f"{port} ({name})")
    return busy


def run_servers(settings: Settings, model: Path) -> int:
    """Start the servers, wait until one exits or we are told to stop.

    Returns the exit status: 0 after a requested stop, else the failed server's code.
    """
    env = {**rasa_env(), "SANIC_HOST": "127.0.0.1",
           TOKEN_VAR: settings.api_token or "", SECRET_KEY_VAR: settings.secret_key or ""}
    children = {
        "action server": subprocess.Popen(
            ACTION_SERVER, cwd=settings.root, env=env, start_new_session=True,
        ),
        "Rasa server": subprocess.Popen(
            [sys.executable, "-m", "bot", "serve-rasa", "--model", str(model)],
            cwd=settings.root, env=env, start_new_session=True,
        ),
        "website": subprocess.Popen(
            [sys.executable, "-m", "bot", "serve-web"],
            cwd=settings.root, env=env, start_new_session=True,
        ),
    }
    stopping = False

    def request_stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    previous = {s: signal.signal(s, request_stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        failed: tuple[str, int] | None = None
        while not stopping and failed is None:
            time.sleep(0.2)
            failed = next(
                ((name, p.returncode) for name, p in children.items() if p.poll() is not None),
                None,
            )
        if failed:
            logger.error("The %s exited with status %s; stopping.", *failed)
        _stop_all(list(children.values()))
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0 if failed is None else (failed[1] or 1)


def _stop_all(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
