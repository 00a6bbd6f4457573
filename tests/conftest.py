"""Fixtures that start the real servers: `python -m bot run` on free ports."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.launcher import LaunchedBot, launch
from bot.training import ensure_model


class RunningBot(LaunchedBot):
    """The launched bot, with REST replies as parsed JSON."""

    def say(self, text: str, sender: str) -> list[dict]:  # type: ignore[override]
        response = super().say(text, sender)
        assert response.status_code == 200, response.text
        return response.json()


def start(var_dir: Path, database_url: str | None = None) -> RunningBot:
    ensure_model()
    bot = RunningBot(**launch(var_dir, database_url).__dict__)
    try:
        bot.wait_until_up()
    except RuntimeError as exc:
        pytest.fail(str(exc))
    return bot


@pytest.fixture(scope="module")
def running_bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningBot]:
    bot = start(tmp_path_factory.mktemp("var"))
    yield bot
    bot.stop()


@pytest.fixture
def start_bot(tmp_path: Path) -> Iterator[Callable[[str | None], RunningBot]]:
    """Start a bot on a given database; stopped after the test."""
    started: list[RunningBot] = []

    def _start(database_url: str | None = None) -> RunningBot:
        started.append(start(tmp_path, database_url))
        return started[-1]

    yield _start
    for bot in started:
        bot.stop()
