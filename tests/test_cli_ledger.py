"""The ledger commands through Click: output contract, exit codes, messages."""

from __future__ import annotations

import json
import os
import stat

import pytest

from gdprkit.cli import COMMANDS, cli


def test_every_command_has_help(run):
    from click.testing import CliRunner

    runner = CliRunner()
    for name in COMMANDS:
        r = runner.invoke(cli, [name, "--help"])
        assert r.exit_code == 0, (name, r.output)
        assert len(r.output.splitlines()) > 3, name
        cmd = cli.get_command(None, name)
        assert (cmd.help or "").strip(), f"{name} lacks help text"
        for sub in getattr(cmd, "commands", {}).values():
            assert (sub.help or "").strip(), f"{name} {sub.name} lacks help text"


def test_version(run):
    r = run("--version")
    assert r.exit_code == 0 and "gdprkit" in r.output


def test_init_prints_id_and_refuses_overwrite(run, ledger_path):
    r = run("init", "--name", "Ada", "--kdf-memory-mib", "19", "--kdf-iterations", "2")
    assert r.exit_code == 0, r.output
    assert len(r.stdout.strip()) == 32
    assert stat.S_IMODE(os.stat(ledger_path).st_mode) == 0o600
    before = ledger_path.read_bytes()
    r = run("init", "--name", "Other", "--kdf-memory-mib", "19", "--kdf-iterations", "2")
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: ") and "already exists" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert ledger_path.read_bytes() == before


def test_init_kdf_below_minimum_is_usage_error(run, ledger_path):
    r = run("init", "--kdf-memory-mib", "8")
    assert r.exit_code == 2
    assert not ledger_path.exists()


def test_init_in_missing_folder(run, tmp_path):
    target = tmp_path / "missing" / "l.db"
    r = run("--ledger", target, "init", "--kdf-memory-mib", "19", "--kdf-iterations", "2")
    assert r.exit_code == 1
    assert "does not exist" in r.stderr
    assert not target.parent.exists()


def test_contact_log_show_flow(run, initialized, tmp_path):
    r = run("contact", "add", "Mallory Spam", "--email", "m@spam.example", "--org", "Yield Srl")
    assert (r.exit_code, r.stdout) == (0, "c1\n")
    shot = tmp_path / "shot.png"
    shot.write_bytes(b"\x89PNG" + os.urandom(500))
    r = run("log", "mailing-list", "--contact", "c1", "--when", "2026-03-02T10:00:00+01:00",
            "--platform", "e-mail", "--note", "subscribed me", "--evidence", shot,
            "--action", "reported")
    assert (r.exit_code, r.stdout) == (0, "i1\n"), r.output
    r = run("incidents", "--json")
    items = json.loads(r.stdout)
    assert items[0]["id"] == "i1" and items[0]["kind"] == "mailing-list"
    assert items[0]["contact"] == "c1" and items[0]["platform"] == "e-mail"
    assert items[0]["note"] == "subscribed me" and items[0]["action"] == "reported"
    assert items[0]["when"].startswith("2026-03-02T09:00:00")
    ev = items[0]["evidence"][0]
    assert {"id", "name", "size", "sha256"} <= set(ev)
    assert ev["name"] == "shot.png" and ev["size"] == 504
    r = run("show", "e1", "--json")
    assert json.loads(r.stdout)["sha256"] == ev["sha256"]
    out = tmp_path / "back.png"
    r = run("evidence", "get", "e1", "-o", out)
    assert r.exit_code == 0
    assert out.read_bytes() == shot.read_bytes()
    r = run("contact", "list", "--json")
    assert json.loads(r.stdout)[0]["email"] == "m@spam.example"
    r = run("contact", "show", "c1")
    assert "Mallory Spam" in r.stdout
    r = run("incidents", "--kind", "forwarded", "--json")
    assert json.loads(r.stdout) == []


def test_json_create_outputs(run, initialized):
    r = run("contact", "add", "X", "--json")
    assert json.loads(r.stdout)["id"] == "c1"
    r = run("log", "other", "--contact", "c1", "--json")
    assert json.loads(r.stdout)["id"] == "i1"


