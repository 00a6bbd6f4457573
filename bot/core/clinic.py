"""The clinic's contact details, read from the one file a clinic edits (`clinic.yml`).

The bot's responses interpolate them as `{clinic_phone}` and so on (set as slots at the
start of every session by the action server), so no phone number lives in the domain.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from pathlib import Path

import yaml


class ClinicConfigError(ValueError):
    """The clinic file is missing, malformed or incomplete."""


@dataclass(frozen=True)
class Clinic:
    """Details patients need to reach the clinic."""

    name: str
    phone: str
    email: str
    address: str
    hours: str
    website: str

    def as_slots(self) -> dict[str, str]:
        """Slot values for the domain's `clinic_*` slots."""
        return {f"clinic_{key}": value for key, value in asdict(self).items()}


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
    names = [f.name for f in fields(Clinic)]
    missing = [n for n in names if not isinstance(raw.get(n), str) or not raw[n].strip()]
    if missing:
        raise ClinicConfigError(f"clinic file {path} lacks: {', '.join(missing)}")
    unknown = sorted(set(raw) - set(names))
    if unknown:
        raise ClinicConfigError(f"clinic file {path} has unknown fields: {', '.join(unknown)}")
    return Clinic(**{n: raw[n].strip() for n in names})
