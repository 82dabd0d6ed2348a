"""``gdprkit letter`` and ``gdprkit templates`` through the CLI, with a real ledger."""

from __future__ import annotations

import email
import email.policy
import hashlib
import json
from pathlib import Path

import pytest


@pytest.fixture
def world(run, initialized, tmp_path):
    """A ledger with a contact at an Italian company and three incidents."""
    shot = tmp_path / "newsletter.png"
    shot.write_bytes(b"\x89PNG fake screenshot bytes")
    r = run("contact", "add", "Marco Ferri", "--email", "marco@growthpeak.example",
            "--org", "GrowthPeak S.r.l.", "--org-address", "Corso Vittorio 45\\n10125 Torino",
            "--country", "IT", "--platform", "linkedin")
    assert r.exit_code == 0, r.output
    contact = r.stdout.strip()
    ids = []
    for kind, when, extra in (
        ("mailing-list", "2026-02-02T10:00:00+00:00", ["--platform", "email",
                                                       "--evidence", str(shot)]),
        ("forwarded", "2026-02-06T10:00:00+00:00", ["--platform", "linkedin",
                                                    "--note", "Forwarded {{ 7*7 }} <b>&"]),
        ("introduction-request", "2026-02-14T10:00:00+00:00", ["--platform", "linkedin"]),
    ):
        r = run("log", kind, "--contact", contact, "--when", when, *extra)
        assert r.exit_code == 0, r.output
        ids.append(r.stdout.strip())
    return {"contact": contact, "incidents": ids, "shot": shot, "dir": tmp_path}


def test_letter_to_a_file_records_a_request(run, world):
    out = world["dir"] / "objection.pdf"
    i1, i2, _ = world["incidents"]
    r = run("letter", "objection", "--incident", i1, "--incident", i2, "--lang", "en",
            "--sent", "2026-03-05", "-o", out)
    assert r.exit_code == 0, r.output
    request_id = r.stdout.strip()
    assert request_id.startswith("r")
    assert "due 2026-04-07" in r.stderr
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")  # format from the file name
    shown = json.loads(run("show", request_id, "--json").stdout)
    assert shown["sha256"] == hashlib.sha256(data).hexdigest()
    assert shown["due"] == "2026-04-07" and shown["kind"] == "objection"
    assert shown["format"] == "pdf" and shown["recipient_name"] == "Marco Ferri"
    assert sorted(shown["incidents"]) == sorted([i1, i2])

    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(out).pages)
    assert hashlib.sha256(world["shot"].read_bytes()).hexdigest()[:16] in text
    assert "newsletter.png" in text and "Forwarded {{ 7*7 }} <b>&" in text


def test_letter_on_stdout_reports_the_request_on_stderr(run, world):
    r = run("letter", "access", "--contact", world["contact"], "--lang", "en",
            "--sent", "2026-01-31")
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("Ada Rossi\n")
    assert "Left out i3 (introduction-request)" in r.stderr
    assert "Request for access to my personal data" in r.stdout
    assert "2 March 2026" in r.stdout  # LEGAL.md: 31 Jan -> 28 Feb is a Saturday -> 2 March
    assert r.stderr.splitlines()[-1].startswith("Recorded as request r")


def test_no_record_leaves_the_ledger_alone(run, world):
    r = run("letter", "erasure", "--incident", world["incidents"][1], "--lang", "en",
            "--format", "md", "--no-record")
    assert r.exit_code == 0, r.output
    assert "## The facts" in r.stdout
    assert json.loads(run("requests", "--json").stdout) in ([], {"requests": []})


