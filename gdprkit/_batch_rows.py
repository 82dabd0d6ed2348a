"""Reading batch rows from CSV or JSONL, streamed, with the encodings users really have.

A batch file is read line by line from a binary stream and never held in
memory whole.  Every line must be UTF-8 (a UTF-8 byte-order mark at the start
is dropped, as Excel's "CSV UTF-8" writes one); UTF-16/32 files and bytes that
are not UTF-8 (Latin-1, Windows-1252) are refused with the line number instead
of being guessed at and mangled.

CSV: the delimiter is sniffed from the header line (``,``, ``;`` as Excel
writes in Italy and Germany, or a tab); quoted fields may span lines.  A
malformed file (an unclosed quote, a line over 1 MiB) is a file error.

JSONL: one JSON object per line, blank lines skipped; a line that is not a
JSON object, or that has an unknown key, is an error of that row only.

Each data row is yielded as a :class:`SourceRow`: its 1-based number (the
header and blank lines are not counted), the physical line it starts on, and
either its values (column name -> stripped string) or an error message.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import BinaryIO, NamedTuple

from .errors import BadInput

__all__ = ["COLUMNS", "MAX_LINE", "RowSource", "SourceRow", "open_source", "rows_from_mappings"]

# The columns (CSV) or keys (JSONL) a batch row may have.
COLUMNS = (
    "kind",
    "lang",
    "format",
    "requester_name",
    "requester_email",
    "requester_address",
    "requester_country",
    "recipient_name",
    "recipient_org",
    "recipient_email",
    "recipient_address",
    "recipient_country",
    "incident_kind",
    "incident_date",
    "platform",
    "facts",
    "output",
    "sent",  # the date the letter is sent (default: the run's date)
    "contact",  # ledger ids (with --ledger)
    "incident",
    "request",  # the earlier request a reminder or complaint follows
)
_KNOWN = frozenset(COLUMNS)

MAX_LINE = 1 << 20  # bytes: a longer physical line is refused, so memory stays bounded
_CSV_FIELD_LIMIT = MAX_LINE

_UTF8_BOM = b"\xef\xbb\xbf"
_OTHER_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)
_SAVE_AS = "save it as UTF-8: Excel 'CSV UTF-8', LibreOffice character set 'Unicode (UTF-8)'"


class SourceRow(NamedTuple):
    """One data row: number, first physical line, values or an error."""

    row: int
    line: int
    values: dict[str, str] | None
    error: str | None = None


class _TooLong:
    """Marker yielded for a physical line over MAX_LINE bytes."""


_TOO_LONG = _TooLong()


class _CRLines:
    """``readline`` over a file whose lines end in a lone CR (classic Mac, and Excel
    for Mac's "CSV (Macintosh)"): every CR is read as LF."""

    def __init__(self, fh: BinaryIO, pending: bytes) -> None:
        self._fh, self._buf = fh, pending.replace(b"\r", b"\n")

    def readline(self, limit: int) -> bytes:
        while b"\n" not in self._buf and len(self._buf) < limit:
            block = self._fh.read(1 << 16)
            if not block:
                break
            self._buf += block.replace(b"\r", b"\n")
        end = self._buf.find(b"\n", 0, limit)
        n = end + 1 if end >= 0 else min(limit, len(self._buf))
        line, self._buf = self._buf[:n], self._buf[n:]
        return line


def _lone_cr(raw: bytes) -> bool:
    at = raw.find(b"\r")
    return at >= 0 and raw[at + 1:at + 2] != b"\n"


def _decoded_lines(fh: BinaryIO, what: str) -> Iterator[tuple[int, str | _TooLong]]:
    """(line number, text with its line ending) for every physical line, strictly UTF-8."""
    lineno = 0
    while True:
        raw = fh.readline(MAX_LINE + 1)
        if not raw:
            return
        if lineno == 0 and _lone_cr(raw):
            fh = _CRLines(fh, raw)  # type: ignore[assignment]
            raw = fh.readline(MAX_LINE + 1)
        lineno += 1
        if len(raw) > MAX_LINE and not raw.endswith(b"\n"):
            while True:  # skip the rest of the over-long line in bounded reads
                more = fh.readline(MAX_LINE)
                if not more or more.endswith(b"\n"):
                    break
            yield lineno, _TOO_LONG
            continue
        if lineno == 1:
            for bom, name in _OTHER_BOMS:
                if raw.startswith(bom):
                    raise BadInput(f"{what} is encoded in {name}, not UTF-8", hint=_SAVE_AS)
            if raw.startswith(_UTF8_BOM):
                raw = raw[len(_UTF8_BOM):]
        if b"\x00" in raw:
            raise BadInput(
                f"{what}: line {lineno} contains NUL bytes (a UTF-16 file?)", hint=_SAVE_AS
            )
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            column = len(raw[: err.start].decode("utf-8", "replace")) + 1
            raise BadInput(
                f"{what}: line {lineno} is not valid UTF-8 (byte 0x{raw[err.start]:02x} at "
                f"column {column}; the file looks like Latin-1 or Windows-1252)",
                hint=_SAVE_AS,
            ) from None
        yield lineno, text


def _sniff_delimiter(header: str) -> str:
    """The delimiter that occurs most often outside quotes in the header line."""
    counts = {",": 0, ";": 0, "\t": 0}
    quoted = False
    for ch in header:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda c: counts[c])
    return best if counts[best] else ","


