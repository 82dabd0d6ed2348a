"""SQLite layout of a ledger file and the canonical encoding of log leaves.

Clear columns hold only sequence numbers, entry kinds, typed ids (``c3``),
timestamps and hashes.  Everything personal is inside ``content`` and
``chunks`` as AES-GCM ciphertext.  The log tables refuse UPDATE and DELETE
through triggers; content rows may only be deleted once a shred entry names
them, which is how crypto-erasure keeps the Merkle log verifiable.
"""

from __future__ import annotations

import hashlib
import struct

FORMAT = b"gdprkit-ledger/1"
APPLICATION_ID = 0x67647072  # "gdpr": lets `file` and gdprkit recognise the file

PRAGMAS = (
    "PRAGMA synchronous=FULL",
    "PRAGMA secure_delete=ON",
    "PRAGMA temp_store=MEMORY",
    "PRAGMA trusted_schema=OFF",
)

SCHEMA = f"""
PRAGMA application_id={APPLICATION_ID};
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL
);
CREATE TABLE log (
    seq        INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    ref        TEXT NOT NULL,
    created_at TEXT NOT NULL,
    aux        TEXT NOT NULL DEFAULT '',
    leaf_hash  BLOB NOT NULL
);
CREATE TABLE content (
    seq         INTEGER PRIMARY KEY,
    wrapped_key BLOB NOT NULL,
    payload     BLOB NOT NULL
);
CREATE TABLE chunks (
    seq  INTEGER NOT NULL,
    idx  INTEGER NOT NULL,
    data BLOB NOT NULL,
    UNIQUE (seq, idx)
);
CREATE TABLE shreds (
    target    INTEGER PRIMARY KEY,
    shred_seq INTEGER NOT NULL
);
CREATE TABLE checkpoints (
    tree_size  INTEGER PRIMARY KEY,
    root_hash  BLOB NOT NULL,
    note       TEXT NOT NULL,
    frontier   BLOB NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TRIGGER log_no_update BEFORE UPDATE ON log
    BEGIN SELECT RAISE(ABORT, 'gdprkit: the log is append-only'); END;
CREATE TRIGGER log_no_delete BEFORE DELETE ON log
    BEGIN SELECT RAISE(ABORT, 'gdprkit: the log is append-only'); END;
CREATE TRIGGER checkpoints_no_update BEFORE UPDATE ON checkpoints
    BEGIN SELECT RAISE(ABORT, 'gdprkit: checkpoints are append-only'); END;
CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints
    BEGIN SELECT RAISE(ABORT, 'gdprkit: checkpoints are append-only'); END;
CREATE TRIGGER shreds_no_update BEFORE UPDATE ON shreds
    BEGIN SELECT RAISE(ABORT, 'gdprkit: shreds are append-only'); END;
CREATE TRIGGER shreds_no_delete BEFORE DELETE ON shreds
    BEGIN SELECT RAISE(ABORT, 'gdprkit: shreds are append-only'); END;
CREATE TRIGGER content_no_update BEFORE UPDATE ON content
    BEGIN SELECT RAISE(ABORT, 'gdprkit: content is immutable'); END;
CREATE TRIGGER content_delete_only_shredded BEFORE DELETE ON content
    WHEN NOT EXISTS (SELECT 1 FROM shreds WHERE target = OLD.seq)
    BEGIN SELECT RAISE(ABORT, 'gdprkit: content can only be removed by a shred entry'); END;
CREATE TRIGGER chunks_no_update BEFORE UPDATE ON chunks
    BEGIN SELECT RAISE(ABORT, 'gdprkit: content is immutable'); END;
CREATE TRIGGER chunks_delete_only_shredded BEFORE DELETE ON chunks
    WHEN NOT EXISTS (SELECT 1 FROM shreds WHERE target = OLD.seq)
    BEGIN SELECT RAISE(ABORT, 'gdprkit: content can only be removed by a shred entry'); END;
CREATE TRIGGER meta_no_delete BEFORE DELETE ON meta
    BEGIN SELECT RAISE(ABORT, 'gdprkit: the header is permanent'); END;
CREATE TRIGGER meta_rewrap_only BEFORE UPDATE ON meta
    WHEN OLD.key NOT IN ('kdf', 'wrapped_ledger_key')
    BEGIN SELECT RAISE(ABORT, 'gdprkit: only the key wrapping may change'); END;
"""

_LEAF_PREFIX = b"gdprkit/v1/leaf\x00"
_CONTENT_PREFIX = b"gdprkit/v1/content\x00"


def _lp(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def content_hash(wrapped_key: bytes, payload: bytes, chunk_hashes: list[bytes]) -> bytes:
    """SHA-256 over an entry's ciphertexts (never over plaintext)."""
    h = hashlib.sha256(_CONTENT_PREFIX)
    h.update(_lp(wrapped_key))
    h.update(_lp(payload))
    h.update(struct.pack(">Q", len(chunk_hashes)))
    for ch in chunk_hashes:
        h.update(ch)
    return h.digest()


def leaf_data(
    ledger_id: bytes, seq: int, kind: str, ref: str, created_at: str, aux: str, chash: bytes
) -> bytes:
    """The bytes a log leaf commits to (RFC 9162 leaf input)."""
    return b"".join(
        (
            _LEAF_PREFIX,
            ledger_id,
            struct.pack(">Q", seq),
            _lp(kind.encode()),
            _lp(ref.encode()),
            _lp(created_at.encode()),
            _lp(aux.encode()),
            chash,
        )
    )


_U32 = struct.Struct(">I")
_NOCHUNKS = struct.pack(">Q", 0)


def entry_leaf_hash(ledger_id: bytes, seq: int, kind: str, ref: str, created_at: str, aux: str,
                    wrapped_key: bytes, payload: bytes) -> bytes:
    """RFC 9162 leaf hash of an entry without evidence chunks, in one pass.

    Equal to ``leaf_hash(leaf_data(..., content_hash(wrapped_key, payload, [])))``
    (a test checks it); verify uses it for speed.
    """
    pack = _U32.pack
    chash = hashlib.sha256(b"".join((
        _CONTENT_PREFIX, pack(len(wrapped_key)), wrapped_key, pack(len(payload)), payload,
        _NOCHUNKS))).digest()
    k, r, c, a = kind.encode(), ref.encode(), created_at.encode(), aux.encode()
    return hashlib.sha256(b"".join((
        b"\x00", _LEAF_PREFIX, ledger_id, struct.pack(">Q", seq), pack(len(k)), k, pack(len(r)),
        r, pack(len(c)), c, pack(len(a)), a, chash))).digest()
