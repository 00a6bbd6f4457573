"""The patient's latest message as actions read it, and giving the FAQ answer the NLU picked.

The rules answer an FAQ with `utter_faq` when it is the whole turn. When an action has
already weighed the message (after a result, during an alarm, a question asked a third
time), it gives the answer itself and the turn ends there: `utter_faq` run as a
follow-up would leave the rules without a next step, and the generic fallback would
follow it.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from bot.core import names
from bot.core.emergency.lexicon import load_lexicon
from bot.core.emergency.text import read
from bot.core.questions import about_the_sign, asks_a_question, where_it_asks

ANSWERS_OR_REMARKS = frozenset({names.FAQ, names.AFFIRM, names.DENY, names.DESCRIBE_SITUATION,
                                names.CORRECTION, names.NLU_FALLBACK, names.OUT_OF_SCOPE})
"""Intents of a message that may carry an FAQ besides: not a request of another kind
("which program is right for me?", "can someone call me?")."""


class Latest(NamedTuple):
    """The patient's latest message as the actions read it."""

    message: dict[str, Any]
    intent: str | None
    text: str

    @property
    def asks_about_the_programs(self) -> bool:
        """An FAQ put as a question ("how long does it last?"), not a remark taken for one.

        The question may follow a remark ("its probably nothing lol, how long does work
        conditioning last"), and then the NLU may give the whole another intent ("ok ill
        text 988 later. boots?"): a question in words of what the FAQ answers is one all
        the same.
        """
        return (self.intent == names.FAQ and asks_a_question(self.text)) or self.asks_beside

    @property
    def asks_the_faq_surely(self) -> bool:
        """A question the FAQ surely answers in other words, not one about the sign.

        While an alarm stands, "ok. how long does it last?" and "when can i start?" are
        about the program, unless they ask about the sign (`asks_about_the_sign`).
        """
        picked = names.faq_pick(self.message)
        return (self.intent == names.FAQ and asks_a_question(self.text)
                and float(picked.get("confidence") or 0.0) >= SURE_ALONE)

    @property
    def asks_about_the_sign(self) -> bool:
        """A question about how the body or mind feels, which no FAQ answers during an alarm.

        Its FAQ pick is an answer about the body ("is that normal?", "is that bad?"), or its
        asking part speaks of feelings, thoughts or medicines, or names a sign ("how long will the
        numbness last?", "how many weeks will the numbness last?", "how long do these
        thoughts last?": fresh reviews of stop 60 found them answered with the program's
        length).
        """
        picked = str(names.faq_pick(self.message).get("intent_response_key") or "")
        asked = self.text[where_it_asks(self.text) or 0:]  # not "…i feel ok. so do i need…"
        lexicon = load_lexicon()
        return about_the_sign(picked, asked) or lexicon.names_a_sign(read(asked, lexicon.scope))

    @property
    def asks_beside(self) -> bool:
        """An FAQ asked in words of what the FAQ answers, alone or after a remark or an answer."""
        return self.intent in ANSWERS_OR_REMARKS and where_it_asks(self.text) is not None


def latest(tracker: Tracker) -> Latest:
    """The latest message, its intent and its text (empty when missing)."""
    message = tracker.latest_message or {}
    return Latest(message, (message.get("intent") or {}).get("name"), message.get("text") or "")


SURE_ALONE = 0.5
"""From this the FAQ answer picked for a question in other words than the FAQ's is sure
enough to give while an alarm stands: "how long does it last?" 0.97, "when can i start?"
0.71; "is this normal" 0.39."""
SURE_PICK = 0.15
"""Below this the FAQ answer picked is a guess: 1 of the 609 FAQ questions of the NLU dev
sets was picked below it (rightly). A remark the NLU took for an FAQ after the result ("i
was a nursing aide but idk if i want to go back", a blind hand trial of stop 59) got the
canned "I don't diagnose" answer at 0.12."""


def picks_an_answer(message: dict[str, Any]) -> bool:
    """Whether the FAQ answer picked for the message is more than a guess."""
    return float(names.faq_pick(message).get("confidence") or 0.0) >= SURE_PICK


def answer_the_faq(dispatcher: CollectingDispatcher, message: dict[str, Any]) -> None:
    """Give the FAQ answer the NLU picked for the message, if it picked one."""
    picked = names.faq_pick(message)
    if picked.get("utter_action"):
        dispatcher.utter_message(response=picked["utter_action"])


def follow_with(dispatcher: CollectingDispatcher, action: str) -> list[EventType]:
    """Run `action` next, or give it here when no rule follows it (`SAID_BY_THE_ACTION`)."""
    if action in names.SAID_BY_THE_ACTION:
        dispatcher.utter_message(response=action)
        return []
    return [FollowupAction(action)]
