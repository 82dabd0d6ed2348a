"""The dossier's pages, laid out with reportlab Platypus.

Every value that comes from the ledger or from an evidence file is user
data: it reaches reportlab either through :func:`esc` (Paragraph markup) or
as plain text in a Preformatted block, never as markup.  Output is
reproducible: ``invariant=1``, no clock, fonts embedded (DejaVu).

This module imports reportlab at the top: it is itself imported only when a
dossier is built.
"""

from __future__ import annotations

import datetime as _dt
import io
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.lib.fonts import addMapping
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Preformatted,
    Spacer,
    Table,
    TableStyle,
)

from ._collect import DossierData
from ._manifest import CHECK_PROGRAM
from ._preview import clean_text, make_preview, wrap_lines
from .labels import labels

FONT = "GdprkitDossierSans"
FONT_BOLD = "GdprkitDossierSans-Bold"
FONT_ITALIC = "GdprkitDossierSans-Oblique"
FONT_MONO = "GdprkitDossierMono"
_FONT_FILES = {
    FONT: "DejaVuSans.ttf",
    FONT_BOLD: "DejaVuSans-Bold.ttf",
    FONT_ITALIC: "DejaVuSans-Oblique.ttf",
    FONT_MONO: "DejaVuSansMono.ttf",
}
FONT_DIR = Path(__file__).resolve().parent.parent / "letters" / "fonts"

MONO_SIZE = 6.5
PROOF_SIZE = 6.0
CELL_LIMIT = 400  # characters of user text in one table cell
NOTE_CHUNK = 1500  # characters per paragraph of a long account


def register_fonts() -> None:
    """Register the DejaVu fonts under names of our own (idempotent)."""

    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, filename in _FONT_FILES.items():
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
    for bold, italic, face in ((0, 0, FONT), (1, 0, FONT_BOLD), (0, 1, FONT_ITALIC),
                               (1, 1, FONT_BOLD)):
        addMapping(FONT, bold, italic, face)
    for bold, italic in ((0, 0), (1, 0), (0, 1), (1, 1)):
        addMapping(FONT_MONO, bold, italic, FONT_MONO)


def esc(text: object, font: str = FONT) -> str:
    """User text as inert Paragraph markup (line breaks kept).  Characters ``font``
    has no glyph for (CJK, most emoji) are written as code points, ``[U+4E2D]``,
    rather than drawn as empty boxes."""
    from ..letters.writers.pdf import shown

    return escape(shown(clean_text(str(text)), font)).replace("\n", "<br/>")


def short(text: str | None, limit: int = CELL_LIMIT) -> str:
    text = text or ""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… [+{len(text) - limit}]"


