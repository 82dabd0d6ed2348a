"""Keep hostile text from driving the user's terminal.

Names, subjects and notes come from other people (an imported e-mail's sender
name is whatever the sender chose).  Printed raw to a terminal, control
characters in them could move the cursor, rewrite the window title, hide
text or worse.  When stdout or stderr is a terminal, every control character
except newline and tab is shown as a visible escape (``\\x1b``), and
bidirectional overrides as ``<U+202E>``.  Pipes and files get the text
unchanged (JSON escapes control characters itself).
"""

from __future__ import annotations

import re
import sys

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match) -> str:
    ch = match.group()
    return f"<U+{ord(ch):04X}>" if ord(ch) > 0x9F else f"\\x{ord(ch):02x}"


def neutralise(text: str) -> str:
    """``text`` with terminal control characters made visible."""
    return _UNSAFE.sub(_visible, text) if _UNSAFE.search(text) else text


class TerminalText:
    """A text stream that neutralises control characters before writing."""

    def __init__(self, stream) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(neutralise(text))
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str):  # encoding, errors, buffer, flush, isatty, fileno ...
        return getattr(self._stream, name)


def guard_terminal_streams() -> None:
    """Wrap sys.stdout / sys.stderr when they are terminals (the console script only)."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        try:
            tty = stream is not None and stream.isatty()
        except (AttributeError, ValueError):
            tty = False
        if tty and not isinstance(stream, TerminalText):
            setattr(sys, name, TerminalText(stream))


def raw_stderr():
    """stderr without the guard: for gdprkit's own progress bars, whose escape
    codes (cursor hide/show, carriage return) must reach the terminal."""
    stream = sys.stderr
    return stream._stream if isinstance(stream, TerminalText) else stream
