"""Rasa's response generator, answering in the conversation's language.

Rasa 3 can pick response variations by slot, but a second language that way would add a
condition to every variation of every response, and variations that already have
conditions (the triage's re-asked questions) would then tie with the language-only ones.
Instead the Spanish texts mirror the English responses in `locales/es.yml`, and this
generator picks the mirror by the conversation's language (that of the latest message
that told one); the rest is Rasa's own templating.
Configured as the `nlg` endpoint (`bot.runtime.rasa_files`).
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


class BilingualNLG(TemplatedNaturalLanguageGenerator):
    """Fills the response in the conversation's language (English when none is set)."""

    def __init__(self, endpoint_config: EndpointConfig | None = None,
                 domain: Domain | None = None) -> None:
        """Take English from the domain and every other language from `locales/`."""
        super().__init__((domain or Domain.empty()).responses)
        self.localised = {language: TemplatedNaturalLanguageGenerator(locale.responses(language))
                          for language in Language if language is not Language.EN}

    async def generate(self, utter_action: str, tracker: DialogueStateTracker,
                       output_channel: str, **kwargs: Any) -> dict[str, Any] | None:
        """The response `utter_action` in the conversation's language."""
        slots = tracker.current_slot_values()
        language = conversation_language(
            e.parse_data for e in reversed(tracker.events) if isinstance(e, UserUttered))
        other = self.localised.get(language)
        if other is not None and utter_action in other.responses:
            return other.generate_from_slots(
                utter_action, locale.localised_slots(slots, language), output_channel,
                **locale.localised_slots(kwargs, language))
        return self.generate_from_slots(utter_action, slots, output_channel, **kwargs)
