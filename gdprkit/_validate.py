"""Checks of values a user types in: e-mail addresses, country codes, dates.

One rule for each, used where the value enters (``init``, ``profile set``,
``contact add``, ``log``, ``letter``) and where it is used (the eml writer),
so that a value stored today cannot make a letter fail later.  Every check
raises :class:`~gdprkit.errors.BadInput` with a one-line message naming the
value; the CLI turns it into a usage error where it comes from an option.
"""

from __future__ import annotations

import datetime as _dt
import re

from .errors import BadInput

# -- dates ----------------------------------------------------------------------
#: The dates gdprkit accepts for incidents, letters and request events.  Later
#: or earlier dates are typing errors, and the deadline arithmetic (a date plus
#: three months, then holidays) must stay inside what Python can represent.
MIN_DATE = _dt.date(1970, 1, 1)
MAX_DATE = _dt.date(2999, 12, 31)
DATE_RANGE_TEXT = f"from {MIN_DATE.isoformat()} to {MAX_DATE.isoformat()}"


def date_in_range(day: _dt.date) -> bool:
    if isinstance(day, _dt.datetime):
        day = day.date()
    return MIN_DATE <= day <= MAX_DATE


def check_date(day: _dt.date, what: str = "the date") -> _dt.date:
    """``day`` itself, or :class:`BadInput` when it is outside 1970-01-01 .. 2999-12-31."""
    if not date_in_range(day):
        raise BadInput(f"{what} {day.isoformat()} is out of range",
                       hint=f"gdprkit accepts dates {DATE_RANGE_TEXT}")
    return day


