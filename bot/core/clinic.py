"""The clinic's contact details, read from the one file a clinic edits (`clinic.yml`).

The bot's responses interpolate them as `{clinic_phone}` and so on (set as slots at the
start of every session by the action server), so no phone number lives in the domain.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.core.opening_hours import OpeningHours, OpeningHoursError, describe_es

TEXT_FIELDS = ("name", "phone", "email", "address", "website", "timezone")
PATIENT_FIELDS = ("name", "phone", "email", "address", "hours", "website")


HOURS_IN = {"en": OpeningHours.describe, "es": describe_es}
"""How the opening hours are said, per language the patient pages are written in."""


class ClinicConfigError(ValueError):
    """The clinic file is missing, malformed or incomplete."""


@dataclass(frozen=True)
class Clinic:
    """Details patients need to reach the clinic."""

    name: str
    phone: str
    email: str
    address: str
    website: str
    timezone: str
    opening_hours: OpeningHours

    @property
    def hours(self) -> str:
        """The opening hours in words, built from `opening_hours`."""
        return self.opening_hours.describe()

    def as_slots(self) -> dict[str, str]:
        """Slot values for the domain's `clinic_*` slots (what patients are told).

        `clinic_hours_es` is the hours in Spanish, which Spanish responses quote instead.
        """
        return {**{f"clinic_{key}": getattr(self, key) for key in PATIENT_FIELDS},
                "clinic_hours_es": hours_in(self, "es")}


def hours_in(clinic: Clinic, language: str) -> str:
    """The clinic's opening hours in words in `language` ("en" or "es")."""
    try:
        describe = HOURS_IN[language]
    except KeyError:
        raise ValueError(f"no words for opening hours in {language!r}") from None
    return describe(clinic.opening_hours)


def load_clinic(path: Path) -> Clinic:
    """Read and validate the clinic file; every field must be a non-empty string."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ClinicConfigError(f"cannot read clinic file {path}: {exc}") from exc
    except yaml.YAMLError as exc:
        raise ClinicConfigError(f"clinic file {path} is not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise ClinicConfigError(f"clinic file {path} must be a mapping of fields")
    missing = [n for n in TEXT_FIELDS if not isinstance(raw.get(n), str) or not raw[n].strip()]
    if not isinstance(raw.get("opening_hours"), dict):
        missing.append("opening_hours")
    if missing:
        raise ClinicConfigError(f"clinic file {path} lacks: {', '.join(missing)}")
    unknown = sorted(set(raw) - {*TEXT_FIELDS, "opening_hours"})
    if unknown:
        raise ClinicConfigError(f"clinic file {path} has unknown fields: {', '.join(unknown)}")
    texts = {n: raw[n].strip() for n in TEXT_FIELDS}
    try:
        hours = OpeningHours.parse(texts["timezone"], raw["opening_hours"])
    except OpeningHoursError as exc:
        raise ClinicConfigError(f"clinic file {path}: {exc}") from exc
    return Clinic(**texts, opening_hours=hours)
