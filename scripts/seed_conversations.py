"""Fill a database with realistic conversations, written as Rasa's SQL tracker store writes them.

    python scripts/seed_conversations.py [--database-url URL] [-n 10000] [--seed 0]

The rows copy the shapes Rasa 3.6 stored for real conversations with this bot (user
events with parse_data, intent ranking and response selector; bot events with buttons;
action, slot, active_loop and session events). Patients' texts come from the training
data, the assistant's from the domain's responses, and triages follow `bot.core.triage`'s
rules, so outcomes are ones the bot can reach. Tests build their conversations with the
same `Conversation` builder: there is one source of event shapes.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
import uuid
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy.engine import Engine  # noqa: E402

from bot.core.clinic import load_clinic  # noqa: E402
from bot.core.triage import (  # noqa: E402
    SLOTS,
    Outcome,
    TriageRecord,
    decide,
    load_rules,
    next_question,
)
from bot.records.db import events, make_engine  # noqa: E402
from bot.settings import Settings  # noqa: E402

META = {"model_id": "63c71f2c9dd44cefa19d2ece0b3fd240", "assistant_id": "rehab-assistant"}
INTENTS = ("greet", "goodbye", "thank", "bot_challenge", "request_human", "ask_which_program",
           "out_of_scope", "faq", "emergency", "affirm", "deny", "stop_triage", "ask_why",
           "describe_situation")
CHANNELS = {"socketio": 55, "twilio": 14, "rest": 10, "telegram": 8, "facebook": 8, "slack": 5}
DAY = 86_400.0


class Conversation:
    """Events of one sender, in order, as rows of Rasa's `events` table."""

    def __init__(self, sender_id: str, start: float, channel: str = "rest") -> None:
        self.sender_id, self.clock, self.channel = sender_id, start, channel
        self.rows: list[dict[str, Any]] = []

    def _add(self, type_name: str, data: dict[str, Any], intent: str | None = None,
             action: str | None = None, meta: dict[str, str] | None = None) -> Conversation:
        self.clock += 0.002
        data = {"event": type_name, "timestamp": self.clock, "metadata": {**(meta or {}), **META},
                **data}
        self.rows.append({
            "sender_id": self.sender_id, "type_name": type_name, "timestamp": self.clock,
            "intent_name": intent, "action_name": action, "data": json.dumps(data),
        })
        return self

    def wait(self, seconds: float) -> Conversation:
        """Let time pass (the patient reads and types)."""
        self.clock += seconds
        return self

    def session(self, clinic: dict[str, str] | None = None) -> Conversation:
        """`action_session_start`: a new session with the clinic's details in slots."""
        self.action("action_session_start", policy=None)
        self._add("session_started", {})
        for name, value in (clinic or _clinic_slots()).items():
            self.slot(name, value)
        return self.action("action_listen", policy=None)

    def user(self, text: str | None, intent: str, confidence: float = 0.998,
             faq: str | None = None, entities: Sequence[dict[str, Any]] = (),
             typed: str | None = None, language: str | None = None) -> Conversation:
        """A patient's message as the NLU parsed it.

        `faq`: the FAQ key, e.g. "duration"; `typed`: the option as the patient saw or
        typed it when `text` is a button's payload; `language`: the one the message told.
        """
        others = [name for name in INTENTS if name != intent][:9]
        ranking = [{"name": intent, "confidence": confidence}, *(
            {"name": name, "confidence": round((1 - confidence) / 12, 9)} for name in others
        )]
        parse_data: dict[str, Any] = {
            "intent": {"name": intent, "confidence": confidence}, "entities": list(entities),
            "text": text, "metadata": {},
            "message_id": uuid.uuid5(uuid.NAMESPACE_URL, f"{self.sender_id}/{len(self.rows)}").hex,
            "intent_ranking": ranking, "response_selector": _response_selector(faq),
        }
        if faq:
            parse_data["intent"]["full_retrieval_intent_name"] = f"faq/{faq}"
        if language:
            parse_data["language"] = language
        self._add("user", {"text": text, "parse_data": parse_data,
                           "input_channel": self.channel,
                           "metadata": {"typed": typed} if typed else {},
                           "message_id": parse_data["message_id"]}, intent=intent)
        return self._add("user_featurization", {"use_text_for_featurization": False})

    def action(self, name: str, policy: str | None = "RulePolicy") -> Conversation:
        """An action the assistant ran."""
        return self._add("action", {
            "name": name, "policy": policy, "confidence": 1.0 if policy else None,
            "action_text": None, "hide_rule_turn": policy is not None,
        }, action=name)

    def bot(self, text: str, buttons: Sequence[dict[str, str]] = (),
            utter: str | None = None) -> Conversation:
        """A message from the assistant (`utter`: the domain response it came from)."""
        data = {"elements": None, "quick_replies": None, "buttons": list(buttons) or None,
                "attachment": None, "image": None, "custom": None}
        return self._add("bot", {"text": text, "data": data},
                         meta={"utter_action": utter} if utter else None)

    def utter(self, response: str) -> Conversation:
        """The domain response `response` (e.g. "utter_faq/duration"), as the bot sends it."""
        text, buttons = _responses()[response]
        return self.bot(text, buttons, utter=response)

    def say(self, response: str) -> Conversation:
        """The response action for `response` runs, utters it and listens."""
        return self.action(response.split("/")[0]).utter(response).listen()

    def slot(self, name: str, value: Any) -> Conversation:
        """A slot set."""
        return self._add("slot", {"name": name, "value": value}, action=name)

    def loop(self, name: str | None) -> Conversation:
        """A form activated (name) or deactivated (None)."""
        return self._add("active_loop", {"name": name}, action=name)

    def rejected(self, name: str) -> Conversation:
        """A form refused the message (another rule, e.g. an emergency, took over)."""
        return self._add("action_execution_rejected",
                         {"name": name, "policy": "RulePolicy", "confidence": 1.0}, action=name)

    def listen(self) -> Conversation:
        """The assistant waits for the next message."""
        return self.action("action_listen")


