"""Full verification of a ledger file (``gdprkit verify``).

Checks, in order: SQLite integrity; the header (KDF bounds and signing key
were checked when opening); a gapless log; every entry's ciphertext against
its leaf hash; that every entry decrypts and every evidence file matches its
SHA-256; that content is missing only where a shred entry names it; every
stored checkpoint (its root against the tree recomputed from the leaves, its
stored tree state, its Ed25519 signature, and a gapless checkpoint sequence);
and, with ``against``, consistency with a checkpoint kept outside the ledger.
Problems name the entry or the checkpoint; nothing stops at the first one.

Every column is checked for its storage type too: an edit such as
``CAST(payload AS TEXT)`` keeps the bytes but is still an edit, and it must
not crash the check (see :mod:`._sql`).
"""

from __future__ import annotations

import hashlib
import sqlite3

from ..errors import TamperDetected
from ..model import VerifyReport
from . import crypto, schema
from ._sql import as_blob, db_failure, is_decode_error, lenient_text, shown, type_problems

_ZERO_HASH = bytes(32)


def _problem(report: VerifyReport, message: str, *, entry: int | None = None,
             ref: str | None = None, kind: str | None = None, **extra) -> None:
    item = {"entry": entry, "id": shown(ref), "kind": shown(kind), "problem": message}
    item.update(extra)
    report.problems.append(item)


def verify_ledger(ledger, against: str | None = None) -> VerifyReport:
    """Check everything; return the report, or raise TamperDetected carrying it."""
    try:
        return _verify(ledger, against)
    except sqlite3.OperationalError as err:
        if not is_decode_error(err):
            raise db_failure(err, ledger.path, writing=False) from None
    except sqlite3.DatabaseError as err:
        raise db_failure(err, ledger.path, writing=False) from None
    # Some TEXT value is not UTF-8 (a blob cast to text): check again, reading
    # text leniently, so that the column is reported instead of crashing.
    try:
        with lenient_text(ledger._db):
            return _verify(ledger, against)
    except sqlite3.DatabaseError as err:
        raise db_failure(err, ledger.path, writing=False) from None


def _where(row) -> dict:
    """How a problem names the entry of a log row."""
    return {"entry": row[0], "ref": row[2], "kind": row[1]}


def _text_types(row) -> list[str]:
    """Problems with the text columns of a log row (blob columns: see _mistyped)."""
    _seq, kind, ref, created_at, aux = row[:5]
    return type_problems((("kind", kind, "text"), ("ref", ref, "text"),
                          ("created_at", created_at, "text"), ("aux", aux, "text")))


