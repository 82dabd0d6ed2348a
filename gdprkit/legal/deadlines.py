"""Legal deadlines: Art. 12(3) GDPR (and Art. 78(2)) counted per Regulation 1182/71.

Regulation (EEC, Euratom) No 1182/71 fixes how EU-law periods are counted:

* art. 3(1): a period starting from an event (receipt of the request) begins
  on the day *after* that event;
* art. 3(2)(c): a period of months ends on the day of the last month that has
  the same date as the day of the event, or, if that month has no such day,
  on its last day;
* art. 3(4): if the last day is a Saturday, Sunday or public holiday, the
  period ends at the end of the next working day.

Public holidays come from the ``holidays`` package for the controller's
country, plus regional ones when a subdivision (``DE-BY``) is given.  The
package is imported inside the functions so that importing this module (and
``gdprkit --help``) stays cheap.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .._validate import check_date
from ..errors import BadInput

__all__ = [
    "DueDate",
    "add_months",
    "complaint_followup_date",
    "due_date",
    "explain_due",
    "is_working_day",
    "next_working_day",
    "normalize_country",
    "split_country_code",
]

# Country codes people use that are not the ISO 3166-1 code of the country.
COUNTRY_ALIASES = {"UK": "GB", "EL": "GR"}

# Shown when a country code is not known; the deadline works for every country
# the holidays package knows, these are the ones gdprkit's letters target.
EUROPEAN_CODES = [
    "AT",
    "BE",
    "BG",
    "CH",
    "CY",
    "CZ",
    "DE",
    "DK",
    "EE",
    "ES",
    "FI",
    "FR",
    "GB",
    "GR",
    "HR",
    "HU",
    "IE",
    "IS",
    "IT",
    "LI",
    "LT",
    "LU",
    "LV",
    "MT",
    "NL",
    "NO",
    "PL",
    "PT",
    "RO",
    "SE",
    "SI",
    "SK",
]

RULE_TEXT = (
    "Art. 12(3) GDPR counted per Regulation (EEC, Euratom) No 1182/71: the period "
    "starts the day after receipt (art. 3(1)) and ends on the same date {months} later, "
    "or on the last day of that month if it has no such date (art. 3(2)(c)); if that "
    "day is a Saturday, Sunday or public holiday of the controller's country, it ends "
    "on the next working day (art. 3(4))."
)

_CODE_RE = re.compile(r"^([A-Za-z]{2})(?:-([A-Za-z0-9]{1,3}))?$")


def split_country_code(code: str) -> tuple[str, str | None]:
    """``'de-by'`` -> ``('DE', 'BY')``, ``'uk'`` -> ``('GB', None)``.

    Accepts an ISO 3166-1 alpha-2 code in any case (with ``UK`` for ``GB`` and
    ``EL`` for ``GR``), or an ISO 3166-2 code ``CC-SUB``.  Only the form is
    checked here, not whether the country exists.
    """
    text = (code or "").strip()
    match = _CODE_RE.match(text)
    if not match:
        raise BadInput(
            f"{code!r} is not a country code",
            hint="use an ISO 3166-1 alpha-2 code such as IT, DE, FR, or an ISO 3166-2 "
            "code such as DE-BY",
        )
    country = match.group(1).upper()
    country = COUNTRY_ALIASES.get(country, country)
    sub = match.group(2).upper() if match.group(2) else None
    return country, sub


@functools.lru_cache(maxsize=1)
def _supported_countries() -> Mapping[str, tuple[str, ...]]:
    """Countries (two-letter codes) the ``holidays`` package knows, with their
    subdivisions; built once (it is asked for every deadline), read-only."""
    import holidays

    return MappingProxyType(
        {
            cc: tuple(subs)
            for cc, subs in holidays.list_supported_countries().items()
            if len(cc) == 2
        }
    )


@functools.lru_cache(maxsize=64)
def _subdivision_spellings(cc: str) -> tuple[tuple[str, ...], Mapping[str, str]]:
    """(subdivision codes, case-folded spelling -> spelling the package expects) of ``cc``."""
    import holidays

    cls = holidays.country_holidays(cc).__class__
    names = tuple(getattr(cls, "subdivisions", ()) or ())
    aliases = dict(getattr(cls, "subdivisions_aliases", {}) or {})
    by_fold = {n.casefold(): n for n in names}
    by_fold.update({a.casefold(): a for a in aliases})
    return names, MappingProxyType(by_fold)


def normalize_country(country: str, subdivision: str | None = None) -> tuple[str, str | None]:
    """Validate a controller country (and optional subdivision) for holiday lookup.

    Returns ``(CC, SUBDIVISION)`` with the subdivision spelled as the
    ``holidays`` package expects it.  Raises :class:`BadInput` with a hint when
    the country or the subdivision is unknown, or when ``DE-BY`` and a
    different ``subdivision`` are both given.
    """
    cc, sub_from_code = split_country_code(country)
    if subdivision is not None and not str(subdivision).strip():
        subdivision = None
    if sub_from_code and subdivision and sub_from_code != str(subdivision).strip().upper():
        raise BadInput(
            f"country {country!r} and subdivision {subdivision!r} disagree",
            hint="give the subdivision once, either as DE-BY or as --subdivision BY",
        )
    wanted = sub_from_code or (str(subdivision).strip() if subdivision else None)

    supported = _supported_countries()
    if cc not in supported:
        raise BadInput(
            f"unknown country {country!r}",
            hint="use an ISO 3166-1 alpha-2 code, e.g. "
            + ", ".join(EUROPEAN_CODES)
            + " (UK works for GB)",
        )
    if wanted is None:
        return cc, None
    names, by_fold = _subdivision_spellings(cc)
    found = by_fold.get(wanted.casefold())
    if found is None:
        raise BadInput(
            f"unknown subdivision {wanted!r} of {cc}",
            hint=("valid: " + ", ".join(names)) if names else f"{cc} has no subdivisions",
        )
    return cc, found


@functools.lru_cache(maxsize=64)
def _holiday_calendar(cc: str, subdivision: str | None):
    import holidays

    cls = holidays.country_holidays(cc).__class__
    languages = getattr(cls, "supported_languages", ()) or ()
    language = "en_US" if "en_US" in languages else None
    return holidays.country_holidays(cc, subdiv=subdivision, language=language)


def _non_working_reasons(day: _dt.date, cc: str, subdivision: str | None) -> list[str]:
    reasons: list[str] = []
    if day.weekday() >= 5:
        reasons.append(calendar.day_name[day.weekday()])
    reasons.extend(_holiday_calendar(cc, subdivision).get_list(day))
    return reasons


def is_working_day(day: _dt.date, country: str, subdivision: str | None = None) -> bool:
    """True unless ``day`` is a Saturday, Sunday or public holiday there."""
    cc, sub = normalize_country(country, subdivision)
    return not _non_working_reasons(day, cc, sub)


def add_months(d: _dt.date, n: int) -> _dt.date:
    """The same date ``n`` months later, or that month's last day (1182/71 art. 3(2)(c))."""
    index = d.year * 12 + (d.month - 1) + n
    year, month0 = divmod(index, 12)
    month = month0 + 1
    last = calendar.monthrange(year, month)[1]
    return _dt.date(year, month, min(d.day, last))


