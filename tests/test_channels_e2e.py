"""End to end over the messaging channels: the real bot, every channel on at once.

The session's bot (`tests/conftest.py`) has Twilio (SMS and WhatsApp), Telegram, Slack,
Messenger and the callback channel all configured, their API addresses pointed at a
loopback stand-in (`channel_standin`). Each test posts a webhook in the platform's own
format, signed the platform's way, and reads what reached the stand-in and what was stored.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import json
import sqlite3
import threading
import time
import uuid
from urllib.parse import urlencode

import pytest
import requests
import socketio
import yaml
from channel_standin import (
    ACCOUNT_SID,
    CALLBACK_TOKEN,
    FB_PAGE,
    FB_SECRET,
    FB_TOKEN,
    FB_VERIFY,
    PUBLIC_URL,
    SECRETS,
    SLACK_SECRET,
    SLACK_TOKEN,
    SMS_NUMBER,
    TELEGRAM_HOOK,
    TELEGRAM_SECRET,
    TELEGRAM_TOKEN,
    TWILIO_TOKEN,
    WHATSAPP_NUMBER,
    PlatformStandIn,
    Received,
)
from running_bot import RunningBot
from twilio.request_validator import RequestValidator

from bot.adapters.channels.sms import MORE_PROMPT, sms_fits
from bot.adapters.channels.telegram import TelegramInput
from bot.core.clinic import load_clinic
from bot.core.inbound import conversation_id
from bot.settings import ROOT, Settings, TelegramChannel

pytestmark = pytest.mark.e2e  # real servers or processes (tests/conftest.py)

CLINIC = load_clinic(ROOT / "clinic.yml")


@pytest.fixture
def bot(running_bot: RunningBot) -> RunningBot:
    """The session's bot: every channel is on, pointed at the session's stand-in."""
    return running_bot


def stored(bot: RunningBot, channel: str, sender: str) -> list[tuple[str, dict]]:
    """(type_name, event) of every stored event of the conversation of `sender` on `channel`."""
    sender = conversation_id(channel, sender)
    with sqlite3.connect(bot.database_url.removeprefix("sqlite:///")) as db:
        rows = db.execute(
            "SELECT type_name, data FROM events WHERE sender_id = ? ORDER BY id", (sender,)
        ).fetchall()
    return [(kind, json.loads(data)) for kind, data in rows]


def stored_once_answered(bot: RunningBot, channel: str, sender: str,
                         timeout: float = 60) -> list[tuple[str, dict]]:
    """`stored`, once the turn is saved: Slack answers in the background, and the website's
    reply reaches the browser before Rasa saves the turn."""
    deadline = time.monotonic() + timeout
    while True:
        events = stored(bot, channel, sender)
        if any(kind == "bot" for kind, _ in events):
            return events
        assert time.monotonic() < deadline, f"{channel}: no answer stored"
        time.sleep(0.2)


def phone() -> str:
    return f"+1555{uuid.uuid4().int % 10**7:07d}"


# --- Twilio -----------------------------------------------------------------------------

def twilio_post(bot: RunningBot, fields: dict[str, str], signed_url: str | None = None,
                signature: str | None = None, **kwargs) -> requests.Response:
    """POST a webhook as Twilio does, signed over the public URL it would have called."""
    url = signed_url or f"{PUBLIC_URL}/webhooks/twilio/webhook"
    headers = {"X-Twilio-Signature": signature if signature is not None
               else RequestValidator(TWILIO_TOKEN).compute_signature(url, fields)}
    return requests.post(f"{bot.rasa_url}/webhooks/twilio/webhook", data=fields,
                         headers={k: v for k, v in headers.items() if v}, timeout=60, **kwargs)


def text_message(sender: str, body: str, to: str = SMS_NUMBER) -> dict[str, str]:
    return {"AccountSid": ACCOUNT_SID, "MessageSid": f"SM{uuid.uuid4().hex}",
            "From": sender, "To": to, "Body": body, "NumMedia": "0", "FromCity": "",
            "ToState": "", "SmsStatus": "received", "ApiVersion": "2010-04-01"}


def sms(bot: RunningBot, standin: PlatformStandIn, sender: str, body: str,
        to: str = SMS_NUMBER) -> list[str]:
    """Send one message; the bodies of what the bot answered (sent before the 200)."""
    before = len(standin.sent("/twilio", lambda r: r.fields.get("To") == sender))
    answer = twilio_post(bot, text_message(sender, body, to))
    assert answer.status_code == 200, answer.text
    assert answer.headers["Content-Type"].startswith("text/xml")
    sent = standin.sent("/twilio", lambda r: r.fields.get("To") == sender)[before:]
    assert all(r.fields["From"] == to for r in sent)
    assert all(r.headers["authorization"].startswith("Basic ") for r in sent)
    return [r.fields["Body"] for r in sent]


def whole_answer(bot: RunningBot, standin: PlatformStandIn, sender: str, body: str,
                 to: str = SMS_NUMBER) -> str:
    """One answer, read to the end: MORE is sent while the bot offers more."""
    parts = sms(bot, standin, sender, body, to)
    while parts[-1].endswith(MORE_PROMPT):
        parts[-1] = parts[-1].removesuffix(MORE_PROMPT).strip()
        parts += sms(bot, standin, sender, "MORE", to)
    assert to != SMS_NUMBER or all(sms_fits(part) for part in parts)
    return "\n".join(parts)


def test_an_sms_question_gets_the_faq_answer_as_gsm_text_with_numbered_options(bot, standin):
    patient = phone()
    answer = whole_answer(bot, standin, patient, "what is work hardening?")
    assert "A team works with you" in answer and "real work tasks" in answer
    assert "(6-8 hours)" in answer and "–" not in answer and "•" not in answer
    assert answer.endswith("\n1. Which one is for me?")
    first_question = sms(bot, standin, patient, " 1. ")
    assert "do you have any of these right now?" in "\n".join(first_question)
    users = [event for kind, event in stored(bot, "twilio", patient) if kind == "user"]
    assert users[-1]["text"] == "Which program is right for me?"
    assert users[-1]["metadata"]["typed"] == "1."


def test_a_long_sms_answer_is_cut_and_more_sends_the_rest_without_storing_more(bot, standin):
    patient = phone()
    [first] = sms(bot, standin, patient, "what's the difference between work hardening "
                                         "and work conditioning?")
    assert first.endswith(f"\n{MORE_PROMPT}") and sms_fits(first)
    assert first.startswith("Both programs help you get back to work after an injury.")
    rest = sms(bot, standin, patient, "  More ")
    assert rest and "Length: Both typically 4-8 weeks." in rest[-1]
    assert rest[-1].endswith("1. Which one is for me?")
    whole = first.removesuffix(MORE_PROMPT).strip() + " " + " ".join(rest)
    for fact in ("Here is how they compare:", "- Goal:", "Hours per day", "Days per week",
                 "- Best for:"):
        assert fact in whole
    events = stored(bot, "twilio", patient)
    assert [e["text"] for kind, e in events if kind == "user"] == [
        "what's the difference between work hardening and work conditioning?"]
    bot_texts = [e["text"] for kind, e in events if kind == "bot"]
    assert len(bot_texts) == 1 and "Here is how they compare:" in bot_texts[0]
    again = sms(bot, standin, patient, "MORE")
    assert again == rest


def test_the_call_back_offer_takes_a_number_or_the_option_typed_out(bot, standin):
    patient = phone()
    [offer] = sms(bot, standin, patient, "I'd like to talk to a real person")
    assert (CLINIC.phone in offer) is CLINIC.opening_hours.is_open(dt.datetime.now(dt.UTC))
    assert offer.endswith("back?\n1. Yes, please call me\n2. No, thanks")
    [declined] = sms(bot, standin, patient, "no, THANKS")
    assert "anything else" in declined
    other = phone()
    sms(bot, standin, other, "can I talk to someone")
    [asked] = sms(bot, standin, other, "1")
    assert "What phone number should the clinic call?" in asked
    [confirmed] = sms(bot, standin, other, "5552013344 after lunch")
    assert "(555) 201-3344" in confirmed and "after lunch" in confirmed


def test_an_emergency_in_the_middle_of_a_triage_gets_urgent_advice_at_once(bot, standin):
    patient = phone()
    safety = "\n".join(sms(bot, standin, patient, "Which program is right for me?"))
    assert safety.endswith("1. No, none of these\n2. Yes\n3. I'm not sure")
    cleared = "\n".join(sms(bot, standin, patient, "1"))
    assert cleared.endswith("1. Yes\n2. Not yet\n3. I'm not sure")
    urgent = sms(bot, standin, patient, "I suddenly have crushing chest pain and can't breathe")
    assert "911" in urgent[0] and "emergency" in urgent[0]
    assert not any(MORE_PROMPT in part for part in urgent)


def test_whatsapp_answers_come_from_the_whatsapp_number_and_keep_typography(bot, standin):
    patient = f"whatsapp:{phone()}"
    answer = whole_answer(bot, standin, patient, "what is work hardening?", to=WHATSAPP_NUMBER)
    assert "6–8 hours" in answer and answer.endswith("1. Which one is for me?")
    [first] = sms(bot, standin, patient, "difference between work hardening and "
                                         "work conditioning", to=WHATSAPP_NUMBER)
    assert first.endswith(MORE_PROMPT) and len(first) <= 612
    rest = sms(bot, standin, patient, "more", to=WHATSAPP_NUMBER)
    assert "• Length: Both typically 4–8 weeks." in rest[-1]


def test_more_and_numbers_are_read_from_the_stored_conversation_not_from_memory(bot, standin):
    """The answer is put into the stored conversation through the HTTP API, not sent."""
    patient = phone()
    sms(bot, standin, patient, "hi")
    [answer] = yaml.safe_load((ROOT / "data/responses/faq.yml").read_text())[
        "responses"]["utter_faq/difference"]
    requests.post(
        f"{bot.rasa_url}/conversations/twilio:{patient}/tracker/events",
        headers={"Authorization": f"Bearer {bot.token}"}, timeout=30,
        json=[{"event": "bot", "text": answer["text"], "data": {"buttons": answer["buttons"]}}],
    ).raise_for_status()
    rest = sms(bot, standin, patient, "MORE")
    assert rest and rest[-1].endswith("1. Which one is for me?")
    assert "- Best for:" in rest[-1]
    safety = sms(bot, standin, patient, "1")
    assert "do you have any of these right now?" in "\n".join(safety)


def test_an_option_number_after_the_session_ended_is_not_read_as_that_option(bot, standin):
    """Options offered two hours ago (sessions end after 60 minutes): "1" is just text."""
    patient = phone()
    sms(bot, standin, patient,
        "what is the difference between work hardening and work conditioning?")
    assert sms(bot, standin, patient, "MORE")[-1].endswith("1. Which one is for me?")
    conversation = conversation_id("twilio", patient)
    with sqlite3.connect(bot.database_url.removeprefix("sqlite:///")) as db:
        # Two hours earlier, written as new rows: the store's rows are only ever added or
        # deleted, and the Rasa server's cache relies on that (bot/adapters/tracker_store.py).
        [(last,)] = db.execute("SELECT max(id) FROM events WHERE sender_id = ?", (conversation,))
        db.execute(
            "INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data)"
            " SELECT sender_id, type_name, timestamp - 7200, intent_name, action_name,"
            " json_set(data, '$.timestamp', json_extract(data, '$.timestamp') - 7200)"
            " FROM events WHERE sender_id = ? ORDER BY id", (conversation,))
        db.execute("DELETE FROM events WHERE sender_id = ? AND id <= ?", (conversation, last))
    sms(bot, standin, patient, "1")
    said = [event["text"] for kind, event in stored(bot, "twilio", patient) if kind == "user"]
    assert said[-1] == "1"


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"signature": ""}, 401),
        ({"signature": "c2lnbmVkIGJ5IHNvbWVvbmUgZWxzZQ=="}, 403),
        ({"signed_url": "http://127.0.0.1/webhooks/twilio/webhook"}, 403),
        ({"fields": {"AccountSid": "AC" + "9" * 32}}, 403),
        ({"fields": {"To": "+15550199999"}}, 403),
        ({"fields": {"From": ""}}, 400),
        ({"drop": "Body"}, 400),
    ],
    ids=["unsigned", "bad-signature", "signed-for-another-url", "another-account",
         "another-number", "no-sender", "no-body"],
)
def test_twilio_refuses_what_it_cannot_trust_and_stores_nothing(bot, standin, change, status):
    patient = phone()
    fields = {**text_message(patient, "what is work hardening?"), **change.get("fields", {})}
    fields.pop(change.get("drop", ""), None)
    answer = twilio_post(bot, fields, change.get("signed_url"), change.get("signature"))
    assert answer.status_code == status, answer.text
    assert stored(bot, "twilio", patient) == [] and stored(bot, "twilio", "") == []
    assert standin.sent("/twilio", lambda r: r.fields.get("To") == patient) == []


def test_twilio_refuses_a_json_body_with_400(bot):
    url = f"{PUBLIC_URL}/webhooks/twilio/webhook"
    answer = requests.post(
        f"{bot.rasa_url}/webhooks/twilio/webhook", data=b'{"From": "+15550100777"}',
        headers={"Content-Type": "application/json",
                 "X-Twilio-Signature": RequestValidator(TWILIO_TOKEN).compute_signature(url, {})},
        timeout=30,
    )
    assert answer.status_code == 400
    assert stored(bot, "twilio", "+15550100777") == []


# --- Telegram ---------------------------------------------------------------------------

def telegram_post(bot: RunningBot, update: dict | bytes, secret: str | None = TELEGRAM_SECRET
                  ) -> requests.Response:
    body = update if isinstance(update, bytes) else json.dumps(update).encode()
    headers = {"Content-Type": "application/json"}
    if secret:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    return requests.post(f"{bot.rasa_url}/webhooks/telegram/webhook", data=body,
                         headers=headers, timeout=60)


def telegram_update(chat_id: int, text: str) -> dict:
    return {"update_id": chat_id % 10**6, "message": {
        "message_id": 1, "date": int(time.time()), "text": text,
        "chat": {"id": chat_id, "type": "private", "first_name": "Pat"},
        "from": {"id": chat_id, "is_bot": False, "first_name": "Pat"}}}


def telegram_sent(standin: PlatformStandIn, chat_id: int) -> list[str]:
    return [r.fields["text"] for r in standin.sent(
        f"/telegram/bot{TELEGRAM_TOKEN}/sendMessage",
        lambda r: r.fields.get("chat_id") == str(chat_id))]


def test_telegram_webhook_is_registered_with_its_secret_at_start_up(bot, standin):
    [registered] = standin.sent(f"/telegram/bot{TELEGRAM_TOKEN}/setWebhook")
    assert registered.fields["url"] == TELEGRAM_HOOK
    assert registered.fields["secret_token"] == TELEGRAM_SECRET
    assert standin.sent(f"/telegram/bot{TELEGRAM_TOKEN}/getMe")


def test_telegram_webhook_is_not_registered_with_a_token_of_another_bot(standin, caplog):
    telegram = TelegramInput(TelegramChannel(
        TELEGRAM_TOKEN, "SomeoneElsesBot", TELEGRAM_HOOK, TELEGRAM_SECRET,
        f"{standin.url}/telegram"))
    registered = len(standin.sent(f"/telegram/bot{TELEGRAM_TOKEN}/setWebhook"))

    async def register() -> None:
        try:
            await telegram.register_webhook()
        finally:
            await telegram.bot.session.close()

    asyncio.run(register())
    assert len(standin.sent(f"/telegram/bot{TELEGRAM_TOKEN}/setWebhook")) == registered
    assert ("TELEGRAM_TOKEN belongs to @ClinicRehabBot, not to TELEGRAM_BOT_NAME "
            "@SomeoneElsesBot: webhook not registered") in caplog.text


def test_telegram_answers_in_plain_text_with_numbered_options(bot, standin):
    chat = uuid.uuid4().int % 10**9
    assert telegram_post(bot, telegram_update(chat, "/start")).status_code == 200
    [greeting] = telegram_sent(standin, chat)
    assert CLINIC.name in greeting and "911" in greeting
    assert greeting.endswith("1. What's the difference?\n2. Which one is for me?\n"
                             "3. How long does it take?")
    assert telegram_post(bot, telegram_update(chat, "3")).status_code == 200
    assert "4–8 weeks" in telegram_sent(standin, chat)[-1]
    users = [e for kind, e in stored(bot, "telegram", str(chat)) if kind == "user"]
    assert users[-1]["text"] == "How long does the program last?"


@pytest.mark.parametrize(
    ("update", "secret", "status"),
    [
        (None, None, 401),
        (None, "not-the-secret-token", 403),
        (b"{not json", TELEGRAM_SECRET, 400),
        ({"update_id": 5, "message": {"text": "hi"}}, TELEGRAM_SECRET, 400),
    ],
    ids=["no-secret", "wrong-secret", "not-json", "no-chat"],
)
def test_telegram_refuses_updates_without_its_secret_or_shape(bot, standin, update, secret,
                                                              status):
    chat = uuid.uuid4().int % 10**9
    answer = telegram_post(bot, update or telegram_update(chat, "what is work hardening?"),
                           secret)
    assert answer.status_code == status
    assert stored(bot, "telegram", str(chat)) == [] and telegram_sent(standin, chat) == []


# --- Slack ------------------------------------------------------------------------------

def slack_post(bot: RunningBot, payload: dict | bytes, secret: str = SLACK_SECRET,
               age: float = 0, signed: bool = True) -> requests.Response:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    timestamp = str(int(time.time() - age))
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:".encode() + body, hashlib.sha256)
    headers = {"Content-Type": "application/json"}
    if signed:
        headers |= {"X-Slack-Request-Timestamp": timestamp,
                    "X-Slack-Signature": f"v0={digest.hexdigest()}"}
    return requests.post(f"{bot.rasa_url}/webhooks/slack/webhook", data=body,
                         headers=headers, timeout=30)


def slack_event(user: str, text: str) -> dict:
    return {"type": "event_callback", "team_id": "T1", "api_app_id": "A1",
            "authorizations": [{"user_id": "UBOT"}],
            "event": {"type": "message", "channel_type": "im", "channel": f"D{user}",
                      "user": user, "text": text, "ts": f"{time.time():.6f}"}}


def test_slack_answers_the_direct_message_in_its_conversation(bot, standin):
    user = f"U{uuid.uuid4().hex[:10].upper()}"
    assert slack_post(bot, slack_event(user, "what is work conditioning?")).status_code == 200
    [posted] = standin.sent("/slack/api/chat.postMessage",
                            lambda r: r.fields.get("channel") == f"D{user}", timeout=30)
    assert "One kind of therapist usually runs it" in posted.fields["text"]
    assert posted.fields["text"].endswith("1. Which one is for me?")
    assert posted.headers["authorization"] == f"Bearer {SLACK_TOKEN}"


def test_slack_url_verification_is_answered(bot):
    answer = slack_post(bot, {"type": "url_verification", "challenge": "3eZbrw1aBm2rZgRNFdxV"})
    assert answer.status_code == 200 and answer.json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV"}


@pytest.mark.parametrize(
    ("options", "payload", "status"),
    [
        ({"signed": False}, None, 401),
        ({"secret": "someone-elses-secret"}, None, 403),
        ({"age": 10 * 60}, None, 403),
        ({}, b"[not, json", 400),
        ({}, {"type": "event_callback", "event": "message"}, 400),
    ],
    ids=["unsigned", "bad-signature", "replayed-after-10-minutes", "not-json", "no-event"],
)
def test_slack_refuses_unsigned_stale_or_malformed_requests(bot, standin, options, payload,
                                                            status):
    user = f"U{uuid.uuid4().hex[:10].upper()}"
    answer = slack_post(bot, payload or slack_event(user, "what is work hardening?"), **options)
    assert answer.status_code == status
    time.sleep(1)
    assert stored(bot, "slack", user) == []
    assert standin.sent("/slack", lambda r: r.fields.get("channel") == f"D{user}") == []


# --- Messenger --------------------------------------------------------------------------

def messenger_post(bot: RunningBot, payload: dict | bytes, headers: dict | None = None,
                   secret: str = FB_SECRET) -> requests.Response:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    signed = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return requests.post(
        f"{bot.rasa_url}/webhooks/facebook/webhook", data=body, timeout=60,
        headers={"Content-Type": "application/json",
                 **({"X-Hub-Signature-256": f"sha256={signed}"} if headers is None else headers)},
    )


def messenger_event(psid: str, text: str, page: str = FB_PAGE) -> dict:
    return {"object": "page", "entry": [{"id": page, "time": 1, "messaging": [
        {"sender": {"id": psid}, "recipient": {"id": page}, "timestamp": 1,
         "message": {"mid": f"m_{psid}", "text": text}}]}]}


def messenger_sent(standin: PlatformStandIn, psid: str) -> list[Received]:
    return standin.sent("/facebook/v2.12/me/messages",
                        lambda r: r.fields["recipient"]["id"] == psid)


def test_messenger_subscription_check_needs_the_verify_token(bot):
    url = f"{bot.rasa_url}/webhooks/facebook/webhook"
    ok = requests.get(url, params={"hub.mode": "subscribe", "hub.verify_token": FB_VERIFY,
                                   "hub.challenge": "1158201444"}, timeout=30)
    assert ok.status_code == 200 and ok.text == "1158201444"
    wrong = requests.get(url, params={"hub.mode": "subscribe", "hub.verify_token": "guess",
                                      "hub.challenge": "1158201444"}, timeout=30)
    assert wrong.status_code == 403 and "1158201444" not in wrong.text


def test_messenger_answers_a_signed_message_from_the_page(bot, standin):
    psid = str(uuid.uuid4().int % 10**15)
    assert messenger_post(bot, messenger_event(psid, "how long does it take?")).status_code == 200
    [sent] = messenger_sent(standin, psid)
    assert "4–8 weeks" in sent.fields["message"]["text"]
    assert sent.fields["messaging_type"] == "RESPONSE"
    assert sent.query["access_token"] == FB_TOKEN
    proof = hmac.new(FB_SECRET.encode(), FB_TOKEN.encode(), hashlib.sha256).hexdigest()
    assert sent.query["appsecret_proof"] == proof


def test_messenger_accepts_the_older_sha1_signature(bot, standin):
    psid = str(uuid.uuid4().int % 10**15)
    body = json.dumps(messenger_event(psid, "hello")).encode()
    sha1 = hmac.new(FB_SECRET.encode(), body, hashlib.sha1).hexdigest()
    assert messenger_post(bot, body, {"X-Hub-Signature": f"sha1={sha1}"}).status_code == 200
    assert CLINIC.name in messenger_sent(standin, psid)[0].fields["message"]["text"]


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"headers": {}}, 401),
        ({"secret": "not-the-app-secret"}, 403),
        ({"page": "999"}, 403),
        ({"payload": b"not json"}, 400),
        ({"payload": {"object": "page", "entry": [{"id": FB_PAGE}]}}, 400),
    ],
    ids=["unsigned", "bad-signature", "another-page", "not-json", "no-messaging"],
)
def test_messenger_refuses_unsigned_foreign_or_malformed_events(bot, standin, change, status):
    psid = str(uuid.uuid4().int % 10**15)
    payload = change.get("payload") or messenger_event(psid, "hello", change.get("page", FB_PAGE))
    answer = messenger_post(bot, payload, change.get("headers"), change.get("secret", FB_SECRET))
    assert answer.status_code == status
    assert stored(bot, "facebook", psid) == [] and messenger_sent(standin, psid) == []


# --- Callback ---------------------------------------------------------------------------

def callback_post(bot: RunningBot, payload: dict | bytes, token: str | None = CALLBACK_TOKEN
                  ) -> requests.Response:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return requests.post(f"{bot.rasa_url}/webhooks/callback/webhook", data=body,
                         headers=headers, timeout=60)


def test_the_callback_gateway_gets_plain_answers_with_its_token(bot, standin):
    sender = f"kiosk-{uuid.uuid4().hex}"
    answer = callback_post(bot, {"sender": sender, "message": "can I talk to a person"})
    assert answer.status_code == 200
    [sent] = standin.sent("/callback", lambda r: r.fields.get("recipient_id") == sender)
    assert sent.headers["authorization"] == f"Bearer {CALLBACK_TOKEN}"
    assert sent.fields["text"].endswith("1. Yes, please call me\n2. No, thanks")
    assert set(sent.fields) == {"recipient_id", "text"}


@pytest.mark.parametrize(
    ("payload", "token", "status"),
    [
        (None, None, 401),
        (None, "not-the-token", 403),
        (b"[1, 2]", CALLBACK_TOKEN, 400),
        ({"message": "hello"}, CALLBACK_TOKEN, 400),
    ],
    ids=["no-token", "wrong-token", "not-an-object", "no-sender"],
)
def test_the_callback_refuses_requests_without_the_token_or_shape(bot, standin, payload, token,
                                                                  status):
    sender = f"kiosk-{uuid.uuid4().hex}"
    answer = callback_post(bot, payload or {"sender": sender, "message": "hello"}, token)
    assert answer.status_code == status
    assert stored(bot, "callback", sender) == []
    assert standin.sent("/callback", lambda r: r.fields.get("recipient_id") == sender) == []


# --- Start-up -----------------------------------------------------------------------------

def test_the_start_up_log_names_every_channel_and_no_secret(bot):
    log = bot.log.read_text()
    for line in (f"Twilio channel:    POST {PUBLIC_URL}/webhooks/twilio/webhook "
                 f"(for {SMS_NUMBER}, {WHATSAPP_NUMBER})",
                 f"Telegram channel:  POST {TELEGRAM_HOOK}",
                 f"Slack channel:     POST {PUBLIC_URL}/webhooks/slack/webhook",
                 f"Messenger channel: GET+POST {PUBLIC_URL}/webhooks/facebook/webhook",
                 f"Callback channel:  POST {PUBLIC_URL}/webhooks/callback/webhook"):
        assert line in log
    for secret in SECRETS:
        assert secret not in log
    assert urlencode({"t": TELEGRAM_TOKEN})[2:] not in log


# --- what every channel lets in ---------------------------------------------------------

def through_every_channel(bot: RunningBot, text: str) -> dict[str, str]:
    """Send `text` as a new person on each channel; the conversation id it was stored under."""
    person = uuid.uuid4().int % 10**9
    twilio_post(bot, text_message(f"+1555{person:09d}", text)).raise_for_status()
    telegram_post(bot, telegram_update(person, text)).raise_for_status()
    slack_post(bot, slack_event(f"U{person}", text)).raise_for_status()
    messenger_post(bot, messenger_event(f"p{person}", text)).raise_for_status()
    callback_post(bot, {"sender": f"k{person}", "message": text}).raise_for_status()
    bot.say(text, f"r{person}")
    session = website_says(bot, text)
    return {"twilio": f"+1555{person:09d}", "telegram": str(person), "slack": f"U{person}",
            "facebook": f"p{person}", "callback": f"k{person}", "rest": f"r{person}",
            "socketio": session}


def website_says(bot: RunningBot, text: str) -> str:
    """Send `text` as the website's widget does; its session id once the bot answered."""
    session, joined, answered = uuid.uuid4().hex, threading.Event(), threading.Event()
    client = socketio.Client()
    client.on("session_confirm", lambda _: joined.set())
    client.on("bot_uttered", lambda _: answered.set())
    client.connect(bot.rasa_url, transports=["polling"])
    try:
        client.emit("session_request", {"session_id": session})
        assert joined.wait(30)
        client.emit("user_uttered", {"message": text, "session_id": session})
        assert answered.wait(60)
    finally:
        client.eio.disconnect(abort=True)  # no wait for the pending long-poll
    return session


