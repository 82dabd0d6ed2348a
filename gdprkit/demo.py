"""`gdprkit demo`: a complete, realistic example built from scratch.

It creates a folder with its own ledger and passphrase file and plays the
scenarios of DESIGN.md section 1: a new LinkedIn connection adds the user to a
newsletter, forwards one of her private messages to a third party, and names
her as a reference when pitching others.  Every evidence file is generated
here (an .eml newsletter, an .eml forward, a PNG screenshot) and stored in the
ledger.  Then the user writes letters (an objection in English as PDF, an
erasure request in Italian as e-mail), the objection goes unanswered, so a
reminder and a complaint to the Garante follow; a small mailbox is imported
and classified; the deadlines go to a calendar; an evidence dossier is
exported and checked; and the ledger is verified.  Every file is private
(0600) and dates are relative to ``today``, so the scenario always reads as
recent.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from .errors import BadInput
from .model import EvidenceInput, Profile

REQUESTER = Profile(
    name="Giulia Bianchi",
    email="giulia.bianchi@example.org",
    address="Via Solferino 12\n20121 Milano MI\nItalia",
    country="IT",
    lang="en",
)
CONTACT = {
    "name": "Marco Venditti",
    "email": "marco.venditti@prosperity-circle.example",
    "profile_url": "https://www.linkedin.com/in/marco-venditti-example/",
    "platform": "LinkedIn",
    "org": "Prosperity Circle S.r.l.",
    "org_address": "Corso Vittorio Emanuele II 45\n10125 Torino TO\nItalia",
    "org_email": "privacy@prosperity-circle.example",
    "country": "IT",
}


@dataclass
class DemoResult:
    folder: Path
    ledger: Path
    passphrase_file: Path
    made: list[tuple[str, str]] = field(default_factory=list)  # (what, path or id)

    def add(self, what: str, where: str) -> None:
        self.made.append((what, where))


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=dt.UTC)


def newsletter_eml(when: dt.datetime) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Prosperity Circle <news@prosperity-circle.example>"
    msg["To"] = REQUESTER.email
    msg["Subject"] = "Your first step to financial freedom starts today!"
    msg["Date"] = format_datetime(when)
    msg["Message-ID"] = "<demo-newsletter-1@mail.prosperity-circle.example>"
    msg["List-Id"] = "Prosperity Circle Insiders <insiders.prosperity-circle.example>"
    msg["List-Unsubscribe"] = "<https://prosperity-circle.example/unsubscribe?u=8f2c>"
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg["Precedence"] = "bulk"
    msg["X-Mailer"] = "Mailchimp Mailer - **CID8f2c1a9e4b**"
    msg.set_content(
        "Hi Giulia,\n\nMarco Venditti thought you'd love to join our Insiders circle.\n"
        "Join 500 members who earn passive income with our wellness products.\n\n"
        "You are receiving this email because you were added by Marco Venditti.\n"
        "Unsubscribe: https://prosperity-circle.example/unsubscribe?u=8f2c\n"
    )
    return bytes(msg)


def forwarded_eml(when: dt.datetime, original: dt.datetime) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"{CONTACT['name']} <{CONTACT['email']}>"
    msg["To"] = "Luca Ferri <luca.ferri@recruiting.example>"
    msg["Cc"] = REQUESTER.email
    msg["Subject"] = "Fwd: About my job situation (confidential)"
    msg["Date"] = format_datetime(when)
    msg["Message-ID"] = "<demo-forward-1@prosperity-circle.example>"
    msg.set_content(
        "Luca, see below: she's looking, perfect candidate for our team!\n\n"
        "---------- Forwarded message ---------\n"
        f"From: {REQUESTER.name} <{REQUESTER.email}>\n"
        f"Date: {format_datetime(original)}\n"
        "Subject: About my job situation (confidential)\n"
        f"To: {CONTACT['name']} <{CONTACT['email']}>\n\n"
        "Marco, between us: I may leave my current employer next spring.\n"
        "Please keep this to yourself.\n"
    )
    return bytes(msg)


def screenshot_png(when: dt.datetime) -> bytes:
    """A simple, readable 'screenshot' of a LinkedIn message naming the user."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    fonts = Path(__file__).parent / "letters" / "fonts"
    font = ImageFont.truetype(str(fonts / "DejaVuSans.ttf"), 18)
    bold = ImageFont.truetype(str(fonts / "DejaVuSans-Bold.ttf"), 18)
    img = Image.new("RGB", (900, 360), "white")
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, 900, 56], fill=(10, 102, 194))
    d.text((24, 16), "Messaging", font=bold, fill="white")
    d.text((24, 80), f"{CONTACT['name']}  ·  {when:%d %b %Y %H:%M}", font=bold, fill="black")
    lines = [
        "Hi Paolo, great to connect! Giulia Bianchi (Head of Finance",
        "at her company) is one of our partners and can vouch for the",
        "Prosperity Circle programme. Shall I add you to our group?",
    ]
    for n, line in enumerate(lines):
        d.text((24, 130 + 30 * n), line, font=font, fill=(30, 30, 30))
    d.text((24, 300), "Screenshot received from Paolo Neri, forwarded to Giulia Bianchi",
           font=font, fill=(120, 120, 120))
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=False)
    return buf.getvalue()


