"""Letters: golden files, every kind against every incident, deadlines, follow-ups.

Golden files (tests/golden/en/<kind>.txt|md|html) are the product: read them.
Regenerate after an intended wording change with::

    GDPRKIT_UPDATE_GOLDEN=1 pytest tests/test_letters.py -k golden
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gdprkit.errors import BadInput, NotFound
from gdprkit.legal import bases
from gdprkit.letters import (
    Recipient,
    recipient_from_contact,
    recipient_from_directory,
    render_letter,
)
from gdprkit.model import IncidentKind, LetterKind, RequestEvent

from .letters_scenario import (
    CHECKPOINT,
    CONTACT,
    GARANTE,
    INCIDENTS,
    OBJECTION_REQUEST,
    REQUESTER,
    SENT,
    golden_cases,
)

GOLDEN_ROOT = Path(__file__).parent / "golden"
GOLDEN = GOLDEN_ROOT / "en"
REPO_TEMPLATES = Path(__file__).parent.parent / "templates"
UPDATE = os.environ.get("GDPRKIT_UPDATE_GOLDEN") == "1"
TEXT_FORMATS = ("txt", "md", "html")
# every language with a template folder has golden files
GOLDEN_LANGS = sorted(p.name for p in REPO_TEMPLATES.iterdir() if p.is_dir())


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
@pytest.mark.parametrize("kind", LetterKind.values())
@pytest.mark.parametrize("lang", GOLDEN_LANGS)
def test_golden(lang, kind, fmt):
    letter = render_letter(kind, fmt=fmt, lang=lang, **golden_cases()[kind])
    path = GOLDEN_ROOT / lang / f"{kind}.{fmt}"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(letter.content)
    assert path.exists(), f"missing golden file {path}; run with GDPRKIT_UPDATE_GOLDEN=1"
    assert letter.content.decode("utf-8") == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", GOLDEN_LANGS)
def test_golden_files_cover_every_kind(lang):
    names = {p.name for p in (GOLDEN_ROOT / lang).iterdir()}
    assert names == {f"{k}.{f}" for k in LetterKind.values() for f in TEXT_FORMATS}


@pytest.mark.parametrize("kind", LetterKind.values())
def test_every_letter_states_what_the_brief_requires(kind):
    case = golden_cases()[kind]
    letter = render_letter(kind, **case)
    text = letter.content.decode()
    flat = " ".join(text.split())
    # requester and recipient blocks, place and date
    assert "Giulia Bianchi\nVia Solferino 12\n20121 Milano MI" in text
    assert case["recipient"].name in text
    assert f"Milano, {case['sent'].day} " in text
    assert f"Subject: {letter.subject}" in flat
    # checkpoint: tree size and root hash prefix
    assert "27 entries" in flat and CHECKPOINT.root_hash.hex()[:16] in flat
    # evidence names with short fingerprints (reminder refers to the letter instead);
    # the complaint, filed as is, gives the whole SHA-256 (issue 5)
    if kind == "complaint":
        for inc in case["incidents"]:
            for ev in inc.evidence:
                assert f"{ev.name} (" in flat and f"SHA-256: {ev.sha256}" in flat
    elif kind != "reminder":
        for inc in case["incidents"]:
            for ev in inc.evidence:
                assert f"{ev.name}: {ev.sha256[:16]}…" in flat
    # the deadline as a date, and what follows
    if letter.due is not None:
        assert f"{letter.due.day} {letter.due:%B %Y}" in flat
    if kind in bases.GDPR_LETTERS or kind == "reminder":
        assert "Garante per la protezione dei dati personali" in flat
        assert "Article 77" in flat
    assert flat.rstrip().endswith("Giulia Bianchi")


METHODS = {
    "en": ("copy of the original file", "imported from my mailbox or a data export",
           "screenshot"),
    "it": ("copia del file originale",
           "importazione dalla mia casella di posta o da un export di dati",
           "schermata (screenshot)"),
    "de": ("Kopie der Originaldatei", "aus meinem Postfach oder einem Datenexport importiert",
           "Bildschirmfoto"),
    "fr": ("copie du fichier original", "importation depuis ma messagerie ou un export de "
           "données", "capture d'écran"),
    "es": ("copia del archivo original", "importación desde mi buzón de correo o una "
           "exportación de datos", "captura de pantalla"),
}
ACQUIRED = {
    "en": "acquired on 20 February 2026 at 19:30 UTC",
    "it": "acquisizione: 20 febbraio 2026, ore 19:30 UTC",
    "de": "gesichert am 20. Februar 2026 um 19:30 Uhr UTC",
    "fr": "acquisition le 20 février 2026 à 19 h 30 UTC",  # French hours: 19 h 30, not 19:30
    "es": "obtención: 20 de febrero de 2026, a las 19:30 UTC",
}


@pytest.mark.parametrize("lang", sorted(METHODS))
def test_complaint_lists_the_evidence_completely_enough_to_be_filed(lang):
    """Issue 5: the complaint lists the evidence with SHA-256; as a PDF it can be
    filed as is: whole hash, size, when and how each file was acquired."""
    from io import BytesIO

    from pypdf import PdfReader

    # a time at another offset is printed in UTC
    at = dt.datetime(2026, 2, 20, 20, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    inc = dataclasses.replace(INCIDENTS["forwarded"], evidence=tuple(
        dataclasses.replace(ev, method=method, acquired_at=at, source=f"src-{method}")
        for ev, method in zip(INCIDENTS["forwarded"].evidence * 2,
                              ("file", "import", "screenshot"), strict=False)))
    case = dict(golden_cases()["complaint"], incidents=[inc])
    txt = render_letter("complaint", lang=lang, **case).content.decode()
    flat = " ".join(txt.split())
    for ev, method in zip(inc.evidence, METHODS[lang], strict=False):
        # the whole hash, alone on its line: it wraps cleanly at the text width
        assert f"\n  {ev.sha256}\n" in txt
        assert method in flat and f"src-{ev.method}" in flat
    assert flat.count(ACQUIRED[lang]) == len(inc.evidence)
    assert max(len(line) for line in txt.splitlines()) <= 76
    # the letter that went unanswered is identified by its whole hash too
    assert OBJECTION_REQUEST.sha256 in txt
    pdf = render_letter("complaint", lang=lang, fmt="pdf", **case).content
    lines = "\n".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages).splitlines()
    for ev in inc.evidence:
        assert ev.sha256 in lines  # one line of the PDF, not cut
    assert OBJECTION_REQUEST.sha256 in "".join(lines)
    # other letters keep the short fingerprints (issue 4)
    erasure = render_letter("erasure", lang=lang, **dict(golden_cases()["erasure"],
                                                         incidents=[inc])).content.decode()
    assert inc.evidence[0].sha256 not in erasure and inc.evidence[0].sha256[:16] in erasure


def test_deadline_follows_legal_md_examples():
    recipient = recipient_from_contact(CONTACT)
    letter = render_letter("objection", requester=REQUESTER, recipient=recipient,
                           incidents=[INCIDENTS["mailing-list"]], sent=dt.date(2026, 3, 5))
    assert letter.due == dt.date(2026, 4, 7)  # Easter Sunday and Monday skipped
    letter = render_letter("access", requester=REQUESTER, recipient=recipient,
                           sent=dt.date(2026, 1, 31))
    assert letter.due == dt.date(2026, 3, 2)  # no 31 February; 28 Feb is a Saturday
    assert "2 March 2026" in letter.content.decode()


def test_deadline_uses_the_recipients_country_holidays():
    # 2026-09-03 + 1 month = Saturday 3 October -> Monday 5 October, but
    # in Germany 3 October is also German Unity Day: same Monday.  Use a
    # date where only one country has a holiday: 6 January (Epiphany) in
    # Italy and Austria, not in France.
    sent = dt.date(2025, 12, 6)
    kw = dict(requester=REQUESTER, incidents=[INCIDENTS["direct-pitch"]], sent=sent)
    it = render_letter("objection", recipient=Recipient("A", country="IT"), **kw)
    fr = render_letter("objection", recipient=Recipient("A", country="FR"), **kw)
    assert fr.due == dt.date(2026, 1, 6)
    assert it.due == dt.date(2026, 1, 7)


def test_no_country_anywhere_is_refused_for_the_deadline():
    with pytest.raises(BadInput, match="country is needed"):
        render_letter("objection", requester=dataclasses.replace(REQUESTER, country=None),
                      recipient=Recipient("A"), incidents=[INCIDENTS["direct-pitch"]])


@pytest.mark.parametrize("letter_kind", [*bases.GDPR_LETTERS, "platform-report"])
@pytest.mark.parametrize("incident_kind", IncidentKind.values())
def test_every_letter_for_every_incident_kind(letter_kind, incident_kind):
    incident = INCIDENTS[incident_kind]
    kw = dict(requester=REQUESTER, recipient=recipient_from_contact(CONTACT),
              incidents=[incident], contact=CONTACT, sent=SENT, checkpoint=CHECKPOINT)
    if not bases.fits(letter_kind, incident_kind):
        with pytest.raises(BadInput) as err:
            render_letter(letter_kind, **kw)
        assert "use " in str(err.value)
        assert incident.id in str(err.value)
        return
    letter = render_letter(letter_kind, **kw)
    text = " ".join(letter.content.decode().split())
    assert f"Fact 1 — {incident.when.day} February 2026" in text
    if incident.note:
        assert " ".join(incident.note.split()) in text
    basis = bases.letter_basis(letter_kind, [incident], country="IT")
    # every demand is numbered in the letter
    assert f"{len(basis.demands)}. " in text
    if letter_kind != "platform-report":
        assert letter.due == dt.date(2026, 4, 7)


def test_facts_are_in_time_order_whatever_the_input_order():
    kw = dict(requester=REQUESTER, recipient=recipient_from_contact(CONTACT), sent=SENT)
    a = render_letter("erasure", incidents=[INCIDENTS["forwarded"], INCIDENTS["mailing-list"]],
                      **kw)
    b = render_letter("erasure", incidents=[INCIDENTS["mailing-list"], INCIDENTS["forwarded"]],
                      **kw)
    assert a.content == b.content
    text = a.content.decode()
    assert text.index("Fact 1 — 2 February") < text.index("Fact 2 — 6 February")


def test_access_without_incidents_is_a_plain_article_15_request():
    letter = render_letter("access", requester=REQUESTER,
                           recipient=recipient_from_contact(CONTACT), sent=SENT)
    text = letter.content.decode()
    assert "The facts" not in text and "household" not in text
    assert "Article 15(1)(g)" in text


def test_rendered_letter_fields():
    letter = render_letter("objection", fmt="html", **golden_cases()["objection"])
    assert letter.sha256 == hashlib.sha256(letter.content).hexdigest()
    assert letter.media_type == "text/html; charset=utf-8"
    assert letter.fmt == "html" and letter.kind == "objection" and letter.lang == "en"
    assert letter.recipient == recipient_from_contact(CONTACT)
    assert letter.subject.startswith("Objection to direct marketing")
    assert letter.filename == "objection-2026-03-05.html"


def test_same_input_same_bytes_in_every_format():
    for fmt in ("txt", "md", "html", "eml", "pdf"):
        a = render_letter("erasure", fmt=fmt, **golden_cases()["erasure"])
        b = render_letter("erasure", fmt=fmt, **golden_cases()["erasure"])
        assert a.content == b.content, fmt


def test_unknown_language_and_format_are_refused_with_valid_ones():
    case = golden_cases()["objection"]
    with pytest.raises(BadInput, match="valid: en, it, de, fr, es"):
        render_letter("objection", lang="xx", **case)
    with pytest.raises(BadInput, match="valid: txt, md, html, eml, pdf"):
        render_letter("objection", fmt="docx", **case)
    with pytest.raises(BadInput, match="valid: objection"):
        render_letter("objektion", **case)


def test_shredded_incident_cannot_be_cited():
    shredded = dataclasses.replace(INCIDENTS["forwarded"], shredded=True)
    with pytest.raises(BadInput, match="shredded"):
        render_letter("erasure", requester=REQUESTER, recipient=Recipient("A", country="IT"),
                      incidents=[shredded])


def test_recipient_from_contact_prefers_the_organisation_address():
    r = recipient_from_contact(CONTACT)
    assert r == Recipient(name="Marco Ferri", org="GrowthPeak S.r.l.",
                          email="marco@growthpeak.example",
                          address="Corso Vittorio Emanuele II 45\n10125 Torino TO",
                          country="IT")
    bare = dataclasses.replace(CONTACT, email=None, org=None)
    assert recipient_from_contact(bare).email == "privacy@growthpeak.example"


def test_recipient_from_directory_and_cross_border_address():
    from gdprkit.legal.directory import authority_for_complaint

    garante = recipient_from_directory(authority_for_complaint("IT"))
    assert garante.country == "IT" and garante.org == garante.name
    assert not garante.address.endswith("Italia")
    # a letter from Italy to Ireland ends the address with the country, in English
    text = render_letter("platform-report", **golden_cases()["platform-report"]).content
    assert b"Dublin 2\nIRELAND\n" in text


SNAPSHOT_NOTES = {
    "en": "Address from the gdprkit directory (snapshot of 21 July 2026); check it before "
          "sending.",
    "it": "Indirizzo tratto dall'elenco di gdprkit (aggiornato al 21 luglio 2026); "
          "verificarlo prima dell'invio.",
    "de": "Anschrift aus dem Verzeichnis von gdprkit (Stand: 21. Juli 2026); vor dem Versand "
          "bitte prüfen.",
    "fr": "Adresse tirée de l'annuaire de gdprkit (état au 21 juillet 2026) ; à vérifier "
          "avant l'envoi.",
    "es": "Dirección tomada del directorio de gdprkit (datos a 21 de julio de 2026); "
          "verifíquese antes del envío.",
}


@pytest.mark.parametrize("lang", sorted(SNAPSHOT_NOTES))
@pytest.mark.parametrize("kind", ["complaint", "platform-report", "objection"])
def test_a_directory_address_carries_the_snapshot_date(monkeypatch, tmp_path, kind, lang):
    from gdprkit.legal import directory

    monkeypatch.setenv("GDPRKIT_CONFIG_DIR", str(tmp_path / "config"))
    case = dict(golden_cases()[kind])
    if kind == "complaint":
        case["recipient"] = recipient_from_directory(directory.authority_for_complaint("IT"))
    elif kind == "platform-report":
        case["recipient"] = recipient_from_directory(directory.platform("LinkedIn"))
    for fmt in ("txt", "html", "pdf"):
        content = render_letter(kind, lang=lang, fmt=fmt, **case).content
        if fmt == "pdf":
            import io

            from pypdf import PdfReader

            content = "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
        else:
            content = content.decode()
        if fmt == "html":
            import html

            content = html.unescape(content)
        shown = " ".join(content.split())
        # a letter to the contact takes no address from the directory
        assert (SNAPSHOT_NOTES[lang] in shown) == (kind != "objection"), (kind, lang, fmt)


@pytest.mark.parametrize(("snapshot", "shown"), [
    ("2026-08-08", "aggiornato all'8 agosto 2026"), ("2026-07-11", "aggiornato all'11 luglio 2026"),
    ("2026-07-01", "aggiornato al 1º luglio 2026"), ("2026-07-21", "aggiornato al 21 luglio 2026")])
def test_the_italian_snapshot_note_elides_the_article_before_8_and_11(snapshot, shown):
    case = golden_cases()["platform-report"]
    recipient = dataclasses.replace(case["recipient"], snapshot_date=snapshot)
    text = render_letter("platform-report", lang="it", **dict(case, recipient=recipient))
    assert shown in " ".join(text.content.decode().split())


def test_an_address_and_email_from_the_override_file_carry_no_snapshot_date(monkeypatch,
                                                                             tmp_path):
    import json

    from gdprkit.legal import directory

    config = tmp_path / "config"
    config.mkdir()
    (config / "directory-overrides.json").write_text(json.dumps({"authorities": {"IT": {
        "address": ["Piazza Venezia 11", "00187 Roma"], "email": "a@example.org"}}}))
    monkeypatch.setenv("GDPRKIT_CONFIG_DIR", str(config))
    recipient = recipient_from_directory(directory.authority_for_complaint("IT"))
    assert recipient.snapshot_date is None and recipient.address == "Piazza Venezia 11\n00187 Roma"
    text = render_letter("complaint", **dict(golden_cases()["complaint"], recipient=recipient))
    assert b"gdprkit directory" not in text.content


# -- reminder and complaint --------------------------------------------------------
def _followup(kind, request, sent, **extra):
    return render_letter(kind, requester=REQUESTER, recipient=recipient_from_contact(CONTACT),
                         incidents=[INCIDENTS["mailing-list"]], contact=CONTACT,
                         request=request, sent=sent, authority=GARANTE, **extra)


def test_reminder_needs_an_overdue_request():
    with pytest.raises(BadInput, match="follows an earlier request"):
        _followup("reminder", None, dt.date(2026, 4, 10))
    with pytest.raises(BadInput, match="not overdue .*2026-04-07"):
        _followup("reminder", OBJECTION_REQUEST, dt.date(2026, 4, 7))
    letter = _followup("reminder", OBJECTION_REQUEST, dt.date(2026, 4, 8))
    assert letter.due == dt.date(2026, 4, 22)
    answered = dataclasses.replace(OBJECTION_REQUEST, events=(
        *OBJECTION_REQUEST.events, RequestEvent("answered", dt.date(2026, 3, 20))))
    with pytest.raises(BadInput, match="was answered.*use complaint"):
        _followup("reminder", answered, dt.date(2026, 4, 10))


def test_reminder_after_an_extension_counts_three_months():
    extended = dataclasses.replace(OBJECTION_REQUEST, events=(
        *OBJECTION_REQUEST.events, RequestEvent("extended", dt.date(2026, 3, 20))))
    with pytest.raises(BadInput, match="not overdue"):
        _followup("reminder", extended, dt.date(2026, 4, 10))
    letter = _followup("reminder", extended, dt.date(2026, 6, 10))
    assert "as extended by you" in " ".join(letter.content.decode().split())


def test_follow_ups_refer_to_the_original_request():
    reminder_request = dataclasses.replace(OBJECTION_REQUEST, id="r2", kind="reminder",
                                           related_request="r1")
    with pytest.raises(BadInput, match="itself a reminder.*r1"):
        _followup("complaint", reminder_request, dt.date(2026, 4, 27))
    report = dataclasses.replace(OBJECTION_REQUEST, kind="platform-report", due=None)
    with pytest.raises(BadInput, match="platform report"):
        _followup("complaint", report, dt.date(2026, 4, 27))


@pytest.mark.parametrize("event,expected", [
    (None, "did not answer my request"),
    ("refused", "refused my request"),
    ("answered", "did not remedy the infringement"),
    ("partially-answered", "only in part"),
])
def test_complaint_wording_follows_the_request_status(event, expected):
    events = OBJECTION_REQUEST.events
    if event:
        events = (*events, RequestEvent(event, dt.date(2026, 3, 30), note="see attachment"))
    request = dataclasses.replace(OBJECTION_REQUEST, events=events)
    letter = render_letter("complaint", requester=REQUESTER, recipient=Recipient(
        GARANTE["name"], org=GARANTE["name"], country="IT"), incidents=[INCIDENTS["mailing-list"]],
        contact=CONTACT, request=request, sent=dt.date(2026, 4, 27))
    text = " ".join(letter.content.decode().split())
    assert expected in text
    assert letter.due == dt.date(2026, 7, 27)  # Art. 78(2): three months
    assert "Article 57(1)(f)" in text
    if event:
        assert "(see attachment)" in text


def test_importing_letters_is_light():
    code = ("import sys, gdprkit.letters, gdprkit.legal.bases; "
            "heavy = [m for m in ('jinja2', 'reportlab', 'babel') if m in sys.modules]; "
            "print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_italian_complaint_has_the_elements_of_codice_privacy_art_142():
    """Art. 142 d.lgs. 196/2003: facts and circumstances, provisions infringed,
    measures requested, the controller's identity, signed by the complainant."""
    text = render_letter("complaint", lang="it", **golden_cases()["complaint"]).content.decode()
    flat = " ".join(text.split())
    assert "art. 142 del Codice in materia di protezione dei dati personali" in flat
    for heading in ("1. Reclamante", "2. Titolare del trattamento", "4. Fatti e circostanze",
                    "6. Disposizioni che si presumono violate", "7. Misure richieste"):
        assert heading in text, heading
    assert "GrowthPeak S.r.l." in flat and "marco@growthpeak.example" in flat
    for ev in INCIDENTS["mailing-list"].evidence + INCIDENTS["forwarded"].evidence:
        assert ev.name in flat and ev.sha256[:16] in flat
    closing = [line.strip() for line in text.rstrip().splitlines()[-3:]]
    assert closing == ["Distinti saluti", "", "Giulia Bianchi"]  # signed by the complainant


