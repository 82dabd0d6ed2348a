"""Shredding a contact erases every copy of their details: the recipient of each
letter addressed to them is its own entry, shredded with the contact, while the
requests keep their history and the ledger still verifies."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest

from gdprkit.errors import BadInput

NAME = "Marco Venditti"
EMAIL = "marco.venditti@prosperity-circle.example"
ORG_ADDRESS = "Via Mercato 12"
SECRETS = (NAME, "Venditti", EMAIL, ORG_ADDRESS, "prosperity-circle")


@pytest.fixture
def story(run, initialized, tmp_path):
    """c1 with two incidents (notes that do not name him), an objection to him
    (r1), a reminder to him (r2) and a complaint to the Garante (r3)."""
    r = run("contact", "add", NAME, "--email", EMAIL, "--org", "Prosperity Circle S.r.l.",
            "--org-address", f"{ORG_ADDRESS}\\n20121 Milano", "--country", "IT")
    assert r.exit_code == 0, r.output
    assert run("log", "mailing-list", "--contact", "c1", "--when", "2026-03-02",
               "--note", "He subscribed me to his newsletter").exit_code == 0
    assert run("log", "forwarded", "--contact", "c1", "--when", "2026-03-04",
               "--note", "He forwarded my message to a recruiter").exit_code == 0
    letters = tmp_path / "letters"
    letters.mkdir()
    for args in (["objection", "--contact", "c1", "--sent", "2026-03-05"],
                 ["reminder", "--request", "r1", "--sent", "2026-04-20"],
                 ["complaint", "--request", "r1", "--sent", "2026-05-02"]):
        r = run("letter", *args, "-o", letters / f"{args[0]}.txt")
        assert r.exit_code == 0, r.output
    return initialized


def _history(run) -> list[dict]:
    """What must survive a shred: each request's kind, dates, status and events."""
    keep = ("id", "kind", "recipient_country", "related_request", "status", "open", "sent",
            "due", "events", "history")
    return [{k: item[k] for k in keep} for item in json.loads(run("requests", "--json").stdout)]


def _no_secrets(text: str) -> None:
    for secret in SECRETS:
        assert secret.lower() not in text.lower(), secret


def test_shredding_a_contact_erases_the_recipient_copies(story, run):
    before = _history(run)
    assert NAME in run("requests").stdout
    assert json.loads(run("show", "r1", "--json").stdout)["recipient_email"] == EMAIL
    assert NAME in run("export", "json", "-o", "-").stdout

    r = run("shred", "c1", "--reason", "the contact asked, Art. 17", "--yes")
    assert r.exit_code == 0, r.output
    assert r.stdout.strip() == "c1"
    assert "Also erased the recipient of r1, r2 (letters addressed to c1)" in r.stderr
    assert "Kept i1, i2 with their evidence" in r.stderr
    assert "still name" not in r.stderr  # the notes do not name him

    # the history survives; only the recipient is gone
    assert _history(run) == before
    listing = run("requests").stdout
    _no_secrets(listing)
    assert listing.splitlines()[0].split()[:3] == ["r1", "objection", "[shredded]"]
    for rid in ("r1", "r2"):
        shown = json.loads(run("show", rid, "--json").stdout)
        assert shown["recipient_name"] == "[shredded]"
        assert shown["recipient_email"] is None and shown["recipient_address"] is None
        assert shown["recipient_shredded"] is True and shown["shredded"] is False
        assert shown["contact"] == "c1" and shown["recipient_country"] == "IT"
        _no_secrets(run("show", rid).stdout)
    complaint = json.loads(run("show", "r3", "--json").stdout)
    assert complaint["recipient_shredded"] is False  # the authority is no copy of him
    assert complaint["recipient_name"].startswith("Garante")

    # letters that would name him are refused with one line
    for kind in ("complaint", "reminder"):
        r = run("letter", kind, "--request", "r1", "-o", "-")
        assert r.exit_code == 1, r.output
        assert r.stderr.strip().splitlines() == [
            f"Error: request r1 concerns contact c1, which was shredded: a {kind} letter "
            "cannot name them"]
        _no_secrets(r.output)
    r = run("letter", "objection", "--incident", "i1", "-o", "-")
    assert r.exit_code == 1 and "contact c1 was shredded" in r.stderr

    exported = run("export", "json", "-o", "-")
    assert exported.exit_code == 0
    _no_secrets(exported.stdout)
    data = json.loads(exported.stdout)
    assert [r["recipient_name"] for r in data["requests"]][:2] == ["[shredded]", "[shredded]"]
    _no_secrets(run("contact", "list").stdout + run("incidents", "--json").stdout)

    report = json.loads(run("verify", "--json").stdout)
    assert report["ok"] and report["shredded"] == 3  # c1 and two recipient entries


