"""Ledger benchmarks (issue: foundation).  Prints JSON; every figure is a ratio
against a baseline measured in the same run on the same machine.

  ratio = baseline_time / gdprkit_time   (1.0 = as fast as the raw baseline)

Targets: single appends >= 0.5, bulk append >= 0.25, verify >= 0.3,
evidence ingest >= 0.5, `gdprkit --help` time <= 1.5x `python -c "import click"`.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _util import best_of, emit, peak_rss_mib  # noqa: E402

from gdprkit.ledger import KdfParams, Ledger  # noqa: E402
from gdprkit.ledger import schema as _schema  # noqa: E402
from gdprkit.model import EvidenceInput, IncidentInput  # noqa: E402

PASS = b"bench passphrase"
NOTE = "n" * 1024


def _raw_db(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    for p in _schema.PRAGMAS:
        db.execute(p)
    db.execute("CREATE TABLE t(seq INTEGER PRIMARY KEY, kind TEXT, created_at TEXT, data BLOB)")
    return db


def bench_single(tmp: Path, n: int = 200) -> dict:
    raw = _raw_db(tmp / "raw1.db")
    blob = os.urandom(1100)

    def raw_run():
        for _ in range(n):
            raw.execute("BEGIN IMMEDIATE")
            raw.execute("INSERT INTO t(kind, created_at, data) VALUES (?, ?, ?)",
                        ("incident", "2026-01-01T00:00:00Z", blob))
            raw.execute("COMMIT")

    led = Ledger.create(tmp / "l1.db", PASS, kdf=KdfParams.minimum())
    c = led.add_contact("bench")

    def ours():
        for _ in range(n):
            led.log_incident("other", c.id, note=NOTE)

    t_raw, t_ours = best_of(raw_run), best_of(ours)
    led.close()
    return {"single_append": {"n": n, "raw_s": round(t_raw, 4), "gdprkit_s": round(t_ours, 4),
                              "ratio": round(t_raw / t_ours, 3), "target": 0.5}}


def bench_bulk(tmp: Path, n: int = 10_000) -> tuple[dict, Path]:
    blob = os.urandom(1100)
    rows = [("incident", "2026-01-01T00:00:00Z", blob) for _ in range(n)]

    def raw_run():
        p = tmp / "raw2.db"
        for s in ("", "-wal", "-shm"):
            Path(f"{p}{s}").unlink(missing_ok=True)
        db = _raw_db(p)
        db.execute("BEGIN IMMEDIATE")
        db.executemany("INSERT INTO t(kind, created_at, data) VALUES (?, ?, ?)", rows)
        db.execute("COMMIT")
        db.close()

    def ours(bulk_api: bool):
        p = tmp / "l2.db"
        for s in ("", "-wal", "-shm"):
            Path(f"{p}{s}").unlink(missing_ok=True)
        with Ledger.create(p, PASS, kdf=KdfParams.minimum()) as led:
            c = led.add_contact("bench")
            t = time.perf_counter()
            if bulk_api:  # Ledger.log_incidents: one transaction, batched inserts
                led.log_incidents(IncidentInput("other", c.id, note=NOTE) for _ in range(n))
            else:  # log_incident in a loop inside one transaction
                with led.transaction():
                    for _ in range(n):
                        led.log_incident("other", c.id, note=NOTE)
            return time.perf_counter() - t

    t_raw = best_of(raw_run, 3)
    t_loop = min(ours(False) for _ in range(2))
    t_ours = min(ours(True) for _ in range(2))
    return {"bulk_append": {"n": n, "raw_s": round(t_raw, 4), "gdprkit_s": round(t_ours, 4),
                            "ratio": round(t_raw / t_ours, 3), "target": 0.25,
                            "log_incident_loop_s": round(t_loop, 4),
                            "log_incident_loop_ratio": round(t_raw / t_loop, 3)}}, tmp / "l2.db"


def bench_verify(tmp: Path, path: Path) -> dict:
    """Baseline: a raw pass over the same ciphertexts: read each entry's wrapped key
    and payload from SQLite, unwrap the key, AES-GCM-decrypt the payload and
    SHA-256 it, with bare ``cryptography`` calls and none of gdprkit's checks
    (no leaf hashes, tree, checkpoints, signatures, shreds or order).

    Also reported: the same pass with one key for every entry (no unwrap), the
    cheapest conceivable read-decrypt-hash loop.
    """
    import struct

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    led = Ledger.open(path, PASS)
    keys = led._keys  # the unwrapping key, as gdprkit derives it
    wrap = keys._wrap
    lid = keys.ledger_id
    db = sqlite3.connect(path)
    q = "SELECT l.seq, l.kind, c.wrapped_key, c.payload FROM log l JOIN content c ON c.seq = l.seq"
    entries = db.execute("SELECT COUNT(*) FROM content").fetchone()[0]
    ad_wrap, ad_entry = b"gdprkit/v1/key\x00", b"gdprkit/v1/entry\x00"
    meta_nonce = b"meta" + bytes(8)

    def raw_run():
        for seq, kind, wrapped, payload in db.execute(q):
            k = kind.encode()
            binding = lid + struct.pack(">QH", seq, len(k)) + k
            data_key = wrap.decrypt(wrapped[1:13], wrapped[13:], ad_wrap + binding)
            AESGCM(data_key).decrypt(meta_nonce, payload[1:], ad_entry + binding)
            hashlib.sha256(payload).digest()

    one_key = AESGCM(os.urandom(32))
    single = _raw_db(tmp / "raw-verify.db")
    single.execute("BEGIN")
    single.executemany(
        "INSERT INTO t(kind, created_at, data) VALUES ('incident', '', ?)",
        ((one_key.encrypt(b"\x00" * 12, bytes(p), None),)
         for (p,) in db.execute("SELECT payload FROM content ORDER BY seq")))
    single.execute("COMMIT")

    def single_key_run():
        for (ct,) in single.execute("SELECT data FROM t ORDER BY seq"):
            one_key.decrypt(b"\x00" * 12, ct, None)
            hashlib.sha256(ct).digest()

    t_raw = best_of(raw_run)
    t_single = best_of(single_key_run)
    t_ours = best_of(led.verify, 3)
    led.close()
    db.close()
    single.close()
    return {"verify": {"entries": entries, "raw_s": round(t_raw, 4), "gdprkit_s": round(t_ours, 4),
                       "ratio": round(t_raw / t_ours, 3), "target": 0.3,
                       "single_key_raw_s": round(t_single, 4),
                       "ratio_vs_single_key_raw": round(t_single / t_ours, 3)}}


def _random_file(path: Path, mib: int) -> None:
    with open(path, "wb") as fh:
        for _ in range(mib):
            fh.write(os.urandom(1 << 20))


def bench_ingest(tmp: Path, mib: int = 256, rss_mib: int = 400) -> dict:
    """Evidence ingest vs raw chunked AES-GCM + SHA-256 of the same bytes (the
    issue's baseline, pure CPU), and vs the same work plus writing the
    ciphertext to a file with fsync (what any durable store must at least do)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    src = tmp / "big.bin"
    _random_file(src, mib)

    def raw_run(out: Path | None = None):
        key = AESGCM(os.urandom(32))
        sha = hashlib.sha256()
        sink = open(out, "wb") if out else None  # noqa: SIM115
        with open(src, "rb") as fh:
            i = 0
            while chunk := fh.read(1 << 20):
                sha.update(chunk)
                ct = key.encrypt(i.to_bytes(12, "big"), chunk, b"ad")
                if sink:
                    sink.write(ct)
                i += 1
        if sink:
            sink.flush()
            os.fsync(sink.fileno())
            sink.close()
            out.unlink()
        sha.hexdigest()

    def ours():
        p = tmp / "l3.db"
        for s in ("", "-wal", "-shm"):
            Path(f"{p}{s}").unlink(missing_ok=True)
        with Ledger.create(p, PASS, kdf=KdfParams.minimum()) as led:
            c = led.add_contact("bench")
            t = time.perf_counter()
            led.log_incident("other", c.id, evidence=[EvidenceInput(name="big.bin", path=str(src))])
            return time.perf_counter() - t

    t_raw = best_of(raw_run, 2)
    t_durable = best_of(lambda: raw_run(tmp / "durable.bin"), 2)
    t_ours = min(ours() for _ in range(2))
    (tmp / "l3.db").unlink(missing_ok=True)

    # bounded memory: log and read back a file of rss_mib (the issue: 400 MB, < 200 MB RSS)
    src.unlink()
    big = tmp / "rss.bin"
    _random_file(big, rss_mib)
    rss = peak_rss_mib(
        "import sys\nfrom gdprkit.ledger import Ledger, KdfParams\nfrom gdprkit.model import EvidenceInput\n"
        "led = Ledger.create(sys.argv[1], b'x', kdf=KdfParams.minimum())\nc = led.add_contact('r')\n"
        "i = led.log_incident('other', c.id, evidence=[EvidenceInput(name='b', path=sys.argv[2])])\n"
        "led.read_evidence(i.evidence[0].id, open('/dev/null', 'wb'))\n",
        str(tmp / "rss.db"), str(big))
    big.unlink()
    return {"evidence_ingest": {
        "mib": mib, "raw_s": round(t_raw, 4), "raw_plus_fsynced_write_s": round(t_durable, 4),
        "gdprkit_s": round(t_ours, 4), "ratio": round(t_raw / t_ours, 3), "target": 0.5,
        "ratio_vs_raw_plus_fsynced_write": round(t_durable / t_ours, 3),
        "rss_file_mib": rss_mib, "peak_rss_mib_ingest_and_read": round(rss, 1),
        "rss_target_max_mib": 200}}


def bench_help() -> dict:
    exe = Path(sys.executable).parent / "gdprkit"

    def run(cmd):
        return lambda: subprocess.run(cmd, check=True, capture_output=True)

    t_click = best_of(run([sys.executable, "-c", "import click"]), 15)
    t_help = best_of(run([str(exe), "--help"]), 15)
    t_version = best_of(run([str(exe), "--version"]), 15)
    return {"startup": {"import_click_s": round(t_click, 4), "help_s": round(t_help, 4),
                        "version_s": round(t_version, 4),
                        "help_over_click": round(t_help / t_click, 3), "target_max": 1.5}}


def main() -> None:
    out: dict = {}
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        out.update(bench_help())
        out.update(bench_single(tmp))
        bulk, path = bench_bulk(tmp)
        out.update(bulk)
        out.update(bench_verify(tmp, path))
        mib = int(os.environ.get("GDPRKIT_BENCH_INGEST_MIB", "256"))
        rss_mib = int(os.environ.get("GDPRKIT_BENCH_RSS_MIB", "400"))
        out.update(bench_ingest(tmp, mib, rss_mib))
    emit("ledger", out)


if __name__ == "__main__":
    main()
