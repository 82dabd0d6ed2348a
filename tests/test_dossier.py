"""The evidence dossier: export pdf (PDF/A-3b, attachments, proofs) and verify-dossier."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from gdprkit.dossier import Scope, export_dossier, verify_dossier
from gdprkit.errors import BadInput, TamperDetected
from gdprkit.model import EvidenceInput

HOSTILE = ("<font name='Courier'>x</font> & &amp; <b>{{ 7*7 }}</b> {% raw %} "
           "\u202egnp.exe \u05e9\u05dc\u05d5\u05dd \U0001F600\U0001F4A9 ")


def _png(color=(200, 30, 30), size=(120, 80)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "PNG")
    return buf.getvalue()


EML = (
    b"From: Mallory Vend <mallory@acme.example>\r\n"
    b"To: ada@example.org\r\n"
    b"Subject: =?utf-8?q?Offerta_speciale_=E2=82=AC?=\r\n"
    b"Date: Mon, 02 Mar 2026 10:00:00 +0000\r\n"
    b"Message-ID: <pitch-1@acme.example>\r\n"
    b"List-Unsubscribe: <mailto:leave@acme.example>\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
    b"Dear Ada, buy <now> & save {{ 7*7 }}! Reply STOP to stop.\r\n"
)


@pytest.fixture
def filled(ledger):
    """A ledger with two contacts, three incidents, evidence of every preview
    kind, a shredded item, and a letter with its deadline."""
    originals = {
        "shot.png": _png(),
        "pitch.eml": EML,
        "broken.png": b"\x89PNG\r\n\x1a\nthis is not an image",
        "blob.bin": bytes(range(256)) * 40,
        "chat.txt": "Ciao Ada, ti ho aggiunta al gruppo «Affari» 😀\n".encode() * 3,
        "gone.txt": b"to be shredded",
    }
    c1 = ledger.add_contact("Mallory Vend", email="mallory@acme.example", org="ACME S.r.l.")
    c2 = ledger.add_contact("Trent Other", email="trent@example.net")
    i1 = ledger.log_incident(
        "mailing-list", c1.id, when=dt.datetime(2026, 2, 10, 8, 30, tzinfo=dt.UTC),
        platform="LinkedIn", note="Subscribed me to the ACME newsletter.", action="reported",
        evidence=[EvidenceInput(name=n, data=originals[n], source="Message-ID <pitch-1@acme>"
                                if n.endswith(".eml") else None)
                  for n in ("shot.png", "pitch.eml", "broken.png", "blob.bin")])
    i2 = ledger.log_incident(
        "discussion-list", c1.id, when=dt.datetime(2026, 2, 20, 12, 0, tzinfo=dt.UTC),
        evidence=[EvidenceInput(name="chat.txt", data=originals["chat.txt"]),
                  EvidenceInput(name="gone.txt", data=originals["gone.txt"])])
    i3 = ledger.log_incident("direct-pitch", c2.id,
                             when=dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC))
    gone = i2.evidence[1].id
    ledger.shred(gone, "the contact exercised the right to erasure")
    req = ledger.add_request(kind="objection", lang="en", format="pdf",
                             recipient_name="ACME S.r.l.", contact=c1.id, incidents=[i1.id],
                             sent=dt.date(2026, 2, 12), due=dt.date(2026, 3, 12), sha256="ab" * 32)
    ledger.add_request_event(req.id, "answered", dt.date(2026, 2, 25), note="removed me")
    return {"ledger": ledger, "c1": c1, "c2": c2, "i1": i1, "i2": i2, "i3": i3,
            "gone": gone, "request": req, "originals": originals}


def _manifest(path) -> dict:
    with pikepdf.open(path) as pdf:
        return json.loads(pdf.attachments["gdprkit-dossier.json"].get_file().read_bytes())


def _text(path) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() or "" for p in PdfReader(str(path)).pages)


def _squash(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def dossier(filled, tmp_path):
    out = tmp_path / "dossier.pdf"
    result = export_dossier(filled["ledger"], out, lang="en")
    return out, result


# -- content ------------------------------------------------------------------------------


def test_attachments_are_the_originals_byte_for_byte(filled, dossier):
    path, result = dossier
    led = filled["ledger"]
    with pikepdf.open(path) as pdf:
        files = {name: spec.get_file().read_bytes() for name, spec in pdf.attachments.items()}
        af = [str(spec.F) for spec in pdf.Root.AF]
        rel = {str(spec.F): str(spec.AFRelationship) for spec in pdf.Root.AF}
        params = {str(spec.F): spec.EF.F.Params for spec in pdf.Root.AF}
        subtype = {str(spec.F): str(spec.EF.F.Subtype) for spec in pdf.Root.AF}
    manifest = _manifest(path)
    evidence = [e for e in manifest["evidence"] if not e["shredded"]]
    assert len(evidence) == result.attachments == 5
    for item in evidence:
        original = filled["originals"][item["name"]]
        assert files[item["attachment"]] == original
        assert item["sha256"] == hashlib.sha256(original).hexdigest()
        assert item["sha256"] == led.evidence(item["id"]).sha256
        assert rel[item["attachment"]] == "/Source"
        assert int(params[item["attachment"]].Size) == len(original)
        assert bytes(params[item["attachment"]].CheckSum) == hashlib.md5(original).digest()
    assert sorted(files) == sorted(af)  # every embedded file is an associated file
    assert rel["gdprkit-dossier.json"] == "/Data"
    assert subtype["gdprkit-dossier.json"] == "/application/json"
    assert subtype[f"{filled['i1'].evidence[0].id}-shot.png"] == "/image/png"


def test_pages_show_names_hashes_checkpoint_and_letters(filled, dossier):
    path, _ = dossier
    led = filled["ledger"]
    text = _text(path)
    flat = _squash(text)
    for name in ("Mallory Vend", "Trent Other", "Ada Rossi", "shot.png", "pitch.eml"):
        assert name in text
    for ev in filled["i1"].evidence + filled["i2"].evidence[:1]:
        assert ev.sha256 in flat
    cp = led.checkpoint()
    assert cp.root_hex in flat and led.key_fingerprint in flat and led.ledger_id in flat
    # the letter with its deadline and status
    assert "2026-03-12" in text and "answered" in text
    # the e-mail excerpt with decoded headers, escaped body
    assert "Offerta speciale €" in text and "buy <now> & save {{ 7*7 }}" in text
    # the corrupt image is a note, not a crash; its original still attached
    assert "could not be decoded as an image" in text
    # inclusion proofs appendix: every leaf hash of the manifest is printed
    manifest = _manifest(path)
    for item in manifest["evidence"] + manifest["entries"]:
        assert item["leaf_hash"] in flat


def test_shredded_evidence_is_listed_with_its_reason_and_not_attached(filled, dossier):
    path, _ = dossier
    text = " ".join(_text(path).split())
    assert "right to erasure" in text
    manifest = _manifest(path)
    gone = next(e for e in manifest["evidence"] if e["id"] == filled["gone"])
    assert gone["shredded"] is True and gone["attachment"] is None
    assert gone["shred_reason"] == "the contact exercised the right to erasure"
    with pikepdf.open(path) as pdf:
        assert not any(n.startswith(filled["gone"] + "-") for n in pdf.attachments)
    # the shred entry itself is proven too
    assert any(e["id"] == filled["gone"] and e["kind"] == "shred" for e in manifest["entries"])


def test_generated_at_is_the_newest_entry_included_not_the_wall_clock(filled, tmp_path):
    led = filled["ledger"]
    out = tmp_path / "c2.pdf"
    res = export_dossier(led, out, scope=Scope(contact=filled["c2"].id))
    # only contact c2's entries: its incident was recorded well before the letter events
    assert res.generated_at == filled["i3"].recorded_at.replace(microsecond=0)
    everything = export_dossier(led, tmp_path / "all.pdf")
    newest_event = filled["ledger"].request(filled["request"].id).events[-1].recorded_at
    assert everything.generated_at == newest_event.replace(microsecond=0)
    with pikepdf.open(out) as pdf:
        xmp = pdf.Root.Metadata.read_bytes().decode()
        assert f"<xmp:CreateDate>{res.generated_at.isoformat()}</xmp:CreateDate>" in xmp
        assert str(pdf.trailer.Info.CreationDate) == res.generated_at.strftime(
            "D:%Y%m%d%H%M%S+00'00'")


def test_pdfa_structure(dossier):
    path, _ = dossier
    with pikepdf.open(path) as pdf:
        assert pdf.pdf_version >= "1.7"
        xmp = pdf.Root.Metadata.read_bytes().decode()
        assert "<pdfaid:part>3</pdfaid:part>" in xmp
        assert "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
        assert "Evidence dossier" in xmp
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == "/GTS_PDFA1"
        icc = intent.DestOutputProfile.read_bytes()
        assert icc[36:40] == b"acsp" and int(intent.DestOutputProfile.N) == 3
        assert len(pdf.trailer.ID) == 2
        fonts = 0
        for page in pdf.pages:
            for _name, font in page.Resources.get("/Font", {}).items():
                fonts += 1
                assert "/FontFile2" in font.FontDescriptor, font.BaseFont
        assert fonts
        assert "/Encrypt" not in pdf.trailer


def test_qpdf_check_is_clean(dossier):
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        if os.environ.get("GDPRKIT_CI"):  # .ci/run installs it: missing there is a failure
            pytest.fail("qpdf is not installed")
        pytest.skip("the qpdf binary is not installed (apt-get install qpdf)")
    path, _ = dossier
    r = subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "No syntax or stream encoding errors found" in r.stdout
    listed = subprocess.run([qpdf, "--list-attachments", str(path)], capture_output=True,
                            text=True).stdout
    assert "gdprkit-dossier.json" in listed


def test_reproducible_byte_for_byte(filled, tmp_path, ledger_path):
    from gdprkit.ledger import Ledger
    from tests.conftest import PASSPHRASE

    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    export_dossier(filled["ledger"], a)
    with Ledger.open(ledger_path, PASSPHRASE) as again:  # a new process would see the same
        export_dossier(again, b)
    assert a.read_bytes() == b.read_bytes()
    # a new entry changes the checkpoint, hence the file
    filled["ledger"].add_contact("Someone New")
    c = tmp_path / "c.pdf"
    export_dossier(filled["ledger"], c)
    assert c.read_bytes() != a.read_bytes()


def test_check_program_in_appendix_runs_with_stdlib_only(dossier, tmp_path):
    from gdprkit.dossier._manifest import CHECK_PROGRAM

    path, _ = dossier
    work = tmp_path / "extracted"
    work.mkdir()
    with pikepdf.open(path) as pdf:
        for name, spec in pdf.attachments.items():
            (work / name).write_bytes(spec.get_file().read_bytes())
    r = subprocess.run([sys.executable, "-I", "-c", CHECK_PROGRAM], cwd=work,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "PROOF FAILS" not in r.stdout and "sha256 ok" in r.stdout
    # and it notices a changed file
    victim = next(p for p in work.iterdir() if p.name.endswith("blob.bin"))
    victim.write_bytes(b"changed")
    r = subprocess.run([sys.executable, "-I", "-c", CHECK_PROGRAM], cwd=work,
                       capture_output=True, text=True)
    assert r.returncode == 1 and "SHA256 DIFFERS" in r.stdout


def test_hostile_text_never_breaks_the_markup(ledger, tmp_path):
    long = "A" * 5000
    c = ledger.add_contact((HOSTILE + long)[:5000], email="x@example.org", org=HOSTILE)
    note = (HOSTILE * 3 + "\n\n") + ("word " * 1000) + long + "\n" + "\x0b\x1b[31m"
    ledger.log_incident("other", c.id, platform=HOSTILE[:150], note=note,
                        evidence=[EvidenceInput(name=HOSTILE + ".txt", data=HOSTILE.encode() * 20,
                                                source=HOSTILE, acquired_by=HOSTILE)])
    out = tmp_path / "hostile.pdf"
    export_dossier(ledger, out)
    text = _text(out)
    assert "<font name='Courier'>x</font> & &amp;" in text
    assert "{{ 7*7 }}" in text
    assert "\U0001F600" in text  # astral characters map back to text (UTF-16 ToUnicode)
    verify_dossier(out)


# -- scope and language ------------------------------------------------------------------


def test_scope_filters(filled, tmp_path):
    led = filled["ledger"]

    def ids(**kw):
        out = tmp_path / "s.pdf"
        export_dossier(led, out, scope=Scope(**kw))
        return {e["id"] for e in _manifest(out)["entries"] if e["kind"] == "incident"}

    i1, i2, i3 = filled["i1"].id, filled["i2"].id, filled["i3"].id
    assert ids() == {i1, i2, i3}
    assert ids(contact=filled["c1"].id) == {i1, i2}
    assert ids(incidents=(i3,)) == {i3}
    assert ids(since=dt.date(2026, 2, 15)) == {i2}
    assert ids(until=dt.date(2026, 2, 10)) == {i1, i3}
    with pytest.raises(BadInput, match="no incidents match"):
        export_dossier(led, tmp_path / "x.pdf", scope=Scope(since=dt.date(2027, 1, 1)))
    assert not (tmp_path / "x.pdf").exists()


def test_languages(filled, tmp_path):
    from gdprkit.dossier.labels import LANGS, TABLE

    keys = set(TABLE["en"])
    for lang in LANGS:
        assert set(TABLE[lang]) == keys, lang
        for sub in ("kinds", "actions", "methods", "letters", "statuses"):
            assert set(TABLE[lang][sub]) == set(TABLE["en"][sub]), (lang, sub)
        assert len(TABLE[lang]["verify_steps"]) == len(TABLE["en"]["verify_steps"])
    led = filled["ledger"]
    out = tmp_path / "de.pdf"
    export_dossier(led, out, lang="de", scope=Scope(incidents=(filled["i3"].id,)))
    assert "Beweisdossier" in _text(out)
    export_dossier(led, out, scope=Scope(incidents=(filled["i3"].id,)))  # profile lang: it
    assert "Fascicolo probatorio" in _text(out)


# -- CLI ----------------------------------------------------------------------------------


def test_cli_export_and_verify(filled, run, tmp_path):
    out = tmp_path / "cli.pdf"
    r = run("export", "pdf", "-o", out, "--contact", filled["c1"].id, "--lang", "fr", "--json")
    assert r.exit_code == 0, r.output
    info = json.loads(r.stdout)
    assert info["incidents"] == 2 and info["attachments"] == 5 and not info["signed"]
    assert info["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert oct(os.stat(out).st_mode & 0o777) == "0o600"
    r2 = run("export", "pdf", "-o", tmp_path / "again.pdf", "--contact", filled["c1"].id,
             "--lang", "fr")
    assert r2.exit_code == 0 and (tmp_path / "again.pdf").read_bytes() == out.read_bytes()

    r = run("verify-dossier", out, "--json")
    assert r.exit_code == 0, r.output
    report = json.loads(r.stdout)
    assert report["ok"] is True and report["proofs_ok"] is True and report["problems"] == []
    assert report["signature"] is None
    assert report["checkpoint"]["signature_ok"] is True
    assert report["checkpoint"]["tree_size"] == filled["ledger"].checkpoint().tree_size
    assert {a["name"] for a in report["attachments"]} == set(_manifest(out)["evidence"][i]
                                                            ["attachment"] for i in range(6)) - {None}
    assert all(a["ok"] for a in report["attachments"])
    r = run("verify-dossier", out)
    assert r.exit_code == 0 and r.stdout.startswith("OK: 5 attachment(s)")


def test_cli_bad_inputs(filled, run, tmp_path):
    r = run("export", "pdf", "-o", tmp_path / "x.pdf", "--since", "2030-01-01")
    assert r.exit_code == 1 and "no incidents match" in r.stderr
    r = run("export", "pdf", "-o", tmp_path / "x.pdf", "--contact", "c99")
    assert r.exit_code == 1 and "c99" in r.stderr
    r = run("export", "pdf", "-o", tmp_path / "x.pdf", "--incident", "i42")
    assert r.exit_code == 1
    r = run("export", "pdf", "-o", tmp_path / "x.pdf", "--lang", "xx")
    assert r.exit_code == 2
    r = run("export", "pdf", "-o", tmp_path / "missing" / "x.pdf")
    assert r.exit_code == 1 and len(r.stderr.strip().splitlines()) == 1
    r = run("export", "pdf", "--help")
    assert "byte-reproducible" in r.output


def test_cli_export_pdf_to_stdout(filled, cli_env, tmp_path):
    """-o - writes the PDF, and only the PDF, on stdout (a real process and pipe)."""
    from tests.conftest import venv_bin

    to_file = tmp_path / "file.pdf"
    r = subprocess.run([venv_bin("gdprkit"), "export", "pdf", "-o", str(to_file)],
                       capture_output=True, cwd=tmp_path, timeout=120)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([venv_bin("gdprkit"), "export", "pdf", "-o", "-"], capture_output=True,
                       cwd=tmp_path, timeout=120)
    assert r.returncode == 0, r.stderr
    assert not (tmp_path / "-").exists()
    assert r.stdout == to_file.read_bytes()  # byte for byte the same dossier
    assert r.stderr.decode().splitlines() == [
        "Wrote the dossier to stdout: 3 incident(s), 5 attached file(s), "
        f"{_pages(to_file)} pages (it holds personal data: keep it safe)"]
    piped = tmp_path / "piped.pdf"
    piped.write_bytes(r.stdout)
    verify_dossier(piped)
    # --json would share stdout with the PDF: a usage error, and nothing written
    r = subprocess.run([venv_bin("gdprkit"), "export", "pdf", "-o", "-", "--json"],
                       capture_output=True, cwd=tmp_path, timeout=120)
    assert r.returncode == 2 and r.stdout == b"" and b"--json" in r.stderr


def test_cli_export_pdf_to_stdout_refuses_a_terminal(filled, cli_env, tmp_path):
    import pty

    from tests.conftest import venv_bin

    leader, follower = pty.openpty()
    try:
        r = subprocess.run([venv_bin("gdprkit"), "export", "pdf", "-o", "-"], stdout=follower,
                           stderr=subprocess.PIPE, cwd=tmp_path, timeout=120)
    finally:
        os.close(follower)
        os.close(leader)
    assert r.returncode == 1
    assert r.stderr.decode().splitlines() == [
        "Error: refusing to write a PDF to the terminal (redirect stdout to a file or a pipe, "
        "or give -o FILE)"]
    assert not (tmp_path / "-").exists()


def test_export_dossier_to_a_stream(filled, tmp_path):
    class Pipe(io.RawIOBase):  # write-only, not seekable: like a pipe
        def __init__(self):
            self.data = bytearray()

        def writable(self):
            return True

        def write(self, b):
            self.data += b
            return len(b)

    a = tmp_path / "a.pdf"
    by_name = export_dossier(filled["ledger"], a)
    pipe = Pipe()
    by_stream = export_dossier(filled["ledger"], pipe)
    assert bytes(pipe.data) == a.read_bytes()
    assert by_stream.sha256 == by_name.sha256 and by_stream.pages == by_name.pages


def _pages(path) -> int:
    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def test_verify_dossier_on_non_dossiers_is_exit_1(run, tmp_path):
    from reportlab.pdfgen.canvas import Canvas

    plain = tmp_path / "plain.pdf"
    c = Canvas(str(plain))
    c.drawString(100, 100, "just a PDF")
    c.save()
    r = run("verify-dossier", plain)
    assert r.exit_code == 1 and "not a gdprkit dossier" in r.stderr
    text = tmp_path / "note.pdf"
    text.write_text("hello, not a pdf")
    r = run("verify-dossier", text)
    assert r.exit_code == 1 and "not a readable PDF" in r.stderr
    r = run("verify-dossier", tmp_path / "absent.pdf")  # a missing file: exit 1 (README)
    assert r.exit_code == 1 and r.stderr.startswith("Error: cannot read ")
    assert "No such file" in r.stderr and len(r.stderr.splitlines()) == 1
    r = run("verify-dossier", tmp_path)
    assert r.exit_code == 1 and "is a folder, not a file" in r.stderr


# -- tampering ----------------------------------------------------------------------------


def _edit(src: Path, dst: Path, fn) -> Path:
    with pikepdf.open(src) as pdf:
        fn(pdf)
        pdf.save(dst)
    return dst


def _file_stream(pdf, name):
    return pikepdf.NameTree(pdf.Root.Names.EmbeddedFiles)[name].EF.F


def _edit_manifest(pdf, change):
    stream = _file_stream(pdf, "gdprkit-dossier.json")
    doc = json.loads(stream.read_bytes())
    change(doc)
    stream.write(json.dumps(doc).encode())


def _problems(run, path):
    r = run("verify-dossier", path, "--json")
    assert r.exit_code == 3, r.output
    report = json.loads(r.stdout)
    assert report["ok"] is False
    return report


def test_swapped_attachment_is_detected(filled, dossier, run, tmp_path):
    path, _ = dossier
    name = f"{filled['i1'].evidence[3].id}-blob.bin"
    bad = _edit(path, tmp_path / "swap.pdf",
                lambda pdf: _file_stream(pdf, name).write(b"innocent bytes"))
    report = _problems(run, bad)
    assert any(name in p and "SHA-256" in p for p in report["problems"])
    assert [a["ok"] for a in report["attachments"] if a["name"] == name] == [False]
    r = run("verify-dossier", bad)
    assert r.exit_code == 3 and name in r.stderr


def test_swapped_attachment_with_edited_manifest_is_detected(filled, dossier, run, tmp_path):
    """Rewriting the manifest to match a swapped file still disagrees with the printed table."""
    path, _ = dossier
    ev = filled["i1"].evidence[3]
    fake = b"innocent bytes"

    def tamper(pdf):
        _file_stream(pdf, f"{ev.id}-blob.bin").write(fake)

        def change(doc):
            item = next(e for e in doc["evidence"] if e["id"] == ev.id)
            item["sha256"] = hashlib.sha256(fake).hexdigest()
            item["size"] = len(fake)
        _edit_manifest(pdf, change)

    report = _problems(run, _edit(path, tmp_path / "swap2.pdf", tamper))
    assert all(a["ok"] for a in report["attachments"])
    assert any(ev.id in p and "evidence table" in p for p in report["problems"])


def test_altered_proof_is_detected(filled, dossier, run, tmp_path):
    path, _ = dossier
    target = filled["i1"].evidence[0].id

    def change(doc):
        item = next(e for e in doc["evidence"] if e["id"] == target)
        first = item["inclusion_proof"][0]
        item["inclusion_proof"][0] = ("0" if first[0] != "0" else "1") + first[1:]

    bad = _edit(path, tmp_path / "proof.pdf", lambda pdf: _edit_manifest(pdf, change))
    report = _problems(run, bad)
    assert report["proofs_ok"] is False
    assert any(f"inclusion proof of {target}" in p for p in report["problems"])


def test_altered_leaf_or_checkpoint_is_detected(filled, dossier, run, tmp_path):
    path, _ = dossier

    def change_leaf(doc):
        doc["entries"][0]["leaf_hash"] = "00" * 32

    report = _problems(run, _edit(path, tmp_path / "leaf.pdf",
                                  lambda pdf: _edit_manifest(pdf, change_leaf)))
    assert report["proofs_ok"] is False

    def change_note(doc):
        lines = doc["checkpoint"]["note"].split("\n")
        lines[1] = str(int(lines[1]) + 1)  # claim a bigger tree
        doc["checkpoint"]["note"] = "\n".join(lines)

    report = _problems(run, _edit(path, tmp_path / "note.pdf",
                                  lambda pdf: _edit_manifest(pdf, change_note)))
    assert report["checkpoint"]["signature_ok"] is False
    assert any("checkpoint signature" in p for p in report["problems"])


def test_extra_or_removed_attachment_is_detected(filled, dossier, run, tmp_path):
    path, _ = dossier

    def add(pdf):
        from pikepdf import AttachedFileSpec

        pdf.attachments["e99-planted.txt"] = AttachedFileSpec(pdf, b"planted")

    report = _problems(run, _edit(path, tmp_path / "extra.pdf", add))
    assert any("e99-planted.txt" in p and "not listed" in p for p in report["problems"])
    name = f"{filled['i1'].evidence[1].id}-pitch.eml"
    report = _problems(run, _edit(path, tmp_path / "less.pdf",
                                  lambda pdf: pdf.attachments.__delitem__(name)))
    assert any(name in p and "missing" in p for p in report["problems"])


def test_malformed_manifest_is_tampering(dossier, run, tmp_path):
    path, _ = dossier
    bad = _edit(path, tmp_path / "junk.pdf",
                lambda pdf: _file_stream(pdf, "gdprkit-dossier.json").write(b"{not json"))
    r = run("verify-dossier", bad)
    assert r.exit_code == 3 and "malformed" in r.stderr


def test_library_verify_raises_with_report(filled, dossier, tmp_path):
    path, _ = dossier
    assert verify_dossier(path).ok
    name = f"{filled['i1'].evidence[3].id}-blob.bin"
    bad = _edit(path, tmp_path / "swap.pdf", lambda pdf: _file_stream(pdf, name).write(b"x"))
    with pytest.raises(TamperDetected) as info:
        verify_dossier(bad)
    assert info.value.exit_code == 3 and not info.value.report.ok


def _retext(src: Path, dst: Path, old: str, new: str, *, page: int | None = None) -> int:
    """Replace printed text in the content streams, as a forger with pikepdf would.

    Each string shown with Tj/TJ is decoded through its font's ToUnicode map;
    the first one holding ``old`` (on ``page``, 1-based, if given) is
    re-encoded with ``new``.  Returns the page number edited.
    """
    from gdprkit.dossier._pagetext import _decoder

    with pikepdf.open(src) as pdf:
        for number, pg in enumerate(pdf.pages, 1):
            if page is not None and number != page:
                continue
            fonts = pg.Resources.Font
            font = None
            instructions = list(pikepdf.parse_content_stream(pg))
            for n, (operands, op) in enumerate(instructions):
                if str(op) == "Tf":
                    font = fonts[str(operands[0])]
                    continue
                if str(op) != "Tj" or font is None:
                    continue
                decode = _decoder(font)
                shown = decode(bytes(operands[0]))
                if old not in shown:
                    continue
                encode = {v: k for k, v in decode.cmap.items()}
                edited = shown.replace(old, new, 1)
                raw = b"".join(encode[ch].to_bytes(decode.width, "big") for ch in edited)
                instructions[n] = pikepdf.ContentStreamInstruction(
                    [pikepdf.String(raw)], pikepdf.Operator("Tj"))
                pg.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))
                pdf.save(dst)
                return number
    raise AssertionError(f"{old!r} is not printed" + (f" on page {page}" if page else ""))


def _page_of(path: Path, needle: str) -> int:
    from pypdf import PdfReader

    for number, pg in enumerate(PdfReader(str(path)).pages, 1):
        if needle in (pg.extract_text() or ""):
            return number
    raise AssertionError(f"{needle!r} is on no page")


def _edited_page_is_named(run, path: Path, number: int) -> dict:
    report = _problems(run, path)
    assert f"page {number}: the printed text differs from what was exported" in \
        report["problems"], report["problems"]
    assert all(a["ok"] for a in report["attachments"]) and report["proofs_ok"] is True
    r = run("verify-dossier", path)
    assert r.exit_code == 3 and f"page {number}:" in r.stderr
    return report


def test_edited_evidence_size_is_detected(filled, dossier, run, tmp_path):
    path, _ = dossier
    size = f"{len(filled['originals']['blob.bin'])} B"
    bad = tmp_path / "size.pdf"
    number = _retext(path, bad, size, "99999 B")
    assert "99999 B" in _text(bad) and size not in _text(bad)  # pypdf reads the forgery
    _edited_page_is_named(run, bad, number)


def test_edited_evidence_file_name_is_detected(filled, dossier, run, tmp_path):
    path, _ = dossier
    page = _page_of(path, f"Incident {filled['i1'].id}")
    bad = tmp_path / "name.pdf"
    number = _retext(path, bad, "blob.bin", "blub.bin", page=page)
    assert "blub.bin" in _text(bad)
    _edited_page_is_named(run, bad, number)


def test_edited_acquired_by_is_detected(filled, dossier, run, tmp_path):
    path, _ = dossier
    page = _page_of(path, f"Incident {filled['i2'].id}")
    bad = tmp_path / "by.pdf"
    number = _retext(path, bad, "Ada Rossi", "Ada Rosse", page=page)
    _edited_page_is_named(run, bad, number)


def test_edited_incident_date_is_detected(filled, dossier, run, tmp_path):
    path, _ = dossier
    page = _page_of(path, f"Incident {filled['i1'].id}")
    bad = tmp_path / "date.pdf"
    number = _retext(path, bad, "2026-02-10T08:30:00Z", "2026-02-11T08:30:00Z", page=page)
    assert number == page and "2026-02-11T08:30:00Z" in _text(bad)
    _edited_page_is_named(run, bad, number)


def test_removed_or_added_page_is_detected(dossier, run, tmp_path):
    path, result = dossier

    def drop(pdf):
        del pdf.pages[-1]

    report = _problems(run, _edit(path, tmp_path / "less.pdf", drop))
    assert f"the dossier has {result.pages - 1} pages, the manifest lists {result.pages}" in \
        report["problems"]

    def add(pdf):
        pdf.add_blank_page()

    report = _problems(run, _edit(path, tmp_path / "more.pdf", add))
    assert f"the dossier has {result.pages + 1} pages, the manifest lists {result.pages}" in \
        report["problems"]


def test_manifest_records_each_page_text(dossier):
    from gdprkit.dossier._pagetext import page_texts

    path, result = dossier
    pages = _manifest(path)["pages"]
    assert len(pages) == result.pages
    with pikepdf.open(path) as pdf:
        texts = list(page_texts(pdf))
    assert [p["text_sha256"] for p in pages] == [
        hashlib.sha256(t.encode("utf-8", "surrogatepass")).hexdigest() for t in texts]


def test_manifest_without_page_hashes_is_malformed(dossier, run, tmp_path):
    path, _ = dossier
    bad = _edit(path, tmp_path / "nopages.pdf",
                lambda pdf: _edit_manifest(pdf, lambda doc: doc.pop("pages")))
    r = run("verify-dossier", bad)
    assert r.exit_code == 3 and "malformed" in r.stderr and "pages" in r.stderr


def _damaged_copies(path: Path, folder: Path) -> dict[str, Path]:
    raw = path.read_bytes()
    xref = raw.rindex(b"\nxref\n")
    table = raw[xref:].split(b"\n")
    entry = table[3 + 5]  # object 5's offset, moved by a few bytes
    table[3 + 5] = b"%010d" % (int(entry[:10]) + 7) + entry[10:]
    copies = {
        "truncated": raw[: len(raw) * 2 // 5],  # `head -c`
        "no-xref": raw[: xref + 1] + raw[raw.rindex(b"trailer"):],
        "cut-after-last-object": raw[: raw.rindex(b"endobj") + 7],
        "bad-offset": raw[:xref] + b"\n".join(table),
        "hole": raw[:len(raw) // 2] + raw[len(raw) // 2 + 100:],
    }
    out = {}
    for name, data in copies.items():
        out[name] = folder / f"{name}.pdf"
        out[name].write_bytes(data)
    return out


def test_damaged_dossier_is_exit_3_not_silently_repaired(dossier, run, tmp_path):
    path, _ = dossier
    for name, bad in _damaged_copies(path, tmp_path).items():
        with pikepdf.open(bad) as pdf:  # qpdf's recovery would make it look whole
            assert len(pdf.pages) > 0, name
        r = run("verify-dossier", bad, "--json")
        assert r.exit_code == 3, (name, r.output)
        problems = json.loads(r.stdout)["problems"]
        assert problems[0].startswith("the PDF file is damaged ("), (name, problems)
        assert problems[0].endswith("): it is not the dossier as exported")
        with pytest.raises(TamperDetected, match="damaged"):
            verify_dossier(bad)


def test_damaged_dossier_error_is_one_line_in_a_real_process(dossier, tmp_path):
    from tests.conftest import venv_bin

    path, _ = dossier
    trunc = tmp_path / "trunc.pdf"
    trunc.write_bytes(path.read_bytes()[:50000])
    r = subprocess.run([venv_bin("gdprkit"), "verify-dossier", str(trunc)], capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 3 and r.stdout == ""
    assert r.stderr.splitlines() == ["Error: dossier check failed: the PDF file is damaged "
                                     "(can't find startxref): it is not the dossier as exported"]


def test_damaged_pdf_that_is_no_dossier_is_exit_1(run, tmp_path):
    from reportlab.pdfgen.canvas import Canvas

    plain = tmp_path / "plain.pdf"
    c = Canvas(str(plain))
    c.drawString(100, 100, "just a PDF")
    c.save()
    for name, bad in _damaged_copies(plain, tmp_path).items():
        r = run("verify-dossier", bad)
        assert r.exit_code == 1, (name, r.output)
        assert "not a readable PDF" in r.stderr or "not a gdprkit dossier" in r.stderr


# -- consistency with the ledger ----------------------------------------------------------


def test_verify_with_ledger_consistency(filled, dossier, run, tmp_path):
    path, _ = dossier
    filled["ledger"].add_contact("Later Entry")  # the ledger grew since the dossier
    r = run("verify-dossier", path, "--with-ledger", "--json")
    assert r.exit_code == 0, r.output
    report = json.loads(r.stdout)
    assert report["ledger"]["consistent"] is True
    assert report["ledger"]["tree_size"] > report["checkpoint"]["tree_size"]
    # every file's SHA-256 was also compared with the ledger's own record
    assert report["ledger"]["evidence_matched"] == len(report["attachments"]) > 0


def test_global_ledger_option_turns_the_ledger_check_on(filled, dossier, run, ledger_path):
    path, _ = dossier
    filled["ledger"].add_contact("Later Entry")
    r = run("verify-dossier", path, "--json")  # $GDPRKIT_LEDGER alone: no ledger check
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["ledger"] is None
    r = run("--ledger", ledger_path, "verify-dossier", path, "--json")
    assert r.exit_code == 0, r.output
    report = json.loads(r.stdout)
    assert report["ledger"]["consistent"] is True
    assert report["ledger"]["evidence_matched"] == len(report["attachments"]) > 0
    r = run("--ledger", ledger_path, "verify-dossier", path)
    assert r.exit_code == 0 and "consistent with the ledger" in r.stdout
    assert "--ledger PATH" in run("verify-dossier", "--help").output


def test_global_ledger_option_finds_another_ledger(dossier, run, tmp_path):
    from gdprkit.ledger import KdfParams, Ledger
    from tests.conftest import PASSPHRASE

    path, _ = dossier
    other = tmp_path / "other.db"
    Ledger.create(other, PASSPHRASE, kdf=KdfParams.minimum()).close()
    r = run("--ledger", other, "verify-dossier", path)
    assert r.exit_code == 3 and "another ledger" in r.stderr


def test_verify_with_another_ledger_fails(dossier, run, tmp_path):
    from gdprkit.ledger import KdfParams, Ledger
    from tests.conftest import PASSPHRASE

    path, _ = dossier
    other = tmp_path / "other.db"
    Ledger.create(other, PASSPHRASE, kdf=KdfParams.minimum()).close()
    r = run("--ledger", other, "verify-dossier", path, "--with-ledger", "--json")
    assert r.exit_code == 3
    assert "another ledger" in json.loads(r.stdout)["problems"][0]


# -- shredding and large files --------------------------------------------------------------


def test_shredded_incident_and_contact(filled, tmp_path):
    led = filled["ledger"]
    i2 = filled["i2"].id
    led.shred(i2, "duplicate entry, removed on request")
    led.shred(filled["c2"].id, "the contact asked for erasure of their data")
    out = tmp_path / "shred.pdf"
    export_dossier(led, out, lang="en")
    text = " ".join(_text(out).split())
    assert "duplicate entry, removed on request" in text
    assert f"Incident {i2}" in text
    kinds = {(e["id"], e["kind"]) for e in _manifest(out)["entries"]}
    assert (i2, "incident") in kinds and (i2, "shred") in kinds
    verify_dossier(out)
    # a filtered scope cannot place a shredded incident: it is left out
    export_dossier(led, out, scope=Scope(contact=filled["c1"].id))
    assert i2 not in {e["id"] for e in _manifest(out)["entries"]}


def test_large_files_stream_into_the_dossier(ledger, tmp_path):
    big = os.urandom(3 * 1024 * 1024 + 17)  # several ledger chunks
    text = ("line of a very long log file\n" * 40000).encode()  # over the excerpt cap
    c = ledger.add_contact("Mallory")
    inc = ledger.log_incident("other", c.id, evidence=[
        EvidenceInput(name="video.bin", data=big), EvidenceInput(name="log.txt", data=text)])
    out = tmp_path / "big.pdf"
    export_dossier(ledger, out, lang="en")
    with pikepdf.open(out) as pdf:
        assert pdf.attachments[f"{inc.evidence[0].id}-video.bin"].get_file().read_bytes() == big
        assert pdf.attachments[f"{inc.evidence[1].id}-log.txt"].get_file().read_bytes() == text
    assert "Excerpt: the first" in " ".join(_text(out).split())
    verify_dossier(out)


# -- memory: evidence files are streamed, not held whole -------------------------------------

_MEASURE = r'''
import resource, sys
import pikepdf, reportlab.platypus  # noqa: F401 (loaded before the baseline)
from gdprkit.dossier import export_dossier, verify_dossier
from gdprkit.ledger import Ledger

def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

what, ledger_path, out, *p12 = sys.argv[1:]
if what == "export":
    signer = None
    if p12:
        from gdprkit.dossier import load_signer

        signer = load_signer(p12[0], p12[1].encode())
    with Ledger.open(ledger_path, sys.stdin.buffer.read()) as led:
        base = peak()
        export_dossier(led, out, signer=signer)
else:
    import gdprkit.dossier._verify, gdprkit.ledger.merkle, gdprkit.ledger.note  # noqa: F401
    base = peak()
    verify_dossier(out)
print(peak() - base)
'''


def _growth(what: str, ledger_path, out, *p12) -> int:
    from tests.conftest import PASSPHRASE

    # Linux hands a process the peak RSS of the one it was forked from (kept
    # across exec): start the measured one from a small launcher, not pytest.
    launch = "import subprocess, sys; sys.exit(subprocess.run(sys.argv[1:]).returncode)"
    r = subprocess.run([sys.executable, "-c", launch, sys.executable, "-c", _MEASURE, what,
                        str(ledger_path), str(out), *map(str, p12)],
                       input=PASSPHRASE, capture_output=True, timeout=300)
    assert r.returncode == 0, r.stderr.decode()
    return int(r.stdout)


def test_big_evidence_is_streamed_through_export_and_verify(ledger, ledger_path, tmp_path):
    mib = 1 << 20
    files = [os.urandom(16 * mib) for _ in range(4)]  # incompressible
    c = ledger.add_contact("Mallory")
    ledger.log_incident("other", c.id, evidence=[
        EvidenceInput(name=f"video{n}.bin", data=data) for n, data in enumerate(files)])
    ledger.close()
    out = tmp_path / "big.pdf"
    grew = _growth("export", ledger_path, out)
    # qpdf buffers the one stream it is writing (up to twice its size); the
    # other files stay on disk.  Copying them into the PDF (as copy_foreign
    # did) held all of them at once: over 80 MiB here.
    assert grew < 56 * mib, f"export grew by {grew / mib:.0f} MiB"
    with pikepdf.open(out) as pdf:
        got = sorted(spec.get_file().read_bytes() for spec in pdf.attachments.values()
                     if not spec.filename.endswith(".json"))
    assert got == sorted(files)
    grew = _growth("verify", ledger_path, out)
    # hashed block by block from the file: with pikepdf's read_bytes() it
    # grew by over 60 MiB here
    assert grew < 12 * mib, f"verify grew by {grew / mib:.0f} MiB"


def test_verifier_reads_our_streams_from_the_file(filled, dossier, tmp_path):
    """The block-by-block reader takes every attachment of a real dossier and
    gives what pikepdf gives; a stream it cannot read as qpdf would is left to
    pikepdf (a dictionary string that could hide a 'stream' keyword)."""
    from gdprkit.dossier._rawstream import digest_from_file, digest_with_pikepdf

    path, _ = dossier
    with pikepdf.open(path, attempt_recovery=False) as pdf, open(path, "rb") as fh:
        xref = pdf.get_xref_table()
        streams = {name: spec.obj.EF.F for name, spec in pdf.attachments.items()}
        assert len(streams) == 6
        for name, stream in streams.items():
            fast = digest_from_file(pdf, fh, stream, xref)
            assert fast is not None, name
            assert fast == digest_with_pikepdf(stream), name
        for name, original in filled["originals"].items():
            matches = [n for n in streams if n.endswith("-" + name)]
            if matches:
                assert digest_from_file(pdf, fh, streams[matches[0]], xref) == (
                    hashlib.sha256(original).hexdigest(), len(original))

    name = f"{filled['i1'].evidence[3].id}-blob.bin"

    def decoy(pdf):
        _file_stream(pdf, name).Decoy = pikepdf.String(b"stream\nx\nendstream")

    odd = _edit(path, tmp_path / "decoy.pdf", decoy)
    with pikepdf.open(odd, attempt_recovery=False) as pdf, open(odd, "rb") as fh:
        stream = _file_stream(pdf, name)
        assert digest_from_file(pdf, fh, stream, pdf.get_xref_table()) is None
    # the dictionary changed, the data did not: still verifies, through pikepdf
    verify_dossier(odd)
    # in an encrypted copy the file holds ciphertext: pikepdf decrypts
    locked = tmp_path / "encrypted.pdf"
    with pikepdf.open(path) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(owner="owner", user="", R=6))
    with pikepdf.open(locked, attempt_recovery=False) as pdf, open(locked, "rb") as fh:
        stream = _file_stream(pdf, name)
        assert digest_from_file(pdf, fh, stream, pdf.get_xref_table()) is None
    verify_dossier(locked)


def test_incident_time_is_shown_in_the_offset_it_was_given_in(ledger, tmp_path):
    """00:30 in Rome on 2 March is 2 March in the dossier too (as in the letters)."""
    rome = dt.timezone(dt.timedelta(hours=1))
    c = ledger.add_contact("Late Night")
    ledger.log_incident("direct-pitch", c.id, when=dt.datetime(2026, 3, 2, 0, 30, tzinfo=rome))
    ledger.log_incident("direct-pitch", c.id, when=dt.datetime(2026, 3, 1, 23, 45, tzinfo=dt.UTC))
    out = tmp_path / "tz.pdf"
    export_dossier(ledger, out)
    text = _squash(_text(out))
    assert "2026-03-02T00:30:00+01:00" in text and "2026-03-01T23:30:00Z" not in text
    assert "2026-03-01T23:45:00Z" in text
    # the timeline stays in time order: 23:30 UTC comes before 23:45 UTC
    assert text.index("2026-03-02T00:30:00+01:00") < text.index("2026-03-01T23:45:00Z")


def test_request_status_is_derived_like_the_requests_command(ledger, tmp_path):
    """A reminder whose original request went to the authority is no longer overdue."""
    c = ledger.add_contact("Slow Controller", email="slow@example.org")
    inc = ledger.log_incident("mailing-list", c.id,
                              when=dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC))
    first = ledger.add_request(kind="erasure", lang="en", format="txt", recipient_name="Slow",
                               contact=c.id, incidents=[inc.id], sent=dt.date(2026, 1, 10),
                               due=dt.date(2026, 2, 10), sha256="cd" * 32)
    reminder = ledger.add_request(kind="reminder", lang="en", format="txt",
                                  recipient_name="Slow", contact=c.id, incidents=[inc.id],
                                  sent=dt.date(2026, 2, 20), due=dt.date(2026, 3, 2),
                                  sha256="ef" * 32, related_request=first.id)
    ledger.add_request_event(first.id, "reminder-sent", dt.date(2026, 2, 20))
    ledger.add_request_event(first.id, "complaint-filed", dt.date(2026, 3, 20))
    out = tmp_path / "status.pdf"
    export_dossier(ledger, out, lang="en")
    text = _squash(_text(out))
    assert "overdue" not in text
    assert text.count("complaintfiled") >= 2, "both the request and its reminder"
    assert first.id in text and reminder.id in text


@pytest.mark.parametrize("hostile", [
    b"Subject: " + b" ".join([b"=?utf-8?q?a?="] * 30_000) + b"\r\n\r\nbody\r\n",
    b"Content-Type: text/html\r\n\r\n" + b"<br" * 150_000,
    b"Content-Type: text/html\r\n\r\n" + b"<" * 450_000,
], ids=["100k-encoded-words", "unclosed-br", "bare-lt"])
def test_email_preview_of_a_hostile_message_takes_linear_time(hostile):
    """The stdlib took 30 s (encoded words) and 225 s (unclosed <br) on one such
    message; the bound is relative to a plain message of the same size."""
    import time

    from gdprkit.dossier._preview import HEADER_CAP, _email

    plain = b"Subject: hello\r\nContent-Type: text/html\r\n\r\n" + b"<p>word</p> " * (
        len(hostile) // 12)

    def timed(raw):
        start = time.perf_counter()
        preview = _email(raw, False)
        return time.perf_counter() - start, preview

    baseline, _ = timed(plain)
    elapsed, preview = timed(hostile)
    assert elapsed < 20 * baseline + 1.0
    assert all(len(value) <= HEADER_CAP for _name, value in preview.headers)


def test_characters_the_fonts_lack_are_written_as_code_points(ledger, tmp_path):
    c = ledger.add_contact("王小明 \U0001fae0 😀")  # DejaVu has 😀, not the melting face
    ledger.log_incident("direct-pitch", c.id, note="中文 note, Ζωή, Łódź ✓",
                        when=dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC))
    out = tmp_path / "cjk.pdf"
    export_dossier(ledger, out, lang="en")
    text = _text(out)
    assert "[U+738B U+5C0F U+660E] [U+1FAE0] 😀" in text
    assert "[U+4E2D U+6587] note, Ζωή, Łódź ✓" in text


def test_bidi_overrides_cannot_disguise_file_names_in_the_dossier(ledger, tmp_path):
    c = ledger.add_contact("Spoofer")
    ledger.log_incident("direct-pitch", c.id, note="see invoice\u202etxt.exe now",
                        when=dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC),
                        evidence=[EvidenceInput(name="photo\u202egnp.exe", data=b"x")])
    out = tmp_path / "bidi.pdf"
    export_dossier(ledger, out, lang="en")
    text = _text(out)
    assert "\u202e" not in text
    assert "photo\ufffdgnp.exe" in text and "invoice\ufffdtxt.exe" in text


def test_the_evidence_carrier_has_no_name_on_disk_while_exporting(filled, tmp_path,
                                                                   monkeypatch):
    """The temporary file holding the evidence during an export is nameless (Linux),
    so a kill at any instant leaves no plaintext evidence in a folder."""
    import os

    from gdprkit.dossier import _pdfa

    seen = []
    real_finish = _pdfa.finish

    def spying_finish(*args, **kwargs):
        seen.append((kwargs["carrier_path"], sorted(p.name for p in tmp_path.iterdir())))
        return real_finish(*args, **kwargs)

    monkeypatch.setattr(_pdfa, "finish", spying_finish)
    export_dossier(filled["ledger"], tmp_path / "d.pdf")
    (carrier, listing), = seen
    if os.path.isdir("/proc/self/fd"):
        assert carrier.startswith("/proc/self/fd/")
        assert not [n for n in listing if n.startswith(".gdprkit-dossier-")]
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_an_annotation_drawn_over_a_page_is_detected(filled, dossier, run, tmp_path):
    """A FreeText box over the evidence table leaves the page's own text unchanged."""
    path, _ = dossier

    def tamper(pdf):
        page = pdf.pages[-1]
        box = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.FreeText,
            Rect=[50, 500, 300, 520], Contents=pikepdf.String("99999 B"),
            DA=pikepdf.String("/Helv 10 Tf 0 g")))
        page.obj.Annots = pdf.make_indirect(pikepdf.Array([box]))

    report = _problems(run, _edit(path, tmp_path / "annot.pdf", tamper))
    assert any("annotation (FreeText) was added after export" in p for p in report["problems"])
