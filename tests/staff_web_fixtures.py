"""A real website process for staff-page tests: `python -m bot serve-web` on a free port.

It runs exactly as under `make run` (its own process, settings from the environment),
against a throw-away SQLite database with our tables migrated; tests add conversations
with the seeding script's builders, as Rasa's tracker store would have written them.
`StaffClient` is an HTTP client that keeps the staff cookies (which are `Secure`, so
`requests` would otherwise never send them back over plain http://127.0.0.1).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests
from launcher import free_port
from sqlalchemy import select
from sqlalchemy.engine import Engine
from staff_fixtures import talk

from bot.records.accounts import add_staff
from bot.records.db import StaffUser, make_engine, migrate, session_factory
from bot.settings import ROOT
from scripts.seed_conversations import Conversation, emergency, insert, seed

PASSWORD = "correct horse battery staple"
ADMIN = "admin@clinic.example"
CSRF_FIELD = re.compile(r'name="csrf" value="([^"]+)"')
# Conversations the tests look for by name, besides the seeded random ones.
TRIAGE, XSS, URGENT, DELETE_ME = "triage-warehouse", "xss-patient", "urgent-patient", "forget-me"
SELF_HARM = "self-harm-patient"
WIDGET = "web:0123456789abcdef0123456789abcdef"
WIDGET_QUESTION = "do I need a referral from my doctor?"
# Spanish conversations: one from the start (with markup typed), one that switched.
SPANISH, SWITCHED = "web:spanish-patient", "switched-patient"
SPANISH_QUESTION = "¿Cuánto dura el programa? <b>gracias</b>"
SWITCHED_QUESTION = "¿Puedo escribir en español?"
ODD = "whatsapp:+1 555/0100 é"
XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = "<img src=x onerror=alert(1)>"
TRIAGE_ANSWERS = {"red_flags": False, "medically_cleared": True, "weeks_since_injury": 12.0,
                  "has_job_goal": True, "job_demand_level": "heavy", "meets_job_demands": False,
                  "psychosocial_barriers": True, "vocational_barriers": False,
                  "tolerates_4_hours": True}


class StaffClient(requests.Session):
    """A browser-like client: no automatic redirects, Secure cookies kept on plain http.

    Browsers send Secure cookies back to http://127.0.0.1 (a trustworthy origin);
    `requests` does not, so the stored copies lose the flag (tests read the real
    Set-Cookie header to check it).
    """

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base_url = base_url

    def request(self, method: str, url: str, *args: object, **kwargs: object):  # type: ignore[override]
        kwargs["allow_redirects"] = False
        kwargs.setdefault("timeout", 30)
        response = super().request(method, self.base_url + url, *args, **kwargs)
        for cookie in self.cookies:
            cookie.secure = False
        return response

    def csrf(self, path: str = "/staff") -> str:
        """The CSRF token shown on a page's forms."""
        page = self.get(path)
        assert page.status_code == 200, (path, page.status_code)
        return CSRF_FIELD.search(page.text).group(1)

    def login(self, email: str, password: str = PASSWORD) -> requests.Response:
        """Fill in the login form as a person would."""
        token = self.csrf("/staff/login")
        return self.post("/staff/login", data={"email": email, "password": password,
                                               "csrf": token, "next": "/staff"})

    def post_form(self, path: str, data: dict[str, object] | None = None,
                  token_page: str = "/staff") -> requests.Response:
        """POST a staff form with this session's CSRF token."""
        return self.post(path, data={"csrf": self.csrf(token_page), **(data or {})})


