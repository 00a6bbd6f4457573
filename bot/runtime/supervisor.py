"""Run the Rasa server, the action server and the website together, in the foreground.

All run as child processes of one supervisor, so Ctrl-C (or SIGTERM from a service
manager) stops them all. If one crashes, the others keep serving and it is started again
after a wait that grows with each crash in a row (`restarts.py`); after too many, the
supervisor stops them all and exits with the crashed server's status, so that a service
manager (README, "Running as a service") can act. The children run in their own sessions
so that a terminal's Ctrl-C reaches only the supervisor, which then stops them in order.
"""

from __future__ import annotations

import logging
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from bot.runtime.restarts import CrashCount, RestartPolicy
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
    return [f"{port} ({name})" for name, host, port in wanted if port_taken(port, host)]


def port_taken(port: int, host: str = "127.0.0.1") -> bool:
    """Whether something already listens on `port` of `host`."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def run_servers(settings: Settings, model: Path) -> int:
    """Start the servers and keep them up until we are told to stop (`supervise`)."""
    env = {**rasa_env(), "SANIC_HOST": "127.0.0.1",
           TOKEN_VAR: settings.api_token or "", SECRET_KEY_VAR: settings.secret_key or ""}
    commands = {
        "action server": ACTION_SERVER,
        "Rasa server": [sys.executable, "-m", "bot", "serve-rasa", "--model", str(model)],
        "website": [sys.executable, "-m", "bot", "serve-web"],
    }
    return supervise(commands, settings.root, env, RestartPolicy())


@dataclass
class _Child:
    name: str
    command: Sequence[str]
    crashes: CrashCount
    own_env: Mapping[str, str]
    process: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    restart_at: float | None = None

    def start(self, cwd: Path, env: Mapping[str, str]) -> None:
        self.process = subprocess.Popen(self.command, cwd=cwd, env={**env, **self.own_env},
                                        start_new_session=True)
        self.started, self.restart_at = time.monotonic(), None


def supervise(commands: Mapping[str, Sequence[str]], cwd: Path, env: Mapping[str, str],
              policy: RestartPolicy,
              own_env: Mapping[str, Mapping[str, str]] | None = None) -> int:
    """Run each command as a named server until SIGINT or SIGTERM; restart one that exits.

    `own_env` adds variables to some servers' environment (their ports, say). Returns 0
    after a requested stop, else the status of the server that crashed too often in a row.
    """
    own_env = own_env or {}
    children = [_Child(name, command, CrashCount(policy), own_env.get(name, {}))
                for name, command in commands.items()]
    stopping = False

    def request_stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    previous = {s: signal.signal(s, request_stop) for s in (signal.SIGINT, signal.SIGTERM)}
    gave_up: int | None = None
    try:
        for child in children:
            child.start(cwd, env)
        while not stopping and gave_up is None:
            time.sleep(0.2)
            for child in children:
                if stopping:
                    break
                gave_up = _watch(child, cwd, env)
                if gave_up is not None:
                    break
    finally:
        _stop_all([c.process for c in children if c.process is not None])
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0 if gave_up is None else (gave_up or 1)


def _watch(child: _Child, cwd: Path, env: Mapping[str, str]) -> int | None:
    """Restart `child` when due; schedule a restart when it exited. Its status on giving up."""
    now = time.monotonic()
    if child.restart_at is not None:
        if now >= child.restart_at:
            child.start(cwd, env)
            logger.warning("Started the %s again.", child.name)
        return None
    assert child.process is not None
    status = child.process.poll()
    if status is None:
        return None
    delay = child.crashes.delay_after_crash(now - child.started)
    if delay is None:
        logger.error("The %s exited with status %s, %d times in a row; stopping every server.",
                     child.name, status, child.crashes.in_a_row)
        return status
    logger.error("The %s exited with status %s; starting it again in %g s "
                 "(crash %d in a row; the limit is %d).",
                 child.name, status, delay, child.crashes.in_a_row, child.crashes.policy.limit)
    child.restart_at = now + delay
    return None


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
