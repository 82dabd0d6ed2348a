"""Plain text (UTF-8), wrapped for reading and for the text part of e-mails."""

from __future__ import annotations

import textwrap

from ..markup import Document, Run, plain, split_lines

WIDTH = 76


def _wrap(text: str, first: str = "", rest: str = "") -> list[str]:
    if not text:
        return [first.rstrip()]
    return textwrap.wrap(
        text,
        width=WIDTH,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=True,
        break_on_hyphens=False,
    ) or [first.rstrip()]


def _para(runs: list[Run], first: str = "", rest: str = "") -> list[str]:
    out: list[str] = []
    for i, line in enumerate(split_lines(runs)):
        out += _wrap(plain(line), first if i == 0 else rest, rest)
    return out


def write_txt(doc: Document) -> str:
    """The letter as plain text, paragraphs separated by blank lines."""
    chunks: list[list[str]] = []
    for block in doc.blocks:
        if block.kind in ("ol", "ul"):
            lines: list[str] = []
            for n, item in enumerate(block.items, start=1):
                mark = f"{n}. " if block.kind == "ol" else "- "
                lines += _para(item, mark, " " * len(mark))
            chunks.append(lines)
        elif block.kind == "subject":
            label = f"{block.label} " if block.label else ""
            chunks.append(_para([Run(label), *block.runs]))
        elif block.kind == "h":
            lines = _para(block.runs)
            chunks.append([*lines, "-" * min(WIDTH, max(len(x) for x in lines))])
        elif block.kind == "quote":
            chunks.append(_para(block.runs, "    ", "    "))
        else:
            chunks.append(_para(block.runs))
    return "\n\n".join("\n".join(c) for c in chunks) + "\n"
