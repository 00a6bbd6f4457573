"""The staff pages over real HTTP: `python -m bot serve-web` on a seeded SQLite database."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

import pytest
import requests
import yaml
from markupsafe import escape
from sqlalchemy import func, select
from staff_fixtures import faq, store, talk
from staff_web_fixtures import (
    ADMIN,
    DELETE_ME,
    ODD,
    PASSWORD,
    SELF_HARM,
    SPANISH,
    SPANISH_QUESTION,
    SWITCHED,
    SWITCHED_QUESTION,
    TRIAGE,
    TRIAGE_ANSWERS,
    URGENT,
    WIDGET,
    WIDGET_QUESTION,
    XSS,
    XSS_SCRIPT,
    StaffClient,
    StaffSite,
    seed_examples,
    seed_languages,
    staff_site,
)

from bot.core.clinic import load_clinic
from bot.core.triage import TriageRecord, decide, load_rules
from bot.records.accounts import set_disabled, set_password
from bot.records.db import (
    AuditLog,
    Review,
    StaffUser,
    events,
    make_engine,
    migrate,
    session_factory,
)
from bot.records.retention import deleted_reference
from bot.settings import Settings
from bot.web.auth import ABSOLUTE_SECONDS, IDLE_SECONDS, Keys, StaffSession

pytestmark = pytest.mark.e2e  # real servers or processes (tests/conftest.py)

NOW = dt.datetime.now(dt.UTC)
ROOT = Path(__file__).resolve().parent.parent
TRIAGE_RULES = ROOT / "triage_rules.yml"
ZONE = load_clinic(ROOT / "clinic.yml").opening_hours.zone


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaffSite]:
    with staff_site(tmp_path_factory.mktemp("staff-web")) as site:
        seed_examples(site, NOW, random_conversations=120)
        seed_languages(site, NOW)
        yield site


@pytest.fixture(scope="module")
def admin(site: StaffSite) -> StaffClient:
    return site.logged_in(ADMIN)


def detail_path(sender: str) -> str:
    return f"/staff/conversations/{quote(sender, safe='')}"


def audit_entries(site: StaffSite, action: str, target: str | None = None) -> list[AuditLog]:
    with session_factory(site.engine)() as db:
        stmt = select(AuditLog).where(AuditLog.action == action)
        if target is not None:
            stmt = stmt.where(AuditLog.target == target)
        return list(db.scalars(stmt))


def set_cookie_headers(response) -> list[str]:
    return response.raw.headers.getlist("Set-Cookie")


def senders_listed(html: str) -> list[str]:
    return [unquote(link) for link in re.findall(r'href="/staff/conversations/([^"/]+)"', html)]


def clinic_time(at: dt.datetime, zone: dt.tzinfo = ZONE) -> str:
    """How the pages should show `at`, worked out here with strftime: "Dec 1, 2:05 pm CST"."""
    local = at.astimezone(zone)
    year = "" if local.year == NOW.astimezone(zone).year else f", {local.year}"
    return (f"{local:%b} {local.day}{year}, {int(local.strftime('%I'))}:{local:%M} "
            f"{local.strftime('%p').lower()} {local:%Z}")


def row_of(html: str, sender: str) -> str:
    """The list's table row that links to `sender`."""
    return next(row for row in html.split("<tr>") if detail_path(sender) + '"' in row)


def started(sender: str, site: StaffSite) -> dt.datetime:
    with session_factory(site.engine)() as db:
        first = db.scalar(select(func.min(events.c.timestamp))
                          .where(events.c.sender_id == sender))
    return dt.datetime.fromtimestamp(first, dt.UTC)


# --- access ------------------------------------------------------------------------------

PAGES = ["/staff", "/staff/conversations", "/staff/overview", "/staff/audit",
         detail_path(TRIAGE), detail_path(TRIAGE) + "/delete", "/staff?outcome=urgent_care"]
DOWNLOADS = ["/staff/export.csv", "/staff/export.json", "/staff/export.csv?q=chest"]
POSTS = ["/staff/logout", detail_path(TRIAGE) + "/review", detail_path(TRIAGE) + "/nlu.yml",
         detail_path(DELETE_ME) + "/delete"]


@pytest.mark.parametrize("cookie", [None, "forged.value", "e30.AAAA"])
@pytest.mark.parametrize("path", PAGES)
def test_anonymous_page_views_go_to_login(site, path, cookie):
    client = site.client()
    if cookie:
        client.cookies.set("staff_session", cookie, path="/staff")
    response = client.get(path)
    assert response.status_code == 303
    location = urlsplit(response.headers["Location"])
    assert location.path == "/staff/login"
    assert parse_qs(location.query)["next"] == [path]
    assert "warehouse" not in response.text and TRIAGE not in response.text


@pytest.mark.parametrize("path", DOWNLOADS)
def test_anonymous_downloads_are_refused(site, path):
    response = site.client().get(path)
    assert response.status_code == 401
    assert "Content-Disposition" not in response.headers
    assert TRIAGE not in response.text and "sender_id" not in response.text


@pytest.mark.parametrize("path", POSTS)
def test_anonymous_posts_are_refused(site, path):
    response = site.client().post(path, data={"confirm": "yes", "reviewed": "yes",
                                              "pick": "1", "csrf": "x"})
    assert response.status_code == 401
    with session_factory(site.engine)() as db:
        assert db.scalar(select(func.count()).select_from(events)
                         .where(events.c.sender_id == DELETE_ME)) > 0


def test_unknown_staff_paths_are_not_found(site):
    assert site.client().get("/staff/nothing-here").status_code == 404


# --- login -------------------------------------------------------------------------------


