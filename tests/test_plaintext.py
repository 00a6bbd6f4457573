"""Rendering answers for text channels: markdown, numbered options, SMS parts."""

from __future__ import annotations

import re

import pytest
import yaml

from bot.adapters.channels.output import BotMessage, Style
from bot.adapters.channels.plaintext import (
    chosen_payload,
    titled_payload,
    to_plain,
    to_slack,
    with_options,
)
from bot.adapters.channels.replies import MAX_TITLE_CHARS
from bot.adapters.channels.sms import (
    MAX_BODY_CHARS,
    MORE_PROMPT,
    MORE_PROMPTS,
    cut,
    first_and_rest,
    is_more,
    screen_fits,
    sms_fits,
    split,
    to_gsm,
)
from bot.adapters.channels.telegram import TELEGRAM
from bot.adapters.channels.twilio import SMS
from bot.core.language import Language
from bot.core.locale import responses
from bot.settings import ROOT

CALL_BACK = [{"title": "Yes, please call me", "payload": "yes"},
             {"title": "No, thanks", "payload": "no"}]
LEVELS = [{"title": "Light (up to 20 lb)", "payload": "light"},
          {"title": "Medium (20–50 lb)", "payload": "medium"}]


@pytest.mark.parametrize(
    ("markdown", "plain"),
    [
        ("**Work hardening** is *structured*.", "Work hardening is structured."),
        ("__bold__ and _italic_", "bold and italic"),
        ("See [our site](https://clinic.example/start).", "See our site (https://clinic.example/start)."),
        ("[https://clinic.example](https://clinic.example)", "https://clinic.example"),
        ("Mail [us](mailto:care@clinic.example)", "Mail us (care@clinic.example)"),
        ("<https://clinic.example/a_b_c>", "https://clinic.example/a_b_c"),
        ("- one\n* two\n+ three", "• one\n• two\n• three"),
        ("a\n  - indented", "a\n  • indented"),
        ("## Next steps\nCall us.", "Next steps\nCall us."),
        ("## Cost ##  \nCovered.", "Cost\nCovered."),
        ("# Learn C#", "Learn C#"),
        ("# a #b", "a #b"),
        ("Use `snake_case_names` as is", "Use snake_case_names as is"),
        ("2 * 3 * 4 and file_name_here", "2 * 3 * 4 and file_name_here"),
        (r"\*not bold\*", "*not bold*"),
        ("[**bold** link](https://x.example/_y_)", "bold link (https://x.example/_y_)"),
        ("a\n\n\n\nb  \n", "a\n\nb"),
        ("• already plain – 4–8 weeks", "• already plain – 4–8 weeks"),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
        ("", ""),
    ],
)
def test_markdown_becomes_plain_text(markdown, plain):
    assert to_plain(markdown) == plain


@pytest.mark.parametrize(
    ("markdown", "mrkdwn"),
    [
        ("**Work hardening** is *structured*.", "*Work hardening* is _structured_."),
        ("# Heading", "*Heading*"),
        ("See [our site](https://clinic.example/go).", "See <https://clinic.example/go|our site>."),
        ("<https://clinic.example>", "<https://clinic.example>"),
        ("- item", "• item"),
        ("<!channel> & <@U123>", "&lt;!channel&gt; &amp; &lt;@U123&gt;"),
        ("`a<b`", "`a&lt;b`"),
        ("[x](https://a.example/?q=1|2)", "<https://a.example/?q=1%7C2|x>"),
    ],
)
def test_markdown_becomes_slack_mrkdwn_with_its_specials_escaped(markdown, mrkdwn):
    assert to_slack(markdown) == mrkdwn


def test_options_are_numbered_lines_after_the_text():
    assert with_options("Call you back?", ["Yes", "No"]) == "Call you back?\n1. Yes\n2. No"
    assert with_options("Just text.\n", []) == "Just text."
    assert with_options("", ["Only"]) == "1. Only"


