"""`export json` (and `export pdf`, the evidence dossier)."""

from __future__ import annotations

import json

import click

from ._common import ISO_DATE, App, InputFile, _json_default, echo_err, emit_json, json_option

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


@export.command("pdf")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, allow_dash=True),
              metavar="FILE", help="The dossier to write (PDF/A-3b); '-' for stdout (binary: "
              "nothing else is printed there).")
@click.option("--contact", metavar="ID", help="Only incidents of this contact.")
@click.option("--incident", "incidents", multiple=True, metavar="ID",
              help="Only these incidents (repeatable).")
@click.option("--since", type=ISO_DATE, help="Only incidents on or after this date.")
@click.option("--until", type=ISO_DATE, help="Only incidents on or before this date.")
@click.option("--lang", type=click.Choice(["en", "it", "de", "fr", "es"]),
              help="Language of the dossier. Default: your profile's language, else en.")
@click.option("--sign", "sign_p12", type=InputFile(), metavar="P12",
              help="Sign the dossier (PAdES) with the key and certificate of this PKCS#12 file. "
              "Needs gdprkit[sign]. A signed dossier embeds its signing time, so it is not "
              "byte-reproducible.")
@click.option("--sign-passphrase-file", type=click.Path(dir_okay=False), metavar="FILE",
              help="Read the PKCS#12 passphrase from this file (first line). Default: "
              "$GDPRKIT_SIGN_PASSPHRASE_FILE, $GDPRKIT_SIGN_PASSPHRASE, else a prompt on a terminal.")
@json_option
@pass_app
def export_pdf(app: App, output, contact, incidents, since, until, lang, sign_p12,
               sign_passphrase_file, as_json):
    """Evidence dossier for compliance staff: one PDF/A-3b file.

    Cover (requester, scope, ledger id, signed checkpoint and key
    fingerprint), timeline, one section per incident with its letters and an
    evidence table (hashes, custody), images and e-mails shown inline, every
    original file embedded byte for byte, and an appendix with the inclusion
    proof of every ledger entry used and how to check it without gdprkit.

    The same ledger state and options give a byte-identical file (the
    generation time is that of the newest ledger entry included), unless
    --sign is given. With -o - the PDF goes to stdout and the summary to
    stderr. Check a dossier with 'gdprkit verify-dossier'.
    """
    import sys

    from ..dossier import Scope, export_dossier, load_signer
    from ..errors import BadInput

    to_stdout = output == "-"
    if to_stdout and as_json:
        raise click.UsageError("--json prints on stdout, where '-o -' writes the dossier: "
                               "use one or the other")
    if to_stdout and sys.stdout.isatty():
        raise BadInput("refusing to write a PDF to the terminal",
                       hint="redirect stdout to a file or a pipe, or give -o FILE")
    if sign_passphrase_file and not sign_p12:
        raise BadInput("--sign-passphrase-file needs --sign")
    signer = None
    if sign_p12:
        signer = load_signer(sign_p12, _sign_passphrase(sign_passphrase_file))
    scope = Scope(contact=contact, incidents=tuple(incidents), since=since, until=until)
    with app.open_ledger() as led:
        if to_stdout:
            stdout = click.get_binary_stream("stdout")
            result = export_dossier(led, stdout, scope=scope, lang=lang, signer=signer)
            stdout.flush()
        else:
            result = export_dossier(led, output, scope=scope, lang=lang, signer=signer)
    if as_json:
        emit_json(result.to_dict())
    else:
        where = "the dossier to stdout" if to_stdout else output
        echo_err(f"Wrote {where}: {result.incidents} incident(s), {result.attachments} "
                 f"attached file(s), {result.pages} pages"
                 + (", signed" if result.signed else "")
                 + " (it holds personal data: keep it safe)")


def _sign_passphrase(path: str | None) -> bytes | None:
    """The PKCS#12 passphrase; None (an unprotected file) when none is configured."""
    import os
    import sys

    from ._common import read_passphrase

    configured = path or os.environ.get("GDPRKIT_SIGN_PASSPHRASE_FILE") or os.environ.get(
        "GDPRKIT_SIGN_PASSPHRASE") or (sys.stdin is not None and sys.stdin.isatty())
    if not configured:
        return None
    return read_passphrase(path, prompt="PKCS#12 passphrase", env_prefix="GDPRKIT_SIGN_PASSPHRASE")
