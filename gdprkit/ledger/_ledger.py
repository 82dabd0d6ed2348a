"""The evidence ledger: an encrypted, append-only, Merkle-logged SQLite file.

See DESIGN.md section 4 for the properties this module guarantees.  Writes run
in ``BEGIN IMMEDIATE`` transactions; each transaction ends by appending a
signed checkpoint of the new tree, so a crash at any instant leaves either the
whole transaction (with its checkpoint) or none of it.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import getpass
import hashlib
import json
import mimetypes
import os
import sqlite3
import urllib.parse
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from types import EllipsisType
from typing import BinaryIO

from .._validate import DATE_RANGE_TEXT, date_in_range
from .._version import __version__
from ..errors import (
    BadInput,
    GdprkitError,
    LedgerError,
    NotFound,
    TamperDetected,
    WrongPassphrase,
)
from ..model import (
    Action,
    Checkpoint,
    Contact,
    Evidence,
    EvidenceInput,
    EvidenceMethod,
    Incident,
    IncidentInput,
    IncidentKind,
    Profile,
    Request,
    RequestEvent,
    VerifyReport,
    fixed_offset,
    offset_seconds,
)
from . import crypto, schema
from ._sql import (
    as_blob,
    db_failure,
    fetch_all,
    fetch_one,
    is_access_error,
    is_decode_error,
    lenient_text,
    shown,
    type_problem,
    type_problems,
)
from .merkle import leaf_hash

Clock = Callable[[], _dt.datetime]

_PREFIX = {"contact": "c", "incident": "i", "evidence": "e", "request": "r"}
_KIND_OF_PREFIX = {v: k for k, v in _PREFIX.items()}
_CONTACT_FIELDS = (
    "name",
    "email",
    "profile_url",
    "platform",
    "org",
    "org_address",
    "org_email",
    "country",
)
_INSERT_LOG = "INSERT INTO log(seq, kind, ref, created_at, aux, leaf_hash) VALUES (?, ?, ?, ?, ?, ?)"
_INSERT_CONTENT = "INSERT INTO content(seq, wrapped_key, payload) VALUES (?, ?, ?)"
BUSY_TIMEOUT_MS = int(os.environ.get("GDPRKIT_BUSY_TIMEOUT_MS", "15000"))


def _id_number(ref: str) -> int:
    """3 for "c3"; 0 for a malformed id (verify reports tampering, not this)."""
    tail = ref[1:]
    return int(tail) if tail.isdigit() else 0


def _utcnow() -> _dt.datetime:
    return _dt.datetime.now(_dt.UTC)


def _iso(ts: _dt.datetime) -> str:
    if ts.tzinfo is None:
        ts = ts.astimezone()
    if ts.utcoffset():
        ts = ts.astimezone(_dt.UTC)
    return ts.isoformat().replace("+00:00", "Z")


def _parse_ts(text: str | None) -> _dt.datetime | None:
    if not text:
        return None
    return _dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def _incident_time(data: dict) -> _dt.datetime:
    """An incident's ``when`` at the UTC offset it was given in (UTC when none is stored)."""
    when = _parse_ts(data["when"])
    offset = data.get("utc_offset")
    if offset and isinstance(offset, int) and -86400 < offset < 86400:
        when = when.astimezone(fixed_offset(offset))
    return when


# ensure_ascii keeps any Python str (even lone surrogates) exactly round-trippable
_ENCODE = json.JSONEncoder(separators=(",", ":")).encode  # key order is the payload's own


def _dumps(obj: dict) -> bytes:
    return _ENCODE(obj).encode("ascii")


def _clean_text(value: str | None, what: str, *, limit: int = 100_000) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadInput(f"{what} must be text")
    if len(value) > limit:
        raise BadInput(f"{what} is longer than {limit} characters")
    if "\x00" in value:
        raise BadInput(f"{what} contains a NUL character")
    return value


def _connect(path: Path, *, create: bool) -> sqlite3.Connection:
    mode = "rwc" if create else "rw"
    uri = f"file:{urllib.parse.quote(str(path.absolute()))}?mode={mode}"
    db = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    for pragma in schema.PRAGMAS:
        db.execute(pragma)
    return db


def _altered(seq: int, ref, kind, problems: list[str]) -> TamperDetected:
    """The one-line error of a command that meets an altered entry while reading."""
    ref, kind = shown(ref), shown(kind)
    where = f"entry {seq}" + (f" ({ref}, {kind})" if ref and kind else f" ({ref})" if ref else "")
    what = problems[0] if problems else "cannot be read"
    return TamperDetected(f"{where}: {what}; the entry was altered; run 'gdprkit verify' for a "
                          "full report")


_HEADER_BLOBS = ("format", "ledger_id", "kdf", "wrapped_ledger_key", "signing_public_key",
                 "sealed_signing_key")


def _check_header_types(meta: dict, app_id: int) -> None:
    """Every header value is a blob; a gdprkit header with one stored as text
    (or a number) was edited."""
    fmt = meta.get("format")
    if app_id != schema.APPLICATION_ID or fmt is None:
        return  # not a gdprkit ledger: the caller says so
    if type(fmt) is not bytes and as_blob(fmt) != schema.FORMAT:
        return  # an unknown format
    for key in _HEADER_BLOBS:
        problem = type_problem(f"the ledger header's {key}", meta.get(key), "blob") \
            if key in meta else None
        if problem:
            raise TamperDetected(f"{problem}: the header was altered")


def _unwrap_failure(db: sqlite3.Connection, path: Path, kek: bytes, wrapped: bytes,
                    ledger_id: bytes) -> GdprkitError:
    """Why the ledger key did not unwrap: a wrong passphrase, or an altered header.

    The ledger key is wrapped with AES-GCM under the key derived from the
    passphrase, with the ledger id as associated data.  A failed unwrap is one
    opaque error: by itself it cannot tell a wrong passphrase from an altered
    salt, KDF parameter, wrapped key or ledger id.  The id alone can be told
    apart, because the rest of the file names it without any key: the
    checkpoints' signed origin is ``gdprkit.local/ledger/<id>``, and every leaf
    hash commits to it.  So: if the id the log names opens the key, the
    passphrase is right and the header's id was replaced (exit code 3); if the
    log and its checkpoints both disagree with the header's id, the header was
    altered whatever the passphrase (exit code 3).  The other header fields are
    inputs of the unwrap itself and have no witness elsewhere, so that failure
    stays exit code 4 and its message names both causes.
    """
    try:
        log_id = _log_ledger_id(db)
        if log_id is not None and log_id != ledger_id:
            try:
                crypto.unwrap_ledger_key(kek, wrapped, log_id)
            except crypto.DecryptionFailed:
                pass
            else:
                return TamperDetected(
                    f"the ledger header's id was altered: the log and its signed checkpoints "
                    f"belong to ledger {log_id.hex()}, the header says {ledger_id.hex()}")
            first = fetch_one(db, "SELECT l.kind, l.ref, l.created_at, l.aux, c.wrapped_key, "
                              "c.payload, l.leaf_hash FROM log l JOIN content c ON c.seq = l.seq "
                              "WHERE l.seq = 1")
            if first is not None and not type_problems(tuple(
                    zip(("kind", "ref", "created_at", "aux", "wrapped_key", "payload"), first[:6],
                        ("text",) * 4 + ("blob",) * 2, strict=True))) \
                    and schema.entry_leaf_hash(ledger_id, 1, *first[:6]) != first[6]:
                return TamperDetected(
                    "the ledger header's id was altered: entry 1's leaf hash and the signed "
                    f"checkpoints name ledger {log_id.hex()}, the header says {ledger_id.hex()}")
    except sqlite3.Error:
        pass
    return WrongPassphrase(f"wrong passphrase for the ledger {path}, "
                           "or the ledger header was altered")


