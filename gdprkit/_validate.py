"""Checks of values a user types in.

One rule for each, used where the value enters (``init``, ``profile set``,
``contact add``, ``log``, ``letter``) and where it is used (the eml writer),
so that a value stored today cannot make a letter fail later.  Every check
raises :class:`~gdprkit.errors.BadInput` with a one-line message naming the
value; the CLI turns it into a usage error where it comes from an option.
"""

from __future__ import annotations

import datetime as _dt

from .errors import BadInput

# -- dates ----------------------------------------------------------------------
#: The dates gdprkit accepts for incidents, letters and request events.  Later
#: or earlier dates are typing errors, and the deadline arithmetic (a date plus
#: three months, then holidays) must stay inside what Python can represent.
MIN_DATE = _dt.date(1970, 1, 1)
MAX_DATE = _dt.date(2999, 12, 31)
DATE_RANGE_TEXT = f"from {MIN_DATE.isoformat()} to {MAX_DATE.isoformat()}"


def date_in_range(day: _dt.date) -> bool:
    if isinstance(day, _dt.datetime):
        day = day.date()
    return MIN_DATE <= day <= MAX_DATE


def check_date(day: _dt.date, what: str = "the date") -> _dt.date:
    """``day`` itself, or :class:`BadInput` when it is outside 1970-01-01 .. 2999-12-31."""
    if not date_in_range(day):
        raise BadInput(f"{what} {day.isoformat()} is out of range",
                       hint=f"gdprkit accepts dates {DATE_RANGE_TEXT}")
    return day
