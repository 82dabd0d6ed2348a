"""Reading a ledger file that may have been edited, and SQLite failures.

An attacker with the file can change a column's storage type (``UPDATE content
SET payload=CAST(payload AS TEXT)``), which the schema's column types do not
prevent.  The sqlite3 module then either returns another Python type (str,
int, float instead of bytes; bytes instead of str) or, for text that is not
UTF-8, raises ``OperationalError: Could not decode to UTF-8 column ...`` while
fetching the row.  The hot paths keep the fast default text factory; when a
fetch raises that error, the caller fetches again under :func:`lenient_text`,
which turns such text into a ``str`` with surrogate escapes, and then reports
the column by its type (:func:`type_problem`).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from ..errors import GdprkitError, LedgerError, LedgerLocked, TamperDetected

# SQLite primary result codes (sqlite3.h)
_PERM, _BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = (
    3, 5, 6, 8, 10, 11, 13, 14, 26)

_STORAGE = {bytes: "blob", str: "text", int: "integer", float: "real", type(None): "null"}


def is_decode_error(err: BaseException) -> bool:
    """True for the sqlite3 module's failure to decode a TEXT value as UTF-8."""
    return isinstance(err, sqlite3.OperationalError) and "could not decode" in str(err).lower()


def _lenient(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


@contextlib.contextmanager
def lenient_text(db: sqlite3.Connection) -> Iterator[None]:
    """Decode TEXT values without ever raising (invalid bytes become surrogates)."""
    old = db.text_factory
    db.text_factory = _lenient
    try:
        yield
    finally:
        db.text_factory = old


def fetch_all(db: sqlite3.Connection, sql: str, params: tuple = ()) -> list[tuple]:
    """All rows of a query; text that is not UTF-8 is read leniently, not raised."""
    try:
        return db.execute(sql, params).fetchall()
    except sqlite3.OperationalError as err:
        if not is_decode_error(err):
            raise
    with lenient_text(db):
        return db.execute(sql, params).fetchall()


def fetch_one(db: sqlite3.Connection, sql: str, params: tuple = ()) -> tuple | None:
    rows = fetch_all(db, sql, params)
    return rows[0] if rows else None


def storage(value: object) -> str:
    """The SQLite storage class a fetched value came from."""
    return _STORAGE.get(type(value), type(value).__name__)


def valid_text(value: object) -> bool:
    """A str that holds valid UTF-8 (no surrogates from :func:`lenient_text`)."""
    if type(value) is not str:
        return False
    if value.isascii():
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def type_problem(name: str, value: object, want: str) -> str | None:
    """``"payload is not a blob (stored as text)"`` when ``value`` is not of ``want``.

    ``want`` is ``"blob"``, ``"text"`` or ``"integer"``.
    """
    if want == "blob":
        if type(value) is bytes:
            return None
        return f"{name} is not a blob (stored as {storage(value)})"
    if want == "text":
        if type(value) is str:
            return None if valid_text(value) else f"{name} is not valid UTF-8 text"
        return f"{name} is not text (stored as {storage(value)})"
    if type(value) is int:
        return None
    return f"{name} is not an integer (stored as {storage(value)})"


def type_problems(columns: tuple[tuple[str, object, str], ...]) -> list[str]:
    """Every ``type_problem`` of ``(name, value, want)`` triples; ``None`` values are skipped."""
    out = []
    for name, value, want in columns:
        if value is None:
            continue
        problem = type_problem(name, value, want)
        if problem:
            out.append(problem)
    return out


def as_blob(value: object) -> bytes:
    """The bytes SQLite's ``CAST(value AS BLOB)`` gives (for hashing a mistyped value)."""
    if type(value) is bytes:
        return value
    if type(value) is str:
        return value.encode("utf-8", "surrogateescape")
    if value is None:
        return b""
    return str(value).encode("ascii")


def shown(value: object) -> str | None:
    """``value`` if it is printable as an id or kind in a message, else None."""
    return value if valid_text(value) else None


def primary_code(err: sqlite3.Error) -> int | None:
    """SQLite's primary result code of an error (None when Python raised it)."""
    code = getattr(err, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def is_access_error(err: sqlite3.Error) -> bool:
    """The file or its folder cannot be used (permissions, read-only, I/O), as
    opposed to a file that is not a ledger."""
    return primary_code(err) in (_PERM, _READONLY, _IOERR, _CANTOPEN, _FULL)


def db_failure(err: sqlite3.Error, path: Path | str, *, writing: bool = True) -> GdprkitError:
    """A one-line error for a failure SQLite reported while using the ledger.

    A write that fails with one of these codes is rolled back by SQLite (and by
    the transaction that ran it), so for a read-only file or a full disk
    nothing stored has changed.  An I/O error during a commit is the one case
    SQLite cannot promise that, so that message asks for a ``verify``.
    """
    if is_decode_error(err):
        return TamperDetected(
            f"a stored value in the ledger {path} is not valid text: the file was altered; "
            "run 'gdprkit verify' for a full report")
    primary = primary_code(err)
    text = str(err).lower()
    if primary in (_BUSY, _LOCKED) or "locked" in text or "busy" in text:
        return LedgerLocked(f"the ledger {path} is locked by another process; try again")
    doing = "write to" if writing else "read"
    unchanged = "; nothing was changed" if writing else ""
    folder = ("check the permissions and the immutable flag of the file and of its folder, "
              "where SQLite keeps the -wal and -shm files")
    if primary == _READONLY or "readonly" in text:
        return LedgerError(f"cannot {doing} the ledger {path}: it is read-only{unchanged}",
                           hint=folder)
    if primary == _FULL or "disk is full" in text:
        return LedgerError(f"cannot {doing} the ledger {path}: the disk is full{unchanged}")
    if primary in (_CORRUPT, _NOTADB):
        return TamperDetected(f"the ledger file {path} is damaged ({err}); "
                              "run 'gdprkit verify' for a full report")
    if primary in (_CANTOPEN, _PERM):
        return LedgerError(f"cannot {doing} the ledger {path}: {err}{unchanged}", hint=folder)
    if primary == _IOERR:
        return LedgerError(f"cannot {doing} the ledger {path}: {err}",
                           hint="check the disk" + ("; then run 'gdprkit verify'" if writing
                                                    else ""))
    return LedgerError(f"cannot use the ledger {path}: {err}")
