"""Reading a LinkedIn member data export (a folder or the downloaded ZIP).

Files used: ``Connections.csv`` (with its "Notes:" preamble before the header),
``messages.csv``, ``Invitations.csv`` and ``Profile.csv`` (the owner's name).  Rows are streamed; text is repaired
(wrong charset, Latin-1 mojibake).  Every message written by someone else, and
every incoming invitation with a note, becomes a :class:`ParsedMessage` whose
evidence is the CSV header plus that row, re-serialised, so the same row always
has the same SHA-256.
"""

from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import io
import os
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .._urls import normalise_profile_url
from ..errors import BadInput
from ._text import fix_surrogates, fold, html_to_text
from .message import ParsedMessage

csv.field_size_limit(64 << 20)


@dataclass(frozen=True)
class Connection:
    """One row of Connections.csv."""

    name: str
    profile_url: str | None
    email: str | None
    company: str | None
    position: str | None
    connected_on: _dt.date | None


_DATE_FORMATS = ("%d %b %Y", "%d-%b-%y", "%d %B %Y", "%m/%d/%Y", "%m/%d/%y", "%Y-%m-%d", "%b %d, %Y")
_DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S %Z", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S",
    "%m/%d/%y, %I:%M %p", "%m/%d/%Y, %I:%M %p", "%m/%d/%y, %H:%M", "%m/%d/%Y %H:%M",
    "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M",
)


def parse_linkedin_date(value: str | None) -> _dt.date | None:
    if not value or not value.strip():
        return None
    value = value.strip()
    for fmt in _DATE_FORMATS:
        try:
            return _dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    when = parse_linkedin_datetime(value)
    return when.date() if when else None


def parse_linkedin_datetime(value: str | None) -> _dt.datetime | None:
    if not value or not value.strip():
        return None
    value = " ".join(value.replace("\u202f", " ").split())
    for fmt in _DATETIME_FORMATS:
        try:
            when = _dt.datetime.strptime(value, fmt)
        except ValueError:
            continue
        return when if when.tzinfo else when.replace(tzinfo=_dt.UTC)
    try:
        when = _dt.datetime.fromisoformat(value.replace(" UTC", "+00:00"))
        return when if when.tzinfo else when.replace(tzinfo=_dt.UTC)
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            return _dt.datetime.strptime(value, fmt).replace(tzinfo=_dt.UTC)
        except ValueError:
            continue
    return None


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", fix_surrogates(name).strip().lstrip("\ufeff").lower()).strip("_")


class LinkedInExport:
    """A LinkedIn export, as a folder or a ZIP file.  Use as a context manager."""

    FILES = ("connections.csv", "messages.csv", "invitations.csv", "profile.csv")

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self._zip: zipfile.ZipFile | None = None
        self._names: dict[str, str] = {}
        if self.path.is_dir():
            for root, _dirs, files in os.walk(self.path):
                for f in files:
                    low = f.lower()
                    if low in self.FILES and low not in self._names:
                        self._names[low] = os.path.join(root, f)
        elif self.path.is_file():
            try:
                self._zip = zipfile.ZipFile(self.path)
            except (zipfile.BadZipFile, OSError) as err:
                raise BadInput(f"{self.path} is neither a folder nor a ZIP file: {err}") from None
            for info in self._zip.infolist():
                low = info.filename.rsplit("/", 1)[-1].lower()
                if low in self.FILES and low not in self._names:
                    self._names[low] = info.filename
        else:
            raise BadInput(f"no such folder or file: {self.path}")
        if "messages.csv" not in self._names and "invitations.csv" not in self._names:
            raise BadInput(
                f"{self.path} has no messages.csv or Invitations.csv",
                hint="pass the folder or ZIP of a LinkedIn data export (Settings > Data privacy)",
            )

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
            self._zip = None

    def has(self, name: str) -> bool:
        return name in self._names

    def _open_text(self, name: str):
        target = self._names[name]
        binary = self._zip.open(target) if self._zip is not None else open(target, "rb")  # noqa: SIM115
        return io.TextIOWrapper(binary, encoding="utf-8-sig", errors="surrogateescape", newline="")

    def rows(self, name: str, *, header_starts: str | None = None) -> Iterator[tuple[int, list[str], list[str]]]:
        """(row number, header, row) of one CSV file, header located past any preamble."""
        if name not in self._names:
            return
        with self._open_text(name) as fh:
            lines = iter(fh)
            header_line = None
            skipped = []
            for line in lines:
                if not line.strip():
                    continue
                if header_starts is None or line.lstrip("\ufeff").lower().startswith(header_starts):
                    header_line = line
                    break
                skipped.append(line)
                if len(skipped) > 50:  # no header found in the preamble: not the expected file
                    return
            if header_line is None:
                return
            reader = csv.reader(_chain(header_line, lines))
            header = [fix_surrogates(h).strip().lstrip("\ufeff") for h in next(reader)]
            for n, row in enumerate(reader, start=1):
                if not any(cell.strip() for cell in row):
                    continue
                yield n, header, [fix_surrogates(c) for c in row]

    def profile_names(self) -> list[str]:
        """The owner's name(s) from ``Profile.csv`` (First Name, Last Name), if present."""
        out = []
        for _n, header, row in self.rows("profile.csv"):
            rec = {_key(h): v.strip() for h, v in zip(header, row, strict=False)}
            name = " ".join(x for x in (rec.get("first_name"), rec.get("last_name")) if x)
            if name:
                out.append(name)
            if len(out) >= 3:
                break
        return out

    def connections(self) -> dict[str, Connection]:
        """Connections by normalised profile URL."""
        out: dict[str, Connection] = {}
        for _n, header, row in self.rows("connections.csv", header_starts="first name"):
            rec = {_key(h): v.strip() for h, v in zip(header, row, strict=False)}
            url = normalise_profile_url(rec.get("url") or rec.get("profile_url"))
            name = " ".join(x for x in (rec.get("first_name"), rec.get("last_name")) if x)
            conn = Connection(
                name=name or (url or ""),
                profile_url=url,
                email=(rec.get("email_address") or "").lower() or None,
                company=rec.get("company") or None,
                position=rec.get("position") or None,
                connected_on=parse_linkedin_date(rec.get("connected_on")),
            )
            if url:
                out[url] = conn
        return out


