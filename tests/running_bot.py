"""The real servers, started for a test: `python -m bot run` on free ports.

A plain module rather than part of conftest.py, so that test modules can import it by a
name no other conftest shares.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest
from launcher import LaunchedBot, launch

from bot.runtime.training import ensure_model
from bot.settings import ROOT


class RunningBot(LaunchedBot):
    """The launched bot, with REST replies as parsed JSON."""

    def say(self, text: str, sender: str) -> list[dict]:  # type: ignore[override]
        response = super().say(text, sender)
        assert response.status_code == 200, response.text
        return response.json()


def start(
    var_dir: Path, database_url: str | None = None, extra_env: Mapping[str, str] | None = None
) -> RunningBot:
    """Start the bot (training a model first if none matches) and wait until it answers."""
    ensure_model()
    bot = RunningBot(**launch(var_dir, database_url, extra_env).__dict__)
    try:
        bot.wait_until_up()
    except RuntimeError as exc:
        pytest.fail(str(exc))
    return bot


def bot_command(database_url: str, *args: str, stdin: str = "",
                **env: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot ARGS` on a database, as a clinic's administrator would."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=120,
        env={**os.environ, "DATABASE_URL": database_url, **env},
    )
