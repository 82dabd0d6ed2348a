"""The template context: every variable a letter template can use.

Templates receive read-only views (frozen dataclasses) built from the model;
an attribute that does not exist is an error (StrictUndefined), and printing
a value that is ``None`` is an error too (guard optional values with
``{% if %}``).  Dates are :class:`datetime.date` objects: format them in the
template with the ``date`` filter so that the wording and the date pattern
stay per language.

Top-level variables
-------------------
``kind``            the letter kind (``objection`` ...)
``lang``            the letter's language (``en`` ...)
``sent``            date the letter is sent (receipt date for e-mail)
``due``             date the answer is due, or None (platform-report)
``reminder_days``   days of grace a reminder gives (bases.REMINDER_DAYS)
``place``           the requester's town, taken from the profile address, or None
``requester``       :class:`PartyView` - the person writing
``recipient``       :class:`PartyView` - the addressee
``contact``         :class:`ContactView` or None - the person misusing data
``controller``      :class:`PartyView` or None - complaint: the party complained
                    about (the addressee of the original request)
``incidents``       list of :class:`IncidentView`, oldest first, numbered from 1
``evidence_count``  number of evidence items over all incidents
``platforms``       distinct platform names of the incidents, in order
``legal``           :class:`LegalView` - codes from ``gdprkit.legal.bases``
``authority``       :class:`AuthorityView` or None - the supervisory authority
``checkpoint``      :class:`CheckpointView` or None - the ledger's checkpoint
``request``         :class:`RequestView` or None - reminder/complaint: the
                    request they follow

Filters (all in the letter's language, via Babel)
-------------------------------------------------
``value|date("d MMMM y")``      a date (CLDR pattern, or short/medium/long/full)
``value|datetime("d MMMM y, HH:mm")``  a date-time (at its own UTC offset, else UTC)
``n|number``                    a number with the language's separators
``n|filesize``                  a byte count: ``12.5 kB``
``code|country_name``           ``IT`` -> ``Italy`` / ``Italia``
``items|join_list``             ``a, b and c`` / ``a, b e c``
``text|nl2br``                  keep the line breaks of a user's text
``text|capfirst``               upper-case the first letter only
Globals: ``fail(message)`` stops rendering with an error (use it in the
``else`` branch of a code-to-wording table so an unknown code never
passes silently).

Views are documented on their classes below.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..legal.bases import EMAIL_CHANNELS, LetterBasis, Reason

__all__ = [
    "AuthorityView",
    "CheckpointView",
    "ContactView",
    "EvidenceView",
    "IncidentView",
    "LegalView",
    "PartyView",
    "RequestView",
    "build_context",
    "place_of",
    "request_view",
]

# Brand spellings for platform values users type in lower case.
_BRANDS = {
    "linkedin": "LinkedIn",
    "whatsapp": "WhatsApp",
    "facebook": "Facebook",
    "instagram": "Instagram",
    "telegram": "Telegram",
    "tiktok": "TikTok",
    "xing": "XING",
    "twitter": "X (Twitter)",
    "x": "X",
    "mailchimp": "Mailchimp",
    "brevo": "Brevo",
    "sendinblue": "Sendinblue",
    "gmail": "Gmail",
}


def platform_name(value: str | None) -> str | None:
    """``linkedin`` -> ``LinkedIn``; unknown values unchanged."""
    if value is None:
        return None
    return _BRANDS.get(value.strip().lower(), value.strip())


def _lines(text: str | None) -> tuple[str, ...]:
    if not text:
        return ()
    return tuple(line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip())


_POSTCODE = re.compile(r"\S*\d\S*")


@functools.lru_cache(maxsize=64)
def _country_names(country: str) -> frozenset[str]:
    """A country's names in the letter languages and its own: an address may end
    with "Italia" while the letter, in English, calls the country "Italy"."""
    from babel import Locale

    names = {country.casefold()}
    for locale in ("en", "it", "de", "fr", "es", "nl", "pt", "pl", "sv", "da", "fi", "cs",
                   "el", "hu", "ro", "sk", "sl", "hr", "bg", "et", "lv", "lt", "mt", "ga"):
        name = Locale.parse(locale).territories.get(country.upper())
        if name:
            names.add(name.casefold())
    return frozenset(names)


def place_of(address: str | None, country_name: str | None = None,
             country: str | None = None) -> str | None:
    """The town of an address: its last line without the country and postal codes.

    ``"Via Roma 1\\n20121 Milano"`` -> ``"Milano"``; so is ``"...\\n20121 Milano MI\\nItalia"``
    (a last line naming the country in any EU language is dropped).  None when
    nothing is left.
    """
    lines = list(_lines(address))
    names = _country_names(country) if country else frozenset()
    if country_name:
        names |= {country_name.casefold()}
    if lines and lines[-1].casefold() in names:
        lines.pop()
    if not lines:
        return None
    words = _POSTCODE.sub(" ", lines[-1]).replace(",", " ").split()
    # a trailing province or state code: "Milano MI", "Albany NY"
    if len(words) > 1 and len(words[-1]) == 2 and words[-1].isupper():
        words.pop()
    town = " ".join(words).strip(" -")
    return town or None


@dataclass(frozen=True)
class PartyView:
    """A person or organisation with an address.

    ``name`` (always), ``org`` (or None), ``email`` (or None),
    ``address_lines`` (tuple of lines, may be empty), ``country`` (ISO code or
    None), ``country_name`` (in the letter's language, or None),
    ``postal_lines``: the whole postal block in order - org, name, address
    lines, and the country name in capitals when the letter crosses a border;
    ``is_org``: True when addressed to an organisation without a person;
    ``snapshot_date``: for an authority or platform addressed from gdprkit's
    directory, the date (a :class:`datetime.date`) of the directory data its
    address came from, else None (print it next to the address).
    """

    name: str
    org: str | None
    email: str | None
    address_lines: tuple[str, ...]
    country: str | None
    country_name: str | None
    postal_lines: tuple[str, ...]
    is_org: bool = False
    snapshot_date: _dt.date | None = None


@dataclass(frozen=True)
class ContactView:
    """The contact: ``id name email profile_url platform org org_email
    org_address_lines country`` (absent values are None / empty)."""

    id: str
    name: str
    email: str | None
    profile_url: str | None
    platform: str | None
    org: str | None
    org_email: str | None
    org_address_lines: tuple[str, ...]
    country: str | None


@dataclass(frozen=True)
class EvidenceView:
    """One evidence item: ``id name size sha256`` (64 hex digits) ``fingerprint``
    (its first 16) ``acquired_at`` (when gdprkit stored it, in UTC) ``method``
    (``file``, ``import`` or ``screenshot``) ``source media_type``."""

    id: str
    name: str
    size: int
    sha256: str
    fingerprint: str
    acquired_at: _dt.datetime | None
    method: str
    source: str | None
    media_type: str | None


@dataclass(frozen=True)
class IncidentView:
    """One incident: ``number`` (1.. as listed), ``id kind when`` (date-time at
    the UTC offset it was given in) ``day`` (its date there: the day the user
    meant) ``platform`` (display name, or None - also
    when it happened by e-mail) ``by_email`` (bool) ``note``
    (the user's words or None) ``action`` (blocked/reported/removed/none)
    ``evidence`` (tuple of EvidenceView)."""

    number: int
    id: str
    kind: str
    when: _dt.datetime
    day: _dt.date
    platform: str | None
    by_email: bool
    note: str | None
    action: str
    evidence: tuple[EvidenceView, ...]


@dataclass(frozen=True)
class CheckpointView:
    """The ledger checkpoint: ``origin tree_size root_hash`` (hex)
    ``root_prefix`` (first 16 hex digits)."""

    origin: str
    tree_size: int
    root_hash: str
    root_prefix: str


@dataclass(frozen=True)
class AuthorityView:
    """A supervisory authority: ``name address_lines email web webform country
    snapshot_date`` (the date of the directory data, or None)."""

    name: str
    address_lines: tuple[str, ...]
    email: str | None
    web: str | None
    webform: str | None
    country: str | None
    snapshot_date: str | None


@dataclass(frozen=True)
class EventView:
    """A step in a request's life: ``type`` (answered/extended/refused...) ``on note``."""

    type: str
    on: _dt.date
    note: str | None


@dataclass(frozen=True)
class RequestView:
    """The request a reminder or complaint follows: ``id kind lang sent due
    sha256 fingerprint`` ``status`` (``overdue``: the deadline passed without
    an answer; ``partial``: only a partial answer; ``answered``; ``refused``;
    ``pending``: the deadline has not passed) ``due`` (the current deadline,
    extensions and pauses included) ``extended`` (bool) ``events`` (tuple of
    EventView, in order: ``type`` is one of the ledger's event types, e.g.
    ``extended``, ``answered``, ``partially-answered``, ``refused``,
    ``reminder-sent``)."""

    id: str
    kind: str
    lang: str
    sent: _dt.date
    due: _dt.date | None
    sha256: str
    fingerprint: str
    status: str
    extended: bool
    events: tuple[EventView, ...]


@dataclass(frozen=True)
class LegalView:
    """Codes from :func:`gdprkit.legal.bases.letter_basis`: ``grounds``,
    ``demands``, ``infringements`` (tuples of codes), ``household`` (tuple of
    Reason with ``code`` and ``facts``: the fact numbers), ``eprivacy_rule``
    (national citation or None), ``dsa`` (bool), ``original`` (reminder and
    complaint: the kind of the first letter), ``incident_kinds``.
    ``legal.has(code)`` tells whether a ground or demand is present."""

    grounds: tuple[str, ...]
    demands: tuple[str, ...]
    infringements: tuple[str, ...]
    household: tuple[Reason, ...]
    eprivacy_rule: str | None
    dsa: bool
    original: str | None
    incident_kinds: tuple[str, ...]

    def has(self, code: str) -> bool:
        return code in self.grounds or code in self.demands


# The views: frozen dataclasses of data, read by templates (templating._sandbox_class).
# Reason (legal.household) is one too.
VIEW_TYPES: frozenset[type] = frozenset(
    {PartyView, ContactView, EvidenceView, IncidentView, CheckpointView, AuthorityView,
     EventView, RequestView, LegalView, Reason}
)


def _country_name(code: str | None, lang: str) -> str | None:
    if not code:
        return None
    return _territory_name(code, lang)


@functools.lru_cache(maxsize=256)
def _territory_name(code: str, lang: str) -> str | None:
    """The country's name in ``lang`` (Babel's data, fixed: asked once per pair)."""
    from babel import Locale

    cc = code.strip().upper()[:2]
    cc = {"UK": "GB", "EL": "GR"}.get(cc, cc)
    return Locale.parse(lang).territories.get(cc)


def party_view(
    *, name: str, org: str | None, email: str | None, address: str | Sequence[str] | None,
    country: str | None, lang: str, home_country: str | None,
    snapshot_date: str | _dt.date | None = None,
) -> PartyView:
    lines = _lines(address) if isinstance(address, str | None) else tuple(
        x.strip() for x in address if x and x.strip()
    )
    cname = _country_name(country, lang)
    postal: list[str] = []
    if org and org != name:
        postal.append(org)
    postal.append(name)
    postal += lines
    crosses = (
        country and home_country and country.upper()[:2] != home_country.upper()[:2]
    )
    if crosses and cname and (not lines or lines[-1].casefold() != cname.casefold()):
        postal.append(cname.upper())
    return PartyView(
        name=name,
        org=org,
        email=email,
        address_lines=lines,
        country=country.upper() if country else None,
        country_name=cname,
        postal_lines=tuple(postal),
        is_org=bool(org) and org == name,
        snapshot_date=_dt.date.fromisoformat(snapshot_date) if isinstance(snapshot_date, str)
        else snapshot_date,
    )


def evidence_view(ev) -> EvidenceView:
    return EvidenceView(
        id=ev.id,
        name=ev.name,
        size=ev.size,
        sha256=ev.sha256,
        fingerprint=ev.sha256[:16],
        acquired_at=ev.acquired_at.astimezone(_dt.UTC)
        if ev.acquired_at is not None and ev.acquired_at.tzinfo is not None else ev.acquired_at,
        method=ev.method,
        source=ev.source,
        media_type=ev.media_type,
    )


def incident_views(incidents) -> list[IncidentView]:
    out = []
    for number, inc in enumerate(incidents, start=1):
        when = inc.when  # at its own UTC offset: its date is the day it happened there
        by_email = (inc.platform or "").strip().lower() in EMAIL_CHANNELS
        out.append(
            IncidentView(
                number=number,
                id=inc.id,
                kind=inc.kind,
                when=when,
                day=when.date(),
                platform=None if by_email else platform_name(inc.platform),
                by_email=by_email,
                note=inc.note if inc.note and inc.note.strip() else None,
                action=inc.action or "none",
                evidence=tuple(evidence_view(e) for e in inc.evidence if not e.shredded),
            )
        )
    return out


def checkpoint_view(cp) -> CheckpointView | None:
    if cp is None:
        return None
    root = cp.root_hash.hex() if isinstance(cp.root_hash, bytes) else str(cp.root_hash)
    return CheckpointView(
        origin=cp.origin, tree_size=cp.tree_size, root_hash=root, root_prefix=root[:16]
    )


def _get(obj, name, default=None):
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def authority_view(auth, lang: str) -> AuthorityView | None:
    """From a directory ``Authority``, a mapping with the same keys, or a Recipient."""
    if auth is None:
        return None
    address = _get(auth, "address") or ()
    lines = _lines(address) if isinstance(address, str) else tuple(address)
    name_in = getattr(auth, "name_in", None)  # a directory record: named in the letter's language
    return AuthorityView(
        name=name_in(lang) if name_in is not None else _get(auth, "name"),
        address_lines=lines,
        email=_get(auth, "email"),
        web=_get(auth, "web"),
        webform=_get(auth, "webform"),
        country=(_get(auth, "country") or None) and _get(auth, "country").upper(),
        snapshot_date=_get(auth, "snapshot_date") or None,
    )


def request_view(req, *, status: str, due: _dt.date | None, extended: bool) -> RequestView:
    return RequestView(
        id=req.id,
        kind=req.kind,
        lang=req.lang,
        sent=req.sent,
        due=due,
        sha256=req.sha256,
        fingerprint=req.sha256[:16],
        status=status,
        extended=extended,
        events=tuple(EventView(e.type, e.on, e.note) for e in req.events),
    )


def legal_view(basis: LetterBasis) -> LegalView:
    return LegalView(
        grounds=basis.grounds,
        demands=basis.demands,
        infringements=basis.infringements,
        household=basis.household,
        eprivacy_rule=basis.eprivacy_rule,
        dsa=basis.dsa,
        original=basis.original,
        incident_kinds=basis.incident_kinds,
    )


def build_context(
    *,
    kind: str,
    lang: str,
    sent: _dt.date,
    due: _dt.date | None,
    requester,
    recipient,
    contact,
    controller,
    incidents,
    basis: LetterBasis,
    authority,
    checkpoint,
    request,
    request_state: tuple[str, _dt.date | None, bool] | None,
    reminder_days: int,
) -> dict:
    """The variables of the module docstring, from model objects."""
    home = requester.country
    req_view = party_view(
        name=requester.name, org=None, email=requester.email, address=requester.address,
        country=requester.country, lang=lang, home_country=home,
    )
    rec_view = party_view(
        name=recipient.name, org=recipient.org, email=recipient.email,
        address=recipient.address, country=recipient.country, lang=lang, home_country=home,
        snapshot_date=getattr(recipient, "snapshot_date", None),
    )
    ctrl_view = None
    if controller is not None:
        ctrl_view = party_view(
            name=controller.name, org=controller.org, email=controller.email,
            address=controller.address, country=controller.country, lang=lang,
            home_country=home,
        )
    contact_view = None
    if contact is not None:
        contact_view = ContactView(
            id=contact.id,
            name=contact.name,
            email=contact.email,
            profile_url=contact.profile_url,
            platform=platform_name(contact.platform),
            org=contact.org,
            org_email=contact.org_email,
            org_address_lines=_lines(contact.org_address),
            country=contact.country.upper() if contact.country else None,
        )
    inc_views = incident_views(incidents)
    platforms = list(dict.fromkeys(i.platform for i in inc_views if i.platform))
    return {
        "kind": kind,
        "lang": lang,
        "sent": sent,
        "due": due,
        "reminder_days": reminder_days,
        "place": place_of(requester.address, req_view.country_name, requester.country),
        "requester": req_view,
        "recipient": rec_view,
        "contact": contact_view,
        "controller": ctrl_view,
        "incidents": inc_views,
        "evidence_count": sum(len(i.evidence) for i in inc_views),
        "platforms": platforms,
        "legal": legal_view(basis),
        "authority": authority_view(authority, lang),
        "checkpoint": checkpoint_view(checkpoint),
        "request": None if request is None else request_view(
            request, status=request_state[0], due=request_state[1], extended=request_state[2]
        ),
    }
