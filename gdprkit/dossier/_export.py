"""``export pdf``: collect, lay out, attach, finish as PDF/A-3b, optionally sign."""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import io
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ._collect import Scope, collect


@dataclass(frozen=True)
class ExportResult:
    """What ``export_dossier`` wrote."""

    path: str
    pages: int
    incidents: int
    evidence: int
    attachments: int
    generated_at: _dt.datetime
    sha256: str
    signed: bool

    def to_dict(self) -> dict:
        return {
            "path": self.path, "pages": self.pages, "incidents": self.incidents,
            "evidence": self.evidence, "attachments": self.attachments,
            "generated_at": self.generated_at.isoformat().replace("+00:00", "Z"),
            "sha256": self.sha256, "signed": self.signed,
        }


class _HashingWriter:
    """A write-only binary sink that hashes what passes through it (for pipes)."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.sha = hashlib.sha256()

    def write(self, data) -> int:
        self.sha.update(data)
        self.out.write(data)
        return len(data)

    def flush(self) -> None:
        self.out.flush()

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def seek(self, *_args) -> int:  # pikepdf takes an object with seek() for a stream
        raise io.UnsupportedOperation("seek")

    def tell(self) -> int:
        raise io.UnsupportedOperation("tell")


def export_dossier(ledger, output: str | os.PathLike | BinaryIO, *, scope: Scope | None = None,
                   lang: str | None = None, signer=None) -> ExportResult:
    """Write the evidence dossier of ``ledger`` for ``scope`` to ``output``.

    ``output`` is a file name (written atomically, mode 0600) or a writable
    binary stream such as ``sys.stdout.buffer``, written in order, never
    seeked.  The same ledger state and options give a byte-identical file
    unless ``signer`` (from :func:`load_signer`) is given: a signature
    carries its signing time.
    """
    from .._io import atomic_output
    from . import _manifest, _pdfa
    from ._render import render
    from .labels import labels

    data = collect(ledger, scope or Scope(), lang)
    pdf_bytes, pages = render(data, ledger.read_evidence)
    L = labels(data.lang)
    carried_items = [ev for ev in data.evidence if not ev.shredded]
    attachments = [{
        "id": ev.id,
        "name": data.attachment_names[ev.id],
        "media_type": ev.media_type,
        "description": f"{ev.id}: original evidence file, SHA-256 {ev.sha256}",
        "mod_date": ev.acquired_at,
    } for ev in carried_items]

    def write(out: BinaryIO, folder) -> None:
        fd, carrier_path = tempfile.mkstemp(prefix=".gdprkit-dossier-", suffix=".part",
                                            dir=folder)
        carrier = os.fdopen(fd, "w+b")
        # The carrier holds the evidence files (compressed, not encrypted).  On
        # Linux it loses its name at once and is reached through /proc, so no
        # signal, crash or kill can leave it behind in a temporary folder.
        if os.path.exists(f"/proc/self/fd/{fd}"):
            os.unlink(carrier_path)
            carrier_path = f"/proc/self/fd/{fd}"
        try:
            carried = _pdfa.write_carrier(carrier, [ev.id for ev in carried_items],
                                          ledger.read_evidence)

            def finish(sink: BinaryIO) -> None:
                _pdfa.finish(pdf_bytes, sink, title=L["title"], lang=data.lang,
                             created=data.generated_at, carrier_path=carrier_path,
                             attachments=attachments, carried=carried,
                             manifest=lambda digests: _manifest.build(data, digests),
                             manifest_name=_manifest.NAME)

            if signer is None:
                finish(out)
                return
            from ._sign import sign_pdf

            # unsigned and signed revisions in nameless temporary files (as
            # large as the dossier: not in memory), then copied to ``out``
            with tempfile.TemporaryFile(dir=folder) as unsigned, \
                    tempfile.TemporaryFile(dir=folder) as signed:
                finish(unsigned)
                unsigned.flush()
                sign_pdf(unsigned, signed, signer, reason=L["title"])
                signed.flush()
                signed.seek(0)
                shutil.copyfileobj(signed, out, 1 << 20)
        finally:
            carrier.close()
            if not carrier_path.startswith("/proc/"):
                with contextlib.suppress(OSError):
                    os.unlink(carrier_path)

    if hasattr(output, "write"):
        hashing = _HashingWriter(output)
        write(hashing, None)  # the carrier goes to the temporary folder
        hashing.flush()
        path, digest = str(getattr(output, "name", "<stream>")), hashing.sha.hexdigest()
    else:
        target = Path(output)
        with atomic_output(target) as out:
            write(out, target.parent if str(target.parent) else ".")
        sha = hashlib.sha256()
        with open(target, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                sha.update(block)
        path, digest = str(target), sha.hexdigest()
    return ExportResult(
        path=path, pages=pages, incidents=len(data.incidents),
        evidence=len(data.evidence), attachments=len(carried_items),
        generated_at=data.generated_at, sha256=digest, signed=signer is not None,
    )