@pytest.mark.parametrize("lang, phrase", [
    ("en", "ends on 7 April 2026"), ("it", "scade il 7 aprile 2026"),
    ("de", "läuft am 7. April 2026 ab"), ("fr", "expire le 7\u00a0avril 2026"),
    ("es", "vence el 7 de abril de 2026")])
def test_complaint_after_a_refusal_does_not_call_a_future_deadline_past(lang, phrase):
    case = golden_cases()["complaint"]
    refused = dataclasses.replace(OBJECTION_REQUEST, events=(
        *OBJECTION_REQUEST.events, RequestEvent(type="refused", on=dt.date(2026, 3, 20))))
    case = dict(case, request=refused, sent=dt.date(2026, 3, 25),
                now=dt.datetime(2026, 3, 25, 8, tzinfo=dt.UTC))
    text = " ".join(render_letter("complaint", lang=lang, **case).content.decode().split())
    assert phrase.replace("\u00a0", " ") in text.replace("\u00a0", " ")


@pytest.mark.parametrize("lang", ["it", "de", "fr", "es"])
def test_complaint_names_the_authority_in_the_letters_language(monkeypatch, tmp_path, lang):
    """The directory's English gloss "(Italian Data Protection Authority)" stays out of
    letters in other languages: address block, text and the e-mail's To."""
    from email import message_from_bytes, policy

    from gdprkit.legal import directory

    monkeypatch.setenv("GDPRKIT_CONFIG_DIR", str(tmp_path / "config"))
    record = directory.authority_for_complaint("IT")
    case = dict(golden_cases()["complaint"], recipient=recipient_from_directory(record),
                authority=record)
    letter = render_letter("complaint", lang=lang, **case)
    text = letter.content.decode()
    assert "Italian Data Protection Authority" not in text
    assert "Garante per la protezione dei dati personali\nPiazza Venezia 11" in text
    assert letter.recipient.name == "Garante per la protezione dei dati personali"
    eml = render_letter("complaint", lang=lang, fmt="eml", **case).content
    to = message_from_bytes(eml, policy=policy.default)["To"].addresses[0]
    assert to.display_name == "Garante per la protezione dei dati personali"
    # an objection names the authority as the next step, in the same way
    objection = render_letter("objection", lang=lang, **dict(golden_cases()["objection"],
                                                             authority=record)).content
    assert "Garante per la protezione dei dati personali" in " ".join(objection.decode().split())
    assert b"Italian Data Protection Authority" not in objection
    english = render_letter("complaint", lang="en", **case).content.decode()
    assert "(Italian Data Protection Authority)" in " ".join(english.split())


