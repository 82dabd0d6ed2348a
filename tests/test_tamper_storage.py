"""Edits of a real ledger file that change a value's storage type, checkpoints
or the header: reported with exit code 3 and named, never an internal error.

As in test_tamper.py, each test edits the SQLite file behind gdprkit's back,
dropping the append-only triggers first, as an attacker with the file would.
"""

from __future__ import annotations

import json
import sqlite3

import pytest

from gdprkit.errors import TamperDetected
from gdprkit.ledger import Ledger
from gdprkit.model import EvidenceInput

from .conftest import PASSPHRASE

# Commands that read the ledger; each must either work or fail with one line.
READERS = [
    ("contact", "list"),
    ("incidents", "--json"),
    ("show", "i1"),
    ("requests",),
    ("evidence", "get", "e1", "-o", "-"),
    ("checkpoint",),
    ("export", "json", "-o", "-"),
    ("contact", "add", "Someone new"),
]


@pytest.fixture
def filled(ledger, ledger_path):
    """entries: 1 ledger, 2 profile, 3 c1, 4 i1, 5 e1, 6 i2, 7 r1 (+ its recipient)."""
    c = ledger.add_contact("Mallory", email="m@spam.example")
    ledger.log_incident("mailing-list", c.id, note="newsletter",
                        evidence=[EvidenceInput(name="n.eml", data=b"From: x\r\n\r\nbody" * 50)])
    ledger.log_incident("forwarded", c.id, note="forwarded my message")
    import datetime as dt

    ledger.add_request(kind="objection", lang="en", format="txt", recipient_name="Mallory",
                       recipient_email="m@spam.example", contact=c.id, incidents=("i1",),
                       sent=dt.date(2026, 3, 2), due=dt.date(2026, 4, 2), sha256="0" * 64)
    ledger.close()
    return ledger_path


def _db(path):
    db = sqlite3.connect(path)
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='trigger'").fetchall():
        db.execute(f"DROP TRIGGER {name}")
    return db


def _edit(path, *statements):
    db = _db(path)
    for sql in statements:
        db.execute(sql)
    db.commit()
    db.close()


def _flip(blob: bytes, at: int = -1) -> bytes:
    b = bytearray(blob)
    b[at] ^= 0x01
    return bytes(b)


def _error_line(result) -> str:
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith("Error:")]
    assert len(lines) == 1, result.output
    return lines[0]


def _one_line_error(result) -> str:
    assert "internal error" not in result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error:"), result.stderr
    return lines[0]


# --------------------------------------------------------------- storage types
@pytest.mark.parametrize(("sql", "entry", "message"), [
    ("UPDATE content SET payload=CAST(payload AS TEXT) WHERE seq=3",
     "entry 3 (c1, contact)", "payload is not a blob (stored as text)"),
    ("UPDATE content SET wrapped_key=CAST(wrapped_key AS TEXT) WHERE seq=4",
     "entry 4 (i1, incident)", "wrapped_key is not a blob (stored as text)"),
    ("UPDATE content SET payload=12345 WHERE seq=6",
     "entry 6 (i2, incident)", "payload is not a blob (stored as integer)"),
    ("UPDATE content SET payload=0.5 WHERE seq=3",
     "entry 3 (c1, contact)", "payload is not a blob (stored as real)"),
    ("UPDATE chunks SET data=CAST(data AS TEXT) WHERE seq=5",
     "entry 5 (e1, evidence)", "evidence chunk 0 data is not a blob (stored as text)"),
    ("UPDATE log SET leaf_hash=CAST(leaf_hash AS TEXT) WHERE seq=3",
     "entry 3 (c1, contact)", "leaf_hash is not a blob (stored as text)"),
    ("UPDATE log SET leaf_hash=x'0001' WHERE seq=3",
     "entry 3 (c1, contact)", "leaf_hash is 2 bytes, not 32"),
    ("UPDATE log SET kind=CAST(kind AS BLOB) WHERE seq=4",
     "entry 4 (i1)", "kind is not text (stored as blob)"),
    ("UPDATE log SET ref=CAST(x'ff6931' AS TEXT) WHERE seq=4",
     "entry 4:", "ref is not valid UTF-8 text"),
    ("UPDATE log SET created_at=CAST(created_at AS BLOB) WHERE seq=6",
     "entry 6 (i2, incident)", "created_at is not text (stored as blob)"),
])
def test_storage_type_change_is_named_by_verify(filled, run, sql, entry, message):
    _edit(filled, sql)
    r = run("verify")
    assert r.exit_code == 3, r.output
    line = _error_line(r)
    assert line.startswith(f"Error: {entry}") and message in line, line
    assert "internal error" not in r.output
    r = run("verify", "--json")
    assert r.exit_code == 3
    report = json.loads(r.stdout)
    seq = int(entry.split()[1].rstrip(":"))
    assert any(p["entry"] == seq and message in p["problem"] for p in report["problems"])
    # every other command works or fails with one line (exit 3), never crashes
    for args in READERS:
        r = run(*args)
        assert r.exit_code in (0, 3), (args, r.output)
        if r.exit_code == 3:
            line = _one_line_error(r)
            assert "altered" in line or "run 'gdprkit verify'" in line, line


