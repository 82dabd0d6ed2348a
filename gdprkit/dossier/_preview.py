"""Readable previews of evidence files: images scaled for the page, e-mails
and text files as excerpts with their headers.

Evidence is hostile input: any decoding failure becomes a note in the
dossier ("could not be decoded as an image"), never an exception, and
everything returned is plain text that the renderer escapes.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass, field

IMAGE_TYPES = frozenset({
    "image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp", "image/tiff",
})
MAX_IMAGE_BYTES = 25 * 1024 * 1024  # larger files are attached, not shown
MAX_IMAGE_PIXELS = 40_000_000
PREVIEW_PIXELS = 1400  # longest side of an inline image
TEXT_READ_CAP = 512 * 1024  # bytes read for an excerpt
EXCERPT_CHARS = 3000
EXCERPT_LINES = 60
EMAIL_HEADERS = ("From", "To", "Cc", "Reply-To", "Date", "Subject", "Message-ID",
                 "List-Id", "List-Unsubscribe")


@dataclass
class Preview:
    """What the renderer shows for one evidence item."""

    kind: str  # image | email | text | none | corrupt | too_large
    image: object | None = None  # a PIL image in RGB mode
    headers: list[tuple[str, str]] = field(default_factory=list)
    text: str = ""
    truncated: bool = False


def clean_text(text: str) -> str:
    """Text safe to typeset: LF line ends, tabs as spaces, and what the letters
    replace replaced the same way (:func:`gdprkit.letters.markup.xml_safe`: control
    characters, lone surrogates, non-characters and the bidi embeddings, overrides
    and isolates, each a visible U+FFFD: a file name with U+202E cannot pose as another)."""
    from ..letters.markup import xml_safe

    return xml_safe(text.replace("\t", "    "))


def kind_of(name: str, media_type: str | None) -> str:
    mt = (media_type or "").lower()
    low = name.lower()
    if mt == "message/rfc822" or low.endswith(".eml"):
        return "email"
    if mt in IMAGE_TYPES:
        return "image"
    if mt.startswith("text/") or low.endswith((".txt", ".log", ".csv", ".md")):
        return "text"
    return "none"


class _Capped:
    """A write-only sink keeping the first ``cap`` bytes of what it is given."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.buf = io.BytesIO()
        self.total = 0

    def write(self, data: bytes) -> int:
        room = self.cap - self.buf.tell()
        if room > 0:
            self.buf.write(data[:room])
        self.total += len(data)
        return len(data)


def make_preview(evidence, read) -> Preview:
    """Preview of ``evidence``; ``read(evidence_id, sink)`` streams its bytes."""
    kind = kind_of(evidence.name, evidence.media_type)
    if kind == "none":
        return Preview("none")
    if kind == "image":
        if evidence.size > MAX_IMAGE_BYTES:
            return Preview("too_large")
        sink = _Capped(MAX_IMAGE_BYTES)
        read(evidence.id, sink)
        return _image(sink.buf.getvalue())
    sink = _Capped(TEXT_READ_CAP)
    read(evidence.id, sink)
    raw = sink.buf.getvalue()
    cut = sink.total > len(raw)
    if kind == "email":
        try:
            return _email(raw, cut)
        except Exception:  # a malformed message is still shown as text
            pass
    return _excerpt(Preview("text"), _decode(raw, cut), cut)


def _image(raw: bytes) -> Preview:
    import warnings

    from PIL import Image, ImageOps

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(raw))
            if img.width * img.height > MAX_IMAGE_PIXELS:
                return Preview("too_large")
            img.draft("RGB", (PREVIEW_PIXELS, PREVIEW_PIXELS))
            img.load()
            img = ImageOps.exif_transpose(img)
            img.thumbnail((PREVIEW_PIXELS, PREVIEW_PIXELS))
            if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
                rgba = img.convert("RGBA")
                img = Image.new("RGB", rgba.size, "white")
                img.paste(rgba, mask=rgba.getchannel("A"))
            else:
                img = img.convert("RGB")
    except Exception:  # every decoder failure means the same thing here
        return Preview("corrupt")
    if img.width < 1 or img.height < 1:
        return Preview("corrupt")
    return Preview("image", image=img)


def _decode(raw: bytes, cut: bool) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        if cut and err.start >= len(raw) - 3:  # a character split by the read cap
            try:
                return raw[: err.start].decode("utf-8")
            except UnicodeDecodeError:
                pass
    return raw.decode("cp1252", errors="replace")


def _excerpt(preview: Preview, text: str, cut: bool) -> Preview:
    text = clean_text(text).strip("\n")
    lines = text.split("\n")
    truncated = cut or len(text) > EXCERPT_CHARS or len(lines) > EXCERPT_LINES
    text = "\n".join(lines[:EXCERPT_LINES])[:EXCERPT_CHARS]
    preview.text = text
    preview.truncated = truncated
    return preview


HEADER_CAP = 4096  # characters of a header value kept for the excerpt


@functools.lru_cache(maxsize=1)
def _capped_policy():
    """The default policy, keeping only the head of each header value: decoding a
    header of 100,000 encoded words is quadratic in the stdlib (30 s for one)."""
    import email.policy

    from ..importers.message import cap_header

    class Capped(email.policy.EmailPolicy):
        def header_source_parse(self, sourcelines):
            name, value = super().header_source_parse(sourcelines)
            return name, cap_header(value, HEADER_CAP)

    return Capped()


def _email(raw: bytes, cut: bool) -> Preview:
    import email
    import email.policy

    msg = email.message_from_bytes(raw, policy=_capped_policy())
    headers = []
    for name in EMAIL_HEADERS:
        for value in msg.get_all(name) or []:
            try:
                text = str(value)
            except Exception:
                text = getattr(value, "_raw", "") or ""
            headers.append((name, clean_text(text).replace("\n", " ")))
    names = []
    for part in msg.iter_attachments():
        try:
            names.append(part.get_filename() or part.get_content_type())
        except Exception:
            names.append("?")
    if names:
        headers.append(("Attachments", clean_text(", ".join(names)).replace("\n", " ")))
    body = ""
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is not None:
        try:
            body = part.get_content()
        except Exception:
            payload = part.get_payload(decode=True) or b""
            body = payload.decode("utf-8", errors="replace")
        if not isinstance(body, str):
            body = ""
        if part.get_content_subtype() == "html":
            body = html_to_text(body)
    return _excerpt(Preview("email", headers=headers), body, cut)


def html_to_text(html: str) -> str:
    """Visible text of an HTML body, with block elements on their own lines.

    The importers' converter: linear in the input (the stdlib HTMLParser took
    minutes on a body of 170,000 unclosed ``<br`` tags).
    """
    from ..importers._text import html_to_text as convert

    return convert(html)


def wrap_lines(text: str, width: int) -> str:
    """Hard-wrap every line to ``width`` characters (for monospace blocks)."""
    out = []
    for line in text.split("\n"):
        while len(line) > width:
            cut = line.rfind(" ", width // 2, width)
            cut = cut + 1 if cut > 0 else width
            out.append(line[:cut].rstrip())
            line = line[cut:]
        out.append(line)
    return "\n".join(out)
