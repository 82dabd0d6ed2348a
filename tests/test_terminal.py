"""Hostile names cannot drive the user's terminal; pipes get the text unchanged."""

from __future__ import annotations

import io
import json
import os
import pty
import subprocess

from hypothesis import given
from hypothesis import strategies as st

from gdprkit.cli._terminal import TerminalText, neutralise

from .conftest import venv_bin

EVIL = "Evil\x1b]0;pwned\x07\x1b[2J \u202eexe.pdf \x9b31m"


def test_neutralise_makes_controls_visible():
    assert neutralise(EVIL) == "Evil\\x1b]0;pwned\\x07\\x1b[2J <U+202E>exe.pdf \\x9b31m"
    assert neutralise("Jörg Müller 日本\nline\ttab") == "Jörg Müller 日本\nline\ttab"


@given(st.text())
def test_neutralised_text_has_no_terminal_controls(text):
    out = neutralise(text)
    assert not any((ord(c) < 32 and c not in "\n\t") or 0x7f <= ord(c) <= 0x9f for c in out)


def test_terminal_text_wraps_writes_and_passes_the_rest():
    raw = io.StringIO()
    wrapped = TerminalText(raw)
    assert wrapped.write(EVIL) == len(EVIL)
    assert "\x1b" not in raw.getvalue() and wrapped.getvalue() == raw.getvalue()


def test_cli_on_a_terminal_and_on_a_pipe(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("GDPRKIT_")}
    env.update(GDPRKIT_LEDGER=str(tmp_path / "l.db"), GDPRKIT_PASSPHRASE="terminal-test-pw")
    exe = venv_bin("gdprkit")
    subprocess.run([exe, "init", "--name", "Ada"], env=env, check=True, capture_output=True)
    subprocess.run([exe, "contact", "add", EVIL], env=env, check=True, capture_output=True)
    master, slave = pty.openpty()
    proc = subprocess.Popen([exe, "contact", "list"], env=env, stdout=slave, stderr=slave)
    os.close(slave)
    seen = b""
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        seen += data
    os.close(master)
    assert proc.wait(timeout=60) == 0
    text = seen.decode()
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert "Evil\\x1b]0;pwned\\x07" in text
    # a pipe gets the data exactly (JSON escapes what needs escaping)
    r = subprocess.run([exe, "contact", "list", "--json"], env=env, capture_output=True,
                       text=True, check=True)
    assert json.loads(r.stdout)[0]["name"] == EVIL
