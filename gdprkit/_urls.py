"""The one normal form of a profile URL, used wherever two are compared.

``Ledger.find_contact`` and the importers both go through
:func:`normalise_profile_url`, so a contact saved as
``http://linkedin.com/in/marco-v/?trk=x`` is the sender
``https://www.linkedin.com/in/marco-v`` of a LinkedIn export.
"""

from __future__ import annotations

import re

_SCHEME = re.compile(r"(?i)^[a-z][a-z0-9+.-]*://")
_LINKEDIN = re.compile(r"(?:[a-z]{1,3}\.)?linkedin\.com")
# Query parameters that only track where a link was clicked: dropped.  Others
# stay, because some sites name the profile in the query (profile.php?id=...).
_TRACKING = re.compile(r"(?i)^(utm_\w*|trk\w*|fbclid|gclid|igshid|si|ref|ref_src|ref_url|mc_[ce]id|"
                       r"original_?referer|originalsubdomain|lipi|midtoken|midsig|_l)$")


def normalise_profile_url(url: str | None) -> str | None:
    """``https://host/path`` with the differences that do not name another profile removed.

    The scheme becomes ``https``; the host is lower-cased, without ``www.``, a
    trailing dot or a default port; LinkedIn's country and mobile hosts
    (``it.``, ``m.``) become ``www.linkedin.com``; the fragment, tracking
    parameters (all of LinkedIn's query), and trailing slashes are dropped; the
    path is compared without case, as profile names are.  ``None`` for a
    blank value.
    """
    if url is None:
        return None
    url = url.strip()
    if not url:
        return None
    m = _SCHEME.match(url)
    rest = url[m.end():] if m else url.lstrip("/")
    rest = rest.split("#", 1)[0]
    rest, _, query = rest.partition("?")
    host, _, path = rest.partition("/")
    host = host.rsplit("@", 1)[-1].lower().rstrip(".")
    host = re.sub(r":(80|443)$", "", host)
    host = host.removeprefix("www.")
    path = ("/" + path).rstrip("/").lower()
    if _LINKEDIN.fullmatch(host):
        host, query = "www.linkedin.com", ""
    params = [p for p in query.split("&") if p and not _TRACKING.match(p.split("=", 1)[0])]
    return f"https://{host}{path}" + ("?" + "&".join(params) if params else "")
