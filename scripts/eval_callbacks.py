"""Measure how call-back details (number, time, name) are read; fail below the targets.

    python scripts/eval_callbacks.py                       # dev and final, side by side
    python scripts/eval_callbacks.py --min-phone 0.97 --min-time 0.9 --min-name 0.9 --show

A number is right when its E.164 form matches the label (or both say there is none); a
time when every label word is in the time kept (or both say none); a name when it matches
the label, ignoring case. Misses are listed for the dev set only (`--show`): the final
set, written by someone who never saw the patterns, judges and is never tuned on. It is
checked against its SHA256SUMS first.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.callback_details import CallbackDetails, read_callback_details  # noqa: E402

CASES = ROOT / "tests" / "callbacks"
SETS = {"dev": CASES / "dev", "final": CASES / "final"}
FIELDS = ("phone", "time", "name")


def judge(case: dict, found: CallbackDetails) -> dict[str, bool]:
    """Each field right or wrong, as the final set's README defines it."""
    words = case["time_words"]
    kept = (found.time or "").casefold()
    return {
        "phone": found.phone == case["phone"],
        "time": found.time is None if words is None else all(
            str(word).casefold() in kept for word in words),
        "name": (found.name or "").casefold() == (case["name"] or "").casefold(),
    }


def load(where: Path) -> list[dict]:
    """Every case in a YAML file, or in a folder's YAML files."""
    files = sorted(where.glob("*.yml")) if where.is_dir() else [where]
    return [case for path in files
            for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]]


def evaluate(cases: list[dict]) -> tuple[dict[str, float], list[tuple[dict, CallbackDetails]]]:
    """Share right per field and for all three at once, and the cases with a miss."""
    right = dict.fromkeys((*FIELDS, "all"), 0)
    misses = []
    for case in cases:
        found = read_callback_details(case["text"])
        verdict = judge(case, found)
        for field in FIELDS:
            right[field] += verdict[field]
        right["all"] += all(verdict.values())
        if not all(verdict.values()):
            misses.append((case, found))
    return {field: count / len(cases) for field, count in right.items()}, misses


def main() -> int:
    """Print dev and final side by side; exit 1 when the final set is below a target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for field in FIELDS:
        parser.add_argument(f"--min-{field}", type=float, default=0.0)
    parser.add_argument("--show", action="store_true", help="list the dev set's misses")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "scripts"))
    from eval_emergency import check_frozen  # the emergency script's models load only here

    check_frozen(SETS["final"])
    scores = {}
    for name, folder in SETS.items():
        cases = load(folder)
        scores[name], misses = evaluate(cases)
        if args.show and name == "dev":
            for case, found in misses:
                print(f"  dev miss: {case['text']!r} -> {found}")
        scores[name]["n"] = len(cases)
    print("call-back details   " + "   ".join(f"{f:>6}" for f in (*FIELDS, "all")) + "   cases")
    for name, score in scores.items():
        row = "   ".join(f"{score[f]:6.1%}" for f in (*FIELDS, "all"))
        print(f"  {name:<17} {row}   {score['n']}")
    failed = [f for f in FIELDS if scores["final"][f] < getattr(args, f"min_{f}")]
    if failed:
        print(f"final set below target: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
