"""The floor: the benchmark's visits through the loaded model in-process, without HTTP.

Rasa's agent is loaded with the running bot's own endpoints (the same tracker store and
action server), and each turn is handed to it directly, one at a time. What the HTTP
servers, channels and our request checks add is the end-to-end time minus this.

It also says where a turn's time goes (the profile of issue 16): the wall-clock time of
the Rasa methods that load and save the tracker, read the message (NLU: our spaCy and
emergency components, the intent classifier, the response selector), predict the next
actions (policies) and call the action server. `--rasa-store` swaps our tracker store for
Rasa's own SQL store on the same database, for the before/after figures.

    python -m bench.floor MODEL ENDPOINTS [--rounds 5] [--rasa-store]   # one JSON line
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import statistics
import time
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.visits import VISITS, turns


def timed(owner: Any, name: str, stage: str, totals: Counter[str]) -> None:
    """Replace `owner.name` with a wrapper adding its wall-clock seconds to `totals[stage]`."""
    original: Callable[..., Any] = getattr(owner, name)
    if asyncio.iscoroutinefunction(original):
        @functools.wraps(original)
        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return await original(*args, **kwargs)
            finally:
                totals[stage] += time.perf_counter() - started
    else:
        @functools.wraps(original)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                totals[stage] += time.perf_counter() - started
    setattr(owner, name, wrapper)


def rasa_store(endpoints: Any) -> None:
    """Point the endpoints at Rasa's own SQL tracker store, on the same database."""
    from rasa.utils.endpoints import EndpointConfig
    from sqlalchemy.engine import make_url

    url = make_url(endpoints.tracker_store.kwargs["database_url"])
    if url.get_backend_name() != "sqlite":
        raise SystemExit("--rasa-store: SQLite only")
    endpoints.tracker_store = EndpointConfig(type="SQL", dialect="sqlite", db=url.database)


async def floor(model: Path, endpoints: Path, rounds: int,
                rasa_sql_store: bool = False) -> dict[str, Any]:
    """Mean and median turn time (ms) of `rounds` passes over the clinic's visits.

    One pass goes first, unmeasured: the first predictions build TensorFlow's graphs.
    """
    from rasa.core.actions.action import RemoteAction
    from rasa.core.agent import load_agent
    from rasa.core.utils import AvailableEndpoints

    from bot.adapters.action_results import check_action_results_with_one_validator

    check_action_results_with_one_validator()  # as the Rasa server does (bot.runtime.serve)
    available = AvailableEndpoints.read_endpoints(str(endpoints))
    if rasa_sql_store:
        rasa_store(available)
    agent = await load_agent(model_path=str(model), endpoints=available)
    totals: Counter[str] = Counter()
    processor = agent.processor
    assert processor is not None
    timed(processor.tracker_store, "retrieve", "tracker load", totals)
    timed(processor.tracker_store, "save", "tracker save", totals)
    timed(processor, "parse_message", "NLU", totals)
    timed(processor, "_predict_next_with_tracker", "policies", totals)
    timed(RemoteAction, "run", "action server calls", totals)
    times: list[float] = []
    warm: Counter[str] = Counter()
    for measured in [False] + [True] * rounds:
        if measured and not warm:
            warm = totals.copy()
        for visit in VISITS["clinic"].values():
            sender = f"floor:{uuid.uuid4().hex}"
            for text, _ in turns(visit):
                started = time.perf_counter()
                await agent.handle_text(text, sender_id=sender)
                if measured:
                    times.append((time.perf_counter() - started) * 1000)
    spent = {stage: (totals[stage] - warm[stage]) * 1000 / len(times) for stage in totals}
    spent["other"] = statistics.fmean(times) - sum(spent.values())
    return {"turns": len(times), "mean_ms": statistics.fmean(times),
            "p50_ms": statistics.median(times), "ms_per_turn": spent}


def main() -> None:
    """Print the floor's figures as one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", type=Path)
    parser.add_argument("endpoints", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--rasa-store", action="store_true",
                        help="Rasa's own SQL tracker store instead of ours (SQLite)")
    args = parser.parse_args()
    print(json.dumps(asyncio.run(
        floor(args.model, args.endpoints, args.rounds, args.rasa_store))))


if __name__ == "__main__":
    main()
