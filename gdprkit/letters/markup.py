"""The letter document: a few blocks of styled text, parsed from "letter markup".

A template renders *letter markup*, a tiny XML vocabulary; every format
writer (txt, md, html, eml, pdf) reads the parsed :class:`Document`, never
the template output.  Elements:

block level (direct children of the letter, in order)
    ``<sender>``      the requester's block (lines separated by ``<br/>``)
    ``<recipient>``   the postal address block
    ``<date>``        place and date line
    ``<subject label="Subject:">`` the subject; ``label`` is printed before
                      it; the text alone is the e-mail Subject header
    ``<h>``           a section heading
    ``<p>``           a paragraph
    ``<quote>``       a quoted paragraph (the user's own note)
    ``<ol>``/``<ul>`` a numbered / bulleted list of ``<li>`` items
    ``<signature>``   closing lines (``<br/>`` separated)
    ``<small>``       fine print (the ledger checkpoint)
    ``<meta name="..." value="..."/>`` a per-language string for the writers,
                      e.g. ``page-label`` = ``Page {page} of {pages}``

inline (inside any block)
    ``<b>``, ``<i>``, ``<code>`` (monospace: hashes) and ``<br/>``

Whitespace inside blocks collapses to single spaces, as in HTML, so templates
may wrap their lines freely; only ``<br/>`` breaks a line.

Why XML: Jinja's autoescape (the "HTML" escaping of ``markupsafe``) is exactly
XML escaping, so every value a template prints is inert text by construction:
a user's ``<font>`` or ``&`` arrives as the text ``<font>`` / ``&``, a
``{{ 7*7 }}`` in a note is never evaluated (templates are compiled from
files, data is only ever printed) and a newline in a name cannot start a new
block.  Each writer then escapes the text for its own format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from ..errors import BadInput

__all__ = ["BLOCKS", "Block", "Document", "Run", "parse_markup", "xml_safe"]

BLOCKS = frozenset(
    {"sender", "recipient", "date", "subject", "h", "p", "quote", "ol", "ul", "signature",
     "small"}
)
_INLINE = {"b": "bold", "i": "italic", "code": "mono"}

# Characters XML 1.0 cannot carry: C0 controls except TAB/LF/CR, surrogates, U+FFFE/U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPACE = re.compile(r"[ \t\r\n]+")


def xml_safe(text: str) -> str:
    """``text`` with characters XML cannot carry replaced by U+FFFD, CR/LF made LF."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _NOT_XML.sub("\ufffd", text)


@dataclass(frozen=True)
class Run:
    """A piece of text in one style.  ``text`` is ``"\\n"`` alone for a line break."""

    text: str
    bold: bool = False
    italic: bool = False
    mono: bool = False

    @property
    def is_break(self) -> bool:
        return self.text == "\n"


@dataclass
class Block:
    """One block: its kind, its inline runs, and (lists) its items as run lists."""

    kind: str
    runs: list[Run] = field(default_factory=list)
    items: list[list[Run]] = field(default_factory=list)
    label: str = ""  # subject only
    raw: str = ""  # the text before whitespace was collapsed (line breaks kept)

    def lines(self) -> list[list[Run]]:
        """The runs split at line breaks."""
        return split_lines(self.runs)

    @property
    def text(self) -> str:
        """Plain text, lines joined with newlines."""
        return plain(self.runs)


@dataclass
class Document:
    """A parsed letter: blocks in order and the per-language strings."""

    blocks: list[Block]
    meta: dict[str, str]

    def first(self, kind: str) -> Block | None:
        return next((b for b in self.blocks if b.kind == kind), None)

    @property
    def subject(self) -> str:
        block = self.first("subject")
        return _SPACE.sub(" ", block.text).strip(" ") if block else ""


def plain(runs: list[Run]) -> str:
    return "".join(r.text for r in runs)


def split_lines(runs: list[Run]) -> list[list[Run]]:
    lines: list[list[Run]] = [[]]
    for run in runs:
        if run.is_break:
            lines.append([])
        else:
            lines[-1].append(run)
    while len(lines) > 1 and not lines[-1]:
        lines.pop()
    return lines