@dataclass
class StaffSite:
    """The running website and its database."""

    url: str
    database_url: str
    secret_key: str
    engine: Engine
    process: subprocess.Popen[bytes]
    log: Path

    def client(self) -> StaffClient:
        """A new HTTP client with no cookies."""
        return StaffClient(self.url)

    def add_staff(self, email: str, password: str = PASSWORD) -> None:
        """Create a staff account directly in the database."""
        with session_factory(self.engine)() as db:
            add_staff(db, email, password)
            db.commit()

    def logged_in(self, email: str) -> StaffClient:
        """A client logged in as `email` (the account is created if needed)."""
        with session_factory(self.engine)() as db:
            exists = db.scalar(select(StaffUser.id).where(StaffUser.email == email))
        if exists is None:
            self.add_staff(email)
        client = self.client()
        response = client.login(email)
        assert response.status_code == 303, response.text
        return client

    def log_text(self) -> str:
        """What the website process printed so far."""
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextmanager
def staff_site(var_dir: Path, database_url: str | None = None,
               migrated: bool = True, **settings: str) -> Iterator[StaffSite]:
    """Run the website until the block ends; `migrated=False` leaves the database empty.

    Tests log in far more often than a person, all from one address: the log-in rate
    limit is lifted unless `settings` (environment variables) set it; and the seeded
    conversations date from 2025, so the daily retention keeps 100 years unless told.

    Rasa's `events` table is not created: the seeding script's `insert` creates it as
    Rasa's tracker store does, and a site without it is what a fresh install looks like.
    """
    database_url = database_url or f"sqlite:///{var_dir / 'staff.db'}"
    if migrated:
        migrate(database_url)
    engine = make_engine(database_url)
    port, secret_key = free_port(), uuid.uuid4().hex
    env = {
        **os.environ,
        "BOT_WEB_PORT": str(port),
        "BOT_HOST": "127.0.0.1",
        "BOT_VAR_DIR": str(var_dir),
        "DATABASE_URL": database_url,
        "BOT_SECRET_KEY": secret_key,
        "BOT_LOG_LEVEL": "INFO",
        "BOT_LOGIN_RATE_PER_ADDRESS": "100000",
        "BOT_RETENTION_DAYS": "36500",
        **settings,
    }
    log = var_dir / "web.log"
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "bot", "serve-web"], cwd=ROOT,
                                   env=env, stdout=out, stderr=out, start_new_session=True)
    site = StaffSite(f"http://127.0.0.1:{port}", database_url, secret_key, engine, process, log)
    try:
        wait_until_up(site)
        yield site
    finally:
        process.terminate()
        process.wait(timeout=30)
        engine.dispose()


def seed_examples(site: StaffSite, now: dt.datetime, random_conversations: int) -> None:
    """Random conversations from the day before `now`, the named examples, and ADMIN."""
    seed(site.engine, random_conversations, seed=3, now=(now - dt.timedelta(days=1)).timestamp())
    texted_an_option = _faq(ODD, now, 5).utter("utter_ask_medically_cleared").listen()
    texted_an_option.wait(30).user("yes", "affirm", typed="1")
    examples = (_triage(now), _markup(now), _urgent(now), _self_harm(now),
                _faq(DELETE_ME, now, 4), texted_an_option, _widget(now))
    insert(site.engine, [row for talk in examples for row in talk.rows])
    site.add_staff(ADMIN)


def seed_languages(site: StaffSite, now: dt.datetime) -> None:
    """The Spanish examples: one Spanish from the start, one switched from English."""
    insert(site.engine, [row for talk in (_spanish(now), _switched(now)) for row in talk.rows])


def _triage(now: dt.datetime) -> Conversation:
    """A finished triage whose answers lead to work hardening."""
    c = talk(TRIAGE, dt.timedelta(hours=3), "socketio", now)
    c.wait(10).user("I hurt my back lifting boxes at the warehouse 3 months ago",
                    "describe_situation", confidence=0.93)
    c.action("triage_form").loop("triage_form")
    for slot, value in TRIAGE_ANSWERS.items():
        c.slot("requested_slot", slot).utter(f"utter_ask_{slot}").listen()
        intent = {True: "affirm", False: "deny"}.get(value, "describe_situation")
        c.wait(15).user("yes" if value is True else "no" if value is False else str(value),
                        intent)
        c.action("triage_form").slot(slot, value)
    c.slot("requested_slot", None).loop(None).action("action_triage_result")
    c.utter("utter_result_work_hardening")
    return c.slot("recommended_program", "work_hardening").listen()


