"""One batch row -> one letter file: validation, rendering and writing, run in the workers.

Everything here is a plain function of picklable values so that it runs the
same in the parent (``jobs=1``) and in worker processes.  A worker gets a
chunk of rows, renders each letter, writes it (atomically, and only when its
bytes changed) and sends back, per row, the file name, SHA-256 and status or
the error: a few dozen bytes, never the letter, never anything that needs the
ledger.  Writing in the workers spreads the file-system cost over them too.

Validation turns the row's strings into the model's values and refuses, as an
error of that row: an unknown letter kind, language, format or incident
kind; an empty required field; a date that does not parse (or is ambiguous,
like ``03/04/2026``); a line break or control character in a one-line field
(names, e-mail addresses, countries: e-mail headers could be forged with
them); an over-long value.  Multi-line fields (addresses, facts) keep their
line breaks.  Text is never template code: the letters engine prints it.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import BadInput, GdprkitError
from .model import FORMATS, LANGUAGES, Contact, Incident, IncidentKind, LetterKind, Profile

__all__ = [
    "Job", "Outcome", "RenderSettings", "parse_date", "render_chunk", "render_row", "store",
    "write_if_changed",
]

# Longest accepted values, in characters.
LIMITS = {
    "name": 200,
    "org": 200,
    "email": 254,  # RFC 5321 path limit
    "country": 6,
    "platform": 100,
    "address": 1_000,
    "facts": 20_000,
    "output": 1_000,
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_DOTTED_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_SLASHED_DATE = re.compile(r"^\d{1,2}/\d{1,2}/\d{2,4}$")


@dataclass(frozen=True)
class RenderSettings:
    """What every row shares: the command line's defaults and the run's date."""

    fmt: str = "txt"
    lang: str = "en"
    sent: _dt.date = field(default_factory=_dt.date.today)
    template_dir: str | None = None
    record: bool = False  # send back what the ledger records (recipient, kind ...)
    out_dir: str | None = None  # write the letters here (None: keep them in the Outcome)
    fail_fast: bool = False  # a chunk stops at its first error


@dataclass(frozen=True)
class Job:
    """A row ready to render: its values plus what the parent found in the ledger.

    ``ledger`` holds ``profile`` (Profile), ``contact`` (Contact),
    ``incidents`` (tuple of Incident) and ``request`` (Request) when the row
    named ledger ids; it is empty otherwise.
    """

    row: int
    values: Mapping[str, str]
    output: str | None = None  # the row's own output name, already checked and claimed
    ledger: Mapping[str, Any] = field(default_factory=dict)
    error: str | None = None  # found before rendering (reading, ledger ids, output name)


@dataclass(frozen=True)
class Outcome:
    """A rendered row (``sha256``, ``status``; ``content`` if not written) or its ``error``."""

    row: int
    name: str | None = None  # relative output path
    content: bytes | None = None
    sha256: str | None = None
    error: str | None = None
    status: str | None = None  # "ok" (written) or "unchanged", once stored
    # what the ledger records (only when RenderSettings.record)
    due: _dt.date | None = None
    recipient: Any = None  # letters.Recipient
    kind: str | None = None
    lang: str | None = None
    fmt: str | None = None
    sent: _dt.date | None = None


# -- field parsing --------------------------------------------------------------
def _one_line(values: Mapping[str, str], key: str, limit: str) -> str | None:
    value = values.get(key) or ""
    if not value:
        return None
    if _CONTROL.search(value):
        raise BadInput(f"{key} contains a line break or control character")
    value = unicodedata.normalize("NFC", value)
    if len(value) > LIMITS[limit]:
        raise BadInput(f"{key} is longer than {LIMITS[limit]} characters ({len(value)})")
    return value


def _multi_line(values: Mapping[str, str], key: str, limit: str) -> str | None:
    value = (values.get(key) or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not value:
        return None
    if _CONTROL_MULTILINE.search(value):
        raise BadInput(f"{key} contains a control character")
    value = unicodedata.normalize("NFC", value)
    if len(value) > LIMITS[limit]:
        raise BadInput(f"{key} is longer than {LIMITS[limit]} characters ({len(value)})")
    return value


def _email(values: Mapping[str, str], key: str) -> str | None:
    """The rule of ``gdprkit init/contact add --email`` (:func:`gdprkit._validate.check_email`)."""
    from ._validate import check_email

    value = _one_line(values, key, "email")
    return check_email(value, key) if value is not None else None


def _country(values: Mapping[str, str], key: str, *, requester: bool = False) -> str | None:
    """The rule of ``--country`` (:func:`gdprkit._validate.check_country`): the
    requester's country must have a supervisory authority, as in ``profile set``."""
    from ._validate import check_country

    value = _one_line(values, key, "country")
    if value is None:
        return None
    try:
        return check_country(value, what=key, requester=requester)
    except BadInput as err:
        if err.message.startswith(key):
            raise
        raise BadInput(f"{key} {value!r}: {err.message}", hint=err.hint) from None


