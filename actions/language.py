"""The conversation's language as the action server sees it (Rasa's event dicts)."""

from __future__ import annotations

from rasa_sdk import Tracker

from bot.core.language import Language, conversation_language


def tracker_language(tracker: Tracker) -> Language:
    """The language of the latest user message that told one."""
    return conversation_language(
        event.get("parse_data") or {} for event in reversed(tracker.events)
        if event.get("event") == "user")
