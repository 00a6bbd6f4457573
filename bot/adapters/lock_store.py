"""Rasa's Redis lock store with every change to a lock atomic across Rasa servers.

Several Rasa servers sharing conversations take turns on each one through a ticket lock
stored in Redis. Rasa's `RedisLockStore` changes it by read-modify-write of one JSON key
(issue a ticket, drop expired ones, finish a ticket, and `cleanup`: finish, then delete
the lock if nobody waits), so two servers can issue the same ticket, overwrite each
other's, or delete a lock another server just put a ticket in (which then fails with
`LockError`): two servers handle one conversation's turns at once, or a turn fails
(RasaHQ/rasa issue #9213; Rasa's `ConcurrentRedisLockStore`, PR #11256, was reverted from
Rasa Open Source in PR #11428).

Here each change is one optimistic transaction: WATCH the key, GET it, change the
`TicketLock` in Python, then MULTI, SET (or DEL when `cleanup` leaves nobody waiting),
EXEC; if another server wrote the key meanwhile, EXEC fails and the change is redone on
what it wrote. Every write gives the key an expiry (its latest ticket's remaining life
plus twice the lock lifetime, for clocks that differ), so a crashed server's lock ends.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from typing import TypeVar

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import (
    DEFAULT_REDIS_LOCK_STORE_KEY_PREFIX,
    DEFAULT_SOCKET_TIMEOUT_IN_SECONDS,
    LOCK_LIFETIME,
    LockError,
    RedisLockStore,
)
from rasa.utils.endpoints import EndpointConfig

T = TypeVar("T")

EXPIRY_MARGIN = 2 * LOCK_LIFETIME
"""Seconds a lock's key outlives its latest ticket."""


class AtomicRedisLockStore(RedisLockStore):
    """Rasa's `RedisLockStore`, configured by a Redis URL, whose lock changes are atomic."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        """Connect as endpoints.yml says: a Redis `url`, optional `key_prefix`, `socket_timeout`.

        The URL is `redis://[user:password@]host:port/db` (`rediss://` for TLS). Other
        options (Rasa's `db`, `password`, `use_ssl`...) are refused rather than silently
        ignored: they belong in the URL.
        """
        options = dict(endpoint_config.kwargs)
        key_prefix = options.pop("key_prefix", None)
        timeout = float(options.pop("socket_timeout", DEFAULT_SOCKET_TIMEOUT_IN_SECONDS))
        if not endpoint_config.url or options:
            raise ValueError(f"the lock store needs a Redis `url` and takes only `key_prefix` "
                             f"and `socket_timeout` besides (also given: {sorted(options)})")
        # Not RedisLockStore.__init__: it takes a host, a port, a db..., not a URL.
        self.red = redis.Redis.from_url(endpoint_config.url, socket_timeout=timeout)
        self.key_prefix = DEFAULT_REDIS_LOCK_STORE_KEY_PREFIX
        if key_prefix:
            self._set_key_prefix(str(key_prefix))

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """A new ticket, numbered after every ticket in the lock, whoever issued those."""
        try:
            return self._change(conversation_id, lambda lock: lock.issue_ticket(lock_lifetime),
                                create=True)
        except Exception as error:  # as Rasa's: the message processor expects a LockError
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: str) -> None:
        """Drop expired tickets without dropping one another server just issued."""
        self._change(conversation_id, lambda lock: lock.remove_expired_tickets())

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        """Remove the ticket without undoing another server's change."""
        self._change(conversation_id, lambda lock: lock.remove_ticket_for(ticket_number))

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Finish the ticket and, in the same step, delete the lock if nobody waits.

        In two steps, as Rasa does it, a ticket issued in between would be deleted with it.
        """
        self._change(conversation_id, lambda lock: lock.remove_ticket_for(ticket_number),
                     delete_if_idle=True)

    def save_lock(self, lock: TicketLock) -> None:
        """Store the lock with its expiry (kept for callers of Rasa's interface)."""
        self.red.set(self.key_prefix + lock.conversation_id, lock.dumps(), ex=_expiry(lock))

    def _change(
        self, conversation_id: str, change: Callable[[TicketLock], T], *,
        create: bool = False, delete_if_idle: bool = False,
    ) -> T | None:
        """Apply `change` to the stored lock atomically; its result (None: no lock).

        Retried until no other server wrote the key between our read and our write: each
        retry means another server's change went through, so all servers progress.
        """
        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    stored = pipe.get(key)
                    if not stored and not create:
                        return None
                    lock = (TicketLock.from_dict(json.loads(stored)) if stored
                            else self.create_lock(conversation_id))
                    result = change(lock)
                    pipe.multi()
                    if delete_if_idle and not lock.is_someone_waiting():
                        pipe.delete(key)
                    else:
                        pipe.set(key, lock.dumps(), ex=_expiry(lock))
                    pipe.execute()
                    return result
                except redis.WatchError:
                    continue


def _expiry(lock: TicketLock) -> int:
    """Seconds the lock's key should live: past its latest ticket, by `EXPIRY_MARGIN`."""
    latest = max((ticket.expires for ticket in lock.tickets), default=time.time())
    return max(1, math.ceil(latest - time.time() + EXPIRY_MARGIN))
