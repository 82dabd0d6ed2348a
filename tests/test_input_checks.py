"""Values are checked where they enter, with a one-line error naming them:
extreme dates, country codes, e-mail addresses, option combinations, output
file names; and the evidence source defaults to the incident's platform."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess

import pytest

from .conftest import venv_bin


def _usage_error(r, *words):
    """Click's usage error: exit 2, the last stderr line is 'Error: ...' naming the value."""
    assert r.exit_code == 2, r.output
    assert "internal error" not in r.output and "Traceback" not in r.output
    last = r.stderr.strip().splitlines()[-1]
    assert last.startswith("Error: "), r.stderr
    for word in words:
        assert word in last, last


def _bad_input(r, *words):
    """A library error: exit 1 and exactly one line 'Error: ...' naming the value."""
    assert r.exit_code == 1, r.output
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), r.stderr
    assert "internal error" not in lines[0]
    for word in words:
        assert word in lines[0], lines[0]


@pytest.fixture
def world(run, initialized):
    r = run("contact", "add", "Marco Venditti", "--email", "marco@prosperity.example",
            "--country", "IT", "--platform", "LinkedIn")
    assert r.exit_code == 0, r.output
    r = run("log", "mailing-list", "--contact", "c1", "--when", "2026-03-02T09:00+01:00",
            "--platform", "e-mail", "--note", "Added me to a list.")
    assert r.exit_code == 0, r.output
    return {"contact": "c1", "incident": "i1"}


# -- 3. extreme dates ------------------------------------------------------------------
@pytest.mark.parametrize("day", ["9999-12-15", "0001-01-01", "1969-12-31", "3000-01-01"])
def test_due_out_of_range_is_a_usage_error(run, day):
    r = run("due", day, "--country", "IT")
    _usage_error(r, f"'{day}'", "out of range")


def test_due_at_the_ends_of_the_range(run):
    assert run("due", "1970-01-01", "--country", "IT").stdout.splitlines()[0] == "1970-02-02"
    assert run("due", "2999-12-31", "--country", "IT", "--extended").exit_code == 0


def test_deadline_library_refuses_out_of_range_dates():
    from gdprkit.errors import BadInput
    from gdprkit.legal import due_date, explain_due
    from gdprkit.legal.deadlines import complaint_followup_date

    for call in (lambda: due_date(dt.date(9999, 12, 15), "IT"),
                 lambda: explain_due(dt.date(9999, 12, 15), "IT", extended=True),
                 lambda: complaint_followup_date(dt.date(9999, 11, 1), "IT")):
        with pytest.raises(BadInput, match="9999-1.-.. is out of range"):
            call()


def test_letter_sent_and_request_on_out_of_range(run, world):
    r = run("letter", "objection", "--contact", "c1", "--sent", "9999-12-15", "--no-record")
    _usage_error(r, "'9999-12-15'", "--sent")
    r = run("letter", "objection", "--contact", "c1", "--sent", "2026-03-10")
    assert r.exit_code == 0, r.output
    r = run("request", "r1", "answered", "--on", "0001-01-01")
    _usage_error(r, "'0001-01-01'", "--on")


def test_letter_warns_about_unusual_sent_dates(run, world):
    today = dt.date.today()
    far = today + dt.timedelta(days=30)
    r = run("letter", "objection", "--contact", "c1", "--sent", far.isoformat(), "--no-record")
    assert r.exit_code == 0, r.output
    assert f"Warning: --sent {far.isoformat()} is 30 days in the future" in r.stderr
    old = today - dt.timedelta(days=3 * 365 + 5)
    r = run("letter", "objection", "--contact", "c1", "--sent", old.isoformat(), "--no-record")
    assert r.exit_code == 0 and "years in the past" in r.stderr
    near = today + dt.timedelta(days=3)
    r = run("letter", "objection", "--contact", "c1", "--sent", near.isoformat(), "--no-record")
    assert r.exit_code == 0 and "Warning" not in r.stderr


def _subprocess_env(tmp_path, passfile):
    env = {k: v for k, v in os.environ.items() if not k.startswith("GDPRKIT_")}
    env.update(GDPRKIT_LEDGER=str(tmp_path / "l.db"), GDPRKIT_PASSPHRASE_FILE=str(passfile),
               GDPRKIT_CONFIG_DIR=str(tmp_path / "cfg"))
    return env


def _cli(env, *args):
    return subprocess.run([venv_bin("gdprkit"), *map(str, args)], env=env,
                          capture_output=True, text=True, timeout=120)


def test_subprocess_extreme_dates(tmp_path, passfile):
    env = _subprocess_env(tmp_path, passfile)
    r = _cli(env, "due", "9999-12-15", "--country", "IT")
    assert r.returncode == 2 and "internal error" not in r.stderr
    assert r.stderr.strip().splitlines()[-1] == (
        "Error: Invalid value for 'RECEIVED_DATE': '9999-12-15' is out of range: gdprkit "
        "accepts dates from 1970-01-01 to 2999-12-31")
    assert _cli(env, "init", "--name", "Ada", "--country", "IT", "--kdf-memory-mib", "19",
                "--kdf-iterations", "2").returncode == 0
    assert _cli(env, "contact", "add", "M").returncode == 0
    r = _cli(env, "log", "other", "--contact", "c1", "--when", "0001-01-01T00:30+01:00")
    assert r.returncode == 2 and "internal error" not in r.stderr
    assert "'0001-01-01T00:30+01:00' is out of range" in r.stderr
