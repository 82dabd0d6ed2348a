"""Parsing one e-mail message into the plain values the classifier reads.

:func:`parse_message` never raises: malformed MIME, unknown charsets, broken
base64 and missing header/body separators become entries of
``ParsedMessage.problems``.  Attachments are never decoded (only their names
and types are kept), and text is capped, so a message with a huge attachment
costs little more than its headers.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import BinaryIO

from ._text import decode_bytes, fix_mojibake, html_links, html_to_text

#: Text kept per message for classification (the evidence keeps every byte).
MAX_TEXT_CHARS = 200_000
#: Bytes of one text part that are decoded.
MAX_PART_BYTES = 1_000_000
#: MIME parts looked at per message (a "zip bomb" of parts stays cheap).
MAX_PARTS = 200
#: Characters of one header value that are read.  The stdlib's RFC 2047 and
#: parameter parsers are quadratic in the length of a value (a Subject of 100,000
#: encoded words took 18 s); a real header is far shorter, and the evidence keeps
#: every byte of the message.
MAX_HEADER_CHARS = 16_384


@dataclass(frozen=True)
class AttachedMessage:
    """A ``message/rfc822`` part: a message forwarded as an attachment."""

    sender: str  # the From header, decoded
    sender_email: str | None
    subject: str
    date: str


@dataclass
class ParsedMessage:
    """One message (an e-mail, or a LinkedIn message or invitation) as plain values.

    The classifier reads only this, so it can be evaluated without a ledger.
    """

    source: str  # where it came from: "inbox.mbox#12", "a.eml", "messages.csv#3"
    channel: str = "email"  # "email" or "linkedin"
    message_id: str | None = None
    subject: str = ""
    date: _dt.datetime | None = None
    sender_name: str = ""
    sender_email: str | None = None
    sender_profile_url: str | None = None
    recipients: list[tuple[str, str]] = field(default_factory=list)  # (name, email or url)
    headers: dict[str, list[str]] = field(default_factory=dict)  # lower-case name -> values
    text: str = ""  # the body as plain text (HTML converted)
    links: list[tuple[str, str]] = field(default_factory=list)  # (anchor text, href) of HTML
    # the links outside quoted or forwarded parts (a reply's gmail_quote,
    # blockquote type="cite", ...); None: the same as ``links``
    own_links: list[tuple[str, str]] | None = None
    content_types: list[str] = field(default_factory=list)
    attached_messages: list[AttachedMessage] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    raw: bytes = b""  # the evidence bytes (may be only the head of a huge message)
    raw_size: int = 0
    raw_sha256: str = ""
    raw_path: str | None = None  # the evidence is this file instead of ``raw``
    raw_opener: Callable[[], BinaryIO] | None = None  # ... or what this opens (a spill)
    # LinkedIn context (empty for e-mail)
    conversation_id: str | None = None
    folder: str | None = None
    connected_on: _dt.date | None = None  # when the sender became a connection
    is_connection: bool | None = None
    started_conversation: bool | None = None
    is_invitation: bool = False
    from_requester: bool = False  # known to be written by the requester
    error: str | None = None  # nothing could be read: the item is reported, not classified

    def header(self, name: str) -> str | None:
        values = self.headers.get(name.lower())
        return values[0] if values else None


_SURROGATES = re.compile("[\udc80-\udcff]")
# An address starts where the run of local-part characters starts (the
# lookbehind), so a long run without "@" is scanned once, not once per character.
_ADDR_RE = re.compile(r"(?<![\w.!#$%&'*+/=?^`{|}~-])[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)


def cap_header(value: str, limit: int = MAX_HEADER_CHARS) -> str:
    """The head of a long header value, cut at a space near ``limit`` when there is one."""
    if len(value) <= limit:
        return value
    cut = value.rfind(" ", limit - 256, limit)
    return value[:cut if cut > 0 else limit]


def decode_header_value(value) -> str:
    """An RFC 2047 header value as text (encoded words, raw 8-bit, mojibake).

    At most :data:`MAX_HEADER_CHARS` characters are decoded.
    """
    from email.header import Header, decode_header

    try:
        parts = decode_header(value if isinstance(value, Header) else cap_header(str(value)))
    except Exception:  # malformed encoded words
        return " ".join(str(value).split())
    out = []
    for chunk, charset in parts:
        if isinstance(chunk, str):
            out.append(chunk)
        else:
            out.append(decode_bytes(chunk, charset)[0])
    text = "".join(out)
    if _SURROGATES.search(text):  # raw 8-bit bytes, surrogate-escaped by the parser
        raw = text.encode("utf-8", errors="surrogateescape")
        text = decode_bytes(raw)[0]
    return fix_mojibake(" ".join(text.split()))


def split_address(value: str) -> tuple[str, str | None]:
    """(display name, lower-case address) from a From/To value, forgivingly."""
    from email.utils import parseaddr

    name, addr = parseaddr(value)
    if not addr or "@" not in addr:
        m = _ADDR_RE.search(value)
        addr = m.group(0) if m else ""
        if m and not name:
            name = value[: m.start()].strip(" <\"'")
    name = name.strip().strip("\"'")
    return name, (addr.strip().lower() or None)


def address_list(value: str) -> list[tuple[str, str]]:
    from email.utils import getaddresses

    try:
        pairs = getaddresses([value])
    except Exception:
        pairs = [("", m.group(0)) for m in _ADDR_RE.finditer(value)]
    return [(n.strip(), a.strip().lower()) for n, a in pairs if a and "@" in a]


def parse_date(value: str | None) -> _dt.datetime | None:
    from email.utils import parsedate_to_datetime

    if not value:
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=_dt.UTC)
    return when


# Headers the classifier and the report look at; others are kept by name only.
_DECODED = {
    "from", "to", "cc", "subject", "date", "message-id", "list-id", "list-unsubscribe",
    "list-unsubscribe-post", "precedence", "feedback-id", "x-mailer", "sender",
    "resent-from", "resent-sender", "resent-to", "resent-cc", "resent-bcc", "resent-date",
    "errors-to", "auto-submitted", "mailing-list",
}


def parse_message(raw: bytes, source: str, *, raw_size: int | None = None,
                  raw_path: str | None = None, raw_opener: Callable[[], BinaryIO] | None = None,
                  truncated: bool = False) -> ParsedMessage:
    """Parse raw RFC 5322 bytes.  Never raises.

    Problems are listed on the result; a message the parser cannot read at all
    (2,000 nested multiparts) has ``error`` set instead.
    """
    from email import message_from_bytes

    pm = ParsedMessage(source=source, raw=raw, raw_size=raw_size if raw_size is not None
                       else len(raw), raw_path=raw_path, raw_opener=raw_opener)
    if raw_path is None and raw_opener is None:
        pm.raw_sha256 = hashlib.sha256(raw).hexdigest()
    if truncated:
        pm.problems.append(
            f"message of {pm.raw_size} bytes: only its first {len(raw)} bytes were classified"
        )
    policy = _capped_policy()(truncated=[])
    try:
        msg = message_from_bytes(raw, policy=policy)
    except Exception as err:  # the parser is lenient; this is a last resort
        # Nothing was read (not even the headers): an error item, not an unclassified one.
        pm.error = f"unparseable message: {type(err).__name__}: {err}"
        return pm
    for name, length in policy.truncated[:5]:
        pm.problems.append(f"header {name[:40]} of {length} characters: only its first "
                           f"{MAX_HEADER_CHARS} were read")
    for defect in msg.defects[:5]:
        pm.problems.append(f"malformed message: {type(defect).__name__}")
    headers: dict[str, list[str]] = {}
    for name, value in msg._headers:  # raw pairs: no per-access re-parsing
        key = str(name).lower()
        if key in _DECODED:
            value = decode_header_value(value)
        elif not isinstance(value, str):
            value = str(value)
        headers.setdefault(key, []).append(value)
    pm.headers = headers
    pm.subject = pm.header("subject") or ""
    pm.message_id = (pm.header("message-id") or "").strip() or None
    pm.date = parse_date(pm.header("date"))
    if pm.header("from"):
        pm.sender_name, pm.sender_email = split_address(pm.header("from"))
    for key in ("to", "cc"):
        for value in headers.get(key, []):
            pm.recipients.extend(address_list(value))
    texts: list[str] = []
    pm.own_links = []
    _walk(msg, pm, texts, depth=0, budget=[MAX_PARTS])
    text = "\n".join(t for t in texts if t)
    pm.text = text[:MAX_TEXT_CHARS]
    return pm


@lru_cache(maxsize=1)
def _capped_policy():
    """``compat32`` that keeps only the head of each header value while parsing.

    Capping at the source covers every header of every MIME part before the
    parser or the classifier reads its parameters (``boundary``, ``charset``,
    ``filename``) or encoded words.
    """
    from email._policybase import Compat32

    class CappedHeaders(Compat32):
        truncated: list | None = None  # (name, length) of each capped value, per parse

        def header_source_parse(self, sourcelines):
            name, value = super().header_source_parse(sourcelines)
            if len(value) > MAX_HEADER_CHARS:
                if self.truncated is not None:
                    self.truncated.append((name, len(value)))
                value = cap_header(value)
            return name, value

    return CappedHeaders


def _part_bytes(part, pm: ParsedMessage) -> bytes:
    payload = part.get_payload()
    if isinstance(payload, list):
        return b""
    if isinstance(payload, str) and len(payload) > 2 * MAX_PART_BYTES:
        # Decoding the whole of a huge text part is wasted work: keep the head.
        part = _clone_head(part, payload[: 2 * MAX_PART_BYTES])
    try:
        data = part.get_payload(decode=True) or b""
    except Exception as err:
        pm.problems.append(f"undecodable part: {type(err).__name__}")
        data = b""
    for defect in getattr(part, "defects", [])[:2]:
        pm.problems.append(f"malformed part: {type(defect).__name__}")
    return data[:MAX_PART_BYTES]


def _clone_head(part, head: str):
    from email.message import Message

    clone = Message()
    for k, v in part._headers:
        clone._headers.append((k, v))
    clone.set_payload(head)
    return clone


def _charset(part) -> str | None:
    try:
        return part.get_content_charset()
    except Exception:
        return None


def _walk(part, pm: ParsedMessage, texts: list[str], depth: int, budget: list[int]) -> None:
    if budget[0] <= 0 or depth > 20:
        return
    budget[0] -= 1
    try:
        ctype = part.get_content_type()
    except Exception:
        ctype = "text/plain"
    pm.content_types.append(ctype)
    if ctype == "message/rfc822" or (ctype.startswith("message/") and part.is_multipart()
                                     and ctype not in ("message/delivery-status",)):
        inner = part.get_payload()
        inner = inner[0] if isinstance(inner, list) and inner else None
        if inner is not None and hasattr(inner, "get"):
            sender = decode_header_value(inner.get("from", "") or "")
            pm.attached_messages.append(AttachedMessage(
                sender=sender,
                sender_email=split_address(sender)[1] if sender else None,
                subject=decode_header_value(inner.get("subject", "") or ""),
                date=decode_header_value(inner.get("date", "") or ""),
            ))
            _walk(inner, pm, texts, depth + 1, budget)
        return
    if part.is_multipart():
        payload = part.get_payload()
        if not isinstance(payload, list):
            return
        if ctype == "multipart/alternative":
            # One rendering is enough: the plain text if there is one.
            plain = [p for p in payload if _safe_ctype(p) == "text/plain"]
            html_parts = [p for p in payload if _safe_ctype(p) == "text/html"]
            for p in html_parts[:1]:
                _collect_links(p, pm)
            chosen = plain[:1] or html_parts[:1] or payload
            for sub in chosen:
                if sub in html_parts:
                    budget[0] -= 1
                    pm.content_types.append("text/html")
                    texts.append(_html_text(sub, pm))
                else:
                    _walk(sub, pm, texts, depth + 1, budget)
            return
        for sub in payload:
            _walk(sub, pm, texts, depth + 1, budget)
        return
    disposition = (part.get("content-disposition") or "").lower()
    filename = None
    try:
        filename = part.get_filename()
    except Exception:
        pass
    if filename or disposition.startswith("attachment"):
        pm.attachments.append(decode_header_value(filename) if filename else ctype)
        return
    if ctype == "text/plain":
        data = _part_bytes(part, pm)
        text, problem = decode_bytes(data, _charset(part))
        if problem:
            pm.problems.append(problem)
        texts.append(text)
    elif ctype == "text/html":
        _collect_links(part, pm)
        texts.append(_html_text(part, pm))


def _safe_ctype(part) -> str:
    try:
        return part.get_content_type()
    except Exception:
        return ""


def _html_source(part, pm: ParsedMessage) -> str:
    data = _part_bytes(part, pm)
    text, problem = decode_bytes(data, _charset(part))
    if problem:
        pm.problems.append(problem)
    return text


def _html_text(part, pm: ParsedMessage) -> str:
    cache = getattr(part, "_gdprkit_html", None)
    source = cache if cache is not None else _html_source(part, pm)
    return html_to_text(source)


# Where mail clients start the quoted or forwarded message in their HTML:
# Gmail, Apple Mail and Thunderbird (blockquote type=cite), Thunderbird,
# Outlook (web and desktop), Yahoo, Proton.  Generic <blockquote> is not one:
# newsletters use it for pull quotes.
_HTML_QUOTE = re.compile(
    r"""(?i)\b(?:gmail_quote|moz-cite-prefix|moz-forward-container|yahoo_quoted|protonmail_quote|"""
    r"""OutlookMessageHeader|divRplyFwdMsg|appendonsend)\b|<blockquote\b[^<>]*\btype\s*=\s*["']?cite\b""")


def _collect_links(part, pm: ParsedMessage) -> None:
    source = _html_source(part, pm)
    part._gdprkit_html = source
    links = html_links(source)
    pm.links.extend(links)
    quote = _HTML_QUOTE.search(source)
    if pm.own_links is None:
        pm.own_links = []
    pm.own_links.extend(links if quote is None else html_links(source[:quote.start()]))
