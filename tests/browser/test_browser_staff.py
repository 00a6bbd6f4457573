"""The staff dashboard in a real browser (Chromium), as a clinic employee uses it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Page, expect
from running_bot import bot_command
from staff_web_fixtures import (
    ADMIN,
    PASSWORD,
    TRIAGE,
    WIDGET_QUESTION,
    XSS,
    XSS_IMG,
    XSS_SCRIPT,
    StaffSite,
    seed_examples,
    staff_site,
)
from website_chat import reach_work_hardening, session_id, start_chat

from bot.core.clinic import load_clinic
from bot.settings import ROOT

NOW = dt.datetime.now(dt.UTC)
ZONE = load_clinic(ROOT / "clinic.yml").opening_hours.zone
CLINIC_TIME = re.compile(r"[A-Z][a-z]{2} \d{1,2}(, \d{4})?, \d{1,2}:\d{2} [ap]m C[SD]T")
"""A time as the pages show it in the clinic's zone (America/Chicago): "Dec 1, 2:05 pm CST"."""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaffSite]:
    with staff_site(tmp_path_factory.mktemp("staff-browser")) as site:
        seed_examples(site, NOW, random_conversations=80)
        yield site


def log_in(page: Page, base_url: str, email: str = ADMIN, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/staff")
    expect(page).to_have_url(f"{base_url}/staff/login?next=%2Fstaff")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Conversations")).to_be_visible()


def assert_clean(page_log) -> None:
    assert page_log.console_errors == []  # CSP violations would show up here
    assert page_log.page_errors == []
    assert page_log.external_requests == []


def test_review_flow(site, page, page_log):
    log_in(page, site.url)
    page.get_by_label("Outcome").select_option("work_hardening")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(f"{site.url}/staff?outcome=work_hardening")
    outcomes = page.locator("table.conversations tbody tr td:nth-child(6)")
    assert outcomes.count() >= 1
    for text in outcomes.all_inner_texts():
        assert text.strip() == "Work hardening"

    page.get_by_label("Outcome").select_option("")
    page.get_by_label("Search text").fill("boxes at the warehouse 3 months")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("table.conversations tbody tr")).to_have_count(1)
    page.locator("table.conversations tbody a").click()

    expect(page.get_by_role("heading", name="Triage outcome")).to_be_visible()
    expect(page.locator(".triage .outcome")).to_have_text("Work hardening")
    expect(page.locator(".triage .reasons li").first).to_be_visible()
    expect(page.locator(".transcript").get_by_text("I hurt my back lifting boxes")).to_be_visible()

    page.get_by_label("Reviewed").check()
    page.get_by_label("Tags").fill("follow-up")
    page.get_by_label("Staff note").fill("Phoned the patient; booked an evaluation.")
    page.get_by_role("button", name="Save review").click()
    expect(page.get_by_role("status")).to_have_text("Review saved.")
    expect(page.get_by_label("Staff note")).to_have_value(
        "Phoned the patient; booked an evaluation.")

    page.get_by_role("link", name="Conversations", exact=True).click()
    page.get_by_label("Review").select_option("yes")
    page.get_by_role("button", name="Filter").click()
    rows = page.locator("table.conversations tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Reviewed")
    expect(rows.first).to_contain_text("follow-up")
    assert_clean(page_log)


def test_sorting_and_paging_links(site, page, page_log):
    log_in(page, site.url)
    expect(page.get_by_text("87 conversations, page 1 of 2.")).to_be_visible()
    page.get_by_role("link", name="Turns").click()
    expect(page.locator("th[aria-sort=ascending]")).to_contain_text("Turns")
    page.get_by_role("link", name="Next").click()
    assert "sort=turns" in page.url and "page=2" in page.url
    expect(page.get_by_text("87 conversations, page 2 of 2.")).to_be_visible()
    assert_clean(page_log)