def _roll(day: _dt.date, cc: str, sub: str | None) -> tuple[_dt.date, list[tuple[_dt.date, str]]]:
    skipped: list[tuple[_dt.date, str]] = []
    while True:
        reasons = _non_working_reasons(day, cc, sub)
        if not reasons:
            return day, skipped
        skipped.append((day, ", ".join(reasons)))
        day += _dt.timedelta(days=1)


def next_working_day(d: _dt.date, country: str, subdivision: str | None = None) -> _dt.date:
    """``d`` itself if it is a working day there, else the first working day after it."""
    cc, sub = normalize_country(country, subdivision)
    return _roll(d, cc, sub)[0]


@dataclass(frozen=True)
class DueDate:
    """An Art. 12(3) deadline and how it was reached."""

    received: _dt.date
    nominal_end: _dt.date  # before moving off weekends and holidays
    due: _dt.date
    extended: bool
    country: str
    subdivision: str | None
    skipped: list[tuple[_dt.date, str]] = field(default_factory=list)
    rule: str = ""

    @property
    def months(self) -> int:
        return 3 if self.extended else 1

    def to_dict(self) -> dict:
        return {
            "received": self.received.isoformat(),
            "nominal_end": self.nominal_end.isoformat(),
            "due": self.due.isoformat(),
            "extended": self.extended,
            "months": self.months,
            "country": self.country,
            "subdivision": self.subdivision,
            "skipped": [{"date": d.isoformat(), "reason": r} for d, r in self.skipped],
            "rule": self.rule,
        }


def explain_due(
    received: _dt.date,
    country: str,
    *,
    subdivision: str | None = None,
    extended: bool = False,
) -> DueDate:
    """The Art. 12(3) deadline for a request received on ``received``, with reasons.

    ``country`` is the controller's country (``IT``, ``uk``, ``DE-BY``);
    ``extended`` gives the end of the period extended by two further months
    (three months from receipt in all).
    """
    if isinstance(received, _dt.datetime):
        received = received.date()
    if not isinstance(received, _dt.date):
        raise BadInput(f"{received!r} is not a date")
    check_date(received, "the receipt date")
    cc, sub = normalize_country(country, subdivision)
    months = 3 if extended else 1
    nominal = add_months(received, months)
    due, skipped = _roll(nominal, cc, sub)
    rule = RULE_TEXT.format(months="three months" if extended else "one month")
    return DueDate(
        received=received,
        nominal_end=nominal,
        due=due,
        extended=extended,
        country=cc,
        subdivision=sub,
        skipped=skipped,
        rule=rule,
    )


def due_date(
    received: _dt.date,
    country: str,
    *,
    subdivision: str | None = None,
    extended: bool = False,
) -> _dt.date:
    """The last day the controller has to answer (Art. 12(3) GDPR)."""
    if (
        type(received) is _dt.date
        and type(country) is str
        and (subdivision is None or type(subdivision) is str)
    ):  # the usual call: answered from a cache (a batch sends many letters on one day)
        return _due_date(received, country, subdivision, bool(extended))
    return explain_due(received, country, subdivision=subdivision, extended=extended).due


@functools.lru_cache(maxsize=1024)
def _due_date(
    received: _dt.date, country: str, subdivision: str | None, extended: bool
) -> _dt.date:
    return explain_due(received, country, subdivision=subdivision, extended=extended).due


def complaint_followup_date(
    filed: _dt.date, country: str, *, subdivision: str | None = None
) -> _dt.date:
    """End of the Art. 78(2) GDPR three-month term after lodging a complaint.

    If the supervisory authority (in ``country``) has neither handled the
    complaint nor informed on its progress by this day, the complainant may
    go to court.  Counted like Art. 12(3): three months, then the next
    working day.
    """
    check_date(filed, "the filing date")
    cc, sub = normalize_country(country, subdivision)
    return _roll(add_months(filed, 3), cc, sub)[0]
