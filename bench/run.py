"""`make bench`: the whole bot under load, against its targets, and beside a bare Rasa bot.

Starts `python -m bot run` on free ports with a throw-away SQLite database (the default
install), and measures:
- time from start to the first answer;
- Locust patients (`bench/locustfile.py`: FAQs, triages, emergencies, call-backs over REST
  and socket.io) at 1, 10 and 50 at once: turns/s, p50/p95/p99, errors, and events the
  patients were sent vs. found in the tracker store;
- the floor: the same turns through the loaded model in-process (`bench/floor.py`);
- a bare `rasa init` bot at 10 at once, on the same machine in the same run;
- the servers' memory, and the last training time (`models/training-time.json`).
Prints a Markdown table and the targets met or missed; the figures also go as JSON to
var/bench/results.json.

    python -m bench.run [--seconds 30] [--levels 1 10 50] [--no-init-bot] [--no-floor]
                        [--profile]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict
from pathlib import Path

import requests

from bench.load import Load, lost_events, run_load
from bench.profile import record, shares
from bot.runtime.training import TRAINING_TIME, current_model_path, rasa_env
from bot.settings import ROOT

sys.path.insert(0, str(ROOT / "tests"))  # the launcher the e2e tests use
from channel_standin import NO_CHANNELS
from launcher import LaunchedBot, free_port, launch

BENCH_DIR = ROOT / "var" / "bench"
UNLIMITED = {"BOT_RATE_PER_ADDRESS": "1000000", "BOT_RATE_PER_CONVERSATION": "1000000"}
"""Every simulated patient comes from 127.0.0.1; the rate limits would turn them away."""
SERVERS = {"serve-rasa": "Rasa server", "serve-actions": "action server",
           "serve-web": "website"}
TARGETS = {"turns_per_s_10": 50.0, "p95_ms_10": 200.0, "ratio_to_init_bot": 1.5,
           "p99_ms_50": 2000.0, "ready_s": 30.0, "rasa_rss_mb": 1200.0}


def memory_mb(pid: int) -> tuple[float, float]:
    """(Resident, peak resident) memory of a process in MB, from /proc."""
    fields = dict(line.split(":", 1) for line in
                  Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return (int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024)


def cpu_model() -> str:
    """The processor's name, from /proc/cpuinfo."""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.machine()


def first_answer(bot: LaunchedBot, started: float, timeout: float = 300) -> float:
    """Seconds from `started` until a patient's "hi" gets a reply over REST."""
    while time.monotonic() - started < timeout:
        try:
            response = bot.say("hi", f"ready-{time.monotonic_ns()}")
            if response.status_code == 200 and response.json():
                return time.monotonic() - started
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"no answer in {timeout} s:\n{bot.log.read_text()[-3000:]}")


def init_bot_load(users: int, seconds: int) -> tuple[Load, float | None]:
    """A bare `rasa init` bot (created and trained once under var/bench) under the same load.

    Also its training time, when it was trained in this run.
    """
    home = BENCH_DIR / "init_bot"
    trained = None
    if not list((home / "models").glob("*.tar.gz")):
        home.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        with (BENCH_DIR / "init_bot.log").open("wb") as log:
            subprocess.run([sys.executable, "-m", "rasa", "init", "--no-prompt", "--init-dir",
                            str(home)], cwd=home, env=rasa_env(), check=True,
                           stdout=log, stderr=log)
        trained = time.monotonic() - started
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "rasa", "run", "--interface", "127.0.0.1", "--port", str(port),
         "--model", "models"], cwd=home, env=rasa_env(),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                if requests.post(f"{url}/webhooks/rest/webhook", timeout=5,
                                 json={"sender": "warm-up", "message": "hi"}).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("the rasa init bot did not start")
            time.sleep(0.5)
        return run_load(url, users, seconds, locustfile=Path(__file__).with_name(
            "init_bot_locustfile.py"), user_classes=("InitBotUser",)), trained
    finally:
        server.terminate()
        server.wait(timeout=60)


