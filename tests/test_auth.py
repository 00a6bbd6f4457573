"""The staff session signer, session lifetime, CSRF tokens and redirect/origin checks."""

from __future__ import annotations

import base64
import json

import pytest

from bot.web.auth import (
    ABSOLUTE_SECONDS,
    IDLE_SECONDS,
    Keys,
    Signer,
    StaffSession,
    safe_next,
    same_origin,
)

NOW = 1_700_000_000


def test_signed_payload_round_trips():
    signer = Signer("secret", "session")
    token = signer.sign({"u": 7, "n": "abc", "text": "é ✓"})
    assert signer.unsign(token) == {"u": 7, "n": "abc", "text": "é ✓"}


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # signature changed
        lambda t: "x" + t,  # body changed
        lambda t: t.replace(".", ""),  # no separator
        lambda t: t + ".extra",  # two separators
        lambda t: "",
        lambda t: "é.ü",  # non-ASCII
        lambda t: "a" * 5000 + "." + t.split(".")[1],  # huge
    ],
)
def test_tampered_tokens_are_refused(tamper):
    signer = Signer("secret", "session")
    assert signer.unsign(tamper(signer.sign({"u": 1}))) is None


def test_edited_payload_with_old_signature_is_refused():
    signer = Signer("secret", "session")
    _body, mac = signer.sign({"u": 1}).split(".")
    forged = base64.urlsafe_b64encode(json.dumps({"u": 2}).encode()).rstrip(b"=").decode()
    assert signer.unsign(f"{forged}.{mac}") is None


def test_other_key_or_purpose_cannot_verify():
    token = Signer("secret", "session").sign({"u": 1})
    assert Signer("other", "session").unsign(token) is None
    assert Signer("secret", "flash").unsign(token) is None


def test_validly_signed_non_object_or_garbage_is_refused():
    signer = Signer("secret", "session")
    list_body = base64.urlsafe_b64encode(b"[1,2]").rstrip(b"=").decode()
    assert signer.unsign(f"{list_body}.{signer.mac(list_body)}") is None
    assert signer.unsign(f"%%%.{signer.mac('%%%')}") is None


def test_session_round_trip_and_touch():
    keys = Keys("secret")
    session = StaffSession.start(staff_id=3, version=1, now=NOW)
    decoded = StaffSession.decode(keys.session, session.encode(keys.session), NOW + 10)
    assert decoded == session
    touched = session.touched(NOW + 100)
    assert touched.seen == NOW + 100 and touched.issued == NOW and touched.nonce == session.nonce


def test_each_login_gets_a_new_nonce():
    assert StaffSession.start(1, 1, NOW).nonce != StaffSession.start(1, 1, NOW).nonce


def test_idle_expiry():
    keys = Keys("secret")
    token = StaffSession.start(1, 1, NOW).encode(keys.session)
    assert StaffSession.decode(keys.session, token, NOW + IDLE_SECONDS) is not None
    assert StaffSession.decode(keys.session, token, NOW + IDLE_SECONDS + 1) is None


def test_absolute_expiry_despite_activity():
    session = StaffSession.start(1, 1, NOW)
    active = session.touched(NOW + ABSOLUTE_SECONDS)
    assert not active.expired(NOW + ABSOLUTE_SECONDS)
    assert active.touched(NOW + ABSOLUTE_SECONDS + 1).expired(NOW + ABSOLUTE_SECONDS + 1)


def test_session_issued_in_the_future_is_refused():
    assert StaffSession.start(1, 1, NOW + 3600).expired(NOW)


@pytest.mark.parametrize(
    "payload",
    [
        {"u": "1", "v": 1, "i": NOW, "s": NOW, "n": "x"},
        {"u": True, "v": 1, "i": NOW, "s": NOW, "n": "x"},
        {"u": 1, "v": 1, "i": NOW, "s": NOW},
        {"u": 1, "v": 1, "i": NOW, "s": NOW, "n": 5},
        {},
    ],
)
def test_signed_session_with_wrong_shape_is_refused(payload):
    keys = Keys("secret")
    assert StaffSession.decode(keys.session, keys.session.sign(payload), NOW) is None


def test_csrf_token_belongs_to_its_session():
    keys = Keys("secret")
    token = keys.csrf_token("nonce-a")
    assert keys.csrf_ok("nonce-a", token)
    assert not keys.csrf_ok("nonce-b", token)
    assert not keys.csrf_ok("nonce-a", token[:-1])
    assert not keys.csrf_ok("nonce-a", "")
    assert not keys.csrf_ok("nonce-a", None)
    assert not keys.csrf_ok(None, token)
    assert not keys.csrf_ok("nonce-a", "ünïcode")
    assert not Keys("other").csrf_ok("nonce-a", token)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/staff", "/staff"),
        ("/staff/conversations/abc?x=1", "/staff/conversations/abc?x=1"),
        ("/staff/overview?date_from=2024-01-01", "/staff/overview?date_from=2024-01-01"),
        (None, "/staff"),
        ("", "/staff"),
        ("https://evil.example/staff", "/staff"),
        ("//evil.example/staff", "/staff"),
        ("/\\evil.example", "/staff"),
        ("/staff\\..\\x", "/staff"),
        ("javascript:alert(1)", "/staff"),
        ("/", "/staff"),
        ("/staffing", "/staff"),
        ("/static/x.js", "/staff"),
        ("/staff/../admin", "/staff"),
        ("/staff/login", "/staff"),
        ("/staff/x\r\nSet-Cookie: a=b", "/staff"),
        ("/staff/" + "a" * 3000, "/staff"),
    ],
)
def test_safe_next_only_allows_staff_paths(value, expected):
    assert safe_next(value) == expected


@pytest.mark.parametrize(
    ("origin", "fetch_site", "ok"),
    [
        (None, None, True),
        ("http://127.0.0.1:8000", None, True),
        ("https://127.0.0.1:8000", "same-origin", True),
        ("http://evil.example", None, False),
        ("http://127.0.0.1:9999", None, False),
        ("null", None, False),
        (None, "cross-site", False),
        (None, "same-site", False),
        ("http://127.0.0.1:8000", "cross-site", False),
    ],
)
def test_same_origin(origin, fetch_site, ok):
    assert same_origin(origin, "127.0.0.1:8000", fetch_site) is ok
