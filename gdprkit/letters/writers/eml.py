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

from ...errors import BadInput
from ..markup import xml_safe

_DOMAIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")


def check_header(value: str | None, field: str) -> None:
    """Refuse a header value containing CR or LF (header injection)."""
    if value is not None and ("\r" in value or "\n" in value):
        raise BadInput(f"the {field} contains a line break; e-mail headers cannot carry it")


def _address(name: str, email: str, field: str):
    from email.errors import HeaderParseError
    from email.headerregistry import Address

    check_header(name, f"{field} name")
    check_header(email, f"{field} e-mail address")
    email = email.strip()
    if email.count("@") != 1:
        raise BadInput(f"the {field} e-mail address {email!r} is not an address")
    local, domain = email.split("@")
    try:
        # control characters become U+FFFD and runs of white space one space
        display = " ".join(xml_safe(name).split())
        return Address(display_name=display, username=local, domain=domain)
    except (ValueError, IndexError, HeaderParseError) as err:
        raise BadInput(f"the {field} e-mail address {email!r} is not valid: {err}") from None


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
    from_addr = _address(*sender, "requester")
    to_addr = _address(*to, "recipient")

    msg = EmailMessage(policy=SMTP)
    msg["From"] = from_addr
    msg["To"] = to_addr
    msg["Subject"] = " ".join(subject.split())
    msg["Date"] = format_datetime(date)
    digest = hashlib.sha256(
        "\0".join([subject, text, str(from_addr), str(to_addr), date.isoformat()]).encode()
    ).hexdigest()[:32]
    domain = from_addr.domain if _DOMAIN.match(from_addr.domain or "") else "gdprkit.invalid"
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