def _verify(ledger, against: str | None) -> VerifyReport:
    from .merkle import Frontier

    db = ledger._db
    keys = ledger._keys
    report = VerifyReport()

    result = db.execute("PRAGMA integrity_check").fetchall()
    if result != [("ok",)]:
        _problem(report, "SQLite integrity check failed: "
                 + "; ".join(str(r[0]) for r in result[:3]))

    shreds: dict[int, int] = {}
    for target, shred_seq in db.execute("SELECT target, shred_seq FROM shreds"):
        if type(shred_seq) is not int:
            _problem(report, f"the shred record of entry {target} is malformed "
                     "(shred_seq is not an integer)", entry=target)
            continue
        shreds[target] = shred_seq
    shred_targets_named: dict[int, set[int]] = {}
    chunk_rows = db.execute("SELECT DISTINCT seq FROM chunks").fetchall()
    seqs_with_chunks = {r[0] for r in chunk_rows}
    checkpoints = {
        size: (root, note, frontier)
        for size, root, note, frontier in db.execute(
            "SELECT tree_size, root_hash, note, frontier FROM checkpoints")
    }
    report.checkpoints = len(checkpoints)
    numbers: list[tuple[int, int | None]] = []  # (tree size, checkpoint number) in order

    frontier = Frontier()
    leaf_hashes: list[bytes] = []
    open_fast, fast_leaf, lid = keys.open_payload_fast, schema.entry_leaf_hash, keys.ledger_id
    expected_seq = 1
    rows = db.execute(
        "SELECT l.seq, l.kind, l.ref, l.created_at, l.aux, l.leaf_hash, c.wrapped_key, c.payload "
        "FROM log l LEFT JOIN content c ON c.seq = l.seq ORDER BY l.seq"
    )
    append_leaf, append_tree = leaf_hashes.append, frontier.append
    for row in rows:
        seq, kind, ref, created_at, aux, stored_leaf, wrapped, payload = row
        if seq != expected_seq:
            _problem(report, f"entries {expected_seq}..{seq - 1} are missing from the log "
                     "(deleted rows)", entry=expected_seq)
        expected_seq = seq + 1

        if (type(stored_leaf) is not bytes or len(stored_leaf) != 32
                or (wrapped is not None and (type(wrapped) is not bytes
                                             or type(payload) is not bytes))):
            stored_leaf, wrapped, payload = _mistyped(report, row, _where(row))
        try:
            if kind == "shred":
                try:
                    targets = {int(t) for t in aux.removeprefix("targets=").split(",") if t}
                except ValueError:
                    targets = set()
                    _problem(report, "shred entry names its targets in a malformed way",
                             **_where(row))
                shred_targets_named[seq] = targets

            if wrapped is None:
                where = _where(row)
                for message in _text_types(row):
                    _problem(report, message, **where)
                if seq not in shreds:
                    _problem(report, "content was deleted without a shred entry naming it",
                             **where)
                else:
                    report.shredded += 1
                if seq in seqs_with_chunks:
                    _problem(report, "shredded entry still has evidence chunks", **where)
            elif seq not in seqs_with_chunks and kind != "evidence":
                # the common case, kept tight: decrypt, then recompute the leaf
                try:
                    open_fast(seq, kind, wrapped, payload)
                except crypto.DecryptionFailed:
                    _problem(report, "does not decrypt (ciphertext, key or position altered)",
                             **_where(row))
                if fast_leaf(lid, seq, kind, ref, created_at, aux, wrapped,
                             payload) != stored_leaf:
                    _problem(report, "stored bytes do not match the entry's leaf hash",
                             **_where(row))
            else:
                _check_entry(report, ledger, keys, seq, kind, ref, created_at, aux,
                             stored_leaf, wrapped, payload, _where(row),
                             has_chunks=seq in seqs_with_chunks)
        except (TypeError, AttributeError, UnicodeError):
            # a clear column of another type (bytes for text, text with bytes
            # that are not UTF-8): name it; anything else is a bug
            problems = _text_types(row)
            if not problems:
                raise
            for message in problems:
                _problem(report, message, **_where(row))
        append_leaf(stored_leaf)
        append_tree(stored_leaf)

        cp = checkpoints.get(frontier.size)
        if cp is not None:
            numbers.append((frontier.size, _check_checkpoint(report, ledger, frontier, cp)))
    report.entries = len(leaf_hashes)

    size = frontier.size
    report.tree_size = size
    report.root_hash = frontier.root().hex()

    # Shred bookkeeping: every shredded seq is named by the shred entry recorded for it.
    for target, shred_seq in shreds.items():
        if target not in shred_targets_named.get(shred_seq, set()):
            _problem(report, f"entry {target} is marked shredded by entry {shred_seq}, "
                     "which does not name it", entry=target)
        if target >= shred_seq:
            _problem(report, f"entry {target} is shredded by an earlier entry {shred_seq}",
                     entry=target)

    # Content and evidence chunks of entries the log does not hold (beyond its
    # ends; rows of deleted log entries inside it were reported as a gap).
    for (seq,) in db.execute("SELECT seq FROM content WHERE seq < 1 OR seq > ?", (size,)):
        _problem(report, f"content is stored for entry {seq}, which the log does not hold",
                 entry=seq)
    stray = [s for s in seqs_with_chunks if type(s) is not int or not 1 <= s <= size]
    for seq in sorted(stray, key=repr):
        _problem(report, f"evidence chunks are stored for entry {seq!r}, which the log "
                 "does not hold", entry=seq if type(seq) is int else None)

    if checkpoints:
        newest = max(checkpoints)
        if newest > size:
            _problem(report, f"the newest checkpoint covers {newest} entries but the log has "
                     f"only {size}: entries were removed", entry=size + 1)
        elif newest < size:
            _problem(report, f"entries {newest + 1}..{size} are not covered by a signed "
                     "checkpoint (appended outside gdprkit)", entry=newest + 1)
        for cp_size in sorted(checkpoints):
            if cp_size > size or cp_size < 1:
                _problem(report, f"checkpoint at tree size {cp_size} has no matching log "
                         f"(the log has {size} entries)", checkpoint=cp_size)
        _check_checkpoint_sequence(report, numbers)
    else:
        _problem(report, "the ledger has no signed checkpoint")

    if against is not None:
        _check_against(report, ledger, against, leaf_hashes)

    if report.problems:
        first = report.problems[0]
        more = len(report.problems) - 1
        tail = f"; {more} more problem{'s' if more != 1 else ''}" if more else ""
        verdict = ("the ledger cannot be shown to match the kept checkpoint"
                   if first.get("against") else "the ledger was modified")
        err = TamperDetected(f"{describe(first, detail=True)}{tail}; {verdict}")
        err.report = report
        err.problems = report.problems
        raise err
    return report


