"""Streaming mbox reader and writer (mboxo, mboxrd, Google Takeout).

``mailbox.mbox`` indexes the whole file and keeps the index; here the file is
read line by line and one message at a time is held in memory, so a 2 GB
mailbox imports in bounded memory.  A message larger than
``max_message_bytes`` is spilled to a temporary file (its evidence), encrypted
under a key held only in memory (:mod:`gdprkit._spill`), and only its head is
kept for classification.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from .._spill import EncryptedSpill

#: Lines longer than this are read in pieces (a base64 blob without newlines).
_LINE_LIMIT = 1 << 20
#: Messages larger than this are spilled to a temporary file.
MAX_MESSAGE_BYTES = 32 << 20

# "From sender date": a separator must look like one (a date with a time), so
# that an unescaped "From time to time" in a body does not split a message.
_SEPARATOR = re.compile(rb"^From \S*\s+.*\d{1,2}:\d{2}")
_HEADER_LINE = re.compile(rb"^[\x21-\x39\x3b-\x7e]+:")
_ESCAPED_FROM = re.compile(rb"^>+From ")


@dataclass
class MboxMessage:
    """One message of a mailbox: its bytes (or head and a spill file)."""

    index: int  # 0-based position in the mailbox
    offset: int  # byte offset of its "From " line
    data: bytes  # the message, unescaped (only the head when ``spill`` is set)
    size: int  # full size in bytes
    spill: EncryptedSpill | None = None  # the whole message, when larger than the limit

    @property
    def truncated(self) -> bool:
        return self.spill is not None


class _Collector:
    def __init__(self, limit: int):
        self.limit = limit
        self.parts: list[bytes] = []
        self.size = 0
        self.spill = None
        self.held = b""  # a trailing blank line, maybe the mbox separator's

    def add(self, line: bytes) -> None:
        self.size += len(line)
        if self.spill is not None:
            if self.held:
                self.spill.write(self.held)
                self.held = b""
            if line in (b"\n", b"\r\n"):
                self.held = line
            else:
                self.spill.write(line)
            return
        self.parts.append(line)
        if self.size > self.limit:
            # Closed in finish(); deleted by iter_mbox once the caller moved on.
            self.spill = EncryptedSpill(prefix="gdprkit-mbox-")
            head = b"".join(self.parts)
            self.spill.write(head)
            self.parts = [head[: self.limit]]

    def finish(self) -> tuple[bytes, int, EncryptedSpill | None]:
        data = b"".join(self.parts)
        spill = None
        if self.spill is not None:
            spill = self.spill
            spill.close()
            data = data[: self.limit]
            self.size -= len(self.held)
        # The blank line before the next separator belongs to the mbox format.
        if spill is None:
            if data.endswith(b"\r\n\r\n"):
                data = data[:-2]
            elif data.endswith(b"\n\n"):
                data = data[:-1]
        return data, self.size, spill


def iter_mbox(fh: BinaryIO, *, max_message_bytes: int = MAX_MESSAGE_BYTES,
              progress=None) -> Iterator[MboxMessage]:
    """Yield the messages of an mbox stream one at a time.

    ``progress``, if given, is called with the number of bytes consumed since
    its last call.  A spill file is deleted when the iteration moves past its
    message, so use (or copy) it before asking for the next one.
    """
    index = 0
    offset = 0
    msg_offset = 0
    current: _Collector | None = None
    prev_blank = True
    at_line_start = True
    pending: bytes | None = None  # a "From " line that may or may not be a separator
    pending_offset = 0
    consumed = 0
    last_spill: EncryptedSpill | None = None

    def emit():
        nonlocal index, last_spill
        data, size, spill = current.finish()
        item = MboxMessage(index=index, offset=msg_offset, data=data, size=size, spill=spill)
        index += 1
        last_spill = spill
        return item

    try:
        while True:
            line = fh.readline(_LINE_LIMIT)
            if not line:
                break
            line_start = at_line_start
            at_line_start = line.endswith(b"\n")
            here = offset
            offset += len(line)
            consumed += len(line)
            if progress is not None and consumed >= 1 << 20:
                progress(consumed)
                consumed = 0
            if pending is not None:
                # Decide on the held "From " line now that the next line is known.
                held, pending = pending, None
                if _HEADER_LINE.match(line):
                    if current is not None and current.size:
                        yield emit()
                        _cleanup(last_spill)
                    current = _Collector(max_message_bytes)
                    msg_offset = pending_offset
                else:
                    current = current or _Collector(max_message_bytes)
                    current.add(_unescape(held))
            if line_start and line.startswith(b"From ") and (prev_blank or current is None):
                if current is None or _SEPARATOR.match(line):
                    if current is not None and current.size:
                        yield emit()
                        _cleanup(last_spill)
                    current = _Collector(max_message_bytes)
                    msg_offset = here
                    prev_blank = False
                    continue
                pending, pending_offset = line, here
                prev_blank = False
                continue
            if current is None:
                # Bytes before the first separator: not an mbox, or a damaged
                # head.  Treat them as a message so nothing is silently lost.
                current = _Collector(max_message_bytes)
                msg_offset = here
            current.add(_unescape(line) if line_start else line)
            prev_blank = line_start and line in (b"\n", b"\r\n")
        if pending is not None:
            current = current or _Collector(max_message_bytes)
            current.add(_unescape(pending))
        if current is not None and current.size:
            yield emit()
    finally:
        _cleanup(last_spill)
        if progress is not None and consumed:
            progress(consumed)


def _unescape(line: bytes) -> bytes:
    # mboxrd: one ">" was added in front of ">*From " lines; mboxo's ">From "
    # comes out right the same way.
    if line.startswith(b">") and _ESCAPED_FROM.match(line):
        return line[1:]
    return line


def _cleanup(spill: EncryptedSpill | None) -> None:
    if spill is not None:
        spill.discard()


def mbox_separator(sender: str = "MAILER-DAEMON", when=None) -> bytes:
    """A "From " separator line (asctime date, as mail tools write it)."""
    import time

    stamp = time.asctime(time.gmtime(when.timestamp() if when else 0))
    return f"From {sender} {stamp}\n".encode("ascii", "replace")


def write_mbox_message(out: BinaryIO, message: bytes, sender: str = "MAILER-DAEMON") -> None:
    """Append one message in mboxrd form (escaping ``>*From `` lines)."""
    out.write(mbox_separator(sender))
    import io

    # Split on LF only, as the reader does (a lone CR is not a line end there).
    for line in io.BytesIO(message):
        if _ESCAPED_FROM.match(line) or line.startswith(b"From "):
            line = b">" + line
        out.write(line)
    if not message.endswith(b"\n"):
        out.write(b"\n")
    out.write(b"\n")