def build_demo(folder: str | Path, *, today: dt.date | None = None,
               say: Callable[[str], None] = lambda s: None) -> DemoResult:
    """Build the example in ``folder`` (must not exist or be empty)."""

    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise BadInput(f"{folder} already exists and is not empty",
                       hint="remove it or choose another folder with --dir")
    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        return _build(folder, today or dt.date.today(), say)
    except BaseException:
        # a half-built demo would only confuse: leave the folder as it was
        import shutil

        for child in folder.iterdir() if folder.exists() else ():
            shutil.rmtree(child) if child.is_dir() else child.unlink()
        if created:
            folder.rmdir()
        raise


def _build(folder: Path, today: dt.date, say) -> DemoResult:
    from .ledger import Ledger

    result = DemoResult(folder, folder / "ledger.db", folder / "passphrase.txt")

    passphrase = secrets.token_urlsafe(24)
    _write_private(result.passphrase_file, (passphrase + "\n").encode())
    result.add("passphrase file (keep it secret)", str(result.passphrase_file))

    evidence_dir = folder / "evidence"
    evidence_dir.mkdir(mode=0o700)
    connected = today - dt.timedelta(days=75)
    t_news = _at(connected + dt.timedelta(days=3), 7, 30)
    t_original = _at(connected + dt.timedelta(days=5), 18, 12)
    t_forward = _at(connected + dt.timedelta(days=6), 9, 5)
    t_reference = _at(connected + dt.timedelta(days=9), 15, 40)
    files = {
        "newsletter.eml": newsletter_eml(t_news),
        "forwarded-message.eml": forwarded_eml(t_forward, t_original),
        "reference-screenshot.png": screenshot_png(t_reference),
    }
    for name, data in files.items():
        _write_private(evidence_dir / name, data)
        result.add("evidence file", str(evidence_dir / name))

    say("Creating the encrypted ledger ...")
    with Ledger.create(result.ledger, passphrase.encode(), REQUESTER) as led:
        result.add("encrypted ledger", str(result.ledger))
        contact = led.add_contact(**CONTACT)
        result.add(f"contact {contact.name} (new LinkedIn connection)", contact.id)
        incidents = [
            led.log_incident(
                "mailing-list", contact.id, when=t_news, platform="e-mail",
                note="Three days after we connected on LinkedIn, Marco Venditti subscribed my "
                "address to the 'Prosperity Circle Insiders' newsletter without my consent.",
                action="none",
                evidence=[EvidenceInput(name="newsletter.eml", path=str(evidence_dir / "newsletter.eml"),
                                        source="<demo-newsletter-1@mail.prosperity-circle.example>")]),
            led.log_incident(
                "forwarded", contact.id, when=t_forward, platform="e-mail",
                note="He forwarded my confidential private message about my job situation to "
                "Luca Ferri, a recruiter I do not know.",
                evidence=[EvidenceInput(name="forwarded-message.eml",
                                        path=str(evidence_dir / "forwarded-message.eml"),
                                        source="<demo-forward-1@prosperity-circle.example>")]),
            led.log_incident(
                "endorsement", contact.id, when=t_reference, platform="LinkedIn",
                note="He named me as a partner who 'can vouch for' his MLM programme when "
                "pitching Paolo Neri on LinkedIn.", action="reported",
                evidence=[EvidenceInput(name="reference-screenshot.png",
                                        path=str(evidence_dir / "reference-screenshot.png"),
                                        method="screenshot", source="LinkedIn message to Paolo Neri")]),
        ]
        for inc in incidents:
            result.add(f"incident ({inc.kind}) with {len(inc.evidence)} evidence file", inc.id)

        _letters(led, result, today, say, contact)
        _mailbox(led, result, today, say, connected)
        _calendar(led, result, today)
        _dossier(led, result, say)

        say("Verifying the ledger ...")
        report = led.verify()
        cp = led.checkpoint()
        _write_private(folder / "checkpoint.txt", cp.note.encode())
        result.add(f"signed checkpoint (tree size {cp.tree_size}); keep a copy elsewhere",
                   str(folder / "checkpoint.txt"))
        result.add(f"verification: OK, {report.entries} entries", "gdprkit verify")
    return result


