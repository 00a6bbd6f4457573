"""The scale-out stack for tests: `python -m bot scale-up` as a clinic runs it, torn down after.

Two Rasa servers and one action server, PostgreSQL, Redis and nginx on their loopback
ports (`bot.runtime.scaled.Stack`), with a throw-away var folder and its own secrets.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bot.records.accounts import add_staff
from bot.records.db import make_engine, session_factory
from bot.runtime.scaled import Stack, upstream_log
from bot.settings import ROOT


@dataclass(frozen=True)
class ScaledStack:
    """The running stack, its API token and the environment that reaches it."""

    stack: Stack
    token: str
    env: dict[str, str]

    @property
    def url(self) -> str:
        return self.stack.url

    def add_staff(self, email: str, password: str) -> None:
        """A staff account in the stack's PostgreSQL database."""
        engine = make_engine(self.stack.database_url)
        try:
            with session_factory(engine)() as db:
                add_staff(db, email, password)
        finally:
            engine.dispose()

    def upstream_log(self) -> list[tuple[str, str]]:
        """(method, upstream) of every request nginx has passed on, in order."""
        return upstream_log(self.stack)


def bot(env: dict[str, str], *args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


@contextmanager
def scaled_stack(var_dir: Path, servers: int = 2) -> Iterator[ScaledStack]:
    """Bring the stack up; yield it; bring it down, even when a test failed."""
    token = uuid.uuid4().hex
    env = {**os.environ, "BOT_VAR_DIR": str(var_dir), "BOT_API_TOKEN": token,
           "BOT_SECRET_KEY": uuid.uuid4().hex, "BOT_LOGIN_RATE_PER_ADDRESS": "100000",
           "BOT_RATE_PER_ADDRESS": "100000"}
    try:
        up = bot(env, "scale-up", "--servers", str(servers), "--actions", "1", timeout=900)
        log = var_dir / "scale" / "servers.log"
        assert up.returncode == 0, (up.stdout + up.stderr)[-3000:] + (
            log.read_text()[-3000:] if log.is_file() else "")
        stack = Stack.load(var_dir / "scale")
        assert stack is not None
        yield ScaledStack(stack, token, env)
    finally:
        bot(env, "scale-down", timeout=120)
