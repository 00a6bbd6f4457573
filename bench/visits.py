"""The benchmark's visits (`bench/visits.yml`), read without Locust.

Locust patches the standard library on import; the in-process floor replays the same
turns without it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

Turn = tuple[str, str | None]
"""What the patient types, and a piece the reply must contain (or None)."""

VISITS: dict[str, dict[str, Any]] = yaml.safe_load(
    Path(__file__).with_name("visits.yml").read_text(encoding="utf-8"))


def turns(visit: dict[str, Any]) -> list[Turn]:
    """A visit's turns."""
    return [(t, None) if isinstance(t, str) else (t["say"], t.get("expect"))
            for t in visit["turns"]]
