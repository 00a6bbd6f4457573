"""Conversation lists as CSV or JSON, and patients' messages as Rasa NLU training data.

Exports carry what patients typed into other programs: a spreadsheet must not run a cell
as a formula, and an NLU file must not turn a patient's brackets into entity annotations
or break the YAML.

The lists are data for spreadsheets and scripts, so they keep the stable internal names
(`work_hardening`, `socketio`) that filters and formulas can rely on, and give times in
ISO 8601 in the clinic's time zone with its offset ("2025-03-14T07:00:00-05:00"): the
clock staff read on the pages, and still one exact instant. `language` is the
conversation's language code ("en", "es"), `previous_language` the one it switched from
(empty when it never switched).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterable

from bot.records.conversations import ConversationRow

COLUMNS = ("sender_id", "started_at", "last_event_at", "channel", "turns", "outcome",
           "flags", "reviewed", "tags", "callback_phone", "callback_time", "callback_name",
           "language", "previous_language")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
INTENT_NAME = re.compile(r"[A-Za-z0-9_]+(/[A-Za-z0-9_]+)?")
MAX_EXAMPLE = 500


def _record(row: ConversationRow, zone: dt.tzinfo) -> dict[str, object]:
    return {
        "sender_id": row.sender_id,
        "started_at": row.started_at.astimezone(zone).isoformat(timespec="seconds"),
        "last_event_at": row.last_event_at.astimezone(zone).isoformat(timespec="seconds"),
        "channel": row.channel,
        "turns": row.turns,
        "outcome": row.outcome,
        "flags": list(row.flags),
        "reviewed": row.reviewed,
        "tags": list(row.tags),
        "callback_phone": row.callback_phone,
        "callback_time": row.callback_time,
        "callback_name": row.callback_name,
        "language": row.language,
        "previous_language": row.previous_language,
    }


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        value = "; ".join(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def to_csv(rows: Iterable[ConversationRow], zone: dt.tzinfo = dt.UTC) -> str:
    """A CSV file (header first) that spreadsheets open without running formulas."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in rows:
        record = _record(row, zone)
        writer.writerow([_cell(record[column]) for column in COLUMNS])
    return out.getvalue()


def to_json(rows: Iterable[ConversationRow], zone: dt.tzinfo = dt.UTC) -> str:
    """A JSON array of conversations (ISO 8601 times, flags and tags as arrays)."""
    return json.dumps([_record(row, zone) for row in rows], ensure_ascii=False, indent=1)


def _yaml_safe(char: str) -> bool:
    """YAML's printable set (tabs and line breaks are already gone)."""
    code = ord(char)
    return (0x20 <= code <= 0x7E or code == 0x85 or 0xA0 <= code <= 0xD7FF
            or 0xE000 <= code <= 0xFFFD or code >= 0x10000)


def example_text(text: str) -> str:
    """One line of plain text: no line breaks, control characters or entity markup."""
    line = " ".join(text.split())
    line = "".join(char for char in line if _yaml_safe(char))
    return line.replace("[", "(").replace("]", ")")[:MAX_EXAMPLE].strip()


def nlu_examples_yaml(examples: Iterable[tuple[str, str]]) -> str:
    """Rasa 3 NLU YAML of (intent, text) pairs; "faq/<key>" becomes a retrieval intent.

    Empty texts and repeats are dropped; a text keeps the first intent it came with, so
    the file never teaches one sentence two ways.
    """
    by_intent: dict[str, list[str]] = {}
    seen: set[str] = set()
    for intent, text in examples:
        line = example_text(text)
        if not line or line.casefold() in seen or not INTENT_NAME.fullmatch(intent or ""):
            continue
        seen.add(line.casefold())
        by_intent.setdefault(intent, []).append(line)
    if not by_intent:
        return 'version: "3.1"\nnlu: []\n'
    blocks = (
        f"- intent: {intent}\n  examples: |\n" + "".join(f"    - {line}\n" for line in lines)
        for intent, lines in sorted(by_intent.items())
    )
    return 'version: "3.1"\nnlu:\n' + "".join(blocks)
