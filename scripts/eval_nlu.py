"""Measure NLU quality on held-out examples that the model never saw in training.

The model is trained on `data/nlu/` (the training split). `tests/nlu/test/` is the test
split: written by another author who never saw the training data, and never used to
change it. `tests/nlu/dev/` holds earlier held-out sets whose errors guided changes to
the training data, so their figures are optimistic. An example counts as correct when
the predicted *full* intent matches: for FAQs that means the FAQ answer selector picked the
right answer (`faq/difference`), not just "some FAQ". Prints accuracy, macro F1 and
every miss; exits 1 when accuracy is below `--min-accuracy`.

    python scripts/eval_nlu.py [--model PATH] [--heldout FILE_OR_DIR] [--min-accuracy 0.95]
                               [--dev FILE_OR_DIR]
                               [--brief]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from eval_emergency import per_language, target_for  # noqa: E402


def full_intent(parse: dict[str, Any]) -> str:
    """The intent as the dialogue sees it, with the FAQ key for retrieval intents."""
    return parse["intent"].get("full_retrieval_intent_name") or parse["intent"]["name"]


def normalise(text: str) -> str:
    """Lower-case words only, to catch held-out lines that copy a training line."""
    return " ".join(re.findall(r"\w+", text.lower()))


def load_examples(path: Path) -> list[tuple[str, str]]:
    """(text, full intent) pairs from a Rasa NLU YAML file."""
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(path))
    return [
        (m.get("text"), m.get("intent_response_key") or m.get("intent"))
        for m in data.intent_examples
    ]


def report(pairs: list[tuple[str, str, str]], brief: bool = False) -> float:
    """Print accuracy, macro F1 and (unless brief) per-intent recall and misses."""
    from sklearn.metrics import f1_score

    gold = [g for _, g, _ in pairs]
    pred = [p for _, _, p in pairs]
    hits = Counter(g for _, g, p in pairs if g == p)
    accuracy = hits.total() / len(pairs)
    macro_f1 = f1_score(gold, pred, labels=sorted(set(gold)), average="macro", zero_division=0)
    top_level = sum(g.split("/")[0] == p.split("/")[0] for _, g, p in pairs) / len(pairs)
    print(f"held-out examples:        {len(pairs)} ({len(set(gold))} intents)")
    print(f"intent accuracy (full):   {accuracy:.3f}")
    print(f"intent macro F1 (full):   {macro_f1:.3f}")
    print(f"accuracy (faq vs others): {top_level:.3f}")
    if brief:
        return accuracy
    totals = Counter(gold)
    print("\nper intent (correct/total):")
    for intent in sorted(totals):
        print(f"  {intent:32} {hits[intent]}/{totals[intent]}")
    misses = [(t, g, p) for t, g, p in pairs if g != p]
    if misses:
        print("\nmisses:")
        for text, g, p in misses:
            print(f"  {text!r}\n      expected {g}, got {p}")
    return accuracy


async def predict(
    model: Path, *sets: list[tuple[str, str]]
) -> list[list[tuple[str, str, str]]]:
    """Parse every example of each set with the trained model (loaded once)."""
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    agent = Agent.load(str(model))
    return [[(text, gold, full_intent(await agent.parse_message(text))) for text, gold in examples]
            for examples in sets]


def main() -> int:
    """Evaluate and print figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="model archive (default: current one)")
    parser.add_argument("--heldout", type=Path, default=ROOT / "tests/nlu/test")
    parser.add_argument("--training", type=Path, default=ROOT / "data/nlu")
    parser.add_argument("--min-accuracy", type=per_language, default=None,
                        help='e.g. 0.95, or per language: "en=0.95,es=0.9" (Spanish sets: '
                             '*_es), or for one file: "final_es=0.9"')
    parser.add_argument("--brief", action="store_true", help="figures only, no misses")
    parser.add_argument("--dev", type=Path, help="also report this set, in brief, ungated")
    args = parser.parse_args()

    from bot.runtime.training import ensure_model

    files = sorted(args.heldout.glob("*.yml")) if args.heldout.is_dir() else [args.heldout]
    dev = load_examples(args.dev) if args.dev else []
    trained = {normalise(text) for text, _ in load_examples(args.training)}
    copies = [text for text, _ in dev if normalise(text) in trained]
    if copies:
        print("dev examples must not copy training lines:", *copies, sep="\n  ")
        return 1
    held_out = []
    for file in files:  # a frozen set is never edited: a line that equals one trained on
        examples = load_examples(file)  # (a bare "sí") is left out of its score, and said
        held_out.append([(t, g) for t, g in examples if normalise(t) not in trained])
        if left_out := len(examples) - len(held_out[-1]):
            print(f"{file.name}: {left_out} line(s) equal a training line, left out")
    *results, dev_pairs = asyncio.run(predict(args.model or ensure_model(), *held_out, dev))
    failed = False
    for file, pairs in zip(files, results, strict=True):  # one figure per language
        print(f"\n{file.relative_to(ROOT) if file.is_relative_to(ROOT) else file}:")
        accuracy = report(pairs, brief=args.brief)
        language = "es" if file.stem.endswith("_es") else "en"
        targets = args.min_accuracy or {}
        least = targets[file.stem] if file.stem in targets else target_for(targets, language)
        if least is not None and accuracy < least:
            print(f"FAIL: accuracy {accuracy:.3f} is below {least:.2f}")
            failed = True
    if dev:
        print(f"\n{args.dev}:")
        report(dev_pairs, brief=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
