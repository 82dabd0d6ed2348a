"""The rich scenario the letter tests and golden files use (no ledger needed)."""

from __future__ import annotations

import datetime as dt

from gdprkit.letters import Recipient, recipient_from_contact
from gdprkit.model import Checkpoint, Contact, Evidence, Incident, Profile, Request, RequestEvent

UTC = dt.UTC
SENT = dt.date(2026, 3, 5)  # Italy: due 2026-04-07 (Easter Sunday and Monday skipped)
NOW = dt.datetime(2026, 3, 5, 9, 30, tzinfo=UTC)

REQUESTER = Profile(
    name="Giulia Bianchi",
    email="giulia.bianchi@example.org",
    address="Via Solferino 12\n20121 Milano MI",
    country="IT",
    lang="en",
)

CONTACT = Contact(
    id="c1",
    name="Marco Ferri",
    email="marco@growthpeak.example",
    profile_url="https://www.linkedin.com/in/marco-ferri-growth",
    platform="linkedin",
    org="GrowthPeak S.r.l.",
    org_address="Corso Vittorio Emanuele II 45\n10125 Torino TO",
    org_email="privacy@growthpeak.example",
    country="IT",
)


def _ev(eid, inc, name, sha, size):
    return Evidence(
        id=eid,
        incident=inc,
        name=name,
        size=size,
        sha256=sha,
        acquired_at=dt.datetime(2026, 2, 20, 18, 0, tzinfo=UTC),
        acquired_by="Giulia Bianchi",
        method="file",
    )


def incident(iid, kind, day, *, platform="linkedin", note=None, action="none", evidence=()):
    return Incident(
        id=iid,
        kind=kind,
        contact="c1",
        when=dt.datetime(2026, 2, day, 10, 15, tzinfo=UTC),
        platform=platform,
        note=note,
        action=action,
        evidence=tuple(evidence),
    )


INCIDENTS = {
    "mailing-list": incident(
        "i1", "mailing-list", 2, platform="email",
        note="Subscribed me to the \"GrowthPeak Weekly\" newsletter; three issues so far.",
        evidence=[_ev("e1", "i1", "growthpeak-weekly-issue-1.eml", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", 48213)],
    ),
    "forwarded": incident(
        "i2", "forwarded", 6, action="blocked",
        note="My private message about a job change was forwarded to two of his clients.",
        evidence=[
            _ev("e2", "i2", "forwarded-thread.png", "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752", 734002),
            _ev("e3", "i2", "client-reply.pdf", "fd61a03af4f77d870fc21e05e7e80678095c92d808cfb3b5c279ee04c74aca13", 120566),
        ],
    ),
    "endorsement": incident(
        "i3", "endorsement", 9,
        note="Told a prospect that I \"use and recommend\" GrowthPeak's coaching.",
        evidence=[_ev("e4", "i3", "prospect-email.eml", "a4e624d686e03ed2767c0abd85c14426b0b1157d2ce81d27bb4fe4f6f01d688a", 9120)],
    ),
    "direct-pitch": incident("i4", "direct-pitch", 12, note="Pitched a \u20ac2,400 coaching package."),
    "unsolicited-message": incident("i5", "unsolicited-message", 13),
    "introduction-request": incident("i6", "introduction-request", 14),
    "discussion-list": incident(
        "i7", "discussion-list", 16, platform="whatsapp", action="removed",
        note="Added me to the WhatsApp group \"Milano Growth Hackers\" (212 members).",
    ),
    "group-phishing": incident(
        "i8", "group-phishing", 18, action="reported",
        note="Posted a fake \"LinkedIn Premium refund\" link in the group \"Milano Founders\","
        " asking for card details.",
        evidence=[_ev("e5", "i8", "phishing-link.png", "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae", 301554)],
    ),
    "other": incident("i9", "other", 20, note="Kept phoning my office number."),
}

CHECKPOINT = Checkpoint(
    origin="gdprkit.local/ledger/5f2c8e0a9b1d4c3e8f7a6b5c4d3e2f10",
    tree_size=27,
    root_hash=bytes.fromhex("3b7e1f0c9a2d4e6f8a1b3c5d7e9f0a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e2f"),
)

# the objection of 5 March, unanswered
OBJECTION_REQUEST = Request(
    id="r1",
    kind="objection",
    lang="en",
    format="pdf",
    recipient_name="Marco Ferri",
    recipient_email="marco@growthpeak.example",
    recipient_address="Corso Vittorio Emanuele II 45\n10125 Torino TO",
    recipient_country="IT",
    contact="c1",
    incidents=("i1", "i2", "i3"),
    sent=SENT,
    due=dt.date(2026, 4, 7),
    sha256="d2a84f4b8b650937ec8f73cd8be2c74add5a911ba64df27458ed8229da804a26",
    events=(RequestEvent(type="sent", on=SENT),),
)

GARANTE = {
    "name": "Garante per la protezione dei dati personali",
    "address": ["Piazza Venezia 11", "00187 Roma"],
    "email": "protocollo@pec.gpdp.it",
    "country": "IT",
    "snapshot_date": "2026-07-21",
}

# the reminder (10 April) and the complaint (27 April) follow it
OBJECTION_REMINDED = Request(
    **{**OBJECTION_REQUEST.__dict__,
       "events": (*OBJECTION_REQUEST.events,
                  RequestEvent(type="reminder-sent", on=dt.date(2026, 4, 10)))}
)

LINKEDIN = Recipient(
    name="LinkedIn Ireland Unlimited Company",
    org="LinkedIn Ireland Unlimited Company",
    email="abuse@linkedin.example",
    address="Wilton Plaza\nWilton Place\nDublin 2",
    country="IE",
    snapshot_date="2026-07-21",  # addressed from the directory
)

GARANTE_RECIPIENT = Recipient(
    name=GARANTE["name"],
    org=GARANTE["name"],
    email=GARANTE["email"],
    address="\n".join(GARANTE["address"]),
    country="IT",
    snapshot_date=GARANTE["snapshot_date"],
)


def golden_cases() -> dict[str, dict]:
    """Keyword arguments of render_letter for each letter kind of the golden files."""
    i = INCIDENTS
    contact_recipient = recipient_from_contact(CONTACT)
    common = dict(requester=REQUESTER, contact=CONTACT, checkpoint=CHECKPOINT,
                  authority=GARANTE, sent=SENT, now=NOW)
    three = [i["mailing-list"], i["forwarded"], i["endorsement"]]
    return {
        "objection": dict(common, recipient=contact_recipient,
                          incidents=[*three, i["direct-pitch"]]),
        "erasure": dict(common, recipient=contact_recipient, incidents=three),
        "access": dict(common, recipient=contact_recipient, incidents=three),
        "restriction": dict(common, recipient=contact_recipient,
                            incidents=[i["forwarded"], i["endorsement"]]),
        "withdraw-consent": dict(common, recipient=contact_recipient,
                                 incidents=[i["mailing-list"], i["discussion-list"]]),
        "platform-report": dict(common, recipient=LINKEDIN,
                                incidents=[i["forwarded"], i["group-phishing"]]),
        "reminder": dict(common, recipient=contact_recipient, incidents=three,
                         request=OBJECTION_REQUEST, sent=dt.date(2026, 4, 10),
                         now=dt.datetime(2026, 4, 10, 8, 0, tzinfo=UTC)),
        "complaint": dict(common, recipient=GARANTE_RECIPIENT, incidents=three,
                          request=OBJECTION_REMINDED, sent=dt.date(2026, 4, 27),
                          now=dt.datetime(2026, 4, 27, 8, 0, tzinfo=UTC)),
    }
