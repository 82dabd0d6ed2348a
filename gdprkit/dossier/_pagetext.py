"""The text drawn on a PDF's pages, decoded through each font's ToUnicode map.

Enough for the verifier to find the hashes printed in a dossier's tables,
and to fingerprint each page's text: the export records the SHA-256 of every
page's text (:func:`page_digests`) in the manifest, and the verifier
recomputes it.  Not a general text extractor (no layout, no Type 3 fonts,
no XObjects), but the same function on both sides, so any change to a string
shown on a page, or to the font map that decodes it, changes the digest.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator

_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
_HEX = re.compile(rb"<([0-9A-Fa-f]*)>")


def _utf16(hexstr: bytes) -> str:
    try:
        return bytes.fromhex(hexstr.decode("ascii")).decode("utf-16-be")
    except (ValueError, UnicodeDecodeError):
        return "\ufffd"


class _Decoder:
    def __init__(self, cmap: dict[int, str] | None, width: int) -> None:
        self.cmap, self.width = cmap, width
        self.table = cmap if cmap is not None and width == 1 else None

    def __call__(self, data: bytes) -> str:
        if self.cmap is None:
            return data.decode("latin-1")
        if self.table is not None:  # one-byte codes: a str.translate does it in C
            return data.decode("latin-1").translate(self.table)
        w = self.width
        return "".join(self.cmap.get(int.from_bytes(data[i:i + w], "big"), "\ufffd")
                       for i in range(0, len(data) - w + 1, w))


def _decoder(font) -> _Decoder:
    try:
        raw = font.ToUnicode.read_bytes()
    except (AttributeError, KeyError, ValueError, TypeError, RuntimeError):
        return _Decoder(None, 1)
    cmap: dict[int, str] = {}
    width = 1
    for block in _BFCHAR.findall(raw):
        vals = _HEX.findall(block)
        for src, dst in zip(vals[::2], vals[1::2], strict=False):
            width = max(width, len(src) // 2)
            cmap[int(src or b"0", 16)] = _utf16(dst)
    for block in _BFRANGE.findall(raw):
        vals = _HEX.findall(block)
        for lo, hi, dst in zip(vals[::3], vals[1::3], vals[2::3], strict=False):
            width = max(width, len(lo) // 2)
            start, end = int(lo or b"0", 16), int(hi or b"0", 16)
            first = _utf16(dst)
            if len(first) == 1 and end - start < 65536:
                for n in range(start, end + 1):
                    cmap[n] = chr(ord(first) + n - start)
    return _Decoder(cmap, width)


def page_texts(pdf) -> Iterator[str]:
    """The text of each page of an open pikepdf document, in drawing order."""
    import pikepdf

    decoders: dict[tuple, _Decoder] = {}
    for page in pdf.pages:
        try:
            fonts = page.Resources.Font
        except (AttributeError, KeyError):
            fonts = {}
        parts: list[str] = []
        decode = _Decoder(None, 1)
        try:
            instructions = pikepdf.parse_content_stream(page, "Tf Tj TJ ' \"")
        except pikepdf.PdfError:
            yield ""
            continue
        for operands, op in instructions:
            name = str(op)
            if name == "Tf" and operands:
                font = fonts.get(str(operands[0])) if hasattr(fonts, "get") else None
                if font is None:
                    decode = _Decoder(None, 1)
                    continue
                key = font.objgen if font.is_indirect else (id(font), 0)
                if key not in decoders:
                    decoders[key] = _decoder(font)
                decode = decoders[key]
            elif name in ("Tj", "'") and operands:
                parts.append(decode(bytes(operands[0])))
            elif name == '"' and len(operands) == 3:
                parts.append(decode(bytes(operands[2])))
            elif name == "TJ" and operands:
                for item in operands[0]:
                    if isinstance(item, pikepdf.String):
                        parts.append(decode(bytes(item)))
        yield "".join(parts)


def text_digest(text: str) -> str:
    """SHA-256 (hex) of one page's text, as UTF-8."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def page_digests(texts: Iterable[str]) -> list[str]:
    """:func:`text_digest` of each page text, e.g. of ``page_texts(pdf)``."""
    return [text_digest(t) for t in texts]
