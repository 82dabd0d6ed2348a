"""PAdES-signed dossiers: a test CA and signing certificate made here with cryptography."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys

import pikepdf
import pytest

pytest.importorskip("pyhanko")

from gdprkit.model import EvidenceInput  # noqa: E402

P12_PASS = b"p12 secret"


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "gdprkit test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(1)
          .not_valid_before(now).not_valid_after(now + dt.timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False,
                                       key_encipherment=False, data_encipherment=False,
                                       key_agreement=False, key_cert_sign=True, crl_sign=True,
                                       encipher_only=False, decipher_only=False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Dora DPO"),
                                     x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ACME Legal")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(2)
            .not_valid_before(now).not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True,
                                         key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, key_cert_sign=False, crl_sign=False,
                                         encipher_only=False, decipher_only=False), critical=True)
            .sign(ca_key, hashes.SHA256()))
    folder = tmp_path_factory.mktemp("pki")
    p12 = folder / "signer.p12"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(
        b"signer", key, cert, [ca], serialization.BestAvailableEncryption(P12_PASS)))
    passfile = folder / "p12pass.txt"
    passfile.write_bytes(P12_PASS + b"\n")
    wrong = folder / "wrong.txt"
    wrong.write_bytes(b"not it\n")
    return {"p12": p12, "pass": passfile, "wrong": wrong, "ca": ca}


@pytest.fixture
def small(ledger):
    c = ledger.add_contact("Mallory Vend", email="m@acme.example")
    ledger.log_incident("direct-pitch", c.id,
                        evidence=[EvidenceInput(name="pitch.txt", data=b"Buy now!\n")])
    return ledger


def test_signed_dossier_validates_with_pyhanko(small, run, pki, tmp_path):
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives.serialization import Encoding
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    out = tmp_path / "signed.pdf"
    r = run("export", "pdf", "-o", out, "--sign", pki["p12"],
            "--sign-passphrase-file", pki["pass"], "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["signed"] is True

    ca_der = pki["ca"].public_bytes(Encoding.DER)
    assert not pem.detect(ca_der)
    root = asn1_x509.Certificate.load(ca_der)
    with open(out, "rb") as fh:
        reader = PdfFileReader(fh)
        (sig,) = reader.embedded_signatures
        status = validate_pdf_signature(sig, ValidationContext(trust_roots=[root],
                                                               allow_fetching=False))
        assert status.intact and status.valid and status.trusted
        assert sig.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES baseline
        assert "Dora DPO" in status.signing_cert.subject.human_friendly

    r = run("verify-dossier", out, "--json")
    assert r.exit_code == 0, r.output
    report = json.loads(r.stdout)
    sig = report["signature"]
    assert sig["present"] is True and sig["intact"] is True
    assert "Dora DPO" in sig["signer"]
    assert sig["trusted"] is False  # our test CA is not a system root: reported, not a failure
    assert report["ok"] is True
    # the signed file still carries its attachments and PDF/A metadata
    with pikepdf.open(out) as pdf:
        assert pdf.attachments["gdprkit-dossier.json"].get_file().read_bytes()
        xmp = pdf.Root.Metadata.read_bytes().decode()
        info = pdf.trailer.Info
    # the signer rewrites the XMP packet: PDF/A identification must survive it,
    # and every Info entry must still have an equal XMP twin
    assert re.search(r'pdfaid:part(="3"|>3<)', xmp) and re.search(r'conformance(="B"|>B<)', xmp)
    assert "/Producer" not in info or str(info.Producer) in xmp
    assert str(info.Title) in xmp


def test_changed_after_signing_is_detected(small, run, pki, tmp_path):
    out = tmp_path / "signed.pdf"
    assert run("export", "pdf", "-o", out, "--sign", pki["p12"],
               "--sign-passphrase-file", pki["pass"]).exit_code == 0
    # an incremental update appended after the signature (attachments unchanged)
    edited = tmp_path / "edited.pdf"
    with pikepdf.open(out) as pdf:
        pdf.Root.Lang = pikepdf.String("xx")
        pdf.save(edited)
    r = run("verify-dossier", edited, "--json")
    assert r.exit_code == 3
    report = json.loads(r.stdout)
    assert report["signature"]["present"] is True and report["signature"]["intact"] is False
    # bytes changed inside the signed range
    raw = bytearray(out.read_bytes())
    at = raw.index(b"/Lang")
    raw[at + 7] ^= 0x01
    flipped = tmp_path / "flipped.pdf"
    flipped.write_bytes(bytes(raw))
    r = run("verify-dossier", flipped, "--json")
    assert r.exit_code == 3
    assert json.loads(r.stdout)["signature"]["intact"] is False


def test_wrong_p12_passphrase_is_exit_4(small, run, pki, tmp_path):
    out = tmp_path / "x.pdf"
    r = run("export", "pdf", "-o", out, "--sign", pki["p12"], "--sign-passphrase-file",
            pki["wrong"])
    assert r.exit_code == 4, r.output
    assert "wrong passphrase" in r.stderr and not out.exists()
    assert P12_PASS.decode() not in r.output


def test_sign_needs_a_pkcs12_file(small, run, pki, tmp_path):
    junk = tmp_path / "junk.p12"
    junk.write_bytes(b"not a certificate store")
    r = run("export", "pdf", "-o", tmp_path / "x.pdf", "--sign", junk,
            "--sign-passphrase-file", pki["pass"])
    assert r.exit_code == 1 and "not a PKCS#12" in r.stderr
    r = run("export", "pdf", "-o", tmp_path / "x.pdf", "--sign-passphrase-file", pki["pass"])
    assert r.exit_code == 1 and "needs --sign" in r.stderr


def test_sign_passphrase_from_environment(small, run, pki, tmp_path, monkeypatch):
    monkeypatch.setenv("GDPRKIT_SIGN_PASSPHRASE", P12_PASS.decode())
    r = run("export", "pdf", "-o", tmp_path / "env.pdf", "--sign", pki["p12"])
    assert r.exit_code == 0, r.output


def test_missing_pyhanko_is_a_clear_error(small, run, pki, tmp_path, monkeypatch):
    for name in list(sys.modules):
        if name == "pyhanko" or name.startswith("pyhanko."):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "pyhanko", None)  # import pyhanko -> ImportError
    r = run("export", "pdf", "-o", tmp_path / "x.pdf", "--sign", pki["p12"],
            "--sign-passphrase-file", pki["pass"])
    assert r.exit_code == 1
    assert "pyHanko" in r.stderr and "gdprkit[sign]" in r.stderr


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory):
    """A self-signed RSA certificate in a .p12: pyHanko logs a traceback validating it."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Me Myself")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(7)
            .not_valid_before(now).not_valid_after(now + dt.timedelta(days=30))
            .sign(key, hashes.SHA256()))
    folder = tmp_path_factory.mktemp("selfsigned")
    p12 = folder / "me.p12"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(
        b"me", key, cert, None, serialization.BestAvailableEncryption(P12_PASS)))
    passfile = folder / "p"
    passfile.write_bytes(P12_PASS + b"\n")
    return p12, passfile


