"""Take-over on the scale-out stack, in two browsers through nginx.

The patient's chat sticks to one Rasa server; the staff member's join, messages and hand
back reach the Rasa servers round-robin, so some go through the other server, whose
replies reach the patient through Redis.
"""

from __future__ import annotations

from playwright.sync_api import Browser, expect
from staff_web_fixtures import PASSWORD
from website_chat import (
    CLINIC,
    ask,
    bot_message,
    patient_asking_for_a_person,
    staff_log_in,
)

from browser.chromium import DESKTOP

STAFF = "maria.reyes@clinic.example"
MESSAGES = ("Hi, I can help.", "Which day suits you?", "Mornings are fine.")


def test_staff_reach_a_patient_whose_chat_is_on_another_rasa_server(scaled, browser: Browser):
    scaled.add_staff(STAFF, PASSWORD)
    with patient_asking_for_a_person(browser, scaled.url, DESKTOP) as (patient, staff):
        staff_log_in(staff, scaled.url, STAFF, PASSWORD)
        row = staff.locator("#live-list tbody tr").filter(has_text="Asked for a person").first
        row.get_by_role("link").click()
        seen = len(scaled.upstream_log())
        staff.get_by_role("button", name="Join this chat").click()
        expect(bot_message(patient, f"Maria from {CLINIC.name} has joined the chat")
               ).to_be_visible()
        for text in MESSAGES:
            staff.get_by_label("Your message to the patient").fill(text)
            staff.get_by_role("button", name="Send").click()
            expect(bot_message(patient, f"Maria: {text}")).to_be_visible()
        staff.get_by_role("button", name="Hand back to the assistant").click()
        expect(bot_message(patient, "Maria has left the chat")).to_be_visible()

        rasa = {f"127.0.0.1:{port}" for port in scaled.stack.rasa_ports}
        since = scaled.upstream_log()[seen:]
        posted = {upstream for method, upstream in since if method == "POST" and upstream in rasa}
        polled = {upstream for method, upstream in since if method == "GET" and upstream in rasa}
        assert posted == rasa and len(polled) == 1  # both servers spoke; one holds the chat

        ask(patient, "how long does the program last?")
        expect(bot_message(patient, "week")).to_be_visible()
