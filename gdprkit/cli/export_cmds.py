"""`export json` (and `export pdf`, the evidence dossier)."""

from __future__ import annotations

import json

import click

from ._common import App, _json_default, echo_err

pass_app = click.make_pass_decorator(App)


@click.group()
def export():
    """Export the ledger (json) or an evidence dossier (pdf)."""


@export.command("json")
@click.option("-o", "--output", required=True, metavar="FILE", help="Output file ('-' for stdout).")
@pass_app
def export_json(app: App, output):
    """Everything, decrypted, as one JSON document (for scripts and migration).

    The file holds your evidence metadata in plaintext: it is created 0600.
    """
    from .._io import write_atomic

    with app.open_ledger() as led:
        data = led.export_dict()
    text = json.dumps(data, default=_json_default, ensure_ascii=False, indent=2) + "\n"
    if output == "-":
        click.echo(text, nl=False)
    else:
        write_atomic(output, text.encode("utf-8"))
        echo_err(f"Wrote {output} (plaintext personal data: keep it safe)")
