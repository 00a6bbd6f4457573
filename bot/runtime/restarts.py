"""When to restart a server that crashed, and when to give up.

A crashed action server (or website, or Rasa server) should not take the others down: the
supervisor starts it again after a short wait that doubles with each crash in a row, so a
server that cannot start (a broken database URL, a port taken) does not spin the CPU, and
gives up after a few crashes in a row, when waiting longer will not help. A server that
then ran for a while has recovered: its count starts again.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RestartPolicy:
    """Backoff and limit; the defaults suit a clinic's single machine."""

    first_delay: float = 1.0
    max_delay: float = 30.0
    limit: int = 5
    stable_after: float = 120.0


@dataclass
class CrashCount:
    """One server's crashes in a row, under a policy."""

    policy: RestartPolicy
    in_a_row: int = 0

    def delay_after_crash(self, ran_for: float) -> float | None:
        """Seconds to wait before starting the server again; None to give up."""
        if ran_for >= self.policy.stable_after:
            self.in_a_row = 0
        self.in_a_row += 1
        if self.in_a_row > self.policy.limit:
            return None
        return min(self.policy.max_delay, self.policy.first_delay * 2 ** (self.in_a_row - 1))
