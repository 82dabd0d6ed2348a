"""Classify parsed messages and store the classified ones as incidents.

:class:`Importer` turns each :class:`ParsedMessage` into an
:class:`ImportItem` (the report line); with a ledger and not ``dry_run`` it
also records an incident with the raw message as evidence.  Re-importing the
same material adds nothing: items are matched against the evidence already in
the ledger by source (Message-ID, LinkedIn conversation id and date) and by the
SHA-256 of the content.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .._validate import DATE_RANGE_TEXT, date_in_range
from .classify import Classification, ClassifyOptions, Who, classify
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
        """The JSON shape; the time as ``incidents --json`` gives it: ``when`` in UTC,
        ``utc_offset`` it was given in (the Date header's), ``date`` the day there."""
        from ..model import offset_text

        when = self.date
        if when is not None and when.tzinfo is None:
            when = when.astimezone()  # as the ledger takes it
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
            "when": when.astimezone(_dt.UTC).isoformat() if when else None,
            "utc_offset": offset_text(when) if when else None,
            "date": when.date().isoformat() if when else None,
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

    def _duplicate_of(self, message_id: str | None, sha256: str) -> str | None:
        by_source = self._index()
        if message_id and message_id in by_source:
            return by_source[message_id] or "-"
        if sha256 and sha256 in self._by_sha:
            return self._by_sha[sha256] or "-"
        return None

    def _remember(self, message_id: str | None, sha256: str, incident: str) -> None:
        self._index()
        if message_id:
            self._by_source[message_id] = incident
        if sha256:
            self._by_sha[sha256] = incident

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
        """Classify one message and, when it is new and classified, store it.

        What a sender wrote never stops the import: a date outside what the
        ledger accepts is not used (the incident gets the time of the import),
        and control characters in the values stored (names, subject,
        Message-ID) become U+FFFD; both are listed in the item's problems.
        """
        problems = list(dict.fromkeys(pm.problems))
        when = pm.date
        if when is not None and not date_in_range(when):
            problems.append(f"the date {when.isoformat()} is out of range (gdprkit accepts dates "
                            f"{DATE_RANGE_TEXT}): the incident is dated with the time of the import")
            when = None
        message_id = _safe(pm.message_id, _SOURCE_LIMIT, "the Message-ID", problems)
        subject = _safe(pm.subject, None, "the subject", problems) or ""
        item = ImportItem(
            source=pm.source, message_id=message_id, kind=None, confidence=0.0,
            reasons=[], contact=None, incident=None, status="unclassified",
            subject=subject, date=when,
            sender=_sender(Who(pm.sender_name, pm.sender_email, pm.sender_profile_url), []),
            problems=problems,
        )
        if pm.error:
            item.status = "error"
            item.problems.insert(0, pm.error)
        elif self.since and when and when.date() < self.since:
            item.status = "skipped"
            item.reasons = [f"dated {when.date().isoformat()}, before --since {self.since.isoformat()}"]
        else:
            c = classify(pm, self.options)
            item.kind, item.confidence, item.reasons = c.kind, c.confidence, list(c.reasons)
            if c.kind is not None:
                item.sender = _sender(c.who, item.problems)
                c = dataclasses.replace(c, who=Who(item.sender["name"] or "", item.sender["email"],
                                                   item.sender["profile_url"]))
                dup = self._duplicate_of(message_id, pm.raw_sha256)
                item.contact = self._find_contact(c)
                if dup is not None:
                    item.status = "duplicate"
                    item.incident = dup if dup != "-" else None
                elif self.dry_run:
                    item.status = "new"
                    self._remember(message_id, pm.raw_sha256, "")
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
            source=item.message_id or pm.source,
            media_type="text/csv" if pm.channel == "linkedin" else "message/rfc822",
        )
        subject = f" “{item.subject[:120]}”" if item.subject else ""
        note = (f"Imported from {pm.source}{subject}. Classified {c.kind} "
                f"(confidence {c.confidence:.2f}): " + "; ".join(c.reasons))
        if item.date is None and pm.date is not None:
            note += (f". The message's date {pm.date.isoformat()} is out of range: "
                     "the incident is dated with the time of the import")
        incident = self.ledger.log_incident(
            c.kind, item.contact, when=item.date,
            platform="linkedin" if pm.channel == "linkedin" else "email",
            note=_CONTROLS_BUT_NL.sub("\ufffd", note), evidence=[evidence],
        )
        item.incident = incident.id
        item.status = "stored"
        self._remember(item.message_id, pm.raw_sha256, incident.id)

    def summary(self) -> dict:
        return {s: self.counts.get(s, 0) for s in STATUSES}


# C0 and C1 controls and DEL: the ledger refuses NUL, and none belongs in a name.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROLS_BUT_NL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")
#: The longest evidence source and contact field the ledger takes.
_SOURCE_LIMIT = 2000
_FIELD_LIMIT = 5000


def _safe(value: str | None, limit: int | None, what: str, problems: list[str]) -> str | None:
    """``value`` fit to be stored: controls made U+FFFD, at most ``limit`` characters."""
    if not value:
        return value
    if not value.isprintable():
        clean = _CONTROLS.sub("\ufffd", value)
        if clean != value:
            problems.append(f"{what} contains control characters: written as U+FFFD")
            value = clean
    if limit is not None and len(value) > limit:
        problems.append(f"{what} of {len(value)} characters: only its first {limit} are kept")
        value = value[:limit]
    return value


def _sender(who: Who, problems: list[str]) -> dict:
    return {"name": _safe(who.name, _FIELD_LIMIT, "the sender's name", problems) or None,
            "email": _safe(who.email, _FIELD_LIMIT, "the sender's address", problems),
            "profile_url": _safe(who.profile_url, _FIELD_LIMIT, "the sender's profile URL", problems)}


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