def test_login_sets_a_strict_session_cookie(site):
    client = site.client()
    response = client.login(ADMIN)
    assert response.status_code == 303
    assert response.headers["Location"] == "/staff"
    cookie = next(c for c in set_cookie_headers(response) if c.startswith("staff_session="))
    attributes = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "secure", "samesite=strict", "path=/staff"} <= attributes
    assert not any(a.startswith(("max-age", "expires")) for a in attributes)
    page = client.get("/staff")
    assert page.status_code == 200 and ADMIN in page.text
    assert audit_entries(site, "login")


@pytest.mark.parametrize(("next_path", "expected"), [
    ("/staff/overview?from=2024-01-01", "/staff/overview?from=2024-01-01"),
    ("https://evil.example/staff", "/staff"),
    ("//evil.example", "/staff"),
])
def test_login_returns_only_to_staff_pages(site, next_path, expected):
    client = site.client()
    token = client.csrf(f"/staff/login?next={quote(next_path)}")
    response = client.post("/staff/login", data={"email": ADMIN, "password": PASSWORD,
                                                 "csrf": token, "next": next_path})
    assert response.headers["Location"] == expected


def test_wrong_password_and_unknown_email_get_the_same_answer(site):
    answers = []
    for email in (ADMIN.upper(), "nobody@clinic.example"):
        response = site.client().login(email, "wrong password!!")
        assert response.status_code == 401
        answers.append(re.search(r'role="alert">([^<]+)<', response.text).group(1))
    assert answers[0] == answers[1]
    assert "nobody" not in answers[0].lower() and "unknown" not in answers[0].lower()
    assert audit_entries(site, "login_failed")


def test_login_is_locked_after_five_failures(site):
    email = "locked@clinic.example"
    site.add_staff(email)
    statuses = [site.client().login(email, "wrong password!!").status_code for _ in range(5)]
    assert statuses == [401, 401, 401, 401, 429]
    response = site.client().login(email)  # the right password, but locked
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 15 * 60
    assert "Too many failed sign-ins" in response.text
    assert "staff_session=" not in " ".join(set_cookie_headers(response))


@pytest.mark.parametrize("form", [
    {},
    {"csrf": ""},
    {"csrf": "not-the-token"},
])
def test_login_form_needs_its_token(site, form):
    client = site.client()
    client.csrf("/staff/login")
    response = client.post("/staff/login", data={"email": ADMIN, "password": PASSWORD, **form})
    assert response.status_code == 403
    assert "staff_session=" not in " ".join(set_cookie_headers(response))


def test_garbage_login_input_gets_a_clear_answer(site):
    for email, password in (("", ""), ("x" * 5000, "y" * 5000), ("<script>@x.y", "😀" * 20),
                            ("' OR 1=1 --", "' OR 1=1 --")):
        client = site.client()
        response = client.post("/staff/login", data={
            "email": email, "password": password, "csrf": client.csrf("/staff/login")})
        assert response.status_code == 401
        assert "<script>@" not in response.text


# --- CSRF and origin -----------------------------------------------------------------------


def post_without_valid_token(client: StaffClient, other: StaffClient, path: str, case: str):
    data = {"confirm": "yes", "reviewed": "yes", "note": "csrf", "pick": "1"}
    if case == "wrong":
        data["csrf"] = "A" * 43
    elif case == "other session":
        data["csrf"] = other.csrf()
    elif case == "foreign origin":
        data["csrf"] = client.csrf()
        return client.post(path, data=data, headers={"Origin": "http://evil.example"})
    elif case == "cross-site fetch":
        data["csrf"] = client.csrf()
        return client.post(path, data=data, headers={"Sec-Fetch-Site": "cross-site"})
    return client.post(path, data=data)


@pytest.mark.parametrize("case", ["missing", "wrong", "other session", "foreign origin",
                                  "cross-site fetch"])
@pytest.mark.parametrize("path", POSTS)
def test_posts_without_a_valid_csrf_token_are_refused(site, admin, path, case):
    other = site.logged_in("other@clinic.example")
    response = post_without_valid_token(admin, other, path, case)
    assert response.status_code == 403
    assert "Content-Disposition" not in response.headers
    assert admin.get("/staff").status_code == 200  # still logged in
    with session_factory(site.engine)() as db:
        assert db.scalar(select(func.count()).select_from(events)
                         .where(events.c.sender_id == DELETE_ME)) > 0
        assert db.scalar(select(Review.note).where(Review.sender_id == TRIAGE)) != "csrf"
    assert not audit_entries(site, "export_nlu", TRIAGE)


# --- sessions --------------------------------------------------------------------------------


def forged_session(site: StaffSite, email: str, issued: int, seen: int) -> str:
    with session_factory(site.engine)() as db:
        staff = db.scalar(select(StaffUser).where(StaffUser.email == email))
        version = staff.session_version
    session = StaffSession(staff.id, version, issued=issued, seen=seen, nonce="n")
    return session.encode(Keys(site.secret_key).session)


@pytest.mark.parametrize(("issued_ago", "seen_ago", "status"), [
    (60, 10, 200),
    (IDLE_SECONDS + 100, IDLE_SECONDS + 5, 303),
    (ABSOLUTE_SECONDS + 5, 1, 303),
    (ABSOLUTE_SECONDS - 60, 1, 200),
])
def test_sessions_expire_when_idle_and_after_eight_hours(site, issued_ago, seen_ago, status):
    now = int(time.time())
    client = site.client()
    client.cookies.set("staff_session", forged_session(site, ADMIN, now - issued_ago,
                                                       now - seen_ago), path="/staff")
    assert client.get("/staff").status_code == status


def test_activity_slides_the_idle_clock(site):
    now = int(time.time())
    client = site.client()
    client.cookies.set("staff_session", forged_session(site, ADMIN, now - 600, now - 600),
                       path="/staff")
    response = client.get("/staff/audit")
    assert response.status_code == 200
    token = next(c for c in set_cookie_headers(response) if c.startswith("staff_session="))
    renewed = StaffSession.decode(Keys(site.secret_key).session,
                                  token.split(";")[0].split("=", 1)[1], now + 5)
    assert renewed.seen >= now and renewed.issued == now - 600