def profiler(bot: LaunchedBot, seconds: int, var_dir: Path) -> threading.Thread:
    """Sample the Rasa server with py-spy from 5 s into a load run until 2 s before its end."""
    def sample() -> None:
        time.sleep(5)
        record(bot.server_pid("serve-rasa"), max(1, seconds - 7), var_dir / "rasa.folded")

    thread = threading.Thread(target=sample)
    thread.start()
    return thread


def floor(var_dir: Path, rasa_sql_store: bool = False) -> dict:
    """The in-process floor, against the bot's own database and action server."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.floor", str(current_model_path()),
         str(var_dir / "endpoints.yml"), *(["--rasa-store"] if rasa_sql_store else [])],
        cwd=ROOT, env={**rasa_env(), "PYTHONPATH": str(ROOT)}, capture_output=True,
        text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def stages(results: dict) -> str:
    """Where an in-process turn's time goes, with Rasa's SQL store and with ours."""
    before, after = results["floor_rasa_store"]["ms_per_turn"], results["floor"]["ms_per_turn"]
    lines = ["| per turn, in-process (ms) | Rasa's SQL tracker store | ours |", "|---|---|---|"]
    for stage in after:
        lines.append(f"| {stage} | {before.get(stage, 0):.1f} | {after[stage]:.1f} |")
    lines.append(f"| **whole turn** | {results['floor_rasa_store']['mean_ms']:.1f} "
                 f"| {results['floor']['mean_ms']:.1f} |")
    return "\n".join(lines)


def markdown(results: dict) -> str:
    """The figures as the Markdown table docs/benchmarks.md shows."""
    lines = ["| patients at once | turns | turns/s | p50 ms | p95 ms | p99 ms | errors "
             "| events sent | lost |", "|---|---|---|---|---|---|---|---|---|"]
    rows = [(str(row["users"]), row) for row in results["levels"]]
    rows += [(f"{results[key]['users']}, {label}", results[key])
             for key, label in (("rest_10", "REST only"), ("init_bot", "bare `rasa init` bot"))
             if results.get(key)]
    for label, row in rows:
        lines.append(f"| {label} | {row['turns']} | {row['turns_per_s']:.1f} "
                     f"| {row['p50_ms']:.0f} | {row['p95_ms']:.0f} | {row['p99_ms']:.0f} "
                     f"| {row['errors']} | {row.get('events', '—')} | {row.get('lost', '—')} |")
    return "\n".join(lines)


def figures(load: Load) -> dict:
    """A run's figures, without its ledger (kept out of the results)."""
    return {key: value for key, value in asdict(load).items() if key != "ledger"}


def verdicts(results: dict) -> list[tuple[str, bool | None]]:
    """Each target with whether this run met it (None: not measured in this run)."""
    by_users = {row["users"]: row for row in results["levels"]}
    ten, fifty = by_users.get(10), by_users.get(50)
    ratio = results.get("ratio_to_init_bot")
    rasa_peak = results["memory_mb"].get("Rasa server", {}).get("peak")
    return [
        (f"10 at once: ≥ {TARGETS['turns_per_s_10']:.0f} turns/s",
         ten and ten["turns_per_s"] >= TARGETS["turns_per_s_10"]),
        (f"10 at once: p95 ≤ {TARGETS['p95_ms_10']:.0f} ms",
         ten and ten["p95_ms"] <= TARGETS["p95_ms_10"]),
        (f"10 at once: ≥ {TARGETS['ratio_to_init_bot']}× the bare rasa init bot",
         ratio and ratio >= TARGETS["ratio_to_init_bot"]),
        ("50 at once: 0 errors, 0 lost", fifty and not fifty["errors"] and not fifty["lost"]),
        (f"50 at once: p99 ≤ {TARGETS['p99_ms_50'] / 1000:.0f} s",
         fifty and fifty["p99_ms"] <= TARGETS["p99_ms_50"]),
        (f"ready ≤ {TARGETS['ready_s']:.0f} s after start",
         results["ready_s"] <= TARGETS["ready_s"]),
        (f"Rasa server peak memory ≤ {TARGETS['rasa_rss_mb']:.0f} MB",
         rasa_peak and rasa_peak <= TARGETS["rasa_rss_mb"]),
    ]


