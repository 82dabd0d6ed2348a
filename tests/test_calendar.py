"""The iCalendar export of open requests, parsed back with icalendar."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import replace

from icalendar import Calendar

from gdprkit.legal.calendar import build_calendar, write_calendar
from gdprkit.model import RequestEvent
from tests.test_lifecycle import make

D = dt.date
CREATED = dt.datetime(2026, 3, 5, 10, 30, 15, 123456, tzinfo=dt.UTC)


def _req(rid="r3", **kw):
    return replace(make(rid=rid, **kw), created_at=CREATED)


def _events(data: bytes) -> dict[str, object]:
    cal = Calendar.from_ical(data)
    return {str(ev["UID"]): ev for ev in cal.walk("VEVENT")}


def test_due_and_followup_events_with_alarm():
    data, count = build_calendar([_req()], D(2026, 3, 20))
    assert count == 1
    cal = Calendar.from_ical(data)
    assert str(cal["VERSION"]) == "2.0" and "gdprkit" in str(cal["PRODID"])
    events = _events(data)
    assert set(events) == {"r3-due@gdprkit", "r3-followup@gdprkit"}

    due = events["r3-due@gdprkit"]
    assert str(due["SUMMARY"]) == "GDPR deadline: objection to ACME Srl (r3)"
    assert due.decoded("DTSTART") == D(2026, 4, 7)  # all-day: a date, not a date-time
    assert due.decoded("DTEND") == D(2026, 4, 8)
    [alarm] = due.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm.decoded("TRIGGER") == -dt.timedelta(days=1)

    follow = events["r3-followup@gdprkit"]
    assert str(follow["SUMMARY"]).startswith("Follow up: send reminder / complaint")
    assert follow.decoded("DTSTART") == D(2026, 4, 8)
    assert "gdprkit letter reminder --request r3" in str(follow["DESCRIPTION"])


def test_followup_skips_weekend_and_holiday():
    # Due Thursday 2026-04-30; 05-01 is a public holiday in Italy, then the weekend.
    req = _req(due=D(2026, 4, 30))
    follow = _events(build_calendar([req], D(2026, 4, 1))[0])["r3-followup@gdprkit"]
    assert follow.decoded("DTSTART") == D(2026, 5, 4)


def test_extended_deadline_is_used():
    req = _req(events=[("extended", D(2026, 3, 20), "complex")])
    due = _events(build_calendar([req], D(2026, 3, 21))[0])["r3-due@gdprkit"]
    assert due.decoded("DTSTART") == D(2026, 6, 5)
    assert "extended" in str(due["DESCRIPTION"])


def test_only_open_requests_are_included():
    reqs = [
        _req("r1"),
        _req("r2", events=[("answered", D(2026, 3, 10))]),
        _req("r3", events=[("closed", D(2026, 3, 10))]),
        _req("r4", kind="reminder", due=None),  # open, but no deadline of its own
        replace(_req("r5"), shredded=True),
    ]
    data, count = build_calendar(reqs, D(2026, 3, 20))
    assert count == 1
    assert set(_events(data)) == {"r1-due@gdprkit", "r1-followup@gdprkit"}


def test_overdue_requests_stay_in_the_calendar():
    data, count = build_calendar([_req()], D(2026, 5, 1))
    assert count == 1 and "r3-due@gdprkit" in _events(data)


def test_reproducible_bytes_and_stamp_from_the_data():
    reqs = [_req("r1"), _req("r2", sent=D(2026, 3, 9))]
    first, _ = build_calendar(reqs, D(2026, 3, 20))
    again, _ = build_calendar(reqs, D(2026, 3, 21))
    assert first == again
    assert _events(first)["r1-due@gdprkit"].decoded("DTSTAMP") == CREATED.replace(microsecond=0)
    # A new event moves the stamp and the sequence: calendar apps update the entry.
    later = dt.datetime(2026, 3, 22, 8, 0, tzinfo=dt.UTC)
    with_ev = replace(
        reqs[0], events=(RequestEvent("reminder-sent", D(2026, 3, 22), recorded_at=later),)
    )
    due = _events(build_calendar([with_ev], D(2026, 3, 22))[0])["r1-due@gdprkit"]
    assert due.decoded("DTSTAMP") == later and int(due["SEQUENCE"]) == 1


def test_no_personal_data_beyond_the_recipient_name():
    req = _req(events=[("reminder-sent", D(2026, 4, 9), "called Mario Bianchi at home")])
    data = build_calendar([req], D(2026, 4, 10))[0].decode()
    assert "ACME Srl" in data
    for secret in ("dpo@acme.example", "Garibaldi", "Mario Bianchi"):
        assert secret not in data


def test_empty_calendar_is_still_valid():
    data, count = build_calendar([], D(2026, 3, 20))
    assert count == 0
    assert Calendar.from_ical(data).walk("VEVENT") == []


def test_write_calendar_is_atomic_and_private(tmp_path):
    out = tmp_path / "deadlines.ics"
    out.write_bytes(b"old")
    assert write_calendar(out, [_req()], D(2026, 3, 20)) == 1
    assert len(_events(out.read_bytes())) == 2
    assert os.stat(out).st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["deadlines.ics"]  # no temp file left


def test_a_reminder_leaves_the_calendar_with_its_original():
    reminder = _req("r3", kind="reminder", sent=D(2026, 4, 10), due=D(2026, 4, 24),
                    related="r1")
    original = _req("r1", events=[("reminder-sent", D(2026, 4, 10))])
    data, count = build_calendar([original, reminder], D(2026, 4, 20))
    assert count == 2
    follow = _events(data)["r3-followup@gdprkit"]
    text = " ".join(str(follow["DESCRIPTION"]).split())
    assert "gdprkit letter complaint --request r1" in text and "reminder --request" not in text
    assert str(follow["SUMMARY"]).startswith("Follow up: complaint")
    assert "gdprkit request r1 answered" in str(_events(data)["r3-due@gdprkit"]["DESCRIPTION"])
    filed = replace(original, events=(*original.events,
                                      RequestEvent("complaint-filed", D(2026, 4, 27))))
    data, count = build_calendar([filed, reminder], D(2026, 4, 28))
    assert count == 0 and _events(data) == {}


def test_a_complaint_follow_up_points_to_art_78_not_to_a_reminder():
    complaint = _req("r4", kind="complaint", sent=D(2026, 5, 4), due=D(2026, 8, 4))
    data, count = build_calendar([complaint], D(2026, 5, 10))
    assert count == 1
    follow = _events(data)["r4-followup@gdprkit"]
    text = " ".join(str(follow["DESCRIPTION"]).split())
    assert "Art. 78(2)" in text and "gdprkit request r4 answered" in text
    assert "letter reminder" not in text and "letter complaint" not in text
    assert str(follow["SUMMARY"]).startswith("Follow up: complaint")
