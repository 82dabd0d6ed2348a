"""Ledger commands: init, profile, contact, log, incidents, show, evidence,
verify, checkpoint, shred, passwd.  Each parses, calls the library, prints."""

from __future__ import annotations

import sys
from dataclasses import asdict

import click

from ..model import Action, IncidentKind
from ._common import ISO_DATE, ISO_DATETIME, App, InputFile, echo_err, emit_json, json_option

pass_app = click.make_pass_decorator(App)


def _profile_options(f):
    for opt in reversed([
        click.option("--name", help="Your full name, as it should appear on letters."),
        click.option("--email", help="Your e-mail address (sender of e-mailed letters)."),
        click.option("--address", help="Your postal address; use \\n or repeat lines with newlines."),
        click.option("--country", metavar="CC",
                     help="Your country of residence (ISO code, e.g. IT, DE-BY); it picks the "
                     "supervisory authority, so an EEA country, GB or CH."),
        click.option("--subdivision", metavar="S",
                     help="Your region, where a country has one authority per region: the Land "
                     "for Germany (BY, BE, NW ...). Same as --country DE-BY."),
        click.option("--lang", type=click.Choice(["en", "it", "de", "fr", "es"]),
                     help="Default language of your letters."),
    ]):
        f = opt(f)
    return f


def _unescape(text: str | None) -> str | None:
    return text.replace("\\n", "\n") if text is not None else None


def _checked(check, value, option: str):
    """``check(value)``, a bad value being a usage error naming the option (exit 2)."""
    from ..errors import BadInput

    try:
        return check(value)
    except BadInput as err:
        raise click.BadParameter(str(err), param_hint=option) from None


def _country(country: str | None, subdivision: str | None, *, requester: bool,
             current: str | None = None) -> str | None:
    """The country code to store (``IT``, ``GB`` for UK, ``DE-BY``), or a usage error."""
    from .._validate import check_country

    if subdivision and not country:
        if not current:
            raise click.BadParameter("a subdivision needs a country: give --country too",
                                     param_hint="'--subdivision'")
        country = current.split("-")[0]  # the Land of the country already set
    hint = "'--country' / '--subdivision'" if subdivision else "'--country'"
    return _checked(lambda v: check_country(v, subdivision=subdivision, requester=requester),
                    country, hint)


def _email(value: str | None, option: str) -> str | None:
    from .._validate import check_email

    return _checked(check_email, value, option)


def _warn_land(country: str | None) -> None:
    from .._validate import LAND_HINT, needs_land

    if needs_land(country):
        echo_err(f"Warning: {LAND_HINT}; letters ask for it until it is set.")


# --------------------------------------------------------------------------- init
@click.command()
@_profile_options
@click.option("--kdf-memory-mib", type=click.IntRange(19, 4096), default=64, show_default=True,
              help="Argon2id memory for the passphrase key (19 MiB minimum).")
@click.option("--kdf-iterations", type=click.IntRange(2, 64), default=3, show_default=True,
              help="Argon2id passes.")
@json_option
@pass_app
def init(app: App, name, email, address, country, subdivision, lang, kdf_memory_mib,
         kdf_iterations, as_json):
    """Create a new encrypted ledger and store your profile in it.

    Refuses to overwrite an existing file.  Prints the new ledger's id.

    \b
    Example:
      gdprkit --ledger ~/gdpr.db init --name "Ada Rossi" --email ada@example.org --country IT
    """
    from ..ledger import KdfParams, Ledger
    from ..model import Profile

    country = _country(country, subdivision, requester=True)
    email = _email(email, "'--email'")
    path = app.resolve_ledger_path()
    if not app.ledger_path and not _env("GDPRKIT_LEDGER"):
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if path.exists():
        from ..errors import LedgerError

        raise LedgerError(f"{path} already exists; refusing to overwrite it")
    passphrase = app.passphrase(confirm=True, prompt="New ledger passphrase")
    profile = None
    if any(v is not None for v in (name, email, address, country, lang)):
        profile = Profile(name=name or "", email=email, address=_unescape(address),
                          country=country, lang=lang or "en")
    kdf = KdfParams(memory_kib=kdf_memory_mib * 1024, iterations=kdf_iterations,
                    lanes=4 if kdf_memory_mib >= 32 else 1)
    with Ledger.create(path, passphrase, profile, kdf=kdf) as led:
        _warn_land(country)
        if as_json:
            emit_json({"ledger_id": led.ledger_id, "path": str(path), "origin": led.origin,
                       "verifier_key": led.verifier_key()})
        else:
            click.echo(led.ledger_id)
            echo_err(f"Created ledger {path}")