def describe(problem: dict, *, detail: bool = False) -> str:
    """One problem of a report as a line: ``entry 3 (c1, contact): ...``.

    Checkpoint problems name their checkpoint in the text already.  With
    ``detail`` an entry is named with its id and kind when they are known.
    """
    if problem.get("checkpoint") is not None:
        return problem["problem"]
    if problem.get("entry"):
        where = f"entry {problem['entry']}"
        if detail and problem.get("id"):
            where += f" ({problem['id']}, {problem['kind']})" if problem.get("kind") \
                else f" ({problem['id']})"
    else:
        where = "ledger"
    return f"{where}: {problem['problem']}"


def _mistyped(report, row, where) -> tuple[bytes, bytes | None, bytes | None]:
    """Report the blob columns of a log row that are not blobs (or a leaf hash
    of the wrong length); return them as SQLite's CAST(... AS BLOB) would, so
    the other checks still run on the same bytes."""
    _seq, _kind, _ref, _created, _aux, stored_leaf, wrapped, payload = row
    problems = type_problems((("leaf_hash", stored_leaf, "blob"),
                              ("wrapped_key", wrapped, "blob"), ("payload", payload, "blob")))
    leaf = as_blob(stored_leaf)
    if len(leaf) != 32:
        problems.append(f"leaf_hash is {len(leaf)} bytes, not 32")
        leaf = _ZERO_HASH
    for message in problems:
        _problem(report, message, **where)
    if wrapped is None:
        return leaf, None, None
    return leaf, as_blob(wrapped), as_blob(payload)


