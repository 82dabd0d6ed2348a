"""``gdprkit batch``: the command line over run_batch, with and without a ledger."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from gdprkit.cli import cli

from .conftest import venv_bin

HEADER = ("kind;lang;requester_name;requester_country;recipient_name;recipient_org;"
          "recipient_country;incident_kind;incident_date;platform;facts;output\n")
GOOD = "objection;en;Ada Rossi;IT;Mario Rossi;Acme;IT;mailing-list;2026-03-02;linkedin;Spam;\n"
BAD = "objection;en;Ada Rossi;IT;Mario Rossi;Acme;IT;mailing-list;31/02/2026;linkedin;Spam;\n"


@pytest.fixture
def plain(monkeypatch):
    """A runner without any ledger in the environment."""
    for k in ("GDPRKIT_LEDGER", "GDPRKIT_PASSPHRASE", "GDPRKIT_PASSPHRASE_FILE"):
        monkeypatch.delenv(k, raising=False)
    runner = CliRunner()

    def _run(*args, input=None):
        return runner.invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)

    return _run


def write_csv(path, *lines, header=HEADER):
    path.write_text(header + "".join(lines), encoding="utf-8-sig")
    return path


def test_batch_json_summary_and_exit_0(plain, tmp_path):
    src = write_csv(tmp_path / "in.csv", GOOD, GOOD.replace("Mario Rossi", "Luca Verdi"))
    out = tmp_path / "out"
    r = plain("batch", src, "--out-dir", out, "--json", "--sent", "2026-03-09")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout) == {"rows": 2, "ok": 2, "unchanged": 0, "errors": 0,
                                    "out_dir": str(out.resolve()),
                                    "manifest": str(out.resolve() / "manifest.json")}
    assert r.stderr == ""  # no progress bar when stderr is not a terminal
    r = plain("batch", src, "--out-dir", out, "--sent", "2026-03-09")
    assert r.exit_code == 0
    assert r.stdout.startswith("2 rows: 0 written, 2 unchanged, 0 errors; manifest: ")


def test_batch_bad_row_exit_1_rest_produced(plain, tmp_path):
    src = write_csv(tmp_path / "in.csv", GOOD, BAD, GOOD)
    out = tmp_path / "out"
    r = plain("batch", src, "--out-dir", out, "--json", "--jobs", "2")
    assert r.exit_code == 1
    assert json.loads(r.stdout)["errors"] == 1 and json.loads(r.stdout)["ok"] == 2
    lines = r.stderr.splitlines()
    assert lines[0] == "row 2 (line 3): incident_date '31/02/2026' is ambiguous " \
                       "(day/month or month/day?) (write it as YYYY-MM-DD)"
    assert lines[-1] == f"Error: 1 of 3 rows failed; see {out.resolve() / 'manifest.json'}"
    assert len(list(out.glob("*.txt"))) == 2


def test_batch_fail_fast(plain, tmp_path):
    src = write_csv(tmp_path / "in.csv", GOOD, BAD, GOOD)
    r = plain("batch", src, "--out-dir", tmp_path / "out", "--fail-fast")
    assert r.exit_code == 1
    assert "stopped at the first (--fail-fast)" in r.stderr
    assert len(list((tmp_path / "out").glob("*.txt"))) == 1


def test_batch_stdin_jsonl_and_format_option(plain, tmp_path):
    rows = [{"kind": "objection", "requester_name": "Ada", "requester_country": "IT",
             "recipient_name": "Acme", "recipient_org": "Acme", "incident_kind": "direct-pitch",
             "incident_date": "2026-03-01", "output": "letters/acme.html"}]
    data = "\n".join(json.dumps(r) for r in rows) + "\n\n"
    r = plain("batch", "-", "--out-dir", tmp_path / "out", "--format", "html", input=data)
    assert r.exit_code == 0, r.output
    assert (tmp_path / "out" / "letters" / "acme.html").read_text().count("Acme") >= 1


def test_batch_unreadable_input_or_out_dir_exit_1_nothing_written(plain, tmp_path):
    r = plain("batch", tmp_path / "missing.csv", "--out-dir", tmp_path / "out")
    assert r.exit_code == 1 and r.stderr.startswith("Error: cannot read the batch file")
    latin = tmp_path / "latin.csv"
    latin.write_bytes(HEADER.encode() + GOOD.replace("Spam", "Caffè").encode("cp1252"))
    r = plain("batch", latin, "--out-dir", tmp_path / "out")
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: the batch file") and "line 2 is not valid UTF-8" in r.stderr
    assert not (tmp_path / "out").exists()
    (tmp_path / "blocker").write_text("x")
    src = write_csv(tmp_path / "in.csv", GOOD)
    r = plain("batch", src, "--out-dir", tmp_path / "blocker" / "out")
    assert r.exit_code == 1 and "cannot create the output folder" in r.stderr


def test_batch_usage_errors(plain, tmp_path):
    src = write_csv(tmp_path / "in.csv", GOOD)
    assert plain("batch", src).exit_code == 2  # --out-dir is required
    assert plain("batch", src, "--out-dir", "o", "--format", "docx").exit_code == 2
    assert plain("batch", src, "--out-dir", "o", "--jobs", "-1").exit_code == 2
    r = plain("batch", "--help")
    assert r.exit_code == 0 and "manifest.json" in r.stdout and "--jobs" in r.stdout
    assert "batch" in plain("--help").stdout


# -- with a ledger --------------------------------------------------------------------
def _ledger_with_incidents(run):
    r = run("contact", "add", "Mario Rossi", "--email", "mario@acme.example", "--org", "Acme",
            "--country", "IT")
    assert r.exit_code == 0, r.output
    cid = r.stdout.strip()
    ids = []
    for when in ("2026-03-01", "2026-03-02"):
        r = run("log", "mailing-list", "--contact", cid, "--when", when, "--note", "spam")
        assert r.exit_code == 0, r.output
        ids.append(r.stdout.strip())
    return cid, ids


def test_batch_with_ledger_ids_records_requests_once(run, initialized, tmp_path, ledger_path,
                                                     passfile):
    cid, (i1, i2) = _ledger_with_incidents(run)
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in [
        {"kind": "objection", "incident": f"{i1} {i2}"},
        {"kind": "erasure", "contact": cid, "lang": "en"},
        {"kind": "objection", "contact": "c99"},
        {"kind": "access", "incident": "x1"},
    ]) + "\n")
    out = tmp_path / "out"
    r = run("batch", src, "--out-dir", out, "--json", "--sent", "2026-03-09")
    assert r.exit_code == 1, r.output
    assert json.loads(r.stdout)["ok"] == 2
    m = json.loads((out / "manifest.json").read_text())
    rows = {x["row"]: x for x in m["rows"]}
    # a row without lang is written in the profile's language (it), as 'gdprkit letter'
    assert rows[1]["output"] == "0001-objection-it-mario-rossi.txt"
    assert rows[1]["request"] and rows[2]["request"] and rows[1]["request"] != rows[2]["request"]
    assert rows[3]["status"] == "error" and "no contact 'c99'" in rows[3]["error"]
    assert rows[4]["error"] == "'x1' is not a valid incident id (like i1)"
    text = (out / rows[1]["output"]).read_text()
    assert "Ada Rossi" in text and "Mario Rossi" in text  # requester from the profile

    from gdprkit.ledger import Ledger

    from .conftest import PASSPHRASE

    with Ledger.open(ledger_path, PASSPHRASE) as led:
        reqs = led.requests()
        assert [q.id for q in reqs] == [rows[1]["request"], rows[2]["request"]]
        assert reqs[0].sha256 == rows[1]["sha256"] and reqs[0].incidents == (i1, i2)
        assert reqs[0].contact == cid and reqs[1].kind == "erasure"

    # re-run: unchanged, nothing recorded twice
    r = run("batch", src, "--out-dir", out, "--json", "--sent", "2026-03-09")
    assert json.loads(r.stdout)["unchanged"] == 2
    with Ledger.open(ledger_path, PASSPHRASE) as led:
        assert len(led.requests()) == 2
    # --no-record renders from the ledger without writing to it
    r = run("batch", src, "--out-dir", tmp_path / "out2", "--no-record", "--sent", "2026-03-10")
    with Ledger.open(ledger_path, PASSPHRASE) as led:
        assert len(led.requests()) == 2


def test_batch_with_ledger_and_workers(run, initialized, tmp_path, ledger_path):
    cid, (i1, i2) = _ledger_with_incidents(run)
    src = tmp_path / "in.csv"
    src.write_text("kind,incident,contact\n" + f"objection,{i1},\n" * 5 + f"erasure,,{cid}\n")
    r = run("batch", src, "--out-dir", tmp_path / "out", "--jobs", "2", "--json")
    assert r.exit_code == 0, r.output
    from gdprkit.ledger import Ledger

    from .conftest import PASSPHRASE

    with Ledger.open(ledger_path, PASSPHRASE) as led:
        # five identical letters (same bytes): one request; the erasure: another
        assert len(led.requests()) == 2


def test_batch_wrong_passphrase_writes_nothing(run, initialized, tmp_path):
    src = write_csv(tmp_path / "in.csv", GOOD)
    bad = tmp_path / "bad-pass"
    bad.write_text("wrong\n")
    r = run("--passphrase-file", bad, "batch", src, "--out-dir", tmp_path / "out")
    assert r.exit_code == 4
    assert not (tmp_path / "out").exists()


# -- a real process on a pipe -----------------------------------------------------
def test_batch_subprocess_pipe(tmp_path):
    src = write_csv(tmp_path / "in.csv", GOOD, BAD)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    proc = subprocess.run(
        [venv_bin("gdprkit"), "batch", "-", "--out-dir", str(tmp_path / "out"), "--json",
         "--jobs", "2"],
        input=src.read_bytes(), capture_output=True, env=env, timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["ok"] == 1
    err = proc.stderr.decode().splitlines()
    assert err[0].startswith("row 2 (line 3): incident_date '31/02/2026' is ambiguous")
    assert err[-1].startswith("Error: 1 of 2 rows failed")
    assert "Rendering" not in proc.stderr.decode() and "Traceback" not in proc.stderr.decode()
    assert sys.executable  # the venv's gdprkit runs with the venv's python


def test_batch_bad_address_or_country_is_not_recorded(run, initialized, tmp_path, ledger_path):
    cid, (i1, _i2) = _ledger_with_incidents(run)
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in [
        {"kind": "objection", "incident": i1,
         "recipient_email": "bob@x.example,evil.example"},
        {"kind": "objection", "incident": i1, "requester_country": "DE"},
        {"kind": "objection", "incident": i1, "recipient_email": "bob@x.example"},
    ]) + "\n")
    out = tmp_path / "out"
    r = run("batch", src, "--out-dir", out, "--json", "--sent", "2026-03-09")
    assert r.exit_code == 1, r.output
    rows = {x["row"]: x for x in json.loads((out / "manifest.json").read_text())["rows"]}
    assert rows[1]["status"] == "error" and rows[1]["request"] is None
    assert rows[1]["error"].startswith("recipient_email 'bob@x.example,evil.example' is not")
    assert rows[2]["status"] == "error" and rows[2]["request"] is None
    assert rows[2]["error"].startswith("requester_country 'DE': Germany has one")
    assert rows[3]["status"] == "ok" and rows[3]["request"]
    # the same address is refused by the command line
    assert run("contact", "add", "Bob", "--email", "bob@x.example,evil.example").exit_code == 2

    from gdprkit.ledger import Ledger

    from .conftest import PASSPHRASE

    with Ledger.open(ledger_path, PASSPHRASE) as led:
        reqs = led.requests()
        assert [q.id for q in reqs] == [rows[3]["request"]]
        assert reqs[0].recipient_email == "bob@x.example"


@pytest.mark.parametrize("value", ["0001-01-01", "3000-01-01"])
def test_batch_sent_out_of_range_is_a_usage_error(plain, tmp_path, value):
    src = write_csv(tmp_path / "in.csv", GOOD)
    r = plain("batch", src, "--out-dir", tmp_path / "out", "--sent", value)
    assert r.exit_code == 2, r.output
    assert f"'{value}' is out of range: gdprkit accepts dates from 1970-01-01 to 2999-12-31" \
        in r.stderr
    assert "internal error" not in r.output and not (tmp_path / "out").exists()


# -- reminders and complaints by request id: the letter and record of 'gdprkit letter' --
@pytest.mark.parametrize(("kind", "days_ago", "event"), [
    ("reminder", 20, "reminder-sent"),
    ("complaint", 10, "complaint-filed"),
])
def test_batch_follow_up_by_request_is_the_cli_letter(run, initialized, tmp_path, ledger_path,
                                                      kind, days_ago, event):
    import datetime as dt

    from gdprkit.ledger import Ledger
    from gdprkit.letters.from_ledger import letter_from_ledger

    from .conftest import PASSPHRASE

    today = dt.date.today()
    sent = (today - dt.timedelta(days=days_ago)).isoformat()  # recorded as an event: past
    cid, _ids = _ledger_with_incidents(run)
    r = run("letter", "erasure", "--contact", cid,
            "--sent", (today - dt.timedelta(days=120)).isoformat(),
            "-o", tmp_path / "erasure.txt")
    assert r.exit_code == 0, r.output
    rid = r.stdout.strip()
    with Ledger.open(ledger_path, PASSPHRASE) as led:
        expected = letter_from_ledger(led, kind, request=rid, fmt="txt",
                                      sent=dt.date.fromisoformat(sent))
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"kind": kind, "request": rid, "sent": sent, "lang": "it",
                               "output": f"{kind}.txt"}) + "\n")
    out = tmp_path / "out"
    r = run("batch", src, "--out-dir", out, "--json")
    assert r.exit_code == 0, r.output
    row = json.loads((out / "manifest.json").read_text())["rows"][0]
    assert row["status"] == "ok", row
    assert (out / f"{kind}.txt").read_bytes() == expected.rendered.content
    with Ledger.open(ledger_path, PASSPHRASE) as led:
        new = led.request(row["request"])
        assert (new.kind, new.related_request, new.contact) == (kind, rid, cid)
        assert new.incidents == tuple(i.id for i in expected.incidents)
        assert new.recipient_name == expected.recipient.name
        assert new.sha256 == expected.rendered.sha256 and new.due == expected.rendered.due
        assert (event, dt.date.fromisoformat(sent)) in [
            (e.type, e.on) for e in led.request(rid).events]
        count, events = len(led.requests()), len(led.request(rid).events)
    # a re-run records nothing twice (the letter's bytes differ: it prints the
    # checkpoint, which the first record moved on)
    r = run("batch", src, "--out-dir", out, "--json")
    assert r.exit_code == 0, r.output
    again = json.loads((out / "manifest.json").read_text())["rows"][0]
    assert again["request"] == row["request"]
    with Ledger.open(ledger_path, PASSPHRASE) as led:
        assert len(led.requests()) == count and len(led.request(rid).events) == events


def test_batch_request_id_only_for_follow_ups(run, initialized, tmp_path):
    cid, (i1, _i2) = _ledger_with_incidents(run)
    r = run("letter", "erasure", "--contact", cid, "--sent", "2026-11-02",
            "-o", tmp_path / "erasure.txt")
    rid = r.stdout.strip()
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(x) for x in [
        {"kind": "objection", "request": rid},
        {"kind": "reminder", "request": rid, "incident": i1},
        {"kind": "reminder", "request": "r99"},
    ]) + "\n")
    out = tmp_path / "out"
    r = run("batch", src, "--out-dir", out, "--sent", "2026-12-22")
    assert r.exit_code == 1
    rows = {x["row"]: x for x in json.loads((out / "manifest.json").read_text())["rows"]}
    assert rows[1]["error"].startswith("request is for reminder and complaint letters")
    assert rows[2]["error"].startswith("a reminder takes the request it follows")
    assert "r99" in rows[3]["error"]


def test_batch_language_defaults_to_the_profile_and_lang_overrides(run, initialized, tmp_path):
    cid, _ids = _ledger_with_incidents(run)
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"kind": "erasure", "contact": cid}) + "\n")
    r = run("batch", src, "--out-dir", tmp_path / "a", "--json", "--no-record")
    assert r.exit_code == 0, r.output
    assert json.loads((tmp_path / "a" / "manifest.json").read_text())["rows"][0][
        "output"].startswith("0001-erasure-it-")
    r = run("batch", src, "--out-dir", tmp_path / "b", "--json", "--no-record", "--lang", "en")
    assert r.exit_code == 0, r.output
    row = json.loads((tmp_path / "b" / "manifest.json").read_text())["rows"][0]
    assert row["output"].startswith("0001-erasure-en-")
    assert "Subject:" in (tmp_path / "b" / row["output"]).read_text()
