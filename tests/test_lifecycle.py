"""Request lifecycle: derived status and deadline, validated transitions."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gdprkit.errors import BadInput
from gdprkit.legal.deadlines import add_months, complaint_followup_date, due_date
from gdprkit.legal.lifecycle import (
    EVENT_TYPES,
    OPEN_STATUSES,
    derive,
    derive_all,
    resolve_country,
    validate_event,
    working_day_on_or_after,
)
from gdprkit.model import Request, RequestEvent

D = dt.date
SENT = D(2026, 3, 5)  # LEGAL.md worked example: due 2026-04-07 in Italy (Easter)


def make(
    events=(), *, kind="objection", sent=SENT, due="auto", country="IT", rid="r1", related=None
) -> Request:
    if due == "auto":
        due = due_date(sent, country) if country else None
    return Request(
        id=rid,
        kind=kind,
        lang="en",
        format="txt",
        recipient_name="ACME Srl",
        recipient_email="dpo@acme.example",
        recipient_address="Via Garibaldi 2, Milano",
        recipient_country=country,
        contact=None,
        incidents=(),
        sent=sent,
        due=due,
        sha256="0" * 64,
        related_request=related,
        events=tuple(
            RequestEvent(type=t, on=on, note=note)
            for t, on, *rest in events
            for note in [rest[0] if rest else None]
        ),
    )


def add(req: Request, etype: str, on: dt.date, note=None, *, today=None) -> Request:
    """Validate, then append, as the CLI does."""
    validate_event(req, etype, on, today=today)
    return replace(req, events=(*req.events, RequestEvent(type=etype, on=on, note=note)))


def refused(req: Request, etype: str, on: dt.date, **kw) -> str:
    with pytest.raises(BadInput) as info:
        validate_event(req, etype, on, **kw)
    return str(info.value)


# ----------------------------------------------------------------- plain requests
def test_open_request_counts_down_to_the_stated_deadline():
    st_ = derive(make(), D(2026, 3, 20))
    assert st_.status == "open" and st_.open
    assert st_.due == st_.plain_due == D(2026, 4, 7)
    assert st_.days_left == 18 and not st_.overdue and not st_.paused
    assert st_.followup == D(2026, 4, 8)
    assert st_.country == "IT"
    assert (
        st_.history[0] == "Sent 2026-03-05; due 2026-04-07 (as stated in the letter; IT holidays)."
    )
    assert st_.history[-1] == "18 days left on 2026-03-20."


def test_due_day_itself_is_not_overdue_the_day_after_is():
    req = make()
    assert derive(req, D(2026, 4, 7)).overdue is False
    after = derive(req, D(2026, 4, 8))
    assert after.overdue is True and after.days_left == -1 and after.status == "open"
    assert after.history[-1].startswith("Overdue by 1 day on 2026-04-08")


def test_due_is_computed_when_the_letter_stored_none():
    st_ = derive(make(due=None), D(2026, 3, 6))
    assert st_.due == D(2026, 4, 7)  # 04-05 Easter Sunday, 04-06 Easter Monday
    assert "Art. 12(3) GDPR: one month" in st_.history[0]


def test_profile_country_is_the_fallback_for_holidays():
    req = make(country=None, due=None)
    assert derive(req, SENT, fallback_country="IT").due == D(2026, 4, 7)


def test_no_country_means_weekends_only_and_says_so():
    st_ = derive(make(country=None, due=None), SENT)
    assert st_.country is None
    assert st_.due == D(2026, 4, 6)  # Sunday skipped, Easter Monday not known
    assert "Saturdays and Sundays only" in st_.history[0]


def test_unknown_country_code_falls_through_to_the_next_source():
    req = replace(make(due=None), recipient_country="XX")
    country, notes = resolve_country(req, "de-by")
    assert country == "DE-BY"
    assert notes == ["the recipient's country 'XX' is not a known country code; not used."]
    assert derive(req, SENT, fallback_country="IT").due == D(2026, 4, 7)


def test_shredded_request_has_no_deadline():
    req = replace(make(), shredded=True)
    st_ = derive(req, D(2027, 1, 1))
    assert (st_.status, st_.open, st_.due, st_.overdue) == ("shredded", False, None, False)
    assert "shredded" in refused(req, "answered", D(2026, 3, 10))


# ----------------------------------------------------------------- extension
def test_extension_within_first_month_gives_three_months_from_receipt():
    req = add(make(), "extended", D(2026, 3, 20), "many requests")
    st_ = derive(req, D(2026, 4, 20))
    assert st_.status == "extended" and st_.extended
    assert st_.due == due_date(SENT, "IT", extended=True) == D(2026, 6, 5)
    assert st_.plain_due == D(2026, 4, 7)
    assert not st_.overdue and st_.days_left == 46
    assert "(many requests)" in st_.history[1]


def test_extension_on_the_last_day_of_the_first_month_is_accepted():
    # The first month ends 2026-04-07 (Easter moves it), not on 04-05.
    req = add(make(), "extended", D(2026, 4, 7))
    assert derive(req, D(2026, 4, 8)).due == D(2026, 6, 5)


def test_extension_after_first_month_is_refused_and_deadline_kept():
    msg = refused(make(), "extended", D(2026, 4, 8))
    assert msg == (
        "the extension was notified on 2026-04-08, after the first month ended on 2026-04-07: "
        "Art. 12(3) GDPR requires the controller to inform the data subject within one month "
        "of receipt, so the extension does not apply and the deadline stays 2026-04-07"
    )


def test_late_extension_already_in_the_ledger_is_ignored_by_derive():
    req = make([("extended", D(2026, 5, 2))])
    st_ = derive(req, D(2026, 5, 10))
    assert st_.due == D(2026, 4, 7) and st_.overdue and not st_.extended
    assert st_.status == "open"
    assert any("extended not taken into account" in line for line in st_.history)


def test_second_extension_is_refused():
    req = add(make(), "extended", D(2026, 3, 10))
    assert "already extended on 2026-03-10" in refused(req, "extended", D(2026, 3, 12))


def test_extension_after_answer_or_on_closed_request_is_refused():
    answered = add(make(), "answered", D(2026, 3, 10))
    assert refused(answered, "extended", D(2026, 3, 11)) == (
        "request r1 was answered on 2026-03-10; only complaint-filed or closed can follow, "
        "not extended"
    )
    closed = add(make(), "closed", D(2026, 3, 10))
    assert refused(closed, "extended", D(2026, 3, 11)) == (
        "request r1 is closed (since 2026-03-10); no further events can be recorded"
    )


# ----------------------------------------------------------------- identity pause
def test_identity_check_pauses_and_resumes_the_day_after():
    req = add(make(), "id-check", D(2026, 3, 10))
    paused = derive(req, D(2026, 5, 1))
    # Paused: never overdue, deadline provisional as if ID arrived today.
    assert paused.status == "paused" and paused.paused and not paused.overdue
    assert paused.paused_days == (D(2026, 5, 1) - D(2026, 3, 10)).days
    req = add(req, "id-provided", D(2026, 3, 17))
    st_ = derive(req, D(2026, 3, 18))
    assert st_.paused_days == 7 and not st_.paused and st_.status == "open"
    # Nominal end 2026-04-05 + 7 days = 04-12 (a Sunday) -> Monday 04-13.
    assert st_.due == D(2026, 4, 13)


def test_pause_extends_the_extended_deadline_too():
    req = make()
    for etype, on in [
        ("id-check", D(2026, 3, 6)),
        ("id-provided", D(2026, 3, 9)),
        ("extended", D(2026, 4, 1)),
    ]:
        req = add(req, etype, on)
    # 2026-06-05 + 3 paused days = 06-08, a Monday.
    assert derive(req, D(2026, 4, 2)).due == D(2026, 6, 8)


def test_id_provided_without_id_check_is_refused():
    assert refused(make(), "id-provided", D(2026, 3, 9)) == (
        "no identity check is pending on r1; record id-check (the date the controller "
        "asked for identification) first"
    )


def test_second_id_check_while_paused_is_refused():
    req = add(make(), "id-check", D(2026, 3, 9))
    assert "already pending since 2026-03-09" in refused(req, "id-check", D(2026, 3, 10))


def test_id_check_after_the_deadline_does_not_pause():
    msg = refused(make(), "id-check", D(2026, 4, 8))
    assert "ended on 2026-04-07" in msg and "does not pause the clock" in msg


def test_extension_while_paused_counts_the_pause_in_the_first_month():
    req = add(make(), "id-check", D(2026, 3, 10))
    # Without the pause 2026-04-20 would be late; 41 paused days so far keep it inside.
    req = add(req, "extended", D(2026, 4, 20))
    assert derive(req, D(2026, 4, 20)).extended


# ----------------------------------------------------------------- answers and dates
def test_answered_on_time_and_late():
    on_time = derive(add(make(), "answered", D(2026, 4, 1)), D(2026, 6, 1))
    assert on_time.status == "answered" and not on_time.open and not on_time.overdue
    assert on_time.days_left is None and on_time.followup is None
    assert on_time.history[-1] == "2026-04-01: answered on time."
    late = derive(add(make(), "answered", D(2026, 4, 10)), D(2026, 6, 1))
    assert late.history[-1] == "2026-04-10: answered 3 days late."


def test_partial_answer_keeps_the_clock_running():
    st_ = derive(add(make(), "partially-answered", D(2026, 3, 20)), D(2026, 4, 9))
    assert st_.status == "partially-answered" and st_.open and st_.overdue


def test_reminder_does_not_move_the_deadline():
    st_ = derive(add(make(), "reminder-sent", D(2026, 4, 9)), D(2026, 4, 10))
    assert st_.status == "reminded" and st_.due == D(2026, 4, 7) and st_.overdue


def test_refusal_then_complaint_then_close():
    req = add(make(), "refused", D(2026, 3, 20), "legitimate interest")
    assert derive(req, D(2026, 3, 21)).status == "refused"
    assert "only complaint-filed or closed" in refused(req, "reminder-sent", D(2026, 3, 22))
    req = add(req, "complaint-filed", D(2026, 3, 25))
    assert derive(req, D(2026, 3, 26)).status == "complaint-filed"
    req = add(req, "closed", D(2026, 9, 1))
    st_ = derive(req, D(2026, 9, 2))
    assert st_.status == "closed" and not st_.open
    assert "is closed" in refused(req, "answered", D(2026, 9, 3))


def test_event_before_sending_is_refused():
    assert refused(make(), "answered", D(2026, 3, 4)) == (
        "request r1 was sent on 2026-03-05; an event cannot be dated before that "
        "(answered on 2026-03-04)"
    )


def test_events_are_recorded_in_date_order():
    req = add(make(), "reminder-sent", D(2026, 4, 10))
    assert refused(req, "answered", D(2026, 4, 9)) == (
        "events are recorded in date order: the last one (reminder-sent) is dated 2026-04-10, "
        "so answered cannot be dated 2026-04-09"
    )


def test_future_event_is_refused_when_today_is_known():
    msg = refused(make(), "answered", D(2026, 3, 20), today=D(2026, 3, 19))
    assert (
        msg == "2026-03-20 is in the future (today is 2026-03-19); record events when they happen"
    )


def test_unknown_event_type_is_refused():
    assert "unknown event 'ignored'" in refused(make(), "ignored", D(2026, 3, 20))


def test_sent_event_redates_the_deadline():
    req = add(make(), "sent", D(2026, 3, 9), "posted by registered mail")
    st_ = derive(req, D(2026, 3, 10))
    assert st_.sent == D(2026, 3, 9)
    assert st_.due == st_.plain_due == due_date(D(2026, 3, 9), "IT") == D(2026, 4, 9)
    assert "before that" in refused(req, "answered", D(2026, 3, 8))


def test_sent_event_only_before_other_events_and_not_before_recorded_date():
    assert "sent on 2026-03-05" in refused(make(), "sent", D(2026, 3, 1))
    req = add(make(), "id-check", D(2026, 3, 6))
    assert "can only be changed before any other event" in refused(req, "sent", D(2026, 3, 7))


# ----------------------------------------------------------------- other letter kinds
def test_complaint_letter_follows_article_78_2():
    req = make(kind="complaint", due=None)
    st_ = derive(req, D(2026, 3, 6))
    assert st_.due == complaint_followup_date(SENT, "IT") == D(2026, 6, 5)
    assert "Art. 78(2)" in st_.history[0]
    msg = refused(req, "extended", D(2026, 3, 10))
    assert msg == (
        "extended applies to a request to a controller under Art. 12(3)/(6) GDPR, "
        "not to a complaint letter"
    )


def test_reminder_letter_without_stored_due_has_no_deadline():
    req = make(kind="reminder", due=None, rid="r2", related="r1")
    st_ = derive(req, D(2027, 1, 1))
    assert st_.open and st_.due is None and not st_.overdue and st_.days_left is None
    assert "record it on r1" in refused(req, "id-check", D(2026, 3, 10))


# ------------------------------------------------- reminders belong to the original
def _reminder(sent=D(2026, 4, 10), due=D(2026, 4, 24)):
    return make(kind="reminder", sent=sent, due=due, rid="r3", related="r1")


def _escalated(*events):
    req = make()
    for etype, on in events:
        req = add(req, etype, on)
    return req


@pytest.mark.parametrize(
    ("events", "status"),
    [
        ([("reminder-sent", D(2026, 4, 10)), ("complaint-filed", D(2026, 4, 27))],
         "complaint-filed"),
        ([("reminder-sent", D(2026, 4, 10)), ("answered", D(2026, 4, 20))], "answered"),
        ([("refused", D(2026, 4, 12))], "refused"),
        ([("closed", D(2026, 4, 15))], "closed"),
    ],
)
def test_a_reminder_is_no_longer_open_once_its_original_is_not(events, status):
    original = _escalated(*events)
    reminder = _reminder()
    today = D(2026, 5, 1)  # the reminder's final term (04-24) has passed
    alone = derive(reminder, today)
    assert alone.overdue and alone.open  # judged on its own: the old behaviour
    state = derive(reminder, today, original=original)
    assert state.status == status
    assert not state.open and not state.overdue
    assert state.days_left is None and state.followup is None
    since = events[-1][1]
    assert state.history[-1] == (
        f"r1, the request this reminder follows, was {status.replace('-', ' ')} on {since}: "
        "the reminder is no longer open.")
    # derive_all pairs each reminder with its original, in any order
    pairs = dict((r.id, s) for r, s in derive_all([reminder, original], today))
    assert pairs["r3"] == state and pairs["r1"].status == status


def test_a_reminder_stays_open_and_overdue_while_its_original_is_open():
    original = _escalated(("reminder-sent", D(2026, 4, 10)))
    state = derive(_reminder(), D(2026, 4, 27), original=original)
    assert state.status == "open" and state.open and state.overdue
    assert state.history[-1] == (
        "Overdue by 3 days on 2026-04-27: the final term it gave has passed: complain about "
        "r1 from 2026-04-27.")
    # before its final term it is open and not overdue
    assert not derive(_reminder(), D(2026, 4, 20), original=original).overdue


def test_a_reminder_of_a_shredded_original_is_closed():
    state = derive(_reminder(), D(2026, 5, 1), original=replace(make(), shredded=True))
    assert state.status == "closed" and not state.open


def test_the_answer_to_a_reminder_is_recorded_on_the_original():
    reminder = _reminder()
    for etype in ("answered", "partially-answered", "refused", "complaint-filed",
                  "reminder-sent", "extended"):
        assert refused(reminder, etype, D(2026, 4, 20)) == (
            f"r3 is a reminder of r1: {etype} is an event of the request it follows; "
            "record it on r1")
    validate_event(reminder, "closed", D(2026, 4, 20))  # closing the reminder itself is fine


# ----------------------------------------------------------------- properties
_DAYS = st.integers(min_value=0, max_value=150)
_STEPS = st.lists(st.tuples(st.sampled_from(EVENT_TYPES), st.integers(0, 40)), max_size=12)
_FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _build(sent_offset: int, steps, country):
    """Apply random steps; keep those validate accepts (the ledger only holds those)."""
    sent = D(2026, 1, 1) + dt.timedelta(days=sent_offset)
    req = make(sent=sent, due=None, country=country)
    on = sent
    for etype, gap in steps:
        on = on + dt.timedelta(days=gap)
        try:
            req = add(req, etype, on)
        except BadInput:
            continue
    return req, on


@_FAST
@given(_DAYS, _STEPS, st.sampled_from(["IT", "DE-BY", None]), st.integers(0, 400))
def test_accepted_sequences_derive_consistently(sent_offset, steps, country, later):
    req, last = _build(sent_offset, steps, country)
    today = last + dt.timedelta(days=later)
    st_ = derive(req, today)
    assert st_.open == (st_.status in OPEN_STATUSES)
    assert st_.due >= st_.plain_due  # a pause or extension never shortens the deadline
    if st_.overdue:
        assert st_.open and not st_.paused and today > st_.due
    # Paused days are counted exactly: each check to its answer, a pending one to today.
    if st_.open:
        checks = [e.on for e in req.events if e.type == "id-check"]
        given_ = [e.on for e in req.events if e.type == "id-provided"]
        expected = sum((p - c).days for c, p in zip(checks, given_, strict=False))
        if len(checks) > len(given_):
            expected += (max(today, checks[-1]) - checks[-1]).days
        assert st_.paused_days == expected
        assert st_.paused == (len(checks) > len(given_))
    # ... and extend the deadline exactly (then 1182/71 art. 3(4) applies).
    base = {e.type: e.on for e in req.events if e.type == "sent"}.get("sent", req.sent)
    months = 3 if st_.extended else 1
    nominal = add_months(base, months) + dt.timedelta(days=st_.paused_days)
    assert st_.due == working_day_on_or_after(nominal, country)
    assert st_.followup is None or st_.followup > st_.due


@_FAST
@given(_DAYS, _STEPS, st.integers(0, 400))
def test_derive_never_crashes_on_unvalidated_event_orders(sent_offset, steps, later):
    # Events written by another tool, in any order: derive explains, never raises.
    sent = D(2026, 1, 1) + dt.timedelta(days=sent_offset)
    events = [(t, sent + dt.timedelta(days=gap - 10)) for t, gap in steps]
    req = make(events, sent=sent)
    st_ = derive(req, sent + dt.timedelta(days=later))
    assert st_.due >= st_.plain_due
    assert len(st_.history) >= 1 + len(events)


def test_an_overdue_complaint_advises_the_court_remedy_not_a_reminder():
    import datetime as _dt

    from gdprkit.legal.lifecycle import derive
    from gdprkit.model import Request

    complaint = Request(id="r4", kind="complaint", lang="en", format="txt",
                        recipient_name="Garante", recipient_email=None, recipient_address=None,
                        contact=None, incidents=(), sent=_dt.date(2026, 1, 12),
                        due=_dt.date(2026, 4, 13), sha256="ab" * 32, recipient_country="IT")
    state = derive(complaint, _dt.date(2026, 5, 20))
    assert state.overdue
    assert "Art. 78(2)" in state.history[-1] and "reminder" not in state.history[-1]
