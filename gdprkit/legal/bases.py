"""Which rights, articles and demands fit which incident, per letter kind.

This is the legal logic of the letters, kept in Python where it is tested
(``tests/test_bases.py``); the templates only word it.  The source of every
rule is ``LEGAL.md`` ("Which right fits which incident kind").  Items that
document marks "(check)" are left out, as it advises.

The result of :func:`letter_basis` is a :class:`LetterBasis` of *codes*:

``household``
    why the household exemption (Art. 2(2)(c), Recital 18) does not apply,
    one :class:`Reason` per code with the numbers of the facts it rests on;
``grounds``
    the legal arguments, in reading order (each code is one paragraph of the
    template's wording, e.g. ``direct-marketing`` = Art. 21(2)-(3));
``demands``
    the numbered demands, in reading order;
``infringements``
    for a complaint: the provisions the controller is said to have broken.

Every code is listed in :data:`GROUND_ORDER`, :data:`DEMAND_ORDER`,
:data:`HOUSEHOLD_ORDER` or :data:`INFRINGEMENT_ORDER`; a template must word
every one of them (the tests render each code in each language).

A letter that makes no sense for an incident (an objection to an
introduction request) raises :class:`~gdprkit.errors.BadInput` with a
sentence saying what fits instead.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..errors import BadInput
from ..model import IncidentKind, LetterKind

__all__ = [
    "DEMAND_ORDER",
    "GDPR_LETTERS",
    "GROUND_ORDER",
    "HOUSEHOLD_ORDER",
    "INFRINGEMENT_ORDER",
    "NATIONAL_EPRIVACY",
    "REMINDER_DAYS",
    "LetterBasis",
    "Reason",
    "check_fit",
    "fits",
    "letter_basis",
    "refusal",
    "reminder_due",
]

IK = IncidentKind
LK = LetterKind

# Letters addressed to the contact as controller; each rests on incidents.
GDPR_LETTERS = (
    LK.OBJECTION.value,
    LK.ERASURE.value,
    LK.ACCESS.value,
    LK.RESTRICTION.value,
    LK.WITHDRAW_CONSENT.value,
)

# Courtesy period a reminder grants after the legal deadline has passed.  Not
# a legal period: the controller is already late; it only gives a last date
# before the complaint.  Rolled to the next working day of the controller.
REMINDER_DAYS = 14

# ePrivacy Directive 2002/58/EC Art. 13(1) as implemented nationally (LEGAL.md),
# cited in each law's own form: the citation is a proper name in any language.
NATIONAL_EPRIVACY = {
    "IT": "art. 130 del Codice in materia di protezione dei dati personali (d.lgs. 196/2003)",
    "DE": "§ 7 Abs. 2 UWG",
    "FR": "article L34-5 du code des postes et des communications électroniques",
    "ES": "artículo 21 de la Ley 34/2002 (LSSI)",
    "GB": "regulation 22 of the Privacy and Electronic Communications (EC Directive) "
    "Regulations 2003 (PECR)",
}

# Platform values that mean the incident reached the requester by e-mail: only
# then is ePrivacy Art. 13 asserted for a pitch or unsolicited message
# (for platform inbox messages LEGAL.md marks it "check", so it is left out).
EMAIL_CHANNELS = frozenset({"email", "e-mail", "mail", "smtp", "newsletter"})

# -- reading order of every code -------------------------------------------------
HOUSEHOLD_ORDER = (
    "marketing",  # selling / promoting to the requester
    "unsolicited",  # unsolicited messages sent in the course of a business
    "disclosure",  # passing the requester's messages or data to third parties
    "endorsement",  # using the requester's name to promote to others
    "group",  # adding the requester to a group used beyond private contacts
    "fraud",  # phishing for gain in a group
    "introduction",  # asking for introductions for business purposes
    "professional",  # other: tied to a professional or commercial activity
)

GROUND_ORDER = (
    "no-information",  # Art. 14: the data subject was never informed
    "direct-marketing",  # Art. 21(2)-(3): absolute objection to direct marketing
    "eprivacy",  # Directive 2002/58/EC Art. 13(1) + national rule: prior consent
    "no-basis-disclosure",  # Art. 6(1): no lawful basis to disclose messages
    "purpose-limitation",  # Art. 5(1)(b): a further, incompatible purpose
    "no-basis-endorsement",  # Art. 6(1): no basis to use name/relationship to promote
    "no-basis-group",  # Art. 6(1): no basis to add to a group / discussion list
    "no-basis",  # Art. 6(1): generic
    "objection-general",  # Art. 21(1): objection to legitimate-interest processing
    "withdraw-any-consent",  # Art. 7(3): any claimed consent withdrawn
    "withdraw-consent",  # Art. 7(3): the withdrawal itself (withdraw-consent letter)
    "consent-proof",  # Art. 7(1): controller must demonstrate consent
    "inaccurate-statements",  # Art. 16: rectification of statements to third parties
    "access-right",  # Art. 15(1)-(3)
    "restriction-accuracy",  # Art. 18(1)(a)
    "restriction-unlawful",  # Art. 18(1)(b)
    "restriction-objection",  # Art. 18(1)(d)
    "erasure-objection",  # Art. 17(1)(c) after an objection
    "erasure-unlawful",  # Art. 17(1)(d)
    "erasure-consent",  # Art. 17(1)(b)
    "notify-recipients",  # Art. 19
    "platform-terms",  # the account breaches the platform's rules
    "platform-member-data",  # member data obtained through the platform misused
    "dsa-notice",  # DSA (Regulation (EU) 2022/2065) Art. 16 notice: illegal content
)

DEMAND_ORDER = (
    # objection / erasure / withdrawal
    "stop-marketing",
    "stop-processing",
    "stop-consent-processing",
    "stop-disclosure",
    "stop-endorsement",
    "remove-from-lists",
    "leave-group",
    "rectify-statements",
    "erase",
    "erase-consent-based",
    "proof-of-consent",
    # access (Art. 15)
    "access-confirm",
    "access-copy",
    "access-purposes",
    "access-categories",
    "access-recipients",
    "access-retention",
    "access-source",
    "access-transfers",
    # restriction
    "restrict",
    "inform-before-lifting",
    # recipients, source
    "notify-recipients",
    "name-recipients",
    "disclose-source",
    # platform report
    "review-account",
    "remove-content",
    "remove-from-group",
    "account-measures",
    "inform-decision",
    # always last
    "confirm",
)

INFRINGEMENT_ORDER = (
    "art5-1-b",  # purpose limitation
    "art6-1",  # no lawful basis
    "art14",  # information not given
    "art21-3",  # direct marketing continued / objection ignored
    "eprivacy",  # Directive 2002/58/EC Art. 13(1) (+ national rule)
    "art12-3",  # no answer within the period
    "art12-4",  # no reasons given for not acting
    "right-not-honoured",  # the right exercised in the request was not honoured
)

# -- which letter fits which incident ---------------------------------------------
_ALL = frozenset(IK.values())
_FITS: dict[str, frozenset[str]] = {
    LK.OBJECTION.value: _ALL - {IK.INTRODUCTION_REQUEST.value, IK.GROUP_PHISHING.value},
    LK.ERASURE.value: _ALL - {IK.INTRODUCTION_REQUEST.value},
    LK.ACCESS.value: _ALL - {IK.INTRODUCTION_REQUEST.value},
    LK.RESTRICTION.value: frozenset(
        {
            IK.MAILING_LIST.value,
            IK.FORWARDED.value,
            IK.ENDORSEMENT.value,
            IK.DISCUSSION_LIST.value,
            IK.OTHER.value,
        }
    ),
    LK.WITHDRAW_CONSENT.value: frozenset(
        {
            IK.MAILING_LIST.value,
            IK.DISCUSSION_LIST.value,
            IK.DIRECT_PITCH.value,
            IK.UNSOLICITED_MESSAGE.value,
            IK.OTHER.value,
        }
    ),
    LK.PLATFORM_REPORT.value: _ALL,
    # reminder and complaint follow a request; its letter already passed the check
    LK.REMINDER.value: _ALL,
    LK.COMPLAINT.value: _ALL,
}

_USE_PLATFORM = "report it to the platform instead: use platform-report"
_REFUSALS: dict[tuple[str, str], str] = {
    (LK.OBJECTION.value, IK.INTRODUCTION_REQUEST.value): (
        "asking to be introduced to your contacts is usually not processing of your data "
        "that a GDPR letter can stop; " + _USE_PLATFORM
    ),
    (LK.OBJECTION.value, IK.GROUP_PHISHING.value): (
        "phishing is fraud, not processing you can object to; " + _USE_PLATFORM
        + " (a DSA Art. 16 notice), and erasure if your own data was used"
    ),
    (LK.ERASURE.value, IK.INTRODUCTION_REQUEST.value): (
        "an introduction request usually involves no data of yours to erase; " + _USE_PLATFORM
    ),
    (LK.ACCESS.value, IK.INTRODUCTION_REQUEST.value): (
        "an introduction request is usually a personal exchange outside the GDPR; "
        + _USE_PLATFORM
    ),
    (LK.RESTRICTION.value, IK.DIRECT_PITCH.value): (
        "the answer to a sales pitch is an objection to direct marketing (Art. 21(2)), "
        "which needs no balancing: use objection"
    ),
    (LK.RESTRICTION.value, IK.UNSOLICITED_MESSAGE.value): (
        "the answer to unsolicited messages is an objection (Art. 21(2)): use objection"
    ),
    (LK.RESTRICTION.value, IK.GROUP_PHISHING.value): (
        "restriction does not stop phishing; " + _USE_PLATFORM + ", and erasure if your "
        "own data was used"
    ),
    (LK.RESTRICTION.value, IK.INTRODUCTION_REQUEST.value): (
        "an introduction request usually involves no processing to restrict; " + _USE_PLATFORM
    ),
    (LK.WITHDRAW_CONSENT.value, IK.FORWARDED.value): (
        "forwarding your messages never rested on your consent, so there is none to "
        "withdraw: use objection or erasure"
    ),
    (LK.WITHDRAW_CONSENT.value, IK.ENDORSEMENT.value): (
        "using your name as an endorsement never rested on your consent, so there is none "
        "to withdraw: use objection or erasure"
    ),
    (LK.WITHDRAW_CONSENT.value, IK.GROUP_PHISHING.value): (
        "phishing does not rest on consent; " + _USE_PLATFORM
    ),
    (LK.WITHDRAW_CONSENT.value, IK.INTRODUCTION_REQUEST.value): (
        "an introduction request does not rest on consent; " + _USE_PLATFORM
    ),
}


def fits(letter: str, incident_kind: str) -> bool:
    """Whether a letter of kind ``letter`` makes sense for an incident of that kind."""
    LK.parse(letter)
    IK.parse(incident_kind)
    return incident_kind in _FITS[letter]


def refusal(letter: str, incident_kind: str) -> str | None:
    """The sentence explaining why ``letter`` does not fit, and what does; None if it fits."""
    if fits(letter, incident_kind):
        return None
    return _REFUSALS[(letter, incident_kind)]


def check_fit(letter: str, incident_kind: str, *, incident_id: str | None = None) -> None:
    """Raise :class:`BadInput` when ``letter`` makes no sense for ``incident_kind``."""
    why = refusal(letter, incident_kind)
    if why is not None:
        which = f"incident {incident_id} ({incident_kind})" if incident_id else incident_kind
        article = "an" if letter[0] in "aeiou" else "a"
        raise BadInput(f"{article} {letter} letter does not fit {which}: {why}")


# -- what each (letter, incident kind) contributes --------------------------------
# Codes per incident kind; merged over all incidents of a letter and put in the
# reading order above.

_HOUSEHOLD: dict[str, str] = {
    IK.MAILING_LIST.value: "marketing",
    IK.DIRECT_PITCH.value: "marketing",
    IK.UNSOLICITED_MESSAGE.value: "unsolicited",
    IK.FORWARDED.value: "disclosure",
    IK.ENDORSEMENT.value: "endorsement",
    IK.DISCUSSION_LIST.value: "group",
    IK.GROUP_PHISHING.value: "fraud",
    IK.INTRODUCTION_REQUEST.value: "introduction",
    IK.OTHER.value: "professional",
}

# the Art. 6(1) argument, per kind, where LEGAL.md names it
_NO_BASIS: dict[str, str] = {
    IK.FORWARDED.value: "no-basis-disclosure",
    IK.ENDORSEMENT.value: "no-basis-endorsement",
    IK.DISCUSSION_LIST.value: "no-basis-group",
    IK.OTHER.value: "no-basis",
}

# incident kinds where the contact passed the data on to others (Art. 19 applies)
_DISCLOSED = frozenset(
    {IK.FORWARDED.value, IK.ENDORSEMENT.value, IK.MAILING_LIST.value, IK.DISCUSSION_LIST.value}
)
# incident kinds that are marketing in the sense of Art. 21(2)
_MARKETING = frozenset(
    {
        IK.MAILING_LIST.value,
        IK.DIRECT_PITCH.value,
        IK.UNSOLICITED_MESSAGE.value,
        IK.ENDORSEMENT.value,
        IK.OTHER.value,
    }
)
# where consent may have been claimed (Art. 7(3))
_CONSENT_CLAIMED = frozenset({IK.MAILING_LIST.value, IK.DISCUSSION_LIST.value})


def _objection(kind: str, eprivacy: bool) -> tuple[list[str], list[str]]:
    grounds: list[str] = []
    demands: list[str] = []
    if kind == IK.MAILING_LIST.value:
        grounds += ["no-information", "direct-marketing", "withdraw-any-consent"]
        demands += ["stop-marketing", "remove-from-lists", "erase", "disclose-source",
                    "name-recipients"]
    elif kind in (IK.DIRECT_PITCH.value, IK.UNSOLICITED_MESSAGE.value):
        grounds += ["direct-marketing"]
        demands += ["stop-marketing", "erase"]
    elif kind == IK.FORWARDED.value:
        grounds += ["no-basis-disclosure", "purpose-limitation", "objection-general"]
        demands += ["stop-disclosure", "erase", "notify-recipients", "name-recipients"]
    elif kind == IK.ENDORSEMENT.value:
        grounds += ["no-basis-endorsement", "direct-marketing", "inaccurate-statements"]
        demands += ["stop-endorsement", "stop-marketing", "rectify-statements",
                    "notify-recipients", "name-recipients"]
    elif kind == IK.DISCUSSION_LIST.value:
        grounds += ["no-basis-group", "objection-general", "withdraw-any-consent"]
        demands += ["leave-group", "stop-processing", "erase"]
    elif kind == IK.OTHER.value:
        grounds += ["no-basis", "objection-general", "direct-marketing"]
        demands += ["stop-processing", "stop-marketing", "erase"]
    if eprivacy:
        grounds.append("eprivacy")
    if "direct-marketing" in grounds:
        grounds.append("erasure-objection")
    if any(g.startswith("no-basis") for g in grounds):
        grounds.append("erasure-unlawful")
    if "notify-recipients" in demands:
        grounds.append("notify-recipients")
    return grounds, demands


def _erasure(kind: str, eprivacy: bool) -> tuple[list[str], list[str]]:
    grounds: list[str] = []
    demands = ["erase"]
    if kind in _MARKETING and kind != IK.OTHER.value:
        # Art. 17(1)(c) needs the Art. 21(2) objection: the letter makes it
        grounds += ["direct-marketing", "erasure-objection"]
        demands.insert(0, "stop-marketing")
    if kind in _NO_BASIS:
        grounds.append(_NO_BASIS[kind])
    if kind == IK.FORWARDED.value:
        grounds.append("purpose-limitation")
    if kind == IK.ENDORSEMENT.value:
        grounds.append("inaccurate-statements")
        demands += ["stop-endorsement", "rectify-statements"]
    if kind in _CONSENT_CLAIMED:
        grounds += ["withdraw-any-consent", "erasure-consent"]
    if kind == IK.MAILING_LIST.value:
        grounds.insert(0, "no-information")
        demands += ["remove-from-lists", "disclose-source"]
    if kind == IK.DISCUSSION_LIST.value:
        demands.append("leave-group")
    if eprivacy:
        grounds.append("eprivacy")
    # Art. 17(1)(d) only where the processing had no lawful basis; a pitch through
    # a platform inbox may claim legitimate interest, so there 17(1)(c) carries it
    if kind in _NO_BASIS or eprivacy or kind == IK.GROUP_PHISHING.value:
        grounds.append("erasure-unlawful")
    if kind in _DISCLOSED:
        grounds.append("notify-recipients")
        demands += ["notify-recipients", "name-recipients"]
    return grounds, demands


def _access(kind: str, eprivacy: bool) -> tuple[list[str], list[str]]:
    demands = [
        "access-confirm",
        "access-copy",
        "access-purposes",
        "access-categories",
        "access-recipients",
        "access-retention",
        "access-source",
    ]
    if kind == IK.MAILING_LIST.value:
        # list services are often outside the EEA
        demands.append("access-transfers")
    return ["access-right"], demands


def _restriction(kind: str, eprivacy: bool) -> tuple[list[str], list[str]]:
    grounds: list[str] = []
    if kind in _NO_BASIS:
        grounds.append(_NO_BASIS[kind])
    if kind == IK.ENDORSEMENT.value:
        grounds += ["inaccurate-statements", "restriction-accuracy"]
    if kind == IK.MAILING_LIST.value:
        grounds.append("no-information")
    if eprivacy:
        grounds.append("eprivacy")
    grounds.append("restriction-unlawful")
    if kind in (IK.FORWARDED.value, IK.DISCUSSION_LIST.value, IK.OTHER.value):
        grounds += ["objection-general", "restriction-objection"]
    demands = ["restrict", "inform-before-lifting"]
    if kind in _DISCLOSED:
        grounds.append("notify-recipients")
        demands += ["notify-recipients", "name-recipients"]
    return grounds, demands


def _withdraw(kind: str, eprivacy: bool) -> tuple[list[str], list[str]]:
    grounds = ["withdraw-consent", "consent-proof", "erasure-consent"]
    demands = ["stop-consent-processing", "proof-of-consent", "erase-consent-based"]
    if kind == IK.MAILING_LIST.value:
        demands.append("remove-from-lists")
    if kind == IK.DISCUSSION_LIST.value:
        demands.append("leave-group")
    if kind in (IK.DIRECT_PITCH.value, IK.UNSOLICITED_MESSAGE.value, IK.MAILING_LIST.value):
        demands.append("stop-marketing")
        grounds.append("direct-marketing")
    if eprivacy:
        grounds.append("eprivacy")
    return grounds, demands


def _platform(kind: str, eprivacy: bool) -> tuple[list[str], list[str]]:
    grounds = ["platform-terms"]
    demands = ["review-account", "account-measures", "inform-decision"]
    if kind in (IK.MAILING_LIST.value, IK.FORWARDED.value, IK.ENDORSEMENT.value,
                IK.DISCUSSION_LIST.value, IK.DIRECT_PITCH.value):
        grounds.append("platform-member-data")
    if kind == IK.GROUP_PHISHING.value:
        grounds.append("dsa-notice")
        demands.append("remove-content")
    if kind in (IK.DISCUSSION_LIST.value, IK.GROUP_PHISHING.value):
        demands.append("remove-from-group")
    return grounds, demands


_BUILDERS = {
    LK.OBJECTION.value: _objection,
    LK.ERASURE.value: _erasure,
    LK.ACCESS.value: _access,
    LK.RESTRICTION.value: _restriction,
    LK.WITHDRAW_CONSENT.value: _withdraw,
    LK.PLATFORM_REPORT.value: _platform,
}

# letters that end by asking the controller to confirm what it did (an access
# request is answered by the information itself)
_CONFIRMS = frozenset(GDPR_LETTERS) - {LK.ACCESS.value}


@dataclass(frozen=True)
class Reason:
    """One reason the household exemption does not apply, and the facts (1-based) it rests on."""

    code: str
    facts: tuple[int, ...]


@dataclass(frozen=True)
class LetterBasis:
    """The legal content of one letter, as codes the templates word."""

    letter: str
    incident_kinds: tuple[str, ...]
    household: tuple[Reason, ...]
    grounds: tuple[str, ...]
    demands: tuple[str, ...]
    infringements: tuple[str, ...] = ()
    eprivacy_rule: str | None = None  # national implementation of ePrivacy Art. 13(1)
    original: str | None = None  # reminder/complaint: the letter kind they follow
    dsa: bool = False  # the letter contains a DSA Art. 16 notice
    deadline: str | None = None  # "art12" | "art78" | "reminder" | None

    def has(self, code: str) -> bool:
        """Whether ``code`` is among the grounds or demands."""
        return code in self.grounds or code in self.demands


def _ordered(codes: Iterable[str], order: Sequence[str]) -> tuple[str, ...]:
    seen = set(codes)
    unknown = seen - set(order)
    if unknown:  # a programming error in the tables above
        raise AssertionError(f"codes missing from the reading order: {sorted(unknown)}")
    return tuple(c for c in order if c in seen)


def _is_email(platform: str | None) -> bool:
    return (platform or "").strip().lower() in EMAIL_CHANNELS


def _country(code: str | None) -> str | None:
    if not code:
        return None
    cc = code.strip().upper()[:2]
    return {"UK": "GB", "EL": "GR"}.get(cc, cc)


def letter_basis(
    letter: str,
    incidents: Sequence,
    *,
    original: str | None = None,
    country: str | None = None,
    status: str | None = None,
) -> LetterBasis:
    """The legal content of a letter of kind ``letter`` about ``incidents``.

    ``incidents`` are :class:`~gdprkit.model.Incident` objects (anything with
    ``id``, ``kind`` and ``platform``), numbered 1.. in the given order (the
    facts section of the letter uses the same order).  ``country`` is the
    requester's country (ISO 3166-1 alpha-2, or ``DE-BY`` form): it picks the
    national ePrivacy rule.  For ``reminder`` and ``complaint``, ``original``
    is the kind of the request they follow, and ``status`` (complaint only)
    its state: ``overdue``, ``partial``, ``refused``, ``answered`` or ``pending``.
    """
    letter = LK.parse(letter).value
    for inc in incidents:
        IK.parse(inc.kind)
    kinds = tuple(dict.fromkeys(inc.kind for inc in incidents))

    if letter in (LK.REMINDER.value, LK.COMPLAINT.value):
        if original is None:
            raise BadInput(f"a {letter} follows a request: give the request it follows")
        original = LK.parse(original).value
        if original in (LK.REMINDER.value, LK.COMPLAINT.value):
            raise BadInput(
                f"a {letter} must refer to the original request, not to a {original}"
            )
        inner = letter_basis(original, incidents, country=country)
        if letter == LK.REMINDER.value:
            return LetterBasis(
                letter=letter,
                incident_kinds=inner.incident_kinds,
                household=inner.household,
                grounds=inner.grounds,
                demands=inner.demands,
                eprivacy_rule=inner.eprivacy_rule,
                original=original,
                deadline="reminder",
            )
        return LetterBasis(
            letter=letter,
            incident_kinds=inner.incident_kinds,
            household=inner.household,
            grounds=inner.grounds,
            demands=inner.demands,
            infringements=_infringements(inner, status or "overdue"),
            eprivacy_rule=inner.eprivacy_rule,
            original=original,
            dsa=inner.dsa,
            deadline="art78",
        )

    if not incidents and letter != LK.ACCESS.value:
        raise BadInput(
            f"{'an' if letter[0] in 'aeiou' else 'a'} {letter} letter needs at least one "
            "incident: the facts it rests on",
            hint="log one with 'gdprkit log', or use an access letter, which needs none",
        )
    for inc in incidents:
        check_fit(letter, inc.kind, incident_id=getattr(inc, "id", None))

    grounds: list[str] = []
    demands: list[str] = []
    household: dict[str, list[int]] = {}
    any_eprivacy = False
    for number, inc in enumerate(incidents, start=1):
        eprivacy = inc.kind == IK.MAILING_LIST.value or (
            inc.kind in (IK.DIRECT_PITCH.value, IK.UNSOLICITED_MESSAGE.value)
            and _is_email(inc.platform)
        )
        if letter == LK.ACCESS.value or letter == LK.PLATFORM_REPORT.value:
            eprivacy = False
        any_eprivacy = any_eprivacy or eprivacy
        g, d = _BUILDERS[letter](inc.kind, eprivacy)
        grounds += g
        demands += d
        household.setdefault(_HOUSEHOLD[inc.kind], []).append(number)
    if letter == LK.ACCESS.value and not incidents:
        grounds, demands = (list(x) for x in _access(IK.OTHER.value, False))
    if letter in _CONFIRMS:
        demands.append("confirm")

    reasons = tuple(
        Reason(code, tuple(household[code])) for code in HOUSEHOLD_ORDER if code in household
    )
    if letter == LK.PLATFORM_REPORT.value:
        reasons = ()  # the platform is addressed as a service, not as a household actor
    rule = NATIONAL_EPRIVACY.get(_country(country) or "") if any_eprivacy else None
    return LetterBasis(
        letter=letter,
        incident_kinds=kinds,
        household=reasons,
        grounds=_ordered(grounds, GROUND_ORDER),
        demands=_ordered(demands, DEMAND_ORDER),
        eprivacy_rule=rule,
        dsa="dsa-notice" in grounds,
        deadline=None if letter == LK.PLATFORM_REPORT.value else "art12",
    )


def _infringements(inner: LetterBasis, status: str) -> tuple[str, ...]:
    codes: list[str] = []
    g = set(inner.grounds)
    if "purpose-limitation" in g:
        codes.append("art5-1-b")
    if any(c.startswith("no-basis") for c in g) or "eprivacy" in g:
        codes.append("art6-1")
    if "no-information" in g:
        codes.append("art14")
    if (
        "direct-marketing" in g
        and inner.letter in (LK.OBJECTION.value, LK.ERASURE.value)
        and status in ("overdue", "refused", "answered", "partial")
    ):
        codes.append("art21-3")
    if "eprivacy" in g:
        codes.append("eprivacy")
    if status == "overdue":
        codes += ["art12-3", "art12-4"]
    if status in ("overdue", "refused", "answered", "partial"):
        codes.append("right-not-honoured")
    return _ordered(codes, INFRINGEMENT_ORDER)


def reminder_due(sent: _dt.date, country: str | None) -> _dt.date:
    """The last day a reminder gives: :data:`REMINDER_DAYS` later, on a working day."""
    day = sent + _dt.timedelta(days=REMINDER_DAYS)
    if not country:
        return day
    from .deadlines import next_working_day

    return next_working_day(day, country)