def _env(name: str) -> str | None:
    import os

    return os.environ.get(name)


# ------------------------------------------------------------------------ profile
@click.group()
def profile():
    """Show or change your (the requester's) profile."""


@profile.command("show")
@json_option
@pass_app
def profile_show(app: App, as_json):
    """Show your profile."""
    with app.open_ledger() as led:
        prof = led.profile()
    data = asdict(prof) if prof else None
    if as_json:
        emit_json(data)
    elif data is None:
        echo_err("No profile yet; set one with 'gdprkit profile set --name ...'.")
    else:
        for key, value in data.items():
            text = str(value) if value is not None else ""
            click.echo(f"{key:8} " + text.replace("\n", "\n" + " " * 9))


@profile.command("set")
@_profile_options
@json_option
@pass_app
def profile_set(app: App, name, email, address, country, subdivision, lang, as_json):
    """Change fields of your profile (the others keep their value)."""
    from dataclasses import replace

    from ..errors import BadInput
    from ..model import Profile

    email = _email(email, "'--email'")
    if country is not None:
        country = _country(country, subdivision, requester=True)
    changes = {k: v for k, v in dict(name=name, email=email, address=_unescape(address),
                                     country=country, lang=lang).items() if v is not None}
    if not changes and subdivision is None:
        raise BadInput("nothing to change", hint="give at least one of --name --email --address "
                       "--country --subdivision --lang")
    with app.open_ledger() as led:
        current = led.profile() or Profile(name="")
        if subdivision is not None and country is None:  # the region of the country set
            changes["country"] = _country(None, subdivision, requester=True,
                                          current=current.country)
        new = replace(current, **changes)
        led.set_profile(new)
    if "country" in changes:
        _warn_land(new.country)
    if as_json:
        emit_json(asdict(new))


# ------------------------------------------------------------------------ contact
@click.group()
def contact():
    """Add, list and show contacts (the people misusing your data)."""


@contact.command("add")
@click.argument("name")
@click.option("--email", help="The contact's e-mail address.")
@click.option("--profile-url", help="Their profile URL (LinkedIn etc.).")
@click.option("--platform", help="Where you are connected (e.g. LinkedIn).")
@click.option("--org", help="The organisation they act for.")
@click.option("--org-address", help="The organisation's postal address (\\n for new lines).")
@click.option("--org-email", help="The organisation's e-mail address (e.g. its privacy contact).")
@click.option("--country", metavar="CC", help="Country where the contact or organisation is "
              "established: any ISO code (US, CH ...), or a region such as DE-BY. It sets the "
              "public holidays of the deadline.")
@json_option
@pass_app
def contact_add(app: App, name, email, profile_url, platform, org, org_address, org_email,
                country, as_json):
    """Add a contact; prints its id (c1, c2, ...)."""
    email = _email(email, "'--email'")
    org_email = _email(org_email, "'--org-email'")
    country = _country(country, None, requester=False)
    with app.open_ledger() as led:
        c = led.add_contact(name, email=email, profile_url=profile_url, platform=platform,
                            org=org, org_address=_unescape(org_address), org_email=org_email,
                            country=country)
    if as_json:
        emit_json(asdict(c))
    else:
        click.echo(c.id)


@contact.command("list")
@json_option
@pass_app
def contact_list(app: App, as_json):
    """List contacts."""
    with app.open_ledger() as led:
        items = led.contacts()
    if as_json:
        emit_json([asdict(c) for c in items])
        return
    for c in items:
        extra = " ".join(x for x in (c.email or "", f"({c.org})" if c.org else "") if x)
        click.echo(f"{c.id:5} {c.name}  {extra}".rstrip())


