"""`make scale-proof`: the scale-out stack brought up, proven and torn down; one JSON line last.

    python -m bench.scale_proof [--servers 2] [--actions 2] [--users 20] [--seconds 30]

On the loopback stack (`bot.runtime.scaled`: PostgreSQL, Redis, nginx, Debian's packages):
1. **state**: the benchmark's visits (`bench/visits.yml`: FAQ, triage, emergency, call-back)
   over REST through nginx, which deals turns round-robin, so one conversation's turns land
   on different Rasa servers (nginx names the server in `X-Upstream`). Each is compared
   with the same visit played on one Rasa server directly: same slots, same replies.
2. **load**: the Locust benchmark (`bench/load.py`) through nginx with 1 Rasa server in
   the rotation, then with all of them: turns/s, p95, and every event the patients were
   sent or acknowledged found in PostgreSQL.
3. **kill**: the triage and call-back visits played by patients at once while one Rasa
   server is killed (SIGKILL) mid-run; a patient whose turn failed checks the store before
   saying it again, as a careful gateway does. Every conversation must end as on one
   server, with each message stored exactly once.
Figures also go to var/bench/scale.json. Exit status 0 when no event was lost, state was
kept and the kill survived.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import psutil
import requests
from sqlalchemy import create_engine, func, select

from bench.load import lost_events, run_load
from bench.visits import VISITS, turns
from bot.records.db import events
from bot.runtime import scaled
from bot.runtime.training import ensure_model
from bot.settings import ROOT, Settings, ensure_secrets

UNLIMITED = {"BOT_RATE_PER_ADDRESS": "1000000", "BOT_RATE_PER_CONVERSATION": "1000000"}
"""Every simulated patient comes from 127.0.0.1; the rate limits would turn them away."""
COMPARED_SLOTS_SKIP = {"clinic_open", "clinic_opens"}
"""Slots that follow the clock, not the conversation."""
REPLY_TIMEOUT_S = 150
"""A conversation whose server was killed mid-turn waits for its lock ticket to expire."""


class Patient:
    """Plays visits over Rasa's REST channel, turn by turn, with a gateway's care."""

    def __init__(self, url: str, token: str, database_url: str) -> None:
        self.url, self.token = url, token
        self.engine = create_engine(database_url)
        self.http = requests.Session()

    def play(self, sender: str, visit: str,
             after_turn: Callable[[int], object] = lambda _: None) -> list[str]:
        """Each turn of `visit` as `sender`; the Rasa servers that answered, in order.

        `after_turn` is told how many turns are done after each one.
        """
        served = []
        for said, (text, _) in enumerate(turns(VISITS["clinic"][visit]), 1):
            served.append(self.say(sender, text, said))
            after_turn(said)
        return served

    def say(self, sender: str, text: str, said: int) -> str:
        """One turn; after a failure, said again only if the store does not have it."""
        for _ in range(5):
            try:
                answer = self.http.post(f"{self.url}/webhooks/rest/webhook",
                                        json={"sender": sender, "message": text},
                                        headers={"Authorization": f"Bearer {self.token}"},
                                        timeout=REPLY_TIMEOUT_S)
                if answer.status_code == 200:
                    return answer.headers.get("X-Upstream", "direct")
            except requests.RequestException:
                pass
            if self.stored_messages(sender) >= said:
                return "lost reply"
            time.sleep(1)
        raise RuntimeError(f"no server took turn {said} of {sender}")

    def stored_messages(self, sender: str) -> int:
        """The patient's messages stored for `sender` (REST conversations are `rest:`)."""
        with self.engine.connect() as db:
            return db.scalar(select(func.count()).where(
                events.c.sender_id == f"rest:{sender}", events.c.type_name == "user"))

    def outcome(self, sender: str) -> tuple[dict[str, Any], list[str]]:
        """The conversation's slots and the names of the responses it was given."""
        tracker = self.http.get(f"{self.url}/conversations/rest:{sender}/tracker",
                                headers={"Authorization": f"Bearer {self.token}"},
                                timeout=60).json()
        slots = {k: v for k, v in tracker["slots"].items() if k not in COMPARED_SLOTS_SKIP}
        said = [e.get("metadata", {}).get("utter_action") or e.get("text", "")
                for e in tracker["events"] if e["event"] == "bot"]
        return slots, said


def patients(stack: scaled.Stack, token: str) -> tuple[Patient, Patient]:
    """One patient through nginx, and one on the first Rasa server alone (the reference)."""
    return (Patient(stack.url, token, stack.database_url),
            Patient(f"http://127.0.0.1:{stack.rasa_ports[0]}", token, stack.database_url))


def same_as_alone(patient: Patient, alone: Patient, visit: str, sender: str) -> bool:
    """Whether `sender`'s conversation ended as the visit does on one server alone."""
    reference = f"alone-{uuid.uuid4().hex[:12]}"
    alone.play(reference, visit)
    return patient.outcome(sender) == alone.outcome(reference)


def state_kept(stack: scaled.Stack, token: str, rounds: int = 3) -> dict[str, Any]:
    """Visits through nginx (turns on several servers) end as on one server."""
    patient, alone = patients(stack, token)
    crossed, kept = 0, True
    for visit in list(VISITS["clinic"]) * rounds:
        sender = f"state-{uuid.uuid4().hex[:12]}"
        servers = set(patient.play(sender, visit)) - {"lost reply"}
        if len(servers) > 1:
            crossed += 1
            kept = same_as_alone(patient, alone, visit, sender) and kept
    return {"conversations": len(VISITS["clinic"]) * rounds, "crossed": crossed,
            "kept": kept and crossed > 0}