def _log_ledger_id(db: sqlite3.Connection) -> bytes | None:
    """The ledger id in the newest checkpoint's origin (its signature unchecked)."""
    from .note import parse_checkpoint, parse_note

    row = fetch_one(db, "SELECT note FROM checkpoints ORDER BY tree_size DESC LIMIT 1")
    if row is None or type(row[0]) is not str:
        return None
    try:
        origin = parse_checkpoint(parse_note(row[0])[0])[0]
        prefix, _, hex_id = origin.rpartition("/")
        log_id = bytes.fromhex(hex_id) if prefix == "gdprkit.local/ledger" else b""
    except (GdprkitError, ValueError):
        return None
    return log_id if len(log_id) == 16 else None


class _View:
    """Decrypted state of the ledger, built from the log on demand."""

    def __init__(self) -> None:
        self.profile: Profile | None = None
        self.contacts: dict[str, Contact] = {}
        self.incidents: dict[str, Incident] = {}
        self.evidence: dict[str, Evidence] = {}
        self.requests: dict[str, Request] = {}
        self.seqs: dict[str, list[int]] = {}  # id -> entry seqs behind it
        self.shred_reason: dict[int, str] = {}
        self.wanted_evidence: dict[str, list[str]] = {}  # incident -> its evidence ids
        self.evidence_owner: dict[str, str] = {}  # evidence -> its incident
        self.last_id: dict[str, int] = {}  # kind -> number of its newest id (c3 -> 3)
        self.recipient_seq: dict[str, int] = {}  # request -> its recipient entry
        self.recipient_copies: dict[str, list[str]] = {}  # contact -> requests addressed to them
        self.size = 0  # entries applied


