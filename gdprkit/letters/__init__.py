"""GDPR letters: Jinja templates rendered once, written as txt, md, html, eml or pdf.

Public API::

    from gdprkit.letters import render_letter, Recipient, recipient_from_contact

    letter = render_letter("objection", lang="en", fmt="pdf", requester=profile,
                           recipient=recipient_from_contact(contact),
                           incidents=incidents, contact=contact)
    letter.content, letter.due, letter.sha256

Modules: :mod:`.render` (the pipeline), :mod:`.context` (every template
variable, documented), :mod:`.templating` (finding, listing, copying and
running templates), :mod:`.markup` (the block document templates produce and
why), :mod:`.writers` (one module per format).  Heavy dependencies (Jinja,
Babel, reportlab) load only when a letter is rendered.
"""

from __future__ import annotations

from .render import (
    MEDIA_TYPES,
    Recipient,
    RenderedLetter,
    recipient_from_contact,
    recipient_from_directory,
    recipient_from_request,
    render_letter,
)
from .templating import builtin_template_dir, copy_templates, list_templates

__all__ = [
    "MEDIA_TYPES",
    "Recipient",
    "RenderedLetter",
    "builtin_template_dir",
    "copy_templates",
    "list_templates",
    "recipient_from_contact",
    "recipient_from_directory",
    "recipient_from_request",
    "render_letter",
]
