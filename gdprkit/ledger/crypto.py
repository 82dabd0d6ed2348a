"""Key handling and authenticated encryption for the ledger.

Passphrase --Argon2id--> key-encryption key (KEK) --AES-256-GCM wraps--> a
random 256-bit ledger key.  From the ledger key, labelled HKDF derives the key
that wraps per-entry data keys and the key that seals the Ed25519 signing key.
Every entry has its own random data key, so shredding an entry is deleting
its wrapped key (and ciphertext).

Every stored structure starts with a version byte; decoding is strict and
every failure surfaces as one opaque error (no oracle about which part was
wrong).  Nonces for entry content are deterministic counters under a key that
is never reused across entries; key wrapping uses random 96-bit nonces.
"""

from __future__ import annotations

import json
import os
import struct
from dataclasses import asdict, dataclass

from ..errors import BadInput, TamperDetected

VERSION = 1
_VERSION_BYTE = bytes([VERSION])
KEY_LEN = 32
NONCE_LEN = 12
TAG_LEN = 16
CHUNK_SIZE = 1 << 20  # evidence is encrypted in 1 MiB chunks

_META_NONCE = b"meta" + bytes(8)
_AD_WRAP = b"gdprkit/v1/key\x00"
_AD_ENTRY = b"gdprkit/v1/entry\x00"
_AD_CHUNK = b"gdprkit/v1/chunk\x00"
_AD_LEDGER_KEY = b"gdprkit/v1/ledger-key\x00"
_AD_SIGNING_KEY = b"gdprkit/v1/signing-key\x00"


class DecryptionFailed(Exception):
    """Opaque: the ciphertext, its key or its associated data is not authentic."""


