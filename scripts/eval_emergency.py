"""Measure the emergency detector on labelled message sets; fail below the targets.

    python scripts/eval_emergency.py                       # dev and final sets, report
    python scripts/eval_emergency.py --min-recall 1 --max-false-alarms 0.03 --json out.json
    python scripts/eval_emergency.py --cv 5                # cross-validation on training data

A medical emergency counts as recognised only with the 911 answer, and thoughts of
self-harm only with the 988 answer; a false alarm is any emergency advice (sure or with a
check question) on a message labelled `none`. The ordinary questions and small talk of the
NLU held-out sets (`tests/nlu/`) are counted too: each must raise no alarm. The frozen sets
are checked against their SHA256SUMS first, so an edited frozen set cannot be measured.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.alarm_answers import read_alarm_answer  # noqa: E402
from bot.core.answers import load_answer_model  # noqa: E402
from bot.core.emergency import (  # noqa: E402
    Assessment,
    Detector,
    Kind,
    load_detector,
    train_detector,
)
from bot.core.emergency.dataset import (  # noqa: E402
    AFTER_ALARM,
    TRAINING_DIR,
    Example,
    load_examples,
    ordinary_answers,
    ordinary_messages,
)
from bot.core.emergency.text import tokens  # noqa: E402

SETS = {
    "dev": ROOT / "tests" / "emergency" / "dev",
    "final": ROOT / "tests" / "emergency" / "final",
    "probes": ROOT / "tests" / "emergency" / "probes",
    "acts": ROOT / "tests" / "emergency" / "acts",
    "short": ROOT / "tests" / "emergency" / "short",
    "changes": ROOT / "tests" / "emergency" / "changes",
    "memories": ROOT / "tests" / "emergency" / "memories",
    "medicines": ROOT / "tests" / "emergency" / "medicines",
    "today": ROOT / "tests" / "emergency" / "today",
    "mixed": ROOT / "tests" / "emergency" / "mixed",
    "weight": ROOT / "tests" / "emergency" / "weight",
    "head": ROOT / "tests" / "emergency" / "head",
    "farewell": ROOT / "tests" / "emergency" / "farewell",
    "denials": ROOT / "tests" / "emergency" / "denials",
    "losses": ROOT / "tests" / "emergency" / "losses",
    "limbs": ROOT / "tests" / "emergency" / "limbs",
    "crashes": ROOT / "tests" / "emergency" / "crashes",
    "long": ROOT / "tests" / "emergency" / "long",
    "others": ROOT / "tests" / "emergency" / "others",
    "bystanders": ROOT / "tests" / "emergency" / "bystanders",
    "witnesses": ROOT / "tests" / "emergency" / "witnesses",
    "onlookers": ROOT / "tests" / "emergency" / "onlookers",
    "responders": ROOT / "tests" / "emergency" / "responders",
}
GATED = ("final", "probes")
"""The frozen sets, each written blind: the targets apply to them."""
ADVICE_GATED = ("acts", "short", "changes")
"""Frozen blind sets held to one target only: every urgent message gets advice (911 or
988). The acts set is about which advice (harm already done: an overdose is both
kinds); the short set is messages of 1 to 8 words, where a false alarm costs one check
question; the changes set is about change against the usual state, what one cannot
do, medicines in passing and feelings after the accident. Their kind recall and false
alarms are reported, not gated. The memories set (what patients keep thinking about, what
they can't do) is only reported: data was written for its themes after it was measured.
So are the medicines set (how patients mention their medicines, often with a time), the
today set (what patients did or felt today, told with a time), the mixed set (a
message that tells something and asks a practical question), the weight set (a new
injury, and whether one can still stand or walk on it), the head set (a blow to the
head, and signs of a stroke) and the farewell set (goodbyes, belongings given away, a
sudden calm, a way to die). So is the denials set (denials of thoughts of suicide, and
replies to the direct question after a suicide alarm, some of which still carry risk), and
the losses set (the wish to join someone who died, grief without risk, a limb that gives
out, new or stable) and the limbs set (a limb or the back that gives way: old and stable,
new and urgent, and body words beside thoughts of suicide), and the crashes set (crashes,
collisions and being struck, told as the story of the injury or as new; road words that
are no injury; thoughts of suicide with road words), and the long set (long, chatty
messages with one part that matters: a red flag of now told with no time or an unusual
one, or a story of the past, in the present tense too), and the others set (someone else
in danger now, told by the one who types: a person out cold, choking or fitting; their
danger long over, figures of speech, first-aid talk), and the bystanders set (what a
bystander sees of another's emergency now, in everyday words, often with no question;
the same words in their everyday senses), and the witnesses set (another's emergency
told as people type in a panic: slang, capitals, missing words; the same people and words
with no 911 now), and the onlookers set (someone nearby, told in a few words: a shout, a
line with no question, plurals and nicknames; the same people asleep, worn out, joked
about or over it), and the responders set (someone down now, told by what the people
around do and see: CPR, a defibrillator, out cold, fitting, turning blue, cries typed in
a panic; first-aid classes, sleep, jokes and scares that are over)."""
POOLED = ("probes", "acts", "short", "changes", "memories", "medicines", "today", "mixed",
          "weight", "head", "farewell", "denials", "losses", "limbs",
          "crashes", "long", "others", "bystanders", "witnesses", "onlookers",
          "responders")
"""Sets measured (and gated, where they are) over both languages together: 27 Spanish
negatives would make 3 % mean 0."""
QUESTIONS = {
    "dev": ROOT / "tests" / "nlu" / "dev",
    "final": ROOT / "tests" / "nlu" / "test",
}
"""The NLU held-out sets: their ordinary questions and small talk must raise no alarm."""


def check_frozen(folder: Path) -> None:
    """Refuse a frozen set that differs from its recorded checksums."""
    sums = folder / "SHA256SUMS"
    if not sums.is_file():
        return
    for line in sums.read_text().splitlines():
        digest, name = line.split(maxsplit=1)
        if hashlib.sha256((folder / name).read_bytes()).hexdigest() != digest:
            sys.exit(f"{folder / name} was changed after it was frozen: restore it")


def evaluate(detector: Detector, examples: Sequence[Example]) -> dict:
    """Recall per label and category, false alarms per category, misses and latency."""
    hits: dict[str, Counter] = defaultdict(Counter)
    misses, alarms, times = [], [], []
    unsure = advised = 0
    for example in examples:
        start = time.perf_counter()
        verdict = assess(detector, example)
        times.append(time.perf_counter() - start)
        group = hits[f"{example.label}/{example.category}"]
        group["n"] += 1
        advised += example.label != "none" and verdict.urgent
        if example.label == "none":
            if verdict.urgent:
                group["alarm"] += 1
                alarms.append((example, verdict))
        elif verdict.kind == Kind(example.label):
            group["hit"] += 1
            unsure += not verdict.sure
        else:
            misses.append((example, verdict))
    totals = {label: sum(c["n"] for k, c in hits.items() if k.startswith(label + "/"))
              for label in ("medical", "self_harm", "none")}
    found = {label: sum(c["hit"] for k, c in hits.items() if k.startswith(label + "/"))
             for label in ("medical", "self_harm")}
    times.sort()
    return {
        "messages": len(examples),
        "recall": {label: _ratio(found[label], totals[label]) for label in found},
        "urgent": {label: totals[label] for label in found},
        "advice": _ratio(advised, totals["medical"] + totals["self_harm"]),
        "false_alarm_rate": _ratio(len(alarms), totals["none"]),
        "negatives": totals["none"],
        "false_alarms": len(alarms),
        "asked_instead_of_sure": unsure,
        "by_category": {k: dict(c) for k, c in sorted(hits.items())},
        "p95_ms": round(1000 * times[int(0.95 * (len(times) - 1))], 2) if times else 0.0,
        "median_ms": round(1000 * statistics.median(times), 2) if times else 0.0,
        "misses": [_row(e, v) for e, v in misses],
        "alarms": [_row(e, v) for e, v in alarms],
    }


def assess(detector: Detector, example: Example) -> Assessment:
    """The verdict on one message; a reply to a suicide alarm is read as the assistant does.

    Such a reply (context `after_alarm`) keeps the alarm unless it clears it: "not right
    now" leaves 988 in view, "no, i was just angry" does not.
    """
    verdict = detector.assess(example.text, example.asked)
    if example.context != AFTER_ALARM or verdict.urgent:
        return verdict
    read = read_alarm_answer(example.text, Kind.SELF_HARM, load_answer_model(), detector)
    if read.clears:
        return verdict
    return Assessment(Kind.SELF_HARM, sure=False, probability=verdict.probability)


def unseen(examples: Sequence[Example]) -> list[Example]:
    """The examples the detector was not trained on.

    The NLU examples are ordinary messages too, and a writer who never saw them can still
    write the same line ("is this a real person"): such a line of four words or more is
    left out of the score, not edited out of a frozen set. Shorter ones ("yes", "stop")
    are everywhere and stay.
    """
    trained = _trained_lines()
    return [e for e in examples
            if len(tokens(e.text)) < 4 or tuple(tokens(e.text)) not in trained]


@cache
def _trained_lines() -> frozenset[tuple[str, ...]]:
    """The training messages' words, read once: about 10 s, and every set needs them."""
    return frozenset(tuple(tokens(e.text)) for e in
                     load_examples([TRAINING_DIR]) + ordinary_answers() + ordinary_messages())


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 1.0


def _row(example: Example, verdict) -> str:
    how = f"{verdict.kind}{'' if verdict.sure else '?'} p={verdict.probability:.2f}"
    return f"[{example.label}/{example.category} {example.context}] {how}: {example.text}"


def cross_validate(folds: int, sweep: Sequence[float] = ()) -> dict:
    """Train on all but one fold of the training data and test on that fold, in turn.

    With `sweep`, also print recall and false alarms for each `ask` threshold.
    """
    examples = load_examples([TRAINING_DIR])
    trained = []
    for fold in range(folds):
        train = [e for i, e in enumerate(examples) if i % folds != fold]
        trained.append((train_detector(examples=train), examples[fold::folds]))
    base = trained[0][0].thresholds
    for ask in sweep:
        for detector, _ in trained:
            detector.thresholds = replace(base, ask=ask)
        _print(f"ask >= {ask:.2f}", _merge([evaluate(d, test) for d, test in trained]), False)
    for detector, _ in trained:
        detector.thresholds = base
    return _merge([evaluate(d, test) for d, test in trained])


def _merge(results: list[dict]) -> dict:
    merged = {"misses": [m for r in results for m in r["misses"]],
              "alarms": [a for r in results for a in r["alarms"]]}
    merged["false_alarm_rate"] = _ratio(
        sum(r["false_alarms"] for r in results), sum(r["negatives"] for r in results))
    merged["recall"] = {
        label: _ratio(sum(r["recall"][label] * r["urgent"][label] for r in results),
                      sum(r["urgent"][label] for r in results))
        for label in ("medical", "self_harm")
    }
    return merged


def main(argv: list[str] | None = None) -> int:
    """Report the sets' figures; exit 1 if a frozen set misses a target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="*", default=list(SETS), choices=list(SETS))
    parser.add_argument("--min-recall", type=float, default=None)
    parser.add_argument("--max-false-alarms", type=float, default=None)
    parser.add_argument("--min-advice", type=float, default=None,
                        help="share of urgent messages given any advice, in ADVICE_GATED sets")
    parser.add_argument("--max-p95-ms", type=float, default=None)
    parser.add_argument("--trained", action="store_true",
                        help="train in memory instead of loading models/emergency")
    parser.add_argument("--cv", type=int, default=0, help="cross-validate with N folds")
    parser.add_argument("--sweep", type=float, nargs="*", default=(),
                        help="with --cv: ask thresholds to compare")
    parser.add_argument("--show", action="store_true", help="list misses and false alarms")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args(argv)

    if args.cv:
        result = cross_validate(args.cv, args.sweep)
        _print("cross-validation", result, args.show)
        return 0
    detector = train_detector() if args.trained else load_detector()
    report, failed = {}, False
    for name in args.sets:
        check_frozen(SETS[name])
        measured = [(f"{name}-{language}", f"{name} ({language})", load_examples(files))
                    for language, files in by_language(SETS[name]).items()]
        if name in QUESTIONS:
            measured += [(f"{name}-questions-{language}", f"{name}, questions ({language})",
                          ordinary_messages(files))
                         for language, files in by_language(QUESTIONS[name]).items()]
        if name in POOLED:
            measured.append((name, f"{name} (all languages)",
                             load_examples(sorted(SETS[name].glob("*.yml")))))
        for key, title, examples in measured:
            result = evaluate(detector, unseen(examples))
            report[key] = result
            _print(title, result, args.show)
            if name not in POOLED or key == name:
                if name in GATED:
                    failed |= _below_target(result, args)
                elif name in ADVICE_GATED and args.min_advice is not None:
                    failed |= result["advice"] < args.min_advice
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False))
    return 1 if failed else 0


def per_language(text: str) -> dict[str, float]:
    """A target for every language ("0.97") or per language ("en=0.97,es=0.9").

    For a command-line option: a language without a target of its own takes the bare one.
    """
    targets: dict[str, float] = {}
    for part in text.split(","):
        language, _, value = part.rpartition("=")
        targets[language.strip() or "*"] = float(value)
    return targets


def target_for(targets: dict[str, float] | None, language: str) -> float | None:
    """The target of `language` from `per_language`'s result (None: no target)."""
    return None if targets is None else targets.get(language, targets.get("*"))


def by_language(folder: Path, pattern: str = "*.yml") -> dict[str, list[Path]]:
    """A set's files by the language they are written in: Spanish ones end in `_es`."""
    groups: dict[str, list[Path]] = defaultdict(list)
    for file in sorted(folder.glob(pattern)):
        groups["es" if file.stem.endswith("_es") else "en"].append(file)
    return groups


def _below_target(result: dict, args: argparse.Namespace) -> bool:
    low = args.min_recall is not None and min(result["recall"].values()) < args.min_recall
    high = (args.max_false_alarms is not None
            and result["false_alarm_rate"] > args.max_false_alarms)
    slow = args.max_p95_ms is not None and result["p95_ms"] > args.max_p95_ms
    return low or high or slow


def _print(name: str, result: dict, show: bool) -> None:
    recall = ", ".join(f"{k} {v:.1%}" for k, v in result["recall"].items())
    if "advice" in result:
        recall += f" (any advice {result['advice']:.1%})"
    recall = f"recall {recall}; " if any(result.get("urgent", {"": 1}).values()) else ""
    print(f"{name}: {recall}false alarms {result['false_alarm_rate']:.1%}"
          + (f" ({result['false_alarms']}/{result['negatives']})" if "negatives" in result
             else "")
          + (f"; p95 {result['p95_ms']} ms" if "p95_ms" in result else ""))
    if show:
        for line in result["misses"]:
            print("  MISS ", line)
        for line in result["alarms"]:
            print("  ALARM", line)


if __name__ == "__main__":
    sys.exit(main())
