"""Where the Rasa server's time goes under load: py-spy samples, grouped by component.

py-spy samples the running server from outside (no code change, no restart), every
thread included: the tracker store's database work runs in worker threads, and a thread
waiting in SQLite's fsync is sampled like one using the CPU (idle pool threads are
counted apart). Each sample is counted once, for the first component found in its
stack, in `COMPONENTS` order.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

IDLE = "idle worker threads"
"""A thread-pool worker waiting for work (its innermost frame is `_worker` itself)."""
COMPONENTS: tuple[tuple[str, str], ...] = (
    ("bot/adapters/tracker_store.py", "tracker store (ours)"),
    ("rasa/core/tracker_store.py", "tracker store (Rasa's)"),
    ("_validate_action_result", "action answers checked"),
    ("rasa/core/actions/action.py", "actions (calls, responses)"),
    ("logistic_regression_classifier.py", "NLU: intent classifier"),
    ("count_vectors_featurizer.py", "NLU: count vectors"),
    ("spacy", "NLU: spaCy"),
    ("bot/adapters/nlu/", "NLU: our components"),
    ("rasa/core/policies/", "policies"),
    ("rasa/engine/", "Rasa's graph runner"),
    ("rasa/shared/core/trackers.py", "tracker updates"),
    ("rasa/core/processor.py", "message processor"),
    ("socketio", "socket.io"),
    ("sanic", "HTTP server (Sanic)"),
)


def record(pid: int, seconds: int, out: Path) -> None:
    """Sample process `pid` for `seconds` at 100 Hz into `out` (folded stacks)."""
    spy = Path(sys.executable).with_name("py-spy")
    subprocess.run([str(spy), "record", "--pid", str(pid), "--duration", str(seconds),
                    "--rate", "100", "--format", "raw", "--output", str(out), "--nonblocking"],
                   check=True, capture_output=True)


def shares(folded: str) -> dict[str, float]:
    """Each component's share of the samples (0-1), largest first; "other" for the rest."""
    counts: Counter[str] = Counter()
    for line in folded.splitlines():
        stack, _, number = line.rpartition(" ")
        if not stack or not number.isdigit():
            continue
        label = IDLE if stack.rpartition(";")[2].startswith("_worker (") else next(
            (label for pattern, label in COMPONENTS if pattern in stack), "other")
        counts[label] += int(number)
    total = sum(counts.values())
    return {label: count / total for label, count in counts.most_common()} if total else {}
