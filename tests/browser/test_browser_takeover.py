"""Hand-off in two browsers: a call back lands in the queue; staff join a chat and hand it back."""

from __future__ import annotations

from urllib.parse import quote

from playwright.sync_api import Browser, expect
from running_bot import bot_command
from sqlalchemy import select
from staff_web_fixtures import PASSWORD
from website_chat import (
    CLINIC,
    ask,
    bot_message,
    patient_asking_for_a_person,
    session_id,
    staff_log_in,
    start_chat,
    user_message,
)

from bot.records.db import AuditLog, make_engine, session_factory
from browser.chromium import DESKTOP

STAFF = "maria.lopez@clinic.example"


def test_staff_join_a_live_chat_talk_and_hand_it_back(running_bot, browser: Browser):
    created = bot_command(running_bot.database_url, "staff", "add", STAFF, stdin=f"{PASSWORD}\n")
    assert created.returncode == 0, created.stderr
    with patient_asking_for_a_person(browser, running_bot.web_url, DESKTOP) as (patient, staff):
        sender = f"web:{session_id(patient)}"
        staff_log_in(staff, running_bot.web_url, STAFF, PASSWORD)
        row = staff.locator("#live-list tbody tr").filter(has_text="Asked for a person").first
        expect(row).to_contain_text("can I talk to a real person please")
        row.get_by_role("link").click()
        staff.get_by_role("button", name="Join this chat").click()
        expect(staff.get_by_role("status")).to_contain_text("You are in this chat")

        joined = f"Maria from {CLINIC.name} has joined the chat"
        expect(bot_message(patient, joined)).to_be_visible()
        staff.get_by_label("Your message to the patient").fill(
            "Hi, I can help. What is your question?")
        staff.get_by_role("button", name="Send").click()
        staff_said = bot_message(patient, "Maria: Hi, I can help.")
        expect(staff_said).to_be_visible()
        expect(staff_said).to_have_class("chat-msg chat-msg--bot chat-msg--staff")
        expect(staff_said.locator(".chat-sr-only")).to_have_text("Maria (clinic team): ")

        ask(patient, "when can I start the program?")
        expect(staff.locator("#live-turns .turn.patient").filter(
            has_text="when can I start the program?")).to_be_visible()
        expect(user_message(patient, "when can I start the program?")).to_be_visible()
        expect(patient.locator(".chat-msg--bot").last).to_contain_text("Maria: Hi")  # no bot reply

        ask(patient, "I have crushing chest pain right now and my left arm is numb")
        expect(bot_message(patient, "Please call 911 now")).to_be_visible()

        staff.get_by_role("button", name="Hand back to the assistant").click()
        expect(bot_message(patient, "Maria has left the chat")).to_be_visible()
        ask(patient, "how long does the program last?")
        expect(patient.locator(".chat-msg--bot").last).not_to_contain_text("Maria")
        expect(bot_message(patient, "week")).to_be_visible()

    with session_factory(make_engine(running_bot.database_url))() as db:
        actions = list(db.scalars(select(AuditLog.action).where(AuditLog.target == sender)
                                  .order_by(AuditLog.id)))
    assert [a for a in actions if a.startswith("takeover")] == [
        "takeover_join", "takeover_message", "takeover_leave"]


def test_a_call_back_asked_for_on_the_website_lands_in_the_queue_and_notifies(
        running_bot, browser: Browser, mailbox):
    patient_context, staff_context = (browser.new_context(viewport=DESKTOP) for _ in range(2))
    patient, staff = patient_context.new_page(), staff_context.new_page()
    start_chat(patient, running_bot.web_url)
    ask(patient, "Can someone call me back? my number is 555 201 3344, mornings are best")
    confirmed = bot_message(patient, "call-back list")
    expect(confirmed).to_contain_text("(555) 201-3344")
    expect(confirmed).to_contain_text("mornings")
    expect(confirmed.locator('a[href="tel:+15552013344"]')).to_be_visible()
    sender = f"web:{session_id(patient)}"
    mail = mailbox.wait_for(f"/staff/conversations/{sender}")
    assert mail["Subject"] == "New call-back request"

    created = bot_command(running_bot.database_url, "staff", "add", "intake@clinic.example",
                          stdin=f"{PASSWORD}\n")
    assert created.returncode == 0, created.stderr
    staff_log_in(staff, running_bot.web_url, "intake@clinic.example", PASSWORD,
                 "/staff/callbacks")
    link = f'a[href="/staff/conversations/{quote(sender, safe="")}"]'
    row = staff.locator("tr.callback-row").filter(has=staff.locator(link))
    expect(row).to_contain_text("(555) 201-3344")
    expect(row).to_contain_text("mornings")
    row.get_by_label("Status").select_option("called")
    row.get_by_role("button", name="Save").click()
    expect(staff.get_by_role("status")).to_have_text("Call-back saved.")
    called = staff.locator("tr.callback-row").filter(has=staff.locator(link))
    expect(called).to_contain_text("Called · intake@clinic.example")
