"""Fixtures that start the real servers: `python -m bot run` on free ports."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest
from channel_standin import PlatformStandIn, channel_env
from running_bot import RunningBot, start
from scaled_stack import ScaledStack, scaled_stack
from smtp_inbox import Inbox, Smtp

from bot.settings import Settings

pytest_plugins = ["staff_fixtures"]  # the staff data tests' databases

# Fixtures that start real servers or processes: a test that uses one is `e2e`.
SERVER_FIXTURES = frozenset({
    "running_bot", "start_bot", "standin", "bot", "site", "website", "channel_url",
    "strict_url", "smtp", "mailbox", "scaled",
})


def _starts_something(item: pytest.Item) -> bool:
    """A server, a process or a PostgreSQL connection: marked, by fixture, or by parameter."""
    params = item.callspec.params.values() if hasattr(item, "callspec") else ()
    return bool(item.get_closest_marker("e2e") or SERVER_FIXTURES & set(item.fixturenames)
                or "postgres" in params)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test `unit`, `e2e` or `browser` by what it starts, so `pytest -m unit`
    runs the pure tests in seconds and no test can forget its marker."""
    for item in items:
        if "browser" in item.path.parts:
            item.add_marker(pytest.mark.browser)
        elif _starts_something(item):
            item.add_marker(pytest.mark.e2e)
        else:
            item.add_marker(pytest.mark.unit)


@pytest.fixture(scope="session")
def standin() -> Iterator[PlatformStandIn]:
    """The messaging platforms' APIs, on loopback, for the session's bot."""
    platforms = PlatformStandIn(telegram_username="ClinicRehabBot")
    platforms.start()
    yield platforms
    platforms.stop()


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[Smtp]:
    """The clinic's mail server, on loopback, for the session's bot's notifications."""
    server = Smtp()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mailbox(smtp_server: Smtp) -> Inbox:
    """The mail the session's bot has sent to the clinic."""
    return smtp_server.inbox


@pytest.fixture(scope="session")
def running_bot(
    standin: PlatformStandIn, smtp_server: Smtp, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningBot]:
    """One full stack for every test that needs no settings of its own (website, REST,
    every messaging channel, browser): starting one takes about 30 s, so the session starts
    it once, with every channel on and pointed at the stand-in. Tests keep apart by using
    new conversation ids."""
    bot = start(tmp_path_factory.mktemp("var"),
                extra_env={**channel_env(standin.url), **smtp_server.env})
    yield bot
    bot.stop()


@pytest.fixture(scope="session")
def scaled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ScaledStack]:
    """The scale-out stack (two Rasa servers, PostgreSQL, Redis, nginx), started once: it
    takes about 100 s."""
    with scaled_stack(tmp_path_factory.mktemp("scaled")) as stack:
        yield stack


@pytest.fixture(scope="session")
def website(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """The website alone (no Rasa, a second or two to start) with the default settings,
    for the tests of its pages that need no chat."""
    from staff_web_fixtures import staff_site  # after pytest_plugins: assertions rewritten

    settings = Settings.from_env()
    with staff_site(tmp_path_factory.mktemp("site"),
                    BOT_RETENTION_DAYS=str(settings.retention_days)) as site:
        yield site


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