# -- e-mail addresses -------------------------------------------------------------
# a DNS name of at least two labels (after IDNA encoding)
_DOMAIN = re.compile(
    r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
# a dot-atom local part (RFC 5322 3.2.3); quoted local parts are not accepted
_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")


def is_dns_name(domain: str) -> bool:
    return bool(_DOMAIN.match(domain)) and len(domain) <= 253


def to_punycode(domain: str) -> str | None:
    """An internationalised domain name in its ASCII (punycode) form, or None.

    Label by label as IDNA 2008 does (lower case, NFC, RFC 3492 punycode), not
    with Python's ``idna`` codec: that one is IDNA 2003 and maps ``ß`` to ``ss``,
    so ``info@straße.de`` would go to ``strasse.de``, another registered domain.
    """
    import unicodedata

    labels = []
    for label in unicodedata.normalize("NFC", domain.lower()).split("."):
        if label.isascii():
            labels.append(label)
            continue
        if not all(c == "-" or unicodedata.category(c)[0] in "LMN" for c in label):
            return None
        try:
            labels.append("xn--" + label.encode("punycode").decode("ascii"))
        except UnicodeError:
            return None
    return ".".join(labels)


def email_parts(value: str, what: str = "the e-mail address") -> tuple[str, str]:
    """(local part, ASCII domain) of a plain e-mail address, or :class:`BadInput`.

    The rule of the eml writer: exactly one ``@``; an ASCII dot-atom local part
    (a message without SMTPUTF8 cannot carry another); a DNS domain name, where
    an internationalised domain is allowed and comes back as punycode.  So
    commas, spaces, angle brackets, quotes and control characters never pass,
    and neither does a second address hidden in the domain.
    """
    if not isinstance(value, str):
        raise BadInput(f"{what} must be text")
    if "\r" in value or "\n" in value:
        raise BadInput(f"{what} contains a line break; e-mail headers cannot carry it")
    text = value.strip()
    if text.count("@") != 1:
        raise BadInput(f"{what} {text!r} is not an address",
                       hint="write it as name@example.org")
    local, domain = text.split("@")
    if not local.isascii():
        raise BadInput(f"{what} {text!r} has a non-ASCII local part, which a message "
                       "without SMTPUTF8 cannot carry")
    if not _LOCAL.match(local):
        raise BadInput(f"{what} {text!r} is not valid: the part before @ may hold letters, "
                       "digits, dots (not at the ends, not two in a row) and !#$%&'*+/=?^_`{|}~-")
    if not domain.isascii():  # an internationalised domain travels as punycode
        ascii_domain = to_punycode(domain)
        if ascii_domain is None:
            raise BadInput(f"{what} {text!r} is not valid: {domain!r} is not a domain "
                           "name")
        domain = ascii_domain
    if not is_dns_name(domain):
        raise BadInput(f"{what} {text!r} is not valid: {domain!r} is not a domain name")
    return local, domain


def check_email(value: str | None, what: str = "the e-mail address") -> str | None:
    """The address with surrounding white space removed (None stays None)."""
    if value is None:
        return None
    email_parts(value, what)
    return value.strip()


# -- country codes ------------------------------------------------------------------
# ISO 3166-1 alpha-2: the 249 officially assigned codes.
_ISO_CODES = (
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ "
    "BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM "
    "DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS "
    "GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN "
    "KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ "
    "MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM "
    "PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV "
    "SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI "
    "VN VU WF WS YE YT ZA ZM ZW"
)
ISO_COUNTRIES = frozenset(_ISO_CODES.split())
# Codes people use that are not ISO 3166-1: stored as the ISO code.  XK (Kosovo)
# is a user-assigned code that the EU and the holidays package use.
COUNTRY_ALIASES = {"UK": "GB", "EL": "GR"}
EXTRA_COUNTRIES = frozenset({"XK"})

_CODE = re.compile(r"^([A-Za-z]{2})(?:-([A-Za-z0-9]{1,3}))?$")


def _hint_subdivision() -> str:
    return "use an ISO 3166-1 alpha-2 code such as IT, FR, GB or US, or a region such as DE-BY"


def check_country(value: str | None, *, what: str = "country", subdivision: str | None = None,
                  requester: bool = False) -> str | None:
    """A country code as stored: ``IT``, ``GB`` (for ``uk``), ``DE-BY``; None stays None.

    Any ISO 3166-1 alpha-2 code is accepted in any case, with an optional
    region (``DE-BY``, or ``subdivision="BY"``) that must be one the holiday
    calendar knows, since it adds regional holidays to deadlines.  With
    ``requester=True`` (your own country, which picks the supervisory
    authority for complaints) the country must also have an authority in the
    bundled directory: an EEA country, GB or CH.
    """
    if value is None:
        if subdivision:
            raise BadInput("a subdivision needs a country", hint="give --country too")
        return None
    text = value.strip()
    match = _CODE.match(text)
    if not match:
        raise BadInput(f"{what} {value!r} is not a country code", hint=_hint_subdivision())
    cc = match.group(1).upper()
    cc = COUNTRY_ALIASES.get(cc, cc)
    if cc not in ISO_COUNTRIES and cc not in EXTRA_COUNTRIES:
        raise BadInput(f"{what} {value!r} is not an ISO 3166-1 country code",
                       hint=_hint_subdivision())
    sub = match.group(2)
    if subdivision is not None and subdivision.strip():
        given = subdivision.strip().upper()
        if given.startswith(cc + "-"):
            given = given[len(cc) + 1:]
        if sub and sub.upper() != given:
            raise BadInput(f"{what} {value!r} and subdivision {subdivision!r} disagree",
                           hint="give the region once, as DE-BY or as --subdivision BY")
        sub = given
    if requester:
        from .legal.directory import authority_codes

        if cc not in authority_codes():
            raise BadInput(
                f"{what} {value!r} has no supervisory authority in gdprkit's directory",
                hint="your country picks the authority for complaints: use an EEA country, "
                "GB or CH (" + " ".join(c for c in authority_codes() if "-" not in c) + ")",
            )
    if sub:
        from .legal.deadlines import normalize_country

        _cc, found = normalize_country(cc, sub)  # BadInput listing the valid regions
        sub = found.upper() if found else None
    code = f"{cc}-{sub}" if sub else cc
    if requester and sub and cc == "DE":
        from .legal.directory import authority_codes

        if code not in authority_codes():
            raise BadInput(f"{what} {code!r} is not a German Land",
                           hint="valid: " + ", ".join(c for c in authority_codes()
                                                      if c.startswith("DE-")))
    return code


def needs_land(country: str | None) -> bool:
    """True for plain ``DE``: Germany has one supervisory authority per Land."""
    return bool(country) and country.strip().upper() == "DE"


LAND_HINT = ("Germany has one supervisory authority per Land: give yours with "
             "--subdivision (e.g. --country DE --subdivision BY, or --country DE-BY)")
