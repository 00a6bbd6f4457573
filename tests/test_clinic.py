from pathlib import Path

import pytest
import yaml

from bot.core import names
from bot.core.clinic import ClinicConfigError, hours_in, load_clinic
from bot.settings import ROOT

VALID = {
    "name": "Test Clinic",
    "phone": "555-0100",
    "email": "a@b.example",
    "address": "1 Main St",
    "website": "https://b.example",
    "timezone": "America/New_York",
    "opening_hours": {"monday": "09:00-17:00", "tuesday": "09:00-17:00"},
}


def write(tmp_path: Path, content: object) -> Path:
    path = tmp_path / "clinic.yml"
    path.write_text(content if isinstance(content, str) else yaml.safe_dump(content))
    return path


def test_shipped_clinic_file_fills_every_clinic_slot_of_the_domain():
    clinic = load_clinic(ROOT / "clinic.yml")
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    clinic_slots = {name for name in domain["slots"] if name.startswith("clinic_")} - {
        names.CLINIC_OPEN, names.CLINIC_OPENS}  # set by the actions from the opening hours
    assert set(clinic.as_slots()) == clinic_slots
    assert all(clinic.as_slots().values())


def test_valid_file_is_trimmed(tmp_path):
    clinic = load_clinic(write(tmp_path, {**VALID, "phone": "  555-0100 \n"}))
    assert clinic.phone == "555-0100"
    assert clinic.as_slots()["clinic_name"] == "Test Clinic"
    assert clinic.as_slots()["clinic_hours"] == "Monday and Tuesday, 9:00 am to 5:00 pm"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({k: v for k, v in VALID.items() if k != "phone"}, "lacks: phone"),
        ({**VALID, "email": "  "}, "lacks: email"),
        ({**VALID, "timezone": 9}, "lacks: timezone"),
        ({**VALID, "opening_hours": "9-5"}, "lacks: opening_hours"),
        ({**VALID, "timezone": "Mars/Base"}, "unknown time zone"),
        ({**VALID, "opening_hours": {"funday": "09:00-17:00"}}, "unknown days"),
        ({**VALID, "opening_hours": {"monday": "9 to 5"}}, "write them as 07:00-18:00"),
        ({**VALID, "opening_hours": {"monday": "17:00-09:00"}}, "closing must come after"),
        ({**VALID, "opening_hours": {"monday": "25:00-26:00"}}, "hour must be"),
        ({**VALID, "opening_hours": {}}, "never open"),
        ({**VALID, "fax": "x"}, "unknown fields: fax"),
        ("- a list\n- not a mapping\n", "must be a mapping"),
        ("name: [unclosed\n", "not valid YAML"),
    ],
)
def test_bad_files_are_refused_with_the_reason(tmp_path, content, message):
    with pytest.raises(ClinicConfigError, match=message):
        load_clinic(write(tmp_path, content))


def test_missing_file(tmp_path):
    with pytest.raises(ClinicConfigError, match="cannot read"):
        load_clinic(tmp_path / "nope.yml")


def test_opening_hours_in_each_language_of_the_patient_pages(tmp_path):
    clinic = load_clinic(write(tmp_path, VALID))
    assert hours_in(clinic, "en") == clinic.hours == "Monday and Tuesday, 9:00 am to 5:00 pm"
    assert hours_in(clinic, "es") == "lunes y martes, de 9:00 a. m. a 5:00 p. m."
    with pytest.raises(ValueError, match="'fr'"):
        hours_in(clinic, "fr")
