"""Users of Rasa's bare `rasa init` bot ("moodbot"), for the comparison in `make bench`.

The same closed loop over REST as the clinic's patients, with moodbot's own small talk
(`bench/visits.yml`, `init_bot`).
"""

from __future__ import annotations

from bench.locustfile import RestVisitor


class InitBotUser(RestVisitor):
    """One `rasa init` user; its conversations are in that bot's memory, not counted."""

    book = "init_bot"
