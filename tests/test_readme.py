"""The README is part of the product: its commands and example must stay true."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def test_readme_starts_with_the_demo_and_test_commands():
    blocks = re.findall(r"```sh\n(.*?)\n```", README, flags=re.S)
    assert blocks[0] == ("python3 -m venv .venv && .venv/bin/pip install . "
                         "&& .venv/bin/gdprkit demo")
    assert blocks[1] == ('python3 -m venv .venv && .venv/bin/pip install ".[test]" '
                         "&& .venv/bin/python -m pytest -n 2")
    ci = (Path(__file__).parents[1] / ".ci" / "run").read_text()
    assert blocks[1] in ci  # CI runs the README's test command verbatim


def test_readme_python_example_runs(tmp_path):
    tail = README.split("This example runs as is:", 1)[1]
    code = re.search(r"```python\n(.*?)\n```", tail, flags=re.S).group(1)
    r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "2026-04-07" in r.stdout


def test_every_command_is_documented():
    from gdprkit.cli import COMMANDS

    for name in COMMANDS:
        assert f"### {name}" in README or f"`{name}" in README, name


def test_the_package_is_marked_as_typed():
    """PEP 561: type checkers use the public API's annotations (the README documents it)."""
    from importlib.resources import files

    assert (files("gdprkit") / "py.typed").is_file()
