"""One Locust run, headless, and what it measured: turns/s, percentiles, errors, lost events.

Locust runs in its own process (it patches the standard library with gevent), with the
patients of `bench/locustfile.py`; its CSV summary and the patients' ledger are read back
here. Lost events are counted against the tracker store itself: every message the server
acknowledged and every reply a patient received must be an event in Rasa's `events` table.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, func, select

from bot.records.db import events
from bot.settings import ROOT

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
CLINIC_PATIENTS = ("RestPatient", "WebsitePatient")


@dataclass(frozen=True)
class Load:
    """What one run at a number of concurrent patients measured."""

    users: int
    turns: int
    errors: int
    turns_per_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    mean_ms: dict[str, float]
    """Mean turn time by visit name ("REST faq", "socket.io triage", ...)."""
    failures: dict[str, int]
    """"visit name: what went wrong" -> how often."""
    ledger: dict[str, dict[str, int]]


def run_load(host: str, users: int, seconds: int, *, token: str = "", origin: str = "",
             locustfile: Path = LOCUSTFILE,
             user_classes: Sequence[str] = CLINIC_PATIENTS) -> Load:
    """Run `users` patients in a closed loop (no pause between turns) for `seconds`.

    Visits under way at the end are finished (`--stop-timeout`), so every conversation
    in the ledger is whole. `origin` is the website the chat widget's page comes from.
    """
    with tempfile.TemporaryDirectory() as tmp:
        ledger = Path(tmp) / "ledger.json"
        env = {**os.environ, "BOT_API_TOKEN": token, "BENCH_LEDGER": str(ledger),
               "BENCH_ORIGIN": origin, "PYTHONPATH": str(ROOT)}
        done = subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(locustfile), "--headless",
             "--users", str(users), "--spawn-rate", str(users), "--run-time", f"{seconds}s",
             "--stop-timeout", "60", "--host", host, "--csv", f"{tmp}/load",
             "--only-summary", "--loglevel", "WARNING", *user_classes],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=seconds + 180,
        )
        stats = Path(f"{tmp}/load_stats.csv")
        if not stats.exists():
            raise RuntimeError(f"locust failed ({done.returncode}):\n{done.stderr[-3000:]}")
        return read_stats(stats.read_text(encoding="utf-8"),
                          Path(f"{tmp}/load_failures.csv").read_text(encoding="utf-8"),
                          users, json.loads(ledger.read_text(encoding="utf-8")))


def read_stats(stats_csv: str, failures_csv: str, users: int,
               ledger: dict[str, dict[str, int]]) -> Load:
    """The figures of Locust's `--csv` summary (its `Aggregated` row and one per name)."""
    rows = list(csv.DictReader(stats_csv.splitlines()))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    return Load(
        users=users,
        turns=int(total["Request Count"]),
        errors=int(total["Failure Count"]),
        turns_per_s=_number(total["Requests/s"]),
        p50_ms=_number(total["50%"]),
        p95_ms=_number(total["95%"]),
        p99_ms=_number(total["99%"]),
        mean_ms={row["Name"]: _number(row["Average Response Time"])
                 for row in rows if row["Name"] != "Aggregated"},
        failures={f"{row['Name']}: {row['Error']}": int(row["Occurrences"])
                  for row in csv.DictReader(failures_csv.splitlines())},
        ledger=ledger,
    )


def _number(text: str) -> float:
    """A figure of Locust's CSV ("N/A" when nothing was measured)."""
    return 0.0 if text == "N/A" else float(text)


def lost_events(database_url: str, ledger: Mapping[str, Mapping[str, int]],
                settle_s: float = 10.0) -> tuple[int, int]:
    """(Events the patients' ledger expects, of those not in the tracker store).

    A socket.io reply reaches the patient before its turn is saved, so the count is
    taken again, for up to `settle_s`, until nothing is missing or nothing changes.
    """
    expected = {(conversation, kind): count for conversation, counts in ledger.items()
                for kind, count in counts.items() if count}
    engine = create_engine(database_url)
    try:
        lost, deadline = None, time.monotonic() + settle_s
        while True:
            with engine.connect() as connection:
                found = dict(((sender, kind), count) for sender, kind, count in
                             connection.execute(
                                 select(events.c.sender_id, events.c.type_name, func.count())
                                 .group_by(events.c.sender_id, events.c.type_name)))
            before, lost = lost, sum(max(0, count - found.get(key, 0))
                                     for key, count in expected.items())
            if not lost or lost == before or time.monotonic() > deadline:
                return sum(expected.values()), lost
            time.sleep(1)
    finally:
        engine.dispose()
