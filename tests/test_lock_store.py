"""The atomic Redis lock store against Rasa's own, on a real redis-server.

Two store instances are two Rasa servers. The races are played step by step: the other
server's move runs just before one server writes the lock it read (`before_first`), which
loses tickets with Rasa's store and not with ours. Then four processes take turns on one
conversation for real, and no two turns may overlap.
"""

from __future__ import annotations

import asyncio
import itertools
import multiprocessing
import time
from collections.abc import Callable, Iterator
from multiprocessing.synchronize import Barrier

import pytest
import redis
from rasa.core.lock_store import LockError, LockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig, read_endpoint_config
from redis_server import RedisServer, redis_server

from bot.adapters.lock_store import EXPIRY_MARGIN, AtomicRedisLockStore

OURS = "bot.adapters.lock_store.AtomicRedisLockStore"
CID = "patient-1"


@pytest.fixture(scope="module")
def server() -> Iterator[RedisServer]:
    with redis_server() as running:
        yield running


@pytest.fixture
def url(server: RedisServer) -> str:
    """Database 0 of the module's server, emptied."""
    server.client().flushall()
    return server.url()


def ours(url: str) -> AtomicRedisLockStore:
    return AtomicRedisLockStore(EndpointConfig(url=url))


def rasas(url: str) -> RedisLockStore:
    client = redis.Redis.from_url(url).connection_pool.connection_kwargs
    return RedisLockStore(host=client["host"], port=client["port"], db=client["db"])


def before_first(store: LockStore, command: str, move: Callable[[], object]) -> None:
    """Run `move` (the other server's) just before `store` next sends `command` to Redis,
    on its client or a pipeline of it: after it read the lock, before it writes it."""
    pending = [move]

    def instrument(client):
        send = client.execute_command

        def execute(*args, **options):
            if args[0] == command and pending:
                pending.pop()()
            return send(*args, **options)

        client.execute_command = execute
        return client

    pipeline = instrument(store.red).pipeline
    store.red.pipeline = lambda *args, **options: instrument(pipeline(*args, **options))


MOVES = {
    "issue_ticket": lambda store: store.issue_ticket(CID),
    "update_lock": lambda store: store.update_lock(CID),
    "finish_serving": lambda store: store.finish_serving(CID, 0),
}


def race(a: LockStore, b: LockStore, move: str) -> tuple[int, object, list[int]]:
    """A holds ticket 0 and makes `move`; B issues a ticket meanwhile. B's ticket, A's
    move's result and the tickets stored after both."""
    a.issue_ticket(CID)
    theirs: list[int] = []
    before_first(a, "SET", lambda: theirs.append(b.issue_ticket(CID)))
    result = MOVES[move](a)
    return theirs[0], result, [ticket.number for ticket in b.get_lock(CID).tickets]


RACES = [  # whose store, A's move, the tickets then stored, the ticket A's issue got
    ("ours", "issue_ticket", [0, 1, 2], 2),
    ("Rasa's", "issue_ticket", [0, 1], 1),  # A and B both hold ticket 1
    ("ours", "update_lock", [0, 1], None),
    ("Rasa's", "update_lock", [0], None),  # B's ticket is lost
    ("ours", "finish_serving", [1], None),
    ("Rasa's", "finish_serving", [], None),
]


@pytest.mark.e2e
@pytest.mark.parametrize(("whose", "move", "stored", "issued"), RACES)
def test_a_ticket_another_server_issues_meanwhile_is_kept_by_our_store_only(
        url, whose, move, stored, issued):
    store = ours if whose == "ours" else rasas
    theirs, result, kept = race(store(url), store(url), move)
    assert kept == stored and theirs == 1
    assert issued is None or result == issued


async def cleanup_race(a: LockStore, b: LockStore):
    """A's turn ends; just before A deletes the lock nobody waited for, B queues."""
    queued: list[int] = []
    async with a.lock(CID, wait_time_in_seconds=0.01):
        before_first(a, "DEL", lambda: queued.append(b.issue_ticket(CID)))
    return await b._acquire_lock(CID, queued[0], wait_time_in_seconds=0.01)


