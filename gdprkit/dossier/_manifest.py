"""``gdprkit-dossier.json``: the machine-readable twin of a dossier.

Embedded in the PDF as an associated file (AFRelationship /Data).  It holds
what a verifier needs without the ledger: the signed checkpoint and its
verifier key, and per evidence item its attachment name, size, SHA-256 and
the inclusion proof of its ledger entry; per other entry used (incident,
contact, letter, shred) its inclusion proof; and per page the SHA-256 of the
text printed on it (``pages``), taken from the finished pages at export, so
that an edit of anything a reader sees (a size, a name, a date) is detected.

The manifest is not signed by itself: someone who edits an unsigned dossier
can recompute it to match.  What binds a dossier to its author is the PAdES
signature (``export pdf --sign``); the signed checkpoint binds the proven
entries to the ledger's tree (checked against a copy kept elsewhere, or the
ledger itself).
"""

from __future__ import annotations

import json
import re

from ..errors import TamperDetected
from ._collect import DossierData

FORMAT = "gdprkit-dossier/1"
NAME = "gdprkit-dossier.json"

_HEX64 = re.compile(r"[0-9a-f]{64}")


def build(data: DossierData, page_digests: list[str]) -> bytes:
    """The manifest as canonical JSON bytes (sorted keys, ASCII: reproducible).

    ``page_digests``: the SHA-256 of each finished page's text, in page order
    (:func:`gdprkit.dossier._pagetext.page_digests`).
    """
    cp = data.checkpoint
    evidence = []
    entries = []
    for inc in data.incidents:
        entries.extend(p.to_dict() for p in data.proofs.get(inc.id, []))
        for ev in inc.evidence:
            first, *rest = data.proofs[ev.id]
            evidence.append({
                "id": ev.id,
                "incident": inc.id,
                "name": None if ev.shredded else ev.name,
                "attachment": data.attachment_names.get(ev.id),
                "media_type": ev.media_type,
                "size": None if ev.shredded else ev.size,
                "sha256": None if ev.shredded else ev.sha256,
                "shredded": ev.shredded,
                "shred_reason": ev.shred_reason if ev.shredded else None,
                "leaf_index": first.leaf_index,
                "leaf_hash": first.leaf_hash.hex(),
                "inclusion_proof": [h.hex() for h in first.inclusion_proof],
            })
            entries.extend(p.to_dict() for p in rest)
    for cid in data.contacts:
        entries.extend(p.to_dict() for p in data.proofs.get(cid, []))
    for req in data.requests:
        entries.extend(p.to_dict() for p in data.proofs.get(req.id, []))
    doc = {
        "format": FORMAT,
        "ledger_id": data.ledger_id,
        "origin": data.origin,
        "verifier_key": data.verifier_key,
        "key_fingerprint": data.key_fingerprint,
        "generated_at": data.generated_at.isoformat().replace("+00:00", "Z"),
        "lang": data.lang,
        "scope": data.scope.to_dict(),
        "checkpoint": {
            "origin": cp.origin,
            "tree_size": cp.tree_size,
            "root_hash": cp.root_hash.hex(),
            "note": cp.note,
        },
        "evidence": evidence,
        "entries": sorted(entries, key=lambda e: (e["leaf_index"], e["id"])),
        "pages": [{"text_sha256": digest} for digest in page_digests],
    }
    return (json.dumps(doc, sort_keys=True, indent=1) + "\n").encode("ascii")


def parse(raw: bytes) -> dict:
    """Decode and shape-check a manifest; TamperDetected when it is malformed."""
    def bad(what: str) -> TamperDetected:
        return TamperDetected(f"the embedded {NAME} is malformed: {what}")

    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise bad("not JSON") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise bad(f"format is not {FORMAT!r}")
    for key in ("origin", "verifier_key"):
        if not isinstance(doc.get(key), str):
            raise bad(f"{key} is missing")
    cp = doc.get("checkpoint")
    if not isinstance(cp, dict) or not isinstance(cp.get("note"), str):
        raise bad("checkpoint is missing")
    for listname in ("evidence", "entries"):
        items = doc.get(listname)
        if not isinstance(items, list):
            raise bad(f"{listname} is not a list")
        for item in items:
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                raise bad(f"an item of {listname} has no id")
            _check_proof_shape(item, bad)
    pages = doc.get("pages")
    if not isinstance(pages, list) or not pages:
        raise bad("pages (the SHA-256 of each page's text) is missing")
    for number, page in enumerate(pages, 1):
        if not isinstance(page, dict) or not isinstance(page.get("text_sha256"), str) or \
                not _HEX64.fullmatch(page["text_sha256"]):
            raise bad(f"page {number} has no valid text_sha256")
    for ev in doc["evidence"]:
        if ev.get("shredded"):
            continue
        if not isinstance(ev.get("attachment"), str):
            raise bad(f"evidence {ev['id']} names no attachment")
        if not isinstance(ev.get("sha256"), str) or not _HEX64.fullmatch(ev["sha256"]):
            raise bad(f"evidence {ev['id']} has no valid sha256")
        if not isinstance(ev.get("size"), int) or isinstance(ev["size"], bool):
            raise bad(f"evidence {ev['id']} has no valid size")
    return doc


def _check_proof_shape(item: dict, bad) -> None:
    index = item.get("leaf_index")
    if not isinstance(index, int) or isinstance(index, bool) or index < 0:
        raise bad(f"{item['id']} has no valid leaf_index")
    if not isinstance(item.get("leaf_hash"), str) or not _HEX64.fullmatch(item["leaf_hash"]):
        raise bad(f"{item['id']} has no valid leaf_hash")
    path = item.get("inclusion_proof")
    if not isinstance(path, list) or not all(isinstance(h, str) and _HEX64.fullmatch(h)
                                             for h in path):
        raise bad(f"{item['id']} has no valid inclusion_proof")


# The checking program printed in Appendix B (standard library only).  A test
# runs it against a real dossier's manifest and attachments.
CHECK_PROGRAM = '''\
import hashlib, json, os, sys

def node(left, right):
    return hashlib.sha256(b"\\x01" + left + right).digest()

def root_from_proof(leaf, index, size, path):
    # RFC 9162, 2.1.3.2
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = node(p, r)
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            r = node(r, p)
        fn >>= 1
        sn >>= 1
    return r if sn == 0 else None

m = json.load(open("gdprkit-dossier.json"))
size = m["checkpoint"]["tree_size"]
root = bytes.fromhex(m["checkpoint"]["root_hash"])
ok = True
for e in m["evidence"] + m["entries"]:
    got = root_from_proof(bytes.fromhex(e["leaf_hash"]), e["leaf_index"], size,
                          [bytes.fromhex(h) for h in e["inclusion_proof"]])
    ok &= got == root
    print(e["id"], e["leaf_index"], "proof ok" if got == root else "PROOF FAILS")
for e in m["evidence"]:
    if e["attachment"] and os.path.exists(e["attachment"]):
        with open(e["attachment"], "rb") as f:
            good = hashlib.sha256(f.read()).hexdigest() == e["sha256"]
        ok &= good
        print(e["attachment"], "sha256 ok" if good else "SHA256 DIFFERS")
sys.exit(0 if ok else 1)
'''
