"""Text repair shared by the importers: charsets, mojibake, HTML to text.

Exports from mail clients and from LinkedIn carry wrong or missing charset
labels and text that was decoded as Latin-1 once too often ("Ã¨" for "è").
Nothing here raises on bad input: the worst case is a replacement character.
"""

from __future__ import annotations

import codecs
import html
import re

# Labels seen in the wild that Python does not know under that name.
_CHARSET_ALIASES = {
    "unknown-8bit": "utf-8",
    "x-unknown": "utf-8",
    "unknown": "utf-8",
    "x-user-defined": "cp1252",
    "iso-8859-8-i": "iso-8859-8",
    "ks_c_5601-1987": "cp949",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "latin1": "cp1252",
    "iso-8859-1": "cp1252",  # what WHATWG (and every mail client) actually does
    "us-ascii": "utf-8",  # 8-bit bytes in "ascii" mail are nearly always UTF-8
    "ascii": "utf-8",
    "utf8": "utf-8",
}


def _codec(charset: str | None) -> str | None:
    if not charset:
        return None
    label = charset.strip().strip("\"'").lower()
    label = _CHARSET_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_bytes(data: bytes, charset: str | None = None) -> tuple[str, str | None]:
    """Decode ``data`` trying the declared charset, UTF-8, then cp1252.

    Returns the text and a problem description (``None`` when the declared
    charset worked).  Never raises.
    """
    problem = None
    codec = _codec(charset)
    if charset and codec is None:
        problem = f"unknown charset {charset.strip()[:40]!r}"
    if codec is not None:
        try:
            return fix_mojibake(data.decode(codec)), None
        except (UnicodeDecodeError, LookupError):
            problem = f"bytes are not valid {charset.strip()[:40]}"
    try:
        return fix_mojibake(data.decode("utf-8")), problem
    except UnicodeDecodeError:
        pass
    # cp1252 leaves five bytes undefined; latin-1 maps every byte.
    return data.decode("cp1252", errors="replace").replace("\ufffd", "?"), (
        problem or "no usable charset; decoded as Windows-1252"
    )


# A run of characters that are UTF-8 bytes shown through cp1252/latin-1: a lead
# byte (Â..ô) followed by continuation bytes (U+0080..U+00BF or their cp1252 forms).
_CONT = "\x80-\xbf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
_MOJIBAKE_RE = re.compile(f"(?:[\xc2-\xf4][{_CONT}]{{1,3}})+")


def _as_cp1252_bytes(text: str) -> bytes | None:
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1252")
        except UnicodeEncodeError:
            if ord(ch) < 256:
                out.append(ord(ch))
            else:
                return None
    return bytes(out)


def _fix_run(match: re.Match) -> str:
    run = match.group(0)
    raw = _as_cp1252_bytes(run)
    if raw is None:
        return run
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return run


def fix_mojibake(text: str) -> str:
    """Repair UTF-8 that was decoded as Latin-1/cp1252 ("Ã¨" -> "è", "â€™" -> "’")."""
    if not text or not _MOJIBAKE_RE.search(text):
        return text
    return _MOJIBAKE_RE.sub(_fix_run, text)


def fix_surrogates(text: str) -> str:
    """Text read with ``errors='surrogateescape'``: redecode stray bytes as cp1252."""
    try:
        text.encode("utf-8")
        return fix_mojibake(text)
    except UnicodeEncodeError:
        raw = text.encode("utf-8", errors="surrogateescape")
        return decode_bytes(raw, "cp1252")[0]


# Every pattern here runs in time linear in the markup, whatever it holds: a
# tag cannot span a "<" (so a run of "<" without ">" is not rescanned from
# each "<"), and blocks and anchors are closed by one forward search per
# opening tag, given up for good once no closing tag follows.
_OPEN_BLOCK = re.compile(r"(?i)<(script|style|head|title)\b")
_CLOSE_BLOCK = {name: re.compile(rf"(?i)</{name}\s*>") for name in ("script", "style", "head", "title")}
_BREAKS = re.compile(r"(?i)<\s*(br|/p|/div|/tr|/h[1-6]|/li|/table|hr|p|div|tr|li)\b[^<>]*>")
_TAGS = re.compile(r"<[^<>]*>")
_OPEN_ANCHOR = re.compile(r"(?i)<a\b([^<>]*)>")
_CLOSE_ANCHOR = re.compile(r"(?i)</a\s*>")
_HREF = re.compile(r"""(?i)href\s*=\s*["']?([^"'\s>]+)""")
_SPACES = re.compile(r"[ \t\r\f\v\xa0]+")
_BLANKS = re.compile(r"\n\s*\n\s*\n+")


def _drop_blocks(markup: str) -> str:
    """Remove ``<script>``, ``<style>``, ``<head>`` and ``<title>`` elements."""
    out: list[str] = []
    pos = i = 0
    unclosed: set[str] = set()  # no closing tag after this point: stop looking
    while True:
        m = _OPEN_BLOCK.search(markup, i)
        if m is None:
            break
        name = m.group(1).lower()
        close = None if name in unclosed else _CLOSE_BLOCK[name].search(markup, m.end())
        if close is None:
            unclosed.add(name)
            i = m.end()
            continue
        out.append(markup[pos:m.start()])
        out.append(" ")
        pos = i = close.end()
    out.append(markup[pos:])
    return "".join(out)


def html_to_text(markup: str) -> str:
    """A fast, forgiving HTML to plain text (no DOM: e-mail HTML is rarely valid)."""
    text = _drop_blocks(markup)
    text = _BREAKS.sub("\n", text)
    text = _TAGS.sub(" ", text)
    text = html.unescape(text)
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANKS.sub("\n\n", text).strip()


def html_links(markup: str, limit: int = 400) -> list[tuple[str, str]]:
    """(visible text, href) of the anchors of an HTML document."""
    links = []
    i = 0
    while len(links) < limit:
        m = _OPEN_ANCHOR.search(markup, i)
        if m is None:
            break
        close = _CLOSE_ANCHOR.search(markup, m.end())
        if close is None:  # no anchor is closed after this one
            break
        href = _HREF.search(m.group(1))
        label = _SPACES.sub(" ", html.unescape(_TAGS.sub(" ", markup[m.end():close.start()]))).strip()
        links.append((label, href.group(1) if href else ""))
        i = close.end()
    return links


def fold(text: str) -> str:
    """Case- and accent-insensitive form for keyword matching."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
