"""``gdprkit due``, ``gdprkit authority``, ``gdprkit platform``: no ledger needed."""

from __future__ import annotations

import click

from ._common import EVENT_DATE, emit_json, json_option


def _country_param(ctx, param, value):
    """An unknown country code is a bad option value: a usage error (exit 2)."""
    if value is None:
        return None
    from ..errors import GdprkitError
    from ..legal.deadlines import normalize_country

    try:
        normalize_country(value)
    except GdprkitError as err:
        raise click.BadParameter(err.message + (f" ({err.hint})" if err.hint else "")) from None
    return value


def _source_line(snapshot_date: str) -> str:
    return f"Source: datenanfragen/data snapshot {snapshot_date} — check before sending"


@click.command("due")
@click.argument("received", metavar="RECEIVED_DATE", type=EVENT_DATE)
@click.option(
    "--country",
    required=True,
    metavar="CC",
    callback=_country_param,
    help="The controller's country: ISO code such as IT, DE, FR, UK, or DE-BY for a region.",
)
@click.option(
    "--subdivision",
    metavar="S",
    help="Region whose public holidays also count (e.g. BY for Bavaria).",
)
@click.option("--extended", is_flag=True, help="The period extended by two months (three in all).")
@json_option
def due(received, country, subdivision, extended, as_json):
    """The Art. 12(3) GDPR deadline for a request received on RECEIVED_DATE.

    One month from the day after receipt (three with --extended), moved to
    the next working day when it ends on a weekend or public holiday of the
    controller's country (Regulation 1182/71).  Prints the date first.
    """
    from ..legal.deadlines import explain_due

    result = explain_due(received, country, subdivision=subdivision, extended=extended)
    if as_json:
        emit_json(result.to_dict())
        return
    where = result.country + (f"-{result.subdivision}" if result.subdivision else "")
    period = "three months" if extended else "one month"
    click.echo(result.due.isoformat())
    click.echo(
        f"Received {result.received.isoformat()}; the period of {period} ends "
        f"{result.nominal_end.isoformat()} (Art. 12(3) GDPR, Regulation 1182/71)."
    )
    if not result.skipped:
        click.echo(f"{result.due.isoformat()} is a working day in {where}.")
    for day, reason in result.skipped:
        click.echo(f"Skipped {day.isoformat()}: {reason} ({where}).")


def _field_lines(record, labels: list[tuple[str, str]]) -> list[str]:
    lines = []
    for attr, label in labels:
        value = getattr(record, attr)
        if value in (None, "", ()):
            continue
        if isinstance(value, tuple):
            value = "; ".join(" ".join(v.split()) for v in value)
        mark = " (your override)" if attr in record.overridden() else ""
        lines.append(f"  {label}: {value}{mark}")
    return lines


def _print_record(record, labels: list[tuple[str, str]], heading: str, extra=(),
                  lead=()) -> None:
    click.echo(heading)
    for line in lead:
        click.echo(line)
    mark = " (your override)" if "address" in record.overridden() else ""
    for i, line in enumerate(record.address):
        click.echo(f"  {line}{mark if i == 0 else ''}")
    for line in [*_field_lines(record, labels), *extra]:
        click.echo(line)
    if record.overridden():
        click.echo(f"  Overridden: {', '.join(record.overridden())} (from {record.override_file})")
    if getattr(record, "eea_entity_of", None):
        click.echo(f"  Source: gdprkit's own record of {record.snapshot_date}, not in the "
                   "datenanfragen/data snapshot — check before sending")
    else:
        click.echo(f"  {_source_line(record.snapshot_date)}")


_AUTHORITY_LABELS = [
    ("email", "Email"),
    ("phone", "Phone"),
    ("fax", "Fax"),
    ("web", "Web"),
    ("webform", "Complaint form"),
    ("complaint_language", "Complaint language"),
    ("suggested_transport", "Suggested transport"),
    ("scope", "Competent for"),
    ("note", "Note"),
    ("comments", "Comments"),
]

_PLATFORM_LABELS = [
    ("email", "Email"),
    ("phone", "Phone"),
    ("fax", "Fax"),
    ("web", "Web"),
    ("webform", "Privacy request form"),
    ("request_language", "Request language"),
    ("suggested_transport", "Suggested transport"),
    ("comments", "Comments"),
]


@click.command("authority")
@click.argument("code", metavar="CC")
@json_option
def authority(code, as_json):
    """The supervisory authority to complain to, for country CC.

    CC is an ISO code (IT, FR, UK, CH ...).  In Germany each Land has its own
    authority: use DE-BY, DE-BE ...; plain DE lists the federal and state
    authorities.  With --json: the authority object (a field-by-field
    ``source`` and ``snapshot_date``), or for DE an object with ``guidance``
    and ``authorities``.
    """
    from ..legal import directory

    records = directory.authority(code)
    guidance = directory.complaint_guidance(code)
    if as_json:
        if guidance is None:
            emit_json(records[0].to_dict())
        else:
            emit_json(
                {
                    "code": "DE",
                    "guidance": guidance,
                    "snapshot_date": directory.metadata()["snapshot_date"],
                    "authorities": [r.to_dict() for r in records],
                }
            )
        return
    if guidance is None:
        record = records[0]
        _print_record(record, _AUTHORITY_LABELS, f"{record.name} [{record.code}]")
        return
    click.echo(guidance)
    click.echo("")
    for record in records:
        contact = record.email or record.web or ""
        click.echo(f"{record.code:<6} {record.name}" + (f" <{contact}>" if contact else ""))
    click.echo("")
    click.echo("Addresses: gdprkit authority DE-XX (for example DE-BY).")
    click.echo(_source_line(records[0].snapshot_date))


@click.command("platform")
@click.argument("name", metavar="NAME")
@click.option("--country", metavar="CC", callback=_country_param,
              help="Your country: in the EEA and Switzerland some platforms have another "
              "controller (Google: Google Ireland Limited).")
@json_option
def platform(name, country, as_json):
    """The controller behind a platform or mailing service (LinkedIn, Meta, Gmail, Brevo ...).

    With --country CC, the controller for users in that country.  Without
    it, the record the name names, with a line saying when users in the EEA
    and Switzerland have another controller.
    """
    from ..legal import directory

    record = directory.platform(name, country=country)
    if as_json:
        emit_json(record.to_dict())
        return
    lead, extra = [], []
    if record.eea_controller:
        eea = directory.platform(record.eea_controller)
        lead.append(f"  Controller for users outside the EEA and Switzerland. In the EEA and "
                    f"Switzerland: {eea.name} (gdprkit platform {name} --country CC)")
    elif record.eea_entity_of:
        other = directory.platform(record.eea_entity_of)
        lead.append(f"  Controller for users in the EEA and Switzerland. Elsewhere: "
                    f"{other.name} [{other.slug}]")
    if record.runs:
        shown = list(record.runs[:8])
        more = len(record.runs) - len(shown)
        extra.append("  Also runs: " + ", ".join(shown) + (f" and {more} more" if more else ""))
    _print_record(record, _PLATFORM_LABELS, f"{record.name} [{record.slug}]", extra, lead)
