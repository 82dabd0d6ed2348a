"""PDF: A4, window-envelope layout, DejaVu fonts, reproducible bytes.

Page 1 follows DIN 5008 form B, whose address field fits the window of C5/6
and DL envelopes (DIN 680): the field starts 20 mm from the left and 45 mm
from the top, 85 x 45 mm, with the sender's return line in its upper
17.7 mm zone and the recipient in the lower 27.3 mm.  Fold marks at 105 and
210 mm, punch mark at 148.5 mm.  Text is set 25 mm from the left edge.

The DejaVu fonts shipped in ``gdprkit/letters/fonts`` cover the Latin,
Greek and Cyrillic scripts of every EU language.  With reportlab's
``invariant`` mode and the creation date fixed to the letter's date, the
same letter gives the same bytes.
"""

from __future__ import annotations

import datetime as _dt
import functools
from io import BytesIO
from pathlib import Path

from ..markup import Block, Document, Run, split_lines

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
SANS, BOLD, ITALIC, MONO = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSansMono"


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


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _inline(runs: list[Run]) -> str:
    out = []
    for run in runs:
        piece = _esc(run.text)
        if run.mono:
            piece = f'<font face="{MONO}">{piece}</font>'
        if run.italic:
            piece = f"<i>{piece}</i>"
        if run.bold:
            piece = f"<b>{piece}</b>"
        out.append(piece)
    return "".join(out)


def _markup(runs: list[Run]) -> str:
    return "<br/>".join(_inline(line) for line in split_lines(runs))


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
            label = _esc(block.label) + " " if block.label else ""
            out.append(Paragraph(label + _markup(block.runs), styles["subject"]))
        else:
            out.append(Paragraph(_markup(block.runs), styles.get(block.kind, styles["p"])))
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
