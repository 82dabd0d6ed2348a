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
from typing import NamedTuple
from xml.etree import ElementTree as ET

from ..errors import BadInput

__all__ = ["BLOCKS", "Block", "Document", "Run", "parse_markup", "xml_safe"]

BLOCKS = frozenset(
    {"sender", "recipient", "date", "subject", "h", "p", "quote", "ol", "ul", "signature",
     "small"}
)
_INLINE = {"b": "bold", "i": "italic", "code": "mono"}

# Characters XML 1.0 cannot carry (C0 controls except TAB/LF/CR, surrogates,
# U+FFFE/U+FFFF), and characters XML can carry but that act on the reader's
# display instead of showing: DEL, the C1 controls, and the bidi embeddings,
# overrides and isolates ("x\u202etxt.exe" shows as "xexe.txt").  The
# same set the CLI neutralises on a terminal (gdprkit.cli._terminal).
_NOT_XML = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff\ufffe\uffff]"
)
_SPACE = re.compile(r"[ \t\r\n]+")


def _collapse(text: str) -> str:
    """``_SPACE.sub(" ", text)``, without a regular expression (several times faster)."""
    if "\n" in text:
        text = text.replace("\n", " ")
    if "\t" in text:
        text = text.replace("\t", " ")
    if "\r" in text:
        text = text.replace("\r", " ")
    if "  " in text:
        core = " ".join([word for word in text.split(" ") if word])
        if not core:
            return " "
        return (" " if text[0] == " " else "") + core + (" " if text[-1] == " " else "")
    return text


def xml_safe(text: str) -> str:
    """``text`` with characters XML cannot carry, DEL, C1 controls and bidi
    embeddings/overrides/isolates replaced by U+FFFD; CR/LF made LF.

    Every value a template prints goes through here, so the txt, md, html,
    eml and pdf letters all show the same visible U+FFFD for them.
    """
    if text.isprintable():  # no control character, surrogate or non-character at all
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _NOT_XML.sub("\ufffd", text)


class Run(NamedTuple):
    """A piece of text in one style.  ``text`` is ``"\\n"`` alone for a line break.

    A named tuple: immutable, and cheap to make (a letter has hundreds).
    """

    text: str
    bold: bool = False
    italic: bool = False
    mono: bool = False

    @property
    def is_break(self) -> bool:
        return self.text == "\n"


# ``_new(Run, (text, bold, italic, mono))``: a Run without the keyword-handling constructor.
_new = tuple.__new__
_BREAK = Run("\n")


@dataclass(slots=True)
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


@dataclass(slots=True)
class Document:
    """A parsed letter: blocks in order and the per-language strings."""

    blocks: list[Block]
    meta: dict[str, str]

    def first(self, kind: str) -> Block | None:
        return next((b for b in self.blocks if b.kind == kind), None)

    @property
    def subject(self) -> str:
        block = self.first("subject")
        return _collapse(block.text).strip(" ") if block else ""


def plain(runs: list[Run]) -> str:
    return "".join([r.text for r in runs])


def split_lines(runs: list[Run]) -> list[list[Run]]:
    lines: list[list[Run]] = [[]]
    line = lines[0]
    for run in runs:
        if run.text == "\n":
            line = []
            lines.append(line)
        else:
            line.append(run)
    while len(lines) > 1 and not lines[-1]:
        lines.pop()
    return lines


def _runs(elem: ET.Element, source: str, block: str, out: list[Run],
          bold=False, italic=False, mono=False) -> list[Run]:
    """Append the runs of ``elem`` (styled ``bold``/``italic``/``mono``) to ``out``."""
    text = elem.text
    if text:
        out.append(_new(Run, (text, bold, italic, mono)))
    for child in elem:
        tag = child.tag
        if tag == "br":
            if len(child) or (child.text or "").strip():
                raise BadInput(f"{source}: <{block}>: <br/> must be empty")
            out.append(_BREAK)
        elif tag == "b":
            _runs(child, source, block, out, True, italic, mono)
        elif tag == "i":
            _runs(child, source, block, out, bold, True, mono)
        elif tag == "code":
            _runs(child, source, block, out, bold, italic, True)
        else:
            raise BadInput(f"{source}: <{block}>: <{tag}> is not allowed inside text")
        text = child.tail
        if text:
            out.append(_new(Run, (text, bold, italic, mono)))
    return out


