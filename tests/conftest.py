"""Fixtures that start the real servers: `python -m bot run` on free ports."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.launcher import LaunchedBot, launch
from bot.training import ensure_model


class RunningBot(LaunchedBot):
    """The launched bot, with REST replies as parsed JSON."""

    def say(self, text: str, sender: str) -> list[dict]:  # type: ignore[override]
        response = super().say(text, sender)
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture(scope="module")
def running_bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningBot]:
    ensure_model()
    launched = launch(tmp_path_factory.mktemp("var"))
    bot = RunningBot(**launched.__dict__)
    try:
        bot.wait_until_up()
    except RuntimeError as exc:
        pytest.fail(str(exc))
    yield bot
    bot.stop()
