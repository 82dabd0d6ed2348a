"""Request lifecycle: status and deadline derived from a request and its events.

A request (a letter recorded by ``gdprkit letter``) carries the date it was
sent and the deadline the letter stated.  Everything that happens afterwards
is an append-only event in the ledger (``extended``, ``id-check``, ...).  The
status and the current deadline are never stored: :func:`derive` computes them
from the request and its events, and :func:`validate_event` decides whether a
new event may be recorded.  Both walk the events through the same fold, so an
event that :func:`validate_event` accepts is exactly one that :func:`derive`
takes into account.

Rules (LEGAL.md, "Deadline arithmetic"):

* Art. 12(3) GDPR: one month from receipt, counted per Regulation 1182/71
  (:mod:`gdprkit.legal.deadlines`).  The sending date stands for the date of
  receipt, as in the letters.
* ``extended``: the controller extended the period by two further months.  It
  must tell the data subject *within the first month*; a later notice is
  refused and the original deadline stands.  The extended deadline is
  receipt + three months (1182/71) plus any paused days.  Only one extension.
* ``id-check`` / ``id-provided`` (Art. 12(6)): while the controller
  legitimately waits for identification the clock is paused.  A check
  requested on day A and answered on day B adds B - A days: the days left on
  A continue from B + 1.  A check requested after the deadline does not pause.
* ``sent`` re-dates the sending (the letter was posted later than recorded);
  allowed only before any other event and never before the recorded date.
* A pause or an extension never makes the deadline earlier than the one the
  letter stated.
* ``complaint`` letters follow Art. 78(2): three months from filing.
  ``reminder`` and ``platform-report`` letters have no deadline of their own
  beyond the one stored with them.
* A ``reminder`` belongs to the request it follows (``related_request``):
  the controller's answer, a refusal or the complaint are events of that
  original request, so they are refused on the reminder ("record it on
  r1").  Once the original is no longer open (answered, refused,
  complaint-filed, closed), the reminder is not open either: it takes the
  original's status (:func:`derive` with ``original``, :func:`derive_all`),
  so ``requests --overdue`` stops reporting it.  Nothing is stored twice.

Country for public holidays (1182/71 art. 3(4)): the request's
``recipient_country`` (the controller's), else the requester's profile
country (passed as ``fallback_country``; the usual case is a contact in the
requester's own country), else none: then only Saturdays and Sundays are
skipped, and the state's ``history`` says so.  An unknown country code falls
through to the next source the same way.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..errors import BadInput
from ..model import Request

__all__ = [
    "EVENT_TYPES",
    "OPEN_STATUSES",
    "RequestState",
    "derive",
    "derive_all",
    "resolve_country",
    "validate_event",
    "working_day_on_or_after",
]

EVENT_TYPES = (
    "sent",
    "extended",
    "id-check",
    "id-provided",
    "answered",
    "partially-answered",
    "refused",
    "reminder-sent",
    "complaint-filed",
    "closed",
)

# Statuses in which the requester is still waiting for the controller.
OPEN_STATUSES = frozenset({"open", "extended", "paused", "partially-answered", "reminded"})

# Letter kinds with no Art. 12(3) deadline of their own.
_COMPLAINT_KINDS = frozenset({"complaint"})
_NO_RULE_KINDS = frozenset({"reminder", "platform-report"})

# Letter kinds that belong to the request they follow, and the events that
# are the original's to record (the controller answers the original request).
_BELONGS_TO_ORIGINAL = frozenset({"reminder"})
_ORIGINAL_EVENTS = frozenset(
    {"extended", "id-check", "id-provided", "answered", "partially-answered", "refused",
     "reminder-sent", "complaint-filed"}
)

# What may follow once the controller has given a final reply.
_AFTER = {
    "answered": ("complaint-filed", "closed"),
    "refused": ("complaint-filed", "closed"),
    "complaint-filed": ("answered", "refused", "closed"),
}

_DAY = _dt.timedelta(days=1)


@dataclass(frozen=True)
class RequestState:
    """The derived state of a request on a given day.

    ``status`` is one of ``open``, ``extended``, ``paused``,
    ``partially-answered``, ``reminded`` (all *open*: the controller still
    owes an answer) or ``answered``, ``refused``, ``complaint-filed``,
    ``closed``, ``shredded``.  ``due`` is the current deadline (provisional
    while ``paused``: as if identification arrived today); ``plain_due`` the
    one stated by the letter, before extensions and pauses.  ``days_left`` is
    negative when overdue and ``None`` once the request is no longer open.
    ``followup`` is the first working day after ``due``: when to send a
    reminder or complain.  ``country`` is the holiday calendar used (``None``:
    weekends only).  ``history`` explains, one sentence a line, how the state
    was reached.
    """

    request_id: str
    status: str
    open: bool
    sent: _dt.date
    due: _dt.date | None
    plain_due: _dt.date | None
    overdue: bool
    days_left: int | None
    paused: bool
    paused_days: int
    extended: bool
    followup: _dt.date | None
    country: str | None
    history: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict:
        def iso(d):
            return d.isoformat() if d else None

        return {
            "status": self.status,
            "open": self.open,
            "sent": iso(self.sent),
            "due": iso(self.due),
            "plain_due": iso(self.plain_due),
            "overdue": self.overdue,
            "days_left": self.days_left,
            "paused": self.paused,
            "paused_days": self.paused_days,
            "extended": self.extended,
            "followup": iso(self.followup),
            "country": self.country,
            "history": list(self.history),
        }


# ------------------------------------------------------------------ calendar days
def resolve_country(
    request: Request, fallback_country: str | None = None
) -> tuple[str | None, list[str]]:
    """The country whose holidays count for ``request``, and notes on the choice.

    ``recipient_country``, else ``fallback_country`` (the requester's), else
    ``None`` (weekends only).  Unknown codes are skipped with a note.
    """
    from .deadlines import normalize_country

    notes: list[str] = []
    for source, code in (
        ("the recipient's country", request.recipient_country),
        ("your profile's country", fallback_country),
    ):
        if not code:
            continue
        try:
            normalize_country(code)
        except BadInput:
            notes.append(f"{source} {code!r} is not a known country code; not used.")
            continue
        return code.strip().upper(), notes
    notes.append(
        "No country known for the recipient or in your profile: deadlines skip "
        "Saturdays and Sundays only, not public holidays (set one with "
        "'gdprkit profile set --country CC')."
    )
    return None, notes


def working_day_on_or_after(day: _dt.date, country: str | None) -> _dt.date:
    """``day`` or the next working day (public holidays of ``country`` if given)."""
    if country:
        from .deadlines import next_working_day

        return next_working_day(day, country)
    while day.weekday() >= 5:
        day += _DAY
    return day


# ------------------------------------------------------------------ the fold
class _Fold:
    """State reached after a sequence of accepted events."""

    def __init__(self, request: Request, fallback_country: str | None) -> None:
        self.request = request
        self.country, notes = resolve_country(request, fallback_country)
        self.history: list[str] = list(notes)
        self.sent = request.sent
        self.resent = False
        self.phase = "open"  # open | answered | refused | complaint-filed | closed
        self.phase_on: _dt.date | None = None
        self.partially = False
        self.reminded = False
        self.extended_on: _dt.date | None = None
        self.pauses: list[list[_dt.date | None]] = []  # [start, end or None]
        self.last: tuple[str, _dt.date] | None = None
        kind = request.kind
        if kind in _COMPLAINT_KINDS:
            self.rule = "art78"
        elif kind in _NO_RULE_KINDS:
            self.rule = "stored"
        else:
            self.rule = "art12"
        self.history.append(self._sent_sentence())

    # -- deadlines --------------------------------------------------------
    @property
    def pending_pause(self) -> _dt.date | None:
        if self.pauses and self.pauses[-1][1] is None:
            return self.pauses[-1][0]
        return None

    def paused_days(self, as_of: _dt.date) -> int:
        total = 0
        for start, end in self.pauses:
            total += max(0, ((end or max(as_of, start)) - start).days)
        return total

    def plain_due(self) -> _dt.date | None:
        """The deadline as the letter stated it (or as the rules give it)."""
        req = self.request
        if req.due is not None and not self.resent:
            return req.due
        if self.rule == "stored":
            return None
        return self._computed(extended=False, paused=0)

    def _computed(self, *, extended: bool, paused: int) -> _dt.date:
        from .deadlines import add_months, complaint_followup_date, due_date

        months = 3 if (extended or self.rule == "art78") else 1
        if paused == 0 and self.country:
            if self.rule == "art78":
                return complaint_followup_date(self.sent, self.country)
            return due_date(self.sent, self.country, extended=extended)
        nominal = add_months(self.sent, months) + _dt.timedelta(days=paused)
        return working_day_on_or_after(nominal, self.country)

    def due(self, as_of: _dt.date, *, with_extension: bool = True) -> _dt.date | None:
        plain = self.plain_due()
        if self.rule == "stored":
            return plain
        extended = with_extension and self.extended_on is not None
        paused = self.paused_days(as_of)
        if not extended and paused == 0:
            return plain
        computed = self._computed(extended=extended, paused=paused)
        # A pause or an extension only ever adds time to what the letter stated.
        return max(computed, plain) if plain else computed

    # -- transitions ------------------------------------------------------
    def refusal(self, etype: str, on: _dt.date, today: _dt.date | None = None) -> str | None:
        """Why ``etype`` on ``on`` cannot follow, or None if it can."""
        rid = self.request.id
        if etype not in EVENT_TYPES:
            return f"unknown event {etype!r}; valid: {', '.join(EVENT_TYPES)}"
        if self.request.shredded:
            return f"request {rid} was shredded; no events can be recorded for it"
        if self.phase == "closed":
            return (
                f"request {rid} is closed (since {self.phase_on}); "
                "no further events can be recorded"
            )
        if today is not None and on > today:
            return f"{on} is in the future (today is {today}); record events when they happen"
        first_sent = self.request.sent
        if on < self.sent or on < first_sent:
            return (
                f"request {rid} was sent on {max(self.sent, first_sent)}; "
                f"an event cannot be dated before that ({etype} on {on})"
            )
        if self.last is not None and on < self.last[1]:
            return (
                f"events are recorded in date order: the last one ({self.last[0]}) is "
                f"dated {self.last[1]}, so {etype} cannot be dated {on}"
            )
        if self.phase in _AFTER and etype not in _AFTER[self.phase]:
            return (
                f"request {rid} was {self.phase.replace('-', ' ')} on {self.phase_on}; "
                f"only {' or '.join(_AFTER[self.phase])} can follow, not {etype}"
            )
        if etype == "sent":
            if self.last is not None and self.last[0] != "sent":
                return (
                    f"the sending date of {rid} can only be changed before any other "
                    f"event (the last one is {self.last[0]} on {self.last[1]})"
                )
            return None
        original = self.request.related_request
        if (self.request.kind in _BELONGS_TO_ORIGINAL and original
                and etype in _ORIGINAL_EVENTS):
            return (
                f"{rid} is a {self.request.kind} of {original}: {etype} is an event of the "
                f"request it follows; record it on {original}"
            )
        if etype in ("extended", "id-check", "id-provided") and self.rule != "art12":
            return (
                f"{etype} applies to a request to a controller under Art. 12(3)/(6) "
                f"GDPR, not to a {self.request.kind} letter"
                + (
                    f"; record it on {self.request.related_request}"
                    if self.request.related_request
                    else ""
                )
            )
        if etype == "extended":
            if self.extended_on is not None:
                return (
                    f"request {rid} was already extended on {self.extended_on}; "
                    "Art. 12(3) allows one extension by two further months"
                )
            first_month = self.due(on, with_extension=False)
            if on > first_month:
                return (
                    f"the extension was notified on {on}, after the first month ended on "
                    f"{first_month}: Art. 12(3) GDPR requires the controller to inform "
                    "the data subject within one month of receipt, so the extension does "
                    f"not apply and the deadline stays {first_month}"
                )
            return None
        if etype == "id-check":
            pending = self.pending_pause
            if pending is not None:
                return (
                    f"an identity check on {rid} is already pending since {pending}; "
                    "record id-provided first"
                )
            current = self.due(on)
            if current is not None and on > current:
                return (
                    f"the deadline of {rid} ended on {current}; a request for "
                    "identification after it does not pause the clock (Art. 12(6) GDPR)"
                )
            return None
        if etype == "id-provided":
            if self.pending_pause is None:
                return (
                    f"no identity check is pending on {rid}; record id-check (the date "
                    "the controller asked for identification) first"
                )
            return None
        return None

    def apply(self, etype: str, on: _dt.date, note: str | None) -> None:
        """Take an accepted event into account and explain it in the history."""
        self.last = (etype, on)
        tail = f" ({note})" if note else ""
        if etype == "sent":
            self.sent = on
            self.resent = True
            self.history.append(f"{on}: sending re-dated{tail}. " + self._sent_sentence())
        elif etype == "extended":
            self.extended_on = on
            self.history.append(
                f"{on}: the controller extended the period by two months (Art. 12(3)){tail}; "
                f"deadline now {self.due(on)}."
            )
        elif etype == "id-check":
            self.pauses.append([on, None])
            self.history.append(
                f"{on}: the controller asked for identification (Art. 12(6)){tail}; "
                "the clock is paused."
            )
        elif etype == "id-provided":
            start = self.pauses[-1][0]
            self.pauses[-1][1] = on
            days = (on - start).days
            self.history.append(
                f"{on}: identification provided{tail}; the clock resumes after {days} paused "
                f"day{'s' if days != 1 else ''}: deadline now {self.due(on)}."
            )
        elif etype in ("answered", "refused"):
            self._final(etype, on, tail)
        elif etype == "partially-answered":
            self.partially = True
            self.history.append(f"{on}: partially answered{tail}; the rest is still owed.")
        elif etype == "reminder-sent":
            self.reminded = True
            self.history.append(
                f"{on}: reminder sent{tail}; a reminder does not move the legal deadline."
            )
        elif etype == "complaint-filed":
            self.phase, self.phase_on = "complaint-filed", on
            self.history.append(
                f"{on}: complaint filed with the supervisory authority (Art. 77){tail}."
            )
        elif etype == "closed":
            self.phase, self.phase_on = "closed", on
            self.history.append(f"{on}: closed{tail}.")

    def _final(self, etype: str, on: _dt.date, tail: str) -> None:
        due = self.due(on)
        self.phase, self.phase_on = etype, on
        when = ""
        if due is not None:
            late = (on - due).days
            when = f" {late} day{'s' if late != 1 else ''} late" if late > 0 else " on time"
        self.history.append(f"{on}: {etype}{when}{tail}.")

    def _sent_sentence(self) -> str:
        due = self.plain_due()
        if due is None:
            return f"Sent {self.sent}; no legal deadline for a {self.request.kind} letter."
        if self.rule == "art78":
            rule = "Art. 78(2) GDPR: three months for the authority to handle or report"
        elif self.request.due is not None and not self.resent:
            rule = "as stated in the letter"
        else:
            rule = "Art. 12(3) GDPR: one month, Regulation 1182/71"
        where = f"{self.country} holidays" if self.country else "weekends only"
        return f"Sent {self.sent}; due {due} ({rule}; {where})."

    # -- result ------------------------------------------------------------
    def state(self, today: _dt.date, ended: tuple[str, str, _dt.date | None] | None = None
              ) -> RequestState:
        """The state on ``today``.  ``ended``: (original id, its status, since when)
        when this request belongs to an original that is no longer open."""
        req = self.request
        paused = self.pending_pause is not None
        if ended is not None and self.phase == "open":
            self.phase, self.phase_on = ended[1], ended[2]
            since = f" on {ended[2]}" if ended[2] else ""
            self.history.append(
                f"{ended[0]}, the request this {req.kind} follows, was "
                f"{ended[1].replace('-', ' ')}{since}: the {req.kind} is no longer open."
            )
        as_of = today if self.phase == "open" else (self.phase_on or today)
        due = self.due(max(as_of, self.sent))
        if self.phase != "open":
            status = self.phase
        elif paused:
            status = "paused"
        elif self.partially:
            status = "partially-answered"
        elif self.reminded:
            status = "reminded"
        elif self.extended_on is not None:
            status = "extended"
        else:
            status = "open"
        is_open = status in OPEN_STATUSES
        days_left = (due - today).days if (is_open and due is not None) else None
        overdue = bool(is_open and not paused and days_left is not None and days_left < 0)
        followup = (
            working_day_on_or_after(due + _DAY, self.country)
            if (is_open and due is not None)
            else None
        )
        history = list(self.history)
        if is_open and due is not None:
            if paused:
                history.append(
                    f"Paused since {self.pending_pause}; if identification arrives today the "
                    f"deadline is {due}."
                )
            elif overdue:
                if req.kind in _BELONGS_TO_ORIGINAL and req.related_request:
                    # a second reminder is refused: what is left is the complaint
                    advice = (f"the final term it gave has passed: complain about "
                              f"{req.related_request} from {followup}")
                elif req.kind in _COMPLAINT_KINDS:
                    advice = (f"the authority has not answered within three months: from "
                              f"{followup} you may go to court against it (Art. 78(2) GDPR)")
                else:
                    advice = f"send a reminder or complain from {followup}"
                history.append(
                    f"Overdue by {-days_left} day{'s' if days_left != -1 else ''} "
                    f"on {today}: {advice}."
                )
            else:
                history.append(f"{days_left} day{'s' if days_left != 1 else ''} left on {today}.")
        return RequestState(
            request_id=req.id,
            status=status,
            open=is_open,
            sent=self.sent,
            due=due,
            plain_due=self.plain_due(),
            overdue=overdue,
            days_left=days_left,
            paused=paused,
            paused_days=self.paused_days(max(as_of, self.sent)),
            extended=self.extended_on is not None,
            followup=followup,
            country=self.country,
            history=tuple(history),
        )


def _fold(request: Request, fallback_country: str | None) -> _Fold:
    fold = _Fold(request, fallback_country)
    for ev in request.events:
        why = fold.refusal(ev.type, ev.on)
        if why is not None:
            # Recorded without validation (another tool, an older version):
            # keep it visible, but do not let it change the deadline.
            fold.history.append(f"{ev.on}: {ev.type} not taken into account: {why}.")
            continue
        fold.apply(ev.type, ev.on, ev.note)
    return fold


def derive(
    request: Request,
    today: _dt.date,
    *,
    fallback_country: str | None = None,
    original: Request | None = None,
) -> RequestState:
    """The status and deadline of ``request`` on ``today``, from its events.

    ``fallback_country`` is the requester's profile country, used for public
    holidays when the request has no ``recipient_country``.  ``original`` is
    the request a reminder follows (its ``related_request``): once that one
    is no longer open, neither is the reminder, which then takes its status
    (``closed`` if the original was shredded).  Without it a reminder is
    judged on its own.  Pure: no I/O.
    """
    if request.shredded:
        return RequestState(
            request_id=request.id,
            status="shredded",
            open=False,
            sent=request.sent,
            due=None,
            plain_due=None,
            overdue=False,
            days_left=None,
            paused=False,
            paused_days=0,
            extended=False,
            followup=None,
            country=None,
            history=("The request was shredded; its content is gone.",),
        )
    return _fold(request, fallback_country).state(
        today, _ended_by(request, original, today, fallback_country))


def _ended_by(
    request: Request, original: Request | None, today: _dt.date, fallback_country: str | None
) -> tuple[str, str, _dt.date | None] | None:
    """(original id, its status, since) when ``original`` ends ``request``; else None."""
    if (original is None or request.kind not in _BELONGS_TO_ORIGINAL
            or original.id != request.related_request):
        return None
    if original.shredded:
        return original.id, "closed", None
    fold = _fold(original, fallback_country)
    state = fold.state(today)
    if state.open:
        return None
    return original.id, state.status, fold.phase_on


def derive_all(
    requests: Iterable[Request], today: _dt.date, *, fallback_country: str | None = None
) -> list[tuple[Request, RequestState]]:
    """Every request with its state on ``today``, each reminder judged with the
    request it follows (see :func:`derive`)."""
    requests = list(requests)
    by_id = {r.id: r for r in requests}
    return [
        (r, derive(r, today, fallback_country=fallback_country,
                   original=by_id.get(r.related_request) if r.related_request else None))
        for r in requests
    ]


def validate_event(
    request: Request,
    new_event_type: str,
    on: _dt.date,
    *,
    today: _dt.date | None = None,
    fallback_country: str | None = None,
) -> None:
    """Return if ``new_event_type`` on ``on`` may be recorded; raise BadInput if not.

    Refused: any event on a closed or shredded request or dated before the
    request was sent (or before the previous event, or after ``today`` when
    given); an answer or extension after a final reply; an extension notified
    after the first month, or a second one; ``id-provided`` without a pending
    ``id-check``; an ``id-check`` after the deadline.  The message says why.
    """
    fold = _fold(request, fallback_country)
    why = fold.refusal(new_event_type, on, today)
    if why is not None:
        raise BadInput(why)
