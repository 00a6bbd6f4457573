"""The call-back queue through the real website process: list, status, assignment, counts."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterator

import pytest
from staff_fixtures import call_back, store, talk
from staff_web_fixtures import ADMIN, StaffClient, StaffSite, staff_site

NOW = dt.datetime.now(dt.UTC)
NURSE = "nurse@clinic.example"
SNEAKY = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaffSite]:
    with staff_site(tmp_path_factory.mktemp("staff-callbacks")) as site:
        store(site.engine,
              call_back(talk("web-early", dt.timedelta(hours=2), "socketio", NOW),
                        time="mornings", name="Rosa"),
              call_back(talk("web-late", dt.timedelta(hours=1), "socketio", NOW),
                        phone="+525512345678", time=None, name=SNEAKY))
        site.add_staff(NURSE)
        yield site


@pytest.fixture(scope="module")
def admin(site: StaffSite) -> StaffClient:
    return site.logged_in(ADMIN)


def test_the_queue_needs_a_login(site):
    answer = site.client().get("/staff/callbacks")
    assert answer.status_code == 303 and answer.headers["Location"].startswith("/staff/login")
    assert site.client().post("/staff/callbacks/1/status", data={"status": "done"}
                              ).status_code in (401, 403)


def test_open_requests_show_oldest_first_with_readable_numbers(admin):
    page = admin.get("/staff/callbacks").text
    assert page.index("(555) 201-3344") < page.index("+52 55 1234 5678")
    assert 'href="tel:+15552013344"' in page and "mornings" in page and "Rosa" in page
    assert SNEAKY not in page and html.escape(SNEAKY) in page
    assert 'href="/staff/conversations/web-early"' in page
    assert "New: 2" in page


def test_a_status_change_is_saved_with_who_and_when(admin):
    page = admin.get("/staff/callbacks").text
    request_id = page.split('action="/staff/callbacks/')[1].split("/")[0]
    answer = admin.post_form(f"/staff/callbacks/{request_id}/status", {"status": "no_answer"},
                             token_page="/staff/callbacks")
    assert answer.status_code == 303
    page = admin.get("/staff/callbacks").text
    assert "Call-back saved." in page and f"No answer · {ADMIN}" in page
    assert "No answer: 1" in admin.get("/staff/overview").text


def test_assigning_to_a_staff_member(admin, site):
    page = admin.get("/staff/callbacks").text
    request_id = page.split('action="/staff/callbacks/')[1].split("/")[0]
    nurse_id = page.split(f">{NURSE}<")[0].rsplit('value="', 1)[1].split('"')[0]
    answer = admin.post_form(f"/staff/callbacks/{request_id}/assign", {"staff": nurse_id},
                             token_page="/staff/callbacks")
    assert answer.status_code == 303
    assert f'<option value="{nurse_id}" selected>{NURSE}</option>' in admin.get(
        "/staff/callbacks").text
    refused = admin.post_form(f"/staff/callbacks/{request_id}/status", {"status": "lost"},
                              token_page="/staff/callbacks")
    assert refused.status_code == 400


def test_done_requests_leave_the_open_list(admin):
    page = admin.get("/staff/callbacks").text
    for request_id in {part.split("/")[0] for part in page.split('action="/staff/callbacks/')[1:]}:
        admin.post_form(f"/staff/callbacks/{request_id}/status", {"status": "done"},
                        token_page="/staff/callbacks")
    assert "No call-back requests waiting." in admin.get("/staff/callbacks").text
    assert "(555) 201-3344" in admin.get("/staff/callbacks?all=1").text


def test_left_a_number_filters_the_list_and_fills_the_csv(admin):
    listed = admin.get("/staff?flag=left_number").text
    assert "web-early" in listed and "web-late" in listed
    csv = admin.get("/staff/export.csv?flag=left_number").text
    assert "callback_phone" in csv.splitlines()[0] and "mornings" in csv
