"""Pages rendered from the Jinja2 templates, with the clinic's details on every page.

Autoescaping is on: text typed by patients is shown on staff pages and must never become
markup. Times are stored in UTC; every page shows them in the clinic's time zone (from
`clinic.yml`), with the zone's abbreviation, because that is the clock staff work by.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sanic.request import Request
from sanic.response import HTTPResponse, html

from bot.core.clinic import Clinic, load_clinic
from bot.core.opening_hours import clock
from bot.settings import Settings


@dataclass(frozen=True)
class LocalTimes:
    """Times as the clinic reads them: "Dec 1, 2:05 pm CST".

    `now` decides whether a date needs its year (only when it is not this year's).
    """

    zone: ZoneInfo
    now: dt.datetime

    def when(self, at: dt.datetime) -> str:
        """Date, time and zone: "Dec 1, 2:05 pm CST" ("Dec 1, 2024, 2:05 pm CST")."""
        return f"{self.date(at)}, {self.time(at)}"

    def date(self, at: dt.datetime) -> str:
        """The clinic's day of `at`: "Dec 1", with the year when it is not this year."""
        local = at.astimezone(self.zone)
        year = "" if local.year == self.now.astimezone(self.zone).year else f", {local.year}"
        return f"{local:%b} {local.day}{year}"

    def time(self, at: dt.datetime) -> str:
        """The clinic's time of day of `at` and the zone in effect then: "2:05 pm CDT"."""
        local = at.astimezone(self.zone)
        return f"{clock(local.time())} {zone_name(local)}"

    def same_day(self, one: dt.datetime, other: dt.datetime) -> bool:
        """Whether two times fall on the same day at the clinic."""
        return one.astimezone(self.zone).date() == other.astimezone(self.zone).date()


def zone_name(local: dt.datetime) -> str:
    """The zone's abbreviation ("CST"); zones without one get their offset ("UTC-03")."""
    name = local.tzname() or ""
    return f"UTC{name}" if name.startswith(("+", "-")) else name


def clinic_of(request: Request) -> Clinic:
    """The clinic's details, read on every request so that an edit applies at once."""
    settings: Settings = request.app.ctx.settings
    return load_clinic(settings.clinic_file)


def render(request: Request, template: str, status: int = 200, **context: object) -> HTTPResponse:
    """Render a template with the clinic's details and its clock (`local`)."""
    page = request.app.ctx.templates.get_template(template)
    clinic = clinic_of(request)
    local = LocalTimes(clinic.opening_hours.zone, dt.datetime.now(dt.UTC))
    body = page.render(clinic=clinic, local=local, **context)
    return html(body, status=status)
