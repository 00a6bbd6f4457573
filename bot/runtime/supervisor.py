"""Run the Rasa server, the action server and the website together, in the foreground.

All run as child processes of one supervisor, so Ctrl-C (or SIGTERM from a service
manager) stops them all, and if one dies the others are stopped too: a bot whose actions
are gone must not keep half-answering patients. The children run in their own sessions
so that a terminal's Ctrl-C reaches only the supervisor, which then stops them in order.
"""

from __future__ import annotations

import logging
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

from bot.runtime.training import rasa_env
from bot.settings import SECRET_KEY_VAR, TOKEN_VAR, Settings

logger = logging.getLogger(__name__)

STOP_GRACE_SECONDS = 10
ACTION_SERVER = [sys.executable, "-m", "bot", "serve-actions"]


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
