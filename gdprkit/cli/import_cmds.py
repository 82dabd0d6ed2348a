"""``gdprkit import eml|mbox|linkedin``: import, classify, and record incidents."""

from __future__ import annotations

import functools
import sys

import click

from ._common import ISO_DATE, JsonArrayWriter, echo_err, json_option
from ._terminal import raw_stderr


def _common_options(func):
    @click.option("--contact", "contact_id", metavar="ID",
                  help="Record every incident against this contact instead of matching senders.")
    @click.option("--since", type=ISO_DATE, help="Ignore messages dated before DATE (YYYY-MM-DD).")
    @click.option("--dry-run", is_flag=True, help="Classify and report only; the ledger is not opened.")
    @click.option("--requester-email", "requester_emails", multiple=True, metavar="EMAIL",
                  help="Your address(es), to recognise your own messages forwarded by others. "
                       "Default: the e-mail of the ledger profile.")
    @click.option("--requester-name", "requester_names", multiple=True, metavar="NAME",
                  help="Your name, to recognise it used as a reference. Default: the ledger profile.")
    @click.option("--window", "window_days", type=click.IntRange(0, 3650), default=14,
                  show_default=True, help="Days after connecting in which a pitch counts as direct.")
    @json_option
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)

    return wrapper


@click.group("import")
def import_group():
    """Import e-mail or a LinkedIn export, classify it, and record incidents.

    Each message is classified by rules (list headers, unsubscribe footers,
    forward markers of the common mail clients in several languages, pitch
    wording soon after connecting, your name used as a reference); every
    decision lists the signals that fired.  Classified messages become
    incidents with the raw message as evidence; unclassified ones are only
    reported.  Importing the same material again adds nothing.
    """


def _check_readable(paths) -> None:
    """A missing or unreadable input is bad input (exit 1), found before anything is imported."""
    from ..errors import BadInput

    for path in paths:
        try:
            with open(path, "rb"):
                pass
        except OSError as err:
            raise BadInput(f"cannot read {str(path)!r}: {err.strerror or err}") from None


# Paths are checked by _check_readable, not by Click: Click's exists=True makes
# a missing file a usage error (exit 2), and the README says exit 1.
@import_group.command("eml")
@click.argument("files", nargs=-1, required=True, type=click.Path())
@_common_options
@click.pass_obj
def eml(app, files, **opts):
    """Import one or more .eml files."""
    from ..importers import iter_eml

    _check_readable(files)
    _run(app, iter_eml(files), opts)


@import_group.command("mbox")
@click.argument("file", type=click.Path())
@_common_options
@click.pass_obj
def mbox(app, file, **opts):
    """Import an mbox file (Thunderbird, mutt, Google Takeout), streamed."""
    import os

    from ..importers import iter_mbox_file

    _check_readable([file])
    if sys.stderr.isatty():
        with click.progressbar(length=os.path.getsize(file), label="Importing", file=raw_stderr()) as bar:
            _run(app, iter_mbox_file(file, progress=bar.update), opts)
    else:
        _run(app, iter_mbox_file(file), opts)


@import_group.command("linkedin")
@click.argument("path", type=click.Path())
@_common_options
@click.pass_obj
def linkedin(app, path, **opts):
    """Import a LinkedIn data export (its folder or ZIP): messages and invitations."""
    from ..importers import LinkedInExport

    LinkedInExport(path).close()  # a clear error before anything else when it is not an export
    _run(app, None, opts, linkedin_path=path)


def _run(app, messages, opts, *, linkedin_path=None) -> None:
    from ..importers import ClassifyOptions, Importer, LinkedInStats, iter_linkedin

    emails = list(opts["requester_emails"])
    names = list(opts["requester_names"])
    ledger = None
    if not opts["dry_run"]:
        ledger = app.open_ledger()
    try:
        if ledger is not None:
            profile = ledger.profile()
            if profile is not None:
                if not emails and profile.email:
                    emails = [profile.email]
                if not names and profile.name:
                    names = [profile.name]
        options = ClassifyOptions.build(emails, names, pitch_window_days=opts["window_days"])
        stats = None
        if linkedin_path is not None:
            stats = LinkedInStats()
            messages = iter_linkedin(linkedin_path, owner_names=names, stats=stats)
        importer = Importer(ledger, options=options, contact_id=opts["contact_id"],
                            since=opts["since"], dry_run=opts["dry_run"])
        # Items are written as they come (a 2 GB mailbox keeps memory flat);
        # after an error the array still ends, listing what was done.  When
        # the reader goes away (`| head`) the import goes on without output:
        # the messages are stored all the same.
        out = JsonArrayWriter() if opts["as_json"] else None
        stdout = _Stdout()
        try:
            for item in importer.run(messages):
                if item.status == "skipped":
                    continue
                if out is not None:
                    stdout.write(out.add, item.to_dict())
                else:
                    stdout.write(_print_item, item)
        finally:
            if out is not None:
                stdout.write(out.close)
    finally:
        if ledger is not None:
            ledger.close()
    if stats is not None and stats.owner_unknown and stats.rows:
        echo_err(_owner_warning(stats))
    summary = importer.summary()
    parts = [f"{n} {s}" for s, n in summary.items() if n]
    if stats is not None and stats.own_messages:
        parts.append(f"{stats.own_messages} of your own messages ignored")
    echo_err("import: " + (", ".join(parts) if parts else "nothing found")
             + (" (dry run: nothing stored)" if opts["dry_run"] else ""))
    if summary["error"]:
        from ..errors import BadInput

        raise BadInput(f"{summary['error']} of {sum(summary.values())} messages could not be read "
                       "(listed with status 'error'); the others were processed")


class _Stdout:
    """Output that stops quietly, and for good, once stdout's reader has gone.

    A closed pipe must not stop the import (the work is the import, the
    output only a report of it): after a :class:`BrokenPipeError` stdout is
    pointed at the null device, as the Python documentation advises for
    SIGPIPE, so no later write or the final flush fails, and nothing more is
    written.
    """

    def __init__(self) -> None:
        self.gone = False

    def write(self, func, *args) -> None:
        if self.gone:
            return
        try:
            func(*args)
        except BrokenPipeError:
            self.gone = True
            import os

            devnull = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(devnull, sys.stdout.fileno())
            finally:
                os.close(devnull)


def _owner_warning(stats) -> str:
    names = " or ".join(f"“{n}”" for n in stats.owner_names[:3])
    mine = f"no message from {names}, " if names else ""
    return (f"Warning: cannot tell whose LinkedIn export this is ({mine}no invitation, no member in "
            "more conversations than the others): every message is taken as written by someone else; "
            "give --requester-name with your name as LinkedIn shows it")


def _print_item(item) -> None:
    kind = item.kind or "-"
    ref = item.incident or ""
    head = f"{item.status:<12} {kind:<20} {item.confidence:4.2f} {item.source}"
    if ref:
        head += f" -> {ref}"
    if item.subject:
        head += f"  “{item.subject[:60]}”"
    click.echo(head)
    for reason in item.reasons[:6]:
        click.echo(f"    - {reason}")
    for problem in item.problems[:3]:
        click.echo(f"    ! {problem}")