def _choice(values: Mapping[str, str], key: str, default: str, valid, what: str) -> str:
    value = (values.get(key) or "").strip().lower() or default
    if value not in valid:
        raise BadInput(f"unknown {what} {value!r}", hint="valid: " + ", ".join(valid))
    return value


def _row_format(values: Mapping[str, str], output: str | None, default: str) -> str:
    """The row's ``format``, else the extension of its ``output``, else ``default``.

    The rule of ``gdprkit letter -o FILE``: a known extension (.txt .md .html
    .eml .pdf, any case) chooses the format, another extension is refused
    rather than writing a letter in a file that claims to be something else.
    A row's explicit ``format`` wins, but an ``output`` whose known extension
    says another format is refused too (a PDF named ``.txt``).
    """
    import posixpath

    given = (values.get("format") or "").strip().lower()
    if given and given not in FORMATS:
        raise BadInput(f"unknown format {given!r}", hint="valid: " + ", ".join(FORMATS))
    suffix = posixpath.splitext(output)[1].lower().lstrip(".") if output else ""
    if given:
        if suffix in FORMATS and suffix != given:
            raise BadInput(f"output {output!r} is named .{suffix} but the row's format is "
                           f"{given!r}", hint=f"name it .{given}, or leave format empty to take "
                           "it from the name")
        return given
    if suffix in FORMATS:
        return suffix
    if suffix:
        raise BadInput(f"cannot tell the format from the extension of output {output!r}",
                       hint=f"give the row a format ({', '.join(FORMATS)}) or name the file ."
                       + ", .".join(FORMATS))
    return default


def parse_date(value: str, what: str) -> _dt.date:
    """``2026-03-07`` or ``7.3.2026``; a slashed date is refused as ambiguous."""
    text = value.strip()
    m = _DOTTED_DATE.match(text)
    try:
        if m:
            return _dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return _dt.date.fromisoformat(text)
    except ValueError:
        pass
    if _SLASHED_DATE.match(text):
        raise BadInput(f"{what} {value!r} is ambiguous (day/month or month/day?)",
                       hint="write it as YYYY-MM-DD")
    raise BadInput(f"{what} {value!r} is not a date", hint="write it as YYYY-MM-DD")


def _sent(value: str) -> _dt.date:
    """A row's ``sent``: a date in the range ``gdprkit letter --sent`` accepts."""
    from ._validate import DATE_RANGE_TEXT, date_in_range

    day = parse_date(value, "sent")
    if not date_in_range(day):
        raise BadInput(f"sent {value.strip()!r} is out of range: gdprkit accepts dates "
                       f"{DATE_RANGE_TEXT}")
    return day


def parse_when(value: str, what: str) -> _dt.datetime:
    """An incident's time: a date (taken as noon UTC, so the day prints the same in
    every time zone) or an ISO date-time (naive means local time), kept at its UTC
    offset so that the letter prints the day it was written for."""
    from ._validate import check_date

    text = value.strip()
    if "T" in text or (" " in text and ":" in text):
        try:
            parsed = _dt.datetime.fromisoformat(text)
        except ValueError:
            raise BadInput(f"{what} {value!r} is not a date or date-time",
                           hint="write it as YYYY-MM-DD or YYYY-MM-DDTHH:MM") from None
        check_date(parsed, what)
        if parsed.tzinfo is None:
            parsed = parsed.astimezone()
        return parsed
    day = check_date(parse_date(text, what), what)
    return _dt.datetime.combine(day, _dt.time(12, 0), tzinfo=_dt.UTC)


# -- one row --------------------------------------------------------------------
def _requester(values: Mapping[str, str], profile: Profile | None, lang: str) -> Profile:
    name = _one_line(values, "requester_name", "name")
    email = _email(values, "requester_email")
    address = _multi_line(values, "requester_address", "address")
    country = _country(values, "requester_country", requester=True)
    if profile is not None:  # the row's values win over the ledger profile's
        return Profile(
            name=name or profile.name,
            email=email or profile.email,
            address=address or profile.address,
            country=country or profile.country,
            lang=lang,
        )
    if name is None:
        raise BadInput("requester_name is empty")
    return Profile(name=name, email=email, address=address, country=country, lang=lang)


