"""Fixtures that start the real servers: `python -m bot run` on free ports."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from bot.settings import ROOT
from bot.training import ensure_model

STARTUP_TIMEOUT = 180


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class RunningBot:
    process: subprocess.Popen[bytes]
    rasa_url: str
    action_url: str
    token: str
    database: Path
    log: Path

    def say(self, text: str, sender: str) -> list[dict]:
        response = requests.post(
            f"{self.rasa_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": text},
            timeout=60,
        )
        assert response.status_code == 200, response.text
        return response.json()

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=60)


def _wait_until_up(bot: RunningBot) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if bot.process.poll() is not None:
            pytest.fail(f"bot exited with {bot.process.returncode}:\n{bot.log.read_text()[-3000:]}")
        try:
            actions_up = requests.get(f"{bot.action_url}/health", timeout=2).ok
            status = requests.get(f"{bot.rasa_url}/status", params={"token": bot.token}, timeout=2)
            if actions_up and status.ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(1)
    bot.stop()
    pytest.fail(f"bot not up after {STARTUP_TIMEOUT}s:\n{bot.log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def running_bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningBot]:
    ensure_model()
    var = tmp_path_factory.mktemp("var")
    rasa_port, action_port = free_port(), free_port()
    token = "test-token-" + os.urandom(8).hex()
    env = {
        **os.environ,
        "BOT_RASA_PORT": str(rasa_port),
        "BOT_ACTION_PORT": str(action_port),
        "BOT_VAR_DIR": str(var),
        "DATABASE_URL": f"sqlite:///{var / 'test.db'}",
        "BOT_API_TOKEN": token,
    }
    log = var / "bot.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env, stdout=out, stderr=out
        )
    bot = RunningBot(
        process=process,
        rasa_url=f"http://127.0.0.1:{rasa_port}",
        action_url=f"http://127.0.0.1:{action_port}",
        token=token,
        database=var / "test.db",
        log=log,
    )
    _wait_until_up(bot)
    yield bot
    bot.stop()
