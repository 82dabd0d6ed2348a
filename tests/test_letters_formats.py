"""Formats from one rendering: PDF (text, layout, reproducible), eml, html, md, and
hostile user data in any script through every format (hypothesis)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import email.policy
import html
import io
import re
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from gdprkit.errors import BadInput
from gdprkit.letters import recipient_from_contact, render_letter
from gdprkit.letters.markup import parse_markup, xml_safe
from gdprkit.letters.writers.md import escape_md

from .letters_scenario import CONTACT, INCIDENTS, REQUESTER, SENT, golden_cases


def pdf_text(data: bytes) -> tuple[str, int]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def flat(text: str) -> str:
    return "".join(text.split())


# -- PDF ----------------------------------------------------------------------------
def test_pdf_carries_the_letter_text_and_page_numbers():
    case = golden_cases()["objection"]
    letter = render_letter("objection", fmt="pdf", **case)
    assert letter.content.startswith(b"%PDF-") and letter.media_type == "application/pdf"
    text, pages = pdf_text(letter.content)
    txt = render_letter("objection", fmt="txt", **case).content.decode()
    assert pages >= 2
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text
    # every word of the text rendering is in the PDF, in order per paragraph
    body = re.sub(r"Page \d+ of \d+", "", text).replace("\u2022", "")
    for para in txt.split("\n\n"):
        if para.strip().startswith("---"):
            continue
        words = [w for w in para.split() if w.strip("-")]
        assert flat(" ".join(words)) in flat(body), para


def test_pdf_is_byte_identical_across_renders_and_dated_by_the_letter():
    case = golden_cases()["complaint"]
    a = render_letter("complaint", fmt="pdf", **case).content
    b = render_letter("complaint", fmt="pdf", **case).content
    assert a == b
    assert b"D:20260427000000+00'00'" in a
    from pypdf import PdfReader

    meta = PdfReader(io.BytesIO(a)).metadata
    assert meta.title.startswith("Complaint under Article 77 GDPR")
    assert meta.author == "Giulia Bianchi"


def test_pdf_embeds_dejavu_and_prints_every_eu_script():
    note = "Ελληνικά · Български · Čeština · Łódź · Øre · Ærø · ß · ő ű · ă ș ț · ā ē ī · ė ų"
    inc = dataclasses.replace(INCIDENTS["direct-pitch"], note=note)
    letter = render_letter("objection", fmt="pdf", requester=REQUESTER,
                           recipient=recipient_from_contact(CONTACT), incidents=[inc], sent=SENT)
    assert b"DejaVuSans" in letter.content
    text, _ = pdf_text(letter.content)
    assert flat(note) in flat(text)


def test_tounicode_cmap_writes_utf16_surrogate_pairs_beyond_the_bmp():
    from gdprkit.letters.writers.pdf import tounicode_cmap

    cmap = tounicode_cmap("AAAAAA+DejaVuSans", [0, 0x41, 0x1F600, 0x10300, 0xE9, 0x110000])
    assert "<00> <05>" in cmap and "6 beginbfchar" in cmap
    lines = cmap.splitlines()
    assert "<01> <0041>" in lines and "<04> <00E9>" in lines
    assert "<02> <D83DDE00>" in lines and "<03> <D800DF00>" in lines
    assert "<05> <FFFD>" in lines
    entries = cmap.split("beginbfchar\n")[1].split("\nendbfchar")[0].splitlines()
    assert all(re.fullmatch(r"<[0-9A-F]{2}> <(?:[0-9A-F]{4})+>", e) for e in entries)


def test_pdf_text_beyond_the_bmp_extracts_without_warnings(caplog):
    """DejaVu draws some astral characters (emoticons, Old Italic): they come back out
    of the PDF as they went in, with no "invalid hex string" from the reader."""
    import logging

    note = "smile \U0001f600 old italic \U00010300 accents é ß"
    inc = dataclasses.replace(INCIDENTS["direct-pitch"], note=note)
    letter = render_letter("objection", fmt="pdf", requester=REQUESTER,
                           recipient=recipient_from_contact(CONTACT), incidents=[inc], sent=SENT)
    with caplog.at_level(logging.WARNING, logger="pypdf"):
        text, _ = pdf_text(letter.content)
    assert not [r for r in caplog.records if "hex" in r.getMessage()]
    assert flat(note) in flat(text)


def test_pdf_tounicode_maps_do_not_depend_on_who_registered_the_font_first():
    """reportlab keeps one font object per typeface: after the dossier registered
    DejaVu under its own names, the letters draw with the dossier's objects."""
    import pikepdf

    from gdprkit.dossier._render import register_fonts

    register_fonts()
    inc = dataclasses.replace(INCIDENTS["direct-pitch"], note="smile \U0001f600")
    letter = render_letter("objection", fmt="pdf", requester=REQUESTER,
                           recipient=recipient_from_contact(CONTACT), incidents=[inc], sent=SENT)
    maps = []
    with pikepdf.open(io.BytesIO(letter.content)) as pdf:
        for page in pdf.pages:
            for _name, font in page.Resources.Font.items():
                if "/ToUnicode" in font:
                    maps.append(font.ToUnicode.read_bytes())
    assert maps and any(b"<D83DDE00>" in m for m in maps)
    assert not any(re.search(rb"<[0-9A-F]{2}> <[0-9A-F]{5,6}>", m) for m in maps)