def test_json_summary(run, world):
    out = world["dir"] / "e.html"
    r = run("letter", "erasure", "--incident", world["incidents"][1], "--lang", "en",
            "-o", out, "--json", "--sent", "2026-03-05")
    assert r.exit_code == 0, r.output
    summary = json.loads(r.stdout)
    assert summary["format"] == "html" and summary["due"] == "2026-04-07"
    assert summary["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert summary["request"].startswith("r")


def test_unknown_kind_or_language_is_a_usage_error(run, world):
    r = run("letter", "objektion", "--contact", world["contact"])
    assert r.exit_code == 2
    assert "objection" in r.stderr and "platform-report" in r.stderr
    r = run("letter", "objection", "--contact", world["contact"], "--lang", "xx")
    assert r.exit_code == 2 and "'en'" in r.stderr


def test_a_letter_that_does_not_fit_says_what_does(run, world):
    r = run("letter", "objection", "--incident", world["incidents"][2], "--lang", "en")
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: an objection letter does not fit incident")
    assert "use platform-report" in r.stderr and "Traceback" not in r.stderr


def test_eml_to_a_contact_without_address_names_the_field(run, world, tmp_path):
    r = run("contact", "add", "Nobody")
    contact = r.stdout.strip()
    r = run("log", "direct-pitch", "--contact", contact, "--when", "2026-02-01")
    incident = r.stdout.strip()
    out = tmp_path / "x.eml"
    r = run("letter", "objection", "--incident", incident, "--lang", "en", "-o", out)
    assert r.exit_code == 1
    assert "has no e-mail address (field: email)" in r.stderr
    assert not out.exists()  # nothing half-written
    assert list(tmp_path.glob(".x.eml.*")) == []


def test_eml_with_pdf_attachment(run, world):
    out = world["dir"] / "letter.eml"
    # --contact takes the contact's incidents the letter fits, and says which it left out
    r = run("letter", "erasure", "--contact", world["contact"], "--lang", "en", "-o", out,
            "--attach-pdf")
    assert r.exit_code == 0, r.output
    assert f"Left out {world['incidents'][2]} (introduction-request)" in r.stderr
    msg = email.message_from_bytes(out.read_bytes(), policy=email.policy.default)
    assert msg["To"].addresses[0].addr_spec == "marco@growthpeak.example"
    assert msg["From"].addresses[0].addr_spec == "ada@example.org"
    assert [p.get_content_type() for p in msg.iter_attachments()] == ["application/pdf"]


def test_reminder_and_complaint_follow_a_request(run, world):
    out = world["dir"] / "o.txt"
    r = run("letter", "objection", "--incident", world["incidents"][0], "--lang", "en",
            "--sent", "2026-03-05", "-o", out)
    first = r.stdout.strip()
    r = run("letter", "reminder", "--request", first, "--lang", "en", "--sent", "2026-04-01")
    assert r.exit_code == 1 and "not overdue" in r.stderr
    r = run("letter", "reminder", "--request", first, "--lang", "en", "--sent", "2026-04-10",
            "-o", world["dir"] / "rem.txt")
    assert r.exit_code == 0, r.output
    reminder = json.loads(run("show", r.stdout.strip(), "--json").stdout)
    assert reminder["related_request"] == first and reminder["due"] == "2026-04-24"
    text = (world["dir"] / "rem.txt").read_text()
    assert "Reminder: my objection under Article 21 GDPR of 5 March 2026" in " ".join(
        text.split())
    r = run("letter", "complaint", "--request", first, "--lang", "en", "--sent", "2026-04-27",
            "-o", world["dir"] / "complaint.txt")
    assert r.exit_code == 0, r.output
    text = " ".join((world["dir"] / "complaint.txt").read_text().split())
    assert "Garante per la protezione dei dati personali" in text
    assert "Complaint under Article 77 GDPR against Marco Ferri (GrowthPeak S.r.l.)" in text
    # the original request carries the escalation
    state = json.loads(run("request", first, "--json", "--today", "2026-04-28").stdout)
    assert [(e["type"], e["on"]) for e in state["events"]] == [
        ("reminder-sent", "2026-04-10"), ("complaint-filed", "2026-04-27")]
    assert state["status"] == "complaint-filed"
    r = run("letter", "reminder", "--contact", world["contact"], "--lang", "en")
    assert r.exit_code == 2 and "--request" in r.stderr  # a missing required option: usage


def test_platform_report_goes_to_the_platform_controller(run, world):
    r = run("letter", "platform-report", "--incident", world["incidents"][2], "--lang", "en",
            "--no-record")
    assert r.exit_code == 0, r.output
    assert "LinkedIn Ireland" in r.stdout
    assert "asked me for introductions" in " ".join(r.stdout.split())


def test_exactly_one_selection(run, world):
    # a missing or doubled choice of options is a usage error (exit 2, README's table)
    r = run("letter", "erasure", "--lang", "en")
    assert r.exit_code == 2 and "exactly one of" in r.stderr
    r = run("letter", "erasure", "--contact", world["contact"], "--incident",
            world["incidents"][0], "--lang", "en")
    assert r.exit_code == 2 and "exactly one of" in r.stderr


def test_broken_user_template_exits_1_naming_file_and_line(run, world, tmp_path):
    r = run("templates", "copy", tmp_path / "mine")
    assert r.exit_code == 0, r.output
    path = tmp_path / "mine" / "en" / "erasure.j2"
    path.write_text(path.read_text() + "{% if %}\n")
    r = run("letter", "erasure", "--incident", world["incidents"][0], "--lang", "en",
            "--template-dir", tmp_path / "mine", "--no-record")
    assert r.exit_code == 1
    assert str(path) in r.stderr and "line " in r.stderr


def test_user_template_not_in_utf8_exits_1_naming_the_file(run, world, tmp_path):
    path = tmp_path / "t6" / "en" / "access.j2"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\xff\xfe{\x00%\x00")
    r = run("letter", "access", "--incident", world["incidents"][0], "--lang", "en",
            "--template-dir", tmp_path / "t6", "--no-record")
    assert r.exit_code == 1
    assert r.stderr == (f"Error: template {path} is not UTF-8 text (byte 0xff at offset 0) "
                        "(save it as UTF-8)\n")


def test_templates_list_and_copy(run, tmp_path):
    r = run("templates", "list", "--json")
    assert r.exit_code == 0
    items = json.loads(r.stdout)
    assert {(t["kind"], t["lang"]) for t in items} >= {("objection", "en"), ("complaint", "en")}
    r = run("templates", "list")
    assert r.stdout.splitlines()[0].split()[:3] == ["objection", "en", "builtin"]
    r = run("templates", "copy", tmp_path / "t")
    assert r.exit_code == 0 and (tmp_path / "t" / "en" / "_wording.j2").exists()
    r = run("templates", "copy", tmp_path / "t")
    assert r.exit_code == 1 and "already exists" in r.stderr
    r = run("templates", "list", "--template-dir", tmp_path / "t", "--json")
    assert all(t["source"] == "user" for t in json.loads(r.stdout))


def _objection_r1(run, world):
    r = run("letter", "objection", "--incident", world["incidents"][0], "--lang", "en",
            "--sent", "2026-03-05", "-o", world["dir"] / "o.txt")
    assert r.exit_code == 0, r.output
    return r.stdout.strip()


@pytest.mark.parametrize(
    ("fmt", "field", "what", "need"),
    [("eml", "email", "e-mail address", "an eml letter is sent to it"),
     ("pdf", "address", "postal address", "a pdf letter prints it in the envelope window")],
)
def test_missing_directory_field_names_the_field_and_the_override_file(
        run, world, cli_env, fmt, field, what, need):
    first = _objection_r1(run, world)
    overrides = Path(cli_env["GDPRKIT_CONFIG_DIR"]) / "directory-overrides.json"
    overrides.parent.mkdir(parents=True, exist_ok=True)
    overrides.write_text(json.dumps({"authorities": {"IT": {field: None}}}), encoding="utf-8")
    out = world["dir"] / f"complaint.{fmt}"
    r = run("letter", "complaint", "--request", first, "--format", fmt, "--sent", "2026-04-27",
            "-o", out)
    assert r.exit_code == 1 and not out.exists()
    [line] = r.stderr.splitlines()
    assert line.startswith(
        "Error: Garante per la protezione dei dati personali (Italian Data Protection "
        f"Authority) has no {what} in the gdprkit directory ({need}): "
        f"set authorities.IT.{field} in {overrides} (for example ")
    assert "--email" not in line and "or choose another --format" in line
    # nothing was recorded
    assert [i["id"] for i in json.loads(run("requests", "--json").stdout)] == [first]


def test_directory_address_overridden_without_a_country_line_keeps_its_town(run, world,
                                                                          cli_env):
    first = _objection_r1(run, world)
    overrides = Path(cli_env["GDPRKIT_CONFIG_DIR"]) / "directory-overrides.json"
    overrides.parent.mkdir(parents=True, exist_ok=True)
    overrides.write_text(json.dumps({"authorities": {"IT": {
        "address": ["Piazza Venezia 11", "00187 Roma"], "email": "reclami@example.org"}}}),
        encoding="utf-8")
    r = run("letter", "complaint", "--request", first, "--format", "txt", "--sent",
            "2026-04-27", "--no-record")
    assert r.exit_code == 0, r.output
    assert "Piazza Venezia 11\n00187 Roma\n" in r.stdout


def test_platform_report_to_google_from_the_eea_goes_to_google_ireland(run, world):
    r = run("letter", "platform-report", "--incident", world["incidents"][1], "--platform",
            "google", "--lang", "en", "--sent", "2026-03-05", "--no-record")
    assert r.exit_code == 0, r.output
    assert "Google Ireland Limited\nGordon House\nBarrow Street\nDublin 4\n" in r.stdout
    assert "Google LLC" not in r.stdout and "Mountain View" not in r.stdout
    assert "Address from the gdprkit directory (snapshot of " in " ".join(r.stdout.split())


def test_templates_copy_refuses_a_missing_parent_like_every_output(run, tmp_path):
    r = run("templates", "copy", tmp_path / "some" / "new" / "path")
    assert r.exit_code == 1
    assert r.stderr.startswith(f"Error: the folder {tmp_path / 'some' / 'new'} does not exist")
    assert not (tmp_path / "some").exists()


def test_help_texts(run):
    for args in (["letter", "--help"], ["templates", "--help"], ["templates", "list", "--help"],
                 ["templates", "copy", "--help"]):
        r = run(*args)
        assert r.exit_code == 0 and len(r.stdout) > 100


def test_a_follow_up_dated_in_the_future_is_not_recorded_as_an_event(run, world):
    out = world["dir"] / "o.txt"
    r = run("letter", "objection", "--incident", world["incidents"][0], "--lang", "en",
            "--sent", "2026-03-05", "-o", out)
    first = r.stdout.strip()
    r = run("letter", "reminder", "--request", first, "--lang", "en", "--sent", "2099-01-10",
            "-o", world["dir"] / "rem.txt")
    assert r.exit_code == 0, r.output
    assert f"{first} not marked reminder-sent" in r.stderr and "future" in r.stderr
    state = json.loads(run("request", first, "--json").stdout)
    assert state["events"] == []
