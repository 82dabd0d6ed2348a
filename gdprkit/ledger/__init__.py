"""The encrypted, tamper-evident evidence ledger."""

from ._ledger import Ledger
from .crypto import KdfParams

__all__ = ["KdfParams", "Ledger"]
