"""Markdown (CommonMark): every character that could start markup is escaped."""

from __future__ import annotations

import re

from ..markup import Document, Run, split_lines

# ASCII punctuation CommonMark may read as markup anywhere in a line.
_INLINE = re.compile(r"([\\`*_\[\]<>|~&#!])")
# What may start a block at the beginning of a line.
_LINE_START = re.compile(r"^(\s*)([-+=>]|\d+[.)])")


def escape_md(text: str) -> str:
    """``text`` with Markdown syntax characters backslash-escaped."""
    text = _INLINE.sub(r"\\\1", text)
    m = _LINE_START.match(text)
    if m:
        lead, token = m.group(1), m.group(2)
        token = token[:-1] + "\\" + token[-1]
        text = lead + token + text[m.end():]
    return text


def _code(text: str) -> str:
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _inline(runs: list[Run]) -> str:
    out = []
    for i, run in enumerate(runs):
        if run.mono:
            piece = _code(run.text)
        else:
            piece = escape_md(run.text) if i == 0 else _INLINE.sub(r"\\\1", run.text)
        if run.bold or run.italic:
            stripped = piece.strip(" ")
            if stripped:
                mark = "**" if run.bold else ""
                mark2 = "_" if run.italic else ""
                lead = piece[: len(piece) - len(piece.lstrip(" "))]
                trail = piece[len(piece.rstrip(" ")):]
                piece = f"{lead}{mark}{mark2}{stripped}{mark2}{mark}{trail}"
        out.append(piece)
    return "".join(out)


def _lines(runs: list[Run]) -> str:
    return "\\\n".join(_inline(line) for line in split_lines(runs))


def write_md(doc: Document) -> str:
    """The letter as Markdown."""
    chunks: list[str] = []
    for block in doc.blocks:
        if block.kind in ("ol", "ul"):
            items = []
            for n, item in enumerate(block.items, start=1):
                mark = f"{n}. " if block.kind == "ol" else "- "
                body = _lines(item).replace("\n", "\n" + " " * len(mark))
                items.append(mark + body)
            chunks.append("\n".join(items))
        elif block.kind == "subject":
            label = escape_md(block.label) + " " if block.label else ""
            chunks.append(f"**{label}{_lines(block.runs)}**")
        elif block.kind == "h":
            chunks.append("## " + _lines(block.runs).replace("\\\n", " "))
        elif block.kind == "quote":
            chunks.append("> " + _lines(block.runs).replace("\n", "\n> "))
        else:
            chunks.append(_lines(block.runs))
    return "\n\n".join(chunks) + "\n"
