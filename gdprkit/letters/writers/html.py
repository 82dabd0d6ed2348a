"""A standalone, printable HTML page (UTF-8, A4 print styles); all text escaped."""

from __future__ import annotations

from html import escape

from ..markup import Document, Run, split_lines

_CSS = """\
@page { size: A4; margin: 20mm 20mm 20mm 25mm; }
html { background: #f4f4f2; }
body { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; font-size: 11pt;
       line-height: 1.45; color: #111; max-width: 165mm; margin: 2em auto; padding: 20mm 20mm
       20mm 25mm; background: #fff; box-shadow: 0 0 4px rgba(0,0,0,.15);
       overflow-wrap: anywhere; }
.sender { text-align: right; font-size: 9.5pt; }
.recipient { margin: 2.5em 0 2em; min-height: 5.5em; }
.date { text-align: right; }
.subject { font-weight: bold; margin-top: 1.5em; }
h2 { font-size: 11pt; margin: 1.4em 0 .3em; }
p, ol, ul, blockquote { margin: 0 0 .8em; }
blockquote { margin-left: 1.5em; padding-left: .8em; border-left: 2px solid #999;
             font-style: italic; }
li { margin-bottom: .3em; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 9.5pt; }
.signature { margin-top: 2em; }
small, .small { display: block; font-size: 8.5pt; color: #444; }
@media print { html { background: none; }
               body { margin: 0; padding: 0; box-shadow: none; max-width: none; } }
"""


def _inline(runs: list[Run]) -> str:
    out = []
    for run in runs:
        piece = escape(run.text, quote=False)
        if run.mono:
            piece = f"<code>{piece}</code>"
        if run.italic:
            piece = f"<em>{piece}</em>"
        if run.bold:
            piece = f"<strong>{piece}</strong>"
        out.append(piece)
    return "".join(out)


def _lines(runs: list[Run]) -> str:
    return "<br>\n".join(_inline(line) for line in split_lines(runs))


_DIV = {"sender": "sender", "recipient": "recipient", "date": "date",
        "signature": "signature"}


def write_html(doc: Document, *, lang: str) -> str:
    """The letter as one HTML document with inline styles."""
    body: list[str] = []
    for block in doc.blocks:
        if block.kind in ("ol", "ul"):
            items = "\n".join(f"  <li>{_lines(item)}</li>" for item in block.items)
            body.append(f"<{block.kind}>\n{items}\n</{block.kind}>")
        elif block.kind == "subject":
            label = escape(block.label, quote=False) + " " if block.label else ""
            body.append(f'<p class="subject">{label}{_lines(block.runs)}</p>')
        elif block.kind == "h":
            body.append(f"<h2>{_lines(block.runs)}</h2>")
        elif block.kind == "quote":
            body.append(f"<blockquote>{_lines(block.runs)}</blockquote>")
        elif block.kind == "small":
            body.append(f'<p class="small">{_lines(block.runs)}</p>')
        elif block.kind in _DIV:
            body.append(f'<div class="{_DIV[block.kind]}">{_lines(block.runs)}</div>')
        else:
            body.append(f"<p>{_lines(block.runs)}</p>")
    title = escape(doc.subject, quote=False)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="gdprkit">\n'
        f"<title>{title}</title>\n<style>\n{_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