@pytest.mark.e2e
def test_rasas_cleanup_deletes_the_lock_another_server_just_queued_in(url):
    with pytest.raises(LockError):
        asyncio.run(cleanup_race(rasas(url), rasas(url)))


@pytest.mark.e2e
def test_our_cleanup_leaves_the_lock_to_the_server_queued_in_it(url):
    lock = asyncio.run(cleanup_race(ours(url), ours(url)))
    assert [ticket.number for ticket in lock.tickets] == [lock.now_serving] == [1]


def take_turns(url: str, server: int, turns: int, start: Barrier) -> None:
    """One Rasa server's `turns` on the shared conversation, logged in Redis as they run."""
    store = LockStore.create(EndpointConfig(url=url, type=OURS))
    log = redis.Redis.from_url(url)

    async def run() -> None:
        for turn in range(turns):
            async with store.lock(CID, wait_time_in_seconds=0.002):
                log.rpush("turns", f"in {server} {turn}")
                await asyncio.sleep(0.001)
                log.rpush("turns", f"out {server} {turn}")

    start.wait(timeout=30)
    asyncio.run(run())


@pytest.mark.e2e
def test_servers_in_four_processes_never_handle_the_conversation_at_once(url, server):
    servers, turns = 4, 50
    spawn = multiprocessing.get_context("spawn")
    start = spawn.Barrier(servers)
    processes = [spawn.Process(target=take_turns, args=(url, number, turns, start))
                 for number in range(servers)]
    for process in processes:
        process.start()
    deadline = time.monotonic() + 60  # Rasa's: stalls for a ticket's lifetime
    for process in processes:
        process.join(timeout=max(0.0, deadline - time.monotonic()))
    for process in processes:
        process.kill()
        process.join()
    assert [process.exitcode for process in processes] == [0] * servers  # no LockError
    log = [entry.decode() for entry in server.client().lrange("turns", 0, -1)]
    assert len(log) == 2 * servers * turns
    for entered, left in zip(log[::2], log[1::2], strict=True):
        assert entered.startswith("in ") and left == "out " + entered[3:]
    by = [entry.split()[1] for entry in log[::2]]
    assert sum(a != b for a, b in itertools.pairwise(by)) > servers * 5  # they took turns
    assert not server.client().exists("lock:" + CID)  # the last turn's cleanup deleted it


@pytest.mark.e2e
def test_built_from_endpoints_yml_as_rasa_builds_it(server, url, tmp_path):
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(f"lock_store:\n  type: {OURS}\n  url: {server.url(3)}\n"
                         f"  key_prefix: clinic\n")
    store = LockStore.create(read_endpoint_config(str(endpoints), "lock_store"))
    assert type(store) is AtomicRedisLockStore
    assert store.issue_ticket(CID) == 0
    assert server.client(3).exists("clinic:lock:" + CID)
    assert not server.client(0).keys()


@pytest.mark.e2e
def test_a_password_in_the_url_is_used():
    with redis_server(password="s3cret:/@x") as guarded:
        store = LockStore.create(EndpointConfig(url=guarded.url(2), type=OURS))
        assert store.issue_ticket(CID) == 0
        assert guarded.client(2).exists("lock:" + CID)


def test_a_rediss_url_connects_over_tls():
    store = LockStore.create(EndpointConfig(url="rediss://redis.internal:6380/1", type=OURS))
    assert store.red.connection_pool.connection_class is redis.SSLConnection


def test_options_that_belong_in_the_url_are_refused():
    with pytest.raises(ValueError, match="db"):
        LockStore.create(EndpointConfig(url="redis://127.0.0.1/1", type=OURS, db=2))


@pytest.mark.e2e
def test_the_lock_key_expires_after_its_latest_ticket(server, url):
    store, key = ours(url), "lock:" + CID
    store.issue_ticket(CID, lock_lifetime=30)
    assert 30 < server.client().ttl(key) <= 30 + EXPIRY_MARGIN
    store.finish_serving(CID, 0)  # the lock stays, with no ticket
    assert 0 < server.client().ttl(key) <= EXPIRY_MARGIN
    started = time.time()
    store.issue_ticket(CID, lock_lifetime=1000)
    store.update_lock(CID)
    assert 1000 < server.client().ttl(key) <= 1000 + EXPIRY_MARGIN + time.time() - started
