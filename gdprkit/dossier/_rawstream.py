"""Hash an embedded file's data in blocks, without pikepdf holding a copy.

pikepdf (qpdf) can only hand over a stream's data whole: ``read_bytes()``
keeps the decoded data twice over while it builds it, and even
``get_raw_stream_buffer()`` collects the compressed data in a growing buffer
(about twice its size at the peak).  For a 150 MB evidence file that is
hundreds of megabytes.  So the verifier reads the stream's bytes from the
file itself, at the offset of the object in the cross-reference table that
qpdf already read (without recovery), and inflates them block by block.

It does so only where the reading cannot differ from qpdf's: the object
header names the object, its dictionary uses a plain subset of the PDF
syntax (no comments, no string that could hide a ``stream`` keyword), the
data is exactly ``/Length`` bytes followed by ``endstream``, and the only
filter is one complete zlib stream.  Anything else is read through pikepdf,
as before: correct, only heavier.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from typing import BinaryIO

BLOCK = 1 << 20
_WS = rb"[\x00\t\n\x0c\r ]"
_HEADER = re.compile(rb"%s*(\d+)%s+(\d+)%s+obj%s*" % (_WS, _WS, _WS, _WS))
# The tokens a plain stream dictionary is made of.  A literal string without
# parentheses or backslashes cannot contain anything that reads as a token
# boundary; a name runs to the next delimiter, so "/octet-stream" is one token.
_TOKEN = re.compile(
    rb"%s+|<<|>>|\[|\]|/[^\x00\t\n\x0c\r /<>\[\]()%%{}]*|[+-]?(?:\d+\.?\d*|\.\d+)"
    rb"|<[0-9A-Fa-f\x00\t\n\x0c\r ]*>|\([^()\\\r\n]*\)|true|false|null|R" % _WS)
_STREAM = re.compile(rb"%s*stream(?:\r\n|\n)" % _WS)
_END = re.compile(rb"(?:\r\n|\n|\r)?endstream")
_WINDOW = 64 * 1024  # a stream dictionary larger than this takes the slow path


def _data_offset(fh: BinaryIO, offset: int, objgen: tuple[int, int]) -> int | None:
    """Where the stream data of the object at ``offset`` starts, or None."""
    fh.seek(offset)
    window = fh.read(_WINDOW)
    head = _HEADER.match(window)
    if head is None or (int(head.group(1)), int(head.group(2))) != objgen:
        return None
    pos, depth = head.end(), 0
    if not window.startswith(b"<<", pos):
        return None
    while True:
        token = _TOKEN.match(window, pos)
        if token is None:
            return None
        pos = token.end()
        text = token.group()
        if text == b"<<":
            depth += 1
        elif text == b">>":
            depth -= 1
            if depth == 0:
                break
    keyword = _STREAM.match(window, pos)
    return offset + keyword.end() if keyword else None


def _plain_filter(stream) -> str | None:
    """'flate' or 'none' for the filters read here; None for anything else."""
    import pikepdf

    if stream.get("/DecodeParms") is not None:
        return None
    filters = stream.get("/Filter")
    if filters is None:
        return "none"
    if isinstance(filters, pikepdf.Array):
        if len(filters) != 1:
            return None
        filters = filters[0]
    return "flate" if filters == pikepdf.Name.FlateDecode else None


def digest_from_file(pdf, fh: BinaryIO, stream, xref: dict) -> tuple[str, int] | None:
    """SHA-256 (hex) and size of ``stream``'s decoded data, read from ``fh``.

    ``xref`` is ``pdf.get_xref_table()``.  None when the stream is not in
    the simple shape described above: read it through pikepdf instead.
    """
    if pdf.is_encrypted:  # the bytes in the file are ciphertext
        return None
    kind = _plain_filter(stream)
    entry = xref.get(stream.objgen)
    if kind is None or entry is None or entry.type != 1 or entry.offset is None:
        return None
    try:
        length = int(stream.Length)
    except (AttributeError, TypeError, ValueError):
        return None
    start = _data_offset(fh, entry.offset, stream.objgen)
    if start is None or length < 0:
        return None
    fh.seek(start)
    sha, size, left = hashlib.sha256(), 0, length
    inflate = zlib.decompressobj() if kind == "flate" else None
    try:
        while left:
            block = fh.read(min(BLOCK, left))
            if not block:
                return None  # the file ends inside the stream
            left -= len(block)
            if inflate is None:
                sha.update(block)
                size += len(block)
                continue
            if inflate.eof:
                return None  # data after the end of the zlib stream
            out = inflate.decompress(block, BLOCK)
            while True:
                sha.update(out)
                size += len(out)
                if not inflate.unconsumed_tail:
                    break
                out = inflate.decompress(inflate.unconsumed_tail, BLOCK)
        if inflate is not None:
            rest = inflate.flush()
            sha.update(rest)
            size += len(rest)
            if not inflate.eof or inflate.unused_data:
                return None
    except zlib.error:
        return None
    if not _END.match(fh.read(11)):
        return None
    return sha.hexdigest(), size


def digest_with_pikepdf(stream) -> tuple[str, int]:
    """The slow path: pikepdf decodes the whole stream in memory."""
    data = stream.read_bytes()
    return hashlib.sha256(data).hexdigest(), len(data)