@pytest.mark.parametrize(("address", "country", "country_name", "town"), [
    ("Via Roma 1\n20121 Milano", "IT", "Italy", "Milano"),
    ("Via Solferino 12\n20121 Milano MI\nItalia", "IT", "Italy", "Milano"),
    ("Via Solferino 12\n20121 Milano MI\nITALY", "IT", "Italia", "Milano"),
    ("Hauptstr. 5\n10115 Berlin\nDeutschland", "DE", "Germany", "Berlin"),
    ("1 rue de Rivoli\n75001 Paris\nFrance", "FR", "Francia", "Paris"),
    ("Gran Vía 1\n28013 Madrid\nEspaña", "ES", "Spain", "Madrid"),
    ("Rue Neuve 1\n1000 Bruxelles\nBelgique", "BE", "Belgium", "Bruxelles"),
    ("Italia", "IT", "Italy", None),
])
def test_place_is_the_town_whatever_language_the_country_line_is_in(
        address, country, country_name, town):
    from gdprkit.letters.context import place_of

    assert place_of(address, country_name, country) == town


def test_platform_report_goes_to_the_first_recorded_platform_the_directory_knows():
    import datetime as dt

    from gdprkit.letters.from_ledger import platform_recipient
    from gdprkit.model import Contact, Incident

    when = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)
    by_mail = Incident(id="i1", kind="forwarded", contact="c1", when=when, platform="e-mail")
    on_li = Incident(id="i2", kind="endorsement", contact="c1", when=when, platform="LinkedIn")
    contact = Contact(id="c1", name="Marco")
    assert "LinkedIn" in platform_recipient([by_mail, on_li], contact, None).name
    # the contact's own platform when no incident names one the directory knows
    met_on_li = Contact(id="c1", name="Marco", platform="linkedin")
    assert "LinkedIn" in platform_recipient([by_mail], met_on_li, None).name
    with pytest.raises(BadInput, match="'e-mail' is not a platform in the directory"):
        platform_recipient([by_mail], contact, None)
    with pytest.raises(BadInput, match="none is recorded"):
        platform_recipient([], contact, None)
    with pytest.raises(NotFound, match="no platform 'e-mail'"):  # named by the user
        platform_recipient([on_li], contact, "e-mail")