def test_a_stated_intent_that_was_not_offered_is_read_as_text_on_every_channel(bot):
    for channel, person in through_every_channel(bot, "/emergency").items():
        [user] = [event for kind, event in stored_once_answered(bot, channel, person)
                  if kind == "user"]
        assert user["text"] == "emergency", channel
        assert len(user["parse_data"]["intent_ranking"]) > 1, channel  # the NLU read it


def test_an_over_long_message_gets_a_kind_reply_and_is_not_stored_on_any_channel(
        bot, standin):
    people = through_every_channel(bot, "my shoulder " * 200)
    for channel, person in people.items():
        assert stored(bot, channel, person) == [], channel
    assert "too long" in sms_bodies(standin, people["twilio"])[-1]
    assert "too long" in telegram_sent(standin, int(people["telegram"]))[-1]
    assert "too long" in bot.say("x" * 2001, people["rest"])[0]["text"]


def test_over_long_messages_count_towards_the_rate_limit(bot):
    flooder = f"kiosk-{uuid.uuid4().hex}"
    limit = Settings.from_env().rate_limits.per_conversation
    statuses = [callback_post(bot, {"sender": flooder, "message": "x" * 2001}).status_code
                for _ in range(limit)]
    assert statuses == [200] * limit
    assert callback_post(bot, {"sender": flooder, "message": "hello"}).status_code == 429


