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
from ._common import ISO_DATE, App, echo_err, emit_json, json_option

pass_app = click.make_pass_decorator(App)

_BINARY = {"pdf"}


def _format_for(output: str | None, fmt: str | None) -> str:
    if fmt:
        return fmt
    if output and output != "-":
        suffix = Path(output).suffix.lower().lstrip(".")
        if suffix in FORMATS:
            return suffix
    return "txt"


def _load(led, kind, incident_ids, contact_id, request_id):
    """(incidents, contact, request) for the selection given on the command line."""
    from ..errors import BadInput

    chosen = [name for name, value in (("--incident", incident_ids), ("--contact", contact_id),
                                        ("--request", request_id)) if value]
    if len(chosen) != 1:
        raise BadInput(
            "give exactly one of --incident ID (repeatable), --contact ID or --request ID",
            hint="reminder and complaint take --request; the other letters --incident or "
            "--contact",
        )
    follow_up = kind in (LetterKind.REMINDER.value, LetterKind.COMPLAINT.value)
    if follow_up and not request_id:
        raise BadInput(f"a {kind} follows an earlier request: give --request ID")
    if request_id and not follow_up:
        raise BadInput(
            f"--request is for reminder and complaint letters; give --incident or --contact "
            f"for a {kind}"
        )
    request = led.request(request_id) if request_id else None
    if request is not None:
        incidents = [led.incident(i) for i in request.incidents]
        contact = led.contact(request.contact) if request.contact else None
        return incidents, contact, request
    if contact_id:
        contact = led.contact(contact_id)
        return _fitting(kind, led.incidents(contact=contact.id)), contact, None
    incidents = [led.incident(i) for i in dict.fromkeys(incident_ids)]
    owners = {i.contact for i in incidents}
    if len(owners) > 1:
        raise BadInput(
            "the incidents belong to different contacts ("
            + ", ".join(sorted(owners)) + "): one letter goes to one contact"
        )
    return incidents, led.contact(owners.pop()), None


def _fitting(kind: str, incidents: list) -> list:
    """A contact's incidents that the letter fits; the others are named on stderr.

    (With --incident the user chose each incident, and a misfit is an error.)
    """
    from ..legal import bases

    kept = [i for i in incidents if i.shredded is False and bases.fits(kind, i.kind)]
    if not kept and incidents:
        bases.check_fit(kind, incidents[0].kind, incident_id=incidents[0].id)
    for inc in incidents:
        if inc not in kept:
            why = "shredded" if inc.shredded else bases.refusal(kind, inc.kind)
            echo_err(f"Left out {inc.id} ({inc.kind}): {why}")
    return kept


def _authority(profile, code: str | None, *, required: bool):
    """The supervisory authority to name (or to address, for a complaint)."""
    from ..errors import BadInput, GdprkitError
    from ..legal import directory

    code = code or (profile.country if profile else None)
    if not code:
        if required:
            raise BadInput("a complaint goes to the authority of your country, which is not set",
                           hint="use --authority CC, or 'gdprkit profile set --country CC'")
        return None
    try:
        return directory.authority_for_complaint(code)
    except GdprkitError:
        if required:
            raise
        return None  # the letter then names "the competent supervisory authority"


def _platform_recipient(incidents, contact, name: str | None):
    from ..errors import BadInput
    from ..legal import directory
    from ..letters import recipient_from_directory

    name = name or next((i.platform for i in incidents if i.platform), None) or (
        contact.platform if contact else None)
    if not name:
        raise BadInput("which platform should receive the report? none is recorded",
                       hint="use --platform NAME, e.g. --platform linkedin")
    return recipient_from_directory(directory.platform(name))


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
              help="Output format. Default: from the -o file name, else txt.")
@click.option("-o", "--output", metavar="FILE|-", help="Write the letter here (default: stdout).")
@click.option("--template-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Your templates (see 'gdprkit templates copy'); built-ins fill the gaps.")
@click.option("--sent", type=ISO_DATE, metavar="DATE",
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
    import datetime as _dt

    from ..errors import BadInput
    from ..letters import recipient_from_contact, recipient_from_request, render_letter

    fmt = _format_for(output, fmt)
    to_stdout = output in (None, "-")
    if attach_pdf and fmt != "eml":
        raise BadInput("--attach-pdf goes with --format eml")
    if as_json and to_stdout:
        raise BadInput("--json needs -o FILE: the letter itself would be on stdout")
    if to_stdout and fmt in _BINARY and sys.stdout.isatty():
        raise BadInput(f"refusing to write a {fmt.upper()} to the terminal", hint="use -o FILE")
    sent = sent or _dt.date.today()

    with app.open_ledger() as led:
        profile = led.profile()
        if profile is None or not profile.name:
            raise BadInput("your profile has no name", hint="set it with 'gdprkit profile set'")
        incidents, contact, request = _load(led, kind, incident_ids, contact_id, request_id)
        is_complaint = kind == LetterKind.COMPLAINT.value
        authority = _authority(profile, authority_code, required=is_complaint)
        if is_complaint:
            from ..letters import recipient_from_directory

            recipient = recipient_from_directory(authority)
        elif kind == LetterKind.PLATFORM_REPORT.value:
            recipient = _platform_recipient(incidents, contact, platform_name)
        elif kind == LetterKind.REMINDER.value:
            recipient = recipient_from_request(request)
        else:
            if contact is None:
                raise BadInput("no contact to write to")
            recipient = recipient_from_contact(contact)
        rendered = render_letter(
            kind,
            lang=lang or profile.lang or "en",
            fmt=fmt,
            requester=profile,
            recipient=recipient,
            incidents=incidents,
            contact=contact,
            sent=sent,
            checkpoint=led.checkpoint(),
            request=request,
            template_dir=template_dir,
            authority=authority,
            attach_pdf=attach_pdf,
        )

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
        req = led.add_request(
            kind=kind,
            lang=rendered.lang,
            format=fmt,
            recipient_name=recipient.name,
            recipient_email=recipient.email,
            recipient_address=recipient.address,
            recipient_country=recipient.country,
            contact=contact.id if contact else None,
            incidents=tuple(i.id for i in incidents),
            sent=sent,
            due=rendered.due,
            sha256=rendered.sha256,
            related_request=request.id if request else None,
        )
    due = f", due {rendered.due.isoformat()}" if rendered.due else ""
    if as_json:
        emit_json(_summary(rendered, req.id, output))
    elif to_stdout:
        echo_err(f"Recorded as request {req.id}{due}")
    else:
        click.echo(req.id)
        echo_err(f"Wrote {output}; recorded as request {req.id}{due}")


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
