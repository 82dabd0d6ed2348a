"""Evidence dossier: a PDF/A-3b export for compliance staff, and its verifier.

DESIGN.md section 6.  ``export_dossier`` writes one reproducible PDF with the
original evidence files embedded, their hashes, an inclusion proof of every
ledger entry used and (optionally) a PAdES signature; ``verify_dossier``
checks all of that without the ledger::

    from gdprkit.dossier import Scope, export_dossier, verify_dossier

    with Ledger.open(path, passphrase) as led:
        export_dossier(led, "dossier.pdf", scope=Scope(contact="c1"))
    verify_dossier("dossier.pdf")   # raises TamperDetected naming what fails

Heavy modules (reportlab, pikepdf, pyHanko) load on first use.
"""

from __future__ import annotations

from ._collect import Scope

__all__ = ["DossierReport", "ExportResult", "Scope", "export_dossier", "load_signer",
           "verify_dossier"]


def export_dossier(ledger, output, *, scope=None, lang=None, signer=None):
    """Write the evidence dossier; see :func:`gdprkit.dossier._export.export_dossier`."""
    from ._export import export_dossier as run

    return run(ledger, output, scope=scope, lang=lang, signer=signer)


def verify_dossier(path, *, ledger=None):
    """Check a dossier; see :func:`gdprkit.dossier._verify.verify_dossier`."""
    from ._verify import verify_dossier as run

    return run(path, ledger=ledger)


def load_signer(p12_path, passphrase):
    """A PAdES signer from a PKCS#12 file (needs ``gdprkit[sign]``)."""
    from ._sign import load_signer as run

    return run(p12_path, passphrase)


def __getattr__(name: str):
    if name == "DossierReport":
        from ._verify import DossierReport

        return DossierReport
    if name == "ExportResult":
        from ._export import ExportResult

        return ExportResult
    raise AttributeError(f"module 'gdprkit.dossier' has no attribute {name!r}")
