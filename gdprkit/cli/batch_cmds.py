"""``gdprkit batch``: letters from a CSV or JSONL file (a thin layer over run_batch)."""

from __future__ import annotations

import os
import sys

import click

from ..model import FORMATS, LANGUAGES
from ._common import EVENT_DATE, echo_err, emit_json, json_option
from ._terminal import raw_stderr

_SHOWN_ERRORS = 20


def _progress_bar(enabled: bool):
    """A ``progress(row_result, total)`` callback drawing a bar on stderr, and its closer."""
    if not enabled:
        return None, lambda: None
    state: dict = {}

    def progress(_res, total):
        bar = state.get("bar")
        if bar is None:
            bar = click.progressbar(iter(()), length=total, label="Rendering", file=raw_stderr(),
                                    show_pos=True, show_eta=total is not None)
            bar.__enter__()
            state["bar"] = bar
        bar.update(1)

    def close():
        if "bar" in state:
            state["bar"].__exit__(None, None, None)

    return progress, close


@click.command("batch")
@click.argument("source", metavar="FILE.csv|FILE.jsonl|-")
@click.option("--out-dir", required=True, metavar="DIR",
              help="Folder for the letters and manifest.json (created if missing).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="txt", show_default=True,
              help="Format of rows that give none.")
@click.option("--lang", type=click.Choice(LANGUAGES),
              help="Language of rows that give none. Default: with a ledger, your profile's "
              "language (as 'gdprkit letter'); else en.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=1, show_default=True,
              help="Worker processes (0: one per CPU).")
@click.option("--fail-fast", is_flag=True, help="Stop at the first bad row.")
@click.option("--sent", type=EVENT_DATE, metavar="DATE",
              help="Date of the letters (default today; 1970-01-01 to 2999-12-31).")
@click.option("--input-format", type=click.Choice(["csv", "jsonl"]),
              help="Default: from the file name, else from its first line.")
@click.option("--template-dir", metavar="DIR", help="Templates overriding the built-in ones.")
@click.option("--no-record", is_flag=True,
              help="With a ledger: do not record the letters as requests.")
@json_option
@click.pass_obj
def batch(app, source, out_dir, fmt, lang, jobs, fail_fast, sent, input_format, template_dir,
          no_record, as_json):
    """Render one letter per row of a CSV or JSONL file (``-``: standard input).

    Columns: kind, lang, format, requester_name, requester_email,
    requester_address, requester_country, recipient_name, recipient_org,
    recipient_email, recipient_address, recipient_country, incident_kind,
    incident_date, platform, facts, output (optional file name), sent.  CSV
    is UTF-8 (with or without BOM), separated by commas or semicolons.

    With --ledger (or $GDPRKIT_LEDGER) a row may give contact and incident
    ids instead, and each letter is recorded as a request.

    Letters are written inside --out-dir with a manifest.json listing every
    row (row, output, sha256, status ok/unchanged/error, error); unchanged
    files are not rewritten.  Exit code 1 when any row failed (the other
    rows are still produced).
    """
    from ..batch import run_batch
    from ..errors import BadInput

    ledger = None
    if app.ledger_path or os.environ.get("GDPRKIT_LEDGER"):
        ledger = app.open_ledger()
    progress, close_bar = _progress_bar(sys.stderr.isatty())
    try:
        result = run_batch(
            source, out_dir, fmt=fmt, lang=lang, jobs=jobs, fail_fast=fail_fast,
            ledger=ledger, record=not no_record, sent=sent, template_dir=template_dir,
            input_format=input_format, progress=progress,
        )
    finally:
        close_bar()
        if ledger is not None:
            ledger.close()

    if as_json:
        emit_json(result.to_dict())
    else:
        click.echo(
            f"{result.rows} rows: {result.ok} written, {result.unchanged} unchanged, "
            f"{result.errors} errors; manifest: {result.manifest}"
        )
    for res in result.first_errors[:_SHOWN_ERRORS]:
        where = f"row {res.row}" + (f" (line {res.line})" if res.line is not None else "")
        echo_err(f"{where}: {res.error}")
    if result.errors > _SHOWN_ERRORS:
        echo_err(f"... and {result.errors - _SHOWN_ERRORS} more errors in the manifest")
    if not result.succeeded:
        stop = "; stopped at the first (--fail-fast)" if result.stopped else ""
        raise BadInput(f"{result.errors} of {result.rows} rows failed{stop}; "
                       f"see {result.manifest}")
