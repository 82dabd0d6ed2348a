"""An incident's date is the day the user meant: the instant is kept in UTC with
the UTC offset it was given in, and shown, filtered and printed in letters at
that offset (listings, show, JSON, export json, letters in every language,
imports, dossier scope)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from .conftest import PASSPHRASE, venv_bin

CORPUS = Path(__file__).parent / "corpus"


@pytest.fixture
def tz(monkeypatch):
    """Set the process time zone for the test (restored afterwards)."""

    def _set(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield _set
    monkeypatch.delenv("TZ", raising=False)
    time.tzset()


@pytest.fixture
def contact(run, initialized):
    r = run("contact", "add", "Marco Venditti", "--email", "marco@prosperity.example",
            "--country", "IT")
    assert r.exit_code == 0, r.output
    return "c1"


def _incident(run, iid="i1") -> dict:
    r = run("show", iid, "--json")
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


@pytest.mark.parametrize("when", ["2026-03-02T00:30", "2026-03-02T00:30+01:00"])
def test_rome_half_past_midnight_is_2_march(run, contact, tz, when):
    tz("Europe/Rome")
    r = run("log", "mailing-list", "--contact", contact, "--when", when, "--platform", "e-mail")
    assert r.exit_code == 0, r.output
    item = _incident(run)
    assert item["when"] == "2026-03-01T23:30:00+00:00"  # the instant, in UTC
    assert item["utc_offset"] == "+01:00"
    assert item["date"] == "2026-03-02"
    listing = run("incidents").stdout
    assert listing.split()[1] == "2026-03-02"
    assert [i["id"] for i in json.loads(run("incidents", "--since", "2026-03-02",
                                            "--json").stdout)] == ["i1"]
    assert json.loads(run("incidents", "--since", "2026-03-03", "--json").stdout) == []
    assert "date: 2026-03-02" in run("show", "i1").stdout


def test_explicit_offset_wins_over_the_local_zone(run, contact, tz):
    tz("America/New_York")
    run("log", "mailing-list", "--contact", contact, "--when", "2026-03-02T00:30+01:00")
    run("log", "forwarded", "--contact", contact, "--when", "2026-03-01T23:30-05:00")
    run("log", "forwarded", "--contact", contact, "--when", "2026-03-01T23:30Z")
    items = json.loads(run("incidents", "--json").stdout)
    assert [(i["date"], i["utc_offset"]) for i in items] == [
        ("2026-03-02", "+01:00"), ("2026-03-01", "-05:00"), ("2026-03-01", "+00:00")]
    assert [i["when"] for i in items] == [
        "2026-03-01T23:30:00+00:00", "2026-03-02T04:30:00+00:00", "2026-03-01T23:30:00+00:00"]
    # --since filters on the day where it happened, not on the UTC day
    since = json.loads(run("incidents", "--since", "2026-03-02", "--json").stdout)
    assert [i["id"] for i in since] == ["i1"]


def test_naive_time_takes_the_offset_of_that_day(run, contact, tz):
    """Summer time: the local offset in force at the incident's time, not today's."""
    tz("Europe/Rome")
    run("log", "other", "--contact", contact, "--when", "2026-07-10T00:15")
    run("log", "other", "--contact", contact, "--when", "2026-01-10T00:15")
    items = json.loads(run("incidents", "--json").stdout)
    assert [(i["date"], i["utc_offset"]) for i in items] == [
        ("2026-07-10", "+02:00"), ("2026-01-10", "+01:00")]


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Kolkata"])
def test_bare_date_shows_that_date_everywhere(run, contact, tz, zone):
    tz(zone)
    run("log", "other", "--contact", contact, "--when", "2026-10-05")
    item = _incident(run)
    assert item["when"] == "2026-10-05T12:00:00+00:00"
    assert (item["date"], item["utc_offset"]) == ("2026-10-05", "+00:00")
    assert run("incidents").stdout.split()[1] == "2026-10-05"


def test_now_is_stored_with_the_local_offset(run, contact, tz):
    tz("Asia/Kolkata")
    before = dt.datetime.now().astimezone().date()
    run("log", "other", "--contact", contact)
    after = dt.datetime.now().astimezone().date()
    item = _incident(run)
    assert item["utc_offset"] == "+05:30"
    assert item["date"] in (before.isoformat(), after.isoformat())


LETTER_DAYS = {
    "en": "Fact 1 — 2 March 2026",
    "it": "Fatto 1 — 2 marzo 2026",
    "de": "Vorfall 1 – 2. März 2026",
    "fr": "2 mars 2026",
    "es": "2 de marzo de 2026",
}


@pytest.mark.parametrize("lang", sorted(LETTER_DAYS))
def test_letters_print_the_local_date(run, contact, tz, lang):
    tz("Europe/Rome")
    run("log", "mailing-list", "--contact", contact, "--when", "2026-03-02T00:30",
        "--platform", "e-mail", "--note", "Added me to a list.")
    r = run("letter", "objection", "--contact", contact, "--lang", lang, "--no-record",
            "--sent", "2026-03-10")
    assert r.exit_code == 0, r.output
    text = " ".join(r.stdout.split())
    assert LETTER_DAYS[lang] in text
    for wrong in ("1 March 2026", "1º marzo 2026", "1. März 2026", "1er mars 2026",
                  "1 de marzo de 2026"):
        assert wrong not in text


def test_export_json_carries_offset_and_date(run, contact, tz, tmp_path):
    tz("Europe/Rome")
    run("log", "mailing-list", "--contact", contact, "--when", "2026-03-02T00:30")
    out = tmp_path / "all.json"
    assert run("export", "json", "-o", out).exit_code == 0
    inc = json.loads(out.read_text())["incidents"][0]
    assert (inc["when"], inc["utc_offset"], inc["date"]) == (
        "2026-03-01T23:30:00+00:00", "+01:00", "2026-03-02")


def test_library_keeps_the_offset_after_reopening(ledger, ledger_path):
    from gdprkit.ledger import Ledger

    c = ledger.add_contact("X")
    rome = dt.timezone(dt.timedelta(hours=1))
    inc = ledger.log_incident("other", c.id, when=dt.datetime(2026, 3, 2, 0, 30, tzinfo=rome))
    assert inc.when == dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC)  # the same instant
    assert inc.date == dt.date(2026, 3, 2) and inc.when.utcoffset() == dt.timedelta(hours=1)
    ledger.close()
    with Ledger.open(ledger_path, PASSPHRASE) as led:
        again = led.incident(inc.id)
        assert again.when == inc.when and again.date == dt.date(2026, 3, 2)
        assert again.when.utcoffset() == dt.timedelta(hours=1)
        assert [i.id for i in led.incidents(since=dt.date(2026, 3, 2))] == [inc.id]
        assert led.verify().ok


def test_incidents_stored_without_an_offset_read_as_utc(ledger, ledger_path):
    """Entries written before the offset was stored: UTC, as they were shown."""
    from gdprkit.ledger import Ledger

    c = ledger.add_contact("X")
    with ledger.transaction():
        ledger._append("incident", "i1", {
            "kind": "other", "contact": c.id, "when": "2026-03-01T23:30:00Z",
            "platform": None, "note": None, "action": "none", "evidence": []})
    ledger.close()
    with Ledger.open(ledger_path, PASSPHRASE) as led:
        inc = led.incident("i1")
        assert inc.when.utcoffset() == dt.timedelta(0)
        assert inc.to_dict()["utc_offset"] == "+00:00"
        assert inc.date == dt.date(2026, 3, 1)
        assert led.verify().ok


def test_import_keeps_the_date_header_offset(run, contact, tmp_path):
    raw = (CORPUS / "written" / "ml_mailchimp_en.eml").read_bytes()
    raw = raw.replace(b"Date: Thu, 07 Mar 2024 16:02:11 +0000",
                      b"Date: Fri, 08 Mar 2024 00:30:00 +0100")
    msg = tmp_path / "late.eml"
    msg.write_bytes(raw)
    r = run("import", "eml", msg, "--contact", contact, "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)[0]["status"] == "stored"
    item = _incident(run)
    assert (item["when"], item["utc_offset"], item["date"]) == (
        "2024-03-07T23:30:00+00:00", "+01:00", "2024-03-08")


def test_dossier_scope_uses_the_local_date(ledger):
    from gdprkit.dossier import Scope
    from gdprkit.dossier._collect import select_incidents

    c = ledger.add_contact("X")
    rome = dt.timezone(dt.timedelta(hours=1))
    ledger.log_incident("other", c.id, when=dt.datetime(2026, 3, 2, 0, 30, tzinfo=rome))
    chosen = select_incidents(ledger, Scope(since=dt.date(2026, 3, 2), until=dt.date(2026, 3, 2)))
    assert [i.id for i in chosen] == ["i1"]


def test_incident_times_out_of_range(run, contact, ledger_path):
    before = ledger_path.read_bytes()
    for when in ("0001-01-01T00:30+01:00", "9999-12-31T23:59-01:00", "1969-12-31",
                 "3000-01-01T00:00"):
        r = run("log", "other", "--contact", contact, "--when", when)
        assert r.exit_code == 2, r.output
        assert "internal error" not in r.output
        assert f"'{when}' is out of range" in r.stderr
    assert json.loads(run("incidents", "--json").stdout) == []
    del before
    ok = run("log", "other", "--contact", contact, "--when", "1970-01-01T00:30+01:00")
    assert ok.exit_code == 0, ok.output


def test_library_refuses_out_of_range_incident_times(ledger):
    from gdprkit.errors import BadInput

    c = ledger.add_contact("X")
    east = dt.timezone(dt.timedelta(hours=1))
    with pytest.raises(BadInput, match="out of range"):
        ledger.log_incident("other", c.id, when=dt.datetime(1, 1, 1, 0, 30, tzinfo=east))
    assert ledger.incidents() == []


def _cli(env, *args):
    return subprocess.run([venv_bin("gdprkit"), *map(str, args)], env=env,
                          capture_output=True, text=True, timeout=120)


def test_subprocess_tz_rome(tmp_path, passfile):
    """A real process in Europe/Rome: the naive time is local, the date is 2 March."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GDPRKIT_")}
    env.update(GDPRKIT_LEDGER=str(tmp_path / "l.db"), GDPRKIT_PASSPHRASE_FILE=str(passfile),
               GDPRKIT_CONFIG_DIR=str(tmp_path / "cfg"), TZ="Europe/Rome")
    r = _cli(env, "init", "--name", "Ada Rossi", "--country", "IT", "--kdf-memory-mib", "19",
             "--kdf-iterations", "2")
    assert r.returncode == 0, r.stderr
    assert _cli(env, "contact", "add", "M", "--country", "IT").returncode == 0
    r = _cli(env, "log", "mailing-list", "--contact", "c1", "--when", "2026-03-02T00:30",
             "--platform", "e-mail")
    assert (r.returncode, r.stdout) == (0, "i1\n"), r.stderr
    r = _cli(env, "incidents", "--since", "2026-03-02")
    assert r.stdout.split()[:2] == ["i1", "2026-03-02"], r.stdout + r.stderr
    r = _cli(env, "letter", "objection", "--contact", "c1", "--lang", "it", "--no-record",
             "--sent", "2026-03-10")
    assert r.returncode == 0, r.stderr
    assert "2 marzo 2026" in " ".join(r.stdout.split())
    # the same ledger read from another time zone still shows 2 March
    env["TZ"] = "America/Los_Angeles"
    item = json.loads(_cli(env, "show", "i1", "--json").stdout)
    assert (item["date"], item["utc_offset"]) == ("2026-03-02", "+01:00")
    r = _cli(env, "log", "other", "--contact", "c1", "--when", "0001-01-01T00:30+01:00")
    assert r.returncode == 2 and "internal error" not in r.stderr
    assert r.stderr.strip().splitlines()[-1].startswith("Error: Invalid value for '--when'")