def test_a_new_password_ends_existing_sessions(site):
    email = "changes-password@clinic.example"
    client = site.logged_in(email)
    assert client.get("/staff").status_code == 200
    with session_factory(site.engine)() as db:
        set_password(db, email, "another long password")
    assert client.get("/staff").status_code == 303


def test_logout_ends_the_session_on_the_server(site):
    email = "logs-out@clinic.example"
    client = site.logged_in(email)
    copied = client.cookies.get("staff_session")
    response = client.post_form("/staff/logout")
    assert response.status_code == 303
    assert response.headers["Location"] == "/staff/login"
    cleared = next(c for c in set_cookie_headers(response) if c.startswith("staff_session="))
    assert cleared.split(";")[0] in ("staff_session=", 'staff_session=""')
    assert "max-age=0" in cleared.lower()
    assert client.get("/staff").status_code == 303
    login_page = client.get("/staff/login")
    assert "You are logged out." in login_page.text
    assert "You are logged out." not in client.get("/staff/login").text  # shown once
    assert audit_entries(site, "logout")
    replay = site.client()
    replay.cookies.set("staff_session", copied, path="/staff")
    assert replay.get("/staff").status_code == 303


def test_staff_pages_send_strict_headers(site, admin):
    for path in ("/staff", "/staff/login", "/staff/export.csv", detail_path(TRIAGE)):
        headers = admin.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert headers["Cache-Control"] == "no-store"
        assert headers["X-Frame-Options"] == "DENY"


# --- list, filters, pages --------------------------------------------------------------------


def test_list_pages_through_all_conversations(admin):
    first = admin.get("/staff")
    assert first.status_code == 200
    total = int(re.search(r"(\d+) conversations, page 1 of (\d+)", first.text).group(1))
    assert total == 129
    page_one = senders_listed(first.text)
    assert len(page_one) == 50
    second = admin.get("/staff?page=2")
    page_two = senders_listed(second.text)
    assert len(page_two) == 50 and not set(page_one) & set(page_two)
    last = admin.get("/staff?page=99")
    assert "page 3 of 3" in last.text and len(senders_listed(last.text)) == 29


@pytest.mark.parametrize(("query", "must_include", "label"), [
    ("outcome=work_hardening", TRIAGE, "Work hardening"),
    ("q=WAREHOUSE", TRIAGE, None),
    ("q=" + quote(XSS_SCRIPT), XSS, None),
    ("flag=urgent", URGENT, "Emergency advice"),
    ("flag=fallback&channel=socketio", XSS, "Fallback / low confidence"),
    ("outcome=urgent_care&flag=urgent", URGENT, "Urgent care"),
    ("flag=self_harm", SELF_HARM, "Self-harm (988)"),
])
def test_filters_select_matching_conversations(admin, query, must_include, label):
    response = admin.get(f"/staff?{query}")
    assert response.status_code == 200
    listed = senders_listed(response.text)
    assert listed and (must_include is None or must_include in listed)
    if label:
        rows = response.text.split("<tbody>")[1].split("</tr>")[:-1]
        assert len(rows) == len(listed) and all(label in row for row in rows)


def test_filter_links_keep_the_filter(admin):
    response = admin.get("/staff?flag=fallback&per_page=5")
    assert 'href="/staff?flag=fallback&amp;per_page=5&amp;page=2"' in response.text
    assert 'href="/staff/export.csv?flag=fallback&amp;per_page=5"' in response.text
    assert 'href="/staff?flag=fallback&amp;per_page=5&amp;sort=started"' in response.text
    assert 'aria-sort="descending"' in response.text
    assert '<option value="fallback" selected>' in response.text