def test_csv_export_downloads_the_filtered_list(site, page, page_log):
    log_in(page, site.url)
    page.goto(f"{site.url}/staff?flag=urgent")
    listed = page.locator("table.conversations tbody tr").count()
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV").click()
    download = info.value
    assert download.suggested_filename == f"conversations-{dt.datetime.now(ZONE):%Y-%m-%d}.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text())))
    assert len(rows) == listed >= 1
    assert all("urgent" in row["flags"] for row in rows)
    assert_clean(page_log)


def test_nlu_yaml_export_from_a_transcript(site, page, page_log):
    log_in(page, site.url)
    page.goto(f"{site.url}/staff/conversations/{XSS}")
    selects = page.locator(".training select")
    expect(selects).to_have_count(2)
    expect(page.locator(".training input[type=checkbox]:checked")).to_have_count(2)
    selects.nth(0).select_option("out_of_scope")
    selects.nth(1).select_option("faq/duration")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download NLU YAML").click()
    download = info.value
    assert download.suggested_filename == "nlu-examples.yml"
    nlu = yaml.safe_load(Path(download.path()).read_text())["nlu"]
    assert {block["intent"] for block in nlu} == {"out_of_scope", "faq/duration"}
    assert_clean(page_log)


def test_markup_typed_by_a_patient_stays_text(site, page, page_log):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    log_in(page, site.url)
    page.goto(f"{site.url}/staff/conversations/{XSS}")
    expect(page.locator(".turn.patient .text").nth(0)).to_have_text(XSS_SCRIPT)
    expect(page.locator(".turn.patient .text").nth(1)).to_have_text(XSS_IMG)
    expect(page.locator(".transcript img")).to_have_count(0)
    expect(page.locator("main script")).to_have_count(0)
    page.goto(f"{site.url}/staff?q=%3Cscript%3Ealert(1)")
    expect(page.get_by_label("Search text")).to_have_value("<script>alert(1)")
    page.wait_for_timeout(300)
    assert dialogs == []
    assert_clean(page_log)


def test_what_an_intake_coordinator_sees(site, page, page_log):
    """Clinic time with its zone, a preview of what was typed, words instead of names."""
    log_in(page, site.url)
    page.get_by_label("Search text").fill(WIDGET_QUESTION)
    page.get_by_role("button", name="Filter").click()
    row = page.locator("table.conversations tbody tr")
    expect(row).to_have_count(1)
    cells = row.locator("td")
    expect(cells.nth(0)).to_have_text(CLINIC_TIME)
    expect(cells.nth(1)).to_have_text(WIDGET_QUESTION)
    expect(cells.nth(3)).to_have_text("Website chat")
    expect(page.get_by_role("columnheader", name="Started")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("UTC")

    row.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"Conversation of " + CLINIC_TIME.pattern))
    transcript = page.locator(".transcript")
    expect(transcript.locator(".turn.event")).to_have_text(re.compile(r"Chat opened"))
    expect(transcript).not_to_contain_text("/greet")
    expect(transcript.locator(".turn.patient .text").first).to_have_text(
        "Chose: What's the difference?")
    asked = transcript.locator(".turn.patient").filter(has_text=WIDGET_QUESTION)
    expect(asked.locator(".intent")).to_have_text("Understood as: Do I need a referral? (99% sure)")

    page.goto(f"{site.url}/staff/conversations/{TRIAGE}")
    answers = page.locator(".triage table.slots")
    expect(answers.get_by_role("row", name="Time since injury")).to_contain_text(
        "about 3 months (12 weeks)")
    expect(answers.get_by_role("row", name="How heavy the job is")).to_contain_text(
        "Heavy (50 to 100 lb)")
    expect(answers).not_to_contain_text("weeks_since_injury")

    page.get_by_role("link", name="Overview").click()
    expect(page.locator("svg#topics desc")).to_contain_text("How long does it last?")
    expect(page.locator("main")).not_to_contain_text("faq/")
    assert_clean(page_log)


