"""``gdprkit letter`` and ``gdprkit templates``: render GDPR letters from the ledger.

The letter goes to ``-o FILE`` (written atomically) or to stdout; by default it
is then recorded in the ledger as a request, whose id is printed on stdout
when the letter went to a file, on stderr when the letter itself is on stdout.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..model import FORMATS, LANGUAGES, LetterKind
from ._common import EVENT_DATE, App, echo_err, emit_json, json_option

pass_app = click.make_pass_decorator(App)

_BINARY = {"pdf"}


def _format_for(output: str | None, fmt: str | None) -> str:
    """--format, else the -o file name's extension, else txt (no -o, or no extension).

    An extension that is not a format (``-o out.xyz``) is a usage error rather
    than a txt letter in a file that claims to be something else.
    """
    if fmt:
        return fmt
    if output and output != "-":
        suffix = Path(output).suffix.lower().lstrip(".")
        if suffix in FORMATS:
            return suffix
        if suffix:
            raise click.BadParameter(
                f"cannot tell the format from the extension of {output!r}: give --format "
                f"({', '.join(FORMATS)}) or name the file ." + ", .".join(FORMATS),
                param_hint="'-o' / '--output'")
    return "txt"


def _check_selection(kind: str, incident_ids, contact_id, request_id) -> None:
    """Exactly one of --incident/--contact/--request, the one the kind takes (else exit 2)."""
    chosen = [name for name, value in (("--incident", incident_ids), ("--contact", contact_id),
                                        ("--request", request_id)) if value]
    follow_up = kind in (LetterKind.REMINDER.value, LetterKind.COMPLAINT.value)
    if len(chosen) != 1:
        raise click.UsageError(
            "give exactly one of --incident ID (repeatable), --contact ID or --request ID"
            + (f", not {' and '.join(chosen)}" if chosen else "")
            + ("; a reminder or complaint takes --request" if follow_up
               else f"; a {kind} letter takes --incident or --contact"))
    if follow_up and not request_id:
        raise click.UsageError(f"a {kind} follows an earlier request: give --request ID")
    if request_id and not follow_up:
        raise click.UsageError(f"--request is for reminder and complaint letters; give "
                               f"--incident or --contact for a {kind}")


@click.command("letter")
@click.argument("kind", type=click.Choice(LetterKind.values()))
@click.option("--incident", "incident_ids", multiple=True, metavar="ID",
              help="An incident the letter is about (repeatable).")
@click.option("--contact", "contact_id", metavar="ID",
              help="All incidents of this contact.")
@click.option("--request", "request_id", metavar="ID",
              help="The earlier request a reminder or complaint follows.")
@click.option("--lang", type=click.Choice(LANGUAGES),
              help="Letter language. Default: your profile's language.")
@click.option("--format", "fmt", type=click.Choice(FORMATS),
              help="Output format. Default: from the -o file name's extension (.txt .md .html "
              ".eml .pdf; another one is refused), else txt.")
@click.option("-o", "--output", metavar="FILE|-", help="Write the letter here (default: stdout).")
@click.option("--template-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Your templates (see 'gdprkit templates copy'); built-ins fill the gaps.")
@click.option("--sent", type=EVENT_DATE, metavar="DATE",
              help="Date the letter is sent; counts as receipt for the deadline. Default: today.")
@click.option("--no-record", is_flag=True, help="Do not record the letter as a request.")
@click.option("--attach-pdf", is_flag=True, help="eml only: attach the letter as PDF too.")
@click.option("--authority", "authority_code", metavar="CC",
              help="Supervisory authority to name or complain to (default: your country).")
@click.option("--platform", "platform_name", metavar="NAME",
              help="platform-report: the platform to report to (default: the incidents').")
@json_option
@pass_app
def letter(app: App, kind, incident_ids, contact_id, request_id, lang, fmt, output, template_dir,
           sent, no_record, attach_pdf, authority_code, platform_name, as_json):
    """Render a GDPR letter of KIND about logged incidents.

    KIND is objection, erasure, access, restriction, withdraw-consent,
    platform-report, or reminder / complaint (which follow an earlier request
    given with --request).  The deadline is counted from --sent under
    Art. 12(3) GDPR with the recipient's public holidays.

    The letter is written to -o FILE (atomically) or stdout, then recorded in
    the ledger as a request with its SHA-256; the request id is printed on
    stdout (on stderr when the letter itself went to stdout).

    \b
    Examples:
      gdprkit letter objection --contact c1 -o objection.pdf
      gdprkit letter erasure --incident i2 --incident i3 --format eml --attach-pdf -o e.eml
      gdprkit letter reminder --request r1 -o reminder.txt
    """
    from ..errors import BadInput
    from ..letters.from_ledger import letter_from_ledger, record_letter

    _check_selection(kind, incident_ids, contact_id, request_id)
    fmt = _format_for(output, fmt)
    _warn_unusual_sent(sent)
    to_stdout = output in (None, "-")
    if attach_pdf and fmt != "eml":
        raise BadInput("--attach-pdf goes with --format eml")
    if as_json and to_stdout:
        raise BadInput("--json needs -o FILE: the letter itself would be on stdout")
    if to_stdout and fmt in _BINARY and sys.stdout.isatty():
        raise BadInput(f"refusing to write a {fmt.upper()} to the terminal", hint="use -o FILE")

    with app.open_ledger() as led:
        made = letter_from_ledger(
            led, kind, incidents=incident_ids, contact=contact_id, request=request_id,
            lang=lang, fmt=fmt, sent=sent, template_dir=template_dir, attach_pdf=attach_pdf,
            authority=authority_code, platform=platform_name,
        )
        for line in made.left_out:
            echo_err(line)
        rendered = made.rendered
        if to_stdout:
            sys.stdout.flush()
            sys.stdout.buffer.write(rendered.content)
            sys.stdout.buffer.flush()
        else:
            from .._io import write_atomic

            write_atomic(output, rendered.content)

        if no_record:
            if as_json:
                emit_json(_summary(rendered, None, output))
            return
        req = record_letter(led, made, warn=echo_err)
    due = f", due {rendered.due.isoformat()}" if rendered.due else ""
    if as_json:
        emit_json(_summary(rendered, req.id, output))
    elif to_stdout:
        echo_err(f"Recorded as request {req.id}{due}")
    else:
        click.echo(req.id)
        echo_err(f"Wrote {output}; recorded as request {req.id}{due}")


# --sent further from today than this is probably a typing error: said, not refused
SENT_FUTURE_DAYS = 7
SENT_PAST_DAYS = 2 * 365


def _warn_unusual_sent(sent, today=None) -> None:
    """A warning on stderr when --sent is more than a week ahead or two years back."""
    import datetime as _dt

    if sent is None:
        return
    today = today or _dt.date.today()
    ahead = (sent - today).days
    if ahead > SENT_FUTURE_DAYS:
        echo_err(f"Warning: --sent {sent.isoformat()} is {ahead} days in the future; "
                 "the deadline is counted from it")
    elif -ahead > SENT_PAST_DAYS:
        echo_err(f"Warning: --sent {sent.isoformat()} is {-ahead // 365} years in the past; "
                 "the deadline is counted from it")


def _summary(rendered, request_id, output) -> dict:
    return {
        "request": request_id,
        "kind": rendered.kind,
        "lang": rendered.lang,
        "format": rendered.fmt,
        "file": output,
        "sha256": rendered.sha256,
        "subject": rendered.subject,
        "sent": rendered.sent,
        "due": rendered.due,
        "recipient": {
            "name": rendered.recipient.name,
            "org": rendered.recipient.org,
            "email": rendered.recipient.email,
            "country": rendered.recipient.country,
        },
    }


@click.group("templates")
def templates():
    """List the letter templates, or copy them to customise."""


@templates.command("list")
@click.option("--template-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Also show which of your templates replace built-in ones.")
@json_option
def templates_list(template_dir, as_json):
    """Letter kinds x languages available, and where each template comes from."""
    from ..letters import list_templates

    items = list_templates(template_dir)
    if as_json:
        emit_json(items)
        return
    for t in items:
        click.echo(f"{t['kind']:<17} {t['lang']}  {t['source']:<7}  {t['path']}")


@templates.command("copy")
@click.argument("dest", metavar="DIR", type=click.Path(file_okay=False, path_type=Path))
def templates_copy(dest):
    """Copy the built-in templates into DIR to customise them.

    Use the copy with 'gdprkit letter ... --template-dir DIR'.  Existing files
    are never overwritten.
    """
    from ..letters import copy_templates

    written = copy_templates(dest)
    click.echo(str(dest))
    echo_err(f"Copied {len(written)} files; edit them, then use --template-dir {dest}")