def _check_entry(report, ledger, keys, seq, kind, ref, created_at, aux, stored_leaf,
                 wrapped, payload, where, *, has_chunks: bool = True) -> None:
    import json

    from .merkle import leaf_hash

    db = ledger._db
    chunk_list = db.execute(
        "SELECT idx, data FROM chunks WHERE seq = ? ORDER BY idx", (seq,)
    ) if has_chunks else ()
    # Hash ciphertexts (and keep them only one at a time: evidence can be large).
    chunk_hashes = []
    cipher = None
    meta = None
    try:
        cipher = keys.open_entry(seq, kind, wrapped)
        plain = cipher.open_payload(payload)
        # only evidence needs its metadata here (chunk count, size, SHA-256);
        # for other entries the authenticated decryption is the check
        meta = json.loads(plain) if kind == "evidence" else {}
    except (crypto.DecryptionFailed, ValueError):
        _problem(report, "does not decrypt (ciphertext, key or position altered)", **where)
    n = meta.get("chunks", 0) if isinstance(meta, dict) and kind == "evidence" else 0
    sha = hashlib.sha256()
    size = 0
    expected_idx = 0
    chunk_problem = None
    for idx, blob in chunk_list:
        if type(blob) is not bytes or type(idx) is not int:
            for message in type_problems((("evidence chunk index", idx, "integer"),
                                          (f"evidence chunk {idx!r} data", blob, "blob"))):
                _problem(report, message, **where)
            blob = as_blob(blob)
            if type(idx) is not int:
                chunk_hashes.append(hashlib.sha256(blob).digest())
                chunk_problem = chunk_problem or "an evidence chunk index is not an integer"
                continue
        chunk_hashes.append(hashlib.sha256(blob).digest())
        if idx != expected_idx:
            chunk_problem = f"evidence chunk {expected_idx} is missing or out of order"
        expected_idx = idx + 1
        if cipher is not None and meta is not None and chunk_problem is None:
            try:
                plain = cipher.open_chunk(idx, blob, idx == n - 1)
                sha.update(plain)
                size += len(plain)
            except crypto.DecryptionFailed:
                chunk_problem = f"evidence chunk {idx} does not decrypt"
    if meta is not None and kind == "evidence":
        if chunk_problem is None and expected_idx != n:
            chunk_problem = f"evidence has {expected_idx} chunks, {n} were stored"
        if chunk_problem is None and (sha.hexdigest() != meta.get("sha256") or size != meta.get("size")):
            chunk_problem = "evidence file does not match its recorded SHA-256"
        if chunk_problem:
            _problem(report, chunk_problem, **where)
    elif expected_idx and kind != "evidence":
        _problem(report, "entry has evidence chunks it should not have", **where)

    chash = schema.content_hash(wrapped, payload, chunk_hashes)
    leaf = leaf_hash(schema.leaf_data(keys.ledger_id, seq, kind, ref, created_at, aux, chash))
    if leaf != stored_leaf:
        _problem(report, "stored bytes do not match the entry's leaf hash", **where)


def checkpoint_number(extensions) -> int | None:
    """The sequence number a checkpoint note carries (``checkpoint N``), or None."""
    for line in extensions:
        head, _, number = line.partition(" ")
        if head == "checkpoint" and number.isdigit() and number.isascii():
            return int(number)
    return None


def _check_checkpoint(report, ledger, frontier, cp) -> int | None:
    """Check one stored checkpoint against the tree of the log prefix of its size.

    Returns the checkpoint's sequence number from its note (None when absent
    or unreadable) for the gapless check.
    """
    from ..errors import GdprkitError
    from .note import parse_checkpoint, verify_note

    size = frontier.size
    root = frontier.root()
    stored_root, note_text, stored_frontier = cp
    at = f"checkpoint at tree size {size}"
    where = {"checkpoint": size, "entry": size}
    typed = type_problems((("its root_hash", stored_root, "blob"), ("its note", note_text, "text"),
                           ("its frontier", stored_frontier, "blob")))
    for message in typed:
        _problem(report, f"{at}: {message}", **where)
    root_ok = as_blob(stored_root) == root
    if not root_ok:
        _problem(report, f"{at}: its root hash is not the root of the log's first {size} "
                 "entries", stored_root=as_blob(stored_root).hex(), log_root=root.hex(), **where)
    elif as_blob(stored_frontier) != frontier.to_bytes():
        _problem(report, f"{at}: its stored tree state (frontier) does not match the log and "
                 "its root", **where)
    try:
        text = note_text if type(note_text) is str else as_blob(note_text)
        body = verify_note(text, ledger.origin, ledger.public_key)
        origin, note_size, note_root, extensions = parse_checkpoint(body)
    except (GdprkitError, ValueError) as err:
        _problem(report, f"{at} is not validly signed ({err})", **where)
        return None
    if origin != ledger.origin or note_size != size or (root_ok and note_root != root):
        _problem(report, f"{at}: its signed text does not match the log", **where)
    return checkpoint_number(extensions)