def test_no_plaintext_in_the_file_and_recipient_content_deleted(story, run):
    db = sqlite3.connect(story)
    recipients = [s for (s,) in db.execute("SELECT seq FROM log WHERE kind='recipient'")]
    db.close()
    assert len(recipients) == 3
    assert run("shred", "c1", "--reason", "asked", "--yes").exit_code == 0
    db = sqlite3.connect(story)
    kept = {s for (s,) in db.execute("SELECT seq FROM content")}
    shreds = {t for (t,) in db.execute("SELECT target FROM shreds")}
    db.close()
    assert set(recipients[:2]) <= shreds and not set(recipients[:2]) & kept
    assert recipients[2] in kept  # the complaint's recipient (the authority)
    for suffix in ("", "-wal", "-shm"):
        path = story.parent / f"{story.name}{suffix}"
        if path.exists():
            raw = path.read_bytes()
            for secret in SECRETS:
                assert secret.encode() not in raw
                assert secret.encode("utf-16-le") not in raw


def test_with_incidents_erases_notes_that_name_the_contact(run, initialized):
    assert run("contact", "add", NAME, "--email", EMAIL).exit_code == 0
    assert run("contact", "add", "Someone Else").exit_code == 0
    assert run("log", "mailing-list", "--contact", "c1",
               "--note", f"Three days after we connected, {NAME} subscribed me").exit_code == 0
    assert run("log", "other", "--contact", "c2",
               "--note", f"Forwarded by {EMAIL.upper()}").exit_code == 0
    assert run("letter", "objection", "--contact", "c1", "-o", "-").exit_code == 0

    r = run("shred", "c1", "--reason", "asked", "--yes", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout) == {
        "shredded": ["c1"], "reason": "asked", "recipients_of": ["r1"],
        "kept_incidents": ["i1"], "still_naming": ["i1", "i2"]}
    r = run("shred", "c1", "--reason", "asked")
    assert "Kept" not in r.stderr and r.exit_code == 1  # already shredded, nothing asked

    r = run("shred", "c1", "--with-incidents", "--reason", "erase all of it", "--yes")
    assert r.exit_code == 0, r.output
    assert r.stdout.strip() == "i1"
    assert json.loads(run("show", "i1", "--json").stdout)["shredded"] is True
    exported = run("export", "json", "-o", "-").stdout
    assert NAME not in exported
    # i2 is another contact's incident: reported above (still_naming), not erased
    assert EMAIL.upper() in exported
    r = run("shred", "c1", "--with-incidents", "--reason", "again")
    assert r.exit_code == 1 and "already shredded and has no incidents left" in r.stderr
    assert run("verify").exit_code == 0
    r = run("shred", "i2", "--with-incidents", "--reason", "x")
    assert r.exit_code == 1 and "--with-incidents goes with a contact id" in r.stderr


def test_shredding_a_request_takes_its_recipient(story, run):
    assert run("shred", "r3", "--reason", "sent by mistake", "--yes").exit_code == 0
    shown = json.loads(run("show", "r3", "--json").stdout)
    assert shown["shredded"] and shown["recipient_shredded"]
    assert run("verify").exit_code == 0


def _req(led, kind, **kw):
    return led.add_request(kind=kind, lang="en", format="txt", recipient_name="R",
                           sent=dt.date(2026, 3, 2), due=None, sha256="0" * 64, **kw)


def test_whose_details_a_recipient_is(ledger):
    c = ledger.add_contact("C")
    objection = _req(ledger, "objection", contact=c.id)
    assert objection.recipient_contact == c.id
    assert _req(ledger, "reminder", contact=c.id,
                related_request=objection.id).recipient_contact == c.id
    complaint = _req(ledger, "complaint", contact=c.id, related_request=objection.id)
    assert complaint.recipient_contact is None
    assert _req(ledger, "reminder", contact=c.id,
                related_request=complaint.id).recipient_contact is None
    assert _req(ledger, "platform-report", contact=c.id).recipient_contact is None
    assert _req(ledger, "objection").recipient_contact is None  # no contact in the ledger
    assert _req(ledger, "erasure", contact=c.id, recipient_contact=None).recipient_contact is None
    assert ledger.recipient_copies(c.id) == [objection.id, "r2"]
    ledger.shred(c.id, "asked")
    assert ledger.recipient_copies(c.id) == []
    with pytest.raises(BadInput, match="contact c1 was shredded"):
        _req(ledger, "objection", contact=c.id)
    requests = {r.id: r for r in ledger.requests()}
    assert [r.recipient_shredded for r in requests.values()] == \
        [True, True, False, False, False, False, False]
    assert all(r.recipient_name == "R" for r in requests.values() if not r.recipient_shredded)
    ledger.verify()