@contact.command("show")
@click.argument("contact_id", metavar="ID")
@json_option
@pass_app
def contact_show(app: App, contact_id, as_json):
    """Show one contact."""
    with app.open_ledger() as led:
        c = led.contact(contact_id)
    _print_obj(asdict(c), as_json)


# ---------------------------------------------------------------------------- log
@click.command("log")
@click.argument("kind", type=click.Choice(IncidentKind.values()))
@click.option("--contact", "contact_id", required=True, metavar="ID", help="The contact (c1 ...).")
@click.option("--when", type=ISO_DATETIME, help="When it happened (ISO date or date-time). Default: now.")
@click.option("--platform", help="Where it happened (LinkedIn, e-mail, WhatsApp ...).")
@click.option("--note", help="What happened. Visible in the process list: prefer --note-file for sensitive text.")
@click.option("--note-file", type=InputFile(stream=True), help="Read the note from a UTF-8 text file ('-' for stdin).")
@click.option("--evidence", "evidence", multiple=True, type=click.Path(dir_okay=False),
              help="An evidence file (repeatable): screenshot, saved e-mail, export.")
@click.option("--method", type=click.Choice(["file", "screenshot"]), default="file", show_default=True,
              help="How the evidence files were acquired.")
@click.option("--source", help="Where the evidence came from (e.g. a Message-ID or URL).")
@click.option("--action", type=click.Choice(Action.values()), default="none", show_default=True,
              help="What you did on the platform.")
@json_option
@pass_app
def log(app: App, kind, contact_id, when, platform, note, note_file, evidence, method, source,
        action, as_json):
    """Record an incident with its evidence files; prints its id (i1, ...).

    \b
    KIND is one of: mailing-list, forwarded, endorsement, direct-pitch,
    unsolicited-message, introduction-request, discussion-list, group-phishing, other.

    \b
    Example:
      gdprkit log mailing-list --contact c1 --when 2026-03-02 \\
          --platform e-mail --note-file note.txt --evidence newsletter.eml
    """
    from ..errors import BadInput
    from ..model import EvidenceInput

    if note is not None and note_file is not None:
        raise BadInput("give either --note or --note-file, not both")
    if note_file is not None:
        note = _read_note(note_file)
    items = [EvidenceInput(name=_basename(p), path=p, method=method, source=source)
             for p in evidence]
    with app.open_ledger() as led:
        inc = led.log_incident(kind, contact_id, when=when, platform=platform, note=note,
                               action=action, evidence=items)
    if as_json:
        emit_json(_incident_dict(inc))
    else:
        click.echo(inc.id)


def _read_note(stream) -> str:
    """A note file's text: UTF-8 (an error names the file and the byte offset),
    line endings as in text mode (CRLF and CR become LF), without the file's
    final newline, which ends the file rather than the note, and without a UTF-8
    byte-order mark (Windows Notepad writes one)."""
    from ..errors import BadInput

    raw = stream.read()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        name = getattr(stream, "name", "-")
        name = "stdin" if name in ("-", "<stdin>") or not isinstance(name, str) else repr(name)
        raise BadInput(
            f"the note file {name} is not UTF-8 text: byte 0x{raw[err.start]:02x} at offset "
            f"{err.start} ({err.reason})",
            hint="save the note as UTF-8") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text[:-1] if text.endswith("\n") else text


def _basename(path: str) -> str:
    import os

    return os.path.basename(path)


def _incident_dict(inc) -> dict:
    """``when`` in UTC, ``utc_offset`` it was given in, ``date`` there (see Incident.to_dict)."""
    d = inc.to_dict()
    d["evidence"] = [_evidence_dict(e) for e in inc.evidence]
    return d


def _evidence_dict(ev) -> dict:
    d = asdict(ev)
    return d


# ---------------------------------------------------------------------- incidents
@click.command()
@click.option("--contact", "contact_id", metavar="ID", help="Only this contact's incidents.")
@click.option("--kind", type=click.Choice(IncidentKind.values()), help="Only this kind.")
@click.option("--since", type=ISO_DATE, help="Only incidents on or after this date.")
@json_option
@pass_app
def incidents(app: App, contact_id, kind, since, as_json):
    """List incidents (with their evidence)."""
    with app.open_ledger() as led:
        items = led.incidents(contact=contact_id, kind=kind, since=since)
    if as_json:
        emit_json([_incident_dict(i) for i in items])
        return
    for inc in items:
        if inc.shredded:
            click.echo(f"{inc.id:5} [shredded: {inc.shred_reason}]")
            continue
        note = (inc.note or "").splitlines()[0][:60] if inc.note else ""
        click.echo(f"{inc.id:5} {inc.date} {inc.kind:20} {inc.contact:5} "
                   f"{inc.platform or '-':10} {len(inc.evidence)} file(s)  {note}")