def test_a_flooding_sender_in_a_messenger_batch_costs_the_others_nothing(bot, standin):
    flooder, other = f"{uuid.uuid4().int % 10**15}", f"{uuid.uuid4().int % 10**15}"
    limit = Settings.from_env().rate_limits.per_conversation
    batch = messenger_event(flooder, "hello")
    events = batch["entry"][0]["messaging"]
    events[:] = [{**events[0], "message": {"mid": f"m_{n}", "text": f"hi {n}"}}
                 for n in range(limit + 2)]
    events.append({**events[0], "sender": {"id": other}, "message": {"mid": "m_o", "text": "hi"}})
    answer = messenger_post(bot, batch)
    assert answer.status_code == 200 and answer.text == "EVENT_RECEIVED"
    assert len([e for kind, e in stored(bot, "facebook", flooder) if kind == "user"]) == limit
    assert [e["text"] for kind, e in stored(bot, "facebook", other) if kind == "user"] == ["hi"]
    assert messenger_sent(standin, other)


def test_a_slack_message_over_the_rate_limit_is_skipped_without_an_error(bot, standin):
    user = f"U{uuid.uuid4().hex[:10].upper()}"
    limit = Settings.from_env().rate_limits.per_conversation
    for n in range(limit + 1):
        assert slack_post(bot, slack_event(user, f"hello {n}")).status_code == 200
    deadline = time.monotonic() + 60
    while (len([kind for kind, _ in stored(bot, "slack", user) if kind == "user"]) < limit
           or "slack: a message over the rate limit" not in bot.log.read_text()):
        assert time.monotonic() < deadline, "not all answered, or the refusal not logged"
        time.sleep(0.2)
    assert "Slack message could not be answered" not in bot.log.read_text()
    time.sleep(1)
    assert len([kind for kind, _ in stored(bot, "slack", user) if kind == "user"]) == limit