def _runs(elem: ET.Element, where: str, *, bold=False, italic=False, mono=False) -> list[Run]:
    out: list[Run] = []
    if elem.text:
        out.append(Run(elem.text, bold, italic, mono))
    for child in elem:
        if child.tag == "br":
            if len(child) or (child.text or "").strip():
                raise BadInput(f"{where}: <br/> must be empty")
            out.append(Run("\n"))
        elif child.tag in _INLINE:
            style = {"bold": bold, "italic": italic, "mono": mono}
            style[_INLINE[child.tag]] = True
            out += _runs(child, where, **style)
        else:
            raise BadInput(f"{where}: <{child.tag}> is not allowed inside text")
        if child.tail:
            out.append(Run(child.tail, bold, italic, mono))
    return out


def _normalise(runs: list[Run]) -> list[Run]:
    """Collapse whitespace across runs; trim at the edges and around line breaks."""
    out: list[Run] = []
    for run in runs:
        if run.is_break:
            if out and not out[-1].is_break:
                out[-1] = Run(out[-1].text.rstrip(" "), out[-1].bold, out[-1].italic,
                              out[-1].mono)
            out.append(run)
            continue
        text = _SPACE.sub(" ", run.text)
        at_line_start = not out or out[-1].is_break or out[-1].text.endswith(" ")
        if at_line_start:
            text = text.lstrip(" ")
        if text:
            out.append(Run(text, run.bold, run.italic, run.mono))
    if out and not out[-1].is_break:
        out[-1] = Run(out[-1].text.rstrip(" "), out[-1].bold, out[-1].italic, out[-1].mono)
    while out and out[-1].is_break:
        out.pop()
    return [r for r in out if r.text]


def parse_markup(text: str, *, source: str = "template") -> Document:
    """Parse letter markup (the output of a template) into a :class:`Document`.

    ``source`` names the template in error messages.
    """
    try:
        root = ET.fromstring(f"<letter>{text}</letter>")
    except ET.ParseError as err:
        line, col = err.position
        raise BadInput(
            f"{source} produced malformed letter markup (output line {line}, column {col})",
            hint="escape a literal & or < in template text as &amp; or &lt;",
        ) from None
    if (root.text or "").strip():
        raise BadInput(f"{source}: text outside a block: {root.text.strip()[:40]!r}")
    blocks: list[Block] = []
    meta: dict[str, str] = {}
    for elem in root:
        where = f"{source}: <{elem.tag}>"
        if (elem.tail or "").strip():
            raise BadInput(f"{source}: text outside a block after <{elem.tag}>: "
                           f"{elem.tail.strip()[:40]!r}")
        if elem.tag == "meta":
            name = elem.get("name")
            if not name:
                raise BadInput(f"{where} needs a name")
            meta[name] = elem.get("value", elem.text or "")
            continue
        if elem.tag not in BLOCKS:
            raise BadInput(
                f"{source}: unknown block <{elem.tag}>",
                hint="blocks: " + ", ".join(sorted(BLOCKS | {"meta"})),
            )
        block = Block(elem.tag, label=_SPACE.sub(" ", elem.get("label") or "").strip(" "))
        if elem.tag in ("ol", "ul"):
            if (elem.text or "").strip():
                raise BadInput(f"{where}: text outside <li>")
            for li in elem:
                if li.tag != "li":
                    raise BadInput(f"{where}: only <li> items are allowed, not <{li.tag}>")
                if (li.tail or "").strip():
                    raise BadInput(f"{where}: text outside <li>")
                runs = _normalise(_runs(li, where))
                if runs:
                    block.items.append(runs)
            if block.items:
                blocks.append(block)
            continue
        runs = _runs(elem, where)
        block.raw = plain(runs)
        block.runs = _normalise(runs)
        if block.runs:
            blocks.append(block)
    return Document(blocks, meta)
