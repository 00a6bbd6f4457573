"""Fixtures that start the real servers: `python -m bot run` on free ports."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest
from running_bot import RunningBot, start

pytest_plugins = ["staff_fixtures"]  # the staff data tests' databases


@pytest.fixture(scope="session")
def running_bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningBot]:
    """One bot with the default settings for every test that needs no settings of its own
    (the website, REST and browser tests): starting one takes about 30 s. Tests keep apart
    by using new conversation ids."""
    bot = start(tmp_path_factory.mktemp("var"))
    yield bot
    bot.stop()


@pytest.fixture
def start_bot(tmp_path: Path) -> Iterator[Callable[..., RunningBot]]:
    """Start a bot on a given database (and extra settings); stopped after the test."""
    started: list[RunningBot] = []

    def _start(
        database_url: str | None = None, extra_env: Mapping[str, str] | None = None
    ) -> RunningBot:
        started.append(start(tmp_path, database_url, extra_env))
        return started[-1]

    yield _start
    for bot in started:
        bot.stop()