def _recipient(values: Mapping[str, str], led: Mapping[str, Any], kind: str = "",
               authority=None):
    from dataclasses import replace

    from .letters import Recipient, recipient_from_contact, recipient_from_request

    name = _one_line(values, "recipient_name", "name")
    org = _one_line(values, "recipient_org", "org")
    email = _email(values, "recipient_email")
    address = _multi_line(values, "recipient_address", "address")
    country = _country(values, "recipient_country")
    base = None
    if led.get("follow_up"):
        # as 'gdprkit letter': a reminder goes to the original request's recipient,
        # a complaint to the supervisory authority
        if kind == LetterKind.COMPLAINT.value:
            from .letters.render import recipient_from_directory

            base = recipient_from_directory(authority)
        else:
            base = recipient_from_request(led["request"])
        given = {k: v for k, v in (("name", name), ("org", org), ("email", email),
                                   ("address", address), ("country", country)) if v}
        return replace(base, **given) if given else base
    if led.get("contact") is not None:
        base = recipient_from_contact(led["contact"])
    elif led.get("request") is not None:
        base = recipient_from_request(led["request"])
    if base is not None:  # the row's values win over the ledger's
        return Recipient(
            name=name or base.name,
            org=org or base.org,
            email=email or base.email,
            address=address or base.address,
            country=country or base.country,
        )
    if name is None and org is None:
        raise BadInput("recipient_name and recipient_org are both empty")
    return Recipient(name=name or org, org=org, email=email, address=address, country=country)


def _row_incidents(values: Mapping[str, str], row: int, recipient) -> list[Incident]:
    kind = (values.get("incident_kind") or "").strip().lower()
    date = values.get("incident_date") or ""
    platform = _one_line(values, "platform", "platform")
    facts = _multi_line(values, "facts", "facts")
    if not (kind or date or platform or facts):
        return []
    if not kind:
        raise BadInput("incident_kind is empty (it is needed with incident_date, platform "
                       "or facts)", hint="valid: " + ", ".join(IncidentKind.values()))
    kind = IncidentKind.parse(kind).value
    if not date:
        raise BadInput("incident_date is empty (it is needed with incident_kind)")
    when = parse_when(date, "incident_date")
    return [Incident(id=f"row{row}", kind=kind, contact="", when=when, platform=platform,
                     note=facts)]


def _authority(kind: str, requester: Profile, from_row: bool):
    """The supervisory authority the letter names, by the rule of ``gdprkit letter``
    (:func:`gdprkit.letters.from_ledger.authority_for`): the requester's country's;
    plain ``DE`` is refused (Germany has one authority per Land) unless the letter
    names none (a platform report)."""
    from ._validate import needs_land
    from .legal import directory
    from .letters.from_ledger import authority_for

    named = kind != LetterKind.PLATFORM_REPORT.value
    if from_row and named and needs_land(requester.country):
        lands = ", ".join(c for c in directory.authority_codes() if c.startswith("DE-"))
        raise BadInput(f"requester_country {requester.country!r}: Germany has one supervisory "
                       "authority per Land and the letter must name yours; give the Land as "
                       "DE-XX", hint=f"valid: {lands}")
    required = kind == LetterKind.COMPLAINT.value
    key = (requester.country, required, named)
    if key not in _AUTHORITIES:  # one directory lookup per country and process
        _AUTHORITIES[key] = authority_for(requester, None, required=required, named=named)
    return _AUTHORITIES[key]


_AUTHORITIES: dict[tuple, Any] = {}


def render_row(job: Job, settings: RenderSettings) -> Outcome:
    """Validate one row and render its letter; a GdprkitError becomes the row's error."""
    if job.error is not None:
        return Outcome(job.row, error=job.error)
    try:
        return _render_row(job, settings)
    except GdprkitError as err:
        return Outcome(job.row, error=str(err))
    except Exception as err:  # a bug in a template or writer: this row only
        return Outcome(job.row, error=f"internal error: {type(err).__name__}: {err}")


