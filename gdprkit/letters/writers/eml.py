"""A ready-to-send RFC 5322 message: text and HTML alternatives, optional PDF.

Header values never carry a line break: a CR or LF in any of them (a name,
an address, the subject) is refused with :class:`BadInput` naming the field,
before the standard library would see it.  Addresses are checked by
:mod:`email.headerregistry`; non-ASCII names are RFC 2047-encoded.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re

from ..._validate import email_parts, is_dns_name
from ...errors import BadInput
from ..markup import xml_safe


def check_header(value: str | None, field: str) -> None:
    """Refuse a header value containing CR or LF (header injection)."""
    if value is not None and ("\r" in value or "\n" in value):
        raise BadInput(f"the {field} contains a line break; e-mail headers cannot carry it")


_ATEXT = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+$")
_LINE = 78  # RFC 5322 2.1.1: lines SHOULD be no longer than 78 characters


def _address(name: str, email: str, field: str):
    """The checked address; returns (display name, addr-spec)."""
    from email.errors import HeaderParseError
    from email.headerregistry import Address

    check_header(name, f"{field} name")
    check_header(email, f"{field} e-mail address")
    # the rule contact add / profile set check too: one @, a dot-atom local part,
    # a DNS name (an internationalised domain comes back as punycode).  Address()
    # alone takes "x.example,evil.example" as a domain: the header would then carry
    # two recipients
    local, domain = email_parts(email, f"the {field} e-mail address")
    try:
        addr_spec = Address(username=local, domain=domain).addr_spec
    except (ValueError, IndexError, HeaderParseError) as err:
        raise BadInput(f"the {field} e-mail address {email.strip()!r} is not valid: {err}") from None
    # control characters become U+FFFD and runs of white space one space
    return " ".join(xml_safe(name).split()), addr_spec


def _display_tokens(display: str) -> list[str]:
    """The display name as header tokens that may be joined by folding white space.

    A name of plain atoms stays as it is; an ASCII name with specials becomes a
    quoted-string (folding white space inside it unfolds to the same space); any
    other name becomes RFC 2047 encoded-words.  Written by hand rather than by
    :mod:`email`: its folder drops the quotes of a long quoted display name, so a
    name such as ``a; b <c>`` would be parsed back as an address.
    """
    words = display.split(" ")
    if any(len(word) > 60 for word in words):  # too long for a line: encoded-words fold
        return _encoded_words(display)
    if all(_ATEXT.match(word) for word in words):
        return words
    if display.isascii() and display.isprintable():
        quoted = [word.replace("\\", "\\\\").replace('"', '\\"') for word in words]
        quoted[0] = '"' + quoted[0]
        quoted[-1] += '"'
        return quoted
    return _encoded_words(display)


def _encoded_words(text: str) -> list[str]:
    """RFC 2047 B encoded-words of at most 75 characters, cut after a space when
    one is near, and never inside a character (adjacent encoded-words decode as one
    text: RFC 2047 6.2)."""
    import base64

    tokens, start = [], 0
    while start < len(text):
        end, size = start, 0
        while end < len(text) and size + len(text[end].encode()) <= 45:
            size += len(text[end].encode())
            end += 1
        if end < len(text):
            space = text.rfind(" ", start, end)
            if space > start:
                end = space + 1
        chunk = base64.b64encode(text[start:end].encode()).decode()
        tokens.append(f"=?utf-8?b?{chunk}?=")
        start = end
    return tokens


def _address_header(field: str, display: str, addr_spec: str) -> str:
    """``Name <addr>`` folded to lines of at most 78 characters where it can be."""
    tokens = (_display_tokens(display) if display else []) + [f"<{addr_spec}>"]
    if not display:
        tokens = [addr_spec]
    lines, line = [], ""
    width = len(field) + 2
    for token in tokens:
        if line and width + len(line) + 1 + len(token) > _LINE:
            lines.append(line)
            line, width = token, 1
        else:
            line = f"{line} {token}" if line else token
    lines.append(line)
    return "\n ".join(lines)


def write_eml(
    *,
    subject: str,
    text: str,
    html: str,
    sender: tuple[str, str],
    to: tuple[str, str],
    lang: str,
    date: _dt.datetime,
    attachments: tuple[tuple[str, bytes, str], ...] = (),
) -> bytes:
    """The message as bytes (CRLF line ends).  ``attachments``: (file name, bytes, media type)."""
    from email.message import EmailMessage
    from email.policy import SMTP
    from email.utils import format_datetime

    check_header(subject, "subject")
    from_name, from_spec = _address(*sender, "requester")
    to_name, to_spec = _address(*to, "recipient")

    msg = EmailMessage(policy=SMTP)
    # stored pre-folded; the policy's refold_source="long" leaves them as they are
    msg.set_raw("From", _address_header("From", from_name, from_spec))
    msg.set_raw("To", _address_header("To", to_name, to_spec))
    msg["Subject"] = " ".join(subject.split())
    msg["Date"] = format_datetime(date)
    digest = hashlib.sha256(
        "\0".join([subject, text, from_name, from_spec, to_name, to_spec, date.isoformat()]).encode()
    ).hexdigest()[:32]
    from_domain = from_spec.rpartition("@")[2]
    domain = from_domain if is_dns_name(from_domain) else "gdprkit.invalid"
    msg["Message-ID"] = f"<gdprkit.{digest}@{domain}>"
    # quoted-printable keeps the message 7-bit clean for any mail relay
    msg.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    msg.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    for name, data, media_type in attachments:
        check_header(name, "attachment file name")
        maintype, subtype = media_type.split("/", 1)
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    msg["Content-Language"] = lang
    # fixed MIME boundaries: the same letter gives the same bytes
    for number, part in enumerate(msg.walk()):
        if part.is_multipart():
            part.set_boundary(f"=_gdprkit_{digest[:24]}_{number}")
    return msg.as_bytes()
