"""The single error hierarchy of gdprkit.

Every error a user can cause or meet derives from :class:`GdprkitError`; its
``exit_code`` is what the CLI exits with, and its message is the one line the
CLI prints after ``Error:``.  Library callers catch the base class once.
"""

from __future__ import annotations


class GdprkitError(Exception):
    """Base of every gdprkit error.  ``exit_code`` 1: bad input or not found."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message} ({self.hint})"
        return self.message


class BadInput(GdprkitError):
    """The input (a value, a file, a row) cannot be used as given."""


class NotFound(GdprkitError):
    """An id, file or record does not exist."""


class LedgerError(GdprkitError):
    """The ledger cannot be created or opened (missing, not a ledger, exists)."""


class VerificationFailed(GdprkitError):
    """A check found the data altered, removed or inconsistent.  Exit code 3."""

    exit_code = 3

    def __init__(self, message: str, *, problems: list[dict] | None = None, hint=None) -> None:
        super().__init__(message, hint=hint)
        self.problems = problems or []


class TamperDetected(VerificationFailed):
    """Stored bytes do not match their hashes, proofs or signatures."""


class ProofError(VerificationFailed):
    """A Merkle inclusion or consistency proof does not verify."""


class WrongPassphrase(GdprkitError):
    """The passphrase does not open the ledger (or the key file).  Exit code 4."""

    exit_code = 4


class LedgerLocked(GdprkitError):
    """Another process holds the ledger's write lock for too long.  Exit code 4."""

    exit_code = 4


class MissingDependency(GdprkitError):
    """An optional feature needs a package that is not installed."""

    def __init__(self, package: str, extra: str) -> None:
        super().__init__(
            f"this feature needs the package {package!r}",
            hint=f"install it with: pip install 'gdprkit[{extra}]'",
        )