def test_pdf_shows_characters_without_a_glyph_as_code_points_never_drops_them():
    note = "CJK \u4e2d\u6587 and \U0001f469\u200d\U0001f4bb and \u0928\u093f end"
    name = "\u674e\u5c0f\u9f99 Li"
    contact = dataclasses.replace(CONTACT, name=name)
    inc = dataclasses.replace(INCIDENTS["direct-pitch"], note=note)
    letter = render_letter("objection", fmt="pdf", requester=REQUESTER,
                           recipient=recipient_from_contact(contact), contact=contact,
                           incidents=[inc], sent=SENT)
    text, _ = pdf_text(letter.content)
    assert ("CJK [U+4E2D U+6587] and [U+1F469]\u200d[U+1F4BB] and [U+0928 U+093F] end"
            in text.replace("\n", " "))
    assert "[U+674E U+5C0F U+9F99] Li" in text  # in the address window and the salutation
    # the other formats keep the characters themselves
    txt = render_letter("objection", fmt="txt", requester=REQUESTER,
                        recipient=recipient_from_contact(contact), contact=contact,
                        incidents=[inc], sent=SENT).content.decode()
    assert note in txt and name in txt


def test_pdf_placeholders_follow_the_font_of_each_run():
    from gdprkit.letters.writers.pdf import BOLD, MONO, SANS, shown

    assert shown("abc") == "abc" and shown("Ωμέγα é") == "Ωμέγα é"
    # Hebrew is in DejaVu Sans but not in DejaVu Sans Mono
    assert shown("\u05e9\u05dc\u05d5\u05dd", SANS) == "\u05e9\u05dc\u05d5\u05dd"
    assert shown("\u05e9\u05dc", MONO) == "[U+05E9 U+05DC]"
    assert shown("x\u4e2dy\u6587", BOLD) == "x[U+4E2D]y[U+6587]"


def test_pdf_window_envelope_address_position():
    """The recipient's first line sits in the DIN 5008 form B address zone."""
    from pypdf import PdfReader

    letter = render_letter("erasure", fmt="pdf", **golden_cases()["erasure"])
    page = PdfReader(io.BytesIO(letter.content)).pages[0]
    found = {}

    def visit(text, cm, tm, font, size):
        if text.strip():  # text space -> page space
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.setdefault(text.strip(), (x, y))

    page.extract_text(visitor_text=visit)
    mm = 72 / 25.4
    x, y = found["GrowthPeak S.r.l."]
    top = (page.mediabox.height - y) / mm
    assert 24 <= x / mm <= 26  # text starts 25 mm from the left edge
    assert 62.7 <= top <= 90  # address zone: 62.7 to 90 mm from the top
    x, y = next(v for k, v in found.items() if k.startswith("Giulia Bianchi ·"))
    assert 45 <= (page.mediabox.height - y) / mm <= 62.7  # return line above it


# -- eml -----------------------------------------------------------------------------
def parse_eml(data: bytes):
    return email.message_from_bytes(data, policy=email.policy.default)


def body(msg, kind: str) -> str:
    """A body part's text with the wire's CRLF line ends made LF."""
    return msg.get_body((kind,)).get_content().replace("\r\n", "\n")


