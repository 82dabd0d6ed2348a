"""Domain data classes and enumerations shared by every part of gdprkit.

These are plain values: the ledger builds them from decrypted entries, the
letter and dossier code reads them, scripts may build them by hand (for
example to render a letter without a ledger).
"""

from __future__ import annotations

import datetime as _dt
import functools
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Callable
    from typing import BinaryIO


class _Choice(StrEnum):
    """A string enum whose values are the CLI spellings."""

    @classmethod
    def values(cls) -> list[str]:
        return [m.value for m in cls]

    @classmethod
    def parse(cls, value: str):
        try:
            return cls(value)
        except ValueError:
            from .errors import BadInput

            raise BadInput(
                f"unknown {cls.__doc__.split(':')[0].strip().lower()} {value!r}",
                hint="valid: " + ", ".join(cls.values()),
            ) from None


class IncidentKind(_Choice):
    """Incident kind: what the contact did with the requester's data."""

    MAILING_LIST = "mailing-list"
    FORWARDED = "forwarded"
    ENDORSEMENT = "endorsement"
    DIRECT_PITCH = "direct-pitch"
    UNSOLICITED_MESSAGE = "unsolicited-message"
    INTRODUCTION_REQUEST = "introduction-request"
    DISCUSSION_LIST = "discussion-list"
    GROUP_PHISHING = "group-phishing"
    OTHER = "other"


class LetterKind(_Choice):
    """Letter kind: the right exercised or the step taken."""

    OBJECTION = "objection"
    ERASURE = "erasure"
    ACCESS = "access"
    RESTRICTION = "restriction"
    WITHDRAW_CONSENT = "withdraw-consent"
    REMINDER = "reminder"
    COMPLAINT = "complaint"
    PLATFORM_REPORT = "platform-report"


class Action(_Choice):
    """Action: what the requester did on the platform."""

    BLOCKED = "blocked"
    REPORTED = "reported"
    REMOVED = "removed"
    NONE = "none"


class EvidenceMethod(_Choice):
    """Evidence method: how an evidence item was acquired."""

    FILE = "file"
    IMPORT = "import"
    SCREENSHOT = "screenshot"


LANGUAGES = ("en", "it", "de", "fr", "es")
FORMATS = ("txt", "md", "html", "eml", "pdf")


@dataclass(frozen=True)
class Profile:
    """The requester: the person whose data was misused."""

    name: str
    email: str | None = None
    address: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2 (or ISO 3166-2 like DE-BY)
    lang: str = "en"


@dataclass(frozen=True)
class Contact:
    """The person misusing data, and the organisation they act for."""

    id: str
    name: str
    email: str | None = None
    profile_url: str | None = None
    platform: str | None = None
    org: str | None = None
    org_address: str | None = None
    org_email: str | None = None
    country: str | None = None
    created_at: _dt.datetime | None = None
    shredded: bool = False
    shred_reason: str | None = None


@dataclass(frozen=True)
class Evidence:
    """One evidence item with its custody metadata (ISO/IEC 27037 spirit)."""

    id: str
    incident: str
    name: str  # original file name
    size: int
    sha256: str  # hex, of the original bytes
    acquired_at: _dt.datetime
    acquired_by: str
    method: str  # EvidenceMethod value
    source: str | None = None  # platform, Message-ID, conversation id
    tool_version: str = ""
    media_type: str | None = None
    seq: int | None = None  # ledger entry that holds it
    shredded: bool = False
    shred_reason: str | None = None


@dataclass(frozen=True)
class EvidenceInput:
    """An evidence item to store: a file on disk or bytes in memory."""

    name: str  # original file name as the user knows it
    path: str | None = None
    data: bytes | None = None
    opener: Callable[[], BinaryIO] | None = None  # opens a stream of the bytes (give one of the three)
    method: str = "file"  # EvidenceMethod value
    source: str | None = None  # platform, Message-ID, conversation id
    acquired_by: str | None = None  # default: the requester's name, else the OS user
    acquired_at: _dt.datetime | None = None  # default: now
    media_type: str | None = None  # guessed from the name when not given


@dataclass(frozen=True)
class IncidentInput:
    """An incident to record with :meth:`Ledger.log_incidents` (many in one commit)."""

    kind: str  # IncidentKind value
    contact: str  # contact id
    when: _dt.datetime | None = None  # default: now
    platform: str | None = None
    note: str | None = None
    action: str = "none"  # Action value
    evidence: tuple[EvidenceInput, ...] = ()