def _normalise(runs: list[Run]) -> list[Run]:
    """Collapse whitespace across runs; trim at the edges and around line breaks.

    A run whose text is ``"\n"`` alone is a line break, whatever produced it.
    """
    out: list[Run] = []
    last = "\n"  # the text of out[-1]; "\n" also when out is empty (a line start)
    for run in runs:
        text = run.text
        if text == "\n":
            if out and last != "\n" and last[-1:] == " ":
                prev = out[-1]
                out[-1] = _new(Run, (last.rstrip(" "), prev.bold, prev.italic, prev.mono))
            out.append(run)
            last = text
            continue
        new = _collapse(text)
        if last == "\n" or last[-1:] == " ":  # at a line start, or after a space
            new = new.lstrip(" ")
        if new:
            out.append(run if new == text else _new(Run, (new, run.bold, run.italic, run.mono)))
            last = new
    if out and last != "\n" and last[-1:] == " ":
        prev = out[-1]
        out[-1] = _new(Run, (last.rstrip(" "), prev.bold, prev.italic, prev.mono))
    while out and out[-1].text == "\n":
        out.pop()
    return [r for r in out if r.text]


def _simple(text: str | None) -> tuple[str, list[Run]]:
    """(raw, runs) of a block that is text alone, no inline element: what
    :func:`_normalise` makes of its one run."""
    if not text:
        return "", []
    new = _collapse(text).strip(" ")
    return text, ([_new(Run, (new, False, False, False))] if new else [])


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
        tag = elem.tag
        tail = elem.tail
        if tail and not tail.isspace():
            raise BadInput(f"{source}: text outside a block after <{tag}>: "
                           f"{tail.strip()[:40]!r}")
        if tag == "meta":
            name = elem.get("name")
            if not name:
                raise BadInput(f"{source}: <{tag}> needs a name")
            meta[name] = elem.get("value", elem.text or "")
            continue
        if tag not in BLOCKS:
            raise BadInput(
                f"{source}: unknown block <{tag}>",
                hint="blocks: " + ", ".join(sorted(BLOCKS | {"meta"})),
            )
        label = elem.get("label")
        label = _collapse(label).strip(" ") if label else ""
        if tag in ("ol", "ul"):
            if (elem.text or "").strip():
                raise BadInput(f"{source}: <{tag}>: text outside <li>")
            items: list[list[Run]] = []
            for li in elem:
                if li.tag != "li":
                    raise BadInput(f"{source}: <{tag}>: only <li> items are allowed, "
                                   f"not <{li.tag}>")
                if (li.tail or "").strip():
                    raise BadInput(f"{source}: <{tag}>: text outside <li>")
                runs = _normalise(_runs(li, source, tag, [])) if len(li) else _simple(li.text)[1]
                if runs:
                    items.append(runs)
            if items:
                blocks.append(Block(tag, [], items, label, ""))
            continue
        if len(elem):
            runs = _runs(elem, source, tag, [])
            raw = "".join([r.text for r in runs])
            runs = _normalise(runs)
            if runs:
                blocks.append(Block(tag, runs, [], label, raw))
        else:  # text alone (most blocks): what _normalise makes of its one run
            raw = elem.text
            if raw:
                new = _collapse(raw).strip(" ")
                if new:
                    blocks.append(Block(tag, [_new(Run, (new, False, False, False))], [], label, raw))
    return Document(blocks, meta)