# --------------------------------------------------------------------------- show
@click.command()
@click.argument("any_id", metavar="ID")
@json_option
@pass_app
def show(app: App, any_id, as_json):
    """Show one contact (c1), incident (i1), evidence item (e1) or request (r1)."""
    from ..model import Incident

    with app.open_ledger() as led:
        obj = led.get(any_id)
    data = _incident_dict(obj) if isinstance(obj, Incident) else asdict(obj)
    _print_obj(data, as_json)


def _print_obj(data: dict, as_json: bool) -> None:
    if as_json:
        emit_json(data)
        return
    for key, value in data.items():
        if isinstance(value, list | tuple):
            click.echo(f"{key}:")
            for item in value:
                if isinstance(item, dict):
                    click.echo("  - " + ", ".join(f"{k}={v}" for k, v in item.items()
                                                 if v not in (None, "", False)))
                else:
                    click.echo(f"  - {item}")
        elif value not in (None, "", False):
            text = str(value)
            if "\n" in text:
                click.echo(f"{key}:")
                for line in text.splitlines():
                    click.echo(f"  {line}")
            else:
                click.echo(f"{key}: {text}")


# ----------------------------------------------------------------------- evidence
@click.group()
def evidence():
    """Get evidence files back out of the ledger."""


@evidence.command("get")
@click.argument("evidence_id", metavar="ID")
@click.option("-o", "--output", required=True, metavar="FILE",
              help="Where to write the original bytes ('-' for stdout).")
@pass_app
def evidence_get(app: App, evidence_id, output):
    """Decrypt an evidence item to FILE, byte-identical to the original.

    The SHA-256 is checked while decrypting; on a mismatch nothing is written.
    """
    from .._io import atomic_output

    with app.open_ledger() as led:
        if output == "-":
            import io

            buf = io.BytesIO()
            led.read_evidence(evidence_id, buf)
            sys.stdout.buffer.write(buf.getvalue())
            sys.stdout.flush()
            return
        with atomic_output(output) as fh:
            led.read_evidence(evidence_id, fh)
        ev = led.evidence(evidence_id)
    echo_err(f"Wrote {output} ({ev.size} bytes, sha256 {ev.sha256})")


# ------------------------------------------------------------------------- verify
@click.command()
@click.option("--against", type=click.Path(dir_okay=False), metavar="CHECKPOINT_FILE",
              help="A checkpoint kept outside the ledger: prove no entry was removed since.")
@json_option
@pass_app
def verify(app: App, against, as_json):
    """Check the whole ledger: integrity, hashes, decryption, checkpoints.

    Exit code 3 and the entry named when anything was altered, removed or
    rolled back.
    """
    from ..errors import TamperDetected
    from ..ledger._verify import describe

    note = None
    if against:
        note = _read_text(against)
    with app.open_ledger() as led:
        try:
            report = led.verify(against=note)
        except TamperDetected as err:
            report = getattr(err, "report", None)
            if as_json and report is not None:
                emit_json(report.to_dict())
                raise SystemExit(err.exit_code) from None
            if report is not None:
                for p in report.problems[1:]:
                    echo_err(f"  also: {describe(p)}")
            raise
    if as_json:
        emit_json(report.to_dict())
    else:
        click.echo(f"OK: {report.entries} entries, {report.checkpoints} signed checkpoints, "
                   f"{report.shredded} shredded; root {report.root_hash[:16]}…"
                   + (f"; consistent with the kept checkpoint of size {report.against['tree_size']}"
                      if report.against else ""))


def _read_text(path: str) -> str:
    from ..errors import BadInput

    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read(1 << 20)
    except (OSError, UnicodeDecodeError) as err:
        raise BadInput(f"cannot read checkpoint file {path!r}: {err}") from None


