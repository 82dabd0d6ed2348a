"""Deadlines of open requests as an RFC 5545 iCalendar file.

For each open request: an all-day event on its due date with an alarm one day
before, and an all-day follow-up event on the first working day after it (the
day to send a reminder or complain).  The file is reproducible: UIDs are the
request id (``r3-due@gdprkit``, ``r3-followup@gdprkit``) and DTSTAMP is the
time of the request's newest ledger entry, so the same ledger gives the same
bytes and a calendar application sees an event change only when the request
did.  Only the recipient's name appears: no addresses, e-mails or notes.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Iterable

from ..model import Request
from .lifecycle import RequestState, derive_all

__all__ = ["build_calendar", "write_calendar"]

PRODID = "-//gdprkit//GDPR request deadlines//EN"
_DAY = _dt.timedelta(days=1)


def _stamp(request: Request) -> _dt.datetime:
    """Newest ledger time behind the request: changes only when the request does."""
    times = [t for t in [request.created_at, *(e.recorded_at for e in request.events)] if t]
    if not times:
        return _dt.datetime.combine(request.sent, _dt.time(0), tzinfo=_dt.UTC)
    newest = max(t if t.tzinfo else t.replace(tzinfo=_dt.UTC) for t in times)
    return newest.astimezone(_dt.UTC).replace(microsecond=0)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _events_for(request: Request, state: RequestState, scope: str = "") -> list:
    from icalendar import Alarm, Event

    who = _one_line(request.recipient_name)
    stamp = _stamp(request)
    sequence = len(request.events)
    what = f"{request.kind} to {who} ({request.id})"
    due_text = f"Deadline {state.due.isoformat()}"
    if state.paused:
        due_text += " (provisional: the clock is paused for identification, Art. 12(6) GDPR)"
    elif state.extended:
        due_text += " (extended, Art. 12(3) GDPR)"
    # the answer to a reminder is recorded on, and the complaint made about,
    # the request it follows
    original = request.related_request if request.kind == "reminder" else None
    target = original or request.id
    description = (
        f"{what}, sent {state.sent.isoformat()}. {due_text}. Status: {state.status}. "
        f"When it is answered: gdprkit request {target} answered"
    )

    due = Event()
    due.add("uid", f"{request.id}-due{scope}@gdprkit")
    due.add("dtstamp", stamp)
    due.add("sequence", sequence)
    due.add("summary", f"GDPR deadline: {what}")
    due.add("description", description)
    due.add("dtstart", state.due)
    due.add("dtend", state.due + _DAY)
    due.add("transp", "TRANSPARENT")
    due.add("categories", ["GDPR"])
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"Tomorrow: GDPR deadline, {what}")
    alarm.add("trigger", -_DAY)
    due.add_component(alarm)

    follow = Event()
    follow.add("uid", f"{request.id}-followup{scope}@gdprkit")
    follow.add("dtstamp", stamp)
    follow.add("sequence", sequence)
    if request.kind == "complaint":
        follow.add("summary", f"Follow up: complaint — {what}")
        follow.add(
            "description",
            f"If {who} has not handled the complaint {request.id} or told you how it is "
            f"progressing within three months (by {state.due.isoformat()}), you may go to "
            "court against the authority (Art. 78(2) GDPR). When it answers: "
            f"gdprkit request {request.id} answered",
        )
    elif original:  # a second reminder is refused: what is left is the complaint
        follow.add("summary", f"Follow up: complaint — {what}")
        follow.add(
            "description",
            f"If {who} has not answered by the final term of the reminder {request.id} "
            f"(due {state.due.isoformat()}): a complaint to the supervisory authority "
            f"(Art. 77 GDPR) about {original}: gdprkit letter complaint --request {original}",
        )
    else:
        follow.add("summary", f"Follow up: send reminder / complaint — {what}")
        follow.add(
            "description",
            f"If {who} has not answered the {request.kind} request {request.id} "
            f"(due {state.due.isoformat()}): gdprkit letter reminder --request {request.id}, "
            f"or a complaint to the supervisory authority (Art. 77 GDPR): "
            f"gdprkit letter complaint --request {request.id}",
        )
    follow.add("dtstart", state.followup)
    follow.add("dtend", state.followup + _DAY)
    follow.add("transp", "TRANSPARENT")
    follow.add("categories", ["GDPR"])
    return [due, follow]


def build_calendar(
    requests: Iterable[Request], today: _dt.date, *, fallback_country: str | None = None,
    ledger_id: str | None = None,
) -> tuple[bytes, int]:
    """The iCalendar bytes for the open requests, and how many requests it holds.

    ``today`` decides which requests are open and, for paused ones, the
    provisional deadline; ``fallback_country`` is the requester's profile
    country (see :func:`gdprkit.legal.lifecycle.derive`).  A reminder is judged
    with the request it follows when that one is among ``requests`` (it leaves
    the calendar once the original is answered, refused, complained about or
    closed).  ``ledger_id`` goes
    into the event UIDs, so that calendars of two ledgers (both with an ``r1``)
    do not overwrite each other's events in a calendar application.
    """
    scope = f".{ledger_id[:16]}" if ledger_id else ""
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "GDPR deadlines (gdprkit)")
    count = 0
    for request, state in derive_all(requests, today, fallback_country=fallback_country):
        if not state.open or state.due is None:
            continue
        for component in _events_for(request, state, scope):
            cal.add_component(component)
        count += 1
    return cal.to_ical(), count


def write_calendar(
    path: str | os.PathLike,
    requests: Iterable[Request],
    today: _dt.date,
    *,
    fallback_country: str | None = None,
    ledger_id: str | None = None,
) -> int:
    """Write the calendar atomically to ``path``; returns the number of requests in it."""
    from .._io import write_atomic

    data, count = build_calendar(requests, today, fallback_country=fallback_country,
                                 ledger_id=ledger_id)
    write_atomic(path, data)
    return count