def test_eml_is_a_complete_message_with_alternatives_and_pdf():
    case = golden_cases()["objection"]
    letter = render_letter("objection", fmt="eml", attach_pdf=True, **case)
    assert letter.media_type == "message/rfc822"
    msg = parse_eml(letter.content)
    assert msg["From"].addresses[0].addr_spec == "giulia.bianchi@example.org"
    assert msg["From"].addresses[0].display_name == "Giulia Bianchi"
    assert msg["To"].addresses[0].addr_spec == "marco@growthpeak.example"
    assert msg["Subject"] == letter.subject
    assert msg["Date"].datetime == case["now"]
    assert re.fullmatch(r"<gdprkit\.[0-9a-f]{32}@example\.org>", msg["Message-ID"])
    assert msg["Content-Language"] == "en"
    text = body(msg, "plain")
    assert text == render_letter("objection", fmt="txt", **case).content.decode()
    body_html = body(msg, "html")
    assert body_html == render_letter("objection", fmt="html", **case).content.decode()
    pdfs = [p for p in msg.iter_attachments() if p.get_content_type() == "application/pdf"]
    assert len(pdfs) == 1 and pdfs[0].get_filename() == "objection-2026-03-05.pdf"
    assert pdfs[0].get_content() == render_letter("objection", fmt="pdf", **case).content
    # 7-bit clean on the wire
    assert max(letter.content) < 128


def test_eml_non_ascii_names_round_trip():
    case = golden_cases()["erasure"]
    case["requester"] = dataclasses.replace(REQUESTER, name="Łukasz Żółć-Ørsted")
    case["recipient"] = dataclasses.replace(case["recipient"], name="Ζωή \"Zoe\" Παππά")
    msg = parse_eml(render_letter("erasure", fmt="eml", **case).content)
    assert msg["From"].addresses[0].display_name == "Łukasz Żółć-Ørsted"
    assert msg["To"].addresses[0].display_name == "Ζωή \"Zoe\" Παππά"


def test_eml_date_is_the_sending_day_when_sent_is_not_today():
    case = dict(golden_cases()["erasure"], now=dt.datetime(2026, 3, 9, 7, 0, tzinfo=dt.UTC))
    msg = parse_eml(render_letter("erasure", fmt="eml", **case).content)
    assert msg["Date"].datetime == dt.datetime(2026, 3, 5, 12, 0, tzinfo=dt.UTC)
    assert body(msg, "plain").count("5 March 2026") >= 1


def test_eml_without_recipient_address_names_the_missing_field():
    case = dict(golden_cases()["erasure"],
                recipient=dataclasses.replace(recipient_from_contact(CONTACT), email=None))
    with pytest.raises(BadInput, match=r"'Marco Ferri' has no e-mail address \(field: email\)"):
        render_letter("erasure", fmt="eml", **case)
    case = dict(golden_cases()["erasure"], requester=dataclasses.replace(REQUESTER, email=None))
    with pytest.raises(BadInput, match="profile field: email"):
        render_letter("erasure", fmt="eml", **case)


@pytest.mark.parametrize("field", ["requester name", "recipient name", "recipient e-mail",
                                   "requester e-mail", "subject"])
def test_eml_refuses_line_breaks_in_header_values(field):
    case = golden_cases()["platform-report"]
    evil = "Eve\r\nBcc: victim@example.com"
    if field == "requester name":
        case["requester"] = dataclasses.replace(REQUESTER, name=evil)
    elif field == "requester e-mail":
        case["requester"] = dataclasses.replace(REQUESTER, email="a@b.example\nBcc: x@y.z")
    elif field == "recipient name":
        case["recipient"] = dataclasses.replace(case["recipient"], name=evil)
    elif field == "recipient e-mail":
        case["recipient"] = dataclasses.replace(case["recipient"], email="a@b.example\r\nX: y")
    else:  # the contact's name is part of the platform report's subject
        case["contact"] = dataclasses.replace(CONTACT, name=evil)
    with pytest.raises(BadInput, match="line break"):
        render_letter("platform-report", fmt="eml", **case)
    # the other formats carry the same values as inert text
    render_letter("platform-report", fmt="txt", **case)


def test_eml_refuses_an_invalid_address():
    case = golden_cases()["erasure"]
    case["recipient"] = dataclasses.replace(case["recipient"], email="not an address")
    with pytest.raises(BadInput, match="not an address"):
        render_letter("erasure", fmt="eml", **case)