def _check_checkpoint_sequence(report, numbers: list[tuple[int, int | None]]) -> None:
    """Checkpoints are numbered 1, 2, 3 ... in their signed text: a gap means
    one was deleted.  Checkpoints without a number (made before gdprkit
    numbered them) may only come before the numbered ones, which then start
    at 1."""
    previous: tuple[int, int] | None = None  # (tree size, number) of the last numbered one
    for size, number in numbers:
        where = {"checkpoint": size, "entry": size}
        if number is None:
            if previous is not None:
                _problem(report, f"checkpoint at tree size {size} carries no sequence number "
                         f"but follows checkpoint {previous[1]}", **where)
            continue
        if previous is None:
            if number != 1:
                gap = "checkpoint 1 was" if number == 2 else f"checkpoints 1..{number - 1} were"
                _problem(report, f"checkpoint at tree size {size} is number {number}: "
                         f"{gap} deleted", **where)
        elif number != previous[1] + 1:
            if number > previous[1] + 1:
                gap = (f"checkpoint {previous[1] + 1} was" if number == previous[1] + 2
                       else f"checkpoints {previous[1] + 1}..{number - 1} were")
                _problem(report, f"checkpoint at tree size {size} is number {number} but "
                         f"follows number {previous[1]} (tree size {previous[0]}): "
                         f"{gap} deleted", **where)
            else:
                _problem(report, f"checkpoint at tree size {size} is number {number} but "
                         f"follows number {previous[1]} (tree size {previous[0]})", **where)
        previous = (size, number)


def _check_against(report, ledger, text: str, leaf_hashes: list[bytes]) -> None:
    from ..errors import GdprkitError
    from .merkle import MerkleTree, verify_consistency
    from .note import parse_checkpoint, verify_note

    try:
        body = verify_note(text, ledger.origin, ledger.public_key)
        origin, old_size, old_root, _ext = parse_checkpoint(body)
    except GdprkitError as err:
        _problem(report, f"the kept checkpoint is not signed by this ledger's key ({err}): "
                 "it belongs to another ledger, or this ledger's signing key was replaced",
                 against=True)
        return
    except ValueError as err:
        _problem(report, f"the kept checkpoint cannot be read ({err})")
        return
    if origin != ledger.origin:
        _problem(report, f"the kept checkpoint is for another ledger ({origin})")
        return
    size = len(leaf_hashes)
    report.against = {"tree_size": old_size, "root_hash": old_root.hex()}
    if old_size > size:
        _problem(report, f"the ledger was rolled back: the kept checkpoint has {old_size} "
                 f"entries, the ledger only {size}", entry=size + 1,
                 kept_size=old_size, kept_root=old_root.hex(), ledger_size=size)
        return
    tree = MerkleTree(leaf_hashes)
    now_root = tree.root()
    then_root = tree.root(old_size)
    if then_root != old_root:
        _problem(report, f"the ledger's first {old_size} entries do not match the kept "
                 f"checkpoint (root {old_root.hex()[:16]}… kept, {then_root.hex()[:16]}… now): "
                 "entries were altered or replaced", entry=old_size,
                 kept_size=old_size, kept_root=old_root.hex(), ledger_root=then_root.hex())
        return
    if old_size:
        proof = tree.consistency_proof(old_size)
        try:
            verify_consistency(old_size, size, old_root, now_root, proof)
        except GdprkitError as err:
            _problem(report, f"consistency proof with the kept checkpoint fails: {err}")