def test_sorting_by_turns(admin):
    def turns(html: str) -> list[int]:
        return [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', html)]

    ascending = turns(admin.get("/staff?sort=turns&per_page=200").text)
    descending = turns(admin.get("/staff?sort=-turns&per_page=200").text)
    assert ascending == sorted(ascending) and descending == sorted(ascending, reverse=True)


@pytest.mark.parametrize("query", [
    "page=abc", "from=not-a-date&to=2024-13-45", "outcome=%3Cscript%3E", "sort=drop+table",
    "q=" + "x" * 5000, "q=%F0%9F%98%80", "per_page=-4", "reviewed=maybe", "q=%25_%5C",
    "language=%3Cscript%3E", "language=ES",
])
def test_bad_filter_values_still_show_a_list(admin, query):
    response = admin.get(f"/staff?{query}")
    assert response.status_code == 200
    assert "conversation" in response.text
    assert "<script>" not in response.text


def test_search_text_is_escaped_in_the_form(admin):
    response = admin.get("/staff?q=" + quote('"><script>alert(1)</script>'))
    assert 'value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in response.text


def test_empty_filter_fields_are_dropped_from_the_address(admin):
    response = admin.get("/staff?q=&from=&outcome=work_hardening&flag=&language=&sort=turns")
    assert response.status_code == 303
    assert response.headers["Location"] == "/staff?outcome=work_hardening&sort=turns"


# --- detail, review, audit -------------------------------------------------------------------


def test_detail_shows_transcript_intents_outcome_and_reasons(site, admin):
    response = admin.get(detail_path(TRIAGE))
    assert response.status_code == 200
    html = response.text
    assert "I hurt my back lifting boxes at the warehouse 3 months ago" in html
    assert "Understood as: Told of injury or job (93% sure)" in html
    assert 'class="badge outcome-work_hardening">Work hardening<' in html
    decision = decide(TriageRecord.from_slots(TRIAGE_ANSWERS), load_rules(TRIAGE_RULES))
    assert decision.outcome == "work_hardening" and decision.reasons
    for reason in decision.reasons:
        assert f"<li>{escape(reason)}</li>" in html
    for question, answer in (("How heavy the job is", "Heavy (50 to 100 lb)"),
                             ("Time since injury", "about 3 months (12 weeks)"),
                             ("Emergency warning signs now", "No"),
                             ("Outcome", "Work hardening")):
        assert f'<th scope="row">{question}</th><td>{answer}</td>' in html
    assert "clinic_phone" not in html and "job_demand_level" not in html
    assert f"<h1>Conversation of {clinic_time(started(TRIAGE, site))}</h1>" in html
    assert "UTC" not in html
    entries = audit_entries(site, "view_conversation", TRIAGE)
    assert entries and entries[-1].staff_email == ADMIN


def test_low_confidence_messages_are_highlighted_and_prechecked(admin):
    html = admin.get(detail_path(XSS)).text
    assert html.count('class="turn patient low"') == 2
    assert re.search(r'name="pick" value="\d+" checked', html)


def test_odd_sender_ids_work_in_links(admin):
    listed = admin.get("/staff?q=" + quote("how long does work hardening")).text
    assert detail_path(ODD) in listed
    assert admin.get(detail_path(ODD)).status_code == 200


@pytest.mark.parametrize("sender", ["no-such-conversation", "x" * 300, "%00", "..%2F..%2Fetc"])
def test_unknown_conversation_is_not_found(admin, sender):
    assert admin.get(f"/staff/conversations/{sender}").status_code == 404


def test_markup_in_transcripts_is_inert(admin):
    html = admin.get(detail_path(XSS)).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script>alert" not in html and "<img src=x" not in html


# --- what an intake coordinator reads: clinic time, words, previews --------------------------


def test_the_list_shows_clinic_times_channel_names_and_a_preview(site, admin):
    html = admin.get("/staff?per_page=200").text
    assert "UTC" not in html and '<th scope="col">First message</th>' in html
    triage = row_of(html, TRIAGE)
    assert clinic_time(started(TRIAGE, site)) in triage
    assert "I hurt my back lifting boxes at the warehouse 3 months ago" in triage
    assert "Website chat" in triage and "socketio" not in triage
    widget = row_of(html, WIDGET)
    assert WIDGET_QUESTION in widget  # what the patient typed, not the button or "/greet"
    assert "/greet" not in widget and "difference" not in widget
    assert '<td class="num">2</td>' in widget  # the widget's greeting is no patient message
    markup = row_of(html, XSS)
    assert escape(XSS_SCRIPT) in markup and XSS_SCRIPT not in markup


def test_the_transcript_shows_the_chat_opening_choices_and_the_answers_own_confidence(admin):
    html = admin.get(detail_path(WIDGET)).text
    assert "/greet" not in html
    assert html.count('class="turn event"') == 1 and "Chat opened" in html
    assert ('<p class="text choice">Chose: <span lang="en">What&#39;s the difference?</span>'
            '</p>') in html
    # the intent `faq` had 1.0; the answer selector was 0.997 sure of each answer
    assert "Understood as: How are they different? (99% sure)" in html
    assert "Understood as: Do I need a referral? (99% sure)" in html
    assert "100%" not in html
    sms = admin.get(detail_path(ODD)).text  # "1" texted for the first option shown
    assert '<p class="text choice">Chose: <span lang="en">Yes</span></p>' in sms
    assert 'typed “<span lang="en">1</span>”' in sms


def test_exports_give_clinic_times_with_their_offset_and_keep_the_codes(site, admin):
    [record] = json.loads(admin.get("/staff/export.json?q=" + TRIAGE).text)
    [line] = csv.DictReader(io.StringIO(admin.get("/staff/export.csv?q=" + TRIAGE).text))
    at = dt.datetime.fromisoformat(record["started_at"])
    assert at == started(TRIAGE, site).replace(microsecond=0)
    assert at.utcoffset() == started(TRIAGE, site).astimezone(ZONE).utcoffset() != dt.timedelta(0)
    assert line["started_at"] == record["started_at"]
    assert (line["channel"], line["outcome"]) == ("socketio", "work_hardening")


def test_days_and_times_are_the_clinics_wherever_it_is(tmp_path):
    clinic = yaml.safe_load((ROOT / "clinic.yml").read_text(encoding="utf-8"))
    clinic["timezone"] = "Asia/Kolkata"  # UTC+5:30 all year
    (tmp_path / "clinic.yml").write_text(yaml.safe_dump(clinic), encoding="utf-8")
    late = dt.datetime(2025, 3, 13, 19, 0, tzinfo=dt.UTC)  # Mar 14, 12:30 am in India
    database_url = f"sqlite:///{tmp_path / 'staff.db'}"
    migrate(database_url)
    engine = make_engine(database_url)
    store(engine, faq(talk("rest:night-owl", ago=dt.timedelta(0), now=late), "how long?",
                      "duration"))
    engine.dispose()
    with staff_site(tmp_path, database_url, BOT_CLINIC_FILE=str(tmp_path / "clinic.yml")) as site:
        client = site.logged_in(ADMIN)
        on_14th = client.get("/staff?from=2025-03-14&to=2025-03-14").text
        assert senders_listed(on_14th) == ["rest:night-owl"]
        assert "Mar 14, 2025, 12:30 am IST" in on_14th
        assert senders_listed(client.get("/staff?from=2025-03-13&to=2025-03-13").text) == []
        page = client.get(detail_path("rest:night-owl")).text
        assert "<h1>Conversation of Mar 14, 2025, 12:30 am IST</h1>" in page
        overview = client.get("/staff/overview?from=2025-03-13&to=2025-03-14").text
        assert '<tr><th scope="row">2025-03-13</th><td>0</td></tr>' in overview
        assert '<tr><th scope="row">2025-03-14</th><td>1</td></tr>' in overview
        assert '<tr><th scope="row">How long does it last?</th><td>1</td></tr>' in overview
        [record] = json.loads(client.get("/staff/export.json").text)
        assert record["started_at"] == "2025-03-14T00:30:00+05:30"
        audit = client.get("/staff/audit").text
        assert "IST" in audit and "UTC" not in audit


def test_review_note_and_tags_round_trip(site, admin):
    path = detail_path(TRIAGE)
    response = admin.post_form(path + "/review", {
        "reviewed": "yes", "note": "Called back <b>Tuesday</b>", "tags": "Follow-up, callback, "},
        token_page=path)
    assert response.status_code == 303 and response.headers["Location"] == path
    page = admin.get(path).text
    assert "Review saved." in page
    assert "Called back &lt;b&gt;Tuesday&lt;/b&gt;</textarea>" in page
    assert 'value="callback, follow-up"' in page
    assert "by " + ADMIN in page
    assert "Review saved." not in admin.get(path).text
    reviewed = admin.get("/staff?reviewed=yes").text
    assert senders_listed(reviewed) == [TRIAGE]
    assert TRIAGE not in senders_listed(admin.get("/staff?reviewed=no&per_page=200").text)
    assert audit_entries(site, "review", TRIAGE)[-1].detail == "reviewed"


def test_reviewing_an_unknown_conversation_is_not_found(admin):
    response = admin.post_form(detail_path("no-such-conversation") + "/review",
                               {"reviewed": "yes"})
    assert response.status_code == 404


def test_too_many_tags_get_a_clear_answer(admin):
    path = detail_path(URGENT)
    response = admin.post_form(path + "/review", {"tags": ",".join(f"t{i}" for i in range(30))},
                               token_page=path)
    assert response.status_code == 400
    assert "tags" in response.text.lower()


def test_audit_page_lists_what_staff_did(admin):
    admin.get(detail_path(URGENT))
    html = admin.get("/staff/audit").text
    assert "view_conversation" in html and URGENT in html and ADMIN in html


# --- languages -------------------------------------------------------------------------------


def test_the_language_filter_lists_the_spanish_conversations_and_labels_them(admin):
    response = admin.get("/staff?language=es")
    assert response.status_code == 200
    html = response.text
    assert sorted(senders_listed(html)) == sorted([SPANISH, SWITCHED])
    assert '<option value="es" selected>Spanish</option>' in html
    assert '<th scope="col">Language</th>' in html
    assert '<td class="language">Spanish</td>' in row_of(html, SPANISH)
    assert '<td class="language">Spanish (switched from English)</td>' in row_of(html, SWITCHED)
    english = senders_listed(admin.get("/staff?language=en&per_page=200").text)
    assert len(english) == 127 and not {SPANISH, SWITCHED} & set(english)


@pytest.mark.parametrize(("query", "expected"), [
    ("language=es&channel=socketio", [SPANISH]),
    ("language=es&channel=twilio", [SWITCHED]),
    ("language=es&q=" + quote("¿CUÁNTO"), [SPANISH]),
    ("language=es&q=" + quote("<B>GRACIAS"), [SPANISH]),
    ("language=en&q=" + quote("<b>gracias"), []),
    ("language=es&q=" + quote("how long does work hardening"), [SWITCHED]),
    ("language=es&flag=urgent", []),
    (f"language=en&flag=urgent&q={URGENT}", [URGENT]),
    (f"language=es&flag=urgent&q={URGENT}", []),
    ("language=es&reviewed=no&outcome=none", [SPANISH, SWITCHED]),
])
def test_the_language_filter_combines_with_the_others(admin, query, expected):
    response = admin.get(f"/staff?{query}")
    assert response.status_code == 200
    assert sorted(senders_listed(response.text)) == sorted(expected)


def test_the_language_filter_is_kept_in_page_sort_and_export_links(admin):
    html = admin.get("/staff?language=es&per_page=1").text
    assert "2 conversations, page 1 of 2" in html
    assert 'href="/staff?language=es&amp;per_page=1&amp;page=2"' in html
    assert 'href="/staff?language=es&amp;per_page=1&amp;sort=started"' in html
    assert 'href="/staff/export.csv?language=es&amp;per_page=1"' in html
    assert 'href="/staff/export.json?language=es&amp;per_page=1"' in html
    second = admin.get("/staff?language=es&per_page=1&page=2").text
    assert len(senders_listed(second)) == 1 and '<option value="es" selected>' in second


def test_the_list_marks_each_preview_with_its_language(admin):
    html = admin.get("/staff?per_page=200").text
    assert f'<span lang="es">{escape(SPANISH_QUESTION)}</span>' in row_of(html, SPANISH)
    assert SPANISH_QUESTION not in html  # the patient's markup stays text
    assert '<span lang="en">how long does work hardening take?</span>' in row_of(html, SWITCHED)
    assert '<td class="language">English</td>' in row_of(html, TRIAGE)


def test_a_spanish_transcript_is_marked_spanish_and_shown_as_written(admin):
    html = admin.get(detail_path(SPANISH)).text
    assert "<dt>Language</dt><dd>Spanish</dd>" in html
    assert f'<p class="text" lang="es">{escape(SPANISH_QUESTION)}</p>' in html
    assert '<p class="text" lang="es">El programa dura de 4 a 8 semanas.</p>' in html
    assert '<p class="text" lang="es">gracias</p>' in html
    assert f'lang="es">{escape(SPANISH_QUESTION)}</label>' in html  # the training data form
    assert SPANISH_QUESTION not in html and "<b>gracias" not in html
    assert html.count('class="turn event"') == 1  # the chat opening, before any Spanish
    assert '<html lang="en">' in html  # the page itself is the staff's


def test_a_switched_transcript_marks_each_message_with_its_own_language(admin):
    html = admin.get(detail_path(SWITCHED)).text
    assert "<dt>Language</dt><dd>Spanish (switched from English)</dd>" in html
    assert '<p class="text" lang="en">how long does work hardening take?</p>' in html
    assert f'<p class="text" lang="es">{escape(SWITCHED_QUESTION)}</p>' in html
    assert '<p class="text" lang="es">Claro, seguimos en español.</p>' in html


def test_an_english_transcript_has_no_spanish_marks(admin):
    html = admin.get(detail_path(TRIAGE)).text
    assert "<dt>Language</dt><dd>English</dd>" in html
    assert 'lang="es"' not in html
    assert ('<p class="text" lang="en">I hurt my back lifting boxes at the warehouse 3 months'
            ' ago</p>') in html


def test_exports_carry_the_language_and_keep_its_filter(site, admin):
    rows = list(csv.DictReader(io.StringIO(admin.get("/staff/export.csv?language=es").text)))
    assert sorted((r["sender_id"], r["language"], r["previous_language"]) for r in rows) == sorted(
        [(SPANISH, "es", ""), (SWITCHED, "es", "en")])
    assert audit_entries(site, "export_csv")[-1].detail == "language=es"
    records = json.loads(admin.get("/staff/export.json?language=en").text)
    assert len(records) == 127
    assert {(r["language"], r["previous_language"]) for r in records} == {("en", None)}
    reviewer = site.logged_in("language-reviewer@clinic.example")
    assert reviewer.get("/staff/export.csv?language=es").status_code == 200  # a filter
    assert reviewer.get("/staff/export.csv").status_code == 403


def test_the_overview_counts_conversations_per_language(admin):
    html = admin.get("/staff/overview").text
    spanish = re.search(r'<th scope="row"><a href="(/staff\?from=[\d-]+&amp;to=[\d-]+'
                        r'&amp;language=es)">Spanish</a></th><td class="num">(\d+)</td>', html)
    assert spanish and spanish.group(2) == "2"
    assert re.search(r'>English</a></th><td class="num">[1-9]\d*</td>', html)
    listed = admin.get(spanish.group(1).replace("&amp;", "&")).text
    assert sorted(senders_listed(listed)) == sorted([SPANISH, SWITCHED])


# --- exports ---------------------------------------------------------------------------------


def test_csv_export_of_the_filtered_list(site, admin):
    response = admin.get("/staff/export.csv?flag=urgent")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    disposition = response.headers["Content-Disposition"]
    assert re.fullmatch(r'attachment; filename="conversations-\d{4}-\d{2}-\d{2}\.csv"',
                        disposition)
    rows = list(csv.DictReader(io.StringIO(response.text)))
    listed = senders_listed(admin.get("/staff?flag=urgent&per_page=200").text)
    assert sorted(row["sender_id"] for row in rows) == sorted(listed)
    assert all("urgent" in row["flags"] for row in rows)
    assert audit_entries(site, "export_csv")[-1].detail == "flag=urgent"
    assert admin.get("/staff/export.csv?q=%2B15551230000&flag=urgent").status_code == 200
    detail = audit_entries(site, "export_csv")[-1].detail
    assert "5551230000" not in detail and parse_qs(detail) == {"flag": ["urgent"], "q": ["…"]}


def test_json_export_of_all_conversations(site, admin):
    response = admin.get("/staff/export.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith('.json"')
    records = json.loads(response.text)
    assert len(records) == 129
    triage = next(r for r in records if r["sender_id"] == TRIAGE)
    assert triage["outcome"] == "work_hardening" and triage["channel"] == "socketio"
    assert audit_entries(site, "export_json")


def test_nlu_export_of_corrected_messages(site, admin):
    path = detail_path(XSS)
    html = admin.get(path).text
    event_ids = re.findall(r'name="pick" value="(\d+)"', html)
    assert len(event_ids) == 2
    response = admin.post_form(path + "/nlu.yml", {
        "pick": event_ids, f"intent-{event_ids[0]}": "out_of_scope",
        f"intent-{event_ids[1]}": "faq/duration"}, token_page=path)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="nlu-examples.yml"'
    data = yaml.safe_load(response.text)
    assert data["version"] == "3.1"
    examples = {block["intent"]: block["examples"] for block in data["nlu"]}
    assert set(examples) == {"out_of_scope", "faq/duration"}
    assert "alert(1)" in examples["out_of_scope"]
    assert audit_entries(site, "export_nlu", XSS)[-1].detail == "2 examples"


def test_nlu_export_refuses_unknown_intents_and_empty_choices(admin):
    path = detail_path(XSS)
    event_id = re.findall(r'name="pick" value="(\d+)"', admin.get(path).text)[0]
    for form in ({"pick": event_id, f"intent-{event_id}": "made_up"}, {"pick": "999999"}, {}):
        response = admin.post_form(path + "/nlu.yml", form, token_page=path)
        assert response.status_code == 303
        assert response.headers["Location"] == path + "#training"
    assert "Tick at least one message" in admin.get(path).text


def test_nlu_choices_come_from_the_domain_and_faq_keys(admin):
    html = admin.get(detail_path(TRIAGE)).text
    options = set(re.findall(r'<option value="([a-z_/]+)"', html.split('id="training"')[1]))
    assert {"greet", "request_human", "faq/duration", "faq/difference"} <= options
    assert "faq" not in options and "nlu_fallback" not in options


# --- deletion --------------------------------------------------------------------------------


def test_deleting_a_conversation_needs_confirmation(site, admin):
    path = detail_path(DELETE_ME)
    confirm = admin.get(path + "/delete")
    assert confirm.status_code == 200 and "This cannot be undone" in confirm.text
    assert f"started on {clinic_time(started(DELETE_ME, site))}" in confirm.text
    unconfirmed = admin.post_form(path + "/delete", token_page=path)
    assert unconfirmed.status_code == 303 and unconfirmed.headers["Location"] == path + "/delete"
    assert admin.get(path).status_code == 200
    response = admin.post_form(path + "/delete", {"confirm": "yes"}, token_page=path)
    assert response.status_code == 303 and response.headers["Location"] == "/staff"
    assert "The conversation was deleted." in admin.get("/staff").text
    assert admin.get(path).status_code == 404
    with session_factory(site.engine)() as db:
        assert db.scalar(select(func.count()).select_from(events)
                         .where(events.c.sender_id == DELETE_ME)) == 0
    key = Settings.from_env({"BOT_SECRET_KEY": site.secret_key}).audit_key
    assert audit_entries(site, "delete_conversation", deleted_reference(DELETE_ME, key))
    assert audit_entries(site, "delete_conversation", DELETE_ME) == []  # no id kept
    again = admin.post_form(path + "/delete", {"confirm": "yes"})
    assert again.status_code == 303
    assert "no longer exists" in admin.get("/staff").text


# --- overview ----------------------------------------------------------------------------------


def test_overview_charts_have_names_and_numbers(admin):
    html = admin.get("/staff/overview").text
    for chart in ("per-day", "outcomes", "topics", "urgent", "fallback"):
        assert f'aria-labelledby="{chart}-title" aria-describedby="{chart}-desc"' in html
    assert html.count('<div class="visually-hidden">') == 4
    today = dt.datetime.now(ZONE).date()  # the clinic's day, not UTC's
    assert f'value="{today - dt.timedelta(days=29)}"' in html and f'value="{today}"' in html
    assert re.search(r'<th scope="row">Urgent care</th><td>[1-9]\d*</td>', html)


@pytest.mark.parametrize("query", ["from=2024-02-01&to=2024-01-01", "from=junk",
                                   "from=1900-01-01&to=2100-01-01"])
def test_overview_takes_any_date_range(admin, query):
    response = admin.get(f"/staff/overview?{query}")
    assert response.status_code == 200
    days = re.findall(r"<tr><th scope=\"row\">(\d{4}-\d{2}-\d{2})</th>", response.text)
    assert 0 < len(days) // 2 <= 731


# --- logs and a database that is not ready -------------------------------------------------


def test_server_log_has_no_message_text(site, admin):
    admin.get(detail_path(XSS))
    admin.get("/staff?q=warehouse")
    admin.get("/staff/export.csv?q=chest")
    log = site.log_text()
    for text in ("alert(1)", "warehouse", "chest pain", "Tuesday", PASSWORD):
        assert text not in log


def test_website_runs_before_the_database_is_set_up(tmp_path: Path):
    with staff_site(tmp_path, migrated=False) as site:
        client = site.client()
        assert client.get("/healthz").status_code == 200
        assert client.get("/staff/login").status_code == 200
        response = client.login(ADMIN)
        assert response.status_code == 503
        assert "not set up yet" in response.text
        assert response.headers["Cache-Control"] == "no-store"
        assert "Traceback" not in response.text and "sqlite" not in response.text.lower()
        assert site.process.poll() is None


def test_before_rasa_stored_anything_the_list_is_empty(tmp_path: Path):
    with staff_site(tmp_path) as site:
        client = site.logged_in(ADMIN)
        response = client.get("/staff")
        assert response.status_code == 200
        assert "0 conversations" in response.text
        assert client.get("/staff/overview").status_code == 200
        assert client.get("/staff/export.csv").text.startswith("sender_id,")



def test_log_ins_from_one_address_are_limited_with_a_clear_429(tmp_path):
    with staff_site(tmp_path, BOT_LOGIN_RATE_PER_ADDRESS="3") as limited:
        limited.add_staff("nurse@clinic.example")
        statuses = [limited.client().login("nurse@clinic.example", "wrong password!!")
                    for _ in range(4)]
        assert [r.status_code for r in statuses] == [401, 401, 401, 429]
        assert 0 < int(statuses[-1].headers["Retry-After"]) <= 60
        assert "Too many log-in attempts" in statuses[-1].text
        right = limited.client().login("nurse@clinic.example")
        assert right.status_code == 429  # counted per address, whatever the password
        with session_factory(limited.engine)() as db:
            failures = db.scalar(select(func.count()).select_from(AuditLog).where(
                AuditLog.action == "login_failed"))
        assert failures == 3  # refused before any work: no Argon2, no audit entry


def test_the_forwarded_address_counts_only_behind_a_trusted_proxy(tmp_path):
    def attempts(site: StaffSite, forwarded: str) -> list[int]:
        """Two wrong passwords, each for its own account (an account locks on its own)."""
        client = site.client()
        client.headers["X-Forwarded-For"] = forwarded
        return [client.login(f"nobody-{uuid.uuid4().hex[:8]}@clinic.example",
                             "wrong password!!").status_code for _ in range(2)]

    with staff_site(tmp_path / "direct", BOT_LOGIN_RATE_PER_ADDRESS="2") as direct:
        assert attempts(direct, "198.51.100.1") == [401, 401]
        assert attempts(direct, "198.51.100.2") == [429, 429]  # anyone can write the header
    with staff_site(tmp_path / "proxied", BOT_LOGIN_RATE_PER_ADDRESS="2",
                    BOT_TRUSTED_PROXIES="1") as proxied:
        assert attempts(proxied, "198.51.100.1") == [401, 401]
        assert attempts(proxied, "198.51.100.2") == [401, 401]  # two people behind nginx
        assert attempts(proxied, "198.51.100.1") == [429, 429]
        assert attempts(proxied, "203.0.113.5, 198.51.100.1") == [429, 429]  # nginx appends
        assert attempts(proxied, "2001:db8:7:7::1") == [401, 401]
        assert attempts(proxied, "2001:db8:7:7::2") == [429, 429]  # same IPv6 /64


def test_a_flood_of_log_ins_does_not_stall_the_public_site(site):
    """Argon2 runs in worker threads: the event loop keeps serving the site meanwhile."""
    clients = [site.client() for _ in range(8)]
    forms = [{"email": f"nobody-{n}@clinic.example", "password": "wrong password!!",
              "csrf": client.csrf("/staff/login"), "next": "/staff"}
             for n, client in enumerate(clients)]
    done: dict[str, float] = {}

    def log_in(n: int) -> None:
        assert clients[n].post("/staff/login", data=forms[n]).status_code == 401
        done[f"login {n}"] = time.monotonic()

    threads = [threading.Thread(target=log_in, args=(n,)) for n in range(len(clients))]
    for thread in threads:
        thread.start()
    time.sleep(0.05)
    assert requests.get(f"{site.url}/healthz", timeout=30).ok
    done["site"] = time.monotonic()
    for thread in threads:
        thread.join()
    assert done["site"] < max(done[key] for key in done if key.startswith("login"))


def test_hammering_a_locked_email_adds_nothing_to_the_audit_log(site):
    email = "hammered@clinic.example"
    site.add_staff(email)
    for _ in range(5):
        site.client().login(email, "wrong password!!")
    with session_factory(site.engine)() as db:
        before = db.scalar(select(func.count()).select_from(AuditLog).where(
            AuditLog.staff_email == email))
    assert [site.client().login(email).status_code for _ in range(10)] == [429] * 10
    with session_factory(site.engine)() as db:
        after = db.scalar(select(func.count()).select_from(AuditLog).where(
            AuditLog.staff_email == email))
    assert before == 5 and after == before


# --- roles and disabled accounts ------------------------------------------------------------


def test_a_reviewer_reads_reviews_and_exports_filtered_but_cannot_delete_or_audit(site):
    site.add_staff("reviewer@clinic.example")  # not the first account: a reviewer
    reviewer = site.logged_in("reviewer@clinic.example")
    listing = reviewer.get("/staff")
    assert listing.status_code == 200 and "(reviewer)" in listing.text
    assert 'href="/staff/audit"' not in listing.text
    assert "filter the list first" in listing.text
    detail = reviewer.get(detail_path(TRIAGE))
    assert detail.status_code == 200 and "ask an admin to delete it" in detail.text
    for path in ("/staff/audit", "/staff/audit/", detail_path(TRIAGE) + "/delete",
                 detail_path(TRIAGE) + "/delete/", "/staff/export.csv", "/staff/export.csv/",
                 "/staff/export.json?sort=oldest"):
        refused = reviewer.get(path)
        assert refused.status_code == 403 and "Only an admin" in refused.text, path
    refused = reviewer.post_form(detail_path(TRIAGE) + "/delete", {"confirm": "yes"},
                                 token_page=detail_path(TRIAGE))
    assert refused.status_code == 403
    assert reviewer.get(detail_path(TRIAGE)).status_code == 200  # still there
    filtered = reviewer.get("/staff/export.csv?from=2000-01-01")
    assert filtered.status_code == 200 and filtered.text.startswith("sender_id")


def test_a_disabled_account_is_logged_out_and_cannot_log_in(site):
    email = "leaver@clinic.example"
    site.add_staff(email)
    leaver = site.logged_in(email)
    assert leaver.get("/staff").status_code == 200
    with session_factory(site.engine)() as db:
        set_disabled(db, email, True, dt.datetime.now(dt.UTC))
    assert leaver.get("/staff", allow_redirects=False).status_code == 303  # session ended
    again = site.client().login(email)
    assert again.status_code == 401 and "not right" in again.text


def test_retention_runs_inside_the_service_without_cron(tmp_path):
    database_url = f"sqlite:///{tmp_path / 'staff.db'}"
    migrate(database_url)
    engine = make_engine(database_url)
    store(engine, faq(talk("rest:long-ago", ago=dt.timedelta(days=40)), "how long", "duration"),
          faq(talk("rest:lately", ago=dt.timedelta(days=2),
                   now=dt.datetime.now(dt.UTC)), "how long", "duration"))
    engine.dispose()
    with staff_site(tmp_path, database_url, BOT_RETENTION_DAYS="30") as site:
        deadline = time.monotonic() + 30
        while not audit_entries(site, "retention") and time.monotonic() < deadline:
            time.sleep(0.2)
        with session_factory(site.engine)() as db:
            left = set(db.scalars(select(events.c.sender_id).distinct()))
        [entry] = audit_entries(site, "retention")
    assert left == {"rest:lately"}
    assert entry.staff_email == "service" and entry.detail.startswith("1 conversations")
    assert "Retention: deleted 1 conversations older than 30 days" in site.log.read_text()


def test_a_second_website_leaves_the_background_work_to_the_first(tmp_path):
    database_url = f"sqlite:///{tmp_path / 'staff.db'}"
    migrate(database_url)
    engine = make_engine(database_url)
    store(engine, faq(talk("rest:long-ago", ago=dt.timedelta(days=40)), "how long", "duration"))
    engine.dispose()
    with staff_site(tmp_path, database_url, BOT_RETENTION_DAYS="30",
                    BOT_BACKGROUND_WORK="off") as site:
        time.sleep(3)  # the first website deletes within a second of starting (above)
        with session_factory(site.engine)() as db:
            left = set(db.scalars(select(events.c.sender_id).distinct()))
        assert left == {"rest:long-ago"} and not audit_entries(site, "retention")
    assert "Retention" not in site.log.read_text()
