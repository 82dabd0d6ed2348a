"""PDF: A4, window-envelope layout, DejaVu fonts, reproducible bytes.

Page 1 follows DIN 5008 form B, whose address field fits the window of C5/6
and DL envelopes (DIN 680): the field starts 20 mm from the left and 45 mm
from the top, 85 x 45 mm, with the sender's return line in its upper
17.7 mm zone and the recipient in the lower 27.3 mm.  Fold marks at 105 and
210 mm, punch mark at 148.5 mm.  Text is set 25 mm from the left edge.

The DejaVu fonts shipped in ``gdprkit/letters/fonts`` cover the Latin,
Greek and Cyrillic scripts of every EU language.  A character the font of
its run has no glyph for (emoji, Chinese, Japanese, Korean, Devanagari ...)
is printed as its code point, ``[U+4E2D]``, rather than dropped or drawn
as an empty box: the PDF never loses text silently (the other formats keep
the characters themselves).  Each font's ToUnicode map is written with
UTF-16BE code units (:func:`tounicode_cmap`), so the text extracted from the
PDF is the text of the letter, astral characters included.  With
reportlab's ``invariant`` mode and the creation date fixed to the letter's
date, the same letter gives the same bytes.
"""

from __future__ import annotations

import datetime as _dt
import functools
from io import BytesIO
from pathlib import Path

from ..markup import Block, Document, Run, split_lines

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
SANS, BOLD, ITALIC, MONO = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSansMono"


def tounicode_cmap(fontname: str, subset: list[int]) -> str:
    """The ToUnicode CMap of a font subset: code ``i`` stands for ``subset[i]``.

    reportlab's own writer prints each code point as ``%04X``, so a character
    beyond U+FFFF comes out as five or six hex digits (``<41> <1F600>``), which
    is no UTF-16BE string: readers fail on it or drop the character.  Here
    every destination is the character's UTF-16BE code units, a surrogate
    pair beyond the BMP (``<D83DDE00>``); a value that is no character maps
    to U+FFFD.
    """
    def utf16(code: int) -> str:
        if not 0 <= code <= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            code = 0xFFFD
        return chr(code).encode("utf-16-be").hex().upper()

    return "\n".join([
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *[f"<{i:02X}> <{utf16(v)}>" for i, v in enumerate(subset)],
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ])


class _UTF16CMaps:
    """Stands in for a TrueType font in one document's ``delayedFonts``: lets
    the font add its objects, then rewrites its subsets' ToUnicode maps with
    :func:`tounicode_cmap`.

    Done per document rather than by a font subclass: reportlab keeps one
    font object per typeface (registering ``DejaVuSans`` after another name
    for the same face returns the first object), so a subclass would not
    always be the one drawing; and nothing global in reportlab changes.
    """

    def __init__(self, font) -> None:
        self.font = font

    def addObjects(self, doc) -> None:
        from reportlab.pdfbase.ttfonts import SUBSETN

        font = self.font
        state = font.state.get(doc)
        subsets = [list(s) for s in state.subsets] if state is not None else []
        font.addObjects(doc)  # (reportlab drops the state here)
        for n, subset in enumerate(subsets):
            base = b"".join((SUBSETN(n), b"+", font.face.name,
                             font.face.subfontNameX)).decode("pdfdoc")
            cmap = doc.idToObject.get("toUnicodeCMap:" + base)
            if cmap is not None:
                cmap.content = tounicode_cmap(base, subset)


def _utf16_cmaps(doc) -> None:
    """Have every TrueType font of ``doc`` write UTF-16BE ToUnicode maps."""
    from reportlab.pdfbase.ttfonts import TTFont

    doc.delayedFonts = [_UTF16CMaps(f) if isinstance(f, TTFont) else f
                        for f in doc.delayedFonts]


@functools.lru_cache(maxsize=1)
def _register_fonts() -> None:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name in (SANS, BOLD, ITALIC, MONO):
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / f"{name}.ttf")))
    # no bold-oblique face is shipped: bold stands in for it
    addMapping(SANS, 0, 0, SANS)
    addMapping(SANS, 1, 0, BOLD)
    addMapping(SANS, 0, 1, ITALIC)
    addMapping(SANS, 1, 1, BOLD)
    addMapping(MONO, 0, 0, MONO)
    addMapping(MONO, 1, 0, MONO)
    addMapping(MONO, 0, 1, MONO)
    addMapping(MONO, 1, 1, MONO)


