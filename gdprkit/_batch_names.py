"""Output file names of a batch: generated, or given by a row, always inside the out dir.

Generated names read ``<row>-<kind>-<lang>-<recipient>.<format>``, e.g.
``0007-objection-it-mario-rossi.pdf``: the row number (at least four digits)
makes them unique and keeps them in row order; the recipient slug is the
recipient's name (else organisation) folded to ASCII, ``[a-z0-9-]`` only, at
most 40 characters.

A row's ``output`` value is a relative path with ``/`` between folders.  It is
refused (an error of that row) when it is absolute, contains ``..``, a NUL,
a control character or a backslash, a part starting with ``.`` (hidden
files, and the temporary files of atomic writes), when it is
``manifest.json``, when it has the shape of a generated name of another row,
or when it resolves outside the out dir after following symbolic links.

Two rows naming the same output (compared case-insensitively, as on macOS
and Windows): the later row is an error; the earlier one keeps the file.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from pathlib import Path

from .errors import BadInput
from .model import LANGUAGES, LetterKind

__all__ = ["MANIFEST", "OutputNames", "default_name", "slugify"]

MANIFEST = "manifest.json"
SLUG_MAX = 40
_PART_MAX_BYTES = 200
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# format (bidi overrides, zero-width), surrogate, private-use, unassigned,
# and line/paragraph separators
_INVISIBLE = frozenset({"Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_KINDS = "|".join(re.escape(k) for k in LetterKind.values())
_GENERATED = re.compile(r"^(\d{4,})-(?:" + _KINDS + ")-(?:" + "|".join(LANGUAGES) + ")-")


def slugify(text: str | None, *, max_len: int = SLUG_MAX, fallback: str = "recipient") -> str:
    """``"Mário Rossi & Figli"`` -> ``"mario-rossi-figli"``: ASCII, ``[a-z0-9-]``, capped."""
    folded = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", folded.lower()).strip("-")
    if len(slug) > max_len:
        cut = slug[:max_len]
        # cut at a word boundary when one is not too far back
        slug = cut.rsplit("-", 1)[0] if "-" in cut[max_len // 2:] else cut
        slug = slug.strip("-")
    return slug or fallback


def default_name(row: int, kind: str, lang: str, recipient: str | None, fmt: str) -> str:
    """The generated file name of a row."""
    return f"{row:04d}-{kind}-{lang}-{slugify(recipient)}.{fmt}"


def check_relative(value: str) -> str:
    """A row's ``output`` value as a safe relative POSIX path, or BadInput saying why."""
    if "\x00" in value:
        raise BadInput("the output name contains a NUL character")
    if _CONTROL.search(value):
        raise BadInput("the output name contains a line break or control character")
    invisible = next((c for c in value if unicodedata.category(c) in _INVISIBLE), None)
    if invisible is not None:
        # U+202E and friends make "x\u202etxt.exe" show as "xexe.txt"
        raise BadInput(f"the output name contains the invisible or direction-changing "
                       f"character U+{ord(invisible):04X}",
                       hint="file names must read as what they are")
    if "\\" in value:
        raise BadInput(f"the output name {value!r} contains a backslash",
                       hint="use / between folders")
    if value.startswith("/") or re.match(r"^[A-Za-z]:", value) or value.startswith("~"):
        raise BadInput(f"the output name {value!r} is an absolute path",
                       hint="give a name relative to --out-dir")
    parts = value.split("/")
    if ".." in parts:
        raise BadInput(f"the output name {value!r} contains '..'",
                       hint="outputs stay inside --out-dir")
    for part in parts:
        if not part or part == ".":
            raise BadInput(f"the output name {value!r} has an empty folder or file name")
        if part.startswith("."):
            raise BadInput(f"the output name {value!r} names a hidden file or folder "
                           "(starting with '.')")
        if len(part.encode("utf-8")) > _PART_MAX_BYTES:
            raise BadInput(f"a part of the output name is longer than {_PART_MAX_BYTES} bytes")
    rel = unicodedata.normalize("NFC", "/".join(parts))
    if rel.casefold() == MANIFEST:
        raise BadInput(f"the output name {MANIFEST!r} is reserved for the manifest")
    return rel


class OutputNames:
    """Claims output names in row order and maps them to paths inside the out dir.

    Only names given by rows are remembered (generated names are unique by
    their row number, and a row may not take a generated name's shape), so
    memory does not grow with the number of rows.
    """

    def __init__(self, out_dir: Path) -> None:
        self.root = out_dir.resolve()
        self._claimed: dict[str, int] = {}

    def claim(self, row: int, value: str) -> str:
        """Check and reserve a row's own ``output`` value; returns the relative path."""
        rel = check_relative(value)
        m = _GENERATED.match(rel)
        if m and "/" not in rel and int(m.group(1)) != row:
            raise BadInput(
                f"the output name {rel!r} has the shape of the generated name of row "
                f"{int(m.group(1))}", hint="choose a name not starting with a row number"
            )
        key = rel.casefold()
        first = self._claimed.get(key)
        if first is not None:
            raise BadInput(f"the output name {rel!r} is already used by row {first}")
        self._claimed[key] = row
        return rel

    def path(self, rel: str) -> Path:
        """The absolute path of ``rel``, creating its folders; BadInput if it escapes."""
        target = self.root.joinpath(*rel.split("/"))
        parent = target.parent
        if parent == self.root:
            # The common case (every generated name): the folder is resolved
            # already, so only a symbolic link or folder at the name matters.
            try:
                mode = os.lstat(target).st_mode
            except FileNotFoundError:
                return target
            if stat.S_ISDIR(mode):
                raise BadInput(f"the output name {rel!r} is an existing folder")
            if not stat.S_ISLNK(mode):
                return target
        if parent != self.root:
            # Check before creating anything: a symlinked folder may point outside.
            probe = parent
            while not probe.exists() and probe != self.root:
                probe = probe.parent
            if not _resolve(probe, rel).is_relative_to(self.root):
                raise BadInput(f"the output name {rel!r} leads outside the output folder "
                               "(through a symbolic link)")
            parent.mkdir(parents=True, exist_ok=True)
        resolved = _resolve(target, rel)
        if not resolved.is_relative_to(self.root) or resolved == self.root:
            raise BadInput(f"the output name {rel!r} leads outside the output folder "
                           "(through a symbolic link)")
        if target.is_dir():
            raise BadInput(f"the output name {rel!r} is an existing folder")
        return target


def _resolve(path: Path, rel: str) -> Path:
    """``path.resolve()``; a symbolic-link loop is the row's error, not the run's."""
    try:
        return path.resolve()
    except (RuntimeError, OSError) as err:  # RuntimeError: a loop (Python < 3.13)
        raise BadInput(f"the output name {rel!r} cannot be resolved: "
                       f"{getattr(err, 'strerror', None) or err}") from None