def iso(ts: _dt.datetime | _dt.date | None) -> str:
    if ts is None:
        return ""
    if isinstance(ts, _dt.datetime):
        return ts.astimezone(_dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return ts.isoformat()


def local_iso(ts: _dt.datetime | None) -> str:
    """An incident's time in the UTC offset it was given in (its date is the day the
    user meant: 00:30 in Rome on 2 March is 2 March, not 1 March in UTC)."""
    if ts is None or ts.tzinfo is None or ts.utcoffset() == _dt.timedelta(0):
        return iso(ts)
    return ts.replace(microsecond=0).isoformat()


class _Styles:
    def __init__(self) -> None:

        base = ParagraphStyle("base", fontName=FONT, fontSize=9, leading=11.5, spaceAfter=3)
        self.body = base
        self.body_joined = ParagraphStyle("joined", base, spaceAfter=0)
        self.title = ParagraphStyle("title", base, fontName=FONT_BOLD, fontSize=20, leading=24,
                                    spaceAfter=6)
        self.subtitle = ParagraphStyle("subtitle", base, fontSize=11, leading=14, spaceAfter=12,
                                       textColor=HexColor("#444444"))
        self.h2 = ParagraphStyle("h2", base, fontName=FONT_BOLD, fontSize=14, leading=17,
                                 spaceBefore=4, spaceAfter=8)
        self.h3 = ParagraphStyle("h3", base, fontName=FONT_BOLD, fontSize=10.5, leading=13,
                                 spaceBefore=8, spaceAfter=4)
        self.h4 = ParagraphStyle("h4", base, fontName=FONT_BOLD, fontSize=9, leading=11,
                                 spaceBefore=6, spaceAfter=3)
        self.cell = ParagraphStyle("cell", base, fontSize=7.5, leading=9, spaceAfter=0)
        self.cell_mono = ParagraphStyle("cellmono", self.cell, fontName=FONT_MONO, fontSize=6.5,
                                        leading=8)
        self.small = ParagraphStyle("small", base, fontSize=7.5, leading=9.5,
                                    textColor=HexColor("#444444"))
        self.mono = ParagraphStyle("mono", base, fontName=FONT_MONO, fontSize=MONO_SIZE,
                                   leading=MONO_SIZE + 1.5, spaceAfter=4)
        self.proof = ParagraphStyle("proof", self.mono, fontSize=PROOF_SIZE,
                                    leading=PROOF_SIZE + 1.2, spaceAfter=3)


def _mono_width(points: float, size: float) -> int:
    return max(20, int(points / (0.602 * size)))  # DejaVu Sans Mono advance is 0.602 em


def render(data: DossierData, read) -> tuple[bytes, int]:
    """Lay out the dossier; returns the PDF bytes and the page count.

    ``read(evidence_id, sink)`` streams an evidence item's bytes into
    ``sink.write``; it is called for previewable items only, one at a time.
    """

    register_fonts()
    L = labels(data.lang)
    st = _Styles()

    class Doc(BaseDocTemplate):
        def filterFlowables(self, flowables):
            # Expand deferred sections just before they are laid out, so only
            # one incident's flowables (and evidence previews) live at a time.
            while flowables and isinstance(flowables[0], _Deferred):
                flowables[0:1] = flowables[0].make()

        def afterFlowable(self, flowable):
            mark = getattr(flowable, "_gdprkit_outline", None)
            if mark:
                key, title = mark
                self.canv.bookmarkPage(key)
                self.canv.addOutlineEntry(title, key, level=0)

    def footer(canv, doc):
        canv.saveState()
        canv.setFont(FONT, 7)
        canv.drawString(doc.leftMargin, 10 * mm, L["footer"].format(ledger=data.ledger_id))
        canv.drawRightString(doc.leftMargin + doc.width, 10 * mm,
                             L["page"].format(page=canv.getPageNumber()))
        canv.restoreState()

    buf = io.BytesIO()
    title = L["title"]
    doc = Doc(buf, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
              bottomMargin=18 * mm, title=title, author="gdprkit", subject=data.origin,
              creator="gdprkit", invariant=1, initialFontName=FONT, initialFontSize=9,
              initialLeading=11.5, lang=data.lang)
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=footer)])
    builder = _Builder(data, L, st, doc.width, read)
    doc.build(builder.story())
    return buf.getvalue(), doc.page


