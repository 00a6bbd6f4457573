"""The supervisor keeps the servers up: a crashed one is started again after a growing wait,
the others keep running, and after too many crashes in a row everything stops.

The policy is a pure function of the crash history; the supervisor is tested with real
processes (small Python commands standing in for the servers) and a real signal.
"""

import itertools
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.runtime.restarts import CrashCount, RestartPolicy

POLICY = RestartPolicy(first_delay=1, max_delay=8, limit=5, stable_after=60)


@pytest.mark.parametrize(("ran_for", "delays"), [
    ([0.5], [1]),
    ([0.5, 0.5, 0.5], [1, 2, 4]),
    ([1] * 6, [1, 2, 4, 8, 8, None]),  # capped, then the limit
    ([1, 1, 1, 1, 1, 120], [1, 2, 4, 8, 8, 1]),  # ran a while: recovered, counted afresh
    ([1, 1, 60, 1], [1, 2, 1, 2]),
])
def test_the_wait_doubles_with_each_crash_in_a_row_and_gives_up_after_the_limit(ran_for, delays):
    crashes = CrashCount(POLICY)
    assert [crashes.delay_after_crash(t) for t in ran_for] == delays


SUPERVISE = """
import json, logging, sys
from pathlib import Path
from bot.runtime.restarts import RestartPolicy
from bot.runtime.supervisor import supervise
logging.basicConfig(level=logging.INFO, format="%(message)s")
commands, policy = json.loads(sys.argv[1])
sys.exit(supervise(commands, Path.cwd(), {}, RestartPolicy(**policy)))
"""
# A server that records its pid, then either runs until stopped or exits with a status;
# `once` exits only the first time it is started in the directory.
SERVER = """
import os, sys, time
name, mode = sys.argv[1], sys.argv[2]
with open(name + ".pids", "a") as pids:
    pids.write(f"{os.getpid()} {time.monotonic()}\\n")
started = sum(1 for _ in open(name + ".pids"))
if mode == "crash" or (mode == "once" and started == 1):
    sys.exit(3)
time.sleep(120)
"""


def start_supervisor(tmp_path: Path, servers: dict[str, str], **policy: float) -> subprocess.Popen:
    commands = {name: [sys.executable, "-c", SERVER, name, mode] for name, mode in servers.items()}
    return subprocess.Popen(
        [sys.executable, "-c", SUPERVISE, json.dumps([commands, policy])],
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(Path.cwd())},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )


def starts(tmp_path: Path, name: str) -> list[tuple[int, float]]:
    """(pid, time started) of each start of the server `name`."""
    path = tmp_path / f"{name}.pids"
    lines = path.read_text().splitlines() if path.exists() else []
    return [(int(pid), float(at)) for pid, at in (line.split() for line in lines)]


def pids(tmp_path: Path, name: str) -> list[int]:
    return [pid for pid, _ in starts(tmp_path, name)]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"


@pytest.mark.e2e
def test_a_crashed_server_is_started_again_and_the_others_keep_running(tmp_path):
    supervisor = start_supervisor(tmp_path, {"flaky": "once", "steady": "run"},
                                  first_delay=0.5, max_delay=1, limit=3, stable_after=60)
    deadline = time.monotonic() + 30
    while len(pids(tmp_path, "flaky")) < 2 or not pids(tmp_path, "steady"):
        assert time.monotonic() < deadline and supervisor.poll() is None
        time.sleep(0.1)
    [steady] = pids(tmp_path, "steady")
    time.sleep(0.5)
    assert alive(steady) and alive(pids(tmp_path, "flaky")[1])
    supervisor.send_signal(signal.SIGINT)
    output, _ = supervisor.communicate(timeout=30)
    assert supervisor.returncode == 0, output
    assert "The flaky exited with status 3; starting it again in 0.5 s (crash 1 in a row; " \
           "the limit is 3)." in output
    assert "Started the flaky again." in output
    assert pids(tmp_path, "steady") == [steady]
    assert not any(alive(pid) for pid in [*pids(tmp_path, "flaky"), steady])


@pytest.mark.e2e
def test_after_too_many_crashes_in_a_row_every_server_stops_with_the_status(tmp_path):
    supervisor = start_supervisor(tmp_path, {"broken": "crash", "steady": "run"},
                                  first_delay=0.1, max_delay=0.2, limit=3, stable_after=60)
    output, _ = supervisor.communicate(timeout=60)
    assert supervisor.returncode == 3, output
    waits = [line.split(" again in ")[1].split(" s ")[0]
             for line in output.splitlines() if "starting it again in" in line]
    assert waits == ["0.1", "0.2", "0.2"]
    times = [at for _, at in starts(tmp_path, "broken")]
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert [gap >= wait for gap, wait in zip(gaps, (0.1, 0.2, 0.2), strict=True)] == [True] * 3
    assert "The broken exited with status 3, 4 times in a row; stopping every server." in output
    assert len(pids(tmp_path, "broken")) == 4
    assert not alive(pids(tmp_path, "steady")[0])