def _chain(first: str, rest):
    yield first
    yield from rest


def _row_bytes(header: list[str], row: list[str]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerow(row)
    return buf.getvalue().encode("utf-8", errors="replace")


def _split_urls(value: str) -> list[str]:
    return [u for u in (normalise_profile_url(p) for p in re.split(r"[,;\s]+", value or "")) if u]


def _text(content: str) -> str:
    if "<" in content and re.search(r"(?i)<(p|br|div|a|span)\b", content):
        return html_to_text(content)
    return content.strip()


@dataclass
class LinkedInStats:
    own_messages: int = 0
    rows: int = 0
    owner: str | None = None  # the owner's profile URL(s), when known
    owner_by: str | None = None  # how the owner was recognised (see iter_linkedin)
    owner_names: tuple[str, ...] = ()  # the names the owner's messages were matched by

    @property
    def owner_unknown(self) -> bool:
        """No profile URL of the owner was found: only name matches were skipped."""
        return self.owner is None


def _name_key(name: str | None) -> str:
    return " ".join(fold(name or "").split())


def iter_linkedin(path: str | os.PathLike, *, owner_urls=(), owner_names=(),
                  stats: LinkedInStats | None = None) -> Iterator[ParsedMessage]:
    """Messages and incoming invitations of a LinkedIn export, as parsed messages.

    The export's owner (the requester) is recognised, in this order, by
    ``owner_urls``; by an invitation (the inviter of an outgoing one, the
    invitee of an incoming one); by a message whose sender's name is one of
    ``owner_names`` or the name in the export's ``Profile.csv``; and failing
    all of these, as the member who takes part in strictly more conversations
    than anyone else (the owner is in every one).  On a tie nobody is taken
    for the owner: ``stats.owner`` stays ``None`` and no message is skipped
    except those sent under one of the owner's names.  The owner's own
    messages are counted in ``stats`` and skipped.  The result never depends
    on hash or set order.
    """
    stats = stats if stats is not None else LinkedInStats()
    with LinkedInExport(path) as export:
        conns = export.connections() if export.has("connections.csv") else None
        label = Path(path).name
        owners = {u for u in (normalise_profile_url(x) for x in owner_urls) if u}
        how = "given" if owners else None
        given = [" ".join(n.split()) for n in (*owner_names, *export.profile_names()) if n and n.strip()]
        names = {_name_key(n) for n in given} - {""}
        stats.owner_names = tuple(dict.fromkeys(given))
        # Pass 1: who owns the export, and who opened each conversation.
        members: dict[str, set[str]] = {}  # conversation -> profile URLs taking part
        opener: dict[str, tuple[_dt.datetime, str | None]] = {}
        for _n, header, row in export.rows("invitations.csv"):
            rec = {_key(h): v for h, v in zip(header, row, strict=False)}
            direction = rec.get("direction", "").upper()
            column = {"OUTGOING": "inviterprofileurl", "INCOMING": "inviteeprofileurl"}.get(direction)
            u = normalise_profile_url(rec.get(column)) if column else None
            if u:
                owners.add(u)
                how = how or "invitation"
        for n, header, row in export.rows("messages.csv"):
            rec = {_key(h): v for h, v in zip(header, row, strict=False)}
            conv = rec.get("conversation_id", "").strip() or f"#{n}"
            sender = normalise_profile_url(rec.get("sender_profile_url"))
            when = parse_linkedin_datetime(rec.get("date"))
            if sender and names and _name_key(rec.get("from")) in names:
                owners.add(sender)
                how = how or "name"
            taking_part = members.setdefault(conv, set())
            taking_part.update(u for u in (sender, *_split_urls(rec.get("recipient_profile_urls", ""))) if u)
            if when and (conv not in opener or when < opener[conv][0]):
                opener[conv] = (when, sender)
        if not owners and members:
            counts: dict[str, int] = {}
            for taking_part in members.values():
                for u in taking_part:
                    counts[u] = counts.get(u, 0) + 1
            ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
            if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
                owners.add(ranked[0][0])
                how = "participation"
        del members
        stats.owner = ", ".join(sorted(owners)) or None
        stats.owner_by = how if owners else None

        for n, header, row in export.rows("messages.csv"):
            stats.rows += 1
            rec = {_key(h): v for h, v in zip(header, row, strict=False)}
            sender = normalise_profile_url(rec.get("sender_profile_url"))
            if (sender and sender in owners) or (names and _name_key(rec.get("from")) in names):
                stats.own_messages += 1
                continue
            if (rec.get("is_message_draft") or "").lower() == "yes":
                continue
            conv = rec.get("conversation_id", "").strip()
            date_raw = rec.get("date", "").strip()
            when = parse_linkedin_datetime(date_raw)
            conn = conns.get(sender) if (conns is not None and sender) else None
            raw = _row_bytes(header, row)
            recipients = [("", u) for u in _split_urls(rec.get("recipient_profile_urls", ""))]
            yield ParsedMessage(
                source=f"{label}/messages.csv#{n}",
                channel="linkedin",
                message_id=f"linkedin:{conv}:{date_raw}",
                subject=(rec.get("subject") or rec.get("conversation_title") or "").strip(),
                date=when,
                sender_name=rec.get("from", "").strip(),
                sender_email=conn.email if conn else None,
                sender_profile_url=sender,
                recipients=recipients,
                text=_text(rec.get("content", "")),
                raw=raw,
                raw_size=len(raw),
                raw_sha256=hashlib.sha256(raw).hexdigest(),
                conversation_id=conv or None,
                folder=rec.get("folder") or None,
                connected_on=conn.connected_on if conn else None,
                is_connection=(conn is not None) if conns is not None else None,
                started_conversation=(opener.get(conv, (None, None))[1] == sender) if sender else None,
            )

        for n, header, row in export.rows("invitations.csv"):
            rec = {_key(h): v for h, v in zip(header, row, strict=False)}
            if rec.get("direction", "").upper() != "INCOMING" or not rec.get("message", "").strip():
                continue
            stats.rows += 1
            sender = normalise_profile_url(rec.get("inviterprofileurl"))
            conn = conns.get(sender) if (conns is not None and sender) else None
            sent_raw = rec.get("sent_at", "").strip()
            raw = _row_bytes(header, row)
            yield ParsedMessage(
                source=f"{label}/Invitations.csv#{n}",
                channel="linkedin",
                message_id=f"linkedin:invitation:{sender or rec.get('from', '')}:{sent_raw}",
                subject="LinkedIn invitation",
                date=parse_linkedin_datetime(sent_raw),
                sender_name=rec.get("from", "").strip(),
                sender_email=conn.email if conn else None,
                sender_profile_url=sender,
                recipients=[("", u) for u in _split_urls(rec.get("inviteeprofileurl", ""))],
                text=_text(rec.get("message", "")),
                raw=raw,
                raw_size=len(raw),
                raw_sha256=hashlib.sha256(raw).hexdigest(),
                connected_on=conn.connected_on if conn else None,
                is_connection=(conn is not None) if conns is not None else None,
                is_invitation=True,
            )