def _column_name(raw: str) -> str:
    return raw.strip().lower().replace("-", "_").replace(" ", "_")


def _check_header(names: list[str], what: str, line: int) -> list[str]:
    header = [_column_name(n) for n in names]
    seen: set[str] = set()
    for name in header:
        if not name:
            raise BadInput(f"{what}: line {line}: the header has an empty column name")
        if name not in _KNOWN:
            raise BadInput(
                f"{what}: line {line}: unknown column {name!r}",
                hint="columns: " + ", ".join(COLUMNS),
            )
        if name in seen:
            raise BadInput(f"{what}: line {line}: the column {name!r} appears twice")
        seen.add(name)
    if "kind" not in seen:
        raise BadInput(f"{what}: line {line}: the header has no 'kind' column",
                       hint="the first line names the columns: kind,lang,...")
    return header


def _csv_rows(lines: Iterator[tuple[int, str | _TooLong]], what: str) -> Iterator[SourceRow]:
    current = 0

    def physical() -> Iterator[str]:
        nonlocal current
        for lineno, text in lines:
            current = lineno
            if isinstance(text, _TooLong):
                raise BadInput(f"{what}: line {lineno} is longer than {MAX_LINE} bytes")
            yield text

    feed = physical()
    header_text = None
    for text in feed:
        if text.strip():
            header_text = text
            break
    if header_text is None:
        raise BadInput(f"{what} is empty: the first line must name the columns")
    header_line = current
    delimiter = _sniff_delimiter(header_text)

    def with_header() -> Iterator[str]:
        yield header_text
        yield from feed

    reader = csv.reader(with_header(), delimiter=delimiter, strict=True)
    old_limit = csv.field_size_limit()
    csv.field_size_limit(_CSV_FIELD_LIMIT)
    try:
        try:
            header = _check_header(next(reader), what, header_line)
        except csv.Error as err:
            raise BadInput(f"{what}: line {header_line}: {err}") from None
        width = len(header)
        row = 0
        while True:
            start = current + 1
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as err:
                raise BadInput(f"{what}: line {current}: {err}",
                               hint="check the quotes around fields") from None
            if not any(f.strip() for f in fields):
                continue  # blank line, or only delimiters (Excel's empty rows)
            row += 1
            if len(fields) > width and any(f.strip() for f in fields[width:]):
                yield SourceRow(row, start, None,
                                f"has {len(fields)} fields but the header has {width}")
                continue
            values = {name: value.strip() for name, value in zip(header, fields, strict=False)}
            yield SourceRow(row, start, values)
    finally:
        csv.field_size_limit(old_limit)


def _mapping_values(obj: Mapping) -> tuple[dict[str, str] | None, str | None]:
    values: dict[str, str] = {}
    for key, value in obj.items():
        if not isinstance(key, str) or key not in _KNOWN:
            return None, f"unknown key {key!r} (keys: {', '.join(COLUMNS)})"
        if value is None:
            value = ""
        elif isinstance(value, bool) or not isinstance(value, str | int | float):
            return None, f"the value of {key!r} must be a string"
        values[key] = str(value).strip()
    return values, None


def _jsonl_rows(lines: Iterator[tuple[int, str | _TooLong]], what: str) -> Iterator[SourceRow]:
    row = 0
    for lineno, text in lines:
        if isinstance(text, _TooLong):
            row += 1
            yield SourceRow(row, lineno, None, f"the line is longer than {MAX_LINE} bytes")
            continue
        if not text.strip():
            continue
        row += 1
        try:
            obj = json.loads(text)
        except ValueError as err:
            msg = getattr(err, "msg", str(err))
            col = getattr(err, "colno", None)
            yield SourceRow(row, lineno, None,
                            f"not valid JSON: {msg}" + (f" at column {col}" if col else ""))
            continue
        if not isinstance(obj, dict):
            yield SourceRow(row, lineno, None, "not a JSON object ({...})")
            continue
        values, error = _mapping_values(obj)
        yield SourceRow(row, lineno, values, error)