def insert(engine: Engine, rows: Iterable[dict[str, Any]]) -> None:
    """Append rows to `events`, creating the table first exactly as Rasa does."""
    from rasa.core.tracker_store import SQLTrackerStore

    SQLTrackerStore.SQLEvent.__table__.create(engine, checkfirst=True)
    batch: list[dict[str, Any]] = []
    with engine.begin() as connection:
        for row in rows:
            batch.append(row)
            if len(batch) == 5000:
                connection.execute(events.insert(), batch)
                batch = []
        if batch:
            connection.execute(events.insert(), batch)


def seed(engine: Engine, n: int = 10_000, seed: int = 0, now: float | None = None) -> int:
    """Write `n` conversations started over the 90 days before `now`; returns the event count."""
    rng = random.Random(seed)
    now = time.time() if now is None else now
    count = 0

    def rows() -> Iterable[dict[str, Any]]:
        nonlocal count
        for _ in range(n):
            conversation = random_conversation(rng, now - rng.uniform(600, 90 * DAY))
            count += len(conversation.rows)
            yield from conversation.rows

    insert(engine, rows())
    return count


def random_conversation(rng: random.Random, start: float) -> Conversation:
    """One patient's conversation: greeting, FAQs, maybe a triage, emergency or fallback."""
    channel = rng.choices(list(CHANNELS), weights=list(CHANNELS.values()))[0]
    talk = Conversation(_sender_id(rng, channel), start, channel).session()
    if rng.random() < 0.5:
        _ask(talk, rng, "greet").say("utter_greet")
    story = rng.choices(["faq", "triage", "abandoned", "emergency", "human", "fallback"],
                        weights=[40, 26, 8, 5, 9, 12])[0]
    for _ in range(rng.randint(1, 5) if story == "faq" else rng.choice([0, 0, 1, 2])):
        _faq(talk, rng)
    if story in ("triage", "abandoned", "emergency"):
        _triage(talk, rng, story)
    elif story == "human":
        _ask(talk, rng, "request_human").say("utter_request_human")
    elif story == "fallback":
        for _ in range(rng.randint(1, 3)):
            text = rng.choice(["asdkjh qwpoeiru", "😀🙏💪", "¿Cuánto cuesta?", "ok so um",
                               "can you book me a flight", "what about my knee thing"])
            talk.wait(rng.uniform(5, 60)).user(text, "nlu_fallback", confidence=1.0)
            talk.say("utter_default")
    if story != "abandoned" and rng.random() < 0.3:
        intent = rng.choice(["thank", "goodbye"])
        _ask(talk, rng, intent).say(f"utter_{intent}")
    if rng.random() < 0.05:
        _faq(talk.wait(rng.uniform(1, 20) * DAY).session(), rng)
    return talk


