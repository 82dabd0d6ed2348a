"""``gdprkit requests``, ``gdprkit request``, ``gdprkit calendar``: the lifecycle of letters.

Status and deadlines are derived (``gdprkit.legal.lifecycle``), never stored;
these commands read the ledger, record events and print.
"""

from __future__ import annotations

import datetime as _dt

import click

from ..legal.lifecycle import EVENT_TYPES
from ._common import EVENT_DATE, ISO_DATE, App, echo_err, emit_json, json_option

pass_app = click.make_pass_decorator(App)

# Hidden: lets tests and scripts fix "today" (also $GDPRKIT_TODAY).
today_option = click.option(
    "--today",
    type=ISO_DATE,
    envvar="GDPRKIT_TODAY",
    hidden=True,
    help="Pretend today is DATE (for tests).",
)


def _fallback_country(led) -> str | None:
    profile = led.profile()
    return profile.country if profile else None


def _item(req, state) -> dict:
    """The JSON shape of one request with its derived state."""
    data = {
        "id": req.id,
        "kind": req.kind,
        "recipient": req.recipient_name,
        "recipient_country": req.recipient_country,
        "related_request": req.related_request,
    }
    data.update(state.to_dict())
    data["events"] = [{"type": e.type, "on": e.on.isoformat(), "note": e.note} for e in req.events]
    return data


def _status_text(state) -> str:
    text = state.status
    if state.overdue:
        text += f", overdue by {-state.days_left} day{'s' if state.days_left != -1 else ''}"
    elif state.paused:
        text += " (clock paused)"
    elif state.days_left is not None:
        text += f", {state.days_left} day{'s' if state.days_left != 1 else ''} left"
    return text


def _line(req, state) -> str:
    if req.shredded:
        return f"{req.id:5} [shredded]"
    events = ", ".join(f"{e.type} {e.on}" for e in req.events) or "-"
    return (
        f"{req.id:5} {req.kind:17} {' '.join(req.recipient_name.split())[:28]:28} "
        f"sent {state.sent}  due {str(state.due or '-'):10}  {_status_text(state)}  "
        f"events: {events}"
    )


# --------------------------------------------------------------------- requests
@click.command("requests")
@click.option("--open", "only_open", is_flag=True, help="Only requests still awaiting an answer.")
@click.option(
    "--overdue",
    is_flag=True,
    help="Only open requests past their deadline (prints nothing if none: cron-friendly).",
)
@click.option(
    "--due-within",
    type=click.IntRange(min=0),
    metavar="DAYS",
    help="Only open requests due within DAYS days (overdue ones included).",
)
@json_option
@today_option
@pass_app
def requests_cmd(app: App, only_open, overdue, due_within, as_json, today):
    """List requests (letters sent) with their derived status and deadline.

    Each line: id, kind, recipient, sent, due, status, events.  Give at most
    one of --open, --overdue and --due-within (each implies the request is
    open).  With --json, a JSON list of objects with id, kind, recipient,
    sent, due, status, open, overdue, days_left, paused, extended, followup,
    history and events.
    """
    from ..legal.lifecycle import derive_all

    chosen = [name for name, given in (("--open", only_open), ("--overdue", overdue),
                                        ("--due-within", due_within is not None)) if given]
    if len(chosen) > 1:
        raise click.UsageError(f"{' and '.join(chosen)} are alternatives: give one of them "
                               "(--overdue and --due-within only list open requests)")
    today = today or _dt.date.today()
    with app.open_ledger() as led:
        fallback = _fallback_country(led)
        rows = derive_all(led.requests(), today, fallback_country=fallback)
    if only_open or overdue or due_within is not None:
        rows = [(r, s) for r, s in rows if s.open]
    if overdue:
        rows = [(r, s) for r, s in rows if s.overdue]
    if due_within is not None:
        rows = [
            (r, s)
            for r, s in rows
            if s.due is not None and s.days_left is not None and s.days_left <= due_within
        ]
    if as_json:
        emit_json([_item(r, s) for r, s in rows])
        return
    for r, s in rows:
        click.echo(_line(r, s))


