"""The ``gdprkit`` command line: a thin layer over the library.

Sub-commands are loaded lazily from the table below so that ``gdprkit --help``
and ``gdprkit --version`` import nothing but Click.  Each entry names the
module and function that implement a command and its one-line help.
"""

from __future__ import annotations

import sys

import click

from .._version import __version__

# name -> (module:attribute, short help shown by `gdprkit --help`)
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("gdprkit.cli.ledger_cmds:init", "Create an encrypted ledger and store your profile."),
    "profile": ("gdprkit.cli.ledger_cmds:profile", "Show or change your (the requester's) profile."),
    "contact": ("gdprkit.cli.ledger_cmds:contact", "Add, list and show contacts."),
    "log": ("gdprkit.cli.ledger_cmds:log", "Record an incident with its evidence files."),
    "incidents": ("gdprkit.cli.ledger_cmds:incidents", "List incidents."),
    "show": ("gdprkit.cli.ledger_cmds:show", "Show one contact, incident, evidence item or request."),
    "evidence": ("gdprkit.cli.ledger_cmds:evidence", "Get evidence files back out of the ledger."),
    "verify": ("gdprkit.cli.ledger_cmds:verify", "Check the whole ledger for tampering."),
    "checkpoint": ("gdprkit.cli.ledger_cmds:checkpoint", "Print the signed checkpoint to keep outside the ledger."),
    "shred": ("gdprkit.cli.ledger_cmds:shred", "Crypto-erase an entry's content, keeping the log verifiable."),
    "passwd": ("gdprkit.cli.ledger_cmds:passwd", "Change the ledger passphrase (re-wraps the key only)."),
    "export": ("gdprkit.cli.export_cmds:export", "Export the ledger (json) or an evidence dossier (pdf)."),
    "verify-dossier": ("gdprkit.cli.dossier_cmds:verify_dossier", "Check an evidence dossier's attachments, proofs and signature."),
    "demo": ("gdprkit.cli.demo_cmd:demo", "Build a complete example ledger in a folder."),
    "import": ("gdprkit.cli.import_cmds:import_group", "Import and classify e-mail (eml, mbox) or a LinkedIn export."),
    "due": ("gdprkit.cli.legal_cmds:due", "The Art. 12(3) deadline for a request (no ledger needed)."),
    "authority": ("gdprkit.cli.legal_cmds:authority", "The supervisory authority to complain to, by country."),
    "platform": ("gdprkit.cli.legal_cmds:platform", "The controller behind a platform or mailing service."),
    "batch": ("gdprkit.cli.batch_cmds:batch", "Render letters in batch from a CSV or JSONL file."),
    "requests": ("gdprkit.cli.request_cmds:requests_cmd", "List requests with their status and deadline."),
    "request": ("gdprkit.cli.request_cmds:request_cmd", "Record an event on a request (answered, extended, ...)."),
    "calendar": ("gdprkit.cli.request_cmds:calendar_cmd", "Write the deadlines of open requests to an .ics file."),
    "letter": ("gdprkit.cli.letter_cmds:letter", "Render a GDPR letter (objection, erasure, access, ...) and record it."),
    "templates": ("gdprkit.cli.letter_cmds:templates", "List the letter templates, or copy them to customise."),
}


class LazyGroup(click.Group):
    """A group whose sub-commands are imported only when they run."""

    def __init__(self, *args, lazy: dict[str, tuple[str, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy = lazy or {}

    def list_commands(self, ctx):
        return sorted(set(super().list_commands(ctx)) | set(self.lazy))

    def get_command(self, ctx, cmd_name):
        if cmd_name in self.lazy:
            import importlib

            target = self.lazy[cmd_name][0]
            module, attr = target.split(":")
            return getattr(importlib.import_module(module), attr)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx, formatter):
        # Short help from the table, so that --help imports no command module.
        rows = [(name, self.lazy[name][1]) for name in sorted(self.lazy)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def invoke(self, ctx):
        from ._common import run_guarded

        return run_guarded(ctx, lambda: super(LazyGroup, self).invoke(ctx))


@click.group(
    cls=LazyGroup,
    lazy=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "--version", prog_name="gdprkit")
@click.option(
    "--ledger",
    "ledger_path",
    metavar="PATH",
    help="Ledger file. Default: $GDPRKIT_LEDGER, else ledger.db in your user data folder.",
)
@click.option(
    "--passphrase-file",
    metavar="PATH",
    help="Read the passphrase from this file (first line). Default: $GDPRKIT_PASSPHRASE_FILE, "
    "$GDPRKIT_PASSPHRASE, else a hidden prompt on a terminal.",
)
@click.option("--debug", is_flag=True, help="Show full tracebacks on errors.")
@click.pass_context
def cli(ctx: click.Context, ledger_path: str | None, passphrase_file: str | None, debug: bool):
    """gdprkit: keep evidence of personal-data misuse and exercise your GDPR rights.

    Log what a contact did with your data in an encrypted, tamper-evident
    ledger, generate GDPR letters (objection, erasure, access, ...) with the
    legal deadline computed, and export evidence dossiers.

    Exit codes: 0 ok, 1 bad input or not found, 2 usage error,
    3 verification failed or tampering found, 4 wrong passphrase or locked ledger.
    """
    from ._common import App

    ctx.obj = App(ledger_path=ledger_path, passphrase_file=passphrase_file, debug=debug)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    from ._terminal import guard_terminal_streams

    guard_terminal_streams()
    _exit_cleanly_on_sigterm()
    cli.main(args=argv, prog_name="gdprkit")


def _exit_cleanly_on_sigterm() -> None:
    """SIGTERM (kill, a service manager, a CI timeout) unwinds like Ctrl-C: the
    ``finally`` blocks run, so a half-written output's temporary file is removed
    and an open ledger transaction is rolled back.  Exit status 143 (128 + 15)."""
    import signal

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    try:
        signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread (an embedding application)
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
