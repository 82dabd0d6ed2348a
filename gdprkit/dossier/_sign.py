"""PAdES baseline (B-B) signatures with pyHanko and a key from a PKCS#12 file.

A signature embeds the signing time, so a signed dossier is not
byte-reproducible; the unsigned revision inside it still is.
"""

from __future__ import annotations

import os
from typing import BinaryIO

from ..errors import BadInput, MissingDependency, WrongPassphrase

FIELD_NAME = "gdprkit-dossier-signature"


def _pyhanko():
    try:
        from pyhanko.sign import fields, signers
    except ImportError:
        raise MissingDependency("pyHanko", "sign") from None
    return fields, signers


def load_signer(p12_path: str | os.PathLike, passphrase: bytes | None):
    """A pyHanko signer from a PKCS#12 file.

    WrongPassphrase (exit 4) when the passphrase does not open it; BadInput
    when the file is not PKCS#12 or holds no key and certificate.
    """
    _fields, signers = _pyhanko()
    from cryptography.hazmat.primitives.serialization import pkcs12

    try:
        with open(p12_path, "rb") as fh:
            data = fh.read(16 * 1024 * 1024)
    except OSError as err:
        raise BadInput(f"cannot read the PKCS#12 file {str(p12_path)!r}: "
                       f"{err.strerror or err}") from None
    try:
        key, cert, _others = pkcs12.load_key_and_certificates(data, passphrase)
    except ValueError:
        if _is_pkcs12(data):
            raise WrongPassphrase(f"wrong passphrase for the PKCS#12 file {str(p12_path)!r}",
                                  hint="give it with --sign-passphrase-file") from None
        raise BadInput(f"{str(p12_path)!r} is not a PKCS#12 (.p12/.pfx) file") from None
    if key is None or cert is None:
        raise BadInput(f"the PKCS#12 file {str(p12_path)!r} needs both a private key and "
                       "its certificate")
    return signers.SimpleSigner.load_pkcs12_data(data, other_certs=None, passphrase=passphrase)


def _is_pkcs12(data: bytes) -> bool:
    try:
        from asn1crypto import pkcs12 as asn1_pkcs12

        pfx = asn1_pkcs12.Pfx.load(data, strict=True)
        return pfx["version"].native == "v3" and pfx["auth_safe"]["content_type"].native in (
            "data", "signed_data")
    except Exception:
        return False


def sign_pdf(src: BinaryIO, out: BinaryIO, signer, *, reason: str) -> None:
    """Append a PAdES B-B signature to the PDF in ``src`` as an incremental update.

    ``src`` is a readable, seekable file; the signed PDF goes to ``out``, a
    readable, writable and seekable file (pyHanko copies the original in
    blocks, then reads its output back to compute the digest).
    """
    fields, signers = _pyhanko()
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    src.seek(0)
    writer = IncrementalPdfFileWriter(src)
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256",
        reason=reason,
    )
    signers.sign_pdf(writer, meta, signer=signer, output=out)
