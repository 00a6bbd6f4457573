"""Webhook signature checks, against the platforms' own published examples where they exist."""

from __future__ import annotations

import hashlib
import hmac
import time
from types import SimpleNamespace

import pytest

from bot.adapters.channels.signatures import (
    bearer_token,
    hub_ok,
    public_url,
    same_secret,
    twilio_ok,
)
from bot.adapters.channels.slack import SlackInput
from bot.settings import SlackChannel

# Twilio's documented example (twilio.com/docs/usage/security).
TWILIO_URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
TWILIO_PARAMS = {"CallSid": "CA1234567890ABCDE", "Caller": "+14158675309", "Digits": "1234",
                 "From": "+14158675309", "To": "+18005551212"}
TWILIO_SIGNATURE = "RSOYDt4T1cUTdK1PDd93/VVr8B8="

# Slack's documented example (api.slack.com/authentication/verifying-requests-from-slack).
SLACK_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
SLACK_TIMESTAMP = "1531420618"
SLACK_BODY = (
    b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id="
    b"G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook"
    b"-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F3977"
    b"00885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10"
    b"d2c447fce8b6703c"
)
SLACK_SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"


@pytest.mark.parametrize(
    ("url", "params", "signature", "ok"),
    [
        (TWILIO_URL, TWILIO_PARAMS, TWILIO_SIGNATURE, True),
        ("https://mycompany.com:443/myapp.php?foo=1&bar=2", TWILIO_PARAMS, TWILIO_SIGNATURE, True),
        ("http://mycompany.com/myapp.php?foo=1&bar=2", TWILIO_PARAMS, TWILIO_SIGNATURE, False),
        (TWILIO_URL, {**TWILIO_PARAMS, "Digits": "9999"}, TWILIO_SIGNATURE, False),
        (TWILIO_URL, {**TWILIO_PARAMS, "Extra": ""}, TWILIO_SIGNATURE, False),
        (TWILIO_URL, TWILIO_PARAMS, "", False),
    ],
    ids=["docs-example", "explicit-port", "other-scheme", "changed-param", "added-blank-param",
         "empty"],
)
def test_twilio_signature(url, params, signature, ok):
    assert twilio_ok("12345", url, params, signature) is ok


@pytest.mark.parametrize(
    ("base", "request_url", "path", "query", "expected"),
    [
        ("", "http://10.0.0.5:5005/webhooks/twilio/webhook", "/webhooks/twilio/webhook", "",
         "http://10.0.0.5:5005/webhooks/twilio/webhook"),
        ("https://chat.clinic.example", "http://127.0.0.1:5005/webhooks/twilio/webhook",
         "/webhooks/twilio/webhook", "", "https://chat.clinic.example/webhooks/twilio/webhook"),
        ("https://clinic.example/bot/", "http://127.0.0.1:5005/webhooks/twilio/webhook?x=1",
         "/webhooks/twilio/webhook", "x=1", "https://clinic.example/bot/webhooks/twilio/webhook?x=1"),
    ],
    ids=["direct", "behind-a-proxy", "proxy-with-a-path-and-query"],
)
def test_the_signed_url_is_the_public_one_behind_a_proxy(base, request_url, path, query, expected):
    assert public_url(base, request_url, path, query) == expected


def _slack_signature(secret: str, timestamp: str, body: bytes) -> str:
    signed = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def test_the_slack_signing_recipe_gives_slacks_documented_signature():
    assert _slack_signature(SLACK_SECRET, SLACK_TIMESTAMP, SLACK_BODY) == SLACK_SIGNATURE


def _slack_request(timestamp: str, body: bytes, signature: str) -> SimpleNamespace:
    headers = {"X-Slack-Signature": signature, "X-Slack-Request-Timestamp": timestamp}
    return SimpleNamespace(headers=headers, body=body)


@pytest.mark.parametrize(
    ("age", "secret", "timestamp", "body", "signature", "ok"),
    [
        (0, SLACK_SECRET, None, SLACK_BODY, None, True),
        (290, SLACK_SECRET, None, SLACK_BODY, None, True),
        (310, SLACK_SECRET, None, SLACK_BODY, None, False),
        (-3600, SLACK_SECRET, None, SLACK_BODY, None, False),
        (0, "another-secret", None, SLACK_BODY, None, False),
        (0, SLACK_SECRET, None, SLACK_BODY + b"&x=1", None, False),
        (0, SLACK_SECRET, "yesterday", SLACK_BODY, None, False),
        (0, SLACK_SECRET, None, SLACK_BODY, "v0=\u00e9", False),
    ],
    ids=["fresh", "almost-5-minutes-old", "older", "from-the-future", "other-secret",
         "changed-body", "not-a-timestamp", "non-ascii-signature"],
)
def test_slack_signature_and_replay_window(age, secret, timestamp, body, signature, ok):
    """The check `SlackInput` inherits from Rasa, on requests signed now, `age` seconds ago."""
    channel = SlackInput(SlackChannel(token="xoxb-test", signing_secret=SLACK_SECRET, api_url=""))
    timestamp = timestamp or str(int(time.time()) - age)
    signed_at = timestamp if timestamp.isdigit() else str(int(time.time()))
    signature = signature or _slack_signature(secret, signed_at, SLACK_BODY)
    assert channel.is_request_from_slack_authentic(
        _slack_request(timestamp, body, signature)) is ok


def _hub(algorithm: str, secret: str, body: bytes) -> str:
    return f"{algorithm}=" + hmac.new(secret.encode(), body, algorithm).hexdigest()


BODY = b'{"object":"page","entry":[]}'


@pytest.mark.parametrize(
    ("sha256", "sha1", "ok"),
    [
        (_hub("sha256", "app-secret", BODY), None, True),
        (None, _hub("sha1", "app-secret", BODY), True),
        (_hub("sha256", "app-secret", BODY), "sha1=forged", True),
        ("sha256=forged", _hub("sha1", "app-secret", BODY), False),
        (_hub("sha256", "other-secret", BODY), None, False),
        (_hub("sha1", "app-secret", BODY), None, False),
        (_hub("md5", "app-secret", BODY), None, False),
        (None, None, False),
    ],
    ids=["sha256", "sha1-only", "sha256-wins", "bad-sha256-is-not-rescued-by-sha1",
         "other-secret", "sha1-in-the-sha256-header", "md5", "none"],
)
def test_messenger_hub_signature(sha256, sha1, ok):
    assert hub_ok("app-secret", BODY, sha256, sha1) is ok


@pytest.mark.parametrize(
    ("header", "token"),
    [("Bearer abc", "abc"), ("bearer  abc ", "abc"), ("Basic abc", None), ("Bearer", None),
     ("Bearer ", None), ("", None), (None, None)],
)
def test_bearer_token(header, token):
    assert bearer_token(header) == token


def test_shared_secrets_compare_exactly():
    assert same_secret("s3cret-token", "s3cret-token")
    assert not same_secret("s3cret-token", "s3cret-tokeN")
    assert not same_secret("s3cret-token", "s3cret")
    assert not same_secret("s3cret-token", "é")
