"""`gdprkit requests`, `gdprkit request`, `gdprkit calendar` through Click."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from icalendar import Calendar

from gdprkit.cli import COMMANDS, cli
from gdprkit.legal.deadlines import due_date

D = dt.date
ITEM_KEYS = {
    "id",
    "kind",
    "recipient",
    "recipient_country",
    "related_request",
    "status",
    "open",
    "sent",
    "due",
    "plain_due",
    "overdue",
    "days_left",
    "paused",
    "paused_days",
    "extended",
    "followup",
    "country",
    "history",
    "events",
}


def _add(ledger, *, sent, kind="objection", name="ACME Srl", country="IT", **kw):
    return ledger.add_request(
        kind=kind,
        lang="en",
        format="txt",
        recipient_name=name,
        recipient_email="dpo@acme.example",
        recipient_country=country,
        sent=sent,
        due=due_date(sent, country) if country else None,
        sha256="ab" * 32,
        **kw,
    )


@pytest.fixture
def three(ledger):
    """r1 due 2026-04-07, r2 due 2026-05-04 (1 May, weekend), r3 answered."""
    _add(ledger, sent=D(2026, 3, 5))
    _add(ledger, sent=D(2026, 4, 2), kind="erasure", name="Beta GmbH", country="DE")
    _add(ledger, sent=D(2026, 3, 1), kind="access", name="Gamma SA", country="FR")
    ledger.add_request_event("r3", "answered", D(2026, 3, 20), "sent a copy")
    ledger.close()
    return ledger


def _json(result):
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


# ----------------------------------------------------------------------- requests
def test_requests_json_shape(run, three):
    items = _json(run("requests", "--json", "--today", "2026-04-10"))
    assert [i["id"] for i in items] == ["r1", "r2", "r3"]
    assert all(set(i) == ITEM_KEYS for i in items)
    r1, r2, r3 = items
    assert (r1["kind"], r1["recipient"], r1["sent"], r1["due"]) == (
        "objection",
        "ACME Srl",
        "2026-03-05",
        "2026-04-07",
    )
    assert (r1["status"], r1["overdue"], r1["days_left"]) == ("open", True, -3)
    assert r2["due"] == "2026-05-04" and r2["country"] == "DE" and not r2["overdue"]
    assert r3["status"] == "answered" and r3["open"] is False
    assert r3["events"] == [{"type": "answered", "on": "2026-03-20", "note": "sent a copy"}]


def test_requests_text_lines(run, three):
    r = run("requests", "--today", "2026-04-10")
    assert r.exit_code == 0
    lines = r.output.splitlines()
    assert len(lines) == 3
    assert lines[0].split() == [
        "r1",
        "objection",
        "ACME",
        "Srl",
        "sent",
        "2026-03-05",
        "due",
        "2026-04-07",
        "open,",
        "overdue",
        "by",
        "3",
        "days",
        "events:",
        "-",
    ]
    assert "answered, " not in lines[2] and "events: answered 2026-03-20" in lines[2]


def test_requests_filters(run, three):
    def ids(*args):
        return [i["id"] for i in _json(run("requests", "--json", "--today", "2026-04-10", *args))]

    assert ids("--open") == ["r1", "r2"]
    assert ids("--overdue") == ["r1"]
    assert ids("--due-within", "7") == ["r1"]
    assert ids("--due-within", "24") == ["r1", "r2"]
    # alternatives (DESIGN: requests [--open | --overdue]): combining them is a usage error
    for combo in (["--open", "--overdue"], ["--open", "--due-within", "7"],
                  ["--overdue", "--due-within", "7"]):
        r = run("requests", "--today", "2026-04-10", *combo)
        assert r.exit_code == 2, r.output
        assert r.stderr.strip().splitlines()[-1].startswith("Error: ")
        assert "are alternatives" in r.stderr


def test_overdue_prints_nothing_when_nothing_is_overdue(run, three):
    r = run("requests", "--overdue", "--today", "2026-04-01")
    assert r.exit_code == 0
    assert r.output == ""
    assert _json(run("requests", "--overdue", "--json", "--today", "2026-04-01")) == []


def test_overdue_lists_one_line_per_request(run, three):
    r = run("requests", "--overdue", "--today", "2026-05-05")
    assert r.exit_code == 0
    assert [line.split()[0] for line in r.output.splitlines()] == ["r1", "r2"]


def test_a_reminder_stops_being_overdue_once_its_original_is_complaint_filed(run, ledger):
    _add(ledger, sent=D(2026, 3, 5))  # r1, due 2026-04-07
    ledger.add_request(kind="reminder", lang="en", format="txt", recipient_name="ACME Srl",
                       recipient_email="dpo@acme.example", recipient_country="IT",
                       sent=D(2026, 4, 10), due=D(2026, 4, 24), sha256="cd" * 32,
                       related_request="r1")
    ledger.add_request_event("r1", "reminder-sent", D(2026, 4, 10), "reminder letter r2")
    ledger.close()
    # the reminder's final term passed, r1 is still open: both are overdue
    r = run("requests", "--overdue", "--today", "2026-04-26")
    assert [line.split()[0] for line in r.output.splitlines()] == ["r1", "r2"]
    r2 = _json(run("request", "r2", "--json", "--today", "2026-04-26"))
    assert r2["overdue"] and "complain about r1" in r2["history"][-1]
    # recording the answer on the reminder is refused: it belongs to r1
    r = run("request", "r2", "answered", "--on", "2026-04-26", "--today", "2026-04-26")
    assert r.exit_code == 1 and "record it on r1" in r.stderr
    assert run("request", "r1", "complaint-filed", "--on", "2026-04-27",
               "--today", "2026-04-27").exit_code == 0
    # cron's alert clears: nothing is overdue any more, and the reminder says why
    r = run("requests", "--overdue", "--today", "2026-05-01")
    assert r.exit_code == 0 and r.output == ""
    r2 = _json(run("request", "r2", "--json", "--today", "2026-05-01"))
    assert (r2["status"], r2["open"], r2["overdue"]) == ("complaint-filed", False, False)
    assert r2["history"][-1] == ("r1, the request this reminder follows, was complaint filed "
                                 "on 2026-04-27: the reminder is no longer open.")
    assert [i["id"] for i in _json(run("requests", "--open", "--json",
                                       "--today", "2026-05-01"))] == []


def test_today_from_environment(run, three):
    items = _json(run("requests", "--json", env={"GDPRKIT_TODAY": "2026-04-08"}))
    assert items[0]["days_left"] == -1


def test_requests_bad_options(run, three):
    assert run("requests", "--due-within", "-1").exit_code == 2
    assert run("requests", "--today", "10/04/2026").exit_code == 2


# ----------------------------------------------------------------------- request
def test_record_extension_prints_status_and_due(run, three):
    r = run(
        "request",
        "r1",
        "extended",
        "--on",
        "2026-03-20",
        "--note",
        "complexity",
        "--today",
        "2026-03-21",
    )
    assert r.exit_code == 0, r.output
    assert r.output == "r1: extended, 76 days left; due 2026-06-05\n"
    item = _json(run("requests", "--json", "--today", "2026-03-21"))[0]
    assert item["due"] == "2026-06-05" and item["extended"] is True
    assert item["events"] == [{"type": "extended", "on": "2026-03-20", "note": "complexity"}]


def test_record_event_json(run, three):
    data = _json(
        run("request", "r2", "id-check", "--on", "2026-04-10", "--json", "--today", "2026-04-12")
    )
    assert set(data) == ITEM_KEYS | {"event"}
    assert data["event"] == {"type": "id-check", "on": "2026-04-10", "note": None}
    assert (data["status"], data["paused"], data["paused_days"]) == ("paused", True, 2)
    data = _json(
        run("request", "r2", "id-provided", "--on", "2026-04-15", "--json", "--today", "2026-04-15")
    )
    # 2026-05-02 (Saturday) + 5 paused days = 05-07, a Thursday.
    assert (data["status"], data["due"], data["paused_days"]) == ("open", "2026-05-07", 5)


def test_on_defaults_to_today(run, three):
    data = _json(run("request", "r1", "answered", "--json", "--today", "2026-04-02"))
    assert data["event"]["on"] == "2026-04-02" and data["status"] == "answered"


def test_show_state_and_history_without_event(run, three):
    r = run("request", "r1", "--today", "2026-03-20")
    assert r.exit_code == 0
    assert r.output.splitlines() == [
        "r1: open, 18 days left; due 2026-04-07",
        "  Sent 2026-03-05; due 2026-04-07 (as stated in the letter; IT holidays).",
        "  18 days left on 2026-03-20.",
    ]
    assert run("request", "r1", "--on", "2026-03-20").exit_code == 2


def test_late_extension_refused_and_deadline_kept(run, three):
    r = run("request", "r1", "extended", "--on", "2026-04-08", "--note", "many requests",
            "--today", "2026-04-09")
    assert r.exit_code == 1
    assert r.output == (
        "Error: the extension was notified on 2026-04-08, after the first month ended on "
        "2026-04-07: Art. 12(3) GDPR requires the controller to inform the data subject within "
        "one month of receipt, so the extension does not apply and the deadline stays "
        "2026-04-07\n"
    )
    item = _json(run("requests", "--json", "--today", "2026-04-09"))[0]
    assert item["due"] == "2026-04-07" and item["events"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["r9", "answered"], "Error: no request 'r9' (see 'gdprkit requests')"),
        (
            ["r1", "answered", "--on", "2026-03-04"],
            "Error: request r1 was sent on 2026-03-05; an event cannot be dated before that "
            "(answered on 2026-03-04)",
        ),
        (
            ["r1", "id-provided", "--on", "2026-03-10"],
            "Error: no identity check is pending on r1; record id-check (the date the controller "
            "asked for identification) first",
        ),
        (
            ["r3", "extended", "--on", "2026-03-21", "--note", "complexity"],
            "Error: request r3 was answered on 2026-03-20; only complaint-filed or closed can "
            "follow, not extended",
        ),
        (
            ["r1", "answered", "--on", "2026-05-01"],
            "Error: 2026-05-01 is in the future (today is 2026-04-10); record events when they happen",
        ),
    ],
)
def test_refused_events_exit_1(run, three, args, message):
    r = run("request", *args, "--today", "2026-04-10")
    assert r.exit_code == 1
    assert r.output == message + "\n"


def test_closed_request_takes_no_more_events(run, three):
    assert (
        run("request", "r3", "closed", "--on", "2026-03-25", "--today", "2026-04-10").exit_code == 0
    )
    r = run("request", "r3", "answered", "--on", "2026-03-26", "--today", "2026-04-10")
    assert r.exit_code == 1
    assert "is closed (since 2026-03-25); no further events can be recorded" in r.output


def test_usage_errors_exit_2(run, three):
    assert run("request", "r1", "answered", "--on", "20/03/2026").exit_code == 2
    assert run("request", "r1", "approved").exit_code == 2


# ----------------------------------------------------------------------- calendar
def test_calendar_file(run, three, tmp_path):
    out = tmp_path / "gdpr.ics"
    r = run("calendar", "-o", out, "--today", "2026-04-01")
    assert r.exit_code == 0, r.output
    assert "Wrote 2 open requests" in r.output
    cal = Calendar.from_ical(out.read_bytes())
    # UIDs carry the ledger id: two ledgers' "r1" never collide in one calendar app
    ledger_id = json.loads(run("export", "json", "-o", "-").stdout)["ledger_id"]
    uids = [str(e["UID"]) for e in cal.walk("VEVENT")]
    scope = ledger_id[:16]
    assert all(u.endswith(f".{scope}@gdprkit") for u in uids)
    events = {u.replace(f".{scope}", ""): e for u, e in zip(uids, cal.walk("VEVENT"), strict=True)}
    assert set(events) == {
        "r1-due@gdprkit",
        "r1-followup@gdprkit",
        "r2-due@gdprkit",
        "r2-followup@gdprkit",
    }
    assert events["r1-due@gdprkit"].decoded("DTSTART") == D(2026, 4, 7)
    assert str(events["r2-due@gdprkit"]["SUMMARY"]) == "GDPR deadline: erasure to Beta GmbH (r2)"
    assert events["r2-followup@gdprkit"].decoded("DTSTART") == D(2026, 5, 5)
    # Reproducible: the same ledger writes the same bytes.
    again = tmp_path / "again.ics"
    assert run("calendar", "-o", again, "--today", "2026-04-02").exit_code == 0
    assert again.read_bytes() == out.read_bytes()


def test_calendar_to_stdout(run, three):
    r = run("calendar", "-o", "-", "--today", "2026-04-01")
    assert r.exit_code == 0
    assert r.output.startswith("BEGIN:VCALENDAR") and "dpo@acme.example" not in r.output


def test_calendar_into_missing_folder_exits_1(run, three, tmp_path):
    r = run("calendar", "-o", tmp_path / "nope" / "x.ics")
    assert r.exit_code == 1 and r.output.startswith("Error: the folder")


# ----------------------------------------------------------------------- help
@pytest.mark.parametrize("name", ["requests", "request", "calendar"])
def test_registered_with_help(name):
    assert name in COMMANDS
    from click.testing import CliRunner

    r = CliRunner().invoke(cli, [name, "--help"])
    assert r.exit_code == 0 and "--today" not in r.output
    assert len(r.output.splitlines()) > 5