def test_note_file_from_stdin(run, initialized):
    run("contact", "add", "X")
    r = run("log", "forwarded", "--contact", "c1", "--note-file", "-", input="secret note\nline 2")
    assert r.exit_code == 0
    assert json.loads(run("show", "i1", "--json").stdout)["note"] == "secret note\nline 2"
    # a file's final newline is not part of the note; inner blank lines are
    r = run("log", "forwarded", "--contact", "c1", "--note-file", "-", input="a\n\nb\n")
    assert json.loads(run("show", "i2", "--json").stdout)["note"] == "a\n\nb"


def test_note_file_missing_folder_or_with_a_bom(run, initialized, tmp_path):
    run("contact", "add", "X")
    r = run("log", "other", "--contact", "c1", "--note-file", tmp_path / "absent.txt")
    assert r.exit_code == 1 and r.stderr.startswith("Error: cannot read ")  # README: exit 1
    r = run("log", "other", "--contact", "c1", "--note-file", tmp_path)
    assert r.exit_code == 1 and "is a folder, not a file" in r.stderr
    assert run("incidents", "--json").stdout.strip() == "[]"
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbfNotepad note\r\n")
    assert run("log", "other", "--contact", "c1", "--note-file", bom).exit_code == 0
    assert json.loads(run("show", "i1", "--json").stdout)["note"] == "Notepad note"


def test_note_file_that_is_not_utf8(run, initialized, tmp_path):
    run("contact", "add", "X")
    bad = tmp_path / "bad.bin"
    bad.write_bytes("caf\u00e9 ".encode() + b"\xe9t\xe9\n")
    before = initialized.read_bytes()
    r = run("log", "other", "--contact", "c1", "--note-file", bad)
    assert r.exit_code == 1, r.output
    assert r.stderr.strip().splitlines() == [
        f"Error: the note file {str(bad)!r} is not UTF-8 text: byte 0xe9 at offset 6 "
        "(invalid continuation byte) (save the note as UTF-8)"]
    r = run("log", "other", "--contact", "c1", "--note-file", "-", input=b"ok\xff")
    assert r.exit_code == 1
    assert "the note file stdin is not UTF-8 text: byte 0xff at offset 2" in r.stderr
    assert "internal error" not in r.output
    assert initialized.read_bytes() == before
    assert run("incidents", "--json").stdout.strip() == "[]"


def test_note_file_line_endings(run, initialized, tmp_path):
    run("contact", "add", "X")
    note = tmp_path / "note.txt"
    note.write_bytes("caf\u00e9\r\nline 2\rline 3\r\n".encode())
    assert run("log", "other", "--contact", "c1", "--note-file", note).exit_code == 0
    assert json.loads(run("show", "i1", "--json").stdout)["note"] == "caf\u00e9\nline 2\nline 3"


@pytest.mark.parametrize("args,code,msg", [
    (["log", "spam", "--contact", "c1"], 2, "Invalid value"),
    (["log", "forwarded", "--contact", "c9"], 1, "no contact 'c9'"),
    (["log", "forwarded", "--contact", "c1", "--evidence", "/nonexistent/file.png"], 1,
     "evidence file not found"),
    (["log", "forwarded", "--contact", "c1", "--when", "yesterday"], 2, "not an ISO"),
    (["show", "x1"], 1, "is not an id"),
    (["show", "i7"], 1, "no incident"),
    (["incidents", "--since", "01/02/2026"], 2, "not an ISO date"),
    (["evidence", "get", "e9", "-o", "x"], 1, "no evidence"),
])
def test_bad_input(run, initialized, args, code, msg):
    run("contact", "add", "X")
    before = initialized.read_bytes()
    r = run(*args)
    assert r.exit_code == code, r.output
    assert msg in r.stderr
    assert "Traceback" not in r.output
    if code == 1:
        assert len(r.stderr.strip().splitlines()) == 1
    run("verify")  # still fine
    assert run("incidents", "--json").stdout.strip() == "[]"
    del before


def test_wrong_passphrase_exit_4(run, initialized, tmp_path):
    bad = tmp_path / "bad"
    bad.write_text("nope\n")
    r = run("--passphrase-file", bad, "contact", "list")
    assert r.exit_code == 4
    assert "wrong passphrase" in r.stderr


