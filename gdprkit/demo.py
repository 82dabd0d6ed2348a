"""`gdprkit demo`: a complete, realistic example built from scratch.

It creates a folder with its own ledger and passphrase file and plays the
scenarios of DESIGN.md section 1: a new LinkedIn connection adds the user to a
newsletter, forwards one of her private messages to a third party, and names
her as a reference when pitching others.  Every evidence file is generated
here (an .eml newsletter, an .eml forward, a PNG screenshot), stored in the
ledger, and the ledger is verified.  Later steps add letters, the request
lifecycle, a dossier and a mailbox import when those parts are installed.
"""

from __future__ import annotations

import datetime as dt
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
    from .ledger import Ledger

    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise BadInput(f"{folder} already exists and is not empty",
                       hint="remove it or choose another folder with --dir")
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    today = today or dt.date.today()
    result = DemoResult(folder, folder / "ledger.db", folder / "passphrase.txt")

    passphrase = secrets.token_urlsafe(24)
    result.passphrase_file.touch(mode=0o600)
    result.passphrase_file.write_text(passphrase + "\n")
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
        (evidence_dir / name).write_bytes(data)
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

        for step in _extra_steps():
            step(led, result, today=today, say=say, incidents=incidents, contact=contact)

        say("Verifying the ledger ...")
        report = led.verify()
        cp = led.checkpoint()
        (folder / "checkpoint.txt").write_text(cp.note)
        result.add(f"signed checkpoint (tree size {cp.tree_size}); keep a copy elsewhere",
                   str(folder / "checkpoint.txt"))
        result.add(f"verification: OK, {report.entries} entries", "gdprkit verify")
    return result


def _extra_steps() -> list[Callable]:
    """Demo steps of the optional parts (letters, lifecycle, dossier, import)."""
    steps: list[Callable] = []
    try:
        from ._demo_more import STEPS
    except ImportError:
        return steps
    return list(STEPS)