HOSTILE_NAMES = [
    "{{ 7*7 }} {% if x %}{# c #}{{ 7*7 }} {% if x %}{# c #}&amp; & &#x41; <![CDATA[x]]>",
    "Eve <eve@evil.example>, Bob <bob@evil.example>; group: x@y.example;",
    'Mallory "the boss" \\ O\'Brien (CEO) [sales] @ ACME: list; of, specials.' * 3,
    "x" * 300,
    "Ζωή \"Zoe\" Παππά " * 12,
    "\U0001f469\u200d\U0001f4bb\U0001f1ee\U0001f1f9 =?utf-8?q?not_an_encoded_word?= " * 4,
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_eml_address_headers_carry_any_display_name_intact(name):
    # regression: the stdlib folder dropped the quotes of a long quoted display name,
    # so "... <![CDATA[x]]>" was parsed back as an address with an empty name
    case = golden_cases()["erasure"]
    case["requester"] = dataclasses.replace(REQUESTER, name=name)
    case["recipient"] = dataclasses.replace(case["recipient"], name=name)
    data = render_letter("erasure", fmt="eml", **case).content
    msg = parse_eml(data)
    for field, addr in (("From", "giulia.bianchi@example.org"),
                        ("To", "marco@growthpeak.example")):
        (address,) = msg[field].addresses
        assert address.addr_spec == addr
        assert flat(address.display_name) == flat(name)
    header = data.split(b"\r\n\r\n", 1)[0]
    assert max(len(line) for line in header.split(b"\r\n")) <= 78


@given(name=st.text(min_size=1, max_size=120).filter(
    lambda s: s.strip() and "\r" not in s and "\n" not in s))
@settings(max_examples=200, deadline=None)
def test_eml_address_header_round_trips_through_a_parser(name):
    from gdprkit.letters.writers.eml import _address, _address_header

    display, spec = _address(name, "someone@example.org", "recipient")
    value = _address_header("To", display, spec)
    assert all(len(line) <= 78 for line in ("To: " + value).split("\n"))
    msg = parse_eml(f"To: {value}\n\nbody\n".encode("ascii"))
    (address,) = msg["To"].addresses
    assert address.addr_spec == "someone@example.org"
    assert flat(address.display_name) == flat(display)


@pytest.mark.parametrize("address", [
    "bob@x.example,attacker.evil.example", "bob@x.example attacker@evil.example",
    "bob,eve@x.example", "bob@[127.0.0.1]", "bob@-x.example", "bob@x", ".bob@x.example",
    "bob@x.example>", "<bob@x.example",
])
def test_eml_refuses_addresses_that_would_smuggle_recipients(address):
    case = golden_cases()["erasure"]
    case["recipient"] = dataclasses.replace(case["recipient"], email=address)
    with pytest.raises(BadInput, match="not (valid|an address)"):
        render_letter("erasure", fmt="eml", **case)


def test_eml_internationalised_domain_travels_as_punycode():
    case = golden_cases()["erasure"]
    case["recipient"] = dataclasses.replace(case["recipient"], email="marco@bücher.example")
    msg = parse_eml(render_letter("erasure", fmt="eml", **case).content)
    assert msg["To"].addresses[0].addr_spec == "marco@xn--bcher-kva.example"
    # IDNA 2008, not Python's IDNA 2003 codec: that one maps ß to ss, and
    # strasse.de is somebody else's domain
    case["recipient"] = dataclasses.replace(case["recipient"], email="info@straße.de")
    msg = parse_eml(render_letter("erasure", fmt="eml", **case).content)
    assert msg["To"].addresses[0].addr_spec == "info@xn--strae-oqa.de"
    case["recipient"] = dataclasses.replace(case["recipient"], email="info@\u2603.net")
    with pytest.raises(BadInput, match="not a domain name"):
        render_letter("erasure", fmt="eml", **case)
    case["recipient"] = dataclasses.replace(case["recipient"], email="märco@example.org")
    with pytest.raises(BadInput, match="non-ASCII local part"):
        render_letter("erasure", fmt="eml", **case)


# -- html, md --------------------------------------------------------------------
class _Checker(HTMLParser):
    VOID = {"br", "meta"}

    def __init__(self):
        super().__init__()
        self.stack, self.tags = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, (tag, self.stack)
        self.stack.pop()


def test_html_is_standalone_balanced_and_has_no_script():
    letter = render_letter("platform-report", fmt="html", **golden_cases()["platform-report"])
    page = letter.content.decode()
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    assert f"<title>{html.escape(letter.subject, quote=False)}</title>" in page
    assert "@page { size: A4" in page
    checker = _Checker()
    checker.feed(page)
    checker.close()
    assert checker.stack == []
    assert "script" not in checker.tags and "http" not in page.split("<body>")[0]


@pytest.mark.parametrize("text,escaped", [
    ("1. not a list", "1\\. not a list"),
    ("- no bullet", "\\- no bullet"),
    ("# no heading", "\\# no heading"),
    ("*a* _b_ [c](d) <e> & `f`", "\\*a\\* \\_b\\_ \\[c\\](d) \\<e\\> \\& \\`f\\`"),
    ("> quote", "\\> quote"),
    ("plain words, 5 March 2026.", "plain words, 5 March 2026."),
])
def test_markdown_escaping(text, escaped):
    assert escape_md(text) == escaped


# -- the letter markup -------------------------------------------------------------
def test_markup_collapses_whitespace_and_keeps_line_breaks():
    doc = parse_markup('<p>  a\n   b <b>c </b> d<br/>  e  </p><meta name="x" value="y"/>')
    assert [r.text for r in doc.blocks[0].runs] == ["a b ", "c ", "d", "\n", "e"]
    assert doc.meta == {"x": "y"}


@pytest.mark.parametrize("markup,message", [
    ("<p>a &amp b</p>", "malformed"),
    ("<script>x</script>", "unknown block <script>"),
    ("loose text", "outside a block"),
    ("<p>a <p>b</p></p>", "not allowed inside text"),
    ("<ol>x<li>a</li></ol>", "outside <li>"),
])
def test_markup_errors(markup, message):
    with pytest.raises(BadInput, match=message):
        parse_markup(markup, source="template t.j2")


def test_xml_safe_replaces_what_xml_cannot_carry():
    assert xml_safe("a\x00b\x1fc\r\nd\re\ufffe") == "a\ufffdb\ufffdc\nd\ne\ufffd"


def test_xml_safe_replaces_del_c1_and_bidi_controls_like_other_controls():
    assert xml_safe("a\x7fb\x85c\x9fd") == "a\ufffdb\ufffdc\ufffdd"
    for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
        assert xml_safe(f"invoice{c}txt.exe") == "invoice\ufffdtxt.exe"
    # the marks and joiners that scripts need are kept
    assert xml_safe("\u05e9\u200f\u200d\U0001f600") == "\u05e9\u200f\u200d\U0001f600"


@pytest.mark.parametrize("fmt", ["txt", "md", "html", "eml", "pdf"])
def test_del_and_bidi_overrides_in_user_text_are_replaced_in_every_format(fmt):
    note = "bell\x07 del\x7f rlo\u202eexe.txt\u202c isolate\u2066x\u2069 end"
    case = _hostile_case("Eve\u202e Mallory\x7f", note)
    content = render_letter("erasure", fmt=fmt, **case).content
    if fmt == "pdf":
        text, _ = pdf_text(content)
    elif fmt == "eml":
        msg = parse_eml(content)
        text = body(msg, "plain") + body(msg, "html") + str(msg["To"])
    else:
        text = content.decode()
    for c in "\x07\x7f\u202e\u202c\u2066\u2069":
        assert c not in text
    assert flat("bell\ufffd del\ufffd rlo\ufffdexe.txt\ufffd isolate\ufffdx\ufffd end") in flat(
        text.replace("\\", ""))
    assert flat("Eve\ufffd Mallory\ufffd") in flat(text)


# -- hostile data in any script, every format ----------------------------------
SCRIPTS = st.sampled_from([
    "\U0001f600\U0001f469\u200d\U0001f4bb\U0001f1ee\U0001f1f9",  # emoji, ZWJ, flag
    "\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627",  # Hebrew, Arabic (RTL)
    "e\u0301 a\u0308 n\u0303 \u0928\u093f",  # combining marks, Devanagari
    "\u4f60\u597d \u3053\u3093\u306b\u3061\u306f \ud55c\uad6d\uc5b4",  # CJK
    "{{ 7*7 }} {% if x %}{# c #}", "<font color=red>", "&amp; & &#x41; <![CDATA[x]]>",
    "]]> </p><p>", "\\ ` * _ # > | ~", "a\r\nb\rc\nd", "\x00\x07\x1b\x7f",
    "Ζωή Κόσμε", "Łukasz Żółć", "O'Brien \"Quote\"",
])
TEXT = st.lists(st.one_of(SCRIPTS, st.text(max_size=40)), min_size=1, max_size=6).map(
    "".join)
NAME = TEXT.filter(lambda s: s.strip() and "\r" not in s and "\n" not in s)


def _hostile_case(name, note):
    contact = dataclasses.replace(CONTACT, name=name)
    inc = dataclasses.replace(INCIDENTS["forwarded"], note=note)
    return dict(requester=dataclasses.replace(REQUESTER, name=name + " (requester)"),
                recipient=recipient_from_contact(contact), contact=contact, incidents=[inc],
                sent=SENT, now=dt.datetime(2026, 3, 5, 9, 0, tzinfo=dt.UTC))


def _expected(value: str) -> str:
    return flat(xml_safe(value))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=NAME, note=TEXT)