# ---------------------------------------------------------------------- request
@click.command("request")
@click.argument("request_id", metavar="ID")
@click.argument("event", required=False, type=click.Choice(EVENT_TYPES))
@click.option(
    "--on",
    "on",
    type=EVENT_DATE,
    help="When it happened (default today). For 'extended': the day the controller told you.",
)
@click.option("--note", help="Details; required for 'extended': the reasons the controller gave.")
@json_option
@today_option
@pass_app
def request_cmd(app: App, request_id, event, on, note, as_json, today):
    """Record what happened to request ID, or show its state when no EVENT is given.

    \b
    EVENT is one of:
      sent                the letter was actually sent on --on (re-dates the deadline)
      extended            the controller extended the period (Art. 12(3))
      id-check            the controller asked for identification: clock paused (Art. 12(6))
      id-provided         you identified yourself: the clock resumes the day after
      answered, partially-answered, refused
      reminder-sent, complaint-filed, closed

    Prints the new status and deadline.  An event that cannot follow (an
    extension notified after the first month, an answer to a closed request,
    a date before the request was sent) is refused with the reason (exit 1).
    """
    from ..legal.lifecycle import derive, validate_event

    if event is None and (on is not None or note is not None):
        raise click.UsageError("--on and --note need an EVENT")
    if event == "extended" and not (note or "").strip():
        # Art. 12(3): the controller informs the data subject of the extension
        # "together with the reasons for the delay"; the record keeps them
        raise click.UsageError("extended needs --note with the reasons the controller gave "
                               "for the extension (Art. 12(3) GDPR)")
    today = today or _dt.date.today()
    with app.open_ledger() as led:
        fallback = _fallback_country(led)
        recorded = None
        if event is not None:
            on = on or today
            # Check and append under the write lock: no event slips in between.
            with led.transaction():
                req = led.request(request_id)
                validate_event(req, event, on, today=today, fallback_country=fallback)
                recorded = led.add_request_event(request_id, event, on, note)
        req = led.request(request_id)
        # a reminder is judged with the request it follows
        original = led.request(req.related_request) if req.related_request else None
        state = derive(req, today, fallback_country=fallback, original=original)
    if as_json:
        data = _item(req, state)
        if recorded is not None:
            data["event"] = {
                "type": recorded.type,
                "on": recorded.on.isoformat(),
                "note": recorded.note,
            }
        emit_json(data)
        return
    due = f"due {state.due}" if state.due else "no deadline"
    click.echo(f"{req.id}: {_status_text(state)}; {due}")
    if recorded is None:
        for line in state.history:
            click.echo(f"  {line}")


# --------------------------------------------------------------------- calendar
@click.command("calendar")
@click.option(
    "-o",
    "--output",
    required=True,
    metavar="FILE.ics",
    help="Where to write the iCalendar file ('-' for standard output).",
)
@today_option
@pass_app
def calendar_cmd(app: App, output, today):
    """Write the deadlines of open requests as an iCalendar (.ics) file.

    One all-day event on each due date (with an alarm the day before) and a
    follow-up event on the next working day, to send a reminder or complain.
    Stable UIDs: importing the file again updates the events.
    """
    from ..legal.calendar import build_calendar, write_calendar

    today = today or _dt.date.today()
    with app.open_ledger() as led:
        fallback = _fallback_country(led)
        reqs = led.requests()
        ledger_id = led.ledger_id
    if output == "-":
        data, _count = build_calendar(reqs, today, fallback_country=fallback,
                                      ledger_id=ledger_id)
        click.echo(data, nl=False)
        return
    count = write_calendar(output, reqs, today, fallback_country=fallback, ledger_id=ledger_id)
    echo_err(f"Wrote {count} open request{'s' if count != 1 else ''} to {output}")
