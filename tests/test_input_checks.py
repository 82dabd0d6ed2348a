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


# -- 2. country codes ---------------------------------------------------------------------
@pytest.mark.parametrize("args", [
    ["init", "--name", "Ada", "--country", "ZZ"],
    ["profile", "set", "--country", "ZZ"],
    ["contact", "add", "X", "--country", "ZZ"],
    ["contact", "add", "X", "--country", "Italy"],
    ["profile", "set", "--country", "US"],  # no supervisory authority to complain to
    ["profile", "set", "--country", "DE", "--subdivision", "XX"],
    ["profile", "set", "--country", "DE-BY", "--subdivision", "NW"],
])
def test_bad_country_codes_are_refused(run, initialized, tmp_path, args):
    if args[0] == "init":
        args = ["--ledger", tmp_path / "new.db", *args]
    before = json.loads(run("profile", "show", "--json").stdout)
    r = run(*args)
    _usage_error(r, "--country")
    assert json.loads(run("profile", "show", "--json").stdout) == before
    assert json.loads(run("contact", "list", "--json").stdout) == []
    assert not (tmp_path / "new.db").exists()


def test_zz_message_names_the_value(run, initialized):
    r = run("contact", "add", "X", "--country", "ZZ")
    assert r.stderr.strip().splitlines()[-1] == (
        "Error: Invalid value for '--country': country 'ZZ' is not an ISO 3166-1 country "
        "code (use an ISO 3166-1 alpha-2 code such as IT, FR, GB or US, or a region such "
        "as DE-BY)")


@pytest.mark.parametrize(("given", "stored"), [
    ("it", "IT"), (" fr ", "FR"), ("uk", "GB"), ("el", "GR"), ("de-by", "DE-BY"), ("CH", "CH"),
])
def test_profile_country_case_insensitive(run, initialized, given, stored):
    r = run("profile", "set", "--country", given)
    assert r.exit_code == 0, r.output
    assert json.loads(run("profile", "show", "--json").stdout)["country"] == stored