@pytest.mark.parametrize(
    ("reply", "buttons", "payload"),
    [
        ("1", CALL_BACK, "yes"),
        ("2", CALL_BACK, "no"),
        ("1.", CALL_BACK, "yes"),
        (" 2 ", CALL_BACK, "no"),
        ("2)", CALL_BACK, "no"),
        ("#1", CALL_BACK, "yes"),
        ("no, THANKS", CALL_BACK, "no"),
        ("  Yes,   please call me!", CALL_BACK, "yes"),
        ("medium (20-50 lb)", LEVELS, "medium"),
        ("3", CALL_BACK, None),
        ("0", CALL_BACK, None),
        ("12", CALL_BACK, None),
        ("1 2", CALL_BACK, None),
        ("١", CALL_BACK, None),
        ("yes", CALL_BACK, None),
        ("1", [], None),
        ("", CALL_BACK, None),
        ("1", [{"title": "No payload"}], "No payload"),
    ],
)
def test_a_reply_picks_an_option_by_number_or_title(reply, buttons, payload):
    assert chosen_payload(reply, buttons) == payload


@pytest.mark.parametrize(
    ("reply", "payload"),
    [
        ("no, THANKS", "no"),
        ("  Yes,   please call me!", "yes"),
        ("1", None),
        ("#2", None),
        ("yes", None),
        ("no thanks, but call me", None),
        ("", None),
        ("No, thanks?", None),  # asked back: a fresh review (stop 62)
        ("No, thanks...", None), ("No, thanks?!", None),  # trailing off: a third
    ],
)
def test_on_the_website_only_a_title_typed_out_picks_its_option(reply, payload):
    assert titled_payload(reply, CALL_BACK) == payload


def test_a_title_that_asks_is_picked_typed_with_its_question_mark():
    asking = [{"title": "What's the difference?", "payload": "/faq"}]
    assert titled_payload("whats the difference?", asking) is None  # the apostrophe differs
    assert titled_payload("What's the difference?", asking) == "/faq"


@pytest.mark.parametrize(
    ("text", "gsm"),
    [
        ("2–4 hours • 3–5 days — “ask” ‘us’…", "2-4 hours - 3-5 days - \"ask\" 'us'..."),
        ("2×3\u00a0kg", "2x3 kg"),
        ("Café Ñandú", "Café Ñandu"),
    ],
)
def test_sms_text_is_moved_into_gsm_7(text, gsm):
    assert to_gsm(text) == gsm


@pytest.mark.parametrize(
    ("text", "segments", "fits"),
    [
        ("a" * 612, 4, True),
        ("a" * 613, 4, False),
        ("[" * 306, 4, True),
        ("[" * 307, 4, False),
        ("é" * 612, 4, True),
        ("í" * 268, 4, True),
        ("í" * 269, 4, False),
        ("😀" * 134, 4, True),
        ("😀" * 135, 4, False),
        ("a" * 153, 1, True),
    ],
)
def test_sms_length_counts_segments_by_encoding(text, segments, fits):
    assert sms_fits(text, segments) is fits


def test_whatsapp_counts_characters():
    assert screen_fits("í" * 612) and not screen_fits("a" * 613)


def test_a_cut_ends_a_sentence_or_else_a_word():
    text = "First sentence here. Second one is longer than that! Third?"
    assert cut(text, lambda part: len(part) <= 40) == (
        "First sentence here.", "Second one is longer than that! Third?")
    assert cut("one two three four", lambda part: len(part) <= 10) == ("one two", "three four")
    assert cut("x" * 30, lambda part: len(part) <= 10) == ("x" * 10, "x" * 20)
    assert cut("Short.", lambda part: len(part) <= 10) == ("Short.", "")
    assert cut("Line one\nLine two is long", lambda part: len(part) <= 12) == (
        "Line one", "Line two is long")


def test_split_keeps_every_word_in_order():
    words = [f"word{n}." for n in range(400)]
    text = " ".join(words)
    parts = split(text, lambda part: len(part) <= 100)
    assert all(len(part) <= 100 for part in parts)
    assert " ".join(parts).split() == words
    assert split("", lambda part: True) == []


