"""Rule-based classification of one parsed message into an incident kind.

:func:`classify` is a pure function of a :class:`ParsedMessage` and
:class:`ClassifyOptions`: no ledger, no I/O beyond the keyword files, so it can
be evaluated on a labelled corpus (``bench/classify_eval.py``).  Every rule
that fires adds a :class:`Signal` with a weight and a sentence a person can
read; the confidence of a kind is ``1 - prod(1 - weight)`` over its signals
(independent evidence adds up, one weak hint stays weak), and the kind with
the highest confidence wins when it reaches ``threshold``.  Signals that read
the same evidence share a ``group`` and count once, at the strongest: an
unsubscribe footer, its HTML link and the footer's other wording are one
footer, which alone stays below the threshold (anyone can paste or quote a
footer); with one independent signal from the headers (a bulk-mail service,
``Precedence: bulk``) it reaches it.  Quoted text (``>`` lines, the quoted or
forwarded message of a reply or forward, and the HTML quote of the common
clients) is not read for footers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import IncidentKind
from ._text import fold
from .keywords import Keywords, load_keywords, normalise_marker
from .message import ParsedMessage, address_list, split_address

MAILING_LIST = IncidentKind.MAILING_LIST.value
FORWARDED = IncidentKind.FORWARDED.value
ENDORSEMENT = IncidentKind.ENDORSEMENT.value
DIRECT_PITCH = IncidentKind.DIRECT_PITCH.value
UNSOLICITED = IncidentKind.UNSOLICITED_MESSAGE.value

# When two kinds are equally sure, the more specific one wins.
_PRIORITY = (FORWARDED, ENDORSEMENT, DIRECT_PITCH, UNSOLICITED, MAILING_LIST)


@dataclass(frozen=True)
class ClassifyOptions:
    """What the classifier knows about the requester, and its thresholds."""

    requester_emails: frozenset[str] = frozenset()
    requester_names: tuple[str, ...] = ()
    pitch_window_days: int = 14
    threshold: float = 0.5

    @classmethod
    def build(cls, emails=(), names=(), **kw) -> ClassifyOptions:
        return cls(
            requester_emails=frozenset(e.strip().lower() for e in emails if e and e.strip()),
            requester_names=tuple(n.strip() for n in names if n and len(n.strip()) >= 3),
            **kw,
        )


@dataclass(frozen=True)
class Signal:
    """One rule that fired."""

    kind: str
    weight: float
    reason: str
    group: str = ""  # signals of one group read the same evidence: it counts once


@dataclass(frozen=True)
class Who:
    """The person whose conduct the incident is about."""

    name: str = ""
    email: str | None = None
    profile_url: str | None = None


@dataclass(frozen=True)
class Classification:
    """The decision on one message."""

    kind: str | None
    confidence: float
    reasons: tuple[str, ...]
    signals: tuple[Signal, ...] = ()
    who: Who = field(default_factory=Who)

    def to_dict(self) -> dict:
        return {"kind": self.kind, "confidence": self.confidence, "reasons": list(self.reasons)}


def combine(weights) -> float:
    """Noisy-or of independent signal weights."""
    miss = 1.0
    for w in weights:
        miss *= 1.0 - w
    return round(1.0 - miss, 3)


def score(signals) -> float:
    """The confidence of one kind: noisy-or over independent evidence, a group counting once."""
    weights: list[float] = []
    groups: dict[str, float] = {}
    for s in signals:
        if s.group:
            groups[s.group] = max(groups.get(s.group, 0.0), s.weight)
        else:
            weights.append(s.weight)
    return combine([*weights, *groups.values()])


def classify(pm: ParsedMessage, options: ClassifyOptions | None = None) -> Classification:
    """Classify one message; ``kind`` is ``None`` when no kind is sure enough."""
    opts = options or ClassifyOptions()
    kw = load_keywords()
    who = Who(pm.sender_name, pm.sender_email, pm.sender_profile_url)
    resent = _resent(pm) if pm.channel == "email" else None
    if resent is not None and resent.by.email and resent.by.email in opts.requester_emails:
        return Classification(None, 0.0, ("re-sent by you (the requester): not an incident",),
                              who=who)
    written_by_requester = pm.from_requester or bool(
        pm.sender_email and pm.sender_email in opts.requester_emails)
    if written_by_requester and resent is None:
        return Classification(None, 0.0, ("written by you (the requester): not an incident",),
                              who=who)
    if written_by_requester and resent.to and set(resent.to) <= opts.requester_emails:
        return Classification(None, 0.0, (
            f"your own message, re-sent by {resent.by_text} to you only: not an incident",), who=who)
    signals: list[Signal] = []
    blocks: list[_Block] = []
    if pm.channel == "email":
        blocks = find_blocks(pm.text, kw)
        signals += _list_signals(pm, kw, blocks)
        signals += _forward_signals(pm, kw, opts, resent, blocks)
    else:
        signals += _pitch_signals(pm, kw, opts)
    endorse, author = _endorsement_signals(pm, kw, opts, blocks)
    signals += endorse

    by_kind: dict[str, list[Signal]] = {}
    for s in signals:
        by_kind.setdefault(s.kind, []).append(s)
    scores = {k: score(v) for k, v in by_kind.items()}
    if not scores:
        return Classification(None, 0.0, (), (), who)
    best = max(scores, key=lambda k: (scores[k], -_PRIORITY.index(k)))
    ordered = sorted(by_kind[best], key=lambda s: -s.weight)
    if scores[best] < opts.threshold:
        reasons = tuple(f"not enough: {s.reason}" for s in sorted(signals, key=lambda s: -s.weight))
        return Classification(None, scores[best], reasons, tuple(signals), who)
    if best == ENDORSEMENT and author is not None:
        who = author
    elif best == FORWARDED and resent is not None and (resent.by.email or resent.by.name):
        who = resent.by  # the person who re-sent it, not the author of the original
    if _is_you(who, opts) or (written_by_requester and who.email == pm.sender_email
                              and who.name == pm.sender_name):
        # No one but the requester to file it against (a re-sent message of
        # yours with no or an empty Resent-From): never an incident against
        # you, nor a contact for your own address.
        if best == FORWARDED and resent is not None and not (resent.by.email or resent.by.name):
            why = ("your own message, re-sent with no Resent-From naming who re-sent it: "
                   "not an incident (no one to file it against)")
        else:
            why = f"{best}, but the only person to file it against is you (the requester): not an incident"
        return Classification(None, scores[best], (why, *(s.reason for s in ordered)), tuple(signals), who)
    return Classification(best, scores[best], tuple(s.reason for s in ordered), tuple(signals), who)


def _is_you(who: Who, opts: ClassifyOptions) -> bool:
    """``who`` is the requester: by address, or by name when nothing else names them."""
    if who.email:
        return who.email.strip().lower() in opts.requester_emails
    if who.profile_url:
        return False
    return bool(who.name and any(fold(n) == fold(who.name) for n in opts.requester_names))


# -- mailing lists -------------------------------------------------------------
# Headers of bulk-mail services and list managers.  Campaign headers mean a
# campaign; the others are also used for one-to-one transactional mail, so they
# only add weight to other evidence.
_CAMPAIGN_HEADERS = {
    "x-mc-user": "Mailchimp", "x-mailchimp-campaign": "Mailchimp", "x-campaignid": "a campaign id",
    "x-campaign-id": "a campaign id", "x-campaign": "a campaign id",
    "x-mailin-campaign": "Brevo (Sendinblue)", "x-sib-id": "Brevo (Sendinblue)",
    "x-mailjet-campaign": "Mailjet", "x-roving-campaignid": "Constant Contact",
    "x-hs-cid": "HubSpot", "x-kmail-relay": "Klaviyo", "x-cmae-id": "Campaign Monitor",
    "x-newsletter": "a newsletter", "x-mailgun-tag": "Mailgun (campaign tag)",
    "x-ems-campaign": "a campaign id", "x-mc-campaign": "Mailchimp",
}
_SERVICE_HEADERS = {
    "x-mailin-client": "Brevo (Sendinblue)", "x-mailin-eid": "Brevo (Sendinblue)",
    "x-mj-mid": "Mailjet", "x-mj-smtpguid": "Mailjet", "x-mj-customid": "Mailjet",
    "x-sg-eid": "SendGrid", "x-sg-id": "SendGrid", "x-ses-outgoing": "Amazon SES",
    "x-ses-configuration-set": "Amazon SES", "x-mailgun-sid": "Mailgun",
    "x-mailgun-variables": "Mailgun", "x-pm-message-id": "Postmark", "x-mandrill-user": "Mandrill",
    "x-sfmc-stack": "Salesforce Marketing Cloud", "x-csa-complaints": "a certified bulk sender (CSA)",
    "x-spmta-version": "a bulk mail transfer agent", "x-mailer-sid": "a bulk-mail service",
}
# Header-name prefixes of bulk-mail services (X-MJ-TemplateID, X-Mailin-Tag,
# X-SG-EID, ...): weak, like _SERVICE_HEADERS, as transactional mail has them too.
_SERVICE_PREFIXES = (
    ("x-mailin-", "Brevo (Sendinblue)"), ("x-sib-", "Brevo (Sendinblue)"), ("x-mj-", "Mailjet"),
    ("x-mailjet-", "Mailjet"), ("x-sg-", "SendGrid"), ("x-ses-", "Amazon SES"),
    ("x-mc-", "Mailchimp (Mandrill)"), ("x-mandrill-", "Mandrill"), ("x-mailgun-", "Mailgun"),
    ("x-sfmc-", "Salesforce Marketing Cloud"), ("x-campaign", "a campaign tool"),
)
_LIST_MANAGER_HEADERS = {
    "x-mailman-version": "Mailman", "x-beenthere": "Mailman", "mailing-list": "ezmlm",
    "x-google-group-id": "Google Groups", "x-listprocessor-version": "ListProc",
    "x-listserver": "a list server", "x-mailing-list": "a list manager", "x-list": "a list manager",
    "x-loop": "a list manager", "x-sympa-to": "Sympa", "x-ml-name": "a list manager",
    "x-listname": "a list manager", "x-mailman-rule-misses": "Mailman 3",
}
_MAILER_RE = re.compile(
    r"(?i)mailchimp|sendinblue|brevo|mailjet|phplist|mailman|listserv|sympa|campaign monitor|"
    r"mailerlite|acumbamail|getresponse|activecampaign|newsletter|substack|ghost|"
    r"cleverreach|rapidmail|klaviyo|hubspot|aweber|sendy|mautic|emarsys|ecircle"
)
_LINK_RE = re.compile(r"(?i)https?://|www\.|mailto:|\S@\S+\.\w")
_BULK_LOCALPART = re.compile(r"(?i)^(newsletters?|news|info|marketing|mailing|digest|updates?|"
                             r"promo|offers|hello|team|editor|community)([.+_-]|@)")


def _list_signals(pm: ParsedMessage, kw: Keywords, blocks: list[_Block] | None = None) -> list[Signal]:
    out: list[Signal] = []
    h = pm.headers
    list_id = pm.header("list-id")
    if list_id:
        out.append(Signal(MAILING_LIST, 0.9, f"List-Id header names a mailing list: {list_id[:80]} (RFC 2919)"))
    if pm.header("list-unsubscribe"):
        post = (pm.header("list-unsubscribe-post") or "").lower()
        if "one-click" in post:
            out.append(Signal(MAILING_LIST, 0.9, "List-Unsubscribe with one-click List-Unsubscribe-Post (RFC 8058): bulk mail"))
        else:
            out.append(Signal(MAILING_LIST, 0.85, "List-Unsubscribe header offers a way off a list (RFC 2369)"))
    others = [n for n in ("list-post", "list-help", "list-subscribe", "list-archive", "list-owner") if n in h]
    if others and not list_id:
        out.append(Signal(MAILING_LIST, 0.7, "list headers " + ", ".join(n.title() for n in others) + " (RFC 2369)"))
    prec = (pm.header("precedence") or "").strip().lower()
    if prec in ("bulk", "list"):
        out.append(Signal(MAILING_LIST, 0.6, f"Precedence: {prec} marks bulk or list mail"))
    elif prec == "junk":
        out.append(Signal(MAILING_LIST, 0.35, "Precedence: junk marks bulk mail"))
    campaign = sorted({v for k, v in _CAMPAIGN_HEADERS.items() if k in h})
    if campaign:
        names = ", ".join(n for n in campaign)
        hdrs = ", ".join(k for k in _CAMPAIGN_HEADERS if k in h)
        out.append(Signal(MAILING_LIST, 0.75, f"campaign headers of {names} ({hdrs})"))
    service: dict[str, list[str]] = {}  # service -> its header names seen
    for name in h:
        if name in _CAMPAIGN_HEADERS:
            continue
        what = _SERVICE_HEADERS.get(name) or next(
            (v for prefix, v in _SERVICE_PREFIXES if name.startswith(prefix)), None)
        if what:
            service.setdefault(what, []).append(name)
    feedback = pm.header("feedback-id") or ""
    if feedback and "amazonses" in feedback.lower():
        service.setdefault("Amazon SES", []).append("feedback-id")
    elif feedback:
        service.setdefault("a bulk sender", []).append("feedback-id")
    if service:
        out.append(Signal(MAILING_LIST, 0.3, "sent through a bulk-mail service: " + ", ".join(
            f"{v} ({', '.join(names[:3])})" for v, names in sorted(service.items()))))
    managers = sorted({v for k, v in _LIST_MANAGER_HEADERS.items() if k in h})
    if managers:
        out.append(Signal(MAILING_LIST, 0.7, "list-manager headers of " + ", ".join(managers)))
    mailer = pm.header("x-mailer") or ""
    m = _MAILER_RE.search(mailer)
    if m:
        out.append(Signal(MAILING_LIST, 0.55, f"X-Mailer is bulk-mail software: {mailer[:60]}"))
    sender = pm.header("sender") or ""
    errors_to = pm.header("errors-to") or ""
    if re.search(r"(?i)(^|[<\s])(owner-|[\w.]+-(request|owner|admin|bounces?)@)", sender + " " + errors_to):
        out.append(Signal(MAILING_LIST, 0.5, f"Sender/Errors-To is a list address: {(sender or errors_to)[:60]}"))
    elif sender:
        # LISTSERV and friends: the message comes "from" a person but is sent
        # by, and addressed to, the list.
        _, sender_addr = split_address(sender)
        to_addrs = {a for _, a in pm.recipients}
        if sender_addr and sender_addr != pm.sender_email and (
            sender_addr in to_addrs or re.match(r"(?i)[^@]*@(lists?|listserv|mailman|groups)\.", sender_addr)
        ):
            out.append(Signal(MAILING_LIST, 0.5, f"sent by a list address that is also the recipient: {sender_addr}"))
    if "multipart/digest" in pm.content_types:
        out.append(Signal(MAILING_LIST, 0.6, "a multipart/digest body: a list digest"))
    if pm.sender_email and _BULK_LOCALPART.match(pm.sender_email):
        out.append(Signal(MAILING_LIST, 0.2, f"sender address looks like a newsletter: {pm.sender_email}"))
    out += _footer_signals(pm, kw, blocks or [])
    return out


def own_text(pm: ParsedMessage, blocks: list[_Block]) -> str:
    """The text the sender wrote: without ``>`` lines and the quoted or forwarded message."""
    lines = pm.text.split("\n")
    if blocks:
        lines = lines[:blocks[0].start]
    return "\n".join(line for line in lines if not line.lstrip().startswith(">"))


def _footer_signals(pm: ParsedMessage, kw: Keywords, blocks: list[_Block]) -> list[Signal]:
    # One footer, seen as text, as an HTML link and by its other wording: one
    # group, counted once (see the module docstring).
    out: list[Signal] = []
    own_links = pm.own_links if pm.own_links is not None else pm.links
    lines = own_text(pm, blocks)[-4000:].split("\n")
    folded = [fold(line) for line in lines]
    labels = None  # the HTML links' words: "klicken Sie hier" is a link on "hier"
    found_unsub = None
    found_footer = None
    for i, fl in enumerate(folded):
        if len(fl) > 400:
            continue
        hits = kw["unsubscribe"].find(fl)
        if hits and found_unsub is None:
            near = " ".join(lines[i:i + 3])
            if labels is None:
                labels = _link_labels(own_links)
            if _LINK_RE.search(near) or (labels and labels.search(fold(near))):
                found_unsub = (hits[0], lines[i].strip())
        if found_footer is None:
            fh = kw["list_footer"].find(fl)
            if fh:
                found_footer = (fh[0], lines[i].strip())
    anchor = None
    for label, href in own_links:
        if len(label) <= 60 and label:
            hits = kw["unsubscribe"].find(fold(label))
            if hits:
                anchor = (hits[0], label)
                break
            if "unsubscribe" in href.lower() and found_unsub is None:
                anchor = (("unsubscribe", "en", 0), f"{label} -> {href[:60]}")
                break
    if found_unsub:
        (phrase, lang, _), line = found_unsub
        out.append(Signal(MAILING_LIST, 0.45, f"unsubscribe footer ({lang}): “{line[:90]}”", "footer"))
    if anchor:
        (phrase, lang, _), label = anchor
        out.append(Signal(MAILING_LIST, 0.45, f"an unsubscribe link in the HTML ({lang}): “{label[:60]}”",
                          "footer"))
    if found_footer:
        (phrase, lang, _), line = found_footer
        out.append(Signal(MAILING_LIST, 0.2, f"newsletter footer wording ({lang}): “{line[:90]}”", "footer"))
    return out


def _link_labels(links) -> re.Pattern | None:
    words = {" ".join(fold(label).split()) for label, href in links
             if href and not href.lower().startswith("mailto:") and 2 <= len(label) <= 40}
    words.discard("")
    if not words:
        return None
    body = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)")


# -- forwards --------------------------------------------------------------------
_PREFIX_RE = re.compile(r"^\s*(?:\[[^\]]{1,60}\]\s*)?([^\W\d_]{1,8})\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*")
_TAG_RE = re.compile(r"^\s*\[[^\]]{1,60}\]\s*")


def subject_prefixes(subject: str, kw: Keywords | None = None) -> list[tuple[str, str]]:
    """The leading reply/forward prefixes of a subject: [("forward", "Fwd"), ...]."""
    kw = kw or load_keywords()
    fwd = kw["subject_forward"].phrases
    rep = kw["subject_reply"].phrases
    out = []
    rest = subject
    for _ in range(10):
        m = _PREFIX_RE.match(rest)
        if not m:
            break
        token = fold(m.group(1))
        if token in fwd:
            out.append(("forward", m.group(1)))
        elif token in rep:
            out.append(("reply", m.group(1)))
        else:
            break
        rest = rest[m.end():]
    return out


@dataclass
class _Block:
    """An inline quoted/forwarded message found in the body."""

    style: str  # "forward" (explicit marker) or "quote" (Original Message / header block)
    line: str  # the marker or the first header line, as written
    start: int  # line index in the text
    author: str = ""
    author_email: str | None = None


_LABEL_RE = re.compile(r"^\s*\*?\s*([^\W\d_][^\W\d_ .'-]{0,15}(?: [^\W\d_]{1,10}){0,2})\s*\*?\s*:\s*\*?\s*(.*)$")
_GMAIL_STYLE = re.compile(r"^-{5,}\s*\S.*\S\s*-{5,}$")


def _label(line: str, kw: Keywords) -> tuple[str | None, str]:
    m = _LABEL_RE.match(line)
    if not m:
        return None, ""
    label = fold(m.group(1)).strip()
    for role, names in kw.header_labels.items():
        if label in names:
            return role, m.group(2).strip()
    return None, ""


def find_blocks(text: str, kw: Keywords | None = None, max_lines: int = 4000) -> list[_Block]:
    """Inline forwarded or quoted messages of the common mail clients."""
    kw = kw or load_keywords()
    markers_f = kw["forward_markers"].phrases
    markers_r = kw["reply_markers"].phrases
    lines = text.split("\n")[:max_lines]
    blocks: list[_Block] = []
    used_until = -1
    for i, line in enumerate(lines):
        s = line.strip()
        if not s or len(s) > 120 or i <= used_until or s.startswith(">"):
            continue
        if s[0] in "-_=*" or s.endswith(":") or s.endswith(": ") or "----" in s:
            norm = normalise_marker(s)
            style = "forward" if norm in markers_f else "quote" if norm in markers_r else None
            if style is None and norm:
                # "---------- Forwarded message from X ----------", "Forwarded by X on ..."
                for mk in markers_f:
                    if norm.startswith(mk + " ") and len(mk) > 8 and (s[0] in "-_=*" or mk.endswith("by")):
                        style = "forward"
                        break
            if style:
                blk = _Block(style, s[:100], i)
                _fill_author(blk, lines, i + 1, kw)
                blocks.append(blk)
                used_until = i + 8
                continue
        role, value = _label(s, kw)
        if role == "from":
            roles = set()
            for nxt in lines[i + 1:i + 8]:
                r, _ = _label(nxt.strip(), kw)
                if r:
                    roles.add(r)
            if "subject" in roles and ("sent" in roles or "to" in roles):
                blk = _Block("quote", s[:100], i)
                blk.author, blk.author_email = _author(value)
                blocks.append(blk)
                used_until = i + 8
    return blocks


def _author(value: str) -> tuple[str, str | None]:
    value = value.replace("[mailto:", "<").replace("]", ">")
    name, email = split_address(value)
    return (name or value[:60]).strip(), email


def _fill_author(blk: _Block, lines: list[str], start: int, kw: Keywords) -> None:
    for nxt in lines[start:start + 6]:
        role, value = _label(nxt.strip(), kw)
        if role == "from":
            blk.author, blk.author_email = _author(value)
            return


def _client(blk: _Block) -> str:
    s = blk.line
    if s.startswith("-" * 10):
        return "Gmail style"
    if s.startswith("-------- "):
        return "Thunderbird style"
    if s.startswith("-----"):
        return "Outlook style"
    if s.endswith(":") and s[0].isalpha() and blk.style == "forward":
        return "Apple Mail style"
    return "Outlook style"


@dataclass(frozen=True)
class _Resent:
    """The latest ``Resent-*`` block: who re-sent the message, and to whom."""

    by: Who  # Resent-From (else Resent-Sender) of the topmost block
    by_text: str  # as written, for the reasons
    to: tuple[str, ...]  # Resent-To/Cc/Bcc addresses
    headers: tuple[str, ...]  # the Resent-* header names present ("Resent-From", ...)


_RESENT_NAMES = ("resent-from", "resent-sender", "resent-to", "resent-cc", "resent-bcc",
                 "resent-date", "resent-message-id")


def _resent(pm: ParsedMessage) -> _Resent | None:
    """The message was re-sent (RFC 5322 3.6.6: a bounce, mutt's ``b``, a redirect)."""
    present = tuple(n for n in _RESENT_NAMES if n in pm.headers)
    if not any(n in present for n in ("resent-from", "resent-sender", "resent-to", "resent-cc",
                                      "resent-bcc")):
        return None
    # Each re-sending adds its block on top: the first value is the latest one.
    by_text = pm.header("resent-from") or pm.header("resent-sender") or ""
    name, email = split_address(by_text) if by_text else ("", None)
    to: list[str] = []
    for key in ("resent-to", "resent-cc", "resent-bcc"):
        value = pm.header(key)
        if value:
            to += [a for _, a in address_list(value) if a not in to]
    names = tuple("-".join(p.title() for p in n.split("-")).replace("-Id", "-ID") for n in present)
    return _Resent(Who(name, email, None), " ".join(by_text.split())[:80], tuple(to), names)


def _is_requester(name: str | None, email: str | None, opts: ClassifyOptions) -> bool:
    return bool((email and email in opts.requester_emails) or (
        name and any(fold(n) in fold(name) for n in opts.requester_names)))


def _forward_signals(pm: ParsedMessage, kw: Keywords, opts: ClassifyOptions,
                     resent: _Resent | None = None, blocks: list[_Block] | None = None) -> list[Signal]:
    out: list[Signal] = []
    prefixes = subject_prefixes(pm.subject, kw)
    first = prefixes[0][0] if prefixes else None
    fwd_prefix = next((p for k, p in prefixes if k == "forward"), None)
    is_reply = first == "reply"
    if first == "forward":
        out.append(Signal(FORWARDED, 0.6, f"subject starts with the forward prefix “{fwd_prefix}:”"))
    elif fwd_prefix:
        out.append(Signal(FORWARDED, 0.3, f"subject has the forward prefix “{fwd_prefix}:” after a reply prefix"))
    bounce = "multipart/report" in pm.content_types or "message/delivery-status" in pm.content_types
    digest = "multipart/digest" in pm.content_types
    if pm.attached_messages and not bounce and not digest:
        a = pm.attached_messages[0]
        more = f" and {len(pm.attached_messages) - 1} more" if len(pm.attached_messages) > 1 else ""
        out.append(Signal(FORWARDED, 0.8, f"a message attached as message/rfc822: “{a.subject[:60]}” from {a.sender[:60] or 'unknown'}{more}"))
    if blocks is None:
        blocks = find_blocks(pm.text, kw)
    explicit = [b for b in blocks if b.style == "forward"]
    quotes = [b for b in blocks if b.style == "quote"]
    if explicit:
        b = explicit[0]
        w = 0.85 if not is_reply else 0.45
        out.append(Signal(FORWARDED, w, f"inline forwarded message ({_client(b)}): “{b.line[:70]}”"))
    elif quotes:
        b = quotes[0]
        if first == "forward" or (fwd_prefix and not is_reply):
            out.append(Signal(FORWARDED, 0.6, f"quoted original message ({_client(b)}): “{b.line[:70]}”"))
        elif not is_reply and not pm.header("in-reply-to"):
            out.append(Signal(FORWARDED, 0.4, f"a quoted message block with no forward prefix: “{b.line[:70]}”"))
    if resent is not None:
        hdrs = "/".join(h for h in resent.headers if h in (
            "Resent-From", "Resent-Sender", "Resent-To", "Resent-Cc", "Resent-Bcc"))
        by = f" by {resent.by_text}" if resent.by_text else ""
        to = f" to {', '.join(resent.to[:3])}" if resent.to else ""
        if pm.from_requester or _is_requester(pm.sender_name, pm.sender_email, opts):
            out.append(Signal(FORWARDED, 0.95, f"{hdrs} headers: a message written by you "
                                               f"({pm.sender_email or pm.sender_name}) was re-sent{by}{to}"))
        else:
            out.append(Signal(FORWARDED, 0.7, f"{hdrs} headers: the message was re-sent{by}{to}"))
    # The requester's own message passed on to others: the core of a 'forwarded' complaint.
    if opts.requester_emails or opts.requester_names:
        authors = [(a.sender, a.sender_email) for a in pm.attached_messages if not bounce and not digest]
        authors += [(b.author, b.author_email) for b in blocks
                    if b.style == "forward" or first == "forward" or fwd_prefix]
        for name, email in authors:
            mine = (email and email in opts.requester_emails) or (
                name and any(fold(n) in fold(name) for n in opts.requester_names))
            if mine:
                others = [a for _, a in pm.recipients if a not in opts.requester_emails]
                to = f" to {', '.join(others[:3])}" if others else ""
                out.append(Signal(FORWARDED, 0.95, f"a message written by you ({email or name}) was forwarded{to}"))
                break
    return out


# -- LinkedIn pitches ----------------------------------------------------------------
def _pitch_signals(pm: ParsedMessage, kw: Keywords, opts: ClassifyOptions) -> list[Signal]:
    folded = fold(" ".join(pm.text.split()))
    if pm.subject:
        folded = fold(pm.subject) + " \n " + folded
    mlm = kw["mlm"].find(folded)
    com = kw["commercial"].find(folded)
    if not mlm and not com:
        return []
    kind = UNSOLICITED if pm.is_connection is False else DIRECT_PITCH
    out: list[Signal] = []
    if mlm:
        langs = ", ".join(sorted({lang for _, lang, _ in mlm}))
        out.append(Signal(kind, 0.55, f"MLM wording ({langs}): " + ", ".join(f"“{p}”" for p, _, _ in mlm[:4])))
    if com:
        langs = ", ".join(sorted({lang for _, lang, _ in com}))
        w = 0.35 if len(com) == 1 else 0.5
        out.append(Signal(kind, w, f"commercial wording ({langs}): " + ", ".join(f"“{p}”" for p, _, _ in com[:4])))
    if pm.connected_on and pm.date:
        days = (pm.date.date() - pm.connected_on).days
        if 0 <= days <= opts.pitch_window_days:
            out.append(Signal(kind, 0.5, f"sent {days} day(s) after you connected on {pm.connected_on.isoformat()} (window {opts.pitch_window_days} days)"))
    if pm.is_invitation:
        out.append(Signal(kind, 0.3, "sent with a connection invitation"))
    elif pm.is_connection is False:
        out.append(Signal(kind, 0.3, "the sender is not one of your connections"))
    if pm.started_conversation:
        out.append(Signal(kind, 0.15, "they opened the conversation"))
    return out


# -- endorsement ------------------------------------------------------------------------
def _endorsement_signals(pm: ParsedMessage, kw: Keywords, opts: ClassifyOptions, blocks):
    if not opts.requester_names or not pm.text:
        return [], None
    text = pm.text
    folded = fold(text)
    if len(folded) != len(text):  # folding changed offsets (ligatures...): use folded lines
        text = folded
    phrases = kw["endorsement"]
    for name in opts.requester_names:
        fname = fold(name)
        start = 0
        while True:
            pos = folded.find(fname, start)
            if pos < 0:
                break
            start = pos + len(fname)
            window = folded[max(0, pos - 160):pos + len(fname) + 160]
            hits = phrases.find(window)
            if not hits:
                continue
            phrase, lang, _ = hits[0]
            snippet = " ".join(text[max(0, pos - 60):pos + len(fname) + 60].split())
            out = [Signal(ENDORSEMENT, 0.7, f"your name is used as a reference ({lang}, “{phrase}”): “…{snippet}…”")]
            recipients = [a for _, a in pm.recipients]
            if opts.requester_emails and recipients and not set(recipients) & opts.requester_emails:
                out.append(Signal(ENDORSEMENT, 0.3, "written to third parties: " + ", ".join(recipients[:3])))
            elif pm.channel == "linkedin" and len(pm.recipients) > 1:
                out.append(Signal(ENDORSEMENT, 0.3, "written to a group conversation with others"))
            author = None
            line_no = folded.count("\n", 0, pos)
            inside = [b for b in blocks if b.start < line_no and (b.author or b.author_email)]
            if inside:
                b = inside[-1]
                if not (b.author_email and b.author_email in opts.requester_emails):
                    author = Who(b.author, b.author_email, None)
                    out.append(Signal(ENDORSEMENT, 0.2, f"in a message by {b.author or b.author_email} passed on to you"))
            return out, author
    return [], None
