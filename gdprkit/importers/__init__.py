"""Import e-mail (``.eml``, mbox, Google Takeout) and LinkedIn exports, and classify them.

The pieces are plain functions a script can use on their own::

    from gdprkit.importers import iter_mbox_file, classify, ClassifyOptions

    opts = ClassifyOptions.build(emails=["me@example.org"], names=["Jane Doe"])
    for msg in iter_mbox_file("Takeout/Mail/All mail.mbox"):
        decision = classify(msg, opts)
        print(msg.source, decision.kind, decision.confidence, decision.reasons)

:class:`Importer` adds storing: matching or creating the contact, one
incident per classified message with the raw message as evidence, and
de-duplication against what the ledger already holds.
"""

from .classify import Classification, ClassifyOptions, Signal, Who, classify, subject_prefixes
from .linkedin import LinkedInExport, LinkedInStats, iter_linkedin, normalise_profile_url
from .mbox import MboxMessage, iter_mbox, write_mbox_message
from .message import AttachedMessage, ParsedMessage, parse_message
from .pipeline import Importer, ImportItem
from .sources import iter_eml, iter_mbox_file

__all__ = [
    "AttachedMessage",
    "Classification",
    "ClassifyOptions",
    "ImportItem",
    "Importer",
    "LinkedInExport",
    "LinkedInStats",
    "MboxMessage",
    "ParsedMessage",
    "Signal",
    "Who",
    "classify",
    "iter_eml",
    "iter_linkedin",
    "iter_mbox",
    "iter_mbox_file",
    "normalise_profile_url",
    "parse_message",
    "subject_prefixes",
    "write_mbox_message",
]
