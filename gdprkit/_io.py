"""Writing files safely: atomically, private by default, never half-written."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from .errors import BadInput


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike, *, mode: int = 0o600) -> Iterator[BinaryIO]:
    """Open a temporary file beside ``path``; rename it into place on success.

    On any error the temporary file is removed and ``path`` is left as it was.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise BadInput(f"the folder {folder} does not exist")
    if target.is_dir():
        raise BadInput(f"{target} is a folder")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_atomic(path: str | os.PathLike, data: bytes, *, mode: int = 0o600) -> None:
    with atomic_output(path, mode=mode) as fh:
        fh.write(data)
