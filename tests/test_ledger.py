"""The evidence ledger: storage, encryption at rest, ids, shred, passphrase."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import sqlite3
import stat

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gdprkit.errors import BadInput, LedgerError, NotFound, TamperDetected, WrongPassphrase
from gdprkit.ledger import KdfParams, Ledger
from gdprkit.model import EvidenceInput, Profile

from .conftest import PASSPHRASE

SECRET_NAME = "Mallory Spammington"
SECRET_NOTE = "added me to the newsletter Quantum Yield Club"


def _add_scenario(led, tmp_path):
    c = led.add_contact(SECRET_NAME, email="mallory@spam.example", org="Yield Club Srl",
                        country="IT")
    f = tmp_path / "shot.png"
    f.write_bytes(b"\x89PNG fake screenshot bytes " * 100)
    inc = led.log_incident("mailing-list", c.id, note=SECRET_NOTE, platform="e-mail",
                           evidence=[EvidenceInput(name="shot.png", path=str(f))])
    return c, inc, f


def test_create_is_private_and_refuses_overwrite(ledger, ledger_path):
    assert stat.S_IMODE(os.stat(ledger_path).st_mode) == 0o600
    for suffix in ("-wal", "-shm"):
        p = f"{ledger_path}{suffix}"
        if os.path.exists(p):
            assert stat.S_IMODE(os.stat(p).st_mode) & 0o077 == 0
    with pytest.raises(LedgerError, match="already exists"):
        Ledger.create(ledger_path, PASSPHRASE, kdf=KdfParams.minimum())


def test_create_in_missing_folder_writes_nothing(tmp_path):
    target = tmp_path / "nope" / "ledger.db"
    with pytest.raises(LedgerError, match="does not exist"):
        Ledger.create(target, PASSPHRASE, kdf=KdfParams.minimum())
    assert not (tmp_path / "nope").exists()


def test_ids_are_typed_and_sequential(ledger, tmp_path):
    c1 = ledger.add_contact("A")
    c2 = ledger.add_contact("B")
    assert (c1.id, c2.id) == ("c1", "c2")
    i1 = ledger.log_incident("forwarded", "c2", evidence=[EvidenceInput(name="a.txt", data=b"x"),
                                                           EvidenceInput(name="b.txt", data=b"y")])
    assert i1.id == "i1"
    assert [e.id for e in i1.evidence] == ["e1", "e2"]
    assert ledger.get("e2").name == "b.txt"
    with pytest.raises(NotFound):
        ledger.get("i9")
    with pytest.raises(NotFound):
        ledger.get("zz")


def test_round_trip_and_custody_metadata(ledger, tmp_path, clock):
    c, inc, f = _add_scenario(ledger, tmp_path)
    ev = inc.evidence[0]
    data = f.read_bytes()
    assert ev.sha256 == hashlib.sha256(data).hexdigest()
    assert ev.size == len(data)
    assert ev.name == "shot.png" and ev.media_type == "image/png"
    assert ev.method == "file" and ev.acquired_by == "Ada Rossi"
    assert ev.tool_version.startswith("gdprkit ")
    assert ev.acquired_at.tzinfo is not None
    assert ledger.evidence_bytes(ev.id) == data
    assert ledger.incident(inc.id).note == SECRET_NOTE


def test_no_plaintext_on_disk(ledger, ledger_path, tmp_path):
    _add_scenario(ledger, tmp_path)
    ledger.set_profile(Profile(name="Ada Rossi", email="ada@example.org"))
    blobs = b""
    for p in tmp_path.iterdir():
        if p.name.startswith("ledger.db"):
            blobs += p.read_bytes()
    for secret in (SECRET_NAME, SECRET_NOTE, "mallory@spam.example", "Ada Rossi",
                   "ada@example.org", "Via Roma", "fake screenshot", "Yield Club"):
        assert secret.encode() not in blobs, secret
        assert secret.encode("utf-16-le") not in blobs


def test_wrong_passphrase_and_not_a_ledger(ledger, ledger_path, tmp_path):
    ledger.close()
    with pytest.raises(WrongPassphrase):
        Ledger.open(ledger_path, b"wrong")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"hello, I am not a database" * 100)
    before = junk.read_bytes()
    with pytest.raises(LedgerError, match="not a gdprkit ledger"):
        Ledger.open(junk, PASSPHRASE)
    assert junk.read_bytes() == before
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t(x)").connection.close()
    with pytest.raises(LedgerError, match="not a gdprkit ledger"):
        Ledger.open(other, PASSPHRASE)


def test_weak_kdf_header_is_refused(ledger, ledger_path):
    ledger.close()
    db = sqlite3.connect(ledger_path)
    raw = db.execute("SELECT value FROM meta WHERE key='kdf'").fetchone()[0]
    weak = raw.replace(b'"memory_kib": 19456', b'"memory_kib": 8192')
    assert weak != raw
    db.execute("UPDATE meta SET value=? WHERE key='kdf'", (weak,))
    db.commit()
    db.close()
    with pytest.raises(TamperDetected, match="19 MiB"):
        Ledger.open(ledger_path, PASSPHRASE)


def test_kdf_user_choice_bounds():
    with pytest.raises(BadInput):
        KdfParams(memory_kib=8 * 1024, iterations=3).check_user_choice()
    with pytest.raises(BadInput):
        KdfParams(memory_kib=64 * 1024, iterations=1).check_user_choice()
    KdfParams().check_user_choice()


def test_missing_evidence_file_writes_nothing(ledger, tmp_path):
    c = ledger.add_contact("A")
    before = ledger.checkpoint().tree_size
    with pytest.raises(BadInput, match="not found"):
        ledger.log_incident("forwarded", c.id, evidence=[EvidenceInput(name="x", path=str(tmp_path / "missing"))])
    assert ledger.checkpoint().tree_size == before
    assert ledger.incidents() == []


def test_unknown_kind_and_contact(ledger):
    with pytest.raises(BadInput, match="valid: mailing-list"):
        ledger.log_incident("spam", "c1")
    with pytest.raises(NotFound):
        ledger.log_incident("forwarded", "c42")


def test_chunked_evidence_round_trip_multi_chunk(ledger, tmp_path):
    from gdprkit.ledger.crypto import CHUNK_SIZE

    c = ledger.add_contact("A")
    data = os.urandom(CHUNK_SIZE * 2 + 123)
    inc = ledger.log_incident("forwarded", c.id, evidence=[EvidenceInput(name="big.bin", data=data),
                                                           EvidenceInput(name="empty.txt", data=b"")])
    assert ledger.evidence_bytes(inc.evidence[0].id) == data
    assert ledger.evidence_bytes(inc.evidence[1].id) == b""
    ledger.verify()


def test_filters(ledger):
    a = ledger.add_contact("A")
    b = ledger.add_contact("B")
    ledger.log_incident("forwarded", a.id, when=dt.datetime(2026, 1, 5, tzinfo=dt.UTC))
    ledger.log_incident("mailing-list", b.id, when=dt.datetime(2026, 2, 5, tzinfo=dt.UTC))
    assert [i.id for i in ledger.incidents(contact="c1")] == ["i1"]
    assert [i.id for i in ledger.incidents(kind="mailing-list")] == ["i2"]
    assert [i.id for i in ledger.incidents(since=dt.date(2026, 2, 1))] == ["i2"]


def test_reopen_and_find_contact(ledger, ledger_path):
    ledger.add_contact("Mallory", email="Mallory@Spam.example", profile_url="https://linkedin.com/in/m/")
    ledger.close()
    with Ledger.open(ledger_path, PASSPHRASE) as led:
        assert led.find_contact(email="mallory@spam.EXAMPLE").id == "c1"
        assert led.find_contact(profile_url="https://linkedin.com/in/m").id == "c1"
        assert led.find_contact(email="x@y") is None
        assert led.profile().name == "Ada Rossi"
        led.verify()


def test_shred_incident_keeps_log_verifiable(ledger, ledger_path, tmp_path):
    c, inc, f = _add_scenario(ledger, tmp_path)
    ev_id = inc.evidence[0].id
    ids = ledger.shred(inc.id, "contact asked for erasure")
    assert ids == [inc.id, ev_id]
    report = ledger.verify()
    assert report.shredded == 2
    assert ledger.incident(inc.id).shredded
    assert ledger.incident(inc.id).shred_reason == "contact asked for erasure"
    assert ledger.evidence(ev_id).shredded
    with pytest.raises(NotFound, match="shredded"):
        ledger.evidence_bytes(ev_id)
    with pytest.raises(BadInput, match="already shredded"):
        ledger.shred(inc.id, "again")
    # the ciphertext is gone from the file, WAL included
    ledger.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("ledger.db"))
    db = sqlite3.connect(ledger_path)
    assert db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM content WHERE seq IN (SELECT target FROM shreds)").fetchone()[0] == 0
    db.close()
    assert SECRET_NOTE.encode() not in raw


def test_shred_contact(ledger, tmp_path):
    c, inc, _ = _add_scenario(ledger, tmp_path)
    assert ledger.shred(c.id, "Art. 17 request") == [c.id]
    assert ledger.contact(c.id).shredded
    assert ledger.contact(c.id).name == "[shredded]"
    assert ledger.incident(inc.id).note == SECRET_NOTE  # the incident stays
    ledger.verify()


def test_passwd_rewraps_only(ledger, ledger_path, tmp_path):
    _add_scenario(ledger, tmp_path)
    size = ledger.checkpoint().tree_size
    db = sqlite3.connect(ledger_path)
    content_before = db.execute("SELECT * FROM content ORDER BY seq").fetchall()
    db.close()
    ledger.change_passphrase(b"new secret")
    ledger.close()
    with pytest.raises(WrongPassphrase):
        Ledger.open(ledger_path, PASSPHRASE)
    with Ledger.open(ledger_path, b"new secret") as led:
        assert led.checkpoint().tree_size == size
        led.verify()
    db = sqlite3.connect(ledger_path)
    assert db.execute("SELECT * FROM content ORDER BY seq").fetchall() == content_before
    db.close()


def test_triggers_refuse_edits(ledger, ledger_path, tmp_path):
    _add_scenario(ledger, tmp_path)
    db = sqlite3.connect(ledger_path)
    for sql in ("UPDATE log SET kind='x' WHERE seq=1", "DELETE FROM log WHERE seq=1",
                "DELETE FROM content WHERE seq=2", "UPDATE content SET payload=x'00' WHERE seq=2",
                "DELETE FROM checkpoints", "DELETE FROM chunks",
                "UPDATE meta SET value=x'00' WHERE key='ledger_id'"):
        with pytest.raises(sqlite3.IntegrityError):
            db.execute(sql)
    db.close()


def test_clock_is_injectable(ledger, clock):
    c = ledger.add_contact("A")
    assert c.created_at.year == 2026 and c.created_at.month == 3


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(min_size=1, max_size=300).filter(lambda s: s.strip() and "\x00" not in s),
       note=st.text(max_size=5000).filter(lambda s: "\x00" not in s))
def test_text_round_trips_exactly(ledger, name, note):
    c = ledger.add_contact(name)
    inc = ledger.log_incident("other", c.id, note=note)
    assert ledger.contact(c.id).name == name
    assert ledger.incident(inc.id).note == note


@pytest.mark.parametrize("text", [
    "Zoë 🙂👩🏽‍💻", "مرحبا بالعالم", "ñ\u0303e\u0301\u0301", "x" * 5000, "{{ 7*7 }}", "<b>&amp;</b>",
])
def test_hostile_and_unusual_text(ledger, text):
    c = ledger.add_contact(text)
    inc = ledger.log_incident("other", c.id, note=text)
    assert ledger.contact(c.id).name == text
    assert ledger.incident(inc.id).note == text


def test_export_dict(ledger, tmp_path):
    _add_scenario(ledger, tmp_path)
    d = ledger.export_dict()
    assert d["contacts"][0]["name"] == SECRET_NAME
    assert d["incidents"][0]["evidence"][0]["name"] == "shot.png"
    assert d["checkpoint"]["tree_size"] == ledger.checkpoint().tree_size


def test_read_evidence_streams(ledger, tmp_path):
    c = ledger.add_contact("A")
    data = os.urandom(3000)
    inc = ledger.log_incident("other", c.id, evidence=[EvidenceInput(name="a", data=data)])
    out = io.BytesIO()
    ledger.read_evidence(inc.evidence[0].id, out)
    assert out.getvalue() == data


@given(seq=st.integers(1, 2**40), kind=st.sampled_from(["contact", "incident", "shred"]),
       ref=st.text(max_size=12), aux=st.text(max_size=30), wrapped=st.binary(max_size=80),
       payload=st.binary(max_size=300))
def test_verify_fast_leaf_hash_equals_the_general_one(seq, kind, ref, aux, wrapped, payload):
    from gdprkit.ledger import schema
    from gdprkit.ledger.merkle import leaf_hash

    lid = bytes(range(16))
    general = leaf_hash(schema.leaf_data(lid, seq, kind, ref, "2026-01-01T00:00:00Z", aux,
                                         schema.content_hash(wrapped, payload, [])))
    assert schema.entry_leaf_hash(lid, seq, kind, ref, "2026-01-01T00:00:00Z", aux,
                                  wrapped, payload) == general


def test_log_incidents_in_one_commit(ledger, tmp_path):
    from gdprkit.model import EvidenceInput, IncidentInput

    c = ledger.add_contact("Bulk Sender")
    before = ledger.checkpoint().tree_size
    f = tmp_path / "shot.png"
    f.write_bytes(b"\x89PNG" + bytes(range(256)) * 5000)  # spans two chunks
    items = [IncidentInput("mailing-list", c.id, note=f"issue {n} \u00e8\U0001f600")
             for n in range(1200)]
    items.insert(700, IncidentInput("forwarded", c.id,
                                    evidence=(EvidenceInput(name="shot.png", path=str(f)),)))
    logged = ledger.log_incidents(items)
    assert [i.id for i in logged] == [f"i{n}" for n in range(1, 1202)]
    assert logged[700].kind == "forwarded" and logged[700].evidence[0].name == "shot.png"
    assert ledger.evidence_bytes(logged[700].evidence[0].id) == f.read_bytes()
    assert logged[1201 - 1].note == "issue 1199 \u00e8\U0001f600"
    cp = ledger.checkpoint()
    assert cp.tree_size == before + 1202  # incidents + one evidence entry
    rows = ledger._db.execute("SELECT COUNT(*) FROM checkpoints WHERE tree_size > ?",
                              (before,)).fetchone()[0]
    assert rows == 1  # one commit, one checkpoint
    assert ledger.verify().ok


def test_log_incidents_is_all_or_nothing(ledger, tmp_path):
    from gdprkit.errors import BadInput, NotFound
    from gdprkit.model import EvidenceInput, IncidentInput

    c = ledger.add_contact("Bulk Sender")
    size = ledger.checkpoint().tree_size
    good = [IncidentInput("other", c.id, note="fine")] * 600
    with pytest.raises(NotFound):
        ledger.log_incidents([*good, IncidentInput("other", "c99")])
    with pytest.raises(BadInput):
        ledger.log_incidents([*good, IncidentInput("other", c.id, evidence=(
            EvidenceInput(name="x", path=str(tmp_path / "missing")),))])
    assert ledger.checkpoint().tree_size == size and ledger.incidents() == []
    assert ledger.log_incidents(good[:2])[1].id == "i2"  # ids were not used up
    assert ledger.verify().ok