@pytest.mark.parametrize(("given", "stored"), [
    ("us", "US"), ("JP", "JP"), ("ch", "CH"), ("de-nw", "DE-NW"), ("uk", "GB"), ("it", "IT"),
])
def test_contact_country_any_iso_code(run, initialized, given, stored):
    r = run("contact", "add", "X", "--country", given, "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["country"] == stored


def test_letter_to_a_contact_outside_the_eea(run, initialized, tmp_path):
    """A letter to a contact in the US: US holidays, the country line, your authority."""
    run("contact", "add", "Sam Seller", "--email", "sam@seller.example", "--country", "us",
        "--org-address", "1 Main St\\nSpringfield, IL 62701")
    run("log", "direct-pitch", "--contact", "c1", "--when", "2026-05-20", "--platform", "LinkedIn")
    out = tmp_path / "x.txt"
    r = run("letter", "objection", "--contact", "c1", "--lang", "en", "--sent", "2026-06-04",
            "-o", out)
    assert r.exit_code == 0, r.output
    assert "due 2026-07-06" in r.stderr  # Saturday 4 July (Independence Day), then Sunday
    text = " ".join(out.read_text(encoding="utf-8").split())
    assert "UNITED STATES" in text and "Garante per la protezione dei dati personali" in text


def test_subdivision_option(run, initialized):
    r = run("profile", "set", "--country", "de", "--subdivision", "by")
    assert r.exit_code == 0, r.output
    assert json.loads(run("profile", "show", "--json").stdout)["country"] == "DE-BY"
    # the Land alone changes the region of the country already set
    assert run("profile", "set", "--subdivision", "NW").exit_code == 0
    assert json.loads(run("profile", "show", "--json").stdout)["country"] == "DE-NW"
    r = run("profile", "set", "--country", "IT")
    assert r.exit_code == 0 and "Warning" not in r.stderr


def test_plain_de_warns_at_init_and_profile_set(run, initialized, tmp_path):
    r = run("profile", "set", "--country", "DE")
    assert r.exit_code == 0
    assert r.stderr.startswith("Warning: Germany has one supervisory authority per Land")
    assert "--subdivision" in r.stderr
    r = run("--ledger", tmp_path / "de.db", "init", "--name", "Lena", "--country", "de",
            "--kdf-memory-mib", "19", "--kdf-iterations", "2")
    assert r.exit_code == 0 and "Warning: Germany has one supervisory authority" in r.stderr
    r = run("--ledger", tmp_path / "by.db", "init", "--name", "Lena", "--country", "DE",
            "--subdivision", "BY", "--kdf-memory-mib", "19", "--kdf-iterations", "2")
    assert r.exit_code == 0 and "Warning" not in r.stderr


def test_letters_refuse_plain_de_without_a_land(run, world):
    assert run("profile", "set", "--country", "DE").exit_code == 0
    for kind in ("objection", "erasure", "access"):
        r = run("letter", kind, "--contact", "c1", "--lang", "de", "--no-record")
        _bad_input(r, "Germany has one supervisory authority per Land", "--subdivision")
    r = run("letter", "objection", "--contact", "c1", "--authority", "DE", "--no-record")
    _bad_input(r, "--authority DE", "DE-BY")
    # a platform report names no authority: it still works
    r = run("letter", "platform-report", "--incident", "i1", "--platform", "linkedin",
            "--no-record")
    assert r.exit_code == 0, r.output
    # --authority DE-BY for one letter, or the Land in the profile
    r = run("letter", "objection", "--contact", "c1", "--lang", "de", "--authority", "DE-BY",
            "--no-record")
    assert r.exit_code == 0, r.output
    assert "Bayerisches Landesamt für Datenschutzaufsicht" in " ".join(r.stdout.split())
    assert run("profile", "set", "--subdivision", "BE").exit_code == 0
    r = run("letter", "objection", "--contact", "c1", "--lang", "de", "--no-record")
    assert r.exit_code == 0, r.output
    assert "Berliner Beauftragte für Datenschutz" in " ".join(r.stdout.split())


def test_explicit_unknown_authority_is_refused(run, world):
    r = run("letter", "objection", "--contact", "c1", "--authority", "US", "--no-record")
    _bad_input(r, "'US'")


# -- 4. e-mail addresses ---------------------------------------------------------------------
BAD_EMAILS = ["me@@x.example", "me@x", "a,b@x.example", "me @x.example", "me@x.example,y.example",
              "me@x_y.example", "\u00e8@x.example", "me@x\u0007.example", "<me@x.example>",
              "me.@x.example", "me@", "@x.example", "two@x.example three@y.example"]


@pytest.mark.parametrize("email", BAD_EMAILS)
@pytest.mark.parametrize("where", ["contact", "org", "profile", "init"])
def test_bad_email_refused_on_input(run, initialized, tmp_path, email, where):
    args = {"contact": ["contact", "add", "X", "--email", email],
            "org": ["contact", "add", "X", "--org-email", email],
            "profile": ["profile", "set", "--email", email],
            "init": ["--ledger", tmp_path / "n.db", "init", "--name", "A", "--email", email]}
    r = run(*args[where])
    _usage_error(r, "e-mail address")
    assert json.loads(run("contact", "list", "--json").stdout) == []
    assert json.loads(run("profile", "show", "--json").stdout)["email"] == "ada@example.org"


@pytest.mark.parametrize("email", ["me@x.example", "first.last+tag@mail.example.org",
                                   "o'neil@example.ie", "me@b\u00fccher.example",
                                   "  spaced@example.org  "])
def test_good_email_accepted_and_eml_renders(run, initialized, email):
    r = run("contact", "add", "X", "--email", email, "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["email"] == email.strip()
    run("log", "mailing-list", "--contact", "c1", "--when", "2026-03-02")
    r = run("letter", "objection", "--contact", "c1", "--format", "eml", "--no-record",
            "--sent", "2026-03-10")
    assert r.exit_code == 0, r.output


def test_eml_and_input_share_one_rule():
    """Every address the input check accepts, the eml writer accepts, and vice versa."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from gdprkit._validate import email_parts
    from gdprkit.errors import BadInput
    from gdprkit.letters.writers.eml import _address

    alphabet = st.sampled_from(list("ab.-_+@,; <>\"'\u00e8\u00fc\x07") + ["x", "example"])

    @settings(max_examples=300, deadline=None)
    @given(st.lists(alphabet, min_size=1, max_size=12).map("".join))
    def check(text):
        try:
            email_parts(text)
            ok = True
        except BadInput:
            ok = False
        try:
            _address("Name", text, "recipient")
            eml_ok = True
        except BadInput:
            eml_ok = False
        assert ok == eml_ok, text

    check()


# -- 4. option combinations and output names -------------------------------------------------
def test_extension_needs_the_reasons(run, world):
    r = run("letter", "erasure", "--contact", "c1", "--sent", "2026-03-05")
    assert r.exit_code == 0, r.output
    before = run("request", "r1", "--json", "--today", "2026-03-21").stdout
    for extra in ([], ["--note", "   "]):
        r = run("request", "r1", "extended", "--on", "2026-03-20", "--today", "2026-03-21",
                *extra)
        _usage_error(r, "extended needs --note", "reasons")
    assert run("request", "r1", "--json", "--today", "2026-03-21").stdout == before
    r = run("request", "r1", "extended", "--on", "2026-03-20", "--note", "40 pending requests",
            "--today", "2026-03-21", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["event"] == {"type": "extended", "on": "2026-03-20",
                                             "note": "40 pending requests"}


@pytest.mark.parametrize(("args", "words"), [
    (["letter", "objection"], ["exactly one of"]),
    (["letter", "objection", "--contact", "c1", "--incident", "i1"], ["exactly one of",
                                                                      "--incident and --contact"]),
    (["letter", "objection", "--contact", "c1", "--request", "r1"], ["exactly one of"]),
    (["letter", "reminder", "--contact", "c1"], ["follows an earlier request", "--request"]),
    (["letter", "objection", "--request", "r1"], ["--request is for reminder"]),
])
def test_letter_selection_is_a_usage_error(run, world, args, words):
    _usage_error(run(*args, "--no-record"), *words)


def test_requests_filters_are_alternatives(run, world):
    r = run("requests", "--open", "--overdue")
    _usage_error(r, "--open and --overdue are alternatives")
    assert run("requests", "--open").exit_code == 0


@pytest.mark.parametrize(("name", "fmt", "magic"), [
    ("out.txt", "txt", b"Ada Rossi"), ("out.MD", "md", b"Ada Rossi"),
    ("out.html", "html", b"<!DOCTYPE html>"), ("out.eml", "eml", b"MIME-Version"),
    ("out.pdf", "pdf", b"%PDF-"), ("noextension", "txt", b"Ada Rossi"),
])
def test_format_follows_a_known_extension(run, world, tmp_path, name, fmt, magic):
    out = tmp_path / name
    r = run("letter", "objection", "--contact", "c1", "-o", out, "--no-record", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["format"] == fmt
    assert magic in out.read_bytes()[:4000]


def test_unknown_extension_is_refused_without_format(run, world, tmp_path):
    out = tmp_path / "out.xyz"
    r = run("letter", "objection", "--contact", "c1", "-o", out, "--no-record")
    _usage_error(r, "out.xyz", "--format")
    assert not out.exists()
    assert json.loads(run("requests", "--json").stdout) == []
    # an explicit --format wins over the file name
    r = run("letter", "objection", "--contact", "c1", "-o", out, "--format", "md", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["format"] == "md" and "**Oggetto:" in out.read_text()
    out2 = tmp_path / "really-text.pdf"
    r = run("letter", "objection", "--contact", "c1", "-o", out2, "--format", "txt",
            "--no-record")
    assert r.exit_code == 0 and out2.read_bytes().startswith(b"Ada Rossi")


# -- 5. evidence source ----------------------------------------------------------------------
def test_evidence_source_defaults_to_the_platform(run, initialized, tmp_path):
    shot = tmp_path / "shot.png"
    shot.write_bytes(b"\x89PNG\r\n\x1a\n" + b"x" * 100)
    run("contact", "add", "X")
    r = run("log", "endorsement", "--contact", "c1", "--platform", "LinkedIn",
            "--evidence", shot, "--evidence", shot, "--method", "screenshot", "--json")
    assert r.exit_code == 0, r.output
    assert [e["source"] for e in json.loads(r.stdout)["evidence"]] == ["LinkedIn", "LinkedIn"]
    r = run("log", "endorsement", "--contact", "c1", "--platform", "LinkedIn",
            "--evidence", shot, "--source", "https://www.linkedin.com/messaging/123", "--json")
    assert json.loads(r.stdout)["evidence"][0]["source"] == (
        "https://www.linkedin.com/messaging/123")
    r = run("log", "other", "--contact", "c1", "--evidence", shot, "--json")
    assert json.loads(r.stdout)["evidence"][0]["source"] is None
    assert json.loads(run("show", "e1", "--json").stdout)["source"] == "LinkedIn"


def test_evidence_source_default_in_the_library(ledger):
    from gdprkit.model import EvidenceInput

    c = ledger.add_contact("X")
    inc = ledger.log_incident("forwarded", c.id, platform="WhatsApp",
                              evidence=[EvidenceInput(name="a.txt", data=b"a"),
                                        EvidenceInput(name="b.txt", data=b"b", source="msg-42")])
    assert [e.source for e in inc.evidence] == ["WhatsApp", "msg-42"]


# -- batch rows: the same date rules ---------------------------------------------------------
BATCH_ROW = {
    "kind": "objection", "lang": "it", "requester_name": "Ada Rossi", "requester_country": "IT",
    "recipient_name": "Mario Rossi", "recipient_country": "IT",
    "incident_kind": "mailing-list", "platform": "e-mail", "facts": "Added me to a list.",
}


@pytest.mark.parametrize(("when", "day"), [
    ("2026-03-02T00:30+01:00", "2 marzo 2026"), ("2026-03-01T23:30-05:00", "1º marzo 2026"),
    ("2026-03-02", "2 marzo 2026"),
])
def test_batch_incident_date_keeps_its_offset(tmp_path, when, day):
    from gdprkit.batch import run_batch

    out = tmp_path / "out"
    result = run_batch([dict(BATCH_ROW, incident_date=when)], out, sent=dt.date(2026, 3, 10))
    assert result.ok == 1, result.first_errors
    text = " ".join((out / "0001-objection-it-mario-rossi.txt").read_text().split())
    assert f"Fatto 1 — {day}" in text


@pytest.mark.parametrize("when", ["0001-01-01T00:30+01:00", "9999-12-31", "1969-12-31T10:00"])
def test_batch_incident_date_out_of_range_is_a_row_error(tmp_path, when):
    from gdprkit.batch import run_batch

    out = tmp_path / "out"
    result = run_batch([dict(BATCH_ROW, incident_date=when)], out, sent=dt.date(2026, 3, 10))
    assert (result.ok, result.errors) == (0, 1)
    error = result.first_errors[0].error
    assert "incident_date" in error and "out of range" in error and "internal" not in error