@pytest.mark.parametrize(("sql", "command", "named"), [
    ("UPDATE content SET payload=CAST(payload AS TEXT) WHERE seq=3", ("contact", "list"),
     "entry 3 (c1, contact): payload is not a blob (stored as text)"),
    ("UPDATE content SET payload=CAST(payload AS TEXT) WHERE seq=3", ("contact", "add", "X"),
     "entry 3 (c1, contact): payload is not a blob (stored as text)"),
    ("UPDATE content SET wrapped_key=7 WHERE seq=4", ("incidents",),
     "entry 4 (i1, incident): wrapped_key is not a blob (stored as integer)"),
    ("UPDATE log SET kind=CAST(kind AS BLOB) WHERE seq=4", ("requests",),
     "entry 4 (i1): kind is not text (stored as blob)"),
    ("UPDATE log SET ref=CAST(x'ff6931' AS TEXT) WHERE seq=4", ("show", "c1"),
     "entry 4: ref is not valid UTF-8 text"),
    ("UPDATE log SET created_at='yesterday' WHERE seq=6", ("show", "i2"),
     "entry 6 (i2, incident): created_at is not a time"),
    ("UPDATE chunks SET data=CAST(data AS TEXT) WHERE seq=5", ("evidence", "get", "e1", "-o", "-"),
     "evidence e1 (entry 5) was altered"),
    ("UPDATE chunks SET data=12 WHERE seq=5", ("evidence", "get", "e1", "-o", "-"),
     "evidence e1 (entry 5) was altered"),
])
def test_commands_reading_a_retyped_row_fail_with_one_line(filled, run, sql, command, named):
    _edit(filled, sql)
    before = filled.read_bytes()
    r = run(*command)
    assert r.exit_code == 3, r.output
    line = _one_line_error(r)
    assert named in line, line
    assert r.stdout == ""
    assert filled.read_bytes() == before  # nothing was written


def test_leaf_hashes_of_a_retyped_leaf_name_the_entry(filled):
    _edit(filled, "UPDATE log SET leaf_hash=CAST(leaf_hash AS TEXT) WHERE seq=4")
    with Ledger.open(filled, PASSPHRASE) as led, pytest.raises(TamperDetected, match="entry 4"):
        led.leaf_hashes()


def test_same_bytes_other_type_is_the_only_problem(filled, run):
    """A cast that keeps the bytes is one problem, not a cascade of hash errors."""
    _edit(filled, "UPDATE content SET payload=CAST(payload AS TEXT) WHERE seq=3")
    report = json.loads(run("verify", "--json").stdout)
    assert [p["problem"] for p in report["problems"]] == ["payload is not a blob (stored as text)"]


def test_orphan_content_and_chunks_are_reported(filled, run):
    db = _db(filled)
    row = db.execute("SELECT wrapped_key, payload FROM content WHERE seq=3").fetchone()
    db.execute("INSERT INTO content(seq, wrapped_key, payload) VALUES (999, ?, ?)", row)
    db.execute("INSERT INTO chunks(seq, idx, data) VALUES ('x', 0, x'00')")
    db.commit()
    db.close()
    report = json.loads(run("verify", "--json").stdout)
    problems = [p["problem"] for p in report["problems"]]
    assert any("entry 999, which the log does not hold" in p for p in problems)
    assert any("chunks are stored for entry 'x'" in p for p in problems)


def test_shred_record_of_another_type_is_reported(filled, run):
    assert run("shred", "i2", "--reason", "test").exit_code == 0
    _edit(filled, "UPDATE shreds SET shred_seq=CAST(shred_seq AS BLOB)")
    r = run("verify")
    assert r.exit_code == 3
    assert "shred_seq is not an integer" in r.stderr
    assert "internal error" not in r.output


