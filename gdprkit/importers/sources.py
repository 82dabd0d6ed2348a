"""E-mail sources: ``.eml`` files and mbox files, as streams of parsed messages."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .mbox import MAX_MESSAGE_BYTES, iter_mbox
from .message import ParsedMessage, parse_message


def sha256_file(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _safe_parse(raw: bytes, source: str, **kw) -> ParsedMessage:
    try:
        return parse_message(raw, source, **kw)
    except Exception as err:  # parse_message guards itself; this is belt and braces
        return ParsedMessage(source=source, raw=raw, raw_size=len(raw),
                             error=f"cannot parse: {type(err).__name__}: {err}")


def iter_eml(paths: Iterable[str | os.PathLike], *,
             max_message_bytes: int = MAX_MESSAGE_BYTES) -> Iterator[ParsedMessage]:
    """One parsed message per ``.eml`` file; a file too big to hold is classified on its head."""
    for path in paths:
        source = str(path)
        try:
            size = os.path.getsize(path)
            with open(path, "rb") as fh:
                head = fh.read(max_message_bytes)
        except OSError as err:
            yield ParsedMessage(source=source, error=f"cannot read: {err.strerror or err}")
            continue
        if size > len(head):
            pm = _safe_parse(head, source, raw_size=size, raw_path=str(path), truncated=True)
            pm.raw = b""
            pm.raw_sha256 = sha256_file(path)
        else:
            pm = _safe_parse(head, source)
        yield pm


def iter_mbox_file(path: str | os.PathLike, *, progress: Callable[[int], None] | None = None,
                   max_message_bytes: int = MAX_MESSAGE_BYTES) -> Iterator[ParsedMessage]:
    """Parsed messages of an mbox (also Google Takeout), streamed in bounded memory.

    A spilled (huge) message's evidence file exists until the next message is
    requested: store it before advancing.
    """
    label = Path(path).name
    with open(path, "rb") as fh:
        for m in iter_mbox(fh, max_message_bytes=max_message_bytes, progress=progress):
            source = f"{label}#{m.index + 1}"
            if m.spill is not None:
                pm = _safe_parse(m.data, source, raw_size=m.size, raw_opener=m.spill.open,
                                 truncated=True)
                pm.raw = b""
                pm.raw_sha256 = m.spill.sha256
            else:
                pm = _safe_parse(m.data, source)
            yield pm