def _faq(talk: Conversation, rng: random.Random) -> None:
    key = rng.choice(_faq_keys())
    _ask(talk, rng, f"faq/{key}").action("utter_faq").utter(f"utter_faq/{key}").listen()


def _triage(talk: Conversation, rng: random.Random, story: str) -> None:
    """The triage form, asking what `decide` still needs, answered from a random patient."""
    truth = _random_patient(rng)
    known: dict[str, Any] = {}
    _ask(talk, rng, rng.choice(["ask_which_program", "describe_situation"]))
    talk.action("triage_form").loop("triage_form")
    stop_at = rng.randint(1, 3)
    for asked in range(1, len(SLOTS) + 1):
        slot = next_question(TriageRecord.from_slots(known), _rules())
        if slot is None:
            break
        talk.slot("requested_slot", slot).utter(f"utter_ask_{slot}").listen()
        if story != "triage" and asked == stop_at:
            if story == "emergency":
                emergency(talk.wait(rng.uniform(5, 60)), rng.choice(["medical", "self_harm"]))
            return
        known[slot] = truth[slot]
        intent = {True: "affirm", False: "deny"}.get(truth[slot], "describe_situation")
        talk.wait(rng.uniform(4, 45)).user(_answer(slot, truth[slot]), intent)
        talk.action("triage_form").slot(slot, truth[slot])
    decision = decide(TriageRecord.from_slots(known), _rules())
    talk.slot("requested_slot", None).loop(None).action("action_triage_result")
    if decision.outcome is Outcome.URGENT_CARE:
        talk.action("action_emergency").utter("utter_emergency")
        talk.slot("recommended_program", "urgent_care").slot("emergency_kind", "medical")
        talk.slot("emergency_check", True).listen()
        return
    talk.utter(f"utter_result_{decision.outcome.value}")
    talk.bot("Why I suggest this:" + "".join(f"\n• {reason}." for reason in decision.reasons))
    talk.slot("recommended_program", decision.outcome.value).listen()


EMERGENCIES = {
    "medical": ("I have chest pain and can't breathe", "utter_emergency"),
    "self_harm": ("everyone would be better off without me", "utter_emergency_self_harm"),
}


def emergency(talk: Conversation, kind: str = "medical") -> Conversation:
    """An emergency in the middle of the form, as Rasa stored it."""
    text, response = EMERGENCIES[kind]
    talk.user(text, "emergency", confidence=1.0)
    talk.rejected("triage_form").action("action_emergency").utter(response)
    talk.slot("red_flags", True).slot("recommended_program", "urgent_care")
    talk.slot("emergency_kind", kind).slot("emergency_check", True)
    return talk.loop(None).slot("requested_slot", None).listen()


def _random_patient(rng: random.Random) -> dict[str, Any]:
    return {
        "red_flags": rng.random() < 0.04, "medically_cleared": rng.random() < 0.85,
        "weeks_since_injury": float(rng.choice([2, 6, 9, 13, 26, 52, 120])),
        "has_job_goal": rng.random() < 0.9,
        "job_demand_level": rng.choice(["sedentary", "light", "medium", "heavy", "very_heavy"]),
        "meets_job_demands": rng.random() < 0.15, "psychosocial_barriers": rng.random() < 0.4,
        "vocational_barriers": rng.random() < 0.3, "tolerates_4_hours": rng.random() < 0.7,
    }


