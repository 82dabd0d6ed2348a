"""What goes into a dossier: the incidents in scope, everything they refer to,
and an inclusion proof of every ledger entry used, against one checkpoint.

Nothing here reads evidence bytes; the renderer and the attachment writer
stream them one at a time.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field

from ..errors import BadInput, TamperDetected
from ..model import Checkpoint, Contact, Evidence, Incident, Profile, Request


@dataclass(frozen=True)
class Scope:
    """Which incidents a dossier covers; every filter given must hold."""

    contact: str | None = None
    incidents: tuple[str, ...] = ()
    since: _dt.date | None = None
    until: _dt.date | None = None

    def to_dict(self) -> dict:
        return {
            "contact": self.contact,
            "incidents": list(self.incidents),
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
        }


@dataclass(frozen=True)
class EntryProof:
    """RFC 9162 inclusion proof of one ledger entry (leaf) in the checkpoint."""

    id: str
    kind: str
    leaf_index: int
    leaf_hash: bytes
    inclusion_proof: tuple[bytes, ...]

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "kind": self.kind,
            "leaf_index": self.leaf_index,
            "leaf_hash": self.leaf_hash.hex(),
            "inclusion_proof": [h.hex() for h in self.inclusion_proof],
        }


@dataclass
class DossierData:
    """Everything the renderer and the attachment writer need."""

    ledger_id: str
    origin: str
    verifier_key: str
    key_fingerprint: str
    checkpoint: Checkpoint
    profile: Profile | None
    lang: str
    scope: Scope
    generated_at: _dt.datetime
    incidents: list[Incident]
    contacts: dict[str, Contact]
    requests: list[Request]  # letters that concern an incident in scope
    proofs: dict[str, list[EntryProof]] = field(default_factory=dict)  # id -> its entries
    attachment_names: dict[str, str] = field(default_factory=dict)  # evidence id -> name

    @property
    def evidence(self) -> list[Evidence]:
        return [ev for inc in self.incidents for ev in inc.evidence]

    def requests_for(self, incident_id: str) -> list[Request]:
        return [r for r in self.requests if incident_id in r.incidents]


_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def attachment_name(evidence: Evidence) -> str:
    """A safe, unique ASCII file name for an evidence item's attachment.

    ASCII only on purpose: an original name may carry right-to-left overrides
    or look-alike characters that disguise an extension.  The original name
    is printed in the evidence table and kept in the manifest.
    """
    stem = _SAFE.sub("_", evidence.name).strip("._-")[-80:].lstrip("._-")
    return f"{evidence.id}-{stem or 'file'}"


def select_incidents(ledger, scope: Scope) -> list[Incident]:
    """The incidents a scope covers, in ledger order; BadInput when none."""
    if scope.since and scope.until and scope.since > scope.until:
        raise BadInput(f"--since {scope.since} is after --until {scope.until}")
    if scope.contact is not None:
        ledger.contact(scope.contact)  # NotFound for an unknown id
    if scope.incidents:
        chosen = [ledger.incident(i) for i in dict.fromkeys(scope.incidents)]
    else:
        chosen = ledger.incidents()
    out = []
    filtered = scope.contact is not None or scope.since or scope.until
    for inc in chosen:
        if inc.shredded:
            # Its kind, contact and date are erased: it can belong to an
            # unfiltered scope only (or one naming it), listed as shredded.
            if not filtered:
                out.append(inc)
            continue
        if scope.contact is not None and inc.contact != scope.contact:
            continue
        if scope.since and inc.when.date() < scope.since:
            continue
        if scope.until and inc.when.date() > scope.until:
            continue
        out.append(inc)
    if not out:
        raise BadInput("no incidents match the dossier's scope",
                       hint="see 'gdprkit incidents'")
    return sorted(out, key=lambda i: i.seq or 0)


def collect(ledger, scope: Scope, lang: str | None = None) -> DossierData:
    """Gather the dossier's content and prove every entry it uses."""
    from ..ledger.merkle import MerkleTree
    from ..ledger.note import verify_note
    from .labels import LANGS

    incidents = select_incidents(ledger, scope)
    profile = ledger.profile()
    if lang is None:
        lang = profile.lang if profile and profile.lang in LANGS else "en"
    contact_ids = sorted({i.contact for i in incidents if i.contact}, key=lambda c: int(c[1:]))
    contacts = {c: ledger.contact(c) for c in contact_ids}
    in_scope = {i.id for i in incidents}
    requests = [r for r in ledger.requests() if not r.shredded and in_scope & set(r.incidents)]

    # One checkpoint, one tree: every proof is against the same signed root.
    cp = ledger.checkpoint()
    verify_note(cp.note, ledger.origin, ledger.public_key)
    leaves = ledger.leaf_hashes()[: cp.tree_size]
    tree = MerkleTree(leaves)
    if tree.size != cp.tree_size or tree.root() != cp.root_hash:
        raise TamperDetected("the ledger's log does not match its newest signed checkpoint; "
                             "run 'gdprkit verify'")

    data = DossierData(
        ledger_id=ledger.ledger_id, origin=ledger.origin, verifier_key=ledger.verifier_key(),
        key_fingerprint=ledger.key_fingerprint, checkpoint=cp, profile=profile, lang=lang,
        scope=scope, generated_at=_dt.datetime(1970, 1, 1, tzinfo=_dt.UTC),
        incidents=incidents, contacts=contacts, requests=requests,
    )

    def prove(obj_id: str, kinds: list[str]) -> None:
        proofs = []
        for n, index in enumerate(ledger.entry_index(obj_id)):
            kind = kinds[n] if n < len(kinds) else kinds[-1]
            proofs.append(EntryProof(obj_id, kind, index, tree.leaf_hash(index),
                                     tuple(tree.inclusion_proof(index))))
        data.proofs[obj_id] = proofs

    times: list[_dt.datetime] = []
    for c in contacts.values():
        prove(c.id, ["contact", "shred"])
        times.append(c.created_at)
    for inc in incidents:
        prove(inc.id, ["incident", "shred"])
        times.append(inc.recorded_at)
        for ev in inc.evidence:
            prove(ev.id, ["evidence", "shred"])
            times.append(ev.acquired_at)
            if not ev.shredded:
                data.attachment_names[ev.id] = attachment_name(ev)
    for r in requests:
        prove(r.id, ["request"] + ["request-event"] * len(r.events))
        times.append(r.created_at)
        times.extend(e.recorded_at for e in r.events)
    known = [t for t in times if t is not None]
    if known:
        data.generated_at = max(t.astimezone(_dt.UTC) for t in known).replace(microsecond=0)
    return data