def _markup(now: dt.datetime) -> Conversation:
    """A patient who typed HTML; both messages confused the assistant."""
    c = talk(XSS, dt.timedelta(hours=2), "socketio", now)
    c.wait(5).user(XSS_SCRIPT, "out_of_scope", confidence=0.21).say("utter_default")
    return c.wait(5).user(XSS_IMG, "nlu_fallback", confidence=1.0).say("utter_default")


def _urgent(now: dt.datetime) -> Conversation:
    c = talk(URGENT, dt.timedelta(hours=1), "rest", now)
    c.wait(5).user("I have chest pain and can't breathe", "emergency", confidence=1.0)
    c.action("action_emergency").utter("utter_emergency")
    return c.slot("recommended_program", "urgent_care").slot("emergency_kind", "medical").listen()


def _self_harm(now: dt.datetime) -> Conversation:
    """Named, so that the self-harm filter has a row whatever the random ones hold."""
    return emergency(talk(SELF_HARM, dt.timedelta(hours=1, minutes=30), "twilio", now).wait(5),
                     "self_harm")


def _widget(now: dt.datetime) -> Conversation:
    """A website chat: the widget's greeting, a button clicked, a question typed.

    The FAQs are parsed as the trained model does: the intent `faq` at full confidence,
    the FAQ answer selector's pick a little below it.
    """
    c = talk(WIDGET, dt.timedelta(hours=6), "socketio", now)
    c.wait(1).user("/greet", "greet", 1.0).say("utter_greet")
    c.wait(8).user("What is the difference between work hardening and work conditioning?",
                   "faq", 1.0, faq="difference", typed="What's the difference?")
    c.action("utter_faq").utter("utter_faq/difference").listen()
    c.wait(20).user(WIDGET_QUESTION, "faq", 1.0, faq="referral")
    return c.action("utter_faq").utter("utter_faq/referral").listen()


def _spanish(now: dt.datetime) -> Conversation:
    """A website chat in Spanish: the assistant recognises it in the first message."""
    c = talk(SPANISH, dt.timedelta(hours=7), "socketio", now)
    c.wait(1).user("/greet", "greet", 1.0).say("utter_greet")
    c.wait(8).user(SPANISH_QUESTION, "faq", 1.0, faq="duration", language="es")
    c.action("utter_faq").bot("El programa dura de 4 a 8 semanas.").listen()
    c.wait(10).user("gracias", "thank")
    return c.action("utter_thank").bot("¡De nada!").listen()


def _switched(now: dt.datetime) -> Conversation:
    """A text-message conversation that starts in English and switches to Spanish."""
    c = _faq(SWITCHED, now, 8)
    c.wait(20).user(SWITCHED_QUESTION, "out_of_scope", language="es")
    return c.action("utter_out_of_scope").bot("Claro, seguimos en español.").listen()


def _faq(sender: str, now: dt.datetime, hours_ago: float) -> Conversation:
    c = talk(sender, dt.timedelta(hours=hours_ago), "twilio", now)
    c.wait(5).user("how long does work hardening take?", "faq", faq="duration")
    return c.action("utter_faq").utter("utter_faq/duration").listen()


def wait_until_up(site: StaffSite, timeout: float = 60) -> None:
    """Return once /healthz answers; fail with the log if the process dies or hangs."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and site.process.poll() is None:
        try:
            if requests.get(f"{site.url}/healthz", timeout=2).ok:
                return
        except requests.ConnectionError:
            time.sleep(0.2)
    raise RuntimeError(f"website did not start:\n{site.log_text()[-3000:]}")