@functools.lru_cache(maxsize=8)
def _glyphs(font: str) -> frozenset[int]:
    """The code points ``font`` has a glyph for."""
    from reportlab.pdfbase import pdfmetrics

    _register_fonts()
    return frozenset(pdfmetrics.getFont(font).face.charToGlyph)


def shown(text: str, font: str = SANS) -> str:
    """``text`` with each run of characters ``font`` cannot draw written as code
    points: ``"ok 👩 中文"`` -> ``"ok [U+1F469] [U+4E2D U+6587]"``."""
    if text.isascii():
        return text
    glyphs = _glyphs(font)
    if all(ord(c) in glyphs for c in text):
        return text
    out: list[str] = []
    missing: list[str] = []
    for c in text:
        if ord(c) in glyphs:
            if missing:
                out.append("[" + " ".join(missing) + "]")
                missing = []
            out.append(c)
        else:
            missing.append(f"U+{ord(c):04X}")
    if missing:
        out.append("[" + " ".join(missing) + "]")
    return "".join(out)


def _esc(text: str, font: str = SANS) -> str:
    text = shown(text, font)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _run_font(run: Run, base: str) -> str:
    """The face reportlab draws ``run`` with inside a paragraph set in ``base``."""
    if run.mono:
        return MONO
    if run.bold or base == BOLD:
        return BOLD
    if run.italic or base == ITALIC:
        return ITALIC
    return SANS


def _inline(runs: list[Run], base: str = SANS) -> str:
    out = []
    for run in runs:
        piece = _esc(run.text, _run_font(run, base))
        if run.mono:
            piece = f'<font face="{MONO}">{piece}</font>'
        if run.italic:
            piece = f"<i>{piece}</i>"
        if run.bold:
            piece = f"<b>{piece}</b>"
        out.append(piece)
    return "".join(out)


def _markup(runs: list[Run], base: str = SANS) -> str:
    return "<br/>".join(_inline(line, base) for line in split_lines(runs))


def _styles():
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    base = ParagraphStyle("body", fontName=SANS, fontSize=10.5, leading=14.5, spaceAfter=7)
    return {
        "p": base,
        "sender": ParagraphStyle("sender", base, fontSize=9, leading=12, alignment=TA_RIGHT,
                                 spaceAfter=0),
        "return": ParagraphStyle("return", base, fontSize=7, leading=8.5, spaceAfter=0),
        "recipient": ParagraphStyle("recipient", base, fontSize=10.5, leading=13, spaceAfter=0),
        "date": ParagraphStyle("date", base, alignment=TA_RIGHT, spaceAfter=14),
        "subject": ParagraphStyle("subject", base, fontName=BOLD, spaceAfter=14),
        "h": ParagraphStyle("h", base, fontName=BOLD, spaceBefore=6, spaceAfter=4,
                            keepWithNext=1),
        "quote": ParagraphStyle("quote", base, fontName=ITALIC, leftIndent=16),
        "li": ParagraphStyle("li", base, leftIndent=18, bulletIndent=0, bulletFontName=SANS,
                             spaceAfter=4),
        "signature": ParagraphStyle("signature", base, spaceBefore=26),
        "small": ParagraphStyle("small", base, fontSize=7.5, leading=10, textColor="#444444",
                                spaceBefore=8),
    }


def _body_flowables(doc: Document, styles) -> list:
    from reportlab.platypus import Paragraph, Spacer

    out: list = []
    for block in doc.blocks:
        if block.kind in ("sender", "recipient"):
            continue  # placed in their own frames
        if block.kind in ("ol", "ul"):
            for n, item in enumerate(block.items, start=1):
                bullet = f"{n}." if block.kind == "ol" else "\u2022"
                out.append(Paragraph(_markup(item), styles["li"], bulletText=bullet))
            out.append(Spacer(1, 4))
        elif block.kind == "subject":
            label = _esc(block.label, BOLD) + " " if block.label else ""
            out.append(Paragraph(label + _markup(block.runs, BOLD), styles["subject"]))
        else:
            style = styles.get(block.kind, styles["p"])
            out.append(Paragraph(_markup(block.runs, style.fontName), style))
    return out