@example(name=HOSTILE_NAMES[0], note="\U0001f600")  # a long quoted display name (CI)
def test_hostile_values_are_inert_text_in_every_text_format(name, note):
    case = _hostile_case(name, note)
    txt = render_letter("erasure", fmt="txt", **case).content.decode()
    assert _expected(note) in flat(txt)
    assert _expected(name) in flat(txt)
    assert "49" not in txt.replace(_expected(note), "") or "49" in note + name

    page = render_letter("erasure", fmt="html", **case).content.decode()
    shown = page.split("<body>", 1)[1]
    assert "<font" not in shown and "<![CDATA" not in shown
    visible = html.unescape(re.sub(r"<[^>]+>", "", shown))
    assert _expected(note) in flat(visible)
    checker = _Checker()
    checker.feed(page)
    assert checker.stack == [] and set(checker.tags) <= {
        "html", "head", "meta", "title", "style", "body", "div", "p", "br", "h2", "ol", "ul",
        "li", "strong", "em", "code", "blockquote"}

    md = render_letter("erasure", fmt="md", **case).content.decode()
    unescaped = re.sub(r"\\(.)", r"\1", re.sub(r"(?m)^> ?", "", md), flags=re.DOTALL)
    assert _expected(note) in flat(unescaped)

    eml = render_letter("erasure", fmt="eml", **case).content
    msg = parse_eml(eml)
    assert body(msg, "plain") == txt
    # (the stdlib parser puts a space between adjacent RFC 2047 encoded words)
    assert flat(msg["To"].addresses[0].display_name) == flat(xml_safe(name))


