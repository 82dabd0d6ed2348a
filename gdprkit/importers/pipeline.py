"""Classify parsed messages and store the classified ones as incidents.

:class:`Importer` turns each :class:`ParsedMessage` into an
:class:`ImportItem` (the report line); with a ledger and not ``dry_run`` it
also records an incident with the raw message as evidence.  Re-importing the
same material adds nothing: items are matched against the evidence already in
the ledger by source (Message-ID, LinkedIn conversation id and date) and by the
SHA-256 of the content.
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .classify import Classification, ClassifyOptions, classify
from .message import ParsedMessage

#: Item statuses, in the order the summary lists them.
STATUSES = ("stored", "new", "duplicate", "unclassified", "skipped", "error")


@dataclass
class ImportItem:
    """The outcome for one message: the unit of the report and of ``--json``."""

    source: str
    message_id: str | None
    kind: str | None
    confidence: float
    reasons: list[str]
    contact: str | None
    incident: str | None
    status: str  # one of STATUSES; "new" = would be stored (dry run)
    subject: str = ""
    date: _dt.datetime | None = None
    sender: dict = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "source": self.source,
            "message_id": self.message_id,
            "kind": self.kind,
            "confidence": self.confidence,
            "reasons": self.reasons,
            "contact": self.contact,
            "incident": self.incident,
            "status": self.status,
            "subject": self.subject,
            "date": self.date.isoformat() if self.date else None,
            "sender": self.sender,
            "problems": self.problems,
        }


class Importer:
    """Classify messages and (unless ``dry_run``) record them in ``ledger``.

    ``ledger`` may be ``None`` for a dry run.  With a ledger and ``dry_run``,
    the ledger is only read (to report duplicates and known contacts).
    """

    def __init__(self, ledger=None, *, options: ClassifyOptions | None = None,
                 contact_id: str | None = None, since: _dt.date | None = None,
                 dry_run: bool = False):
        self.ledger = ledger
        self.options = options or ClassifyOptions()
        self.contact_id = contact_id
        self.since = since
        self.dry_run = dry_run or ledger is None
        self.counts: Counter[str] = Counter()
        self._by_source: dict[str, str] | None = None
        self._by_sha: dict[str, str] = {}
        self._contacts: dict[str, str] = {}
        if contact_id and ledger is not None:
            ledger.contact(contact_id)  # NotFound early, not after the first match

    # -- de-duplication ----------------------------------------------------------
    def _index(self) -> dict[str, str]:
        if self._by_source is None:
            self._by_source = {}
            if self.ledger is not None:
                for inc in self.ledger.incidents():
                    for ev in inc.evidence:
                        if ev.source:
                            self._by_source.setdefault(ev.source, inc.id)
                        if ev.sha256:
                            self._by_sha.setdefault(ev.sha256, inc.id)
        return self._by_source

    def _duplicate_of(self, pm: ParsedMessage) -> str | None:
        by_source = self._index()
        key = pm.message_id
        if key and key in by_source:
            return by_source[key] or "-"
        if pm.raw_sha256 and pm.raw_sha256 in self._by_sha:
            return self._by_sha[pm.raw_sha256] or "-"
        return None

    def _remember(self, pm: ParsedMessage, incident: str) -> None:
        self._index()
        if pm.message_id:
            self._by_source[pm.message_id] = incident
        if pm.raw_sha256:
            self._by_sha[pm.raw_sha256] = incident

    # -- contacts -------------------------------------------------------------------
    def _find_contact(self, c: Classification) -> str | None:
        if self.contact_id:
            return self.contact_id
        if self.ledger is None:
            return None
        who = c.who
        for key in _contact_keys(who):
            if key in self._contacts:
                return self._contacts[key]
        found = None
        if who.email:
            found = self.ledger.find_contact(email=who.email)
        if found is None and who.profile_url:
            found = self.ledger.find_contact(profile_url=who.profile_url)
        if found is not None:
            self._cache(who, found.id)
            return found.id
        return None

    def _cache(self, who, contact_id: str) -> None:
        for key in _contact_keys(who):
            self._contacts[key] = contact_id

    def _create_contact(self, c: Classification, pm: ParsedMessage) -> str:
        who = c.who
        contact = self.ledger.add_contact(
            who.name or who.email or who.profile_url or "unknown sender",
            email=who.email,
            profile_url=who.profile_url,
            platform="linkedin" if pm.channel == "linkedin" else None,
        )
        self._cache(who, contact.id)
        return contact.id

    # -- the work -----------------------------------------------------------------------
    def process(self, pm: ParsedMessage) -> ImportItem:
        """Classify one message and, when it is new and classified, store it."""
        item = ImportItem(
            source=pm.source, message_id=pm.message_id, kind=None, confidence=0.0,
            reasons=[], contact=None, incident=None, status="unclassified",
            subject=pm.subject, date=pm.date,
            sender={"name": pm.sender_name or None, "email": pm.sender_email,
                    "profile_url": pm.sender_profile_url},
            problems=list(dict.fromkeys(pm.problems)),
        )
        if pm.error:
            item.status = "error"
            item.problems.insert(0, pm.error)
        elif self.since and pm.date and pm.date.date() < self.since:
            item.status = "skipped"
            item.reasons = [f"dated {pm.date.date().isoformat()}, before --since {self.since.isoformat()}"]
        else:
            c = classify(pm, self.options)
            item.kind, item.confidence, item.reasons = c.kind, c.confidence, list(c.reasons)
            if c.kind is not None:
                item.sender = {"name": c.who.name or None, "email": c.who.email,
                               "profile_url": c.who.profile_url}
                dup = self._duplicate_of(pm)
                item.contact = self._find_contact(c)
                if dup is not None:
                    item.status = "duplicate"
                    item.incident = dup if dup != "-" else None
                elif self.dry_run:
                    item.status = "new"
                    self._remember(pm, "")
                else:
                    self._store(pm, c, item)
        self.counts[item.status] += 1
        return item

    def run(self, messages: Iterable[ParsedMessage]) -> Iterator[ImportItem]:
        for pm in messages:
            yield self.process(pm)

    def _store(self, pm: ParsedMessage, c: Classification, item: ImportItem) -> None:
        from ..model import EvidenceInput

        if item.contact is None:
            item.contact = self._create_contact(c, pm)
        evidence = EvidenceInput(
            name=_evidence_name(pm),
            path=pm.raw_path,
            opener=pm.raw_opener,
            data=None if pm.raw_path or pm.raw_opener else pm.raw,
            method="import",
            source=pm.message_id or pm.source,
            media_type="text/csv" if pm.channel == "linkedin" else "message/rfc822",
        )
        subject = f" “{pm.subject[:120]}”" if pm.subject else ""
        note = (f"Imported from {pm.source}{subject}. Classified {c.kind} "
                f"(confidence {c.confidence:.2f}): " + "; ".join(c.reasons))
        incident = self.ledger.log_incident(
            c.kind, item.contact, when=pm.date,
            platform="linkedin" if pm.channel == "linkedin" else "email",
            note=note, evidence=[evidence],
        )
        item.incident = incident.id
        item.status = "stored"
        self._remember(pm, incident.id)

    def summary(self) -> dict:
        return {s: self.counts.get(s, 0) for s in STATUSES}


def _contact_keys(who) -> list[str]:
    """The keys a sender is known by: its e-mail and its profile URL, normalised."""
    from .._urls import normalise_profile_url

    keys = []
    if who.email and who.email.strip():
        keys.append("email:" + who.email.strip().lower())
    url = normalise_profile_url(who.profile_url)
    if url:
        keys.append("url:" + url)
    return keys


def _evidence_name(pm: ParsedMessage) -> str:
    if pm.channel == "linkedin":
        base = pm.source.replace("/", "-").replace("#", "-row-")
        return f"{base}.csv"
    name = Path(pm.source.split("#", 1)[0]).name
    if "#" in pm.source:
        return f"{name}-{pm.source.rsplit('#', 1)[1]}.eml"
    return name if name.lower().endswith(".eml") else f"{name}.eml"
