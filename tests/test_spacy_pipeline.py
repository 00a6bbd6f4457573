import json
from collections import Counter

import pytest
import spacy

from bot.core.spacy_pipeline import PATTERNS_DIR, build_pipeline, ensure_pipeline, load_patterns

LABELS = {"PROGRAM", "JOB_TASK", "BODY_PART", "OCCUPATION", "CLINICIAN"}


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline(load_patterns())


def test_every_pattern_file_is_valid_and_names_a_known_label():
    patterns = load_patterns()
    assert {p["label"] for p in patterns} == LABELS
    assert all(p.get("id") and p["pattern"] for p in patterns)
    keys = Counter((p["label"], json.dumps(p["pattern"]).lower()) for p in patterns)
    assert [k for k, n in keys.items() if n > 1] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("What is work hardening?", [("work hardening", "PROGRAM", "work_hardening")]),
        ("wrok hardening vs work conditoning", [
            ("wrok hardening", "PROGRAM", "work_hardening"),
            ("work conditoning", "PROGRAM", "work_conditioning"),
        ]),
        ("WH or WC?", [
            ("WH", "PROGRAM", "work_hardening"),
            ("WC", "PROGRAM", "work_conditioning"),
        ]),
        ("my doc said Work-Hardening", [("doc", "CLINICIAN", "physician"),
                                        ("Work-Hardening", "PROGRAM", "work_hardening")]),
        ("I hurt my lower back lifting boxes at the warehouse", [
            ("lower back", "BODY_PART", "back"),
            ("lifting boxes", "JOB_TASK", "lifting"),
            ("warehouse", "OCCUPATION", "warehouse_worker"),
        ]),
        ("climbing ladders and carrying shingles as a roofer", [
            ("climbing ladders", "JOB_TASK", "climbing"),
            ("carrying", "JOB_TASK", "carrying"),
            ("roofer", "OCCUPATION", "construction_worker"),
        ]),
        ("pushing and pulling carts, some crawling", [
            ("pushing", "JOB_TASK", "pushing"),
            ("pulling", "JOB_TASK", "pulling"),
            ("crawling", "JOB_TASK", "crawling"),
        ]),
        ("my rotator cuff and knee", [
            ("rotator cuff", "BODY_PART", "shoulder"),
            ("knee", "BODY_PART", "knee"),
        ]),
        ("will I see a physical therapist or a psychologist", [
            ("physical therapist", "CLINICIAN", "physical_therapist"),
            ("psychologist", "CLINICIAN", "psychologist"),
        ]),
        ("I'm a CNA at a nursing home", [
            ("CNA", "OCCUPATION", "nurse"),
            ("nursing", "OCCUPATION", "nurse"),
        ]),
        ("my claims adjuster called", [("claims adjuster", "CLINICIAN", "case_manager")]),
        ("good morning, how are you", []),
        ("please call me back, I want to go back to work", []),
        ("I hurt my back", [("my back", "BODY_PART", "back")]),
    ],
)
def test_entities_with_canonical_ids(nlp, text, expected):
    assert [(e.text, e.label_, e.ent_id_) for e in nlp(text).ents] == expected


def test_ensure_pipeline_builds_once_and_rebuilds_when_patterns_change(tmp_path):
    patterns = tmp_path / "patterns"
    patterns.mkdir()
    (patterns / "program.jsonl").write_text(
        json.dumps({"label": "PROGRAM", "pattern": "work hardening", "id": "work_hardening"}) + "\n"
    )
    out = tmp_path / "pipeline"
    assert ensure_pipeline(out, patterns) is True
    assert ensure_pipeline(out, patterns) is False
    assert [e.ent_id_ for e in spacy.load(out)("is work hardening hard").ents] == ["work_hardening"]

    (patterns / "program.jsonl").write_text(
        json.dumps({"label": "PROGRAM", "pattern": "wh", "id": "work_hardening"}) + "\n"
    )
    assert ensure_pipeline(out, patterns) is True
    loaded = spacy.load(out)
    assert [e.text for e in loaded("what is WH").ents] == ["WH"]
    assert list(loaded("is work hardening hard").ents) == []


def test_shipped_patterns_are_the_ones_loaded():
    assert sorted(p.name for p in PATTERNS_DIR.glob("*.jsonl")) == [
        "body_part.jsonl", "clinician.jsonl", "job_task.jsonl", "occupation.jsonl", "program.jsonl",
    ]
