"""`gdprkit demo`: build a complete example in a folder."""

from __future__ import annotations

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
    opts = f"--ledger {result.ledger} --passphrase-file {result.passphrase_file}"
    click.echo("\nExplore it:")
    click.echo(f"  gdprkit {opts} incidents")
    click.echo(f"  gdprkit {opts} verify --against {result.folder}/checkpoint.txt")
    click.echo(f"  gdprkit {opts} show i2")
    click.echo(f"  gdprkit {opts} requests")
    click.echo(f"  gdprkit {opts} verify-dossier {result.folder}/dossier.pdf")
    click.echo(f"  gdprkit {opts} letter access --contact c1 --lang de")
