"""Full verification of a ledger file (``gdprkit verify``).

Checks, in order: SQLite integrity; the header (KDF bounds and signing key
were checked when opening); a gapless log; every entry's ciphertext against
its leaf hash; that every entry decrypts and every evidence file matches its
SHA-256; that content is missing only where a shred entry names it; every
stored checkpoint against the tree recomputed from the leaves and against its
Ed25519 signature; and, with ``against``, consistency with a checkpoint kept
outside the ledger.  Problems name the entry; nothing stops at the first one.
"""

from __future__ import annotations

import hashlib

from ..errors import TamperDetected
from ..model import VerifyReport
from . import crypto, schema


def _problem(report: VerifyReport, message: str, *, entry: int | None = None,
             ref: str | None = None, kind: str | None = None, **extra) -> None:
    item = {"entry": entry, "id": ref, "kind": kind, "problem": message}
    item.update(extra)
    report.problems.append(item)


def verify_ledger(ledger, against: str | None = None) -> VerifyReport:
    from .merkle import Frontier
    from .note import parse_checkpoint, parse_note, verify_note

    db = ledger._db
    keys = ledger._keys
    report = VerifyReport()

    result = db.execute("PRAGMA integrity_check").fetchall()
    if result != [("ok",)]:
        _problem(report, "SQLite integrity check failed: " + "; ".join(r[0] for r in result[:3]))

    shreds = dict(db.execute("SELECT target, shred_seq FROM shreds"))
    shred_targets_named: dict[int, set[int]] = {}
    chunk_rows = db.execute("SELECT DISTINCT seq FROM chunks").fetchall()
    seqs_with_chunks = {r[0] for r in chunk_rows}
    checkpoints = {
        size: (bytes(root), note)
        for size, root, note in db.execute("SELECT tree_size, root_hash, note FROM checkpoints")
    }
    report.checkpoints = len(checkpoints)

    frontier = Frontier()
    leaf_hashes: list[bytes] = []
    open_fast, fast_leaf, lid = keys.open_payload_fast, schema.entry_leaf_hash, keys.ledger_id
    expected_seq = 1
    rows = db.execute(
        "SELECT l.seq, l.kind, l.ref, l.created_at, l.aux, l.leaf_hash, c.wrapped_key, c.payload "
        "FROM log l LEFT JOIN content c ON c.seq = l.seq ORDER BY l.seq"
    )
    append_leaf, append_tree = leaf_hashes.append, frontier.append
    for seq, kind, ref, created_at, aux, stored_leaf, wrapped, payload in rows:
        stored_leaf = bytes(stored_leaf)
        if seq != expected_seq:
            _problem(report, f"entries {expected_seq}..{seq - 1} are missing from the log "
                     "(deleted rows)", entry=expected_seq)
            expected_seq = seq
        expected_seq += 1

        if kind == "shred":
            where = {"entry": seq, "ref": ref, "kind": kind}
            try:
                targets = {int(t) for t in aux.removeprefix("targets=").split(",") if t}
            except ValueError:
                targets = set()
                _problem(report, "shred entry names its targets in a malformed way", **where)
            shred_targets_named[seq] = targets

        if wrapped is None:
            where = {"entry": seq, "ref": ref, "kind": kind}
            if seq not in shreds:
                _problem(report, "content was deleted without a shred entry naming it", **where)
            else:
                report.shredded += 1
            if seq in seqs_with_chunks:
                _problem(report, "shredded entry still has evidence chunks", **where)
            leaf = stored_leaf
        elif seq not in seqs_with_chunks and kind != "evidence":
            # the common case, kept tight: decrypt, then recompute the leaf
            wrapped, payload = bytes(wrapped), bytes(payload)
            try:
                open_fast(seq, kind, wrapped, payload)
            except crypto.DecryptionFailed:
                _problem(report, "does not decrypt (ciphertext, key or position altered)",
                         entry=seq, ref=ref, kind=kind)
            leaf = fast_leaf(lid, seq, kind, ref, created_at, aux, wrapped, payload)
            if leaf != stored_leaf:
                _problem(report, "stored bytes do not match the entry's leaf hash",
                         entry=seq, ref=ref, kind=kind)
        else:
            leaf = _check_entry(report, ledger, keys, seq, kind, ref, created_at, aux,
                                stored_leaf, bytes(wrapped), bytes(payload),
                                {"entry": seq, "ref": ref, "kind": kind},
                                has_chunks=seq in seqs_with_chunks)
        append_leaf(stored_leaf)
        append_tree(stored_leaf)
        del leaf

        cp = checkpoints.get(len(leaf_hashes))
        if cp is not None:
            _check_checkpoint(report, ledger, frontier.size, frontier.root(), cp,
                              parse_note, parse_checkpoint, verify_note)
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

    if checkpoints:
        newest = max(checkpoints)
        if newest > size:
            _problem(report, f"the newest checkpoint covers {newest} entries but the log has "
                     f"only {size}: entries were removed", entry=size + 1)
        elif newest < size:
            _problem(report, f"entries {newest + 1}..{size} are not covered by a signed "
                     "checkpoint (appended outside gdprkit)", entry=newest + 1)
        for cp_size in checkpoints:
            if cp_size > size or cp_size < 1:
                _problem(report, f"checkpoint for tree size {cp_size} has no matching log",
                         checkpoint=cp_size)
    else:
        _problem(report, "the ledger has no signed checkpoint")

    if against is not None:
        _check_against(report, ledger, against, leaf_hashes)

    if report.problems:
        first = report.problems[0]
        where = f"entry {first['entry']}" if first.get("entry") else "ledger"
        if first.get("id"):
            where += f" ({first['id']}, {first['kind']})"
        more = len(report.problems) - 1
        tail = f"; {more} more problem{'s' if more != 1 else ''}" if more else ""
        verdict = ("the ledger cannot be shown to match the kept checkpoint"
                   if first.get("against") else "the ledger was modified")
        err = TamperDetected(f"{where}: {first['problem']}{tail}; {verdict}")
        err.report = report
        err.problems = report.problems
        raise err
    return report


def _check_entry(report, ledger, keys, seq, kind, ref, created_at, aux, stored_leaf,
                 wrapped, payload, where, *, has_chunks: bool = True) -> bytes:
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
        blob = bytes(blob)
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
    return leaf


def _check_checkpoint(report, ledger, size, root, cp, parse_note, parse_checkpoint,
                      verify_note) -> None:
    stored_root, note_text = cp
    if stored_root != root:
        _problem(report, f"checkpoint at tree size {size} has root {stored_root.hex()[:16]}… "
                 f"but the log gives {root.hex()[:16]}…", checkpoint=size,
                 entry=size)
        return
    try:
        body = verify_note(note_text, ledger.origin, ledger.public_key)
        origin, note_size, note_root, _ext = parse_checkpoint(body)
    except Exception as err:  # ProofError/TamperDetected/ValueError alike: report, go on
        _problem(report, f"checkpoint at tree size {size} is not validly signed ({err})",
                 checkpoint=size, entry=size)
        return
    if origin != ledger.origin or note_size != size or note_root != root:
        _problem(report, f"signed checkpoint text at tree size {size} does not match the log",
                 checkpoint=size, entry=size)


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
