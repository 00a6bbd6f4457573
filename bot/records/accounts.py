"""Staff accounts, sign-in with lockout, and the audit log of what staff did.

Passwords are kept only as Argon2 hashes. Sign-in failures are counted per email whether
or not an account exists, and an unknown email costs the same hashing work as a known
one, so neither the answer, its timing nor a lockout tells anyone which emails are staff.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.records.db import AuditLog, LoginThrottle, StaffUser

MIN_PASSWORD, MAX_PASSWORD = 12, 1024
MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=15)
FORGET_FAILURES_AFTER = dt.timedelta(days=1)
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
HASHER = PasswordHasher()
ADMIN, REVIEWER = "admin", "reviewer"
ROLES = (ADMIN, REVIEWER)
"""An admin manages accounts, deletes conversations, exports everything and reads the
audit log; a reviewer reads, reviews, tags and notes, and exports what they filter."""


class LoginRefused(Exception):
    """Sign-in refused; the message never says whether the email has an account."""

    def __init__(self, retry_after: int | None = None, checked: bool = True) -> None:
        """`checked`: whether the password was checked (not when the email was locked)."""
        self.retry_after = retry_after
        self.checked = checked
        if retry_after:
            minutes = math.ceil(retry_after / 60)
            super().__init__(
                f"Too many failed sign-ins. Try again in {minutes} minute"
                f"{'' if minutes == 1 else 's'}."
            )
        else:
            super().__init__("The email or password is not right.")


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit log."""

    at: dt.datetime
    staff_email: str
    action: str
    target: str | None
    detail: str | None


def normalise_email(email: str) -> str:
    """The email as stored: trimmed and lower-case; ValueError if it is not an email."""
    email = (email or "").strip().lower()
    if len(email) > 254 or not EMAIL.fullmatch(email):
        raise ValueError(f"{email!r} is not an email address.")
    return email


def check_password(password: str) -> None:
    """ValueError (with the rule) for a password that is too short or too long."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise ValueError(f"The password needs at least {MIN_PASSWORD} characters.")
    if len(password) > MAX_PASSWORD:
        raise ValueError(f"The password may have at most {MAX_PASSWORD} characters.")


def add_staff(
    session: Session, email: str, password: str, role: str | None = None
) -> StaffUser:
    """Create an account; ValueError for a bad email, password or role, or an existing one.

    Without a `role`, the first account is an admin (someone must manage the others)
    and every later one a reviewer.
    """
    email = normalise_email(email)
    check_password(password)
    if session.scalar(select(StaffUser.id).where(StaffUser.email == email)) is not None:
        raise ValueError(f"There is already a staff account for {email}.")
    role = role or (REVIEWER if _has_admin(session) else ADMIN)
    _check_role(role)
    user = StaffUser(email=email, password_hash=HASHER.hash(password), role=role,
                     created_at=dt.datetime.now(dt.UTC))
    session.add(user)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise ValueError(f"There is already a staff account for {email}.") from None
    return user


def set_password(session: Session, email: str, password: str) -> StaffUser:
    """Replace an account's password, ending its sessions and lifting a lockout.

    LookupError if there is no such account.
    """
    check_password(password)
    user = _account(session, email)
    user.password_hash = HASHER.hash(password)
    user.session_version += 1
    session.execute(delete(LoginThrottle).where(LoginThrottle.email == user.email))
    session.commit()
    return user


def set_role(session: Session, email: str, role: str) -> StaffUser:
    """Change an account's role; its sessions end so the new rights apply at once."""
    _check_role(role)
    user = _account(session, email)
    user.role = role
    user.session_version += 1
    session.commit()
    return user


def set_disabled(session: Session, email: str, disabled: bool, now: dt.datetime) -> StaffUser:
    """Disable an account (it cannot log in; its sessions end) or enable it again."""
    user = _account(session, email)
    user.disabled_at = now if disabled else None
    user.session_version += 1
    session.commit()
    return user