class Ledger:
    """An open evidence ledger.  Create with :meth:`create`, open with :meth:`open`."""

    def __init__(self, path: Path, db: sqlite3.Connection, keyring: crypto.Keyring,
                 signing_private: bytes, public_key: bytes, clock: Clock) -> None:
        self.path = path
        self._db = db
        self._keys = keyring
        self._signing_private = signing_private
        self.public_key = public_key
        self._clock = clock
        self.ledger_id = keyring.ledger_id.hex()
        self.origin = f"gdprkit.local/ledger/{self.ledger_id}"
        self._tx_depth = 0
        self._size = -1  # tree size the in-memory frontier describes
        self._frontier = None
        self._checkpoint_number = 0  # number of the newest checkpoint (its signed text)
        self._counters: dict[str, int] = {}
        self._view_cache: _View | None = None
        self._wrote_since_checkpoint = False
        self._buffer: list[tuple[tuple, tuple]] | None = None  # rows of a bulk append

    # ------------------------------------------------------------------ lifecycle
    @classmethod
    def create(
        cls,
        path: str | os.PathLike,
        passphrase: bytes,
        profile: Profile | None = None,
        *,
        kdf: crypto.KdfParams | None = None,
        clock: Clock | None = None,
    ) -> Ledger:
        """Create a new ledger file (mode 0600); refuses to overwrite anything."""
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives.serialization import (
            Encoding,
            NoEncryption,
            PrivateFormat,
            PublicFormat,
        )

        path = Path(path)
        if not passphrase:
            raise BadInput("the passphrase is empty")
        if path.exists() or path.is_symlink():
            raise LedgerError(f"{path} already exists; refusing to overwrite it")
        if not path.parent.is_dir():
            raise LedgerError(f"the folder {path.parent} does not exist")
        params = kdf or crypto.KdfParams()
        params.check_user_choice()
        params = crypto.KdfParams(params.memory_kib, params.iterations, params.lanes, os.urandom(16))
        clock = clock or _utcnow

        ledger_id = os.urandom(16)
        ledger_key = os.urandom(crypto.KEY_LEN)
        kek = crypto.derive_kek(passphrase, params)
        keyring = crypto.Keyring(ledger_id, ledger_key)
        signing = Ed25519PrivateKey.generate()
        private_raw = signing.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        public_raw = signing.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

        old_umask = os.umask(0o077)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            os.close(fd)
            try:
                db = _connect(path, create=False)
            except sqlite3.Error as err:
                with contextlib.suppress(OSError):
                    os.unlink(path)
                raise db_failure(err, path) from None
        finally:
            os.umask(old_umask)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(schema.SCHEMA)
            meta = {
                "format": schema.FORMAT,
                "ledger_id": ledger_id,
                "created_at": _iso(clock()).encode(),
                "tool_version": __version__.encode(),
                "kdf": params.to_json(),
                "wrapped_ledger_key": crypto.wrap_ledger_key(kek, ledger_key, ledger_id),
                "signing_public_key": public_raw,
                "sealed_signing_key": keyring.seal_signing_key(private_raw),
            }
            db.execute("BEGIN IMMEDIATE")
            db.executemany("INSERT INTO meta(key, value) VALUES (?, ?)", meta.items())
            db.execute("COMMIT")
            ledger = cls(path, db, keyring, private_raw, public_raw, clock)
            with ledger.transaction():
                ledger._append("ledger", "ledger", {"tool": f"gdprkit {__version__}"})
                if profile is not None:
                    ledger._append("profile", "profile", _profile_payload(profile))
            return ledger
        except BaseException as err:
            db.close()
            for suffix in ("", "-wal", "-shm", "-journal"):
                with contextlib.suppress(OSError):
                    os.unlink(f"{path}{suffix}")
            if isinstance(err, sqlite3.Error):  # e.g. the disk is full
                raise db_failure(err, path) from None
            raise

    @classmethod
    def open(cls, path: str | os.PathLike, passphrase: bytes, *, clock: Clock | None = None) -> Ledger:
        """Open an existing ledger; WrongPassphrase if the passphrase does not fit."""
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

        path = Path(path)
        if not path.exists():
            raise LedgerError(f"no ledger at {path}")
        if not path.is_file():
            raise LedgerError(f"{path} is not a file")
        try:
            db = _connect(path, create=False)
        except sqlite3.OperationalError as err:
            raise db_failure(err, path, writing=False) from None
        except sqlite3.DatabaseError:
            raise LedgerError(f"{path} is not a gdprkit ledger") from None
        try:
            meta = dict(fetch_all(db, "SELECT key, value FROM meta"))
            app_id = db.execute("PRAGMA application_id").fetchone()[0]
        except sqlite3.OperationalError as err:
            db.close()
            if is_access_error(err) or "locked" in str(err).lower():
                raise db_failure(err, path, writing=False) from None
            raise LedgerError(f"{path} is not a gdprkit ledger") from None
        except sqlite3.DatabaseError:
            db.close()
            raise LedgerError(f"{path} is not a gdprkit ledger") from None
        try:
            _check_header_types(meta, app_id)
        except BaseException:
            db.close()
            raise
        if app_id != schema.APPLICATION_ID or meta.get("format") != schema.FORMAT:
            db.close()
            raise LedgerError(f"{path} is not a gdprkit ledger (or of an unknown version)")
        try:
            params = crypto.KdfParams.from_json(meta["kdf"])
            ledger_id = meta["ledger_id"]
            if len(ledger_id) != 16:
                raise TamperDetected("the ledger header's id is malformed")
            kek = crypto.derive_kek(passphrase, params)
            try:
                ledger_key = crypto.unwrap_ledger_key(kek, meta["wrapped_ledger_key"], ledger_id)
            except crypto.DecryptionFailed:
                raise _unwrap_failure(db, path, kek, meta["wrapped_ledger_key"],
                                      ledger_id) from None
            keyring = crypto.Keyring(ledger_id, ledger_key)
            try:
                private_raw = keyring.open_signing_key(meta["sealed_signing_key"])
                derived = Ed25519PrivateKey.from_private_bytes(private_raw).public_key()
            except (crypto.DecryptionFailed, ValueError):
                raise TamperDetected("the ledger's checkpoint signing key was altered") from None
            public_raw = meta["signing_public_key"]
            if derived.public_bytes(Encoding.Raw, PublicFormat.Raw) != public_raw:
                raise TamperDetected("the ledger's checkpoint public key was replaced")
        except KeyError as err:
            db.close()
            raise LedgerError(f"{path} is not a complete gdprkit ledger (missing {err})") from None
        except BaseException:
            db.close()
            raise
        return cls(path, db, keyring, private_raw, public_raw, clock or _utcnow)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --------------------------------------------------------------- transactions
    @contextlib.contextmanager
    def transaction(self) -> Iterator[Ledger]:
        """Group appends into one durable commit (with one checkpoint)."""
        if self._tx_depth:
            self._tx_depth += 1
            try:
                yield self
            finally:
                self._tx_depth -= 1
            return
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as err:
            raise db_failure(err, self.path) from None
        self._tx_depth = 1
        saved = (self._size, self._frontier.copy() if self._frontier is not None else None,
                 self._checkpoint_number)
        self._counters = {}
        self._wrote_since_checkpoint = False
        failure = None
        try:
            self._sync_tree()
            yield self
            self._flush()
            if self._wrote_since_checkpoint:
                self._write_checkpoint()
            self._db.execute("COMMIT")
        except BaseException as err:
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")
            self._size, self._frontier, self._checkpoint_number = saved
            self._view_cache = None
            if not isinstance(err, sqlite3.Error):
                raise
            # a read-only file or folder, a full disk, an I/O error: one clear
            # line; SQLite and the rollback above leave the stored data as it was
            failure = db_failure(err, self.path)
        finally:
            self._tx_depth = 0
        if failure is not None:
            raise failure from None

    def _sync_tree(self) -> None:
        from .merkle import Frontier

        row = fetch_one(self._db, "SELECT tree_size, root_hash, frontier, note FROM checkpoints "
                        "ORDER BY tree_size DESC LIMIT 1")
        max_seq = self._db.execute("SELECT COALESCE(MAX(seq), 0) FROM log").fetchone()[0]
        size = row[0] if row else 0
        if max_seq != size:
            raise TamperDetected(
                f"the log holds {max_seq} entries but the newest checkpoint covers {size}; "
                "run 'gdprkit verify'"
            )
        if size == self._size:
            return
        number = 0
        if row is None:
            frontier = Frontier()
        else:
            at = f"checkpoint at tree size {size} (the newest)"
            problems = type_problems((("its root_hash", row[1], "blob"),
                                      ("its frontier", row[2], "blob"), ("its note", row[3], "text")))
            if problems:
                raise TamperDetected(f"{at}: {problems[0]}; run 'gdprkit verify'")
            try:
                frontier = Frontier.from_bytes(row[2])
            except ValueError:
                raise TamperDetected(f"{at}: its stored tree state is corrupt; "
                                     "run 'gdprkit verify'") from None
            if frontier.size != size or frontier.root() != row[1]:
                raise TamperDetected(f"{at}: its stored tree state does not match its root; "
                                     "run 'gdprkit verify'")
            number = self._note_number(row[3], at)
        self._frontier, self._size, self._checkpoint_number = frontier, size, number

    @staticmethod
    def _note_number(note: str, at: str) -> int:
        """The sequence number in a stored checkpoint's text (0 if it has none)."""
        from ._verify import checkpoint_number
        from .note import parse_checkpoint, parse_note

        try:
            body, _sigs = parse_note(note)
            extensions = parse_checkpoint(body)[3]
        except GdprkitError:
            raise TamperDetected(f"{at}: its signed text is malformed; "
                                 "run 'gdprkit verify'") from None
        return checkpoint_number(extensions) or 0

    def _write_checkpoint(self) -> None:
        from .note import checkpoint_body, sign_note

        root = self._frontier.root()
        # The number makes the sequence of checkpoints gapless, under the
        # signature: verify reports a deleted intermediate checkpoint.
        number = self._checkpoint_number + 1
        body = checkpoint_body(self.origin, self._size, root, (f"checkpoint {number}",))
        signed = sign_note(body, self.origin, self._signing_private)
        self._checkpoint_number = number
        self._db.execute(
            "INSERT INTO checkpoints(tree_size, root_hash, note, frontier, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (self._size, root, signed, self._frontier.to_bytes(), _iso(self._clock())),
        )

    def _next_id(self, kind: str) -> str:
        prefix = _PREFIX[kind]
        if kind not in self._counters:
            self._flush()
            self._counters[kind] = self._view().last_id.get(kind, 0)
        self._counters[kind] += 1
        return f"{prefix}{self._counters[kind]}"

    def _append(self, kind: str, ref: str, payload: dict, *, aux: str = "",
                stream: BinaryIO | None = None, when: _dt.datetime | None = None) -> int:
        """Encrypt and append one entry; returns its sequence number.

        ``when`` is an incident's time, already parsed (saves the view a parse).
        """
        assert self._tx_depth, "appends happen inside a transaction"
        seq = self._size + 1
        cipher = self._keys.new_entry(seq, kind)
        chunk_hashes: list[bytes] = []
        if stream is not None:
            payload = dict(payload)
            size, digest, chunk_hashes = self._store_chunks(seq, cipher, stream)
            payload.update(size=size, sha256=digest, chunks=len(chunk_hashes),
                           chunk_size=crypto.CHUNK_SIZE)
        sealed = cipher.seal_payload(_dumps(payload))
        created = self._clock()
        if created.tzinfo is not _dt.UTC:
            created = created.astimezone(_dt.UTC)
        created_at = created.isoformat().replace("+00:00", "Z")
        if chunk_hashes:
            chash = schema.content_hash(cipher.wrapped, sealed, chunk_hashes)
            lh = leaf_hash(schema.leaf_data(self._keys.ledger_id, seq, kind, ref, created_at, aux,
                                            chash))
        else:
            lh = schema.entry_leaf_hash(self._keys.ledger_id, seq, kind, ref, created_at, aux,
                                        cipher.wrapped, sealed)
        log_row = (seq, kind, ref, created_at, aux, lh)
        content_row = (seq, cipher.wrapped, sealed)
        if self._buffer is not None:  # a bulk append: written by _flush, in order
            self._buffer.append((log_row, content_row))
        else:
            self._db.execute(_INSERT_LOG, log_row)
            self._db.execute(_INSERT_CONTENT, content_row)
        self._frontier.append(lh)
        self._size = seq
        self._wrote_since_checkpoint = True
        view = self._view_cache
        if view is not None and view.size == seq - 1 and kind != "shred":
            # keep the decrypted view current from the plaintext we hold
            view.seqs.setdefault(ref, []).append(seq)
            if kind in _PREFIX:
                view.last_id[kind] = max(view.last_id.get(kind, 0), _id_number(ref))
            self._apply_entry(view, seq, kind, ref, created, payload, when=when)
            view.size = seq
        return seq

    def _flush(self) -> None:
        """Write the rows a bulk append holds back (executemany: far fewer calls)."""
        if self._buffer:
            self._db.executemany(_INSERT_LOG, [log for log, _c in self._buffer])
            self._db.executemany(_INSERT_CONTENT, [c for _l, c in self._buffer])
            self._buffer.clear()

    def _store_chunks(self, seq: int, cipher: crypto.EntryCipher, stream: BinaryIO):
        """Encrypt a stream in fixed chunks; bounded memory whatever its size."""
        sha = hashlib.sha256()
        hashes: list[bytes] = []
        size = 0
        current = stream.read(crypto.CHUNK_SIZE)
        index = 0
        while True:
            nxt = stream.read(crypto.CHUNK_SIZE) if len(current) == crypto.CHUNK_SIZE else b""
            last = not nxt
            sha.update(current)
            size += len(current)
            ct = cipher.seal_chunk(index, current, last)
            hashes.append(hashlib.sha256(ct).digest())
            self._db.execute("INSERT INTO chunks(seq, idx, data) VALUES (?, ?, ?)", (seq, index, ct))
            if last:
                break
            current, index = nxt, index + 1
        return size, sha.hexdigest(), hashes

    # ------------------------------------------------------------------ reading
    def _rows(self, where: str = "", params: tuple = ()) -> list[tuple]:
        sql = (
            "SELECT l.seq, l.kind, l.ref, l.created_at, l.aux, c.wrapped_key, c.payload "
            "FROM log l LEFT JOIN content c ON c.seq = l.seq " + where + " ORDER BY l.seq"
        )
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.OperationalError as err:
            if not is_decode_error(err):
                raise db_failure(err, self.path, writing=False) from None
        except sqlite3.DatabaseError as err:
            raise db_failure(err, self.path, writing=False) from None
        # some text column holds bytes that are not UTF-8: name the entry
        with lenient_text(self._db):
            rows = self._db.execute(sql, params).fetchall()
        for row in rows:
            problems = type_problems(tuple(zip(("kind", "ref", "created_at", "aux"), row[1:5],
                                               ("text",) * 4, strict=True)))
            if problems:
                raise _altered(row[0], row[2], row[1], problems)
        return rows

    def _decrypt(self, seq: int, kind: str, ref: str, wrapped: bytes, payload: bytes) -> dict:
        if type(wrapped) is not bytes or type(payload) is not bytes:
            raise _altered(seq, ref, kind, type_problems((("wrapped_key", wrapped, "blob"),
                                                          ("payload", payload, "blob"))))
        try:
            cipher = self._keys.open_entry(seq, kind, wrapped)
            return json.loads(cipher.open_payload(payload))
        except (crypto.DecryptionFailed, ValueError):
            raise _altered(seq, ref, kind, ["does not decrypt"]) from None

    def _view(self) -> _View:
        """The decrypted state, brought up to date incrementally.

        Appends only add entries, so a cached view is extended with the entries
        after it.  A shred (which deletes content of earlier entries) or a
        rolled-back transaction makes the next call rebuild from scratch.
        """
        view = self._view_cache
        if self._tx_depth and view is not None and view.size == self._size:
            return view  # we hold the write lock: nobody else appended
        size = self._db.execute("SELECT COALESCE(MAX(seq), 0) FROM log").fetchone()[0]
        if view is not None and view.size == size:
            return view
        if view is not None and view.size < size:
            rows = self._rows("WHERE l.seq > ?", (view.size,))
            if all(kind != "shred" and wrapped is not None
                   for _s, kind, _r, _c, _a, wrapped, _p in rows):
                self._apply_rows(view, rows)
                view.size = size
                return view
        view = _View()
        rows = self._rows()
        # Shred entries follow their targets: read their reasons first.
        for seq, kind, ref, _c, _a, wrapped, payload in rows:
            if kind == "shred" and wrapped is not None:
                data = self._decrypt(seq, kind, ref, wrapped, payload)
                for target in data.get("targets", []):
                    view.shred_reason[target] = data.get("reason", "")
        self._apply_rows(view, rows)
        view.size = size
        self._view_cache = view
        return view

    def _apply_rows(self, view: _View, rows: list[tuple]) -> None:
        """Add log rows (in sequence order) to a view."""
        for seq, kind, ref, created_at, _aux, wrapped, payload in rows:
            if type(ref) is not str or type(kind) is not str:
                raise _altered(seq, ref, kind, type_problems((("kind", kind, "text"),
                                                              ("ref", ref, "text"))))
            try:
                created = _parse_ts(created_at)
            except (TypeError, ValueError, AttributeError):
                raise _altered(seq, ref, kind, type_problems(
                    (("created_at", created_at, "text"),)) or ["created_at is not a time"]) from None
            view.seqs.setdefault(ref, []).append(seq)
            if kind in _PREFIX:
                view.last_id[kind] = max(view.last_id.get(kind, 0), _id_number(ref))
            if wrapped is None:  # shredded (verify checks that a shred entry names it)
                reason = view.shred_reason.get(seq, "")
                self._add_shredded(view, seq, kind, ref, created, reason)
                if kind == "evidence" and ref in view.evidence_owner:
                    self._attach_evidence(view, view.evidence[ref], view.evidence_owner[ref])
                continue
            data = self._decrypt(seq, kind, ref, wrapped, payload)
            self._apply_entry(view, seq, kind, ref, created, data)

    def _apply_entry(self, view: _View, seq: int, kind: str, ref: str,
                     created: _dt.datetime | None, data: dict,
                     when: _dt.datetime | None = None) -> None:
        """Add one decrypted entry to a view."""
        from dataclasses import replace

        if kind == "profile":
            view.profile = Profile(**{k: data.get(k) for k in ("name", "email", "address", "country")},
                                   lang=data.get("lang") or "en")
        elif kind == "contact":
            view.contacts[ref] = Contact(
                id=ref, created_at=created, **{k: data.get(k) for k in _CONTACT_FIELDS}
            )
        elif kind == "evidence":
            ev = _evidence_from(ref, seq, data)
            view.evidence[ref] = ev
            self._attach_evidence(view, ev)
        elif kind == "incident":
            eids = data.get("evidence", [])
            view.wanted_evidence[ref] = eids
            view.evidence_owner.update(dict.fromkeys(eids, ref))
            view.incidents[ref] = Incident(
                id=ref, kind=data["kind"], contact=data["contact"],
                when=when or _incident_time(data), platform=data.get("platform"),
                note=data.get("note"), action=data.get("action") or "none",
                recorded_at=created, seq=seq,
            )
            for eid in eids:  # evidence logged before its incident (not written so today)
                if eid in view.evidence:
                    self._attach_evidence(view, view.evidence[eid], ref)
        elif kind == "request":
            view.requests[ref] = _request_from(ref, seq, created, data)
        elif kind == "recipient":
            # the addressee of a request, in its own entry so that shredding the
            # contact it belongs to erases it and leaves the request's history
            view.recipient_seq[ref] = seq
            owner = data.get("contact")
            if owner:
                view.recipient_copies.setdefault(owner, []).append(ref)
            req = view.requests.get(ref)
            if req is not None:
                view.requests[ref] = replace(
                    req, recipient_name=data.get("name") or "", recipient_email=data.get("email"),
                    recipient_address=data.get("address"), recipient_contact=owner)
        elif kind == "request-event":
            event = RequestEvent(type=data["type"], on=_dt.date.fromisoformat(data["on"]),
                                 note=data.get("note"), recorded_at=created, seq=seq)
            req = view.requests.get(ref)
            if req is not None:
                view.requests[ref] = replace(req, events=(*req.events, event))

    @staticmethod
    def _attach_evidence(view: _View, ev: Evidence, incident_id: str | None = None) -> None:
        """Put an evidence item into its incident's tuple, in the incident's order."""
        from dataclasses import replace

        iid = incident_id or ev.incident
        inc = view.incidents.get(iid)
        wanted = view.wanted_evidence.get(iid)
        if inc is None or not wanted or ev.id not in wanted:
            return
        if ev.shredded:
            ev = replace(ev, incident=iid)
        have = {e.id: e for e in inc.evidence}
        have[ev.id] = ev
        items = tuple(have[e] for e in wanted if e in have)
        view.incidents[iid] = replace(inc, evidence=items)

    @staticmethod
    def _add_shredded(view: _View, seq, kind, ref, created, reason) -> None:
        if kind == "contact":
            view.contacts[ref] = Contact(id=ref, name="[shredded]", created_at=created,
                                         shredded=True, shred_reason=reason)
        elif kind == "incident":
            view.incidents[ref] = Incident(id=ref, kind="other", contact="", when=created,
                                           recorded_at=created, seq=seq, shredded=True,
                                           shred_reason=reason)
        elif kind == "evidence":
            view.evidence[ref] = Evidence(id=ref, incident="", name="[shredded]", size=0, sha256="",
                                          acquired_at=created, acquired_by="", method="",
                                          seq=seq, shredded=True, shred_reason=reason)
        elif kind == "request":
            view.requests[ref] = Request(id=ref, kind="", lang="", format="", recipient_name="[shredded]",
                                         recipient_email=None, recipient_address=None,
                                         recipient_country=None, contact=None, incidents=(),
                                         sent=created.date(), due=None, sha256="", created_at=created,
                                         seq=seq, shredded=True, recipient_shredded=True)
        elif kind == "recipient":
            from dataclasses import replace

            view.recipient_seq[ref] = seq
            req = view.requests.get(ref)
            if req is not None:
                view.requests[ref] = replace(req, recipient_name="[shredded]", recipient_email=None,
                                             recipient_address=None, recipient_contact=None,
                                             recipient_shredded=True)

    # ------------------------------------------------------------------ profile
    def profile(self) -> Profile | None:
        return self._view().profile

    def set_profile(self, profile: Profile) -> None:
        payload = _profile_payload(profile)
        with self.transaction():
            self._append("profile", "profile", payload)

    # ------------------------------------------------------------------ contacts
    def add_contact(self, name: str, **fields) -> Contact:
        unknown = set(fields) - set(_CONTACT_FIELDS)
        if unknown:
            raise BadInput(f"unknown contact field(s): {', '.join(sorted(unknown))}")
        name = _clean_text(name, "the contact name", limit=5000)
        if not name or not name.strip():
            raise BadInput("the contact name is empty")
        data = {"name": name}
        for key, value in fields.items():
            if value is not None:
                data[key] = _clean_text(value, key.replace("_", " "), limit=5000)
        if data.get("country"):
            data["country"] = data["country"].upper()
        with self.transaction():
            ref = self._next_id("contact")
            self._append("contact", ref, data)
        return self.contact(ref)

    def contacts(self) -> list[Contact]:
        return sorted(self._view().contacts.values(), key=lambda c: int(c.id[1:]))

    def contact(self, contact_id: str) -> Contact:
        try:
            return self._view().contacts[contact_id]
        except KeyError:
            raise NotFound(f"no contact {contact_id!r}", hint="see 'gdprkit contact list'") from None

    def find_contact(self, *, email: str | None = None, profile_url: str | None = None) -> Contact | None:
        """The first contact (not shredded) with this e-mail or profile URL.

        E-mails compare without case; profile URLs in the normal form of
        :func:`gdprkit._urls.normalise_profile_url` on both sides (scheme,
        ``www.``, tracking query, fragment, trailing slash, case).
        """
        from .._urls import normalise_profile_url

        want_email = email.strip().lower() if email and email.strip() else None
        want_url = normalise_profile_url(profile_url)
        for c in self.contacts():
            if c.shredded:
                continue
            if want_email and c.email and c.email.strip().lower() == want_email:
                return c
            if want_url and c.profile_url and normalise_profile_url(c.profile_url) == want_url:
                return c
        return None

    # ------------------------------------------------------------------ incidents
    def log_incident(
        self,
        kind: str,
        contact_id: str,
        *,
        when: _dt.datetime | None = None,
        platform: str | None = None,
        note: str | None = None,
        action: str = "none",
        evidence: Sequence[EvidenceInput] = (),
    ) -> Incident:
        """Record an incident and stream its evidence into the ledger."""
        with self.transaction():
            ref = self._log_one(IncidentInput(kind, contact_id, when, platform, note, action,
                                              tuple(evidence)))
        return self.incident(ref)

    def log_incidents(self, items: Iterable[IncidentInput]) -> list[Incident]:
        """Record many incidents in one transaction: one commit, one checkpoint.

        All or nothing: a bad item (unknown contact, missing evidence file)
        raises and nothing of the call is stored.  Rows are written in
        batches, which makes this several times faster than calling
        :meth:`log_incident` in a loop inside :meth:`transaction`.
        """
        refs: list[str] = []
        with self.transaction():
            outer = self._buffer
            if outer is None:
                self._buffer = []
            try:
                for item in items:
                    refs.append(self._log_one(item))
                    if len(self._buffer) >= 512:
                        self._flush()
                self._flush()
            finally:
                if outer is None:
                    self._buffer = None
        view = self._view()
        return [view.incidents[r] for r in refs]

    def _log_one(self, item: IncidentInput) -> str:
        """Validate and append one incident with its evidence (inside a transaction)."""
        kind = IncidentKind.parse(item.kind).value
        action = Action.parse(item.action or "none").value
        contact = self.contact(item.contact)
        if contact.shredded:
            raise BadInput(f"contact {item.contact} was shredded; add the contact again")
        note = _clean_text(item.note, "the note")
        platform = _clean_text(item.platform, "the platform", limit=200)
        # the instant in UTC, and the offset it was given in (now: the local zone's)
        when = item.when or self._clock().astimezone()
        if when.tzinfo is None:
            when = when.astimezone()
        if not date_in_range(when):
            raise BadInput(f"the incident time {when.isoformat()} is out of range",
                           hint=f"gdprkit accepts dates {DATE_RANGE_TEXT}")
        offset = offset_seconds(when)
        when = when.astimezone(fixed_offset(offset))
        # custody source (platform, message id): the incident's platform unless given
        prepared = [self._prepare_evidence(ev, default_source=platform) for ev in item.evidence]
        try:
            ref = self._next_id("incident")
            eids = [self._next_id("evidence") for _ in prepared]
            when_iso = _iso(when)
            self._append("incident", ref, {
                "kind": kind, "contact": item.contact, "when": when_iso, "utc_offset": offset,
                "platform": platform, "note": note, "action": action, "evidence": eids,
            }, when=when)
            for eid, (meta, stream) in zip(eids, prepared, strict=True):
                self._append("evidence", eid, dict(meta, incident=ref), stream=stream)
        finally:
            for _meta, stream in prepared:
                stream.close()
        return ref

    def _prepare_evidence(self, ev: EvidenceInput, *, default_source: str | None = None):
        import io

        given = sum(x is not None for x in (ev.path, ev.data, ev.opener))
        if given != 1:
            raise BadInput("an evidence item needs exactly one of a path, data or an opener")
        if ev.opener is not None:
            stream = ev.opener()
        elif ev.path is not None:
            p = Path(ev.path)
            if not p.is_file():
                raise BadInput(f"evidence file not found: {ev.path}")
            try:
                stream = open(p, "rb")  # noqa: SIM115 - closed by log_incident
            except OSError as err:
                raise BadInput(f"cannot read evidence file {ev.path}: {err.strerror}") from None
        else:
            stream = io.BytesIO(ev.data)
        name = _clean_text(ev.name or (Path(ev.path).name if ev.path else "evidence"),
                           "the evidence name", limit=1000)
        method = EvidenceMethod.parse(ev.method or "file").value
        acquired_by = ev.acquired_by
        if not acquired_by:
            prof = self.profile()
            acquired_by = prof.name if prof and prof.name else getpass.getuser()
        meta = {
            "name": name,
            "method": method,
            "source": _clean_text(ev.source or default_source, "the evidence source",
                                  limit=2000),
            "acquired_by": acquired_by,
            "acquired_at": _iso(ev.acquired_at or self._clock()),
            "tool_version": f"gdprkit {__version__}",
            "media_type": ev.media_type or mimetypes.guess_type(name)[0]
            or "application/octet-stream",
        }
        return meta, stream

    def incidents(self, *, contact: str | None = None, kind: str | None = None,
                  since: _dt.date | None = None) -> list[Incident]:
        if kind is not None:
            kind = IncidentKind.parse(kind).value
        if contact is not None:
            self.contact(contact)
        out = []
        for inc in self._view().incidents.values():
            if inc.shredded:
                if contact is None and kind is None and since is None:
                    out.append(inc)
                continue
            if contact and inc.contact != contact:
                continue
            if kind and inc.kind != kind:
                continue
            if since and inc.when.date() < since:  # the day where it happened
                continue
            out.append(inc)
        return sorted(out, key=lambda i: (i.seq or 0))

    def incident(self, incident_id: str) -> Incident:
        try:
            return self._view().incidents[incident_id]
        except KeyError:
            raise NotFound(f"no incident {incident_id!r}", hint="see 'gdprkit incidents'") from None

    def evidence(self, evidence_id: str) -> Evidence:
        try:
            return self._view().evidence[evidence_id]
        except KeyError:
            raise NotFound(f"no evidence {evidence_id!r}") from None

    def read_evidence(self, evidence_id: str, out: BinaryIO) -> None:
        """Write an evidence item's original bytes to ``out``, checking its SHA-256."""
        ev = self.evidence(evidence_id)
        if ev.shredded:
            raise NotFound(f"evidence {evidence_id} was shredded ({ev.shred_reason or 'no reason'})")
        bad = TamperDetected(f"evidence {evidence_id} (entry {ev.seq}) was altered in the ledger; "
                             "run 'gdprkit verify' for a full report")
        try:
            row = fetch_one(self._db, "SELECT wrapped_key, payload FROM content WHERE seq = ?",
                            (ev.seq,))
            if row is None:
                raise bad
            data = self._decrypt(ev.seq, "evidence", evidence_id, row[0], row[1])
            cipher = self._keys.open_entry(ev.seq, "evidence", row[0])
            n = data["chunks"]
            sha = hashlib.sha256()
            size = 0
            expected = 0
            for idx, blob in self._db.execute(
                "SELECT idx, data FROM chunks WHERE seq = ? ORDER BY idx", (ev.seq,)
            ):
                if idx != expected or idx >= n or type(blob) is not bytes:
                    raise bad
                try:
                    plain = cipher.open_chunk(idx, blob, idx == n - 1)
                except crypto.DecryptionFailed:
                    raise bad from None
                sha.update(plain)
                size += len(plain)
                out.write(plain)
                expected += 1
        except sqlite3.DatabaseError as err:
            # a chunk cast to text that is not UTF-8 fails while it is fetched
            raise (bad if is_decode_error(err) else db_failure(err, self.path, writing=False)) \
                from None
        if expected != n or sha.hexdigest() != data["sha256"] or size != data["size"]:
            raise bad

    def evidence_bytes(self, evidence_id: str) -> bytes:
        import io

        buf = io.BytesIO()
        self.read_evidence(evidence_id, buf)
        return buf.getvalue()

    # ------------------------------------------------------------------ requests
    def add_request(self, *, kind: str, lang: str, format: str, recipient_name: str,
                    recipient_email: str | None = None, recipient_address: str | None = None,
                    recipient_country: str | None = None, contact: str | None = None,
                    incidents: Sequence[str] = (), sent: _dt.date, due: _dt.date | None,
                    sha256: str, related_request: str | None = None,
                    recipient_contact: str | EllipsisType | None = ...) -> Request:
        """Record a generated letter as a request (the lifecycle unit).

        The recipient (name, e-mail, address) is stored in an entry of its own
        that follows the request's.  ``recipient_contact`` says whose personal
        data that recipient is: by default ``contact`` when the letter is
        addressed to them (every kind but a complaint, which goes to an
        authority, and a platform report; a reminder follows the request it
        reminds of), else None.  Shredding that contact erases the recipient
        entry and keeps the request: kind, dates, deadline, events.
        """
        if contact is not None and self.contact(contact).shredded:
            raise BadInput(f"contact {contact} was shredded")
        for iid in incidents:
            self.incident(iid)
        related = self.request(related_request) if related_request is not None else None
        if recipient_contact is ...:
            if kind in ("complaint", "platform-report"):
                recipient_contact = None
            elif kind == "reminder" and related is not None:
                recipient_contact = related.recipient_contact
            else:
                recipient_contact = contact
        data = {
            "kind": kind, "lang": lang, "format": format,
            "recipient_country": recipient_country, "contact": contact,
            "incidents": list(incidents), "sent": sent.isoformat(),
            "due": due.isoformat() if due else None, "sha256": sha256,
            "related_request": related_request,
        }
        recipient = {"name": recipient_name, "email": recipient_email,
                     "address": recipient_address, "contact": recipient_contact}
        with self.transaction():
            ref = self._next_id("request")
            self._append("request", ref, data)
            self._append("recipient", ref, recipient)
        return self.request(ref)

    def add_request_event(self, request_id: str, type: str, on: _dt.date,
                          note: str | None = None, **extra) -> RequestEvent:
        """Append a lifecycle event to a request (validation is the caller's)."""
        req = self.request(request_id)
        if req.shredded:
            raise BadInput(f"request {request_id} was shredded")
        data = {"type": type, "on": on.isoformat(), "note": _clean_text(note, "the note")}
        data.update(extra)
        with self.transaction():
            self._append("request-event", request_id, data)
        return self.request(request_id).events[-1]

    def requests(self) -> list[Request]:
        return sorted(self._view().requests.values(), key=lambda r: int(r.id[1:]))

    def request(self, request_id: str) -> Request:
        try:
            return self._view().requests[request_id]
        except KeyError:
            raise NotFound(f"no request {request_id!r}", hint="see 'gdprkit requests'") from None

    def get(self, any_id: str):
        """A contact, incident, evidence item or request by its id."""
        kind = _KIND_OF_PREFIX.get(any_id[:1]) if any_id else None
        if kind is None or not any_id[1:].isdigit():
            raise NotFound(f"{any_id!r} is not an id", hint="ids look like c1, i2, e3, r4")
        return {"contact": self.contact, "incident": self.incident,
                "evidence": self.evidence, "request": self.request}[kind](any_id)

    # ------------------------------------------------------------------ integrity
    def checkpoint(self) -> Checkpoint:
        """The newest signed checkpoint (its signature checked)."""
        from .note import parse_checkpoint, verify_note

        row = fetch_one(self._db, "SELECT tree_size, root_hash, note FROM checkpoints "
                        "ORDER BY tree_size DESC LIMIT 1")
        if row is None:
            raise TamperDetected("the ledger has no checkpoint")
        at = f"checkpoint at tree size {row[0]} (the newest)"
        problems = type_problems((("its root_hash", row[1], "blob"), ("its note", row[2], "text")))
        if problems:
            raise TamperDetected(f"{at}: {problems[0]}; run 'gdprkit verify'")
        try:
            # what leaves the ledger (letters, dossiers, checkpoint -o) must be authentic
            body = verify_note(row[2], self.origin, self.public_key)
            origin, size, root, _ext = parse_checkpoint(body)
        except GdprkitError as err:
            raise TamperDetected(f"{at} is not validly signed ({err}); "
                                 "run 'gdprkit verify'") from None
        if origin != self.origin or size != row[0] or root != row[1]:
            raise TamperDetected(f"{at}: its signed text does not match its row; "
                                 "run 'gdprkit verify'")
        return Checkpoint(origin=origin, tree_size=size, root_hash=root, note=row[2],
                          key_name=self.origin, public_key=self.public_key)

    def verifier_key(self) -> str:
        """The checkpoint verifier key in the C2SP vkey text form."""
        from .note import verifier_key

        return verifier_key(self.origin, self.public_key)

    @property
    def key_fingerprint(self) -> str:
        return "SHA256:" + hashlib.sha256(self.public_key).hexdigest()

    def leaf_hashes(self) -> list[bytes]:
        rows = fetch_all(self._db, "SELECT seq, leaf_hash FROM log ORDER BY seq")
        for seq, leaf in rows:
            if type(leaf) is not bytes or len(leaf) != 32:
                raise _altered(seq, None, None, type_problems((("leaf_hash", leaf, "blob"),))
                               or ["leaf_hash is not 32 bytes"])
        return [leaf for _seq, leaf in rows]

    def entry_index(self, any_id: str) -> list[int]:
        """Leaf indexes (seq - 1) of the entries behind an id."""
        self.get(any_id)
        return [s - 1 for s in self._view().seqs.get(any_id, [])]

    def verify(self, against: str | None = None) -> VerifyReport:
        """Check everything; return the report, or raise TamperDetected carrying it."""
        from ._verify import verify_ledger

        return verify_ledger(self, against)

    def recipient_copies(self, contact_id: str) -> list[str]:
        """Requests whose recipient entry holds this contact's details (not shredded)."""
        self.contact(contact_id)
        view = self._view()
        return [r for r in view.recipient_copies.get(contact_id, [])
                if view.recipient_seq.get(r) not in view.shred_reason]

    def naming(self, contact_id: str) -> list[str]:
        """Incidents and evidence items (not shredded) whose note or custody metadata
        contains the contact's name, e-mail address, profile URL or organisation
        e-mail (case-insensitive): what still names them after their fields
        are shredded.  Evidence files themselves are not searched: a message
        from the contact names them anyway."""
        c = self.contact(contact_id)
        if c.shredded:
            return []
        needles = [v.casefold() for v in (c.name, c.email, c.profile_url, c.org_email)
                   if v and len(v.strip()) >= 3]
        out = []
        for inc in self.incidents():
            if inc.shredded:
                continue
            texts = [inc.note, inc.platform]
            if any(t and any(n in t.casefold() for n in needles) for t in texts):
                out.append(inc.id)
            for ev in inc.evidence:
                if not ev.shredded and any(
                        t and any(n in t.casefold() for n in needles)
                        for t in (ev.name, ev.source)):
                    out.append(ev.id)
        return out

    def shred(self, any_id: str, reason: str, *, with_incidents: bool = False) -> list[str]:
        """Crypto-erase the content behind an id; returns the ids shredded.

        An incident: the incident and its evidence.  A request: the request,
        its recipient and its events.  A contact: the contact's fields and
        every copy of them in other entries, which is the recipient of each
        request addressed to them (see :meth:`recipient_copies`); the requests
        keep their history.  Their incidents and evidence are the requester's
        record of what the contact did and stay, unless ``with_incidents``
        (then they are shredded too, in the same shred entry); a contact
        already shredded may be given again with ``with_incidents``.
        """
        reason = _clean_text(reason, "the reason", limit=2000)
        if not reason or not reason.strip():
            raise BadInput("a shred needs a reason (--reason)")
        obj = self.get(any_id)
        if with_incidents and not isinstance(obj, Contact):
            raise BadInput("--with-incidents goes with a contact id (c1, ...)")
        view = self._view()
        ids = [] if getattr(obj, "shredded", False) else [any_id]
        copies: list[str] = []
        if isinstance(obj, Incident):
            ids += [e.id for e in obj.evidence if not e.shredded]
        targets = [s for i in ids for s in view.seqs.get(i, [])]
        if isinstance(obj, Contact):
            copies = self.recipient_copies(any_id)
            targets += [view.recipient_seq[r] for r in copies]
            if with_incidents:
                for inc in self.incidents(contact=any_id):
                    if not inc.shredded:
                        ids += [inc.id] + [e.id for e in inc.evidence if not e.shredded]
                        targets += [s for i in [inc.id, *(e.id for e in inc.evidence)]
                                    for s in view.seqs.get(i, [])]
        targets = sorted({s for s in targets if s not in view.shred_reason})
        if not targets:
            raise BadInput(f"{any_id} is already shredded"
                           + (" and has no incidents left" if with_incidents else ""))
        with self.transaction():
            shred_seq = self._size + 1
            self._db.executemany("INSERT INTO shreds(target, shred_seq) VALUES (?, ?)",
                                 [(t, shred_seq) for t in targets])
            record = {"reason": reason, "targets": targets, "ids": ids}
            if copies:
                record["recipients_of"] = copies
            self._append("shred", any_id, record, aux="targets=" + ",".join(map(str, targets)))
            marks = ",".join("?" * len(targets))
            self._db.execute(f"DELETE FROM chunks WHERE seq IN ({marks})", targets)
            self._db.execute(f"DELETE FROM content WHERE seq IN ({marks})", targets)
        self._flush_wal()
        return ids

    def change_passphrase(self, new_passphrase: bytes) -> None:
        """Re-wrap the ledger key under a new passphrase; content is untouched."""
        if not new_passphrase:
            raise BadInput("the new passphrase is empty")
        current = crypto.KdfParams.from_json(
            self._db.execute("SELECT value FROM meta WHERE key='kdf'").fetchone()[0])
        params = crypto.KdfParams(max(current.memory_kib, crypto.KdfParams.MIN_MEMORY_KIB),
                                  current.iterations, current.lanes, os.urandom(16))
        kek = crypto.derive_kek(new_passphrase, params)
        wrapped = crypto.wrap_ledger_key(kek, self._keys.ledger_key, self._keys.ledger_id)
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as err:
            raise db_failure(err, self.path) from None
        try:
            self._db.execute("UPDATE meta SET value=? WHERE key='kdf'", (params.to_json(),))
            self._db.execute("UPDATE meta SET value=? WHERE key='wrapped_ledger_key'", (wrapped,))
            self._db.execute("COMMIT")
        except BaseException as err:
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")
            if isinstance(err, sqlite3.Error):
                raise db_failure(err, self.path) from None
            raise
        self._flush_wal()

    def _flush_wal(self) -> None:
        # secure_delete zeroes freed pages in the main file; truncating the WAL
        # removes the old copies of shredded or re-wrapped data from it too.
        with contextlib.suppress(sqlite3.Error):
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # ------------------------------------------------------------------ export
    def export_dict(self) -> dict:
        """Everything, decrypted (for `export json`)."""
        from dataclasses import asdict

        cp = self.checkpoint()
        return {
            "format": "gdprkit-export/1",
            "ledger_id": self.ledger_id,
            "checkpoint": {"origin": cp.origin, "tree_size": cp.tree_size,
                           "root_hash": cp.root_hex, "note": cp.note},
            "verifier_key": self.verifier_key(),
            "profile": asdict(self.profile()) if self.profile() else None,
            "contacts": [asdict(c) for c in self.contacts()],
            "incidents": [i.to_dict() for i in self.incidents()],
            "requests": [asdict(r) for r in self.requests()],
        }