def test_overview_charts(site, page, page_log):
    log_in(page, site.url)
    page.get_by_role("link", name="Overview").click()
    charts = page.get_by_role("img")
    expect(charts).to_have_count(5)
    expect(page.get_by_role("img", name="Conversations per day")).to_be_visible()
    expect(page.locator("svg#outcomes desc")).to_contain_text("Work hardening")
    # The page's own last day: the clinic's midnight may pass while the tests run.
    last_day = dt.date.fromisoformat(page.get_by_label("To", exact=True).input_value())
    page.get_by_label("From").fill((last_day - dt.timedelta(days=6)).isoformat())
    page.get_by_role("button", name="Show").click()
    assert page.locator("svg#per-day rect.bar").count() == 7
    assert_clean(page_log)


def test_deleting_a_conversation_on_request(site, page, page_log):
    log_in(page, site.url)
    page.goto(f"{site.url}/staff/conversations/forget-me")
    page.get_by_role("link", name="Delete this conversation…").click()
    expect(page.get_by_role("heading", name="Delete this conversation?")).to_be_visible()
    page.get_by_role("button", name="Yes, delete it").click()
    expect(page.get_by_role("status")).to_have_text("The conversation was deleted.")
    assert page.goto(f"{site.url}/staff/conversations/forget-me").status == 404


def test_logout(site, page, page_log):
    log_in(page, site.url)
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("status")).to_have_text("You are logged out.")
    page.goto(f"{site.url}/staff/audit")
    expect(page).to_have_url(f"{site.url}/staff/login?next=%2Fstaff%2Faudit")
    assert_clean(page_log)


def test_staff_review_a_real_conversation_end_to_end(running_bot, page, page_log):
    """The issue's "done when": a chat on the website, then a staff member finds and
    reviews it, and sees a button click as the patient saw it."""
    start_chat(page, running_bot.web_url)
    reach_work_hardening(page)
    sender = session_id(page)

    email = "nurse@clinic.example"
    created = bot_command(running_bot.database_url, "staff", "add", email,
                          stdin=f"{PASSWORD}\n")
    assert created.returncode == 0, created.stderr

    log_in(page, running_bot.web_url, email)
    page.get_by_label("Search text").fill("scared to go back")
    page.get_by_role("button", name="Filter").click()
    rows = page.locator("table.conversations tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Website chat")
    expect(rows.first.locator("td").nth(0)).to_have_text(CLINIC_TIME)
    expect(rows.first.locator("td").nth(1)).to_have_text(
        "I hurt my back lifting 50 lb boxes at the warehouse 3 months ago, my doctor…")
    rows.first.get_by_role("link").click()
    expect(page.locator(".facts")).to_contain_text(sender)
    expect(page.locator(".turn.event")).to_have_count(1)  # the widget's greeting, not typed
    expect(page.locator(".transcript")).not_to_contain_text("/greet")
    clicked = page.locator(".turn.patient").filter(has_text="No, none of these")
    expect(clicked.locator(".text")).to_have_text("Chose: No, none of these")
    expect(page.locator(".triage .outcome")).to_have_text("Work hardening")
    assert page.locator(".triage .reasons li").count() >= 1
    page.get_by_label("Reviewed").check()
    page.get_by_label("Staff note").fill("Seen in the end-to-end test.")
    page.get_by_role("button", name="Save review").click()
    expect(page.get_by_role("status")).to_have_text("Review saved.")

    page.get_by_role("link", name="Conversations", exact=True).click()
    today = dt.datetime.now(ZONE).date().isoformat()  # the filters are the clinic's days
    page.get_by_label("From").fill(today)
    page.get_by_label("To").fill(today)
    page.get_by_role("button", name="Filter").click()
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text())))
    exported = next(row for row in rows if row["sender_id"] == f"web:{sender}")
    assert exported["outcome"] == "work_hardening" and exported["reviewed"] == "yes"
    assert_clean(page_log)
