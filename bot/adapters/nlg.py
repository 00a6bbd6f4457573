"""Rasa's response generator, answering in the conversation's language.

Rasa 3 can pick response variations by slot, but a second language that way would add a
condition to every variation of every response, and variations that already have
conditions (the triage's re-asked questions) would then tie with the language-only ones.
Instead the Spanish texts mirror the English responses in `locales/es.yml`, and this
generator picks the mirror by the conversation's language (that of the latest message
that told one); the rest is Rasa's own templating.
Configured as the `nlg` endpoint (`bot.runtime.rasa_files`).

It also says sorry first when the patient's message tells of someone's death
(`bot.core.losses`), once, before the turn's first reply: every reply of the assistant is a
response generated here, whichever action sends it. Not when the first reply is one of
an alarm's (its advice, or the words that clear it): 911 or 988 comes first, alone.
"""

from __future__ import annotations

from typing import Any

from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.core import locale
from bot.core.language import Language, conversation_language
from bot.core.losses import tells_a_loss

SORRY_FOR_LOSS = "utter_sorry_for_loss"
EMERGENCY_REPLIES = "utter_emergency"
REMEMBERED = 4096
"""Messages remembered as answered: far more than the turns one process handles at once."""


class BilingualNLG(TemplatedNaturalLanguageGenerator):
    """Fills the response in the conversation's language (English when none is set)."""

    def __init__(self, endpoint_config: EndpointConfig | None = None,
                 domain: Domain | None = None) -> None:
        """Take English from the domain and every other language from `locales/`."""
        super().__init__((domain or Domain.empty()).responses)
        self.localised = {language: TemplatedNaturalLanguageGenerator(locale.responses(language))
                          for language in Language if language is not Language.EN}
        self.answered: dict[tuple[str, float], None] = {}

    async def generate(self, utter_action: str, tracker: DialogueStateTracker,
                       output_channel: str, **kwargs: Any) -> dict[str, Any] | None:
        """The response `utter_action` in the conversation's language, after a sorry if due."""
        spoken = self._in_language(utter_action, tracker, output_channel, **kwargs)
        if spoken is None or not self._first_after_a_loss(tracker, utter_action):
            return spoken
        sorry = self._in_language(SORRY_FOR_LOSS, tracker, output_channel) or {}
        return {**spoken, "text": f"{sorry.get('text', '')} {spoken.get('text') or ''}".strip()}

    def _first_after_a_loss(self, tracker: DialogueStateTracker, utter_action: str) -> bool:
        """Whether this is the first reply to a message that tells of a death.

        The replies of a turn are generated one by one from the same tracker, so the
        message answered is remembered (by conversation and time), a few thousand at most.
        """
        said = next((e for e in reversed(tracker.events) if isinstance(e, UserUttered)), None)
        if said is None:
            return False
        key = (tracker.sender_id, said.timestamp)
        if key in self.answered:
            return False
        self.answered[key] = None
        while len(self.answered) > REMEMBERED:
            self.answered.pop(next(iter(self.answered)))
        return not utter_action.startswith(EMERGENCY_REPLIES) and tells_a_loss(said.text or "")

    def _in_language(self, utter_action: str, tracker: DialogueStateTracker,
                     output_channel: str, **kwargs: Any) -> dict[str, Any] | None:
        slots = tracker.current_slot_values()
        language = conversation_language(
            e.parse_data for e in reversed(tracker.events) if isinstance(e, UserUttered))
        other = self.localised.get(language)
        if other is not None and utter_action in other.responses:
            return other.generate_from_slots(
                utter_action, locale.localised_slots(slots, language), output_channel,
                **locale.localised_slots(kwargs, language))
        return self.generate_from_slots(utter_action, slots, output_channel, **kwargs)
