"""Legal knowledge: Art. 12(3) deadlines and the supervisory-authority directory.

Kept light on purpose: import the sub-modules (``gdprkit.legal.deadlines``,
``gdprkit.legal.directory``) for the functions; the names below are loaded on
first use so that importing the package costs nothing.
"""

from __future__ import annotations

_LAZY = {
    "DueDate": "deadlines",
    "add_months": "deadlines",
    "complaint_followup_date": "deadlines",
    "due_date": "deadlines",
    "explain_due": "deadlines",
    "next_working_day": "deadlines",
    "Authority": "directory",
    "Platform": "directory",
    "authority": "directory",
    "authority_for_complaint": "directory",
    "platform": "directory",
    "require_field": "directory",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
