"""A ledger that cannot be written (read-only or immutable file or folder, full
disk): writes fail with exit code 1 and one clear line, and nothing stored
changes.

The real cases use the file system: chmod for an ordinary user, the immutable
flag (chattr +i) for root, whom permissions do not stop.  The others make
SQLite itself refuse, on a real file: a connection opened read-only (what
SQLite does with a write-protected file) and a page limit (what a full disk
looks like to it).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
import subprocess
import urllib.parse

import pytest

import gdprkit.ledger._ledger as ledger_module

WRITES = [
    ("contact", "add", "Someone new"),
    ("log", "other", "--contact", "c1", "--note", "new"),
    ("shred", "c1", "--reason", "asked"),
    ("profile", "set", "--name", "Ada R."),
]


@pytest.fixture
def ready(initialized, run):
    assert run("contact", "add", "Mallory", "--email", "m@spam.example").exit_code == 0
    assert run("log", "mailing-list", "--contact", "c1", "--note", "newsletter").exit_code == 0
    return initialized


def _stored(path) -> str:
    """A digest of everything stored (read through SQLite, WAL included)."""
    db = sqlite3.connect(path)
    try:
        return hashlib.sha256("\n".join(db.iterdump()).encode()).hexdigest()
    finally:
        db.close()  # the last connection: SQLite removes the -wal and -shm files


def _one_line(result) -> str:
    assert "internal error" not in result.output and "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error:"), result.stderr
    return lines[0]


REAL_CONNECT = ledger_module._connect


def _restore(monkeypatch):
    monkeypatch.setattr(ledger_module, "_connect", REAL_CONNECT)


def _connect_with(monkeypatch, setup):
    real = REAL_CONNECT

    def connect(path, *, create):
        db = real(path, create=create)
        setup(db, path)
        return db

    monkeypatch.setattr(ledger_module, "_connect", connect)


def _read_only_connection(monkeypatch):
    """Open as SQLite opens a write-protected file: read-only."""

    def connect(path, *, create):
        uri = f"file:{urllib.parse.quote(str(path.absolute()))}?mode=ro"
        db = sqlite3.connect(uri, uri=True, isolation_level=None)
        for pragma in ledger_module.schema.PRAGMAS:
            db.execute(pragma)
        return db

    monkeypatch.setattr(ledger_module, "_connect", connect)


@pytest.mark.parametrize("args", WRITES)
def test_write_to_read_only_ledger(ready, run, monkeypatch, args):
    before = _stored(ready)
    _read_only_connection(monkeypatch)
    r = run(*args, "--yes") if args[0] == "shred" else run(*args)
    assert r.exit_code == 1, r.output
    line = _one_line(r)
    assert f"cannot write to the ledger {ready}: it is read-only; nothing was changed" in line
    assert "-wal and -shm" in line
    _restore(monkeypatch)
    assert _stored(ready) == before
    assert run("verify").exit_code == 0


def test_passwd_on_read_only_ledger(ready, run, monkeypatch, tmp_path):
    new = tmp_path / "new-pass"
    new.write_text("another passphrase\n")
    before = _stored(ready)
    _read_only_connection(monkeypatch)
    r = run("passwd", "--new-passphrase-file", new)
    assert r.exit_code == 1
    assert "it is read-only; nothing was changed" in _one_line(r)
    _restore(monkeypatch)
    assert _stored(ready) == before
    assert run("contact", "list").exit_code == 0  # the old passphrase still opens it


def test_disk_full(ready, run, monkeypatch, tmp_path):
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(300_000))
    before = _stored(ready)
    _connect_with(monkeypatch, lambda db, _path: db.execute(
        f"PRAGMA max_page_count={db.execute('PRAGMA page_count').fetchone()[0]}"))
    r = run("log", "other", "--contact", "c1", "--evidence", big)
    assert r.exit_code == 1, r.output
    assert f"cannot write to the ledger {ready}: the disk is full; nothing was changed" \
        in _one_line(r)
    _restore(monkeypatch)
    assert _stored(ready) == before
    assert run("verify").exit_code == 0
    assert run("log", "other", "--contact", "c1", "--evidence", big).exit_code == 0


def test_any_sqlite_refusal_on_write_is_one_line(ready, run, monkeypatch):
    before = _stored(ready)

    def refuse_inserts(db, _path):
        db.set_authorizer(lambda action, *args: sqlite3.SQLITE_DENY
                          if action == sqlite3.SQLITE_INSERT else sqlite3.SQLITE_OK)

    _connect_with(monkeypatch, refuse_inserts)
    r = run("contact", "add", "X")
    assert r.exit_code == 1, r.output
    assert "cannot use the ledger" in _one_line(r)
    _restore(monkeypatch)
    assert _stored(ready) == before


@pytest.mark.parametrize(("code", "name", "exit_code", "words"), [
    (8, "SQLITE_READONLY", 1, "it is read-only; nothing was changed"),
    (13, "SQLITE_FULL", 1, "the disk is full; nothing was changed"),
    (10 | (4 << 8), "SQLITE_IOERR_FSYNC", 1, "disk I/O error"),
    (14, "SQLITE_CANTOPEN", 1, "unable to open database file; nothing was changed"),
    (5, "SQLITE_BUSY", 4, "locked by another process"),
    (11, "SQLITE_CORRUPT", 3, "is damaged"),
])
def test_sqlite_codes_map_to_one_line_errors(code, name, exit_code, words):
    from gdprkit.ledger._sql import db_failure

    messages = {8: "attempt to write a readonly database", 13: "database or disk is full",
                10 | (4 << 8): "disk I/O error", 14: "unable to open database file",
                5: "database is locked", 11: "database disk image is malformed"}
    err = sqlite3.OperationalError(messages[code])
    err.sqlite_errorcode, err.sqlite_errorname = code, name
    failure = db_failure(err, "/x/ledger.db")
    assert failure.exit_code == exit_code
    assert "\n" not in str(failure) and words in str(failure)
    if code == 10 | (4 << 8):
        assert "then run 'gdprkit verify'" in str(failure)  # a commit may have landed


@contextlib.contextmanager
def _unwritable(path):
    """Make ``path`` (file or folder) unwritable for real, for root too."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(0o500 if path.is_dir() else 0o400)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    if not shutil.which("chattr"):
        pytest.skip("running as root without chattr: nothing makes a file read-only")
    made = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"cannot make {path} immutable here: {made.stderr.decode().strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_immutable_or_read_only_file(ready, run):
    before = _stored(ready)
    with _unwritable(ready):
        r = run("contact", "add", "Someone new")
        assert r.exit_code == 1, r.output
        assert "it is read-only; nothing was changed" in _one_line(r)
        listed = run("contact", "list")
        assert listed.exit_code == 0 and "Someone new" not in listed.stdout
    assert _stored(ready) == before
    assert run("verify").exit_code == 0


def test_immutable_or_read_only_folder(ready, run):
    before = _stored(ready)
    assert not (ready.parent / f"{ready.name}-wal").exists()
    with _unwritable(ready.parent):
        r = run("contact", "add", "Someone new")
        assert r.exit_code == 1, r.output
        line = _one_line(r)
        assert f"the ledger {ready}" in line and "-wal and -shm" in line
    assert _stored(ready) == before
    assert run("verify").exit_code == 0