def test_verify_signed_dossier_prints_no_pyhanko_logging(small, run, self_signed, tmp_path):
    """A real process: pytest's log capture would hide what reaches stderr."""
    import subprocess

    from tests.conftest import venv_bin

    p12, passfile = self_signed
    out = tmp_path / "signed.pdf"
    r = run("export", "pdf", "-o", out, "--sign", p12, "--sign-passphrase-file", passfile)
    assert r.exit_code == 0, r.output

    def verify(path):
        return subprocess.run([venv_bin("gdprkit"), "verify-dossier", str(path)],
                              capture_output=True, text=True, timeout=120)

    ok = verify(out)
    assert ok.returncode == 0, ok.stderr
    assert ok.stderr == ""
    assert ok.stdout.startswith("OK: ") and "PDF signature intact" in ok.stdout
    raw = bytearray(out.read_bytes())
    at = raw.index(b"/Lang")
    raw[at + 7] ^= 0x01  # a byte changed inside the signed range
    flipped = tmp_path / "flipped.pdf"
    flipped.write_bytes(bytes(raw))
    bad = verify(flipped)
    assert bad.returncode == 3
    assert bad.stdout == ""
    assert bad.stderr.splitlines() == [
        "Error: dossier check failed: the PDF signature does not match the document"]


def test_quiet_pyhanko_silences_children_and_restores():
    import logging

    from gdprkit.dossier._verify import _quiet_pyhanko

    seen = []

    class Catch(logging.Handler):
        def emit(self, record):
            seen.append(record.name)

    parent = logging.getLogger("pyhanko")
    child = logging.getLogger("pyhanko.sign.validation.generic_cms")
    catch = Catch()
    logging.getLogger().addHandler(catch)
    before = (parent.disabled, parent.propagate, parent.level, list(parent.handlers))
    try:
        with _quiet_pyhanko():
            child.error("Validation error")
            child.setLevel(logging.DEBUG)  # even a child with its own level
            child.error("Validation error")
            child.setLevel(logging.NOTSET)
        assert seen == []
        assert (parent.disabled, parent.propagate, parent.level, list(parent.handlers)) == before
        child.error("after")
        assert seen == ["pyhanko.sign.validation.generic_cms"]
    finally:
        logging.getLogger().removeHandler(catch)


def test_signed_dossier_opens_without_recovery_and_truncation_is_damage(small, run, pki,
                                                                        tmp_path):
    """pyHanko appends the signature as an incremental update: it must read as is."""
    out = tmp_path / "signed.pdf"
    assert run("export", "pdf", "-o", out, "--sign", pki["p12"],
               "--sign-passphrase-file", pki["pass"]).exit_code == 0
    with pikepdf.open(out, attempt_recovery=False) as pdf:
        assert pdf.attachments["gdprkit-dossier.json"].get_file().read_bytes()
        assert len(pdf.pages) > 0 and pdf.get_warnings() == []
    assert run("verify-dossier", out).exit_code == 0
    raw = out.read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(raw[: raw.rindex(b"startxref")])  # the signed revision loses its end
    r = run("verify-dossier", cut)
    assert r.exit_code == 3 and "the PDF file is damaged" in r.stderr


def test_signing_a_big_dossier_does_not_hold_it_in_memory(ledger, ledger_path, pki, tmp_path):
    import os

    from tests.test_dossier import _growth

    mib = 1 << 20
    files = [os.urandom(16 * mib) for _ in range(4)]
    c = ledger.add_contact("Mallory")
    ledger.log_incident("other", c.id, evidence=[
        EvidenceInput(name=f"video{n}.bin", data=data) for n, data in enumerate(files)])
    ledger.close()
    out = tmp_path / "signed.pdf"
    grew = _growth("export", ledger_path, out, pki["p12"], P12_PASS.decode())
    # the unsigned and signed revisions go through temporary files; in memory
    # (as BytesIO and pyHanko's output) they added twice the dossier's size
    assert grew < 56 * mib, f"signed export grew by {grew / mib:.0f} MiB"
    with pikepdf.open(out) as pdf:
        got = sorted(spec.get_file().read_bytes() for spec in pdf.attachments.values()
                     if not spec.filename.endswith(".json"))
    assert got == sorted(files)
    from gdprkit.dossier import verify_dossier

    assert verify_dossier(out).signature["intact"] is True