def _account(session: Session, email: str) -> StaffUser:
    email = normalise_email(email)
    user = session.scalar(select(StaffUser).where(StaffUser.email == email))
    if user is None:
        raise LookupError(f"There is no staff account for {email}.")
    return user


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise ValueError(f"A role is {' or '.join(ROLES)}, not {role!r}.")


def _has_admin(session: Session) -> bool:
    return session.scalar(select(StaffUser.id).where(
        StaffUser.role == ADMIN, StaffUser.disabled_at.is_(None)).limit(1)) is not None


def end_sessions(session: Session, staff_id: int) -> None:
    """Invalidate every signed session cookie of an account (logout is server-side)."""
    session.execute(
        update(StaffUser)
        .where(StaffUser.id == staff_id)
        .values(session_version=StaffUser.session_version + 1)
    )
    session.commit()


def list_staff(session: Session) -> list[StaffUser]:
    """Every staff account, by email."""
    return list(session.scalars(select(StaffUser).order_by(StaffUser.email)))


def authenticate(session: Session, email: str, password: str, now: dt.datetime) -> StaffUser:
    """The account for these credentials, or LoginRefused (with retry_after when locked).

    After MAX_FAILURES failures in a row an email is locked for LOCKOUT, even with the
    right password. A disabled account is refused like a wrong password.
    """
    email = email.strip().lower()[:254] if isinstance(email, str) else ""
    throttle = session.get(LoginThrottle, email) if email else None
    if throttle is not None and throttle.locked_until and throttle.locked_until > now:
        raise LoginRefused(math.ceil((throttle.locked_until - now).total_seconds()), checked=False)
    user = session.scalar(select(StaffUser).where(StaffUser.email == email)) if email else None
    if _verify(user.password_hash if user else _dummy_hash(), password) and user \
            and user.disabled_at is None:
        if throttle is not None:
            session.delete(throttle)
        if HASHER.check_needs_rehash(user.password_hash):
            user.password_hash = HASHER.hash(password)
        user.last_login_at = now
        session.commit()
        return user
    retry_after = _record_failure(session, email, throttle, now) if email else None
    raise LoginRefused(retry_after)


def _verify(password_hash: str, password: str) -> bool:
    """Check a password; unusable input still costs one verification, then fails."""
    usable = isinstance(password, str) and 0 < len(password) <= MAX_PASSWORD
    try:
        return HASHER.verify(password_hash, password if usable else "\x00") and usable
    except (VerificationError, InvalidHashError):
        return False


def _record_failure(
    session: Session, email: str, throttle: LoginThrottle | None, now: dt.datetime
) -> int | None:
    """Count a failure; returns the lockout in seconds when this one locks the email."""
    session.execute(delete(LoginThrottle).where(
        LoginThrottle.last_failed_at < now - FORGET_FAILURES_AFTER, LoginThrottle.email != email))
    if throttle is None:
        throttle = LoginThrottle(email=email, failures=0)
        session.add(throttle)
    elif now - throttle.last_failed_at > LOCKOUT:
        throttle.failures = 0
    throttle.failures += 1
    throttle.last_failed_at = now
    locked = throttle.failures >= MAX_FAILURES
    if locked:
        throttle.failures, throttle.locked_until = 0, now + LOCKOUT
    session.commit()
    return int(LOCKOUT.total_seconds()) if locked else None


@cache
def _dummy_hash() -> str:
    return HASHER.hash("not a password anyone has")


def audit(
    session: Session, staff_email: str, action: str, target: str | None = None,
    detail: str | None = None,
) -> None:
    """Record that `staff_email` did `action` (to `target`, e.g. a sender id)."""
    session.add(AuditLog(
        at=dt.datetime.now(dt.UTC), staff_email=staff_email[:254], action=action[:64],
        target=target[:255] if target else None, detail=detail,
    ))
    session.commit()


def audit_log(session: Session, limit: int = 200) -> list[AuditEntry]:
    """The latest entries, newest first."""
    stmt = select(AuditLog).order_by(AuditLog.at.desc(), AuditLog.id.desc()).limit(limit)
    return [
        AuditEntry(e.at, e.staff_email, e.action, e.target, e.detail)
        for e in session.scalars(stmt)
    ]
