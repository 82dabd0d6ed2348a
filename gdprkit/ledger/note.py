"""C2SP signed notes (c2sp.org/signed-note) and checkpoints
(c2sp.org/tlog-checkpoint) with Ed25519 keys.

A checkpoint is what leaves the ledger: printed in a letter, attached to a
dossier, mailed to oneself.  It is plain text that Go's
``golang.org/x/mod/sumdb/note`` and other C2SP tools verify unchanged::

    gdprkit.example/ledger/4f1c…
    42
    CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=

    — gdprkit.example/ledger/4f1c… Az3grlgt…

Parsing is strict and narrower than the signed-note spec in one respect:
a note body must not contain blank lines (a checkpoint never does, and it
leaves exactly one place where the signature block can start).  Malformed
text raises :class:`~gdprkit.errors.BadInput`; a signature that does not
verify raises :class:`~gdprkit.errors.TamperDetected`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Sequence

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from ..errors import BadInput, TamperDetected

__all__ = [
    "ALG_ED25519",
    "MAX_SIGNATURES",
    "checkpoint_body",
    "key_id",
    "parse_checkpoint",
    "parse_note",
    "parse_verifier_key",
    "sign_note",
    "verifier_key",
    "verify_note",
]

ALG_ED25519 = 0x01  # signature type byte assigned by c2sp.org/signed-note
MAX_SIGNATURES = 100  # as golang.org/x/mod/sumdb/note; the spec requires at least 16
KEY_SIZE = 32
SIGNATURE_SIZE = 64
HASH_SIZE = 32
_MAX_TREE_SIZE = (1 << 64) - 1

_SIG_PREFIX = "\u2014 "  # em dash, space
_DECIMAL = re.compile(r"0|[1-9][0-9]*", re.ASCII)
_HEX8 = re.compile(r"[0-9a-f]{8}", re.ASCII)


# -- strict pieces -------------------------------------------------------------


def _b64decode(text: str, what: str) -> bytes:
    """Standard base64 with padding, canonical only (re-encodes to ``text``)."""
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error, ValueError):
        raise BadInput(f"{what} is not valid base64") from None
    if base64.b64encode(raw).decode("ascii") != text:
        raise BadInput(f"{what} is not canonical base64")
    return raw


def _check_name(name: str) -> str:
    """Key names: non-empty, no Unicode spaces, no '+', no control characters."""
    if not isinstance(name, str) or not name:
        raise BadInput("key name must be a non-empty string")
    if "+" in name or any(c.isspace() or ord(c) < 0x20 or ord(c) == 0x7F for c in name):
        raise BadInput(f"key name {name!r} must not contain spaces, '+' or control characters")
    _check_utf8(name, "key name")
    return name


def _check_utf8(text: str, what: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise BadInput(f"{what} is not valid UTF-8") from None


def _check_text(text: str, what: str) -> None:
    """Valid UTF-8 and no ASCII control characters other than newline."""
    _check_utf8(text, what)
    for i, c in enumerate(text):
        if ord(c) < 0x20 and c != "\n":
            hint = " (CRLF line endings?)" if c == "\r" else ""
            raise BadInput(f"{what} contains control character {c!r} at offset {i}{hint}")


def _check_body(body: str) -> None:
    if not isinstance(body, str):
        raise BadInput("note body must be text")
    _check_text(body, "note body")
    if not body.endswith("\n"):
        raise BadInput("note body must end with a newline")
    if body.startswith("\n") or "\n\n" in body:
        raise BadInput("note body must not contain blank lines")


def _public_key_bytes(public_key: bytes) -> bytes:
    if not isinstance(public_key, bytes | bytearray) or len(public_key) != KEY_SIZE:
        raise BadInput(f"Ed25519 public key must be {KEY_SIZE} bytes")
    return bytes(public_key)


# -- keys ----------------------------------------------------------------------


def key_id(name: str, public_key: bytes) -> bytes:
    """The 4-byte key ID of an Ed25519 key:
    ``SHA-256(name || 0x0A || 0x01 || public_key)[:4]``."""
    name_bytes = _check_name(name).encode("utf-8")
    pub = _public_key_bytes(public_key)
    return hashlib.sha256(name_bytes + b"\n" + bytes([ALG_ED25519]) + pub).digest()[:4]


def verifier_key(name: str, public_key: bytes) -> str:
    """The verifier key text ``name+<key id hex>+base64(0x01 || public_key)``."""
    pub = _public_key_bytes(public_key)
    encoded = base64.b64encode(bytes([ALG_ED25519]) + pub).decode("ascii")
    return f"{name}+{key_id(name, pub).hex()}+{encoded}"


def parse_verifier_key(text: str) -> tuple[str, bytes]:
    """Parse a verifier key; returns ``(name, public_key)``.

    Strict: lowercase 8-digit hex key ID that matches the key, canonical
    base64, algorithm Ed25519, 32-byte key.
    """
    if not isinstance(text, str):
        raise BadInput("verifier key must be text")
    # The name has no '+'; the base64 part may contain '+', so split twice only.
    parts = text.split("+", 2)
    if len(parts) != 3:
        raise BadInput("verifier key must look like name+keyid+base64key")
    name, hex_id, b64 = parts
    _check_name(name)
    if not _HEX8.fullmatch(hex_id):
        raise BadInput("verifier key ID must be 8 lowercase hex digits")
    raw = _b64decode(b64, "verifier key")
    if len(raw) != 1 + KEY_SIZE or raw[0] != ALG_ED25519:
        raise BadInput("verifier key is not an Ed25519 key (type 0x01, 32 bytes)")
    pub = raw[1:]
    if key_id(name, pub).hex() != hex_id:
        raise BadInput(f"verifier key ID {hex_id} does not match the key")
    return name, pub


# -- notes ---------------------------------------------------------------------


def sign_note(body: str, name: str, private_key_bytes: bytes) -> str:
    """Sign ``body`` with the raw 32-byte Ed25519 private key and return the
    whole note: body, blank line, one signature line.  Deterministic."""
    _check_body(body)
    _check_name(name)
    if not isinstance(private_key_bytes, bytes | bytearray) or len(private_key_bytes) != KEY_SIZE:
        raise BadInput(f"Ed25519 private key must be {KEY_SIZE} bytes")
    private_key = Ed25519PrivateKey.from_private_bytes(bytes(private_key_bytes))
    public_key = private_key.public_key().public_bytes_raw()
    signature = private_key.sign(body.encode("utf-8"))
    blob = base64.b64encode(key_id(name, public_key) + signature).decode("ascii")
    return f"{body}\n{_SIG_PREFIX}{name} {blob}\n"


def parse_note(text: str | bytes) -> tuple[str, list[tuple[str, bytes, bytes]]]:
    """Split a signed note into its body and its signatures.

    Returns ``(body, [(name, key_id, signature), ...])`` with ``key_id`` the
    4 raw bytes and ``signature`` the bytes after them.  Verifies nothing.
    Raises :class:`BadInput` for anything outside the grammar: not UTF-8,
    control characters, no blank line before the signatures, a blank line
    inside the body, a malformed signature line, more than 100 signatures.
    """
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError:
            raise BadInput("note is not valid UTF-8") from None
    if not isinstance(text, str):
        raise BadInput("note must be text")
    _check_text(text, "note")
    split = text.rfind("\n\n")
    if split < 0:
        raise BadInput("note has no signature block (a blank line then signature lines)")
    body, block = text[: split + 1], text[split + 2 :]
    _check_body(body)
    if not block or not block.endswith("\n"):
        raise BadInput("note signature block must be non-empty and end with a newline")
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise BadInput(f"note has {len(lines)} signatures, more than {MAX_SIGNATURES}")
    signatures = []
    for number, line in enumerate(lines, 1):
        if not line.startswith(_SIG_PREFIX):
            raise BadInput(f"note signature line {number} does not start with an em dash and space")
        fields = line[len(_SIG_PREFIX) :].split(" ")
        if len(fields) != 2:
            raise BadInput(f"note signature line {number} must be '— name signature'")
        name, blob = fields
        try:
            _check_name(name)
            raw = _b64decode(blob, "signature")
        except BadInput as exc:
            raise BadInput(f"note signature line {number}: {exc.message}") from None
        if len(raw) < 5:
            raise BadInput(f"note signature line {number}: signature is too short")
        signatures.append((name, raw[:4], raw[4:]))
    return body, signatures


def verify_note(text: str | bytes, name: str, public_key: bytes) -> str:
    """Return the body of ``text`` if it carries a valid Ed25519 signature by
    the key ``(name, public_key)``.

    Signatures by other keys are ignored, as the spec requires.  Raises
    :class:`TamperDetected` if no signature by this key is present or if one
    is present and does not verify; :class:`BadInput` if the note is
    malformed.
    """
    pub = _public_key_bytes(public_key)
    kid = key_id(name, pub)
    body, signatures = parse_note(text)
    verifier = Ed25519PublicKey.from_public_bytes(pub)
    message = body.encode("utf-8")
    found = False
    for sig_name, sig_kid, signature in signatures:
        if sig_name != name or sig_kid != kid:
            continue
        found = True
        try:
            if len(signature) != SIGNATURE_SIZE:
                raise InvalidSignature
            verifier.verify(signature, message)
        except InvalidSignature:
            raise TamperDetected(
                f"checkpoint signature does not verify: signature by {name}+{kid.hex()} "
                "is invalid (note altered or signed by another key)"
            ) from None
    if not found:
        present = ", ".join(f"{n}+{k.hex()}" for n, k, _ in signatures)
        raise TamperDetected(
            f"checkpoint signature does not verify: no signature by {name}+{kid.hex()} "
            f"(found: {present})"
        )
    return body


# -- checkpoints ---------------------------------------------------------------


def checkpoint_body(
    origin: str, tree_size: int, root_hash: bytes, extensions: Sequence[str] = ()
) -> str:
    """The tlog-checkpoint note text: origin, tree size, base64 root hash and
    optional extension lines, each ending in a newline."""
    if not isinstance(origin, str) or not origin or "\n" in origin:
        raise BadInput("checkpoint origin must be a non-empty single line")
    if (
        not isinstance(tree_size, int)
        or isinstance(tree_size, bool)
        or not 0 <= tree_size <= _MAX_TREE_SIZE
    ):
        raise BadInput(f"checkpoint tree size {tree_size!r} is not a uint64")
    if not isinstance(root_hash, bytes | bytearray) or len(root_hash) != HASH_SIZE:
        raise BadInput(f"checkpoint root hash must be {HASH_SIZE} bytes")
    if isinstance(extensions, str):
        raise BadInput("checkpoint extensions must be a sequence of lines, not one string")
    for line in extensions:
        if not isinstance(line, str) or not line or "\n" in line:
            raise BadInput("checkpoint extension lines must be non-empty single lines")
    lines = [origin, str(tree_size), base64.b64encode(bytes(root_hash)).decode("ascii")]
    body = "\n".join([*lines, *extensions]) + "\n"
    _check_body(body)
    return body


def parse_checkpoint(body: str) -> tuple[str, int, bytes, tuple[str, ...]]:
    """Parse checkpoint note text into ``(origin, tree_size, root_hash,
    extensions)``.  Strict: at least three non-empty lines, decimal size
    without leading zeros that fits a uint64, canonical base64 of 32 bytes."""
    _check_body(body)
    lines = body[:-1].split("\n")
    if len(lines) < 3:
        raise BadInput("checkpoint must have origin, tree size and root hash lines")
    origin, size_text, root_text, *extensions = lines
    if not _DECIMAL.fullmatch(size_text):
        raise BadInput(f"checkpoint tree size {size_text!r} is not a decimal without leading zeros")
    tree_size = int(size_text)
    if tree_size > _MAX_TREE_SIZE:
        raise BadInput("checkpoint tree size does not fit in 64 bits")
    root_hash = _b64decode(root_text, "checkpoint root hash")
    if len(root_hash) != HASH_SIZE:
        raise BadInput(f"checkpoint root hash must be {HASH_SIZE} bytes, got {len(root_hash)}")
    return origin, tree_size, root_hash, tuple(extensions)