def survived_kill(stack: scaled.Stack, token: str, count: int = 8) -> dict[str, Any]:
    """Patients at once while one Rasa server is killed; all end as on one server alone.

    The last server is killed: the reference plays on the first.
    """
    patient, alone = patients(stack, token)
    visits = {f"kill-{uuid.uuid4().hex[:12]}": ("triage", "callback")[n % 2]
              for n in range(count)}
    started = threading.Event()

    def second_turn_done(said: int) -> None:
        if said == 2:
            started.set()

    with ThreadPoolExecutor(count) as pool:
        played = [pool.submit(patient.play, sender, visit, second_turn_done)
                  for sender, visit in visits.items()]
        started.wait(120)
        killed = kill_rasa_server(stack.rasa_ports[-1])
        errors = [str(f.exception()) for f in played if f.exception() is not None]
    ended_right = all(same_as_alone(patient, alone, visit, sender)
                      for sender, visit in visits.items())
    once = all(patient.stored_messages(sender) == len(VISITS["clinic"][visit]["turns"])
               for sender, visit in visits.items())
    return {"conversations": count, "killed_pid": killed, "errors": errors,
            "ended_right": ended_right,
            "each_message_once": once,
            "survived": bool(killed) and not errors and ended_right and once}


def kill_rasa_server(port: int) -> int:
    """SIGKILL the process listening on `port`; its pid (0 if none)."""
    for connection in psutil.net_connections(kind="tcp"):
        if connection.status == psutil.CONN_LISTEN and connection.laddr.port == port \
                and connection.pid:
            os.kill(connection.pid, signal.SIGKILL)
            return connection.pid
    return 0


def load(stack: scaled.Stack, token: str, users: int, seconds: int) -> dict[str, Any]:
    """Locust through nginx with one Rasa server in the rotation, then all of them."""
    runs = {}
    for servers in sorted({1, 2, stack.servers}):
        scaled.route(stack, servers)
        before, started = cpu_seconds(), time.monotonic()
        psutil.cpu_percent()
        result = run_load(stack.url, users, seconds, token=token, origin=stack.url)
        busy, wall = psutil.cpu_percent(), time.monotonic() - started
        used = cpu_seconds() - before
        sent, lost = lost_events(stack.database_url, result.ledger)
        runs[servers] = {"turns_per_s": result.turns_per_s, "p95_ms": result.p95_ms,
                         "p99_ms": result.p99_ms, "errors": result.errors,
                         "events_sent": sent, "lost_events": lost,
                         "conversations": len(result.ledger), "machine_busy_percent": busy,
                         "cpu_percent": {role: round(100 * spent / wall, 1)
                                         for role, spent in used.most_common()}}
    return runs


ROLES = {"serve-rasa": "Rasa servers", "serve-actions": "action servers",
         "serve-web": "website", "locust": "Locust (the patients)", "postgres": "PostgreSQL",
         "nginx": "nginx", "redis-server": "Redis"}
"""What each process is, by a piece of its command line."""


def cpu_seconds() -> Counter[str]:
    """CPU seconds each kind of process has used so far (100 % = one core busy)."""
    used: Counter[str] = Counter()
    for process in psutil.process_iter(["cmdline", "name", "cpu_times"]):
        command = " ".join(process.info["cmdline"] or []) or process.info["name"] or ""
        role = next((role for piece, role in ROLES.items() if piece in command), None)
        times = process.info["cpu_times"]
        if role and times:
            used[role] += times.user + times.system
    return used


def upstreams_used(stack: scaled.Stack) -> Counter[str]:
    """Requests each server answered (the last one tried), from nginx's log."""
    return Counter(upstream for _, upstream in scaled.upstream_log(stack))


def main() -> int:
    """Up, prove, down; the figures as one JSON line last."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--actions", type=int, default=2)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=30)
    args = parser.parse_args()
    if args.servers < 2:
        parser.error("the proof needs at least 2 Rasa servers (one is killed)")
    os.environ.update(UNLIMITED)
    settings, _ = ensure_secrets(Settings.from_env())
    token = settings.api_token or ""
    stack = scaled.up(settings, ensure_model(), args.servers, args.actions)
    try:
        state = state_kept(stack, token)
        runs = load(stack, token, args.users, args.seconds)
        kill = survived_kill(stack, token)
        upstreams = upstreams_used(stack)
    finally:
        scaled.down(settings)
    one, many = runs[1], runs[args.servers]
    result = {
        "servers": args.servers,
        "conversations": state["conversations"] + kill["conversations"]
        + sum(run["conversations"] for run in runs.values()),
        "lost_events": sum(run["lost_events"] for run in runs.values()),
        "state_kept": state["kept"],
        "survived_kill": kill["survived"],
        **{f"turns_per_s_{n}": round(run["turns_per_s"], 1) for n, run in runs.items()},
        "ratio": round(many["turns_per_s"] / one["turns_per_s"], 2) if one["turns_per_s"] else 0,
        "events_sent": sum(run["events_sent"] for run in runs.values()),
        **{f"p95_ms_{n}": run["p95_ms"] for n, run in runs.items()},
        **{f"events_sent_{n}": run["events_sent"] for n, run in runs.items()},
        **{f"lost_events_{n}": run["lost_events"] for n, run in runs.items()},
        **{f"cpu_percent_{n}": run["cpu_percent"] for n, run in runs.items()},
        **{f"machine_busy_percent_{n}": run["machine_busy_percent"] for n, run in runs.items()},
        "errors": sum(run["errors"] for run in runs.values()),
        "crossed_servers": state["crossed"], "kill": kill,
        "upstream_requests": dict(upstreams), "users": args.users, "cpus": os.cpu_count(),
    }
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "scale.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(json.dumps(result))
    return 0 if (result["lost_events"] == 0 and result["state_kept"]
                 and result["survived_kill"]) else 1


if __name__ == "__main__":
    sys.exit(main())