def test_first_part_carries_the_more_prompt_only_when_something_is_left():
    short = "A short answer."
    assert first_and_rest(short, sms_fits) == (short, "")
    long = " ".join(f"Sentence number {n} is here." for n in range(60))
    first, rest = first_and_rest(long, sms_fits)
    assert first.endswith(f".\n{MORE_PROMPT}") and sms_fits(first)
    assert f"{first.removesuffix(MORE_PROMPT).strip()} {rest}" == long


@pytest.mark.parametrize(
    ("reply", "more"),
    [("MORE", True), (" more ", True), ("More.", True), ("more!", True),
     ("MAS", True), ("más", True), ("Más.", True),
     ("tell me more", False), ("moree", False), ("", False), ("mas o menos", False)],
)
def test_more_is_recognised_alone(reply, more):
    assert is_more(reply) is more


def test_sms_style_sends_a_long_answer_in_two_parts_and_options_last():
    text = "Side by side:\n" + "\n".join(f"• Point {n}: 2–4 hours, typically." for n in range(40))
    message = BotMessage(text, tuple(CALL_BACK))
    [now] = SMS.now(message)
    later = SMS.later(message)
    assert now.endswith(MORE_PROMPT) and sms_fits(now) and "•" not in now and "–" not in now
    assert later[-1].endswith("1. Yes, please call me\n2. No, thanks")
    assert all(len(part) <= MAX_BODY_CHARS for part in later)


def test_urgent_advice_is_never_cut_or_held_back():
    advice = "Please call 911 now. " * 40
    message = BotMessage.of(advice, None, "utter_emergency")
    assert message.urgent
    assert SMS.now(message) == [to_gsm(advice.strip())]
    assert SMS.later(message) == []


def test_other_channels_send_everything_at_once_within_their_limit():
    message = BotMessage("Answer. " * 1000, tuple(CALL_BACK))
    parts = TELEGRAM.now(message)
    assert len(parts) == 2 and all(len(part) <= 4096 for part in parts)
    assert TELEGRAM.later(message) == [] and not TELEGRAM.cuts
    assert Style().now(BotMessage("", ())) == []


def test_a_long_spanish_answer_ends_with_the_prompt_in_spanish():
    long = " ".join(f"La frase número {n} de la respuesta está aquí." for n in range(60))
    first, rest = first_and_rest(to_gsm(long), sms_fits)
    assert first.endswith(f"\n{MORE_PROMPTS[Language.ES]}") and sms_fits(first) and rest


@pytest.mark.parametrize("name", sorted(responses(Language.ES)))
def test_every_spanish_answer_goes_by_sms_as_gsm_7(name):
    """Not as UCS-2, which would cost about twice the segments (see bot.adapters.channels.sms)."""
    for variation in responses(Language.ES)[name]:
        text = to_gsm(re.sub(r"\{\w+\}", "x", variation["text"]))  # filled before sending
        assert sms_fits(text, segments=-(-len(text) // 153))  # only GSM-7 fits that many
        assert "ñ" not in variation["text"] or "ñ" in text  # GSM-7 has ñ, é, ü, ¿, ¡


@pytest.mark.parametrize(("written", "sent"), [
    ("¿Cuánto dura? Días, músculos, sí.", "¿Cuanto dura? Dias, musculos, si."),
    ("ÁREA ÍNTIMA ÓRDENES ÚNICO", "AREA INTIMA ORDENES UNICO"),
    ("Niño, pingüino, café, ¡ya!", "Niño, pingüino, café, ¡ya!"),
])
def test_sms_drops_only_the_accents_gsm_7_lacks(written, sent):
    assert to_gsm(written) == sent


def test_no_buttons_title_is_longer_than_a_message_that_may_pick_one():
    """The website and REST channels read the turn's buttons only for short messages."""
    titles = [button["title"] for path in (ROOT / "domain.yml", ROOT / "locales" / "es.yml")
              for variations in yaml.safe_load(path.read_text(encoding="utf-8"))[
                  "responses"].values()
              for variation in variations for button in variation.get("buttons") or ()]
    assert titles and max(map(len, titles)) <= MAX_TITLE_CHARS