class _Builder:
    def __init__(self, data: DossierData, L: dict, st: _Styles, width: float, read) -> None:
        self.data, self.L, self.st, self.width, self.read = data, L, st, width, read
        self._states: dict | None = None

    # -- helpers -------------------------------------------------------------
    def p(self, text: str, style=None):
        style = style or self.st.body
        return Paragraph(esc(text, style.fontName), style)

    def pm(self, markup: str, style=None):
        """A Paragraph from markup the caller built with :func:`esc`."""

        return Paragraph(markup, style or self.st.body)

    def pre(self, text: str, style=None):

        style = style or self.st.mono
        return Preformatted(wrap_lines(clean_text(text), _mono_width(self.width, style.fontSize)),
                            style)

    def note_block(self, note: str):
        """A signed note, in a size that keeps its signature line unbroken
        (a wrapped line would not verify when copied)."""
        longest = max(len(line) for line in note.split("\n"))
        size = max(4.0, min(MONO_SIZE, self.width / (0.602 * max(longest, 1)) - 0.05))
        style = ParagraphStyle("note", self.st.mono, fontSize=size, leading=size + 1.5)
        return self.pre(note, style)

    def heading(self, text: str, key: str, outline: str):
        para = self.p(text, self.st.h2)
        para._gdprkit_outline = (key, outline)
        return para

    def table(self, rows, widths, *, header=True, extra=()):

        if header:
            rows = [[self.pm(f"<b>{esc(h)}</b>", self.st.cell) for h in rows[0]], *rows[1:]]
        t = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
        style = [
            ("FONT", (0, 0), (-1, -1), FONT, 7.5, 9),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("GRID", (0, 0), (-1, -1), 0.25, HexColor("#999999")),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]
        if header:
            style += [("FONT", (0, 0), (-1, 0), FONT_BOLD, 7.5, 9),
                      ("BACKGROUND", (0, 0), (-1, 0), HexColor("#e8e8e8"))]
        t.setStyle(TableStyle(style + list(extra)))
        return t

    def kv_table(self, rows):

        cells = [[self.pm(f"<b>{esc(k)}</b>", self.st.cell), v] for k, v in rows]
        return self.table(cells, [0.27 * self.width, 0.73 * self.width], header=False,
                          extra=[("BACKGROUND", (0, 0), (0, -1), HexColor("#f2f2f2"))])

    def contact_line(self, cid: str) -> str:
        c = self.data.contacts.get(cid)
        if c is None:
            return cid
        if c.shredded:
            return f"{cid} [{self.L['shredded']}]"
        extra = [x for x in (c.email, c.org, c.profile_url) if x]
        return f"{cid} {short(c.name, 120)}" + (f" ({short(', '.join(extra), 200)})" if extra else "")

    # -- story -----------------------------------------------------------------
    def story(self) -> list:

        out = self.cover()
        out.append(PageBreak())
        out += self.timeline()
        for inc in self.data.incidents:
            out.append(PageBreak())
            out.append(_Deferred(lambda inc=inc: self.incident(inc)))
        out.append(PageBreak())
        out.append(_Deferred(self.appendix_proofs))
        out.append(PageBreak())
        out += self.appendix_verify()
        return out

    def cover(self) -> list:
        d, L, st = self.data, self.L, self.st
        prof = d.profile
        requester = []
        if prof is not None:
            requester = [x for x in (prof.name, prof.email, prof.address, prof.country) if x]
        scope = []
        if d.scope.contact:
            scope.append(L["scope_contact"].format(value=d.scope.contact))
        if d.scope.incidents:
            scope.append(L["scope_incidents"].format(value=", ".join(d.scope.incidents)))
        if d.scope.since:
            scope.append(L["scope_since"].format(value=d.scope.since.isoformat()))
        if d.scope.until:
            scope.append(L["scope_until"].format(value=d.scope.until.isoformat()))
        evidence = d.evidence
        counts = L["counts"].format(incidents=len(d.incidents), evidence=len(evidence),
                                    attachments=len(d.attachment_names))
        cp = d.checkpoint
        rows = [
            (L["requester"], self.p("\n".join(short(x) for x in requester) or "-", st.cell)),
            (L["contacts"], self.p("\n".join(self.contact_line(c) for c in list(d.contacts)[:50])
                                   + ("\n…" if len(d.contacts) > 50 else ""), st.cell)),
            (L["scope"], self.p("; ".join(scope or [L["scope_all"]]) + "\n" + counts, st.cell)),
            (L["generated_at"], self.p(f"{iso(d.generated_at)} ({L['generated_note']})", st.cell)),
            (L["ledger_id"], self.p(d.ledger_id, st.cell_mono)),
            (L["origin"], self.p(d.origin, st.cell_mono)),
            (L["checkpoint"], self.p(f"{L['tree_size']} {cp.tree_size}\n{L['root_hash']} "
                                     f"{cp.root_hex}", st.cell_mono)),
            (L["key_fingerprint"], self.p(d.key_fingerprint, st.cell_mono)),
            (L["verifier_key"], self.p(d.verifier_key, st.cell_mono)),
        ]
        return [
            self.heading(L["title"], "cover", L["title"]),
            self.p(L["subtitle"], st.subtitle),
            self.p(L["cover_intro"]),
            self.kv_table(rows),
            self.p(L["signed_note"], st.h3),
            self.note_block(cp.note),
        ]

    def timeline(self) -> list:
        d, L, st = self.data, self.L, self.st
        events = []  # (sort key, seq, date text, item, what, contact)
        for inc in d.incidents:
            if inc.shredded:
                events.append((iso(inc.recorded_at), inc.seq or 0, iso(inc.recorded_at), inc.id,
                               L["shredded"], ""))
                continue
            events.append((iso(inc.when), inc.seq or 0, local_iso(inc.when), inc.id,
                           L["kinds"].get(inc.kind, inc.kind), self.contact_line(inc.contact)))
        for r in d.requests:
            kind = L["letters"].get(r.kind, r.kind)
            events.append((iso(r.sent), r.seq or 0, iso(r.sent), r.id,
                           L["letter_sent_to"].format(id=r.id, kind=kind,
                                                      recipient=short(r.recipient_name, 120)),
                           self.contact_line(r.contact) if r.contact else ""))
            for ev in r.events:
                what = L["statuses"].get(ev.type, ev.type)
                if ev.note:
                    what += f": {short(ev.note, 200)}"
                events.append((iso(ev.on), ev.seq or 0, iso(ev.on), r.id,
                               L["request_event"].format(id=r.id, event=what), ""))
        events.sort(key=lambda e: (e[0], e[1]))
        head = [L["date"], L["item"], L["what"], L["contact"]]
        w = self.width
        widths = [0.2 * w, 0.08 * w, 0.4 * w, 0.32 * w]
        out = [self.heading(L["timeline"], "timeline", L["timeline"])]
        # Tables of bounded length: splitting one huge table is quadratic.
        for start in range(0, len(events), 40):
            rows = [head] + [[e[2], e[3], self.p(e[4], st.cell), self.p(e[5], st.cell)]
                             for e in events[start:start + 40]]
            out.append(self.table(rows, widths))
        return out

    def incident(self, inc) -> list:
        d, L, st = self.data, self.L, self.st
        heading = f"{L['incident']} {inc.id}"
        if inc.shredded:
            return [self.heading(heading, inc.id, heading),
                    self.p(L["shredded_incident"].format(reason=short(inc.shred_reason, 2000))),
                    self.p(f"{L['recorded_at']}: {iso(inc.recorded_at)}", st.small)]
        kind = L["kinds"].get(inc.kind, inc.kind)
        heading += f" · {kind}"
        leaves = ", ".join(str(p.leaf_index) for p in d.proofs.get(inc.id, []))
        facts = [
            (L["when"], self.p(local_iso(inc.when), st.cell)),
            (L["kind"], self.p(f"{kind} ({inc.kind})", st.cell)),
            (L["contact"], self.p(self.contact_line(inc.contact), st.cell)),
            (L["platform"], self.p(short(inc.platform) or "-", st.cell)),
            (L["action_taken"], self.p(L["actions"].get(inc.action, inc.action), st.cell)),
            (L["recorded_at"], self.p(f"{iso(inc.recorded_at)} ({L['leaf_index']} {leaves})",
                                      st.cell)),
        ]
        out = [self.heading(heading, inc.id, heading), self.p(L["facts"], st.h3),
               self.kv_table(facts)]
        if inc.note:
            out.append(self.p(L["note"], st.h3))
            out += self.long_text(inc.note)
        out.append(self.p(L["letters_sent"], st.h3))
        reqs = d.requests_for(inc.id)
        if reqs:
            rows = [[L["letter"], L["kind"], L["recipient"], L["sent"], L["due"], L["status"]]]
            for r in reqs:
                rows.append([r.id, self.p(L["letters"].get(r.kind, r.kind), st.cell),
                             self.p(short(r.recipient_name, 200), st.cell), iso(r.sent),
                             iso(self.state(r).due) or "-", self.p(self.status(r), st.cell)])
            w = self.width
            out.append(self.table(rows, [0.07 * w, 0.22 * w, 0.3 * w, 0.12 * w, 0.12 * w,
                                         0.17 * w]))
        else:
            out.append(self.p(L["no_letters"], st.small))
        out.append(self.p(L["evidence"], st.h3))
        if not inc.evidence:
            out.append(self.p(L["no_evidence"], st.small))
            return out
        out.append(self.evidence_table(inc.evidence))
        for ev in inc.evidence:
            if not ev.shredded:
                out += self.preview(ev)
        return out

    def state(self, req):
        """The request's state on the dossier's date (never the wall clock), derived
        from its events as ``gdprkit requests`` does: a reminder whose original was
        answered or complained about is no longer overdue."""
        if self._states is None:
            from ..legal.lifecycle import derive_all

            d = self.data
            country = d.profile.country if d.profile else None
            self._states = {r.id: state for r, state in derive_all(
                d.requests, d.generated_at.date(), fallback_country=country)}
        return self._states[req.id]

    def status(self, req) -> str:
        state = self.state(req)
        status = "overdue" if state.overdue else state.status
        if status == "open":
            status = "pending"
        return self.L["statuses"].get(status, status)

    def long_text(self, text: str) -> list:
        # Paragraphs of bounded size: reportlab re-wraps the rest of a
        # paragraph at every page split.
        out = []
        for block in clean_text(text).split("\n\n"):
            pieces = range(0, max(len(block), 1), NOTE_CHUNK)
            for i in pieces:
                last = i + NOTE_CHUNK >= len(block)
                out.append(self.p(block[i:i + NOTE_CHUNK],
                                  self.st.body if last else self.st.body_joined))
        return out

    def evidence_table(self, items) -> object:
        L, st = self.L, self.st
        w = self.width
        rows = [[L["id"], L["name"], L["size"], L["acquired"], L["source"]]]
        spans = []
        for ev in items:
            r = len(rows)
            if ev.shredded:
                rows.append([ev.id, L["shredded"], "", "", ""])
                rows.append([self.p(L["shredded_reason"].format(reason=short(ev.shred_reason, 1000)),
                                    st.cell), "", "", "", ""])
            else:
                method = L["methods"].get(ev.method, ev.method)
                acquired = f"{iso(ev.acquired_at)}\n{short(ev.acquired_by, 200)}\n{method}"
                rows.append([ev.id, self.p(short(ev.name, 300), st.cell), f"{ev.size} B",
                             self.p(acquired, st.cell), self.p(short(ev.source) or "-", st.cell)])
                # A row of its own, monospace and unbroken, so the hash reads
                # (and extracts) as one string.
                rows.append([self.pm(f"{L['sha256']} <font name='{FONT_MONO}'>{ev.sha256}</font>",
                                     st.cell), "", "", "", ""])
            spans.append(("SPAN", (0, r + 1), (-1, r + 1)))
        return self.table(rows, [0.07 * w, 0.33 * w, 0.1 * w, 0.28 * w, 0.22 * w], extra=spans)

    def preview(self, ev) -> list:

        L, st = self.L, self.st
        caption = self.p(f"{ev.id} · {short(ev.name, 200)}", st.h4)
        attached = self.p(L["attached_as"].format(name=self.data.attachment_names[ev.id]),
                          st.small)
        pv = make_preview(ev, self.read)
        if pv.kind == "image":
            img = pv.image
            scale = min(self.width / img.width, 120 * 2.8346 / img.height, 1.0)
            flow = Image(_encode_image(img), width=img.width * scale, height=img.height * scale)
            flow.hAlign = "LEFT"
            return [KeepTogether([caption, flow, Spacer(1, 2), attached])]
        if pv.kind in ("email", "text"):
            out = [caption]
            if pv.headers:
                out.append(self.kv_table([(k, self.p(short(v, 1000), st.cell))
                                          for k, v in pv.headers]))
                out.append(Spacer(1, 3))
            if pv.text:
                out.append(self.pre(pv.text))
            if pv.truncated:
                out.append(self.p(L["excerpt_note"].format(shown=len(pv.text), size=ev.size),
                                  st.small))
            out.append(attached)
            return out
        note = {"corrupt": L["image_corrupt"], "too_large": L["too_large"]}.get(
            pv.kind, L["no_preview"])
        return [KeepTogether([caption, self.p(note, st.small), attached])]

    def appendix_proofs(self) -> list:
        d, L, st = self.data, self.L, self.st
        cp = d.checkpoint
        out = [self.heading(L["appendix_proofs"], "appendix-a", L["appendix_proofs"]),
               self.p(L["proofs_intro"].format(size=cp.tree_size, root=cp.root_hex))]
        proofs = sorted((p for ps in d.proofs.values() for p in ps),
                        key=lambda p: (p.leaf_index, p.id))

        for pr in proofs:
            path = [h.hex() for h in pr.inclusion_proof]
            lines = [f"{pr.id}  {pr.kind}  {L['leaf_index']} {pr.leaf_index}",
                     f"  {L['leaf_hash']}  {pr.leaf_hash.hex()}",
                     f"  {L['audit_path']} ({len(path)})"]
            lines += ["  " + " ".join(path[i:i + 2]) for i in range(0, len(path), 2)]
            out.append(Preformatted("\n".join(lines), st.proof))
        return out

    def appendix_verify(self) -> list:
        d, L, st = self.data, self.L, self.st
        out = [self.heading(L["appendix_verify"], "appendix-b", L["appendix_verify"]),
               self.p(L["signed_note"], st.h3), self.note_block(d.checkpoint.note),
               self.kv_table([(L["verifier_key"], self.p(d.verifier_key, st.cell_mono)),
                              (L["key_fingerprint"], self.p(d.key_fingerprint, st.cell_mono))])]
        for n, text in enumerate(L["verify_steps"], 1):
            out.append(self.p(f"{n}. {text}"))
            if n == 4:
                out.append(self.pre(CHECK_PROGRAM))
        return out


def _encode_image(img) -> io.BytesIO:
    """A compact, deterministic encoding of a preview for reportlab."""
    buf = io.BytesIO()
    img.save(buf, format="PNG", compress_level=1)
    buf.seek(0)
    return buf


class _Deferred(Flowable):
    """A placeholder the document replaces with ``make()`` when it is reached."""

    def __init__(self, make) -> None:
        super().__init__()
        self.make = make

    def wrap(self, *_args):
        return 0, 0

    def draw(self):
        pass
