"""A correction of the answer before, read by the triage form's adapter from the events.

The real answer reader (built by `bot setup --readers-only`) reads the text. A correction
that repeats the answer on record changes nothing, so that it cannot ask the current
question again and again.
"""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker

from actions.triage_form import _corrected

ASKED = [
    {"event": "slot", "name": "requested_slot", "value": "meets_job_demands"},
    {"event": "user", "text": "no creo"},
    {"event": "slot", "name": "requested_slot", "value": "psychosocial_barriers"},
]


def tracker(recorded: bool | None) -> Tracker:
    """A conversation at the question on worries, after a reply on the job's duties."""
    return Tracker("patient", {"meets_job_demands": recorded}, {}, ASKED, False, None,
                   {"name": "triage_form"}, "triage_form")


@pytest.mark.parametrize(
    ("recorded", "text", "expected"),
    [
        (False, "perdon le corrijo, si puedo, ya llevo 3 semanas en el taller",
         {"meets_job_demands": True}),
        (True, "perdon le corrijo, si puedo, ya llevo 3 semanas en el taller", {}),
        (False, "sí, me da miedo volver", {}),
    ],
)
def test_a_correction_changes_the_answer_before_only_when_it_differs(recorded, text, expected):
    assert _corrected(tracker(recorded), "psychosocial_barriers", text) == expected
