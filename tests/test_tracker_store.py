"""The caching tracker store against Rasa's own SQL store, on one real SQLite file.

Whatever the cache answers must be what Rasa's store reads from the database: over whole
conversations with new sessions, when another server writes in between, and when a save
fails because the database is locked (the events wait and are written next time).
"""

import asyncio
import random
import sqlite3

import pytest
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.utils.endpoints import EndpointConfig

from bot.adapters.tracker_store import CachingSQLTrackerStore, session_events
from bot.runtime.rasa_files import tracker_store_config
from bot.settings import ROOT

DOMAIN = Domain.load(str(ROOT / "domain.yml"))
SLOT = "clinic_name"


def stores(tmp_path, **kwargs):
    url = f"sqlite:///{tmp_path / 'events.db'}"
    ours = CachingSQLTrackerStore(DOMAIN, database_url=url, **kwargs)
    rasa = SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "events.db"))
    return ours, rasa


def turn(tracker, rng: random.Random, clock: list[float], new_session: bool) -> None:
    """One patient turn appended to the tracker, with increasing timestamps."""
    def at(event):
        clock[0] += rng.uniform(0.001, 2)
        event.timestamp = clock[0]
        return event

    if new_session:
        for event in (ActionExecuted("action_session_start"), SessionStarted(),
                      ActionExecuted("action_listen")):
            tracker.update(at(event))
    text = rng.choice(["hi", "what is work hardening", "my back", "no", "sí 😀 <b>x</b>"])
    tracker.update(at(UserUttered(text, {"name": "faq", "confidence": rng.random()},
                                  parse_data={"text": text, "intent_ranking": [
                                      {"name": "faq", "confidence": 0.9}]})))
    if rng.random() < 0.5:
        tracker.update(at(SlotSet(SLOT, rng.choice(["welder", "nurse", None]))))
    tracker.update(at(ActionExecuted("utter_greet")))
    tracker.update(at(BotUttered(f"reply to {text}")))
    tracker.update(at(ActionExecuted("action_listen")))


def same(a, b) -> None:
    assert (a is None) == (b is None)
    if a is not None:
        assert [e.as_dict() for e in a.events] == [e.as_dict() for e in b.events]
        assert a.current_slot_values() == b.current_slot_values()


async def _play(ours, rasa, seed: int, turns: int) -> None:
    rng, clock = random.Random(seed), [1_700_000_000.0]
    sender = f"patient-{seed}"
    assert await ours.retrieve(sender) is None
    for number in range(turns):
        tracker = await ours.retrieve(sender) or ours.init_tracker(sender)
        turn(tracker, rng, clock, new_session=number == 0 or rng.random() < 0.15)
        await ours.save(tracker)
        same(await ours.retrieve(sender), await rasa.retrieve(sender))
        same(await ours.retrieve_full_tracker(sender), await rasa.retrieve_full_tracker(sender))


@pytest.mark.parametrize("seed", range(6))
def test_every_turn_reads_back_as_rasas_own_store_reads_the_database(tmp_path, seed):
    ours, rasa = stores(tmp_path)
    asyncio.run(_play(ours, rasa, seed, turns=12))


def test_a_tiny_cache_still_answers_right(tmp_path):
    ours, rasa = stores(tmp_path, cache_size=1)

    async def play() -> None:
        for seed in range(3):
            await _play(ours, rasa, seed, turns=4)
        for seed in range(3):
            same(await ours.retrieve(f"patient-{seed}"), await rasa.retrieve(f"patient-{seed}"))

    asyncio.run(play())


def test_what_another_server_wrote_is_read_and_nothing_doubles(tmp_path):
    ours, rasa = stores(tmp_path)
    rng, clock = random.Random(7), [1_700_000_000.0]

    async def play() -> None:
        tracker = ours.init_tracker("p")
        turn(tracker, rng, clock, new_session=True)
        await ours.save(tracker)  # cached here
        elsewhere = await rasa.retrieve("p")
        turn(elsewhere, rng, clock, new_session=False)
        await rasa.save(elsewhere)  # another server's turn
        mine = await ours.retrieve("p")
        same(mine, elsewhere)
        turn(mine, rng, clock, new_session=False)
        await ours.save(mine)
        same(await rasa.retrieve("p"), mine)

    asyncio.run(play())