def measure(args: argparse.Namespace, var_dir: Path) -> dict:
    """Start the bot, load it level by level, and gather every figure."""
    started = time.monotonic()
    bot = launch(var_dir, extra_env={**NO_CHANNELS, **UNLIMITED})
    try:
        results: dict = {"ready_s": first_answer(bot, started), "levels": []}
        for users in args.levels:
            sampler = profiler(bot, args.seconds, var_dir) if args.profile and users == 10 \
                else None
            load = run_load(bot.rasa_url, users, args.seconds, token=bot.token,
                            origin=bot.web_url)
            if sampler:
                sampler.join()
                results["profile_10"] = shares((var_dir / "rasa.folded").read_text())
            sent, lost = lost_events(bot.database_url, load.ledger)
            results["levels"].append({**figures(load), "events": sent, "lost": lost})
        if not args.no_init_bot:  # REST only, as the bare bot is measured
            rest = run_load(bot.rasa_url, 10, args.seconds, token=bot.token,
                            user_classes=("RestPatient",))
            results["rest_10"] = figures(rest)
        if not args.no_floor:
            results["floor"] = floor(var_dir)
            results["floor_rasa_store"] = floor(var_dir, rasa_sql_store=True)
            one = next((r for r in results["levels"] if r["users"] == 1), None)
            if one:
                rest = [ms for name, ms in one["mean_ms"].items() if name.startswith("REST")]
                results["end_to_end_over_floor"] = (
                    sum(rest) / len(rest) / results["floor"]["mean_ms"]) if rest else None
        results["memory_mb"] = {
            label: dict(zip(("now", "peak"), memory_mb(bot.server_pid(sub)), strict=True))
            for sub, label in SERVERS.items()}
    finally:
        bot.stop()
    if not args.no_init_bot:
        init, trained = init_bot_load(10, args.seconds)
        results["init_bot"] = figures(init)
        results["init_bot_training_s"] = trained
        if results.get("rest_10") and init.turns_per_s:
            results["ratio_to_init_bot"] = results["rest_10"]["turns_per_s"] / init.turns_per_s
    results["training"] = (json.loads(TRAINING_TIME.read_text())
                           if TRAINING_TIME.exists() else None)
    return results


def main() -> int:
    """Run the benchmark, print the table and the targets; exit 1 on errors or lost events."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=30, help="per level (default 30)")
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--no-init-bot", action="store_true")
    parser.add_argument("--no-floor", action="store_true")
    parser.add_argument("--profile", action="store_true",
                        help="sample the Rasa server with py-spy at 10 at once")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results = measure(args, Path(tmp))
    results["machine"] = (f"{os.cpu_count()} cores, {cpu_model()}, "
                          f"Python {platform.python_version()}")
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    (BENCH_DIR / "results.json").write_text(json.dumps(results, indent=2))
    print(markdown(results))
    print(f"\nready (start to first answer): {results['ready_s']:.1f} s")
    if results.get("floor"):
        print(f"\n{stages(results)}\n")
        print(f"in-process floor: mean {results['floor']['mean_ms']:.0f} ms, "
              f"p50 {results['floor']['p50_ms']:.0f} ms a turn; end-to-end/in-process "
              f"(REST, 1 at once): {results.get('end_to_end_over_floor') or 0:.2f}")
    if results.get("ratio_to_init_bot"):
        print(f"ours / bare rasa init bot at 10 at once, both REST only: "
              f"{results['ratio_to_init_bot']:.2f}×")
    if results.get("profile_10"):
        print("\nRasa server at 10 at once, share of py-spy samples:")
        for label, share in results["profile_10"].items():
            print(f"  {share:6.1%}  {label}")
    for label, mem in results["memory_mb"].items():
        print(f"memory: {label}: {mem['now']:.0f} MB now, {mem['peak']:.0f} MB peak")
    if results["training"]:
        print(f"training: {results['training']['seconds']:.0f} s "
              f"({results['training']['model']})")
    print()
    for row in results["levels"]:
        for failure, count in row["failures"].items():
            print(f"{row['users']} at once: {count} × {failure}")
    for label, met in verdicts(results):
        print(f"{'met    ' if met else 'missed ' if met is not None else 'not run'}  {label}")
    broken = any(row["errors"] or row["lost"] for row in results["levels"])
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