def _letters(led, result: DemoResult, today: dt.date, say, contact) -> None:
    """Objection (en, PDF) unanswered -> reminder (en, txt) -> complaint (it, PDF);
    erasure (it, e-mail with the PDF attached), still within its deadline."""
    from .letters.from_ledger import letter_from_ledger, record_letter

    say("Writing letters ...")
    out = result.folder / "letters"
    out.mkdir(mode=0o700)

    def write(name: str, **kw):
        letter = letter_from_ledger(led, **kw)
        _write_private(out / name, letter.rendered.content)
        req = record_letter(led, letter)
        due = f", due {req.due.isoformat()}" if req.due else ""
        result.add(f"{letter.kind} letter ({letter.rendered.lang}, {letter.fmt}){due}",
                   f"{out / name} = request {req.id}")
        return req

    objection = write("objection-en.pdf", kind="objection", contact=contact.id, lang="en",
                      fmt="pdf", sent=today - dt.timedelta(days=60))
    write("erasure-it.eml", kind="erasure", contact=contact.id, lang="it", fmt="eml",
          attach_pdf=True, sent=today - dt.timedelta(days=5),
          now=_at(today - dt.timedelta(days=5), 9))
    write("reminder-en.txt", kind="reminder", request=objection.id, lang="en", fmt="txt",
          sent=today - dt.timedelta(days=20))
    write("complaint-it.pdf", kind="complaint", request=objection.id, lang="it", fmt="pdf",
          sent=today)