def test_unreadable_passphrase_file(run, initialized, tmp_path):
    r = run("--passphrase-file", tmp_path / "none", "contact", "list")
    assert r.exit_code == 1
    assert "cannot read passphrase file" in r.stderr


def test_no_passphrase_is_clear_error(run, initialized, monkeypatch):
    monkeypatch.delenv("GDPRKIT_PASSPHRASE_FILE")
    r = run("contact", "list")
    assert r.exit_code == 1
    assert "no passphrase given" in r.stderr


def test_passphrase_from_env(run, initialized, monkeypatch):
    from .conftest import PASSPHRASE

    monkeypatch.delenv("GDPRKIT_PASSPHRASE_FILE")
    monkeypatch.setenv("GDPRKIT_PASSPHRASE", PASSPHRASE.decode())
    assert run("contact", "list").exit_code == 0


def test_not_a_ledger_and_missing(run, tmp_path):
    junk = tmp_path / "junk"
    junk.write_bytes(b"not sqlite at all" * 10)
    r = run("--ledger", junk, "contact", "list")
    assert r.exit_code == 1 and "not a gdprkit ledger" in r.stderr
    r = run("--ledger", tmp_path / "absent.db", "contact", "list")
    assert r.exit_code == 1 and "no ledger" in r.stderr
    assert not (tmp_path / "absent.db").exists()


def test_verify_checkpoint_shred_passwd(run, initialized, tmp_path):
    run("contact", "add", "Mallory")
    run("log", "forwarded", "--contact", "c1", "--note", "n")
    r = run("verify", "--json")
    report = json.loads(r.stdout)
    assert r.exit_code == 0 and report["ok"] and report["entries"] >= 4 and report["problems"] == []
    r = run("checkpoint")
    assert r.stdout.startswith("gdprkit.local/ledger/") and "\n\n\u2014 " in r.stdout
    cp = tmp_path / "cp.txt"
    run("checkpoint", "-o", cp)
    r = run("shred", "i1", "--reason", "Art. 17 request by the contact")
    assert (r.exit_code, r.stdout) == (0, "i1\n")
    assert json.loads(run("verify", "--json", "--against", cp).stdout)["shredded"] == 1
    newpass = tmp_path / "new"
    newpass.write_text("brand new\n")
    r = run("passwd", "--new-passphrase-file", newpass)
    assert r.exit_code == 0, r.output
    assert run("contact", "list").exit_code == 4
    assert run("--passphrase-file", newpass, "verify").exit_code == 0


def test_profile(run, initialized):
    r = run("profile", "show", "--json")
    prof = json.loads(r.stdout)
    assert prof["name"] == "Ada Rossi" and prof["address"] == "Via Roma 1\n00100 Roma"
    assert run("profile", "set", "--email", "new@example.org").exit_code == 0
    prof = json.loads(run("profile", "show", "--json").stdout)
    assert prof["email"] == "new@example.org" and prof["name"] == "Ada Rossi"
    assert run("profile", "set").exit_code == 1


def test_export_json(run, initialized, tmp_path):
    run("contact", "add", "Mallory")
    out = tmp_path / "all.json"
    assert run("export", "json", "-o", out).exit_code == 0
    data = json.loads(out.read_text())
    assert data["contacts"][0]["name"] == "Mallory"
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600


def test_debug_shows_traceback(run, initialized):
    from gdprkit.errors import NotFound

    with pytest.raises(NotFound):
        run("--debug", "show", "i9")


@pytest.mark.parametrize("tz", ["Europe/Rome", "America/New_York", "Asia/Tokyo"])
def test_a_bare_date_keeps_its_day_in_any_time_zone(run, initialized, monkeypatch, tz):
    import time

    monkeypatch.setenv("TZ", tz)
    time.tzset()
    try:
        run("contact", "add", "Someone")
        r = run("log", "other", "--contact", "c1", "--when", "2026-10-05")
        assert r.exit_code == 0, r.output
        item = json.loads(run("incidents", "--json").stdout)[0]
        assert item["when"].startswith("2026-10-05T12:00:00")
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
