"""`verify-dossier`: check an evidence dossier's attachments, proofs and signature."""

from __future__ import annotations

import click

from ._common import App, InputFile, echo_err, emit_json, json_option

pass_app = click.make_pass_decorator(App)


@click.command("verify-dossier")
@click.argument("file", type=InputFile(), metavar="FILE.pdf")
@click.option("--with-ledger", is_flag=True,
              help="Also check that the dossier's checkpoint is consistent with the current "
              "ledger (opens the ledger: needs its passphrase). Implied by the global "
              "option --ledger PATH (gdprkit --ledger PATH verify-dossier ...), not by "
              "$GDPRKIT_LEDGER.")
@json_option
@pass_app
def verify_dossier(app: App, file, with_ledger, as_json):
    """Check a dossier made by 'gdprkit export pdf', without the ledger.

    Re-hashes every attached file against the embedded gdprkit-dossier.json
    and the evidence tables, checks every inclusion proof against the
    checkpoint and the checkpoint's Ed25519 signature, and the PDF signature
    when there is one (whether its certificate is trusted is reported, not
    required).

    With --with-ledger, or when the ledger is named on the command line
    (gdprkit --ledger PATH verify-dossier FILE.pdf), it also checks that the
    dossier's checkpoint is consistent with that ledger and that each file's
    SHA-256 is the one the ledger recorded.

    Exit code 0 when all hold, 3 naming what does not (a damaged file too:
    it is never repaired silently), 1 when FILE is not a gdprkit dossier.
    """
    from ..dossier import verify_dossier as run
    from ..errors import TamperDetected

    # an explicit global --ledger asks for the ledger check; $GDPRKIT_LEDGER
    # (set once for every command) does not
    led = app.open_ledger() if with_ledger or app.ledger_path else None
    try:
        try:
            report = run(file, ledger=led)
        except TamperDetected as err:
            report = getattr(err, "report", None)
            if report is None:
                raise
            if as_json:
                emit_json(report.to_dict())
                raise SystemExit(err.exit_code) from None
            for problem in report.problems[1:]:
                echo_err(f"  also: {problem}")
            raise
    finally:
        if led is not None:
            led.close()
    if as_json:
        emit_json(report.to_dict())
        return
    sig = report.signature
    parts = [f"{len(report.attachments)} attachment(s) match their hashes",
             f"{report.proofs} inclusion proof(s) verify against the signed checkpoint of tree "
             f"size {report.checkpoint['tree_size']}"]
    if sig:
        if sig.get("intact") is None:
            parts.append("PDF signature present but not checked (pyHanko missing)")
        else:
            parts.append(f"PDF signature intact (signer {sig['signer']}; certificate "
                         f"{'trusted' if sig['trusted'] else 'not trusted here'})")
    if report.ledger:
        parts.append(f"consistent with the ledger (tree size {report.ledger['tree_size']})")
    click.echo("OK: " + "; ".join(parts))
    click.echo(f"Checkpoint key fingerprint: {report.checkpoint['key_fingerprint']} "
               "(compare it with one you obtained independently)")