# ----------------------------------------------------------------- checkpoints
def _checkpoints(path):
    db = sqlite3.connect(path)
    rows = db.execute("SELECT tree_size, root_hash, note, frontier FROM checkpoints "
                      "ORDER BY tree_size").fetchall()
    db.close()
    return rows


def test_checkpoints_are_numbered_without_gaps(filled, run):
    rows = _checkpoints(filled)
    numbers = [int(note.split("\ncheckpoint ")[1].split("\n")[0]) for _s, _r, note, _f in rows]
    assert numbers == list(range(1, len(rows) + 1))
    assert run("verify").exit_code == 0
    out = run("checkpoint").stdout
    assert f"\ncheckpoint {len(rows)}\n" in out


def test_flipped_frontier_of_newest_checkpoint(filled, run):
    size, _root, _note, frontier = _checkpoints(filled)[-1]
    db = _db(filled)
    db.execute("UPDATE checkpoints SET frontier=? WHERE tree_size=?", (_flip(frontier, 20), size))
    db.commit()
    db.close()
    r = run("verify")
    assert r.exit_code == 3
    line = _error_line(r)
    assert f"checkpoint at tree size {size}: its stored tree state (frontier) does not match" \
        in line
    report = json.loads(run("verify", "--json").stdout)
    assert report["problems"][0]["checkpoint"] == size
    r = run("contact", "add", "Someone")
    assert r.exit_code == 3
    assert f"checkpoint at tree size {size} (the newest): its stored tree state does not match" \
        in _one_line_error(r)


def test_flipped_frontier_of_an_older_checkpoint(filled, run):
    size, _root, _note, frontier = _checkpoints(filled)[2]
    db = _db(filled)
    db.execute("UPDATE checkpoints SET frontier=? WHERE tree_size=?", (_flip(frontier, 12), size))
    db.commit()
    db.close()
    r = run("verify")
    assert r.exit_code == 3
    assert f"checkpoint at tree size {size}: its stored tree state" in _error_line(r)
    assert run("contact", "add", "Someone").exit_code == 0  # only the newest is used to append


def test_flipped_root_of_an_older_checkpoint(filled, run):
    size, root, _note, _frontier = _checkpoints(filled)[1]
    db = _db(filled)
    db.execute("UPDATE checkpoints SET root_hash=? WHERE tree_size=?", (_flip(root, 30), size))
    db.commit()
    db.close()
    r = run("verify", "--json")
    assert r.exit_code == 3
    problems = json.loads(r.stdout)["problems"]
    assert problems == [{
        "entry": size, "id": None, "kind": None, "checkpoint": size,
        "problem": f"checkpoint at tree size {size}: its root hash is not the root of the log's "
                   f"first {size} entries",
        "stored_root": _flip(root, 30).hex(), "log_root": root.hex()}]


@pytest.mark.parametrize("which", [0, 2, -2])
def test_deleted_checkpoint_is_reported(filled, run, which):
    rows = _checkpoints(filled)
    size = rows[which][0]
    after = rows[which + 1][0]
    _edit(filled, f"DELETE FROM checkpoints WHERE tree_size={size}")
    r = run("verify")
    assert r.exit_code == 3
    line = _error_line(r)
    assert f"checkpoint at tree size {after} is number" in line and "deleted" in line, line
    number = which % len(rows) + 1
    assert f"checkpoint {number} was deleted" in line


def test_checkpoint_signature_and_retyped_note(filled, run):
    size, _root, note, _frontier = _checkpoints(filled)[1]
    _edit(filled, f"UPDATE checkpoints SET note=CAST(note AS BLOB) WHERE tree_size={size}")
    r = run("verify")
    assert r.exit_code == 3
    assert f"checkpoint at tree size {size}: its note is not text (stored as blob)" \
        in _error_line(r)


def test_tampered_newest_checkpoint_is_not_handed_out(filled, run):
    size, _root, note, _frontier = _checkpoints(filled)[-1]
    db = _db(filled)
    db.execute("UPDATE checkpoints SET note=? WHERE tree_size=?",
               (note.replace(f"\n{size}\n", f"\n{size + 1}\n"), size))
    db.commit()
    db.close()
    r = run("checkpoint")
    assert r.exit_code == 3
    assert f"checkpoint at tree size {size} (the newest) is not validly signed" \
        in _one_line_error(r)
    assert r.stdout == ""


