"""Measure how replies to an alarm's check question are read, on the frozen judges.

    python scripts/eval_alarm_replies.py --show

Each reply of `tests/alarm_replies/` is read as the assistant reads it after the alarm
whose question it answers, medical or suicide (`bot.core.alarm_answers`: the check
question's own reader, the detector's veto, insisting). A reply that tells the sign or
the thoughts may still be there ("yes") must never clear the alarm, even as a reply
about another person (with 911 for them): one that does is a miss. A plain no ("no")
should clear it: one that does not is asked about once more, with a one-click way out.
The files are checked against their SHA256SUMS first; they are never edited.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from eval_emergency import check_frozen  # noqa: E402

from bot.core.alarm_answers import READERS, AlarmAnswer, read_alarm_answer  # noqa: E402
from bot.core.answers import ensure_answer_model, load_answer_model, load_answers  # noqa: E402
from bot.core.emergency import ensure_detector, load_detector  # noqa: E402
from bot.core.emergency.dataset import yaml_files  # noqa: E402

JUDGE = ROOT / "tests" / "alarm_replies"
READERS_BY_QUESTION = {question: kind for kind, (question, _) in READERS.items()}
"""Which alarm a check question follows: the judge's replies name their question."""


def main(argv: list[str] | None = None) -> int:
    """Print, per file, the replies of each label that clear the alarm; fail on a miss."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="list the replies read wrong")
    args = parser.parse_args(argv)
    check_frozen(JUDGE)
    ensure_answer_model()
    ensure_detector()
    answers, detector = load_answer_model(), load_detector()
    missed = 0
    for file in yaml_files([JUDGE]):
        replies = load_answers([file])
        kinds = {READERS_BY_QUESTION[a.question] for a in replies}
        cleared: Counter[str] = Counter()
        wrong, elsewhere = [], 0
        for reply in replies:
            kind = READERS_BY_QUESTION[reply.question]
            read = read_alarm_answer(reply.text, kind, answers, detector)
            cleared[reply.label] += read.clears
            elsewhere += read is AlarmAnswer.SOMEONE_ELSE
            if read.clears != (reply.label == "no"):
                wrong.append(f"  {'MISS ' if reply.label == 'yes' else 'KEPT '}"
                             f"[{reply.label}] {reply.text} ({read.value})")
        total = Counter(a.label for a in replies)
        missed += cleared["yes"]
        print(f"{file.name} ({', '.join(sorted(kinds))}): a sign still there cleared "
              f"{cleared['yes']} of {total['yes']}; noes cleared {cleared['no']} of "
              f"{total['no']} ({100 * cleared['no'] / max(total['no'], 1):.1f} %); unsure "
              f"cleared {cleared['unsure']} of {total['unsure']}; other cleared "
              f"{cleared['other']} of {total['other']}; read as about another person, with "
              f"911 for them: {elsewhere}")
        if args.show:
            print("\n".join(wrong))
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