# 5,000 characters: a random mix of scripts, repeated up to length
LONG = TEXT.filter(lambda t: t.strip()).map(lambda t: (t * (5000 // len(t) + 1))[:5000])


@settings(max_examples=4, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example])
@given(note=LONG, name=NAME)
def test_long_notes_in_any_script_through_pdf(note, name):
    case = _hostile_case(name, note)
    letter = render_letter("erasure", fmt="pdf", **case)
    text, pages = pdf_text(letter.content)
    assert pages >= 3
    assert "Fact 1" in text and f"Page {pages} of {pages}" in text


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(note=TEXT, name=NAME)
def test_hostile_values_through_pdf(note, name):
    case = _hostile_case(name, note)
    letter = render_letter("erasure", fmt="pdf", **case)
    text, _ = pdf_text(letter.content)
    assert "Request for erasure" in text
    # text in scripts DejaVu covers comes back out of the PDF as it went in
    safe = xml_safe(note)
    if safe.strip() and all(_dejavu_plain(c) for c in safe):
        assert flat(safe) in flat(text)


def _dejavu_plain(c: str) -> bool:
    """Printable ASCII, or a precomposed Latin/Greek/Cyrillic letter (white space too)."""
    import unicodedata

    if c.isspace() or 0x20 <= ord(c) < 0x7F:
        return True
    return 0xC0 <= ord(c) <= 0x4FF and unicodedata.category(c).startswith("L")


def test_template_code_in_data_is_printed_literally_everywhere():
    note = "{{ 7*7 }} <font name=x>&</font> {% raw %}"
    case = _hostile_case("Eve {{ 6*7 }}", note)
    for fmt in ("txt", "md", "html", "pdf", "eml"):
        content = render_letter("erasure", fmt=fmt, **case).content
        if fmt == "pdf":
            content = pdf_text(content)[0].encode()
        if fmt == "eml":
            content = body(parse_eml(content), "plain").encode()
        text = content.decode()
        assert "42" not in text and "49" not in text, fmt
        if fmt == "html":
            assert "{{ 7*7 }} &lt;font name=x&gt;&amp;&lt;/font&gt;" in text
        elif fmt == "md":
            assert "{{ 7\\*7 }} \\<font name=x\\>\\&\\</font\\>" in text
        else:
            assert flat(note) in flat(text), fmt
