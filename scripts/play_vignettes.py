"""A simulated patient plays triage vignettes against the running servers over REST.

    python scripts/play_vignettes.py                       # dev and final, report
    python scripts/play_vignettes.py --min-right 0.95 --max-loops 0 --max-false-alarms 0 --show

Each vignette is one injured worker: an opening message, and what they answer when the
assistant asks about each topic (`answers`), optionally something else when asked the
same topic again (`again`) and one extra move (`extra`: an FAQ, a correction or a new
symptom, said right after answering a topic, or after the next answer when the assistant
skips that topic because the opening already told it). The patient reads the question
being asked from the conversation's `requested_slot`, answers it (clicking the button
whose title is the answer, when there is one), and stops when the assistant gives a
result. Right means `recommended_program` equals the vignette's `expected`; a loop is
any question asked more than twice. A patient who is not in an emergency answers an
emergency alarm as a real one would ("No, nothing like that is happening", and then "No,
none of those" if the safety checklist comes again) and goes on; such conversations are
counted as false alarms. Final sets are checked against their SHA256SUMS first.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "tests"))  # the test support: launcher, browser

from eval_emergency import by_language, check_frozen, per_language, target_for  # noqa: E402

PATIENTS_AT_ONCE = 4
SETS = {"dev": ROOT / "tests" / "triage" / "dev", "final": ROOT / "tests" / "triage" / "final"}
TOPICS = {
    "red_flags": "safety", "medically_cleared": "doctor", "weeks_since_injury": "time",
    "has_job_goal": "job_goal", "job_demand_level": "job_demands",
    "meets_job_demands": "full_job_now", "psychosocial_barriers": "worries",
    "vocational_barriers": "work_worries", "tolerates_4_hours": "hours",
}
ORDER = list(TOPICS.values())
"""The topics in the order the triage asks them (`triage_form` in `domain.yml`)."""
PHRASES = {
    "en": {"ask": "which program is right for me?", "not_now": "No, nothing like that is "
           "happening to me.", "none": "No, none of those.", "unsure": "not sure"},
    "es": {"ask": "¿qué programa es para mí?", "not_now": "No, no me está pasando nada de "
           "eso.", "none": "No, ninguna de esas.", "unsure": "no sé"},
}
"""What the simulated patient says on its own, in the language of its file (`*_es.yml`)."""
URGENT = "urgent_care"
MAX_TURNS = 30


@dataclass
class Played:
    """How one vignette went."""

    vignette: dict[str, Any]
    outcome: str | None = None
    turns: int = 0
    asked: Counter = field(default_factory=Counter)
    false_alarms: int = 0
    transcript: list[str] = field(default_factory=list)

    @property
    def right(self) -> bool:
        """Whether the assistant reached the vignette's expected outcome."""
        return self.outcome == self.vignette["expected"]

    @property
    def looped(self) -> bool:
        """Whether any question was asked more than twice."""
        return any(n > 2 for n in self.asked.values())


class Patient:
    """Plays one vignette against a bot reached at `url` (REST and the tracker API)."""

    def __init__(self, url: str, token: str, vignette: dict[str, Any]) -> None:
        """Start a new conversation for the vignette."""
        self.url, self.token, self.vignette = url, token, vignette
        self.sender = f"vignette-{vignette['id']}-{uuid.uuid4().hex[:8]}"
        self.played = Played(vignette)
        self.buttons: list[dict[str, str]] = []

    def say(self, text: str) -> None:
        """Send a message (a button's payload if the text is one of its titles)."""
        payload = next((b["payload"] for b in self.buttons
                        if b.get("title", "").strip('"').lower() == text.strip().lower()), text)
        response = requests.post(f"{self.url}/webhooks/rest/webhook",
                                 json={"sender": self.sender, "message": payload},
                                 headers={"Authorization": f"Bearer {self.token}"}, timeout=60)
        response.raise_for_status()
        replies = response.json()
        self.buttons = [b for r in replies for b in r.get("buttons") or []]
        self.played.turns += 1
        self.played.transcript += [f"patient: {text}"] + [
            f"bot: {r.get('text', '')[:120]}" for r in replies]

    def tracker(self) -> dict[str, Any]:
        """The conversation's state, read through the token-protected API."""
        response = requests.get(f"{self.url}/conversations/rest:{self.sender}/tracker",
                                headers={"Authorization": f"Bearer {self.token}"}, timeout=30)
        response.raise_for_status()
        return response.json()

    def play(self) -> Played:
        """Answer the assistant's questions until it gives a result (or gives up)."""
        answers = self.vignette["answers"]
        phrases = PHRASES[self.vignette["language"]]
        again = self.vignette.get("again") or {}
        extra = self.vignette.get("extra") or {}
        self.say(self.vignette["opening"])
        asked_for_triage = False
        while self.played.turns < MAX_TURNS:
            state = self.tracker()
            slots = state["slots"]
            if (slots.get("recommended_program") == URGENT and slots.get("emergency_check")
                    and self.vignette["expected"] != URGENT and self.played.false_alarms < 2):
                self.played.false_alarms += 1
                self.say(phrases["not_now"])
                continue
            if slots.get("recommended_program"):
                break
            requested = slots.get("requested_slot")
            if (state.get("active_loop") or {}).get("name") != "triage_form" or not requested:
                if asked_for_triage:
                    break
                self.say(phrases["ask"])
                asked_for_triage = True
                continue
            self.played.asked[requested] += 1
            topic = TOPICS.get(requested, requested)
            first = self.played.asked[requested] == 1
            if topic == "safety" and self.played.false_alarms and not first:
                self.say(phrases["none"])  # as they have just told the assistant
            else:
                self.say(answers.get(topic, phrases["unsure"]) if first or topic not in again
                         else again[topic])
            if extra and topic in ORDER and ORDER.index(topic) >= ORDER.index(extra["after"]):
                self.say(extra["say"])
                extra = {}
        self.played.outcome = self.tracker()["slots"].get("recommended_program")
        return self.played