def test_checkpoint_beyond_the_log(filled, run):
    size, root, note, frontier = _checkpoints(filled)[-1]
    db = _db(filled)
    db.execute("INSERT INTO checkpoints VALUES (?, ?, ?, ?, '2026-01-01T00:00:00Z')",
               (size + 5, root, note, frontier))
    db.commit()
    db.close()
    r = run("verify", "--json")
    assert r.exit_code == 3
    problems = json.loads(r.stdout)["problems"]
    assert any(p.get("checkpoint") == size + 5 and "no matching log" in p["problem"]
               for p in problems)


def test_unnumbered_checkpoints_of_older_ledgers_still_verify(ledger_path, clock, monkeypatch, run):
    """Checkpoints written before numbering may precede numbered ones (no release
    had them, but a development ledger keeps working)."""
    from gdprkit.ledger import KdfParams
    from gdprkit.ledger import note as note_mod

    real = note_mod.checkpoint_body
    monkeypatch.setattr(note_mod, "checkpoint_body",
                        lambda origin, size, root, extensions=(): real(origin, size, root))
    led = Ledger.create(ledger_path, PASSPHRASE, kdf=KdfParams.minimum(), clock=clock)
    led.add_contact("Old")
    led.close()
    monkeypatch.setattr(note_mod, "checkpoint_body", real)
    assert run("contact", "add", "New").exit_code == 0
    assert run("contact", "add", "Newer").exit_code == 0
    notes = [n for _s, _r, n, _f in _checkpoints(ledger_path)]
    assert ["\ncheckpoint " in n for n in notes] == [False, False, True, True]
    assert "\ncheckpoint 1\n" in notes[2] and "\ncheckpoint 2\n" in notes[3]
    assert run("verify").exit_code == 0


# ---------------------------------------------------------------------- header
def test_replaced_ledger_id_is_tampering_not_a_wrong_passphrase(filled, run, tmp_path):
    _edit(filled, "UPDATE meta SET value=randomblob(16) WHERE key='ledger_id'")
    r = run("verify")
    assert r.exit_code == 3, r.output
    line = _one_line_error(r)
    assert "the ledger header's id was altered" in line
    # whatever the passphrase: the log names another id than the header
    bad = tmp_path / "bad"
    bad.write_text("not the passphrase\n")
    r = run("--passphrase-file", bad, "contact", "list")
    assert r.exit_code == 3, r.output
    assert "the ledger header's id was altered" in _one_line_error(r)


def test_wrong_passphrase_names_both_causes(filled, run, tmp_path):
    bad = tmp_path / "bad"
    bad.write_text("not the passphrase\n")
    r = run("--passphrase-file", bad, "verify")
    assert r.exit_code == 4
    assert "wrong passphrase for the ledger" in _one_line_error(r)
    assert "or the ledger header was altered" in r.stderr


def test_flipped_wrapped_key_cannot_be_told_from_a_wrong_passphrase(filled, run):
    db = _db(filled)
    wrapped = db.execute("SELECT value FROM meta WHERE key='wrapped_ledger_key'").fetchone()[0]
    db.execute("UPDATE meta SET value=? WHERE key='wrapped_ledger_key'", (_flip(wrapped, 20),))
    db.commit()
    db.close()
    r = run("verify")
    assert r.exit_code == 4
    assert "wrong passphrase for the ledger" in _one_line_error(r)
    assert "or the ledger header was altered" in r.stderr


@pytest.mark.parametrize("salt", ["", "00", "zz", "0" * 34])
def test_bad_kdf_salt_is_refused(filled, run, salt):
    db = _db(filled)
    kdf = json.loads(db.execute("SELECT value FROM meta WHERE key='kdf'").fetchone()[0])
    kdf["salt"] = salt
    db.execute("UPDATE meta SET value=? WHERE key='kdf'", (json.dumps(kdf).encode(),))
    db.commit()
    db.close()
    r = run("verify")
    assert r.exit_code == 3, r.output
    line = _one_line_error(r)
    assert "the ledger header is refused: KDF salt is not 16 bytes" in line \
        or "KDF parameters cannot be read" in line


@pytest.mark.parametrize("key", ["ledger_id", "kdf", "wrapped_ledger_key", "signing_public_key",
                                 "sealed_signing_key", "format"])
def test_header_value_of_another_type(filled, run, key):
    _edit(filled, f"UPDATE meta SET value=CAST(value AS TEXT) WHERE key='{key}'")
    r = run("contact", "list")
    assert r.exit_code == 3, r.output
    assert f"the ledger header's {key} is not a blob (stored as text)" in _one_line_error(r)