def _profile_payload(profile: Profile) -> dict:
    data = {}
    for key in ("name", "email", "address", "country", "lang"):
        value = getattr(profile, key)
        if value is not None:
            data[key] = _clean_text(value, key, limit=5000)
    if data.get("country"):
        data["country"] = data["country"].upper()
    return data


def _evidence_from(ref: str, seq: int, d: dict) -> Evidence:
    return Evidence(
        id=ref, incident=d["incident"], name=d["name"], size=d["size"], sha256=d["sha256"],
        acquired_at=_parse_ts(d["acquired_at"]), acquired_by=d.get("acquired_by") or "",
        method=d.get("method") or "file", source=d.get("source"),
        tool_version=d.get("tool_version") or "", media_type=d.get("media_type"), seq=seq,
    )


def _request_from(ref: str, seq: int, created, d: dict) -> Request:
    # the recipient comes from the "recipient" entry that follows (ledgers made
    # before it was split off kept it here)
    return Request(
        id=ref, kind=d["kind"], lang=d["lang"], format=d["format"],
        recipient_name=d.get("recipient_name") or "", recipient_email=d.get("recipient_email"),
        recipient_address=d.get("recipient_address"),
        recipient_country=d.get("recipient_country"), contact=d.get("contact"),
        incidents=tuple(d.get("incidents") or ()), sent=_dt.date.fromisoformat(d["sent"]),
        due=_dt.date.fromisoformat(d["due"]) if d.get("due") else None, sha256=d["sha256"],
        related_request=d.get("related_request"), created_at=created, seq=seq,
    )
