"""Measure reply latency over the REST channel and the servers' memory.

Starts `python -m bot run` on free ports with a throw-away SQLite database (or uses
`--url` of a running bot), sends `--turns` messages in sequence (FAQs, a full triage,
an emergency), and prints p50/p95/max latency and the resident memory of the Rasa and
action servers.

    python scripts/bench_rest.py [--turns 200] [--url http://127.0.0.1:5005]
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # test support
SCRIPT = [
    "hi",
    "what's the difference between work hardening and work conditioning?",
    "how long does it take",
    "do I need a referral",
    "I hurt my back lifting 50 lb boxes at the warehouse 3 months ago, my doctor cleared me",
    "no, none of those",
    "no",
    "yes, I'm scared of getting hurt again",
    "I have chest pain right now",
    "thanks, bye",
]
PROCESS_LABELS = ((b"serve-rasa", "Rasa server"), (b"rasa_sdk", "action server"),
                  (b"serve-web", "website"))


def rss_mb(pid: int) -> float:
    """Resident memory of one process, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children(pid: int) -> list[int]:
    """Direct child processes, from /proc."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if f"\nPPid:\t{pid}\n" in text:
            found.append(int(status.parent.name))
    return found


def bench(url: str, token: str, turns: int) -> list[float]:
    """Latencies in ms; a new conversation starts with each pass over the script."""
    latencies = []
    sender = ""
    for i, text in zip(range(turns), itertools.cycle(SCRIPT), strict=False):
        if i % len(SCRIPT) == 0:
            sender = uuid.uuid4().hex
        started = time.perf_counter()
        response = requests.post(
            f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text},
            headers={"Authorization": f"Bearer {token}"}, timeout=60
        )
        latencies.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    return latencies


def main() -> int:
    """Run the benchmark and print figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=200)
    parser.add_argument("--url", help="a running bot; default: start one")
    parser.add_argument("--token", default=os.environ.get("BOT_API_TOKEN", ""),
                        help="its API token (default: $BOT_API_TOKEN)")
    args = parser.parse_args()

    from launcher import launch

    bot = None
    with tempfile.TemporaryDirectory() as tmp:
        if args.url:
            url, token = args.url, args.token
        else:
            bot = launch(Path(tmp))
            bot.wait_until_up()
            url, token = bot.rasa_url, bot.token
        try:
            bench(url, token, len(SCRIPT))
            latencies = sorted(bench(url, token, args.turns))
            print(f"turns:        {len(latencies)} (sequential, {len(SCRIPT)}-turn conversations)")
            print(f"latency p50:  {statistics.median(latencies):.0f} ms")
            print(f"latency p95:  {latencies[int(0.95 * (len(latencies) - 1))]:.0f} ms")
            print(f"latency max:  {latencies[-1]:.0f} ms")
            if bot:
                for pid in children(bot.process.pid):
                    name = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
                    label = next((label for marker, label in PROCESS_LABELS if marker in name),
                                 name.decode(errors="replace").strip())
                    print(f"memory (RSS): {label}: {rss_mb(pid):.0f} MB")
        finally:
            if bot:
                bot.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
