"""`gdprkit demo`: build a complete example in a folder."""

from __future__ import annotations

import shlex

import click

from ._common import echo_err


@click.command()
@click.option("--dir", "folder", default="gdprkit-demo", show_default=True, metavar="DIR",
              help="Folder to create (must not exist, or be empty).")
def demo(folder):
    """Build a complete example: ledger, evidence, incidents, letters, dossier.

    The folder gets its own ledger and passphrase file, so your own ledger is
    never touched.  Prints what it made and how to explore it.
    """
    from ..demo import build_demo

    result = build_demo(folder, say=echo_err)
    width = max(len(what) for what, _ in result.made)
    click.echo(f"Demo built in {result.folder}/\n")
    for what, where in result.made:
        click.echo(f"  {what:<{width}}  {where}")
    prog = _program()
    click.echo("\nExplore it (the two variables spare you --ledger and --passphrase-file):")
    click.echo(f"  export GDPRKIT_LEDGER={shlex.quote(str(result.ledger.resolve()))} "
               f"GDPRKIT_PASSPHRASE_FILE={shlex.quote(str(result.passphrase_file.resolve()))}")
    folder = shlex.quote(str(result.folder))
    for args in ("incidents", "requests", "show i2",
                 f"verify --against {folder}/checkpoint.txt",
                 f"verify-dossier {folder}/dossier.pdf",
                 "letter access --contact c1 --lang de"):
        click.echo(f"  {prog} {args}")


def _program() -> str:
    """How to call gdprkit again: its name when that is on PATH, else the path used."""
    import os
    import shutil
    import sys

    invoked = sys.argv[0] if sys.argv and sys.argv[0] else "gdprkit"
    found = shutil.which("gdprkit")
    if found and os.path.exists(invoked) and os.path.samefile(found, invoked):
        return "gdprkit"
    if os.path.basename(invoked) == "gdprkit" and os.path.exists(invoked):
        return shlex.quote(invoked)
    return "gdprkit"
