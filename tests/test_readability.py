"""Every patient-facing text at U.S. grade 8 or below (emergency texts 6), by Flesch-Kincaid.

Texts: the domain's responses, the FAQ answers, the triage rules' reasons and notes, the
website's page and the chat widget's own sentences. Spanish texts are measured with
Fernández-Huerta. Very short texts (under six words: buttons, headings) are left out:
the formulas mean nothing there.
"""

import re
from html.parser import HTMLParser

import textstat
import yaml

from bot.core.emergency.reply import ADVICE_RESPONSES
from bot.settings import ROOT

MAX_GRADE, MAX_EMERGENCY_GRADE, MIN_WORDS = 8, 6, 6
EMERGENCY = ADVICE_RESPONSES | {"utter_emergency_cleared", "utter_emergency_cleared_self_harm",
                                "utter_emergency_dismissed", "utter_emergency_dismissed_self_harm",
                                "utter_emergency_declined", "utter_emergency_declined_self_harm",
                                "utter_emergency_put_off", "utter_emergency_put_off_self_harm",
                                "utter_emergency_stay_self_harm",
                                "utter_emergency_answered_self_harm", "utter_emergency_checked",
                                "utter_emergency_checked_self_harm",
                                "utter_emergency_unclear", "utter_emergency_unclear_self_harm",
                                "utter_emergency_reminder", "utter_emergency_reminder_self_harm"}


def _plain(text: str) -> str:
    text = re.sub(r"\{\{?[^}]*\}\}?", "the clinic", text)
    text = re.sub(r"\*\*|•|\[|\]\([^)]*\)", "", text)
    return re.sub(r"\n\s*", ". ", text.strip())


def _responses(path):
    for name, variations in yaml.safe_load(path.read_text(encoding="utf-8"))["responses"].items():
        for i, variation in enumerate(variations):
            if variation.get("text"):
                yield f"{path.name}:{name}[{i}]", name, variation["text"]


def _rules(suffix=""):
    raw = yaml.safe_load((ROOT / "triage_rules.yml").read_text(encoding="utf-8"))
    for section, key in (("rules", "reason"), ("facts", "fact"), ("notes", "note")):
        for item in raw.get(section) or []:
            yield f"triage_rules.yml:{item['id']}{suffix}", item["id"], item[key + suffix]


class _Blocks(HTMLParser):
    """The text of each paragraph-like element of a page template."""

    BLOCKS = frozenset({"p", "li", "td", "th", "h1", "h2", "h3", "dd", "dt", "figcaption",
                        "summary"})

    def __init__(self):
        super().__init__()
        self.blocks, self.current, self.depth = [], [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self._flush()
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self._flush()
            self.depth = max(self.depth - 1, 0)

    def handle_data(self, data):
        if self.depth:
            self.current.append(data)

    def _flush(self):
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(text)
        self.current = []


def _page():
    template = (ROOT / "bot/web/templates/site/home.html").read_text(encoding="utf-8")
    parser = _Blocks()
    parser.feed(re.sub(r"\{%.*?%\}", " ", re.sub(r"\{\{.*?\}\}", "the clinic", template)))
    parser._flush()
    for i, block in enumerate(parser.blocks):
        yield f"home.html[{i}]", "page", block


def _widget():
    for file in ("chat.js", "chat-view.js"):
        source = (ROOT / "bot/web/static/site" / file).read_text(encoding="utf-8")
        for i, text in enumerate(re.findall(r'"([A-Z][^"]{30,})"', source)):
            yield f"{file}[{i}]", "widget", text


TEXTS = [
    *_responses(ROOT / "domain.yml"),
    *_responses(ROOT / "data/responses/faq.yml"),
    *_rules(),
    *_page(),
    *_widget(),
]
ENGLISH = [(where, name, _plain(t)) for where, name, t in TEXTS if len(t.split()) >= MIN_WORDS]
SPANISH = [(where, name, _plain(t)) for where, name, t in (*_responses(ROOT / "locales/es.yml"),
                                                           *_rules("_es"))
           if len(t.split()) >= MIN_WORDS]
MIN_EASE, MIN_EMERGENCY_EASE = 70, 80
"""Fernández-Huerta: 70 "bastante fácil" (about grade 7), 80 "fácil" (about grade 6)."""


def grade(text: str) -> float:
    textstat.set_lang("en_US")
    return textstat.flesch_kincaid_grade(text)


def test_every_english_text_is_at_grade_8_or_below_and_emergencies_at_6():
    graded = sorted(((grade(text), where, name) for where, name, text in ENGLISH), reverse=True)
    too_hard = [(g, where) for g, where, name in graded
                if g > (MAX_EMERGENCY_GRADE if name in EMERGENCY else MAX_GRADE)]
    assert too_hard == [], f"hardest texts: {graded[:5]}"
    assert len(graded) > 80  # the collectors found the texts


def ease(text: str) -> float:
    textstat.set_lang("es")
    try:
        return textstat.fernandez_huerta(text)
    finally:
        textstat.set_lang("en_US")


def test_every_spanish_text_is_fairly_easy_and_emergencies_easy():
    eased = sorted((ease(text), where, name) for where, name, text in SPANISH)
    too_hard = [(e, where) for e, where, name in eased
                if e < (MIN_EMERGENCY_EASE if name in EMERGENCY else MIN_EASE)]
    assert too_hard == [], f"hardest texts: {eased[:5]}"
    assert len(eased) > 80


def test_american_spelling():
    british = re.compile(r"\b(behaviour|counsellor|authoris|practise|programme|centre|colour|"
                         r"labour|organis|recognis)\w*", re.IGNORECASE)
    found = [(where, m.group()) for where, _, text in TEXTS for m in british.finditer(text)]
    assert found == []
