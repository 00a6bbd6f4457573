"""Choose how sure a no to an alarm's check question must be to clear the alarm.

    python scripts/cv_alarm_answers.py                  # the suicide question, 5 folds
    python scripts/cv_alarm_answers.py --kind medical   # "is this happening now…?"

Cross-validates the reader of the alarm's check question on its labelled replies, each
read as the assistant reads it (`bot.core.alarm_answers`: the detector's veto and
insisting count), and prints, per threshold, how many replies that carry risk ("yes")
and how many plain noes would clear the alarm (a reply read as about another person
clears it too, with 911 for that person). The bar (`SURE_NO`) is the lowest
threshold at which none of the first do.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.alarm_answers import READERS, read_alarm_answer  # noqa: E402
from bot.core.answers import TRAINING_DIR, AnswerModel, load_answers  # noqa: E402
from bot.core.emergency import Kind, load_detector  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Print, per threshold, the replies of each label that would clear the alarm."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--kind", choices=[k.value for k in READERS], default="self_harm")
    parser.add_argument("--thresholds", type=float, nargs="*",
                        default=(0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95))
    args = parser.parse_args(argv)
    answers = load_answers([TRAINING_DIR])
    kind = Kind(args.kind)
    question = READERS[kind][0]
    replies = [a for a in answers if a.question == question]
    others = [a for a in answers if a.question != question]
    detector = load_detector()
    cleared: Counter[tuple[float, str]] = Counter()
    for fold in range(args.folds):
        model = AnswerModel.train(
            others + [a for i, a in enumerate(replies) if i % args.folds != fold])
        for reply in replies[fold::args.folds]:
            for threshold in args.thresholds:
                read = read_alarm_answer(reply.text, kind, model, detector, {kind: threshold})
                cleared[threshold, reply.label] += read.clears
    total = Counter(reply.label for reply in replies)
    for threshold in args.thresholds:
        print(f"{threshold:.2f}: clears {cleared[threshold, 'yes']} of {total['yes']} that "
              f"carry risk, {cleared[threshold, 'no']} of {total['no']} noes, "
              f"{cleared[threshold, 'unsure']} of {total['unsure']} unsure")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
