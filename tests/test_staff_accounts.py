"""Staff accounts: Argon2 passwords, sign-in with lockout, the audit log."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from bot.records import accounts as staff
from bot.records.accounts import (
    LoginRefused,
    add_staff,
    audit,
    audit_log,
    authenticate,
    list_staff,
    set_password,
)
from bot.records.db import LoginThrottle, StaffUser

NOW = dt.datetime(2025, 3, 14, 12, 0, tzinfo=dt.UTC)
PASSWORD = "correct horse battery"


@pytest.fixture
def ann(db_session):
    return add_staff(db_session, "  Ann.Lee@Clinic.example ", PASSWORD)


def refused(session, email, password, at=NOW) -> LoginRefused:
    with pytest.raises(LoginRefused) as caught:
        authenticate(session, email, password, at)
    return caught.value


def test_account_stores_an_argon2_hash_and_a_normalised_email(db_session, ann):
    assert ann.email == "ann.lee@clinic.example"
    stored = db_session.scalar(select(StaffUser.password_hash))
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert [u.email for u in list_staff(db_session)] == ["ann.lee@clinic.example"]


def test_sign_in_with_the_right_password_any_email_case(db_session, ann):
    user = authenticate(db_session, "ANN.LEE@clinic.example", PASSWORD, NOW)
    assert user.id == ann.id and user.last_login_at == NOW


@pytest.mark.parametrize("password", ["wrong password!", "", PASSWORD.upper(), PASSWORD + " ",
                                      "x" * 5000, None, "😀" * 20])
def test_wrong_passwords_are_refused_with_a_generic_message(db_session, ann, password):
    error = refused(db_session, ann.email, password)
    assert str(error) == "The email or password is not right." and error.retry_after is None


@pytest.mark.parametrize("email", ["nobody@clinic.example", "", "not an email", None,
                                   "' OR 1=1 --", "é@ü.example"])
def test_unknown_emails_get_the_same_answer_and_cost_the_same_work(
        db_session, ann, email, monkeypatch):
    """Same work means one real Argon2 verification with the same parameters (counted, not
    timed: wall-clock ratios are noise on a busy 2-core CI machine)."""
    verified = []

    class CountingHasher:
        def __getattr__(self, name):
            return getattr(real, name)

        def verify(self, password_hash, password):
            verified.append(password_hash.rsplit("$", 2)[0])
            return real.verify(password_hash, password)

    real = staff.HASHER
    monkeypatch.setattr(staff, "HASHER", CountingHasher())
    unknown = refused(db_session, email, PASSWORD)
    known = refused(db_session, ann.email, "wrong password!")
    assert str(unknown) == str(known) and unknown.retry_after is None
    assert len(verified) == 2 and verified[0] == verified[1]  # hashed too, not a shortcut


def test_five_failures_lock_the_account_for_fifteen_minutes(db_session, ann):
    for minute in range(4):
        assert refused(db_session, ann.email, "wrong password!",
                       NOW + dt.timedelta(minutes=minute)).retry_after is None
    fifth = refused(db_session, ann.email, "wrong password!", NOW + dt.timedelta(minutes=4))
    assert fifth.retry_after == 15 * 60 and "Try again in 15 minutes" in str(fifth)
    locked_at = NOW + dt.timedelta(minutes=4)
    later = refused(db_session, ann.email, PASSWORD, locked_at + dt.timedelta(minutes=14))
    assert later.retry_after == 60 and "1 minute." in str(later)
    user = authenticate(db_session, ann.email, PASSWORD, locked_at + dt.timedelta(minutes=15))
    assert user.id == ann.id
    assert db_session.get(LoginThrottle, ann.email) is None


def test_failures_spread_out_over_time_do_not_lock(db_session, ann):
    for hour in range(8):
        assert refused(db_session, ann.email, "wrong password!",
                       NOW + dt.timedelta(hours=hour)).retry_after is None
    assert authenticate(db_session, ann.email, PASSWORD, NOW + dt.timedelta(hours=8))


def test_a_success_resets_the_count(db_session, ann):
    for minute in range(4):
        refused(db_session, ann.email, "wrong password!", NOW + dt.timedelta(minutes=minute))
    authenticate(db_session, ann.email, PASSWORD, NOW + dt.timedelta(minutes=5))
    for minute in range(6, 10):
        assert refused(db_session, ann.email, "wrong password!",
                       NOW + dt.timedelta(minutes=minute)).retry_after is None


def test_unknown_emails_lock_too_so_a_lockout_reveals_nothing(db_session):
    for _ in range(4):
        refused(db_session, "ghost@clinic.example", "whatever it is")
    assert refused(db_session, "ghost@clinic.example", "whatever it is").retry_after == 900


def test_set_password_replaces_it_and_lifts_a_lockout(db_session, ann):
    for _ in range(5):
        refused(db_session, ann.email, "wrong password!")
    set_password(db_session, "ANN.LEE@clinic.example", "a brand new passphrase")
    refused(db_session, ann.email, PASSWORD, NOW + dt.timedelta(minutes=1))
    assert authenticate(db_session, ann.email, "a brand new passphrase", NOW)
    with pytest.raises(LookupError):
        set_password(db_session, "nobody@clinic.example", "a brand new passphrase")
    with pytest.raises(ValueError, match="at least 12"):
        set_password(db_session, ann.email, "short")


def test_duplicate_accounts_are_refused(db_session, ann):
    with pytest.raises(ValueError, match="already a staff account"):
        add_staff(db_session, "ANN.LEE@clinic.example", "another long password")
    assert len(list_staff(db_session)) == 1


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("bo@clinic.example", "elevenchars", "at least 12 characters"),
        ("bo@clinic.example", "", "at least 12 characters"),
        ("bo@clinic.example", "x" * 1025, "at most 1024"),
        ("not-an-email", PASSWORD, "not an email address"),
        ("", PASSWORD, "not an email address"),
        ("a@b@c.example", PASSWORD, "not an email address"),
        ("x" * 250 + "@c.example", PASSWORD, "not an email address"),
    ],
)
def test_bad_accounts_are_refused_with_the_reason(db_session, email, password, message):
    with pytest.raises(ValueError, match=message):
        add_staff(db_session, email, password)
    assert list_staff(db_session) == []


def test_audit_log_newest_first(db_session):
    audit(db_session, "ann@clinic.example", "login")
    audit(db_session, "ann@clinic.example", "view_conversation", target="sender-1")
    audit(db_session, "cli:root", "forget", target="sender-2", detail="deleted")
    entries = audit_log(db_session)
    assert [(e.staff_email, e.action, e.target, e.detail) for e in entries] == [
        ("cli:root", "forget", "sender-2", "deleted"),
        ("ann@clinic.example", "view_conversation", "sender-1", None),
        ("ann@clinic.example", "login", None, None),
    ]
    assert entries[0].at.tzinfo == dt.UTC
    assert len(audit_log(db_session, limit=2)) == 2