def _return_line(sender: Block | None) -> str:
    if sender is None:
        return ""
    lines = [" ".join(r.text for r in line).strip() for line in sender.lines()]
    # the e-mail address does not belong on a postal return line
    lines = [x for x in lines if x and "@" not in x]
    return _esc(" \u00b7 ".join(lines))


def write_pdf(
    doc: Document, *, lang: str, title: str, author: str, created: _dt.date
) -> bytes:
    """The letter as PDF bytes (identical for identical input)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import (
        BaseDocTemplate,
        Frame,
        FrameBreak,
        KeepInFrame,
        NextPageTemplate,
        PageTemplate,
        Paragraph,
    )

    _register_fonts()
    styles = _styles()
    width, height = A4
    left, right, bottom = 25 * mm, 20 * mm, 22 * mm
    body_w = width - left - right
    page_label = doc.meta.get("page-label", "{page} / {pages}")
    stamp = created.strftime("D:%Y%m%d000000+00'00'")

    def frame(fid, x, top, w, h):
        return Frame(x, height - top - h, w, h, id=fid, leftPadding=0, rightPadding=0,
                     topPadding=0, bottomPadding=0)

    first_frames = [
        frame("sender", 100 * mm, 12 * mm, width - 100 * mm - right, 30 * mm),
        frame("return", left, 57.7 * mm, 80 * mm, 5 * mm),
        frame("recipient", left, 62.7 * mm, 80 * mm, 27.3 * mm),
        frame("body", left, 97 * mm, body_w, height - 97 * mm - bottom),
    ]
    later_frames = [frame("body", left, 20 * mm, body_w, height - 20 * mm - bottom)]

    def marks(canvas, _doc):
        canvas.saveState()
        canvas.setLineWidth(0.3)
        canvas.setStrokeGray(0.5)
        for top, length in ((105 * mm, 5 * mm), (148.5 * mm, 8 * mm), (210 * mm, 5 * mm)):
            canvas.line(3 * mm, height - top, 3 * mm + length, height - top)
        canvas.restoreState()

    class _Canvas(Canvas):
        """Defers each page so the footer can say "page n of N"."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []
            self.setDateFormatter(lambda *_: stamp)

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                label = page_label.replace("{page}", str(number)).replace("{pages}", str(total))
                self.setFont(SANS, 8)
                self.setFillGray(0.35)
                self.drawCentredString(width / 2, 12 * mm, label)
                super().showPage()
            _utf16_cmaps(self._doc)
            super().save()

    out = BytesIO()
    template = BaseDocTemplate(
        out,
        pagesize=A4,
        title=title,
        author=author,
        subject=title,
        creator="gdprkit",
        producer="gdprkit (reportlab)",
        invariant=1,
        lang=lang,
        pageTemplates=[
            PageTemplate("first", frames=first_frames, onPage=marks),
            PageTemplate("later", frames=later_frames),
        ],
    )

    def boxed(paragraphs, w, h):
        return KeepInFrame(w, h, paragraphs, mode="shrink")

    sender = doc.first("sender")
    recipient = doc.first("recipient")
    story: list = [
        boxed([Paragraph(_markup(sender.runs), styles["sender"])] if sender else [],
              first_frames[0]._width, first_frames[0]._height),
        FrameBreak(),
        boxed([Paragraph(_return_line(sender), styles["return"])],
              first_frames[1]._width, first_frames[1]._height),
        FrameBreak(),
        boxed([Paragraph(_markup(recipient.runs), styles["recipient"])] if recipient else [],
              first_frames[2]._width, first_frames[2]._height),
        FrameBreak(),
        NextPageTemplate("later"),
        *_body_flowables(doc, styles),
    ]
    template.build(story, canvasmaker=_Canvas)
    return out.getvalue()
