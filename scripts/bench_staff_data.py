"""Time the staff pages' data layer on a realistic database (default 10 000 conversations).

    python scripts/bench_staff_data.py [-n 10000] [--repeat 20] [--database-url URL]

Seeds a throw-away SQLite database (or the empty database at --database-url) with
`seed_conversations.seed`, then times building the summaries from scratch, an incremental
refresh with nothing new, list pages for several filters (text search included), a
conversation's detail and the overview. Prints p50 and max in milliseconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from seed_conversations import ROOT, seed

sys.path.insert(0, str(ROOT))

from bot.core.triage import load_rules
from bot.records.conversations import (
    ConversationQuery,
    get_conversation,
    list_conversations,
    overview,
    refresh_summaries,
)
from bot.records.db import make_engine, migrate, session_factory


def timed(repeat: int, work: Callable[[], object]) -> tuple[float, float]:
    """p50 and max of `repeat` runs, in ms."""
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs), max(runs)


def main() -> None:
    """Seed, then print one line per measured operation."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10_000, help="conversations to seed")
    parser.add_argument("--repeat", type=int, default=20, help="runs per measurement")
    parser.add_argument("--database-url", help="an empty database (default: temporary SQLite)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
        migrate(url)
        engine = make_engine(url)
        started = time.perf_counter()
        events = seed(engine, args.n, seed=1)
        print(f"seeded {args.n} conversations, {events} events "
              f"in {time.perf_counter() - started:.1f} s")
        rules = load_rules(ROOT / "triage_rules.yml")
        today = dt.datetime.now(dt.UTC).date()
        with session_factory(engine)() as session:
            started = time.perf_counter()
            read = refresh_summaries(session)
            print(f"refresh_summaries from scratch: {read} events "
                  f"in {time.perf_counter() - started:.2f} s")
            urgent = list_conversations(session, ConversationQuery(flag="urgent")).rows[0]
            measurements: dict[str, Callable[[], object]] = {
                "refresh, nothing new": lambda: refresh_summaries(session),
                "list, newest first": lambda: list_conversations(session, ConversationQuery()),
                "list, last page by channel": lambda: list_conversations(
                    session, ConversationQuery(page=200, sort="channel")),
                "list, last 7 days, fallback": lambda: list_conversations(
                    session, ConversationQuery(date_from=today - dt.timedelta(days=7),
                                               flag="fallback")),
                "list, abandoned, unreviewed": lambda: list_conversations(
                    session, ConversationQuery(flag="abandoned", reviewed=False)),
                "list, outcome + channel, by turns": lambda: list_conversations(
                    session, ConversationQuery(outcome="work_hardening", channel="twilio",
                                               sort="-turns")),
                "list, text 'back'": lambda: list_conversations(
                    session, ConversationQuery(text="back")),
                "list, text not found": lambda: list_conversations(
                    session, ConversationQuery(text="no such words anywhere")),
                "detail (urgent conversation)": lambda: get_conversation(
                    session, urgent.sender_id, rules),
                "overview, 30 days": lambda: overview(
                    session, today - dt.timedelta(days=30), today),
                "overview, 90 days": lambda: overview(
                    session, today - dt.timedelta(days=90), today),
            }
            width = max(map(len, measurements))
            for name, work in measurements.items():
                p50, worst = timed(args.repeat, work)
                print(f"{name:<{width}}  p50 {p50:7.1f} ms   max {worst:7.1f} ms")
        engine.dispose()


if __name__ == "__main__":
    main()