def test_events_of_a_locked_database_wait_and_are_written_next_time(tmp_path):
    ours, rasa = stores(tmp_path, busy_timeout_s=0.2)
    rng, clock = random.Random(3), [1_700_000_000.0]

    async def play() -> None:
        tracker = ours.init_tracker("p")
        turn(tracker, rng, clock, new_session=True)
        await ours.save(tracker)
        stored = len((await rasa.retrieve("p")).events)
        lock = sqlite3.connect(tmp_path / "events.db", isolation_level=None)
        lock.execute("BEGIN EXCLUSIVE")  # a backup or another writer holding the file
        tracker = await ours.retrieve("p")
        turn(tracker, rng, clock, new_session=False)
        await ours.save(tracker)  # answered anyway: nothing raised
        waiting = await ours.retrieve("p")
        same(waiting, tracker)  # this server goes on with the waiting events
        lock.execute("ROLLBACK")
        lock.close()
        assert len((await rasa.retrieve("p")).events) == stored  # not written yet
        turn(waiting, rng, clock, new_session=False)
        await ours.save(waiting)
        same(await rasa.retrieve("p"), waiting)  # all of them, in order, once

    asyncio.run(play())


def test_waiting_events_are_never_evicted_and_any_later_save_writes_them(tmp_path):
    ours, rasa = stores(tmp_path, busy_timeout_s=0.2, cache_size=1)
    rng, clock = random.Random(5), [1_700_000_000.0]

    async def play() -> None:
        lock = sqlite3.connect(tmp_path / "events.db", isolation_level=None)
        lock.execute("SELECT 1")  # the file exists before it is locked
        first = ours.init_tracker("a")
        turn(first, rng, clock, new_session=True)
        await ours.save(first)
        lock.execute("BEGIN EXCLUSIVE")
        tracker = await ours.retrieve("a")
        turn(tracker, rng, clock, new_session=False)
        await ours.save(tracker)  # waits
        assert await ours.retrieve("b") is None  # as Rasa asks before creating one
        other = ours.init_tracker("b")
        turn(other, rng, clock, new_session=True)
        await ours.save(other)  # waits too; the cache holds 1, yet keeps both
        lock.execute("ROLLBACK")
        lock.close()
        assert await ours.retrieve("c") is None
        third = ours.init_tracker("c")
        turn(third, rng, clock, new_session=True)
        await ours.save(third)  # the database takes writes again: all that waited goes in
        same(await rasa.retrieve("a"), tracker)
        for sender, played in (("b", other), ("c", third)):
            stored = await rasa.retrieve(sender)
            same(stored, await ours.retrieve(sender))
            assert [e.as_dict() for e in stored.events] == [
                e.as_dict() for e in session_events(played.events)]

    asyncio.run(play())


def test_the_latest_session_is_cut_where_rasa_cuts_it():
    events = [ActionExecuted("action_listen", timestamp=1), SessionStarted(timestamp=2),
              ActionExecuted("action_listen", timestamp=2), SessionStarted(timestamp=5),
              ActionExecuted("action_listen", timestamp=6)]
    assert session_events(events) == events[3:]
    assert session_events(events[:1]) == events[:1]
    late = [SessionStarted(timestamp=9), ActionExecuted("action_listen", timestamp=9),
            SessionStarted(timestamp=4), ActionExecuted("action_listen", timestamp=5)]
    assert session_events(late) == late[:2]  # the latest timestamp, not the last in order


def test_rasa_builds_our_store_from_the_endpoints_we_write(tmp_path):
    config = tracker_store_config(f"sqlite:///{tmp_path / 'x.db'}")
    store = TrackerStore.create(EndpointConfig.from_dict(config), DOMAIN)
    assert isinstance(store, CachingSQLTrackerStore)  # not Rasa's silent in-memory fallback