# --------------------------------------------------------------------- checkpoint
@click.command()
@click.option("-o", "--output", metavar="FILE", help="Write the signed checkpoint to FILE.")
@json_option
@pass_app
def checkpoint(app: App, output, as_json):
    """Print the newest signed checkpoint (a C2SP signed note).

    Keep it outside the ledger (print it, mail it to yourself): later,
    'gdprkit verify --against FILE' proves that no entry was removed or
    altered since.
    """
    from .._io import write_atomic

    with app.open_ledger() as led:
        cp = led.checkpoint()
        vkey = led.verifier_key()
    if output:
        write_atomic(output, cp.note.encode("utf-8"), mode=0o644)
    if as_json:
        emit_json({"origin": cp.origin, "tree_size": cp.tree_size, "root_hash": cp.root_hex,
                   "note": cp.note, "verifier_key": vkey})
    elif not output:
        click.echo(cp.note, nl=False)
    else:
        echo_err(f"Wrote checkpoint of tree size {cp.tree_size} to {output}")


# -------------------------------------------------------------------------- shred
@click.command()
@click.argument("any_id", metavar="ID")
@click.option("--reason", required=True, help="Why (e.g. 'erasure request of the contact, Art. 17').")
@click.option("--with-incidents", is_flag=True,
              help="With a contact id: also shred the contact's incidents and their evidence.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation on a terminal.")
@json_option
@pass_app
def shred(app: App, any_id, reason, with_incidents, yes, as_json):
    """Crypto-erase an entry's content; the log stays verifiable.

    An incident id shreds the incident and its evidence; a request id the
    request, its recipient and its events.  A contact id shreds the contact's
    personal fields and every copy of them in other entries: the recipient of
    each letter addressed to them (the requests keep kind, dates, deadline and
    events).  The contact's incidents and evidence are your record of what
    they did and stay, unless --with-incidents.  This cannot be undone.
    """
    from ..model import Contact

    with app.open_ledger() as led:
        obj = led.get(any_id)
        is_contact = isinstance(obj, Contact)
        copies = led.recipient_copies(any_id) if is_contact else []
        naming = led.naming(any_id) if is_contact else []
        if not yes and sys.stdin.isatty():
            extra = f" and the recipient of {', '.join(copies)}" if copies else ""
            if with_incidents:
                extra += " and their incidents with the evidence"
            click.confirm(f"Irreversibly destroy the content of {any_id}{extra}?", abort=True,
                          err=True)
        ids = led.shred(any_id, reason, with_incidents=with_incidents)
        kept = [i.id for i in led.incidents(contact=any_id) if not i.shredded] \
            if is_contact else []
    still = [i for i in naming if i not in ids]
    if as_json:
        data = {"shredded": ids, "reason": reason}
        if is_contact:
            data.update(recipients_of=copies, kept_incidents=kept, still_naming=still)
        emit_json(data)
        return
    if ids:
        click.echo(" ".join(ids))
    if copies:
        echo_err(f"Also erased the recipient of {', '.join(copies)} (letters addressed to "
                 f"{any_id}); the requests keep their dates and events.")
    if kept:
        echo_err(f"Kept {', '.join(kept)} with their evidence: your record of what {any_id} did. "
                 + (f"{', '.join(still)} still name{'s' if len(still) == 1 else ''} {any_id} "
                    "in a note, file name or source. " if still else "")
                 + "Evidence files (e-mails, screenshots) usually name them too. To erase these "
                 f"as well: gdprkit shred {any_id} --with-incidents --reason ...")


# ------------------------------------------------------------------------- passwd
@click.command()
@click.option("--new-passphrase-file", metavar="PATH",
              help="Read the new passphrase from this file. Default: prompt on a terminal.")
@pass_app
def passwd(app: App, new_passphrase_file):
    """Change the ledger passphrase; only the key wrapping is rewritten."""
    from ._common import read_passphrase

    with app.open_ledger() as led:
        new = read_passphrase(new_passphrase_file, confirm=True, prompt="New passphrase",
                              env_prefix="GDPRKIT_NEW_PASSPHRASE")
        led.change_passphrase(new)
    echo_err("Passphrase changed.")
