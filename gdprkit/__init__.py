"""gdprkit: evidence ledger, GDPR letters and evidence dossiers.

The public API is importable from here; heavy modules load on first use so
that importing gdprkit (and running ``gdprkit --help``) stays fast::

    from gdprkit import Ledger, render_letter, due_date, run_batch
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__
from .errors import (
    BadInput,
    GdprkitError,
    LedgerError,
    LedgerLocked,
    NotFound,
    ProofError,
    TamperDetected,
    VerificationFailed,
    WrongPassphrase,
)

# public name -> module that defines it (loaded on first attribute access)
_LAZY: dict[str, str] = {
    "Ledger": "gdprkit.ledger",
    "KdfParams": "gdprkit.ledger",
    "Profile": "gdprkit.model",
    "Contact": "gdprkit.model",
    "Incident": "gdprkit.model",
    "Evidence": "gdprkit.model",
    "EvidenceInput": "gdprkit.model",
    "IncidentInput": "gdprkit.model",
    "Request": "gdprkit.model",
    "Checkpoint": "gdprkit.model",
    "IncidentKind": "gdprkit.model",
    "LetterKind": "gdprkit.model",
    "render_letter": "gdprkit.letters",
    "letter_from_ledger": "gdprkit.letters.from_ledger",
    "record_letter": "gdprkit.letters.from_ledger",
    "due_date": "gdprkit.legal.deadlines",
    "explain_due": "gdprkit.legal.deadlines",
    "export_dossier": "gdprkit.dossier",
    "verify_dossier": "gdprkit.dossier",
    "Recipient": "gdprkit.letters",
    "RenderedLetter": "gdprkit.letters",
    "run_batch": "gdprkit.batch",
    "BatchResult": "gdprkit.batch",
    "RowResult": "gdprkit.batch",
}

__all__ = [
    "__version__",
    "BadInput",
    "GdprkitError",
    "LedgerError",
    "LedgerLocked",
    "NotFound",
    "ProofError",
    "TamperDetected",
    "VerificationFailed",
    "WrongPassphrase",
    *_LAZY,
]

if TYPE_CHECKING:  # pragma: no cover
    from .ledger import KdfParams, Ledger  # noqa: F401
    from .model import (  # noqa: F401
        Checkpoint,
        Contact,
        Evidence,
        EvidenceInput,
        Incident,
        IncidentKind,
        LetterKind,
        Profile,
        Request,
    )


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'gdprkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