def _render_row(job: Job, settings: RenderSettings) -> Outcome:
    from ._batch_names import default_name
    from .letters import render_letter

    values, led = job.values, job.ledger
    kind = (values.get("kind") or "").strip().lower()
    if not kind:
        raise BadInput("kind is empty", hint="valid: " + ", ".join(LetterKind.values()))
    kind = LetterKind.parse(kind).value
    lang = _choice(values, "lang", settings.lang, LANGUAGES, "language")
    fmt = _row_format(values, job.output, settings.fmt)
    sent = _sent(values["sent"]) if values.get("sent") else settings.sent
    requester = _requester(values, led.get("profile"), lang)
    authority = _authority(kind, requester, bool(values.get("requester_country")))
    recipient = _recipient(values, led, kind, authority)
    incidents = list(led.get("incidents") or ()) + _row_incidents(values, job.row, recipient)
    contact = led.get("contact")
    if contact is None and not led.get("follow_up"):
        # Without a ledger contact the addressee is the person misusing the data.
        contact = Contact(id="", name=recipient.name, email=recipient.email,
                          org=recipient.org, org_address=recipient.address,
                          country=recipient.country,
                          platform=incidents[0].platform if incidents else None)
    # A fixed Date header (noon of the sending day) keeps eml output reproducible.
    now = _dt.datetime.combine(sent, _dt.time(12, 0)).astimezone()
    letter = render_letter(
        kind, lang=lang, fmt=fmt, requester=requester, recipient=recipient,
        incidents=incidents, contact=contact, sent=sent, request=led.get("request"),
        checkpoint=led.get("checkpoint"),
        template_dir=settings.template_dir, authority=authority, now=now,
    )
    name = job.output or default_name(job.row, kind, lang, recipient.name or recipient.org, fmt)
    if not settings.record:
        return Outcome(job.row, name=name, content=letter.content, sha256=letter.sha256)
    return Outcome(job.row, name=name, content=letter.content, sha256=letter.sha256,
                   due=letter.due, recipient=letter.recipient, kind=kind, lang=lang, fmt=fmt,
                   sent=sent)


_NAMES: dict[str, Any] = {}


def store(outcome: Outcome, settings: RenderSettings) -> Outcome:
    """Write a rendered row's file inside the out dir; the Outcome without its bytes."""
    from dataclasses import replace
    from pathlib import Path

    from ._batch_names import OutputNames

    names = _NAMES.get(settings.out_dir)
    if names is None:  # one per process and out dir: the folder is resolved once
        names = _NAMES[settings.out_dir] = OutputNames(Path(settings.out_dir))
    try:
        path = names.path(outcome.name)
        status = write_if_changed(path, outcome.content, outcome.sha256)
    except GdprkitError as err:
        return Outcome(outcome.row, name=outcome.name, error=str(err))
    except OSError as err:
        return Outcome(outcome.row, name=outcome.name,
                       error=f"cannot write {outcome.name}: {err.strerror or err}")
    return replace(outcome, content=None, status=status)


def render_chunk(jobs: list[Job], settings: RenderSettings) -> list[Outcome]:
    """Render (and store) a chunk of rows in order: the unit of work sent to a worker."""
    out = []
    for job in jobs:
        outcome = render_row(job, settings)
        if outcome.error is None and settings.out_dir is not None:
            outcome = store(outcome, settings)
        out.append(outcome)
        if outcome.error is not None and settings.fail_fast:
            break
    return out


def file_sha256(path) -> str:
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_if_changed(path, content: bytes, sha256: str) -> str:
    """Write ``content`` atomically unless the file already holds exactly it.

    Returns ``"unchanged"`` (the file is not touched, its mtime kept) or ``"ok"``.
    """
    import contextlib
    import os
    import tempfile

    try:
        st = os.stat(path)
    except FileNotFoundError:
        st = None
    if st is not None and st.st_size == len(content) and file_sha256(path) == sha256:
        return "unchanged"
    # No fsync per letter (it would dominate the run time); a file cut short by
    # a crash has the wrong SHA-256 and is rewritten by the next run.  Files are
    # created with mode 0600: letters are personal data.
    if st is None:
        # A new file replaces nothing: created in place (one directory update
        # instead of a create and a rename: half the metadata work on a slow disk).
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                         0o600)
        except FileExistsError:  # appeared meanwhile: replace it atomically below
            pass
        else:
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(content)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(path)
                raise
            return "ok"
    # Replacing a file: the rename makes it atomic, a reader sees the old
    # letter or the new one, never half of one.
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return "ok"


def warm_up() -> None:
    """Import the rendering stack once per worker, before the first chunk."""
    import jinja2  # noqa: F401

    from . import letters  # noqa: F401