def _answer(slot: str, value: Any) -> str:
    if slot == "weeks_since_injury":
        return f"about {int(value)} weeks ago"
    if slot == "job_demand_level":
        return f"{value.replace('_', ' ')}, I lift stuff all day"
    if slot == "red_flags" and value is False:
        return "no, none of those"
    if slot == "tolerates_4_hours":
        return "about 5 hours" if value else "maybe 2 hours"
    return "yes" if value else "no"


def _ask(talk: Conversation, rng: random.Random, intent: str) -> Conversation:
    """A patient's message for `intent` (or "faq/<key>"), in words from the training data."""
    text = rng.choice(_examples()[intent])
    name, _, faq = intent.partition("/")
    confidence = rng.choice([0.999, 0.98, 0.93, 0.81, 0.62, 0.55])
    return talk.wait(rng.uniform(5, 90)).user(text, name, confidence, faq or None)


def _sender_id(rng: random.Random, channel: str) -> str:
    digits = "".join(rng.choice("0123456789") for _ in range(10))
    return {"twilio": f"whatsapp:+1{digits}", "telegram": digits[:9],
            "facebook": f"{digits}{digits[:6]}", "slack": f"U{digits[:8]}"}.get(
        channel, f"{rng.getrandbits(128):032x}")


def _response_selector(faq: str | None) -> dict[str, Any]:
    keys = _faq_keys()
    top = faq or keys[0]
    text = _responses()[f"utter_faq/{top}"][0]
    return {"all_retrieval_intents": ["faq"], "faq": {
        "response": {"responses": [{"text": text}], "confidence": 0.997 if faq else 0.12,
                     "intent_response_key": f"faq/{top}", "utter_action": f"utter_faq/{top}"},
        "ranking": [{"confidence": 0.997 if key == top else 0.0003,
                     "intent_response_key": f"faq/{key}"} for key in keys[:10]],
    }}


class _Fill(dict):
    """Fills `{clinic_phone}` and the like; unknown names stay as they are."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@cache
def _clinic_slots() -> dict[str, str]:
    return load_clinic(ROOT / "clinic.yml").as_slots()


@cache
def _rules() -> Any:
    return load_rules(ROOT / "triage_rules.yml")


@cache
def _responses() -> dict[str, tuple[str, list[dict[str, str]]]]:
    from rasa.shared.utils.io import read_yaml_file  # YAML 1.2, as Rasa reads it: Yes is text

    found = {}
    for path in (ROOT / "domain.yml", ROOT / "data" / "responses" / "faq.yml"):
        for name, variants in read_yaml_file(path)["responses"].items():
            plain = next((v for v in variants if not v.get("condition")), variants[0])
            text = plain.get("text", "").format_map(_Fill(_clinic_slots()))
            found[name] = (text, plain.get("buttons") or [])
    return found


@cache
def _examples() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")):
        for block in yaml.safe_load(path.read_text())["nlu"]:
            if "intent" in block:
                lines = block["examples"].splitlines()
                found[block["intent"]] = [
                    re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", line[2:]) for line in lines
                    if line.startswith("- ")
                ]
    return found


@cache
def _faq_keys() -> tuple[str, ...]:
    """The FAQ keys, sorted (asked for every generated FAQ message)."""
    return tuple(sorted({name.removeprefix("faq/") for name in _examples()
                         if name.startswith("faq/")}))


def main() -> None:
    """Seed the database named on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=Settings.from_env().database_url)
    parser.add_argument("-n", type=int, default=10_000, help="conversations to write")
    parser.add_argument("--seed", type=int, default=0, help="random seed (same seed, same data)")
    args = parser.parse_args()
    engine = make_engine(args.database_url)
    started = time.perf_counter()
    written = seed(engine, args.n, args.seed)
    print(f"{args.n} conversations, {written} events in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
