"""`gdprkit demo` end to end, through the installed console script."""

from __future__ import annotations

import email
import email.policy
import json
import os
import stat
import subprocess

import pytest

from .conftest import venv_bin


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("d") / "gdprkit-demo"
    r = subprocess.run([venv_bin("gdprkit"), "demo", "--dir", str(folder)],
                       capture_output=True, text=True, timeout=240)
    assert r.returncode == 0, r.stderr
    return folder, r.stdout


def _cli(folder, *args, check=True):
    env = {k: v for k, v in os.environ.items() if not k.startswith("GDPRKIT_")}
    env["GDPRKIT_PASSPHRASE_FILE"] = str(folder / "passphrase.txt")
    r = subprocess.run([venv_bin("gdprkit"), "--ledger", str(folder / "ledger.db"), *args],
                       capture_output=True, text=True, env=env, timeout=120)
    if check:
        assert r.returncode == 0, r.stderr
    return r


def test_demo_prints_what_it_made(demo):
    folder, out = demo
    for made in ("encrypted ledger", "objection letter (en, pdf)", "erasure letter (it, eml)",
                 "reminder letter (en, txt)", "complaint letter (it, pdf)",
                 "mailbox of 4 messages imported: 2 stored, 1 duplicate, 1 unclassified",
                 "evidence dossier", "verified", "verification: OK"):
        assert made in out
    assert f"export GDPRKIT_LEDGER={folder / 'ledger.db'}" in out  # how to explore it
    assert "gdprkit verify-dossier" in out


def test_demo_files_are_private_and_ledger_has_no_plaintext(demo):
    folder, _ = demo
    for path in folder.rglob("*"):
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, f"{path} is readable by others ({oct(mode)})"
    blob = b"".join(p.read_bytes() for p in folder.glob("ledger.db*"))
    for secret in (b"Giulia", b"Bianchi", b"Venditti", b"giulia.bianchi@example.org",
                   b"Prosperity", b"job situation", b"Sofia Conti", b"PNG"):
        assert secret not in blob, secret


def test_demo_ledger_verifies_against_its_checkpoint(demo):
    folder, _ = demo
    report = json.loads(_cli(folder, "verify", "--json", "--against",
                             str(folder / "checkpoint.txt")).stdout)
    assert report["ok"] is True and report["entries"] >= 20


def test_demo_request_lifecycle(demo):
    folder, _ = demo
    items = {r["kind"]: r for r in json.loads(_cli(folder, "requests", "--json").stdout)}
    assert set(items) == {"objection", "erasure", "reminder", "complaint"}
    objection = items["objection"]
    assert objection["status"] == "complaint-filed"
    assert [e["type"] for e in objection["events"]] == ["reminder-sent", "complaint-filed"]
    assert items["erasure"]["status"] == "open" and not items["erasure"]["overdue"]
    # the reminder follows the objection: complained about, it is no longer open, so
    # nothing is overdue (the alert 'requests --overdue' gives cron clears)
    assert (items["reminder"]["status"], items["reminder"]["open"]) == ("complaint-filed", False)
    assert _cli(folder, "requests", "--overdue").stdout == ""


def test_demo_letters_are_in_their_languages(demo):
    folder, _ = demo
    from pypdf import PdfReader

    pages = PdfReader(folder / "letters/complaint-it.pdf").pages
    complaint = " ".join(" ".join(p.extract_text() for p in pages).split())
    assert "Garante per la protezione dei dati personali" in complaint
    assert "Oggetto" in complaint
    msg = email.message_from_bytes((folder / "letters/erasure-it.eml").read_bytes(),
                                   policy=email.policy.default)
    assert msg["To"].addresses[0].addr_spec == "marco.venditti@prosperity-circle.example"
    assert "17" in msg["Subject"]  # Art. 17 (cancellazione)
    assert [p.get_content_type() for p in msg.iter_attachments()] == ["application/pdf"]
    assert "Reminder" in (folder / "letters/reminder-en.txt").read_text()


def test_demo_dossier_verifies(demo):
    folder, _ = demo
    r = _cli(folder, "verify-dossier", str(folder / "dossier.pdf"), "--json")
    assert json.loads(r.stdout)["ok"] is True


def test_demo_refuses_a_folder_in_use(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    r = subprocess.run([venv_bin("gdprkit"), "demo", "--dir", str(tmp_path)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 1 and "not empty" in r.stderr
    assert (tmp_path / "keep.txt").read_text() == "mine"
    assert len(r.stderr.strip().splitlines()) == 1
