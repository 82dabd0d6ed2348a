"""``render_letter``: one template rendering, written out in the asked format.

Pipeline: validate -> legal basis (:mod:`gdprkit.legal.bases`) -> deadline
(:mod:`gdprkit.legal.deadlines`) -> context (:mod:`.context`) -> template
(:mod:`.templating`) -> letter markup -> :class:`~.markup.Document` -> one
writer (:mod:`.writers`).  Every format is derived from the same Document,
so the txt, html and pdf of a letter say the same thing.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..errors import BadInput
from ..legal import bases
from ..model import FORMATS, LANGUAGES, Checkpoint, Contact, Incident, LetterKind, Profile, Request

__all__ = [
    "MEDIA_TYPES",
    "Recipient",
    "RenderedLetter",
    "recipient_from_contact",
    "recipient_from_directory",
    "recipient_from_request",
    "render_letter",
]

MEDIA_TYPES = {
    "txt": "text/plain; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "eml": "message/rfc822",
    "pdf": "application/pdf",
}


@dataclass(frozen=True)
class Recipient:
    """Who a letter is addressed to.  ``org`` equal to ``name`` means an organisation."""

    name: str
    org: str | None = None
    email: str | None = None
    address: str | None = None  # lines separated by newlines
    country: str | None = None  # ISO 3166-1 alpha-2 (or DE-BY form)
    # For an authority or platform taken from gdprkit's directory: the date of
    # the directory data its address or e-mail came from (None when the user's
    # override file supplied both), printed in the letter; and the record, so
    # that a missing field is named as the override file spells it.
    snapshot_date: str | None = None
    directory_record: object = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class RenderedLetter:
    """A rendered letter and what the ledger records about it."""

    content: bytes
    fmt: str
    media_type: str
    due: _dt.date | None
    subject: str
    sha256: str  # hex, of ``content``
    recipient: Recipient
    kind: str = ""
    lang: str = ""
    sent: _dt.date | None = None

    @property
    def filename(self) -> str:
        """A safe default file name: ``objection-2026-03-05.pdf``."""
        day = self.sent.isoformat() if self.sent else "undated"
        return f"{self.kind}-{day}.{self.fmt}"


def recipient_from_contact(contact: Contact) -> Recipient:
    """Address the contact: at their organisation when they act for one.

    E-mail: the contact's own address, else the organisation's.
    """
    if contact.shredded:
        raise BadInput(f"contact {contact.id} was shredded: there is no one to write to")
    return Recipient(
        name=contact.name,
        org=contact.org or None,
        email=contact.email or contact.org_email or None,
        address=contact.org_address or None,
        country=contact.country or None,
    )


def _is_country_line(line: str, country: str, from_snapshot: bool) -> bool:
    """Whether an address's last line names ``country``.

    The snapshot's addresses always end with the country line; a user's
    override may or may not, so there the line must read as the country's
    name (in English or a letter language, or its own) to be taken for it.
    """
    if from_snapshot:
        return True
    from babel import Locale

    cc = country.upper()[:2]
    cc = {"UK": "GB", "EL": "GR"}.get(cc, cc)
    wanted = line.strip().casefold()
    names = {cc.casefold()}
    for lang in ("en", "it", "de", "fr", "es"):
        name = Locale.parse(lang).territories.get(cc)
        if name:
            names.add(name.casefold())
    return wanted in names


def recipient_from_directory(record) -> Recipient:
    """Address an authority or platform controller of :mod:`gdprkit.legal.directory`.

    The directory's address ends with the country line; when the record's
    country is known that line is dropped, because the letter adds the
    country name in its own language when it crosses a border.  The
    recipient keeps the directory's snapshot date (printed in the letter next
    to the address) and the record (to name a missing field).
    """
    lines = list(getattr(record, "address", ()) or ())
    country = getattr(record, "country", None)
    if not country:
        rel = [c for c in getattr(record, "relevant_countries", ()) if c and c != "all"]
        country = rel[0].upper() if len(rel) == 1 else None
    source = getattr(record, "source", None)

    def from_snapshot(name: str) -> bool:
        value = source(name) if callable(source) else None
        return bool(value) and not value.startswith("override ")

    if country and len(lines) > 1 and _is_country_line(lines[-1], country,
                                                       from_snapshot("address")):
        lines = lines[:-1]
    dated = from_snapshot("address") or from_snapshot("email")
    return Recipient(
        name=record.name,
        org=record.name,
        email=getattr(record, "email", None),
        address="\n".join(lines) or None,
        country=country,
        snapshot_date=(getattr(record, "snapshot_date", None) or None) if dated else None,
        directory_record=record if source is not None else None,
    )


def recipient_from_request(request: Request) -> Recipient:
    """The addressee of an earlier request (for its reminder)."""
    return Recipient(
        name=request.recipient_name,
        email=request.recipient_email,
        address=request.recipient_address,
        country=request.recipient_country,
    )


def _named_in(recipient: Recipient, lang: str) -> Recipient:
    """A directory recipient under the name a letter in ``lang`` gives it (the
    Garante is not "(Italian Data Protection Authority)" in an Italian letter)."""
    name_in = getattr(recipient.directory_record, "name_in", None)
    if name_in is None:
        return recipient
    local = name_in(lang)
    if local == recipient.name:
        return recipient
    org = local if recipient.org == recipient.name else recipient.org
    return dataclasses.replace(recipient, name=local, org=org)


def _country_for_deadline(recipient: Recipient, requester: Profile) -> str:
    country = recipient.country or requester.country
    if not country:
        raise BadInput(
            "the recipient's country is needed to count the deadline (public holidays differ)",
            hint="set the contact's --country, or your own with 'gdprkit profile set --country'",
        )
    return country


def request_state(
    request: Request, on: _dt.date, fallback_country: str | None
) -> tuple[str, _dt.date | None, bool, bool]:
    """(status, current due, extended, open) of an earlier request on a day.

    The deadline comes from :func:`gdprkit.legal.lifecycle.derive` (extensions
    and pauses included); the status is what a reminder or complaint says:
    ``refused``, ``answered``, ``partial``, ``overdue`` or ``pending``.
    """
    from ..legal.lifecycle import derive

    state = derive(request, on, fallback_country=fallback_country)
    types = {e.type for e in request.events}
    if "refused" in types:
        status = "refused"
    elif "answered" in types:
        status = "answered"
    elif "partially-answered" in types:
        status = "partial"
    elif state.due is not None and on > state.due:
        status = "overdue"
    else:
        status = "pending"
    return status, state.due, state.extended, state.open


def _check_followup(
    kind: str, request: Request | None, sent: _dt.date, fallback_country: str | None
) -> tuple[str, _dt.date | None, bool]:
    if request is None:
        raise BadInput(
            f"a {kind} follows an earlier request: give the request (--request ID)"
        )
    if request.shredded:
        raise BadInput(f"request {request.id} was shredded: there is nothing to refer to")
    if request.kind in (LetterKind.REMINDER.value, LetterKind.COMPLAINT.value):
        target = f" ({request.related_request})" if request.related_request else ""
        raise BadInput(
            f"request {request.id} is itself a {request.kind}: give the original request"
            f"{target} instead"
        )
    if request.kind == LetterKind.PLATFORM_REPORT.value:
        raise BadInput(
            f"request {request.id} is a platform report: a {kind} follows a GDPR request "
            "(objection, erasure, access, restriction or withdraw-consent)"
        )
    status, due, extended, is_open = request_state(request, sent, fallback_country)
    if kind == LetterKind.REMINDER.value:
        if status in ("answered", "refused") or not is_open:
            raise BadInput(
                f"request {request.id} was {status if status != 'pending' else 'closed'}: "
                "a reminder does not fit; if the outcome is not satisfactory, use complaint"
            )
        if due is None or sent <= due:
            when = f"until {due.isoformat()}" if due else "no deadline"
            raise BadInput(
                f"request {request.id} is not overdue (the controller has {when}); "
                "send a reminder after that day"
            )
    return status, due, extended


def render_letter(
    kind: str,
    *,
    lang: str = "en",
    fmt: str = "txt",
    requester: Profile,
    recipient: Recipient,
    incidents: Sequence[Incident] = (),
    contact: Contact | None = None,
    sent: _dt.date | None = None,
    checkpoint: Checkpoint | None = None,
    request: Request | None = None,
    template_dir=None,
    authority=None,
    attach_pdf: bool = False,
    now: _dt.datetime | None = None,
) -> RenderedLetter:
    """Render a GDPR letter of ``kind`` in ``lang`` as ``fmt`` (txt md html eml pdf).

    ``incidents`` are the facts (sorted oldest first in the letter);
    ``contact`` the person misusing data; ``sent`` the date the letter is
    sent (default today), which counts as the receipt date for the deadline
    under Art. 12(3) with the recipient's country's holidays.  ``checkpoint``
    (the ledger's) is printed in the letter.  ``request`` is the earlier
    request a ``reminder`` or ``complaint`` follows.  ``authority`` is the
    supervisory authority named as the next step (a record of
    :mod:`gdprkit.legal.directory` or a mapping with its fields); for a
    complaint it defaults to the ``recipient``.  ``template_dir`` overrides
    built-in templates file by file.  For ``eml``, ``attach_pdf`` adds the
    PDF rendering as an attachment and ``now`` fixes the Date header.

    Raises :class:`BadInput` when the letter does not fit the incidents, a
    needed value is missing, or a template is broken.
    """
    kind = LetterKind.parse(kind).value
    if lang not in LANGUAGES:
        raise BadInput(f"unknown language {lang!r}", hint="valid: " + ", ".join(LANGUAGES))
    if fmt not in FORMATS:
        raise BadInput(f"unknown format {fmt!r}", hint="valid: " + ", ".join(FORMATS))
    if requester is None or not (requester.name or "").strip():
        raise BadInput("the requester's name is missing",
                       hint="set it with 'gdprkit profile set --name'")
    if recipient is None or not (recipient.name or "").strip():
        raise BadInput("the recipient's name is missing")
    recipient = _named_in(recipient, lang)
    if fmt == "pdf" and not (recipient.address or "").strip() and \
            recipient.directory_record is not None:
        from ..legal.directory import require_field

        require_field(recipient.directory_record, "address",
                      need="a pdf letter prints it in the envelope window",
                      alternative="choose another --format")
    sent = sent or _dt.date.today()
    for inc in incidents:
        if inc.shredded:
            raise BadInput(f"incident {inc.id} was shredded: its facts can no longer be cited")
    incidents = sorted(incidents, key=lambda i: (i.when, i.id))

    country = _country_for_deadline(recipient, requester) if kind != "platform-report" else (
        recipient.country or requester.country
    )
    status = None
    followup = None
    if kind in (LetterKind.REMINDER.value, LetterKind.COMPLAINT.value):
        followup = _check_followup(kind, request, sent, requester.country)
        status = followup[0]
    basis = bases.letter_basis(
        kind,
        incidents,
        original=request.kind if request is not None else None,
        country=requester.country,
        status=status,
    )

    if kind == LetterKind.COMPLAINT.value and authority is None:
        authority = {"name": recipient.name, "address": recipient.address,
                     "email": recipient.email, "country": recipient.country}
    due = None
    if basis.deadline == "art12":
        from ..legal.deadlines import due_date

        due = due_date(sent, country)
    elif basis.deadline == "art78":
        from ..legal.deadlines import complaint_followup_date

        due = complaint_followup_date(sent, recipient.country or requester.country or country)
    elif basis.deadline == "reminder":
        due = bases.reminder_due(sent, country)

    controller = None
    if kind == LetterKind.COMPLAINT.value:
        controller = recipient_from_request(request)
        if contact is not None and contact.org and not controller.org:
            controller = Recipient(controller.name, contact.org, controller.email,
                                   controller.address or contact.org_address, controller.country)

    from .context import build_context
    from .markup import parse_markup
    from .templating import render_markup

    context = build_context(
        kind=kind,
        lang=lang,
        sent=sent,
        due=due,
        requester=requester,
        recipient=recipient,
        contact=contact,
        controller=controller,
        incidents=incidents,
        basis=basis,
        authority=authority,
        checkpoint=checkpoint,
        request=request,
        request_state=followup,
        reminder_days=bases.REMINDER_DAYS,
    )
    markup, template_file = render_markup(kind, lang, context, template_dir=template_dir)
    doc = parse_markup(markup, source=f"template {template_file}")
    subject = doc.subject
    if not subject:
        raise BadInput(f"template {template_file} has no <subject> block")

    content = _write(doc, fmt, lang=lang, requester=requester, recipient=recipient,
                     sent=sent, attach_pdf=attach_pdf, now=now, kind=kind)
    return RenderedLetter(
        content=content,
        fmt=fmt,
        media_type=MEDIA_TYPES[fmt],
        due=due,
        subject=subject,
        sha256=hashlib.sha256(content).hexdigest(),
        recipient=recipient,
        kind=kind,
        lang=lang,
        sent=sent,
    )


def _write(doc, fmt, *, lang, requester, recipient, sent, attach_pdf, now, kind) -> bytes:
    if fmt == "txt":
        from .writers.txt import write_txt

        return write_txt(doc).encode("utf-8")
    if fmt == "md":
        from .writers.md import write_md

        return write_md(doc).encode("utf-8")
    if fmt == "html":
        from .writers.html import write_html

        return write_html(doc, lang=lang).encode("utf-8")
    if fmt == "pdf":
        from .writers.pdf import write_pdf

        return write_pdf(doc, lang=lang, title=doc.subject, author=requester.name, created=sent)
    # eml
    from .writers.eml import check_header, write_eml
    from .writers.html import write_html
    from .writers.txt import write_txt

    if not recipient.email and recipient.directory_record is not None:
        from ..legal.directory import require_field

        require_field(recipient.directory_record, "email", need="an eml letter is sent to it",
                      alternative="choose another --format")
    if not recipient.email:
        raise BadInput(
            f"the recipient {recipient.name!r} has no e-mail address (field: email); "
            "an eml letter needs one",
            hint="set the contact's --email or --org-email, or choose another --format",
        )
    if not requester.email:
        raise BadInput(
            "your e-mail address (profile field: email) is missing; an eml letter is sent from it",
            hint="set it with 'gdprkit profile set --email'",
        )
    check_header(requester.name, "requester name")
    check_header(recipient.name, "recipient name")
    block = doc.first("subject")
    if block is not None:
        check_header(block.raw, "subject")
    now = now or _dt.datetime.now().astimezone()
    if now.tzinfo is None:
        now = now.astimezone()
    date = now if now.date() == sent else _dt.datetime.combine(
        sent, _dt.time(12, 0), tzinfo=now.tzinfo
    )
    attachments = ()
    if attach_pdf:
        from .writers.pdf import write_pdf

        pdf = write_pdf(doc, lang=lang, title=doc.subject, author=requester.name, created=sent)
        attachments = ((f"{kind}-{sent.isoformat()}.pdf", pdf, "application/pdf"),)
    return write_eml(
        subject=doc.subject,
        text=write_txt(doc),
        html=write_html(doc, lang=lang),
        sender=(requester.name, requester.email),
        to=(recipient.name, recipient.email),
        lang=lang,
        date=date,
        attachments=attachments,
    )
