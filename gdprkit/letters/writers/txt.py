"""Plain text (UTF-8), wrapped for reading and for the text part of e-mails."""

from __future__ import annotations

import textwrap

from ..markup import Document, Run, split_lines

WIDTH = 76


def _textwrap(text: str, first: str, rest: str) -> list[str]:
    return textwrap.wrap(
        text,
        width=WIDTH,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=True,
        break_on_hyphens=False,
    ) or [first.rstrip()]


def _wrap(text: str, first: str = "", rest: str = "") -> list[str]:
    """``text`` wrapped at :data:`WIDTH`, exactly as :func:`_textwrap` wraps it.

    The common case is done here, faster: words separated by single spaces,
    no white space at the edges and none but the ASCII space inside (so the
    chunks ``textwrap`` makes are the words and the single spaces between
    them), both indents as long.  Then ``textwrap`` fills each line greedily
    with whole words, which is what the ``rfind`` below does; a word longer
    than a line (``textwrap`` would break it) ends the fast path.  Anything
    else (tabs, runs of spaces, non-breaking or other Unicode spaces, control
    or other non-printable characters) goes to ``textwrap`` itself.
    """
    if not text:
        return [first.rstrip()]
    avail = WIDTH - len(first)
    if (
        text.isprintable()  # no white space but " " (every other kind is non-printable)
        and text[0] != " "
        and text[-1] != " "
        and "  " not in text
        and len(rest) == len(first)
        and avail > 0
    ):
        end = len(text)
        if end <= avail:
            return [first + text]
        lines: list[str] = []
        prefix, start = first, 0
        while end - start > avail:
            cut = text.rfind(" ", start, start + avail + 1)
            if cut < 0:  # a word longer than the line: textwrap breaks it
                return _textwrap(text, first, rest)
            lines.append(prefix + text[start:cut])
            prefix, start = rest, cut + 1
        lines.append(prefix + text[start:])
        return lines
    return _textwrap(text, first, rest)


def _para(runs: list[Run], first: str = "", rest: str = "") -> list[str]:
    if len(runs) == 1 and runs[0].text != "\n":  # one line in one style (most paragraphs)
        return _wrap(runs[0].text, first, rest)
    out: list[str] = []
    for i, line in enumerate(split_lines(runs)):
        out += _wrap("".join([r.text for r in line]), first if i == 0 else rest, rest)
    return out


_OTHER_KINDS = frozenset({"ol", "ul", "subject", "h", "quote"})  # all but plain paragraphs


def write_txt(doc: Document) -> str:
    """The letter as plain text, paragraphs separated by blank lines."""
    chunks: list[str] = []
    add = chunks.append
    for block in doc.blocks:
        kind = block.kind
        if kind not in _OTHER_KINDS:
            add("\n".join(_para(block.runs)))
        elif kind in ("ol", "ul"):
            lines: list[str] = []
            for n, item in enumerate(block.items, start=1):
                mark = f"{n}. " if kind == "ol" else "- "
                lines += _para(item, mark, " " * len(mark))
            add("\n".join(lines))
        elif kind == "subject":
            label = f"{block.label} " if block.label else ""
            add("\n".join(_para([Run(label), *block.runs])))
        elif kind == "h":
            lines = _para(block.runs)
            add("\n".join([*lines, "-" * min(WIDTH, max(len(x) for x in lines))]))
        else:  # quote
            add("\n".join(_para(block.runs, "    ", "    ")))
    return "\n\n".join(chunks) + "\n"
