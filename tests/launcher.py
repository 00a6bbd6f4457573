"""Start the whole bot (`python -m bot run`) on free ports: for tests and benchmarks.

It runs the servers exactly as `make run` does, with a throw-away var folder and SQLite
database, and stops them the way a terminal's Ctrl-C would.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from bot.settings import ROOT


def free_port() -> int:
    """A TCP port on loopback that nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LaunchedBot:
    """A running `python -m bot run` and where to reach it."""

    process: subprocess.Popen[bytes]
    rasa_url: str
    action_url: str
    web_url: str
    token: str
    database_url: str
    log: Path

    def say(self, text: str, sender: str) -> requests.Response:
        """Send one message over the REST channel, with the API token."""
        return requests.post(
            f"{self.rasa_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": text},
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=60,
        )

    def tracker(self, conversation: str) -> dict[str, Any]:
        """A conversation's state through the token-protected HTTP API (`rest:<sender>`)."""
        response = requests.get(
            f"{self.rasa_url}/conversations/{conversation}/tracker",
            headers={"Authorization": f"Bearer {self.token}"}, timeout=30,
        )
        response.raise_for_status()
        return response.json()

    def server_pid(self, subcommand: str) -> int:
        """The pid of the supervisor's child run as `python -m bot SUBCOMMAND` (from /proc)."""
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                parent = int(stat.read_text().rsplit(") ", 1)[1].split()[1])
                command = (stat.parent / "cmdline").read_bytes().split(b"\0")
            except (OSError, IndexError):
                continue
            if parent == self.process.pid and subcommand.encode() in command:
                return int(stat.parent.name)
        raise LookupError(f"no `{subcommand}` server under pid {self.process.pid}")

    def stop(self) -> int:
        """Ctrl-C as a terminal sends it (SIGINT to the process group); the exit status."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
        return self.process.wait(timeout=60)

    def wait_until_up(self, timeout: float = 600) -> None:
        """Return once all servers answer; raise with the log's tail if they do not."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                actions = requests.get(f"{self.action_url}/health", timeout=2)
                status = requests.get(
                    f"{self.rasa_url}/status", params={"token": self.token}, timeout=2
                )
                site = requests.get(f"{self.web_url}/healthz", timeout=2)
                if actions.ok and status.ok and site.ok:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(1)
        self.stop()
        raise RuntimeError(f"bot did not start:\n{self.log.read_text()[-3000:]}")


def launch(
    var_dir: Path, database_url: str | None = None, extra_env: Mapping[str, str] | None = None
) -> LaunchedBot:
    """Start the bot with its state under `var_dir`; call `wait_until_up` next.

    The conversations go to `database_url`, by default a new SQLite file in `var_dir`;
    `extra_env` adds or overrides settings (a messaging channel's, for example).
    """
    rasa_port, action_port, web_port = free_port(), free_port(), free_port()
    token = uuid.uuid4().hex
    database_url = database_url or f"sqlite:///{var_dir / 'bot.db'}"
    env = {
        **os.environ,
        "BOT_RASA_PORT": str(rasa_port),
        "BOT_ACTION_PORT": str(action_port),
        "BOT_WEB_PORT": str(web_port),
        "BOT_VAR_DIR": str(var_dir),
        "DATABASE_URL": database_url,
        "BOT_API_TOKEN": token,
        "BOT_SECRET_KEY": uuid.uuid4().hex,
        **(extra_env or {}),
    }
    log = var_dir / "bot.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True,
        )
    return LaunchedBot(
        process=process,
        rasa_url=f"http://127.0.0.1:{rasa_port}",
        action_url=f"http://127.0.0.1:{action_port}",
        web_url=f"http://127.0.0.1:{web_port}",
        token=token,
        database_url=database_url,
        log=log,
    )
