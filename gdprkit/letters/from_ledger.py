"""Letters about what a ledger holds: choose the facts and the recipient, render, record.

``gdprkit letter`` and ``gdprkit demo`` both go through here::

    with Ledger.open(path, passphrase) as led:
        letter = letter_from_ledger(led, "objection", contact="c1", fmt="pdf")
        Path("objection.pdf").write_bytes(letter.rendered.content)
        request = record_letter(led, letter)          # the request r1, due letter.rendered.due
        reminder = letter_from_ledger(led, "reminder", request=request.id)

A reminder or complaint recorded with :func:`record_letter` also appends
``reminder-sent`` / ``complaint-filed`` to the request it follows, so the
original request's status shows the escalation.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..errors import BadInput, GdprkitError
from ..model import Contact, Incident, LetterKind, Request
from .render import (
    Recipient,
    RenderedLetter,
    recipient_from_contact,
    recipient_from_directory,
    recipient_from_request,
    render_letter,
)

_FOLLOW_UPS = {LetterKind.REMINDER.value: "reminder-sent",
               LetterKind.COMPLAINT.value: "complaint-filed"}


@dataclass(frozen=True)
class LedgerLetter:
    """A rendered letter and what it was made from (for recording it)."""

    rendered: RenderedLetter
    kind: str
    fmt: str
    sent: _dt.date
    recipient: Recipient
    incidents: tuple[Incident, ...]
    contact: Contact | None
    request: Request | None  # the request a reminder or complaint follows
    left_out: tuple[str, ...] = field(default=())  # why some incidents were not used


def select_facts(led, kind: str, *, incidents: Sequence[str] = (), contact: str | None = None,
                 request: str | None = None):
    """(incidents, contact, request, left_out) for exactly one of the three selections."""
    chosen = [name for name, value in (("--incident", incidents), ("--contact", contact),
                                        ("--request", request)) if value]
    if len(chosen) != 1:
        raise BadInput(
            "give exactly one of --incident ID (repeatable), --contact ID or --request ID",
            hint="reminder and complaint take --request; the other letters --incident or "
            "--contact",
        )
    follow_up = kind in _FOLLOW_UPS
    if follow_up and not request:
        raise BadInput(f"a {kind} follows an earlier request: give --request ID")
    if request and not follow_up:
        raise BadInput(
            f"--request is for reminder and complaint letters; give --incident or --contact "
            f"for a {kind}"
        )
    if request:
        req = led.request(request)
        if req.shredded:
            raise BadInput(f"request {req.id} was shredded")
        found = [led.incident(i) for i in req.incidents]
        person = led.contact(req.contact) if req.contact else None
        # a shredded contact's details are gone from the ledger: no letter names them
        if person is not None and person.shredded:
            raise BadInput(f"request {req.id} concerns contact {person.id}, which was shredded: "
                           f"a {kind} letter cannot name them")
        if req.recipient_shredded:
            raise BadInput(f"the recipient of request {req.id} was shredded")
        return found, person, req, ()
    if contact:
        person = led.contact(contact)
        if person.shredded:
            raise BadInput(f"contact {person.id} was shredded")
        kept, left_out = _fitting(kind, led.incidents(contact=person.id))
        if not kept:
            raise BadInput(f"contact {person.id} has no incidents", hint="log one with 'gdprkit log'")
        return kept, person, None, left_out
    found = [led.incident(i) for i in dict.fromkeys(incidents)]
    for inc in found:
        if inc.shredded:
            raise BadInput(f"incident {inc.id} was shredded")
    owners = {i.contact for i in found}
    if len(owners) > 1:
        raise BadInput(
            "the incidents belong to different contacts ("
            + ", ".join(sorted(owners)) + "): one letter goes to one contact"
        )
    person = led.contact(owners.pop())
    if person.shredded:
        raise BadInput(f"contact {person.id} was shredded")
    return found, person, None, ()


def _fitting(kind: str, incidents: list[Incident]) -> tuple[list[Incident], tuple[str, ...]]:
    """A contact's incidents that the letter fits, and a line for each one left out.

    (Incidents chosen one by one with --incident are checked by render_letter,
    where a misfit is an error.)
    """
    from ..legal import bases

    kept = [i for i in incidents if not i.shredded and bases.fits(kind, i.kind)]
    live = [i for i in incidents if not i.shredded]
    if not kept and live:
        bases.check_fit(kind, live[0].kind, incident_id=live[0].id)
    left_out = tuple(
        f"Left out {inc.id} ({inc.kind}): "
        + ("shredded" if inc.shredded else bases.refusal(kind, inc.kind))
        for inc in incidents if inc not in kept
    )
    return kept, left_out


def authority_for(profile, code: str | None, *, required: bool, named: bool = True):
    """The supervisory authority to name (or to address, for a complaint).

    ``code`` (``--authority``) wins over the profile's country.  Germany has
    one authority per Land, and a letter must name the authority (issue 4):
    plain ``DE`` is refused, asking for the Land, unless the letter names no
    authority (``named=False``: a platform report).
    """
    from .._validate import needs_land
    from ..legal import directory

    explicit = bool(code)
    code = code or (profile.country if profile else None)
    if not code:
        if required:
            raise BadInput("a complaint goes to the authority of your country, which is not set",
                           hint="use --authority CC, or 'gdprkit profile set --country CC'")
        return None
    if needs_land(code) and (named or explicit):
        lands = ", ".join(c for c in directory.authority_codes() if c.startswith("DE-"))
        if explicit:
            raise BadInput("--authority DE: Germany has one supervisory authority per Land; "
                           "give the Land as DE-XX", hint=f"valid: {lands}")
        raise BadInput(
            "your profile's country is DE, and Germany has one supervisory authority per "
            "Land: the letter must name yours",
            hint="give your Land with 'gdprkit profile set --subdivision XX' (or --authority "
            f"DE-XX for this letter); XX is one of {lands.replace('DE-', '')}",
        )
    try:
        return directory.authority_for_complaint(code)
    except GdprkitError:
        if required or explicit:
            raise
        return None  # the letter then names "the competent supervisory authority"


def platform_recipient(incidents, contact, name: str | None,
                       country: str | None = None) -> Recipient:
    """The controller of the platform to report to; ``country`` is the requester's
    (in the EEA, Google's controller is Google Ireland Limited, not Google LLC)."""
    from ..errors import NotFound
    from ..legal import directory

    if name:  # given by the user: an unknown name is their error
        return recipient_from_directory(directory.platform(name, country=country))
    # Otherwise the first recorded platform that the directory knows: an incident
    # "on e-mail" has no platform to report to, a later one on LinkedIn has.
    recorded = [i.platform for i in incidents if i.platform]
    if contact is not None and contact.platform:
        recorded.append(contact.platform)
    for candidate in dict.fromkeys(recorded):
        try:
            return recipient_from_directory(directory.platform(candidate, country=country))
        except NotFound:
            continue
    if not recorded:
        raise BadInput("which platform should receive the report? none is recorded",
                       hint="use --platform NAME, e.g. --platform linkedin")
    raise BadInput("no platform to report to: " + ", ".join(repr(r) for r in dict.fromkeys(
                   recorded)) + " is not a platform in the directory",
                   hint="use --platform NAME, e.g. --platform linkedin or --platform mailchimp")


def letter_from_ledger(
    led,
    kind: str,
    *,
    incidents: Sequence[str] = (),
    contact: str | None = None,
    request: str | None = None,
    lang: str | None = None,
    fmt: str = "txt",
    sent: _dt.date | None = None,
    template_dir=None,
    attach_pdf: bool = False,
    authority: str | None = None,
    platform: str | None = None,
    now: _dt.datetime | None = None,
) -> LedgerLetter:
    """Render a letter of ``kind`` about incidents in an open ledger.

    Give exactly one of ``incidents`` (ids), ``contact`` (all of the contact's
    incidents the letter fits) or ``request`` (for a reminder or complaint).
    The recipient follows from the kind: the contact (or their business), the
    platform of the incidents, the original request's recipient, or the
    supervisory authority of the requester's country (``authority`` overrides).
    """
    kind = LetterKind.parse(kind).value
    profile = led.profile()
    if profile is None or not profile.name:
        raise BadInput("your profile has no name", hint="set it with 'gdprkit profile set'")
    found, person, req, left_out = select_facts(led, kind, incidents=incidents,
                                                contact=contact, request=request)
    is_complaint = kind == LetterKind.COMPLAINT.value
    named_authority = authority_for(profile, authority, required=is_complaint,
                                    named=kind != LetterKind.PLATFORM_REPORT.value)
    if is_complaint:
        recipient = recipient_from_directory(named_authority)
    elif kind == LetterKind.PLATFORM_REPORT.value:
        recipient = platform_recipient(found, person, platform, profile.country)
    elif kind == LetterKind.REMINDER.value:
        recipient = recipient_from_request(req)
    else:
        if person is None:
            raise BadInput("no contact to write to")
        recipient = recipient_from_contact(person)
    sent = sent or _dt.date.today()
    rendered = render_letter(
        kind,
        lang=lang or profile.lang or "en",
        fmt=fmt,
        requester=profile,
        recipient=recipient,
        incidents=found,
        contact=person,
        sent=sent,
        checkpoint=led.checkpoint(),
        request=req,
        template_dir=template_dir,
        authority=named_authority,
        attach_pdf=attach_pdf,
        now=now,
    )
    # rendered.recipient: as the letter names it (a directory name in the letter's language)
    return LedgerLetter(rendered=rendered, kind=kind, fmt=fmt, sent=sent,
                        recipient=rendered.recipient,
                        incidents=tuple(found), contact=person, request=req, left_out=left_out)


def record_letter(led, letter: LedgerLetter, *, warn: Callable[[str], None] | None = None,
                  today: _dt.date | None = None) -> Request:
    """Record a letter as a request (one transaction); returns the new request.

    A reminder or complaint also appends ``reminder-sent`` / ``complaint-filed``
    to the request it follows when its lifecycle allows it (a reminder to a
    request already closed, or one dated after ``today``, is recorded alone,
    and ``warn`` says why).
    """
    from ..legal.lifecycle import validate_event

    r = letter.rendered
    with led.transaction():
        new = led.add_request(
            kind=letter.kind,
            lang=r.lang,
            format=letter.fmt,
            recipient_name=letter.recipient.name,
            recipient_email=letter.recipient.email,
            recipient_address=letter.recipient.address,
            recipient_country=letter.recipient.country,
            contact=letter.contact.id if letter.contact else None,
            incidents=tuple(i.id for i in letter.incidents),
            sent=letter.sent,
            due=r.due,
            sha256=r.sha256,
            related_request=letter.request.id if letter.request else None,
        )
        event = _FOLLOW_UPS.get(letter.kind)
        if event and letter.request is not None:
            original = led.request(letter.request.id)
            profile = led.profile()
            try:
                validate_event(original, event, letter.sent, today=today or _dt.date.today(),
                               fallback_country=profile.country if profile else None)
            except BadInput as err:
                if warn:
                    warn(f"{original.id} not marked {event}: {err}")
            else:
                led.add_request_event(original.id, event, letter.sent,
                                      f"{letter.kind} letter {new.id}")
    return led.request(new.id)
