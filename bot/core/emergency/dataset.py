"""Labelled messages for the emergency detector: training data, dev and final test sets.

Each file holds `messages:`, a list of `text`, `label` (`medical`, `self_harm` or
`none`), `category` (the red flag or the kind of hard negative) and `context` (`start`,
`after_faq`, `asked:<slot>`, the question the assistant had just asked, or `after_alarm`,
a reply to "are you having thoughts of ending your life?" after a suicide alarm); regression
cases may carry `status: open` (a known error not fixed yet).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.core.names import AFFIRM, CORRECTION, DENY, EMERGENCY, FAQ_EMERGENCY_SIGNS
from bot.core.someone_else import about_another
from bot.settings import ROOT

TRAINING_DIR = ROOT / "data" / "emergency" / "train"
ANSWERS_DIR = ROOT / "data" / "answers" / "train"
NLU_DIR = ROOT / "data" / "nlu"
NLU_EXAMPLE = "nlu_example"
NOT_ORDINARY = frozenset({EMERGENCY, AFFIRM, DENY, CORRECTION, FAQ_EMERGENCY_SIGNS})
"""NLU intents whose messages may be urgent, or mean yes to the red-flag checklist.

Questions about the signs of an emergency name them, and a patient may ask one while
having it ("when is chest pain an emergency?"): the detector's own data weighs those.
"""
SAFETY_QUESTION = "red_flags"
SELF_HARM_CHECK = "self_harm_check"
"""The question asked after a suicide alarm ("are you having thoughts of ending your
life?"): not a triage slot, but its replies are labelled like the triage answers."""
MEDICAL_CHECK = "medical_check"
"""The question asked after a medical alarm ("is this happening now, or did it start in the
last few days?"): "it went away an hour ago" or "not worth the ER" is no denial there."""
AFTER_ALARM = "after_alarm"
LABELS = ("none", "medical", "self_harm")


@dataclass(frozen=True)
class Example:
    """One labelled message."""

    text: str
    label: str
    category: str = ""
    context: str = "start"
    source: str = ""
    status: str = ""
    intent: str = ""  # an NLU example's intent

    @property
    def asked(self) -> str | None:
        """The slot the assistant had just asked about, if any."""
        return self.context.removeprefix("asked:") if self.context.startswith("asked:") else None


def yaml_files(paths: Iterable[Path]) -> list[Path]:
    """The given files, and the `*.yml` files of the given folders, sorted."""
    return sorted(f for p in paths for f in (sorted(p.glob("*.yml")) if p.is_dir() else [p]))


def load_examples(paths: Iterable[Path]) -> list[Example]:
    """Every message in the given files and folders (folders: their `*.yml`, sorted)."""
    examples = []
    for file in yaml_files(paths):
        for item in yaml.safe_load(file.read_text(encoding="utf-8"))["messages"]:
            if item["label"] not in LABELS:
                raise ValueError(f"{file}: unknown label {item['label']!r}")
            examples.append(Example(
                text=str(item["text"]), label=item["label"],
                category=item.get("category", ""), context=item.get("context", "start"),
                source=file.name, status=item.get("status", ""),
            ))
    return examples


def ordinary_answers(folder: Path = ANSWERS_DIR) -> list[Example]:
    """The triage answers' training data as not-urgent examples, for the detector.

    Answers to every question but the safety checklist and the check after a medical
    alarm ("yeah still numb" tells a red flag on its own) are ordinary talk (a job lost,
    low mood, "I tried last week and had to go home at lunch"): the detector must never
    raise the alarm on them. Of the replies to "are you having thoughts of ending your
    life?", only the noes are ("no im not thinking about killing myself, i was just
    angry"), read as messages of their own: the detector is never asked with that
    question; not those that tell the thoughts are another person's ("not me, my buddy
    said he wants to end it"): read alone, that is an alarm. Read with the answers' own
    format, to keep one copy.
    """
    examples = []
    for file in yaml_files([folder]):
        for item in yaml.safe_load(file.read_text(encoding="utf-8"))["answers"]:
            question = item["question"]
            if question in (SAFETY_QUESTION, MEDICAL_CHECK) or (
                    question == SELF_HARM_CHECK and (item["label"] != "no" or about_another(
                        str(item["text"])))):
                continue
            context = "start" if question == SELF_HARM_CHECK else f"asked:{question}"
            examples.append(Example(text=str(item["text"]), label="none",
                                    category="triage_answer", context=context,
                                    source=file.name))
    return examples


def ordinary_messages(paths: Iterable[Path] = (NLU_DIR,)) -> list[Example]:
    """The assistant's NLU training messages as not-urgent examples, for the detector.

    Questions about the programs, greetings and small talk, in both languages, are most
    of what patients write; without them the detector had too few ordinary Spanish
    messages and sounded the alarm on "a cuanto esta el dolar hoy". Left out: the
    `emergency` intent and replies whose meaning hangs on the question (yes, no, a
    correction). Read with Rasa's own file layout, to keep one copy; the NLU test sets
    are read the same way to count alarms on ordinary questions.
    """
    examples = []
    for file in yaml_files(paths):
        for item in yaml.safe_load(file.read_text(encoding="utf-8")).get("nlu", []):
            intent = str(item.get("intent", ""))
            if not intent or intent in NOT_ORDINARY or intent.split("/")[0] in NOT_ORDINARY:
                continue
            examples.extend(
                Example(text=line.strip()[2:].strip(), label="none", category=NLU_EXAMPLE,
                        source=file.name, intent=intent)
                for line in item["examples"].splitlines() if line.strip().startswith("- "))
    return examples