@dataclass(frozen=True)
class Incident:
    """One misuse of the requester's data by a contact.

    ``when`` is the instant it happened, in the UTC offset it was given in (an
    explicit offset, the local zone's offset at that time, or an e-mail's Date
    header offset; UTC for times stored without one).  So ``when.date()`` is
    the day where it happened: that date is shown and filtered on everywhere,
    while comparing ``when`` values still orders by the instant.
    """

    id: str
    kind: str  # IncidentKind value
    contact: str  # contact id
    when: _dt.datetime
    platform: str | None = None
    note: str | None = None
    action: str = "none"  # Action value
    evidence: tuple[Evidence, ...] = ()
    recorded_at: _dt.datetime | None = None
    seq: int | None = None
    shredded: bool = False
    shred_reason: str | None = None

    @property
    def date(self) -> _dt.date:
        """The day it happened, at the UTC offset it was given in."""
        return self.when.date()

    def to_dict(self) -> dict:
        """The JSON shape: ``when`` in UTC, then ``utc_offset`` and the local ``date``."""
        data = asdict(self)
        out = {}
        for key, value in data.items():
            if key == "when":
                when = self.when if self.when.tzinfo else self.when.astimezone()
                out["when"] = when.astimezone(_dt.UTC)
                out["utc_offset"] = offset_text(when)
                out["date"] = when.date()
            else:
                out[key] = value
        return out


def fixed_offset(seconds: int) -> _dt.tzinfo:
    """The fixed zone ``seconds`` east of UTC (``datetime.UTC`` itself for 0)."""
    return _fixed_offset(int(seconds)) if seconds else _dt.UTC


@functools.lru_cache(maxsize=256)
def _fixed_offset(seconds: int) -> _dt.tzinfo:
    return _dt.timezone(_dt.timedelta(seconds=seconds))


def offset_seconds(when: _dt.datetime) -> int:
    """The UTC offset of an aware ``when``, in whole seconds east of UTC."""
    off = when.utcoffset()
    return int(off.total_seconds()) if off else 0


def offset_text(when: _dt.datetime) -> str:
    """``+01:00``, ``-05:30``, ``+00:00`` (seconds only when there are some)."""
    seconds = offset_seconds(when)
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours:02d}:{minutes:02d}" + (f":{secs:02d}" if secs else "")


@dataclass(frozen=True)
class RequestEvent:
    """One step in a request's life (sent, extended, answered ...)."""

    type: str
    on: _dt.date
    note: str | None = None
    recorded_at: _dt.datetime | None = None
    seq: int | None = None


@dataclass(frozen=True)
class Request:
    """A letter that was generated (and usually sent): the lifecycle unit."""

    id: str
    kind: str  # LetterKind value
    lang: str
    format: str
    recipient_name: str
    recipient_email: str | None
    recipient_address: str | None
    recipient_country: str | None
    contact: str | None
    incidents: tuple[str, ...]
    sent: _dt.date
    due: _dt.date | None
    sha256: str
    related_request: str | None = None  # a reminder/complaint points at the request it follows
    events: tuple[RequestEvent, ...] = ()
    created_at: _dt.datetime | None = None
    seq: int | None = None
    shredded: bool = False
    recipient_contact: str | None = None  # the contact whose details the recipient is
    recipient_shredded: bool = False  # erased (with that contact): shown as [shredded]


@dataclass(frozen=True)
class Checkpoint:
    """A signed statement of the ledger's Merkle tree: size and root."""

    origin: str
    tree_size: int
    root_hash: bytes
    note: str = ""  # the C2SP signed note, text form
    key_name: str = ""
    public_key: bytes = b""

    @property
    def root_hex(self) -> str:
        return self.root_hash.hex()


@dataclass
class VerifyReport:
    """What ``Ledger.verify`` checked; raised inside TamperDetected when not ok."""

    entries: int = 0
    tree_size: int = 0
    root_hash: str = ""
    checkpoints: int = 0
    shredded: int = 0
    problems: list[dict] = field(default_factory=list)
    against: dict | None = None  # the kept checkpoint checked with --against

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict:
        return {
            "ok": self.ok,
            "entries": self.entries,
            "tree_size": self.tree_size,
            "root_hash": self.root_hash,
            "checkpoints": self.checkpoints,
            "shredded": self.shredded,
            "against": self.against,
            "problems": self.problems,
        }