def rows_from_mappings(items: Iterable[Mapping]) -> Iterator[SourceRow]:
    """Rows given as Python mappings (the API's ``Iterable[dict]`` source)."""
    for row, obj in enumerate(items, 1):
        if not isinstance(obj, Mapping):
            yield SourceRow(row, row, None, f"not a mapping but {type(obj).__name__}")
            continue
        values, error = _mapping_values(obj)
        yield SourceRow(row, row, values, error)


def _detect_format(name: str, first_line: str | None) -> str:
    suffix = Path(name).suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        return "csv"
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    return "jsonl" if first_line is not None and first_line.lstrip().startswith("{") else "csv"


class RowSource:
    """An open batch input.  ``rows()`` streams it; ``total`` is known for files.

    For a regular file the whole file is read once first (cheaply, without
    rendering) so that a file-level problem (encoding, quoting, header) is
    reported before any output is written, and the row count is known for the
    progress bar.  Standard input cannot be read twice: a file-level problem
    there stops the run at the line where it is found.
    """

    def __init__(self, fh: BinaryIO, what: str, fmt: str, *, rewindable: bool,
                 close: bool) -> None:
        self._fh = fh
        self.what = what
        self.format = fmt
        self._rewindable = rewindable
        self._close = close
        self.total: int | None = None
        if rewindable:
            self.total = sum(1 for _ in self._parse())
            fh.seek(0)

    def _parse(self) -> Iterator[SourceRow]:
        lines = _decoded_lines(self._fh, self.what)
        if self.format == "csv":
            return _csv_rows(lines, self.what)
        return _jsonl_rows(lines, self.what)

    def rows(self) -> Iterator[SourceRow]:
        return self._parse()

    def close(self) -> None:
        if self._close:
            self._fh.close()

    def __enter__(self) -> RowSource:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _peek_first_line(fh: BinaryIO) -> str | None:
    """The first non-blank line of a peekable stream, without consuming it."""
    peek = getattr(fh, "peek", None)
    if peek is None:
        return None
    head = peek(4096)[:4096]
    text = head.decode("utf-8", "replace").lstrip("\ufeff")
    for line in text.splitlines():
        if line.strip():
            return line
    return None


def open_source(source: str | os.PathLike | BinaryIO, *, input_format: str | None = None,
                stdin: BinaryIO | None = None) -> RowSource:
    """Open a batch file (``"-"`` is standard input) and check it can be read.

    Raises :class:`BadInput` for a missing or unreadable file, an encoding
    other than UTF-8, malformed CSV or an unknown column: all before any
    row is used.
    """
    if input_format not in (None, "csv", "jsonl"):
        raise BadInput(f"unknown input format {input_format!r}", hint="valid: csv, jsonl")
    if isinstance(source, str | os.PathLike) and os.fspath(source) == "-":
        fh = stdin if stdin is not None else sys.stdin.buffer
        if not hasattr(fh, "peek"):
            fh = io.BufferedReader(fh)  # type: ignore[arg-type]
        fmt = input_format or _detect_format("", _peek_first_line(fh))
        return RowSource(fh, "standard input", fmt, rewindable=False, close=False)
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        what = f"the batch file {str(path)!r}"
        if path.is_dir():
            raise BadInput(f"{what} is a folder")
        try:
            fh = open(path, "rb")  # noqa: SIM115 - closed by RowSource.close
        except OSError as err:
            raise BadInput(f"cannot read {what}: {err.strerror or err}") from None
        try:
            fmt = input_format or _detect_format(path.name, _peek_first_line(fh))
            seekable = fh.seekable() and path.is_file()
            return RowSource(fh, what, fmt, rewindable=seekable, close=True)
        except BaseException:
            fh.close()
            raise
    # an open binary stream
    fh = source
    if not hasattr(fh, "peek"):
        fh = io.BufferedReader(fh)  # type: ignore[arg-type]
    name = getattr(source, "name", "") or ""
    fmt = input_format or _detect_format(str(name), _peek_first_line(fh))
    return RowSource(fh, "the batch input", fmt, rewindable=False, close=False)