def sms_bodies(standin: PlatformStandIn, number: str) -> list[str]:
    return [r.fields["Body"] for r in standin.sent("/twilio", lambda r: r.fields["To"] == number)]


def test_no_patient_text_reaches_the_log_from_any_channel(bot):
    marker = f"zq{uuid.uuid4().hex[:10]}"
    for text in (f"my back hurts {marker}", f"/{marker}", f"/{marker}{{\"a\": 1}}",
                 f"{marker} " * 300, f"/emergency {marker}"):
        through_every_channel(bot, text)
    assert marker not in bot.log.read_text()


def test_a_flood_from_one_conversation_is_answered_429_and_others_go_on(bot, standin):
    flooder, other = f"kiosk-{uuid.uuid4().hex}", f"kiosk-{uuid.uuid4().hex}"
    limit = Settings.from_env().rate_limits.per_conversation
    statuses = [callback_post(bot, {"sender": flooder, "message": f"hi {n}"}).status_code
                for n in range(limit + 1)]
    assert statuses == [200] * limit + [429]
    refused = callback_post(bot, {"sender": flooder, "message": "once more"})
    assert refused.status_code == 429 and 0 < int(refused.headers["Retry-After"]) <= 60
    assert callback_post(bot, {"sender": other, "message": "hello"}).status_code == 200
    users = [e for kind, e in stored(bot, "callback", flooder) if kind == "user"]
    assert len(users) == limit
