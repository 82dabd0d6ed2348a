"""``gdprkit import`` through Click: dry runs, storing in a real ledger, de-duplication."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from gdprkit.cli import cli
from gdprkit.importers import write_mbox_message

CORPUS = Path(__file__).parent / "corpus"
FILES = [
    CORPUS / "written" / "ml_mailchimp_en.eml",
    CORPUS / "written" / "fw_thunderbird_en.eml",
    CORPUS / "written" / "fw_outlook_en.eml",
    CORPUS / "written" / "neg_personal_en.eml",
    CORPUS / "cpython" / "msg_35.txt",
]


def runner():
    return CliRunner()


def invoke(args, env=None):
    result = runner().invoke(cli, args, env=env or {}, catch_exceptions=False)
    return result


def make_mbox(path: Path, files=FILES) -> list[bytes]:
    raws = [f.read_bytes() for f in files]
    buf = io.BytesIO()
    for raw in raws:
        write_mbox_message(buf, raw)
    path.write_bytes(buf.getvalue())
    return raws


def test_dry_run_json_shape():
    result = invoke(["import", "eml", *map(str, FILES), "--dry-run", "--json",
                     "--requester-email", "jane.doe@example.org"])
    assert result.exit_code == 0, result.output
    items = json.loads(result.stdout)
    assert [i["kind"] for i in items] == ["mailing-list", "forwarded", "forwarded", None, None]
    for item in items:
        assert {"source", "message_id", "kind", "confidence", "reasons", "contact", "incident"} <= set(item)
        assert item["incident"] is None
    assert items[0]["status"] == "new" and items[3]["status"] == "unclassified"
    assert any("written by you" in r for r in items[1]["reasons"])
    assert items[4]["problems"]  # malformed message is reported, not a traceback
    assert "2 unclassified" in result.stderr and "dry run" in result.stderr


def test_dry_run_mbox_text_output_and_since(tmp_path):
    mbox = tmp_path / "Takeout.mbox"
    make_mbox(mbox)
    result = invoke(["import", "mbox", str(mbox), "--dry-run"])
    assert result.exit_code == 0
    assert "mailing-list" in result.stdout and "Takeout.mbox#1" in result.stdout
    result = invoke(["import", "mbox", str(mbox), "--dry-run", "--json", "--since", "2024-06-01"])
    items = json.loads(result.stdout)
    # the Mailchimp mail (March 2024) is older than --since; undated msg_35 stays
    assert all("ml_" not in (i["subject"] or "") for i in items)
    assert "Spring workshops" not in result.stdout
    assert "skipped" in result.stderr


def test_bad_paths_are_one_line_errors_with_exit_1(tmp_path):
    # A missing file is exit code 1 (README, Exit codes), as for `batch` and `log --evidence`.
    nope = str(tmp_path / "nope.eml")
    for args in (["eml", nope], ["eml", str(FILES[0]), nope], ["mbox", nope],
                 ["linkedin", str(tmp_path / "nope.zip")], ["eml", str(tmp_path)], ["mbox", str(tmp_path)]):
        result = invoke(["import", *args, "--dry-run"])
        assert result.exit_code == 1, (args, result.output)
        assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("Error: "), args
        assert "Usage:" not in result.stderr and "Traceback" not in result.output
        assert result.stdout == ""  # nothing imported when one input is missing
    assert invoke(["import", "eml", nope, "--dry-run"]).stderr == \
        f"Error: cannot read {nope!r}: No such file or directory\n"
    (tmp_path / "empty").mkdir()
    result = invoke(["import", "linkedin", str(tmp_path / "empty"), "--dry-run"])
    assert result.exit_code == 1 and "Error:" in result.stderr


# -- with a real ledger ------------------------------------------------------------------------
@pytest.fixture
def ledger_env(tmp_path):
    ledger_mod = pytest.importorskip("gdprkit.ledger")
    from gdprkit.model import Profile

    path = tmp_path / "ledger.db"
    led = ledger_mod.Ledger.create(path, b"passphrase", Profile(name="Jane Doe", email="jane.doe@example.org"),
                                   kdf=ledger_mod.KdfParams.minimum())
    led.close()
    env = {"GDPRKIT_LEDGER": str(path), "GDPRKIT_PASSPHRASE": "passphrase"}

    def open_ledger():
        return ledger_mod.Ledger.open(path, b"passphrase")

    return env, open_ledger


def test_store_then_reimport_adds_nothing(tmp_path, ledger_env):
    env, open_ledger = ledger_env
    mbox = tmp_path / "all.mbox"
    raws = make_mbox(mbox)
    result = invoke(["import", "mbox", str(mbox), "--json"], env)
    assert result.exit_code == 0, result.output
    items = json.loads(result.stdout)
    stored = [i for i in items if i["status"] == "stored"]
    assert len(stored) == 3
    with open_ledger() as led:
        incidents = led.incidents()
        assert [i.kind for i in incidents] == ["mailing-list", "forwarded", "forwarded"]
        first = incidents[0]
        assert first.platform == "email"
        ev = first.evidence[0]
        assert ev.method == "import" and ev.source == items[0]["message_id"]
        assert led.evidence_bytes(ev.id) == raws[0]  # byte-identical evidence
        contacts = {c.email: c for c in led.contacts()}
        assert contacts["hello@brightgarden.example"].name == "Bright Garden Studio"
        assert "alan.reed@example.org" in contacts
        assert "Classified forwarded" in incidents[1].note
    assert stored[0]["contact"] and stored[0]["incident"] == incidents[0].id

    again = json.loads(invoke(["import", "mbox", str(mbox), "--json"], env).stdout)
    assert [i["status"] for i in again if i["kind"]] == ["duplicate"] * 3
    assert [i["incident"] for i in again if i["kind"]] == [i.id for i in incidents]
    # the same messages as .eml files: same Message-ID / SHA-256, still nothing new
    copies = []
    for n, f in enumerate(FILES[:3]):
        copies.append(tmp_path / f"copy{n}.eml")
        shutil.copy(f, copies[-1])
    result = invoke(["import", "eml", *map(str, copies)], env)
    assert result.stdout.count("duplicate") == 3
    with open_ledger() as led:
        assert len(led.incidents()) == 3
        assert len(led.contacts()) == 3


def test_existing_contact_is_matched_and_contact_option(tmp_path, ledger_env):
    env, open_ledger = ledger_env
    with open_ledger() as led:
        alan = led.add_contact("Alan R.", email="Alan.Reed@example.org")
        other = led.add_contact("Someone Else")
    invoke(["import", "eml", str(FILES[1])], env)
    with open_ledger() as led:
        assert [i.contact for i in led.incidents()] == [alan.id]
    result = invoke(["import", "eml", str(FILES[2]), "--contact", other.id, "--json"], env)
    assert json.loads(result.stdout)[0]["contact"] == other.id
    result = invoke(["import", "eml", str(FILES[0]), "--contact", "c99"], env)
    assert result.exit_code == 1 and "Error:" in result.stderr


def test_dry_run_with_ledger_configured_stores_nothing(tmp_path, ledger_env):
    env, open_ledger = ledger_env
    result = invoke(["import", "eml", *map(str, FILES), "--dry-run"], {**env, "GDPRKIT_PASSPHRASE": ""})
    assert result.exit_code == 0
    with open_ledger() as led:
        assert led.incidents() == []


def test_linkedin_import_into_ledger(tmp_path, ledger_env):
    import importlib.util

    spec = importlib.util.spec_from_file_location("li_fixture", Path(__file__).parent / "test_import_linkedin.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    make_export = module.make_export

    env, open_ledger = ledger_env
    folder = make_export(tmp_path / "export")
    result = invoke(["import", "linkedin", str(folder), "--json"], env)
    assert result.exit_code == 0, result.output
    items = json.loads(result.stdout)
    assert sorted(i["kind"] for i in items if i["status"] == "stored") == [
        "direct-pitch", "direct-pitch", "unsolicited-message", "unsolicited-message"]
    assert "1 of your own messages ignored" in result.stderr
    with open_ledger() as led:
        sam = led.find_contact(profile_url="https://www.linkedin.com/in/sam-seller")
        assert sam is not None and sam.email == "sam@growfast.example"
        (pitch,) = led.incidents(contact=sam.id)
        assert pitch.kind == "direct-pitch" and pitch.platform == "linkedin"
        assert pitch.evidence[0].source == "linkedin:2-abc:2024-03-10 09:00:00 UTC"
        n = len(led.incidents())
    again = json.loads(invoke(["import", "linkedin", str(folder), "--json"], env).stdout)
    assert {i["status"] for i in again if i["kind"]} == {"duplicate"}
    with open_ledger() as led:
        assert len(led.incidents()) == n


RESENT_MINE = (b"Resent-From: Marco Venditti <marco@venditti.example>\nResent-To: boss@third.example\n"
               b"From: Ada Rossi <ada@example.org>\nTo: Marco Venditti <marco@venditti.example>\n"
               b"Subject: my situation\nMessage-ID: <ada-1@example.org>\n\nMarco, this is private.\n")


def test_resent_requester_message_dry_run(tmp_path):
    path = tmp_path / "resent_mine.eml"
    path.write_bytes(RESENT_MINE)
    result = invoke(["import", "eml", str(path), "--dry-run", "--requester-email", "ada@example.org"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("new          forwarded")
    assert "written by you (the requester)" not in result.stdout
    assert "Resent-From/Resent-To headers" in result.stdout


def test_resent_incident_is_on_the_resent_from_contact(tmp_path, ledger_env):
    env, open_ledger = ledger_env
    path = tmp_path / "resent.eml"
    path.write_bytes(RESENT_MINE.replace(b"Ada Rossi <ada@example.org>", b"Jane Doe <jane.doe@example.org>"))
    with open_ledger() as led:
        marco = led.add_contact("Marco V", email="marco@venditti.example")
    result = invoke(["import", "eml", str(path), "--json"], env)
    assert result.exit_code == 0, result.output
    [item] = json.loads(result.stdout)
    assert item["kind"] == "forwarded" and item["contact"] == marco.id
    assert item["sender"]["email"] == "marco@venditti.example"
    with open_ledger() as led:
        [incident] = led.incidents()
        assert incident.contact == marco.id


def test_contact_saved_with_another_form_of_the_profile_url_is_matched(tmp_path, ledger_env):
    env, open_ledger = ledger_env
    result = invoke(["contact", "add", "Marco V", "--profile-url", "http://linkedin.com/in/marco-v/?trk=x"], env)
    assert result.exit_code == 0, result.output
    marco = result.stdout.strip()
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "messages.csv").write_text(
        "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,SUBJECT,CONTENT,FOLDER\n"
        "2-x,,Marco V,https://www.linkedin.com/in/marco-v,Jane Doe,https://www.linkedin.com/in/jane-doe,"
        '2024-03-10 09:00:00 UTC,,"Would you be interested in a quick call about our services?",INBOX\n',
        encoding="utf-8")
    result = invoke(["import", "linkedin", str(folder), "--json"], env)
    assert result.exit_code == 0, result.output
    [item] = json.loads(result.stdout)
    assert item["status"] == "stored" and item["contact"] == marco
    with open_ledger() as led:
        assert [c.id for c in led.contacts()] == [marco]
        for form in ("https://www.linkedin.com/in/marco-v", "https://it.linkedin.com/in/Marco-V/",
                     "linkedin.com/in/marco-v#x"):
            assert led.find_contact(profile_url=form).id == marco
        assert led.find_contact(profile_url="https://www.linkedin.com/in/marco-vv") is None


# -- --json is streamed ----------------------------------------------------------------------
def test_json_array_writer_prints_what_emit_json_prints(capsys):
    from gdprkit.cli._common import JsonArrayWriter, emit_json

    samples = [
        {"a": 1, "nested": {"list": [1, {"x": "y"}], "empty": [], "none": {}}, "s": "line\nbreak “é” \u2028"},
        {"reasons": [], "sender": {"name": None}, "confidence": 0.5},
        {"deep": [[[]], [[1, 2]]]},
    ]
    for n in range(len(samples) + 1):
        emit_json(samples[:n])
        expected = capsys.readouterr().out
        writer = JsonArrayWriter()
        for item in samples[:n]:
            writer.add(item)
        writer.close()
        writer.close()  # closing twice ends the array once
        assert capsys.readouterr().out == expected
        assert json.loads(expected) == samples[:n]


def test_import_json_is_one_document_of_the_same_shape_written_item_by_item(monkeypatch):
    import sys

    import gdprkit.importers as importers

    real = importers.iter_eml
    printed_before_next = []

    def spy(files):
        for n, pm in enumerate(real(files)):
            if n:  # what stdout holds when the next message is read
                printed_before_next.append(sys.stdout.getvalue())
            yield pm

    monkeypatch.setattr(importers, "iter_eml", spy)
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    cli.main(["import", "eml", *map(str, FILES), "--dry-run", "--json",
              "--requester-email", "jane.doe@example.org"], standalone_mode=False)
    out = sys.stdout.getvalue()
    items = json.loads(out)
    # exactly what printing the whole list at once gives
    assert out == json.dumps(items, ensure_ascii=False, indent=2) + "\n"
    assert [i["kind"] for i in items] == ["mailing-list", "forwarded", "forwarded", None, None]
    assert all(list(i) == ["source", "message_id", "kind", "confidence", "reasons", "contact",
                           "incident", "status", "subject", "when", "utc_offset", "date", "sender",
                           "problems"] for i in items)
    assert len(printed_before_next) == len(FILES) - 1
    for n, text in enumerate(printed_before_next):
        assert f'"source": {json.dumps(str(FILES[n]))}' in text  # item n is out before message n+1 is read
        assert f'"source": {json.dumps(str(FILES[n + 1]))}' not in text


# -- unreadable messages are errors -------------------------------------------------------
def _deep_multipart(depth: int = 2000) -> bytes:
    parts = ["From: a@b.example\nSubject: deep\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b0\n\n"]
    parts += [f"--b{i - 1}\nContent-Type: multipart/mixed; boundary=b{i}\n\n" for i in range(1, depth)]
    parts.append(f"--b{depth - 1}\nContent-Type: text/plain\n\nhi\n--b{depth - 1}--\n")
    parts += [f"--b{i}--\n" for i in range(depth - 2, -1, -1)]
    return "".join(parts).encode()


def test_an_unparseable_message_is_an_error_counted_in_summary_and_exit_code(tmp_path):
    deep = tmp_path / "deep.eml"
    deep.write_bytes(_deep_multipart())
    result = invoke(["import", "eml", str(deep), str(FILES[0]), "--dry-run"])
    assert result.exit_code == 1
    assert result.stdout.startswith("error        -                    0.00 ")
    assert "! unparseable message: RecursionError" in result.stdout
    assert "new          mailing-list" in result.stdout  # the others are still done
    assert result.stderr.splitlines() == [
        "import: 1 new, 1 error (dry run: nothing stored)",
        "Error: 1 of 2 messages could not be read (listed with status 'error'); the others were processed"]
    result = invoke(["import", "eml", str(deep), str(FILES[0]), "--dry-run", "--json"])
    assert result.exit_code == 1
    items = json.loads(result.stdout)
    assert [i["status"] for i in items] == ["error", "new"]
    assert items[0]["kind"] is None and items[0]["problems"][0].startswith("unparseable message: RecursionError")


def test_json_array_is_closed_when_the_import_stops_on_an_error(monkeypatch):
    from gdprkit.errors import LedgerLocked
    from gdprkit.importers import pipeline

    real = pipeline.Importer.process
    calls = []

    def process(self, pm):
        calls.append(pm.source)
        if len(calls) == 2:
            raise LedgerLocked("the ledger is locked by another writer")
        return real(self, pm)

    monkeypatch.setattr(pipeline.Importer, "process", process)
    result = invoke(["import", "eml", *map(str, FILES[:3]), "--dry-run", "--json"])
    assert result.exit_code == 4
    assert [i["source"] for i in json.loads(result.stdout)] == [str(FILES[0])]  # what was done
    assert result.stderr == "Error: the ledger is locked by another writer\n"


# -- the reader of stdout going away does not stop the import -------------------------------
@pytest.mark.parametrize("as_json", [True, False], ids=["json", "text"])
def test_a_closed_stdout_pipe_does_not_stop_the_import(tmp_path, ledger_env, as_json):
    import os
    import subprocess
    import sys

    env, open_ledger = ledger_env
    raw = FILES[0].read_bytes()
    old_id = b"<0f1e2d3c4b5a69788796a5b4c3d2e1f0.20240307160211@mail42.suw11.mcdlv.net>"
    assert old_id in raw
    mbox = tmp_path / "many.mbox"
    buf = io.BytesIO()
    for n in range(40):
        write_mbox_message(buf, raw.replace(old_id, f"<many-{n}@mail42.example>".encode()))
    mbox.write_bytes(buf.getvalue())
    read_end, write_end = os.pipe()
    proc = subprocess.Popen(
        [sys.executable, "-m", "gdprkit", "import", "mbox", str(mbox), *(["--json"] if as_json else []),
         "--requester-email", "jane.doe@example.org"],
        stdout=write_end, stderr=subprocess.PIPE, env={**os.environ, **env})
    os.close(write_end)
    os.close(read_end)  # the reader is gone before the first item is written (`| head -c 0`)
    _, err = proc.communicate(timeout=120)
    err = err.decode()
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "Error" not in err and "Exception ignored" not in err
    assert err.splitlines()[-1:] == ["import: 40 stored"]
    with open_ledger() as led:
        incidents = led.incidents()
        assert len(incidents) == 40
        assert {i.evidence[0].source for i in incidents} == {f"<many-{n}@mail42.example>" for n in range(40)}


# -- what a sender wrote does not stop the import --------------------------------------------
ML_ID = b"<0f1e2d3c4b5a69788796a5b4c3d2e1f0.20240307160211@mail42.suw11.mcdlv.net>"
ML_DATE = b"Date: Thu, 07 Mar 2024 16:02:11 +0000"
ML_FROM = b"From: Bright Garden Studio <hello@brightgarden.example>"


def _hostile_mbox(path: Path) -> None:
    raw = FILES[0].read_bytes()
    assert ML_ID in raw and ML_DATE in raw and ML_FROM in raw
    variants = [
        raw.replace(ML_ID, b"<ok-1@x.example>"),
        raw.replace(ML_ID, b"<future@x.example>").replace(ML_DATE, b"Date: Fri, 02 Mar 3001 00:30:00 +0100"),
        raw.replace(ML_ID, b"<nul@x.example>").replace(
            ML_FROM, b"From: =?utf-8?q?Bright=00Garden=07?= <hello@nul.example>"),
        raw.replace(ML_ID, b"<past@x.example>").replace(ML_DATE, b"Date: Mon, 01 Jan 1900 10:00:00 +0000"),
        raw.replace(ML_ID, b"<ok-2@x.example>"),
    ]
    buf = io.BytesIO()
    for v in variants:
        write_mbox_message(buf, v)
    path.write_bytes(buf.getvalue())


def _check_hostile_items(items, status):
    assert [i["status"] for i in items] == [status] * 5
    assert [i["kind"] for i in items] == ["mailing-list"] * 5
    future, nul, past = items[1], items[2], items[3]
    assert future["date"] is None and past["date"] is None
    assert future["when"] is None and future["utc_offset"] is None
    assert any("3001-03-02T00:30:00+01:00 is out of range" in p and "time of the import" in p
               for p in future["problems"])
    assert any("1900-01-01T10:00:00+00:00 is out of range" in p for p in past["problems"])
    assert nul["sender"] == {"name": "Bright\ufffdGarden\ufffd", "email": "hello@nul.example", "profile_url": None}
    assert "the sender's name contains control characters: written as U+FFFD" in nul["problems"]


def test_an_out_of_range_date_or_a_nul_in_a_name_does_not_stop_an_mbox_import(tmp_path, ledger_env):
    import datetime as dt

    env, open_ledger = ledger_env
    mbox = tmp_path / "hostile.mbox"
    _hostile_mbox(mbox)
    dry = invoke(["import", "mbox", str(mbox), "--json", "--dry-run"], env)
    assert dry.exit_code == 0, dry.output
    _check_hostile_items(json.loads(dry.stdout), "new")
    before = dt.datetime.now(dt.UTC)
    result = invoke(["import", "mbox", str(mbox), "--json"], env)
    assert result.exit_code == 0, result.output
    items = json.loads(result.stdout)
    _check_hostile_items(items, "stored")
    dry_items = json.loads(dry.stdout)
    for a, b in zip(dry_items, items, strict=True):  # the dry run said what the real run did
        assert (a["when"], a["date"], a["sender"], a["problems"]) == (b["when"], b["date"], b["sender"], b["problems"])
    with open_ledger() as led:
        incidents = {i.evidence[0].source: i for i in led.incidents()}
        assert len(incidents) == 5
        for mid in ("<future@x.example>", "<past@x.example>"):
            when = incidents[mid].when
            assert before - dt.timedelta(seconds=5) <= when <= dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5)
            assert "is out of range" in incidents[mid].note
        assert incidents["<ok-1@x.example>"].when == dt.datetime(2024, 3, 7, 16, 2, 11, tzinfo=dt.UTC)
        nul = led.contact(incidents["<nul@x.example>"].contact)
        assert nul.name == "Bright\ufffdGarden\ufffd" and nul.email == "hello@nul.example"


def test_an_out_of_range_date_or_a_nul_in_a_name_does_not_stop_a_linkedin_import(tmp_path, ledger_env):
    env, open_ledger = ledger_env
    folder = tmp_path / "export"
    folder.mkdir()
    pitch = '"Would you be interested in a quick call about our services?"'
    rows = [
        ("2-a", "Ann Seller", "ann-seller", "3001-03-02 00:30:00 UTC"),
        ("2-b", "Bob\x00Seller\x1b[31m", "bob-seller", "2024-03-10 09:00:00 UTC"),
        ("2-c", "Cy Seller", "cy-seller", "2024-03-11 09:00:00 UTC"),
    ]
    (folder / "messages.csv").write_text(
        "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,SUBJECT,CONTENT,FOLDER\n"
        + "".join(f"{conv},,{name},https://www.linkedin.com/in/{slug},Jane Doe,https://www.linkedin.com/in/jane-doe,"
                  f"{date},,{pitch},INBOX\n" for conv, name, slug, date in rows),
        encoding="utf-8")
    dry = invoke(["import", "linkedin", str(folder), "--json", "--dry-run"], env)
    assert dry.exit_code == 0, dry.output
    result = invoke(["import", "linkedin", str(folder), "--json"], env)
    assert result.exit_code == 0, result.output
    for out, status in ((dry, "new"), (result, "stored")):
        items = json.loads(out.stdout)
        assert [i["status"] for i in items] == [status] * 3
        assert items[0]["date"] is None
        assert any("3001-03-02T00:30:00+00:00 is out of range" in p for p in items[0]["problems"])
        assert items[1]["sender"]["name"] == "Bob\ufffdSeller\ufffd[31m"
    with open_ledger() as led:
        assert len(led.incidents()) == 3
        bob = led.find_contact(profile_url="https://www.linkedin.com/in/bob-seller")
        assert bob.name == "Bob\ufffdSeller\ufffd[31m"


# -- a re-sent message of yours with no one else to file it against -------------------------
@pytest.mark.parametrize("resent_from", [b"", b"Resent-From: \n", b"Resent-From: Jane Doe\n"],
                         ids=["none", "empty", "your-name-only"])
def test_your_message_resent_without_a_resent_from_is_not_an_incident_against_you(tmp_path, ledger_env,
                                                                                 resent_from):
    env, open_ledger = ledger_env
    path = tmp_path / "resent.eml"
    raw = RESENT_MINE.replace(b"Ada Rossi <ada@example.org>", b"Jane Doe <jane.doe@example.org>")
    path.write_bytes(raw.replace(b"Resent-From: Marco Venditti <marco@venditti.example>\n", resent_from))
    # a dry run does not open the ledger: it knows you by --requester-email
    for args in (["--dry-run", "--requester-email", "jane.doe@example.org"], []):
        result = invoke(["import", "eml", str(path), "--json", *args], env)
        assert result.exit_code == 0, result.output
        [item] = json.loads(result.stdout)
        assert item["status"] == "unclassified" and item["kind"] is None and item["contact"] is None
        assert "not an incident" in item["reasons"][0]
    with open_ledger() as led:
        assert led.incidents() == []
        assert led.contacts() == []  # no contact for your own address


# -- import --json times are those of incidents --json ----------------------------------------
def test_import_json_time_is_in_utc_with_the_offset_and_local_day_as_incidents_json(tmp_path, ledger_env):
    env, _ = ledger_env
    path = tmp_path / "late.eml"
    path.write_bytes(FILES[0].read_bytes().replace(ML_DATE, b"Date: Mon, 02 Mar 2026 00:30:00 +0100"))
    dry = json.loads(invoke(["import", "eml", str(path), "--json", "--dry-run"], env).stdout)
    result = invoke(["import", "eml", str(path), "--json"], env)
    assert result.exit_code == 0, result.output
    [item] = json.loads(result.stdout)
    expected = {"when": "2026-03-01T23:30:00+00:00", "utc_offset": "+01:00", "date": "2026-03-02"}
    for it in (dry[0], item):
        assert {k: it[k] for k in expected} == expected
    [incident] = json.loads(invoke(["incidents", "--json"], env).stdout)
    assert incident["id"] == item["incident"]
    assert {k: incident[k] for k in expected} == expected