def mailbox_messages(connected: dt.date) -> list[bytes]:
    """A small mailbox: a newsletter and a forward from a second connection, a
    friend's ordinary message, and the newsletter already in the ledger."""
    sofia = "Sofia Conti <sofia.conti@wellbeing-daily.example>"
    news = EmailMessage()
    news["From"] = f"Wellbeing Daily <{'news@wellbeing-daily.example'}>"
    news["Reply-To"] = sofia
    news["To"] = REQUESTER.email
    news["Subject"] = "La tua dose settimanale di benessere"
    news["Date"] = format_datetime(_at(connected + dt.timedelta(days=12), 6, 45))
    news["Message-ID"] = "<demo-brevo-1@wellbeing-daily.example>"
    news["List-Unsubscribe"] = "<mailto:unsubscribe@wellbeing-daily.example?subject=u-77>"
    news["X-Mailer"] = "Sendinblue"
    news["X-Sib-Id"] = "demo-77"
    news.set_content("Ciao Giulia,\n\nSofia ti ha iscritta alla nostra newsletter.\n\n"
                     "Se non desideri più ricevere queste email, clicca qui per annullare "
                     "l'iscrizione: https://wellbeing-daily.example/u/77\n")
    fwd = EmailMessage()
    fwd["From"] = sofia
    fwd["To"] = "Team Vendite <sales@wellbeing-daily.example>"
    fwd["Cc"] = REQUESTER.email
    fwd["Subject"] = "I: Domanda sul vostro prodotto"
    fwd["Date"] = format_datetime(_at(connected + dt.timedelta(days=14), 11, 20))
    fwd["Message-ID"] = "<demo-fwd-2@wellbeing-daily.example>"
    fwd.set_content(
        "Contattatela voi, è interessata!\n\n"
        "-------- Messaggio originale --------\n"
        f"Da: {REQUESTER.name} <{REQUESTER.email}>\n"
        "Oggetto: Domanda sul vostro prodotto\n"
        f"A: {sofia}\n\n"
        "Sofia, ti scrivo in privato: il prodotto non mi interessa, grazie.\n")
    friend = EmailMessage()
    friend["From"] = "Anna Rossi <anna.rossi@example.net>"
    friend["To"] = REQUESTER.email
    friend["Subject"] = "Cena sabato?"
    friend["Date"] = format_datetime(_at(connected + dt.timedelta(days=15), 19, 2))
    friend["Message-ID"] = "<demo-friend-1@example.net>"
    friend.set_content("Ciao Giulia, ci vediamo sabato alle 20? Porto il dolce.\nAnna\n")
    return [bytes(news), bytes(fwd), bytes(friend),
            newsletter_eml(_at(connected + dt.timedelta(days=3), 7, 30))]


def _mailbox(led, result: DemoResult, today: dt.date, say, connected: dt.date) -> None:
    from .importers import ClassifyOptions, Importer, iter_mbox_file

    say("Importing a small mailbox ...")
    path = result.folder / "mailbox.mbox"
    lines = []
    for raw in mailbox_messages(connected):
        lines.append(b"From demo@example Thu Jan  1 00:00:00 2026\n")
        body = raw.replace(b"\r\n", b"\n")
        body = b"\n".join(b">" + ln if ln.startswith(b"From ") else ln
                          for ln in body.split(b"\n"))
        lines.append(body.rstrip(b"\n") + b"\n\n")
    _write_private(path, b"".join(lines))
    options = ClassifyOptions.build([REQUESTER.email], [REQUESTER.name])
    importer = Importer(led, options=options)
    items = list(importer.run(iter_mbox_file(path)))
    counts = importer.summary()
    summary = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
    result.add(f"mailbox of {len(items)} messages imported: {summary}", str(path))
    for item in items:
        if item.status == "stored":
            result.add(f"  imported incident ({item.kind}, confidence {item.confidence:.2f})",
                       item.incident)


def _calendar(led, result: DemoResult, today: dt.date) -> None:
    from .legal.calendar import write_calendar

    path = result.folder / "deadlines.ics"
    count = write_calendar(path, led.requests(), today, fallback_country=REQUESTER.country,
                           ledger_id=led.ledger_id)
    os.chmod(path, 0o600)
    result.add(f"calendar of {count} open request deadline(s)", str(path))


def _dossier(led, result: DemoResult, say) -> None:
    from .dossier import Scope, export_dossier, verify_dossier

    say("Exporting the evidence dossier (PDF/A-3b) ...")
    path = result.folder / "dossier.pdf"
    made = export_dossier(led, path, scope=Scope(), lang="en")
    report = verify_dossier(path, ledger=led)
    ok = "verified" if report.ok else "NOT verified"
    result.add(f"evidence dossier: {made.pages} pages, {made.attachments} embedded files, {ok}",
               str(path))
