"""The files Rasa reads, written from the settings: endpoints, credentials, the shell's.

They are generated (never committed) because they carry the database location and, once
channels are configured, their secrets; each is written with mode 0600.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from bot.adapters.channels.config import credentials as channel_credentials
from bot.settings import Settings, write_private

TRACKER_STORE = "bot.adapters.tracker_store.CachingSQLTrackerStore"
LOCK_STORE = "bot.adapters.lock_store.AtomicRedisLockStore"
NLG = {"type": "bot.adapters.nlg.BilingualNLG"}


def write_rasa_files(settings: Settings) -> tuple[Path, Path]:
    """Write the endpoints and credentials files Rasa reads, under the var folder.

    They are generated from the settings (never committed) because they carry the
    database location and, once channels are configured, their secrets; mode 0600.
    """
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    endpoints: dict[str, object] = {
        "action_endpoint": {"url": settings.action_server_url},
        "tracker_store": tracker_store_config(settings.database_url),
        "nlg": NLG,
    }
    if settings.redis_url:  # several Rasa servers: one conversation's turns one at a time
        endpoints["lock_store"] = {"type": LOCK_STORE, "url": settings.redis_url}
    credentials = {
        # Rasa's REST channel, behind the API token (server-to-server).
        "bot.adapters.channels.rest.ApiRestInput": {"token": settings.api_token},
        # Rasa's socket.io channel (name "socketio") with its session persistence fixed.
        "bot.adapters.socketio.WebsiteChatInput": {
            "user_message_evt": "user_uttered",
            "bot_message_evt": "bot_uttered",
            "session_persistence": True,
            "redis_url": settings.redis_url,
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
    action = {"action_endpoint": {"url": settings.action_server_url}, "nlg": NLG}
    write_private(endpoints, yaml.safe_dump(action))
    return [sys.executable, "-m", "rasa", "shell", "--model", str(model),
            "--endpoints", str(endpoints), "--interface", "127.0.0.1"]


def tracker_store_config(database_url: str) -> dict[str, object]:
    """Rasa's tracker store: its SQL store with our cache and engine, on `database_url`.

    Named, not imported: the supervisor writes this file and never loads Rasa.
    """
    return {"type": TRACKER_STORE, "database_url": database_url}
