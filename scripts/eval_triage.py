"""Measure how the triage reads answers and dates; fail below the targets on final sets.

    python scripts/eval_triage.py                            # dev and final, report
    python scripts/eval_triage.py --min-answers 0.97 --min-durations 0.95 --show

An answer is right when its meaning (yes / no / unsure / other) matches the label; for
the job, when the demand level matches; for the time since the injury, when the weeks
are within 1 week or 10 % of the label (or both say it is not known). A yes read as no,
or the reverse, on the safety or clearance question is listed apart: it is a bug, not a
percentage. Final sets are checked against their SHA256SUMS first.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from eval_emergency import by_language, check_frozen, per_language, target_for  # noqa: E402

from bot.core.answers import Answer, ensure_answer_model, load_answer_model, load_answers  # noqa: E402
from bot.core.durations import UNKNOWN, weeks_since  # noqa: E402
from bot.core.emergency import ensure_detector, load_detector  # noqa: E402
from bot.core.extract import TriageReader  # noqa: E402
from bot.core.spacy_pipeline import SPACY_DIR  # noqa: E402

SETS = {"dev": ROOT / "tests" / "triage" / "dev", "final": ROOT / "tests" / "triage" / "final"}
TODAY = date(2026, 11, 30)
CRITICAL = {"red_flags", "medically_cleared"}
UNSAFE = {("red_flags", "yes"), ("medically_cleared", "no")}
"""Swaps that put a patient at risk: a red flag read as none, "not cleared" read as cleared.
The other way round costs a needless alarm or a visit to the doctor first."""


def answer_right(question: str, label: str, reply) -> bool:
    """Whether the reader's reply means what the label says."""
    if question == "weeks_since_injury" and label not in set(Answer):
        return isinstance(reply.value, float) and close(reply.value, float(label))
    if question == "job_demand_level" and label not in set(Answer):
        return reply.value == label
    return reply.kind == Answer(label)


def close(got: float, expected: float) -> bool:
    """Within 1 week or 10 % of the expected number of weeks."""
    return abs(got - expected) <= max(1.0, 0.1 * expected)


def evaluate_answers(reader: TriageReader, files: list[Path]) -> dict:
    """Share right per question, plus yes/no swaps on the critical questions."""
    right, total, wrong, swaps, unsafe = Counter(), Counter(), [], [], []
    for answer in load_answers(files):
        reply = reader.answer(answer.question, answer.text, TODAY)
        ok = answer_right(answer.question, answer.label, reply)
        total[answer.question] += 1
        right[answer.question] += ok
        if not ok:
            wrong.append(f"[{answer.question}] {answer.label} -> "
                         f"{reply.kind.value} {reply.value!r}: {answer.text}")
            if answer.question in CRITICAL and {answer.label, reply.kind.value} == {"yes", "no"}:
                swaps.append(wrong[-1])
                if (answer.question, answer.label) in UNSAFE:
                    unsafe.append(wrong[-1])
    n = sum(total.values())
    return {"share": sum(right.values()) / n if n else 1.0, "n": n, "wrong": wrong,
            "swaps": swaps, "unsafe": unsafe,
            "per_question": {q: f"{right[q]}/{total[q]}" for q in total}}


def evaluate_durations(files: list[Path]) -> dict:
    """Share of "how long ago" answers read to the right number of weeks."""
    right, wrong, n = 0, [], 0
    for file in files:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        today = date.fromisoformat(str(data["reference_date"]))
        for item in data["durations"]:
            n += 1
            got = weeks_since(str(item["text"]), today)
            if item["weeks"] == "unknown":
                ok = got is UNKNOWN or got is None
            else:
                ok = isinstance(got, float) and close(got, float(item["weeks"]))
            right += ok
            if not ok:
                wrong.append(f"{item['weeks']} -> {got!r}: {item['text']}")
    return {"share": right / n if n else 1.0, "n": n, "wrong": wrong}


def main(argv: list[str] | None = None) -> int:
    """Report dev and final figures; exit 1 if a final set misses a target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="*", default=list(SETS), choices=list(SETS))
    parser.add_argument("--min-answers", type=per_language, default=None,
                        help='e.g. 0.97, or per language: "en=0.97,es=0.9"')
    parser.add_argument("--min-durations", type=per_language, default=None)
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args(argv)

    import spacy

    ensure_answer_model()
    ensure_detector()
    reader = TriageReader(spacy.load(SPACY_DIR), load_answer_model(), load_detector())
    failed = False
    for name in args.sets:
        check_frozen(SETS[name])
        answer_sets = by_language(SETS[name], "answers*.yml")
        duration_sets = by_language(SETS[name], "durations*.yml")
        for language in sorted(set(answer_sets) | set(duration_sets)):
            files = answer_sets.get(language, [])
            answers = evaluate_answers(reader, files)
            durations = evaluate_durations(duration_sets.get(language, []))
            print(f"{name} ({language}): answers {answers['share']:.1%} of {answers['n']} "
                  f"({', '.join(f'{q} {v}' for q, v in answers['per_question'].items())}); "
                  f"yes/no swaps on safety or clearance: {len(answers['swaps'])}; "
                  f"durations {durations['share']:.1%} of {durations['n']}")
            for file in files if len(files) > 1 else ():
                each = evaluate_answers(reader, [file])
                print(f"  {file.name}: answers {each['share']:.1%} of {each['n']}; "
                      f"swaps {len(each['swaps'])}")
            for line in answers["swaps"]:
                print("  UNSAFE SWAP" if line in answers["unsafe"] else "  SWAP", line)
            if args.show:
                for line in answers["wrong"] + durations["wrong"]:
                    print("  WRONG", line)
            if name == "final":
                least = target_for(args.min_answers, language)
                least_durations = target_for(args.min_durations, language)
                failed |= bool(answers["unsafe"])
                failed |= least is not None and answers["share"] < least
                failed |= least_durations is not None and durations["share"] < least_durations
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
