"""Exports: CSV that spreadsheets cannot run, JSON, and NLU data Rasa reads back."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json

import pytest
import yaml

from bot.records.conversations import ConversationRow
from bot.records.exports import nlu_examples_yaml, to_csv, to_json

STARTED = dt.datetime(2025, 3, 14, 9, 30, tzinfo=dt.UTC)
TAGS = 8  # the tags' column
CALLBACK = slice(9, 12)  # the call-back's number, time and name


def row(sender_id="s1", tags=(), flags=("urgent", "fallback"), channel="rest", **more):
    return ConversationRow(sender_id=sender_id, started_at=STARTED,
                           last_event_at=STARTED + dt.timedelta(minutes=5), channel=channel,
                           turns=4, outcome="urgent_care", flags=flags, reviewed=True,
                           tags=tuple(tags), **more)


def test_csv_has_a_header_and_one_line_per_conversation():
    lines = list(csv.reader(io.StringIO(to_csv([row(), row("s2", flags=(), channel=None)]))))
    assert lines[0] == ["sender_id", "started_at", "last_event_at", "channel", "turns",
                        "outcome", "flags", "reviewed", "tags", "callback_phone",
                        "callback_time", "callback_name", "language", "previous_language"]
    assert lines[1] == ["s1", "2025-03-14T09:30:00+00:00", "2025-03-14T09:35:00+00:00", "rest",
                        "4", "urgent_care", "urgent; fallback", "yes", "", "", "", "", "en", ""]
    assert lines[2][3] == "" and lines[2][6] == ""


@pytest.mark.parametrize("evil", ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)",
                                  "\t=1", "\r=1"])
def test_csv_cells_cannot_become_formulas(evil):
    cells = list(csv.reader(io.StringIO(to_csv([row(evil, tags=[evil])]))))[1]
    assert cells[0] == "'" + evil and cells[TAGS] == "'" + evil


def test_csv_keeps_quotes_commas_and_line_breaks_in_their_cell():
    awkward = 'a "quoted", multi\nline <tag> 😀'
    cells = list(csv.reader(io.StringIO(to_csv([row(awkward, tags=["x, y"])]))))
    assert len(cells) == 2 and cells[1][0] == awkward and cells[1][TAGS] == "x, y"


def test_a_left_number_is_exported_so_a_spreadsheet_keeps_the_plus():
    left = dataclasses.replace(row(), callback_phone="+15552013344", callback_time="after 3pm",
                               callback_name="Dee")
    cells = list(csv.reader(io.StringIO(to_csv([left]))))[1]
    assert cells[CALLBACK] == ["'+15552013344", "after 3pm", "Dee"]


def test_json_export():
    data = json.loads(to_json([row(tags=["nlu gap"]), row("s2", flags=())]))
    assert data[0] == {
        "sender_id": "s1", "started_at": "2025-03-14T09:30:00+00:00",
        "last_event_at": "2025-03-14T09:35:00+00:00", "channel": "rest", "turns": 4,
        "outcome": "urgent_care", "flags": ["urgent", "fallback"], "reviewed": True,
        "tags": ["nlu gap"], "callback_phone": None, "callback_time": None,
        "callback_name": None, "language": "en", "previous_language": None,
    }
    assert data[1]["flags"] == [] and json.loads(to_json([])) == []


@pytest.mark.parametrize(("language", "previous", "cells"), [
    ("en", None, ["en", ""]),
    ("es", None, ["es", ""]),
    ("es", "en", ["es", "en"]),
    ("en", "es", ["en", "es"]),
])
def test_the_language_and_the_one_switched_from_are_exported_as_codes(language, previous,
                                                                      cells):
    spoken = row(language=language, previous_language=previous)
    header, line = list(csv.reader(io.StringIO(to_csv([spoken]))))
    assert dict(zip(header, line, strict=True))["language"] == cells[0]
    assert line[-2:] == cells
    [record] = json.loads(to_json([spoken]))
    assert (record["language"], record["previous_language"]) == (language, previous)


EXAMPLES = [
    ("faq/duration", "how long does it take"),
    ("faq/duration", "  how   long does\nit take "),
    ("faq/duration", "HOW LONG DOES IT TAKE"),
    ("greet", "how long does it take"),
    ("greet", "hello"),
    ("emergency", "chest pain [sudden](RED_FLAG) since {\"x\": 1}"),
    ("describe_situation", "- I'm 100% sure: it's my back # really"),
    ("describe_situation", "ctrl\x00chars\x1b here\u2028and\u2029there\x85ok"),
    ("describe_situation", "émoji 😀 and ÄÖÜ, 中文"),
    ("describe_situation", "   "),
    ("bad intent!", "dropped"),
    ("", "dropped too"),
]


def test_nlu_yaml_is_valid_and_clean():
    data = yaml.safe_load(nlu_examples_yaml(EXAMPLES))
    assert data["version"] == "3.1"
    by_intent = {block["intent"]: block["examples"].splitlines() for block in data["nlu"]}
    assert by_intent == {
        "describe_situation": [
            "- - I'm 100% sure: it's my back # really",
            "- ctrlchars here and there ok",
            "- émoji 😀 and ÄÖÜ, 中文",
        ],
        "emergency": ['- chest pain (sudden)(RED_FLAG) since {"x": 1}'],
        "faq/duration": ["- how long does it take"],
        "greet": ["- hello"],
    }


def test_rasa_reads_the_nlu_file_back(tmp_path):
    from rasa.shared.nlu.training_data.loading import load_data

    path = tmp_path / "nlu.yml"
    path.write_text(nlu_examples_yaml(EXAMPLES), encoding="utf-8")
    data = load_data(str(path))
    found = {(m.get_full_intent(), m.get("text")) for m in data.nlu_examples}
    assert ("faq/duration", "how long does it take") in found
    assert ("emergency", 'chest pain (sudden)(RED_FLAG) since {"x": 1}') in found
    assert len(found) == 6 and not any(m.get("entities") for m in data.nlu_examples)


def test_no_examples_is_still_a_valid_file(tmp_path):
    assert yaml.safe_load(nlu_examples_yaml([])) == {"version": "3.1", "nlu": []}
    assert yaml.safe_load(nlu_examples_yaml([("greet", "  ")]))["nlu"] == []