@dataclass(frozen=True)
class KdfParams:
    """Argon2id parameters stored in the ledger header.

    Defaults follow RFC 9106's second recommended option scaled for a laptop:
    64 MiB, 3 passes, 4 lanes.  Anything below OWASP's floor (19 MiB, t=2) is
    refused, and so are absurd values that would only serve a denial of
    service through a crafted header.
    """

    memory_kib: int = 64 * 1024
    iterations: int = 3
    lanes: int = 4
    salt: bytes = b""

    MIN_MEMORY_KIB = 19 * 1024
    MIN_ITERATIONS = 2
    MAX_MEMORY_KIB = 4 * 1024 * 1024
    MAX_ITERATIONS = 64
    MAX_LANES = 64

    @classmethod
    def minimum(cls) -> KdfParams:
        """The weakest accepted parameters (fast; for tests and small machines)."""
        return cls(memory_kib=cls.MIN_MEMORY_KIB, iterations=cls.MIN_ITERATIONS, lanes=1)

    def problem(self) -> str | None:
        if not isinstance(self.memory_kib, int) or not isinstance(self.iterations, int):
            return "KDF parameters are not integers"
        if not isinstance(self.lanes, int) or not 1 <= self.lanes <= self.MAX_LANES:
            return f"KDF lanes {self.lanes!r} outside 1..{self.MAX_LANES}"
        if self.memory_kib < self.MIN_MEMORY_KIB:
            return f"KDF memory {self.memory_kib} KiB is below the 19 MiB minimum"
        if self.iterations < self.MIN_ITERATIONS:
            return f"KDF iterations {self.iterations} below the minimum of 2"
        if self.memory_kib > self.MAX_MEMORY_KIB or self.iterations > self.MAX_ITERATIONS:
            return "KDF parameters are absurdly high"
        if self.memory_kib < 8 * self.lanes:
            return "KDF memory too small for its lanes"
        if self.salt and len(self.salt) != 16:
            return "KDF salt is not 16 bytes"
        return None

    def check_user_choice(self) -> None:
        problem = self.problem()
        if problem:
            raise BadInput(problem)

    def to_json(self) -> bytes:
        d = asdict(self)
        d["salt"] = self.salt.hex()
        d["alg"] = "argon2id"
        d["v"] = VERSION
        return json.dumps(d, sort_keys=True).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> KdfParams:
        """Strictly decode stored parameters; refuse unsafe ones (tampering)."""
        try:
            if type(raw) is not bytes:
                raise TypeError
            d = json.loads(raw)
            if d.pop("alg") != "argon2id" or d.pop("v") != VERSION:
                raise ValueError
            params = cls(
                memory_kib=d["memory_kib"],
                iterations=d["iterations"],
                lanes=d["lanes"],
                salt=bytes.fromhex(d["salt"]),
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            raise TamperDetected("the ledger header's KDF parameters cannot be read") from None
        # a stored salt is always 16 bytes (an empty one would even crash Argon2id)
        problem = params.problem() or (
            None if len(params.salt) == 16 else "KDF salt is not 16 bytes")
        if problem:
            raise TamperDetected(f"the ledger header is refused: {problem}")
        return params


def derive_kek(passphrase: bytes, params: KdfParams) -> bytes:
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

    return Argon2id(
        salt=params.salt,
        length=KEY_LEN,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    ).derive(passphrase)


def hkdf(key: bytes, info: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=KEY_LEN, salt=None, info=info).derive(key)


def _aesgcm(key: bytes):
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(key)


def seal_random(key: bytes, plaintext: bytes, ad: bytes) -> bytes:
    """Version byte + random nonce + AES-GCM ciphertext."""
    nonce = os.urandom(NONCE_LEN)
    return bytes([VERSION]) + nonce + _aesgcm(key).encrypt(nonce, plaintext, ad)


def open_random(key: bytes, blob: bytes, ad: bytes, *, aead=None) -> bytes:
    from cryptography.exceptions import InvalidTag

    if len(blob) < 1 + NONCE_LEN + TAG_LEN or blob[0] != VERSION:
        raise DecryptionFailed
    try:
        return (aead or _aesgcm(key)).decrypt(blob[1 : 1 + NONCE_LEN], blob[1 + NONCE_LEN :], ad)
    except InvalidTag:
        raise DecryptionFailed from None


def wrap_ledger_key(kek: bytes, ledger_key: bytes, ledger_id: bytes) -> bytes:
    return seal_random(kek, ledger_key, _AD_LEDGER_KEY + ledger_id)


def unwrap_ledger_key(kek: bytes, wrapped: bytes, ledger_id: bytes) -> bytes:
    key = open_random(kek, wrapped, _AD_LEDGER_KEY + ledger_id)
    if len(key) != KEY_LEN:
        raise DecryptionFailed
    return key


def entry_binding(ledger_id: bytes, seq: int, kind: str) -> bytes:
    """Associated data binding a ciphertext to its ledger, position and kind."""
    k = kind.encode()
    return ledger_id + struct.pack(">QH", seq, len(k)) + k


class Keyring:
    """The unlocked ledger key and what derives from it."""

    def __init__(self, ledger_id: bytes, ledger_key: bytes) -> None:
        self.ledger_id = ledger_id
        self.ledger_key = ledger_key
        self._wrap = _aesgcm(hkdf(ledger_key, b"gdprkit/v1/wrap"))
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self._aead_types = (AESGCM, InvalidTag)
        self.signing_seal_key = hkdf(ledger_key, b"gdprkit/v1/signing-key")

    # -- the Ed25519 checkpoint key, sealed under the ledger key --------------
    def seal_signing_key(self, private_bytes: bytes) -> bytes:
        return seal_random(self.signing_seal_key, private_bytes, _AD_SIGNING_KEY + self.ledger_id)

    def open_signing_key(self, blob: bytes) -> bytes:
        return open_random(self.signing_seal_key, blob, _AD_SIGNING_KEY + self.ledger_id)

    # -- per-entry data keys ---------------------------------------------------
    def new_entry(self, seq: int, kind: str) -> EntryCipher:
        data_key = os.urandom(KEY_LEN)
        binding = entry_binding(self.ledger_id, seq, kind)
        nonce = os.urandom(NONCE_LEN)
        wrapped = bytes([VERSION]) + nonce + self._wrap.encrypt(nonce, data_key, _AD_WRAP + binding)
        return EntryCipher(data_key, binding, wrapped)

    def open_payload_fast(self, seq: int, kind: str, wrapped: bytes, payload: bytes) -> bytes:
        """Unwrap an entry's data key and decrypt its payload in one step (for verify)."""
        AESGCM, InvalidTag = self._aead_types  # noqa: N806
        k = kind.encode()
        binding = self.ledger_id + struct.pack(">QH", seq, len(k)) + k
        if wrapped[:1] != _VERSION_BYTE or payload[:1] != _VERSION_BYTE or len(payload) < 1 + TAG_LEN:
            raise DecryptionFailed
        try:
            data_key = self._wrap.decrypt(wrapped[1:1 + NONCE_LEN], wrapped[1 + NONCE_LEN:],
                                          _AD_WRAP + binding)
            if len(data_key) != KEY_LEN:
                raise DecryptionFailed
            return AESGCM(data_key).decrypt(_META_NONCE, payload[1:], _AD_ENTRY + binding)
        except InvalidTag:
            raise DecryptionFailed from None

    def open_entry(self, seq: int, kind: str, wrapped: bytes) -> EntryCipher:
        binding = entry_binding(self.ledger_id, seq, kind)
        data_key = open_random(b"", wrapped, _AD_WRAP + binding, aead=self._wrap)
        if len(data_key) != KEY_LEN:
            raise DecryptionFailed
        return EntryCipher(data_key, binding, wrapped)


class EntryCipher:
    """Encrypts one entry's metadata and its evidence chunks under its data key."""

    __slots__ = ("_aead", "binding", "wrapped")

    def __init__(self, data_key: bytes, binding: bytes, wrapped: bytes) -> None:
        self._aead = _aesgcm(data_key)
        self.binding = binding
        self.wrapped = wrapped

    def seal_payload(self, plaintext: bytes) -> bytes:
        return bytes([VERSION]) + self._aead.encrypt(_META_NONCE, plaintext, _AD_ENTRY + self.binding)

    def open_payload(self, blob: bytes) -> bytes:
        from cryptography.exceptions import InvalidTag

        if len(blob) < 1 + TAG_LEN or blob[0] != VERSION:
            raise DecryptionFailed
        try:
            return self._aead.decrypt(_META_NONCE, blob[1:], _AD_ENTRY + self.binding)
        except InvalidTag:
            raise DecryptionFailed from None

    def _chunk_nonce_ad(self, index: int, last: bool) -> tuple[bytes, bytes]:
        return (
            b"chnk" + struct.pack(">Q", index),
            _AD_CHUNK + self.binding + struct.pack(">QB", index, 1 if last else 0),
        )

    def seal_chunk(self, index: int, plaintext: bytes, last: bool) -> bytes:
        nonce, ad = self._chunk_nonce_ad(index, last)
        return bytes([VERSION]) + self._aead.encrypt(nonce, plaintext, ad)

    def open_chunk(self, index: int, blob: bytes, last: bool) -> bytes:
        from cryptography.exceptions import InvalidTag

        if len(blob) < 1 + TAG_LEN or blob[0] != VERSION:
            raise DecryptionFailed
        nonce, ad = self._chunk_nonce_ad(index, last)
        try:
            return self._aead.decrypt(nonce, memoryview(blob)[1:], ad)
        except InvalidTag:
            raise DecryptionFailed from None
