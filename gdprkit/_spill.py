"""Temporary files that never hold plaintext.

A message too large to keep in memory during an import is written to a
temporary file, encrypted in 1 MiB chunks with AES-256-GCM under a random key
that exists only in this process's memory.  If the process dies, what is left
in the temp directory is ciphertext nobody can read; otherwise it is deleted as
soon as the message has been stored.
"""

from __future__ import annotations

import hashlib
import io
import os
import struct
import tempfile
from typing import BinaryIO

CHUNK = 1 << 20
_LEN = struct.Struct(">I")


def _nonce(index: int) -> bytes:
    return b"spil" + index.to_bytes(8, "big")


class EncryptedSpill:
    """Write-once temporary storage for large plaintext, encrypted at rest."""

    def __init__(self, prefix: str = "gdprkit-spill-") -> None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self._aead = AESGCM(AESGCM.generate_key(256))
        fd, self.path = tempfile.mkstemp(prefix=prefix, suffix=".enc")  # mode 0600
        self._fh: BinaryIO | None = os.fdopen(fd, "wb")
        self._buf = bytearray()
        self._chunks = 0
        self._sha = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        if self._fh is None:
            raise ValueError("the spill file is closed")
        self._buf += data
        self._sha.update(data)
        self.size += len(data)
        while len(self._buf) >= CHUNK:
            self._seal(bytes(self._buf[:CHUNK]), last=False)
            del self._buf[:CHUNK]
        return len(data)

    def _seal(self, chunk: bytes, *, last: bool) -> None:
        ct = self._aead.encrypt(_nonce(self._chunks), chunk, b"last" if last else b"more")
        self._fh.write(_LEN.pack(len(ct)) + ct)
        self._chunks += 1

    def close(self) -> None:
        """Finish writing (the last chunk is marked, so truncation is detected)."""
        if self._fh is not None:
            self._seal(bytes(self._buf), last=True)
            self._buf = bytearray()
            self._fh.close()
            self._fh = None

    @property
    def sha256(self) -> str:
        return self._sha.hexdigest()

    def open(self) -> BinaryIO:
        """A binary stream of the plaintext (after :meth:`close`)."""
        if self._fh is not None:
            raise ValueError("close the spill file before reading it")
        return io.BufferedReader(_Reader(self.path, self._aead), buffer_size=CHUNK)

    def discard(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        try:
            os.unlink(self.path)
        except OSError:
            pass


class _Reader(io.RawIOBase):
    def __init__(self, path: str, aead) -> None:
        self._fh = open(path, "rb")  # noqa: SIM115 - closed in close()
        self._aead = aead
        self._index = 0
        self._pending = b""
        self._done = False

    def readable(self) -> bool:
        return True

    def _next_chunk(self) -> bytes:
        from cryptography.exceptions import InvalidTag

        head = self._fh.read(_LEN.size)
        if len(head) < _LEN.size:
            raise OSError("the spill file is truncated")
        ct = self._fh.read(_LEN.unpack(head)[0])
        for ad, last in ((b"more", False), (b"last", True)):
            try:
                plain = self._aead.decrypt(_nonce(self._index), ct, ad)
            except InvalidTag:
                continue
            self._index += 1
            self._done = last
            return plain
        raise OSError("the spill file was altered")

    def readinto(self, buffer) -> int:
        while not self._pending and not self._done:
            self._pending = self._next_chunk()
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n

    def close(self) -> None:
        self._fh.close()
        super().close()