def load_vignettes(folder: Path) -> dict[str, list[dict[str, Any]]]:
    """Every vignette in the folder's vignettes*.yml files, by language."""
    return {language: [{**v, "language": language} for file in files
                       for v in yaml.safe_load(file.read_text(encoding="utf-8"))["vignettes"]]
            for language, files in by_language(folder, "vignettes*.yml").items()}


def play_all(url: str, token: str, vignettes: list[dict[str, Any]]) -> dict[str, Any]:
    """Play every vignette; share right, loops, mean turns, and the ones that went wrong.

    A few patients at a time, as a clinic's would: each is its own conversation, and the
    servers overlap one patient's turn with another's wait (about twice as fast as one).
    """
    with ThreadPoolExecutor(PATIENTS_AT_ONCE) as pool:
        played = list(pool.map(lambda vignette: Patient(url, token, vignette).play(), vignettes))
    right = sum(p.right for p in played)
    by_outcome: dict[str, Counter] = {}
    for p in played:
        by_outcome.setdefault(p.vignette["expected"], Counter())[p.right] += 1
    return {
        "n": len(played),
        "share": right / len(played) if played else 1.0,
        "loops": sum(p.looped for p in played),
        "false_alarms": sum(p.false_alarms > 0 for p in played),
        "mean_turns": statistics.mean(p.turns for p in played) if played else 0.0,
        "by_outcome": {o: f"{c[True]}/{c[True] + c[False]}" for o, c in by_outcome.items()},
        "wrong": [p for p in played if not p.right or p.looped or p.false_alarms],
    }


def main(argv: list[str] | None = None) -> int:
    """Start the bot (or use --url), play the sets, exit 1 below the final targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="*", default=list(SETS), choices=list(SETS))
    parser.add_argument("--min-right", type=per_language, default=None,
                        help='e.g. 0.95, or per language: "en=0.95,es=0.9"')
    parser.add_argument("--max-loops", type=int, default=None)
    parser.add_argument("--max-false-alarms", type=int, default=None,
                        help="conversations of a patient who is fine that got an alarm")
    parser.add_argument("--url", help="a running bot's Rasa server (needs --token)")
    parser.add_argument("--token", default="")
    parser.add_argument("--show", action="store_true", help="print the wrong transcripts")
    args = parser.parse_args(argv)

    from launcher import launch

    with tempfile.TemporaryDirectory() as tmp:
        bot = None
        url, token = args.url, args.token
        if not url:
            bot = launch(Path(tmp))
            bot.wait_until_up()
            url, token = bot.rasa_url, bot.token
        failed = False
        try:
            plays = [(name, language, vignettes) for name in args.sets
                     for language, vignettes in load_vignettes(SETS[name]).items()]
            for name, language, vignettes in plays:
                check_frozen(SETS[name])
                result = play_all(url, token, vignettes)
                print(f"{name} ({language}): right outcome {result['share']:.1%} of {result['n']} "
                      f"({', '.join(f'{o} {v}' for o, v in result['by_outcome'].items())}); "
                      f"loops {result['loops']}; conversations with a false alarm "
                      f"{result['false_alarms']}; mean turns {result['mean_turns']:.1f}")
                for played in result["wrong"] if args.show else ():
                    print(f"  {played.vignette['id']}: expected {played.vignette['expected']}, "
                          f"got {played.outcome}; asked {dict(played.asked)}")
                    for line in played.transcript:
                        print("     ", line)
                if name == "final":
                    least = target_for(args.min_right, language)
                    failed |= least is not None and result["share"] < least
                    failed |= args.max_loops is not None and result["loops"] > args.max_loops
                    failed |= (args.max_false_alarms is not None
                               and result["false_alarms"] > args.max_false_alarms)
        finally:
            if bot:
                bot.stop()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
