"""Batch letters: one GDPR letter per row of a CSV or JSONL file, in parallel.

:func:`run_batch` reads the rows as a stream (a million rows take no more
memory than ten), renders each row's letter with
:func:`gdprkit.letters.render_letter` (in ``jobs`` worker processes when
``jobs > 1``; the files are byte-identical to ``jobs=1``), writes every
letter atomically inside ``out_dir`` and a ``manifest.json`` listing every
row.  ``gdprkit batch`` is a thin wrapper around it.

Rows
    Columns (CSV) or keys (JSONL): ``kind, lang, format, requester_name,
    requester_email, requester_address, requester_country, recipient_name,
    recipient_org, recipient_email, recipient_address, recipient_country,
    incident_kind, incident_date, platform, facts, output`` and optionally
    ``sent`` (the letter's date, default today).  A row's ``lang`` and
    ``format`` override the defaults; a row without ``format`` takes it from
    its ``output``'s extension when that is a format (as ``letter -o``).  With a ledger a row may give
    ``contact`` and ``incident`` ids instead (several incidents separated by
    spaces or commas; requester from the ledger profile, recipient from the
    contact; a row's own values win) and each letter is recorded as a request.
    CSV is UTF-8 with or without BOM, ``,`` or ``;`` separated (see
    :mod:`gdprkit._batch_rows`).

Outputs
    ``<row>-<kind>-<lang>-<recipient>.<format>`` (e.g.
    ``0007-objection-it-mario-rossi.pdf``) unless the row names its
    ``output``; names that escape ``out_dir`` are row errors, and when two
    rows name the same output the later row is an error (see
    :mod:`gdprkit._batch_names`).  An output whose bytes would not change is
    left untouched (status ``unchanged``, mtime kept), so re-running a batch
    rewrites only what changed.  Letters are files of mode 0600: they carry
    personal data.

Parallelism
    The parent reads the rows, resolves ledger ids, claims the names rows
    give, and sends chunks of rows to the workers; each worker renders,
    writes its letters (atomically: temporary file and rename inside
    ``out_dir``) and returns only name, SHA-256 and status.  The parent writes
    the manifest and the ledger records, in row order.  With ``fail_fast``
    and ``jobs > 1`` nothing new starts after the first error, but rows that
    another worker had already started are finished and listed.

Manifest
    ``out_dir/manifest.json``, written once, atomically, in row order::

        {"version": 1,
         "rows": [{"row": 1, "line": 2, "output": "0001-objection-en-acme.txt",
                   "sha256": "...", "status": "ok", "error": null, "request": null}, ...],
         "summary": {"rows": 1, "ok": 1, "unchanged": 0, "errors": 0, "stopped": false}}

    ``row`` counts data rows from 1 (the header and blank lines are not
    counted), ``line`` is the row's first line in the file, ``status`` is
    ``ok`` (written), ``unchanged`` or ``error``; ``request`` is the ledger
    request id when the letter was recorded.

Errors
    A bad row (unknown kind, language or incident kind, an empty required
    field, a date that does not parse, an output escaping ``out_dir``, a
    line break in a name or e-mail address ...) is an ``error`` row with its
    message and every other row is still produced; with ``fail_fast`` the
    run stops at the first one.  An unreadable input file (missing, not
    UTF-8, malformed CSV, unknown column) or an ``out_dir`` that cannot be
    created raises :class:`~gdprkit.errors.BadInput` before anything is
    written.

Example (runs as is; the letters land in a temporary folder)::

    >>> import tempfile
    >>> from gdprkit import run_batch
    >>> rows = [{"kind": "objection", "lang": "en",
    ...          "requester_name": "Ada Rossi", "requester_country": "IT",
    ...          "recipient_name": "Mario Rossi", "recipient_org": "Acme S.r.l.",
    ...          "recipient_country": "IT", "incident_kind": "mailing-list",
    ...          "incident_date": "2026-03-02", "platform": "linkedin",
    ...          "facts": "Added my address to a newsletter."}]
    >>> out = tempfile.mkdtemp()
    >>> result = run_batch(rows, out, fmt="txt", sent=datetime.date(2026, 3, 9))
    >>> (result.rows, result.ok, result.errors)
    (1, 1, 0)
    >>> result.to_dict()["manifest"].endswith("manifest.json")
    True
    >>> run_batch(rows, out, sent=datetime.date(2026, 3, 9)).unchanged
    1
"""

from __future__ import annotations

import collections
import contextlib
import datetime
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from ._batch_names import MANIFEST, OutputNames
from ._batch_render import Job, Outcome, RenderSettings, render_chunk
from ._batch_rows import SourceRow, open_source, rows_from_mappings
from .errors import BadInput, GdprkitError
from .model import FORMATS, LANGUAGES, LetterKind

__all__ = ["BatchResult", "RowResult", "run_batch"]

MANIFEST_VERSION = 1
_MAX_CHUNK = 32  # rows per unit of work sent to a worker
_KEEP_ERRORS = 20  # error rows kept in BatchResult.first_errors
_ID_SPLIT = re.compile(r"[\s,;]+")
_FOLLOW_UPS = {LetterKind.REMINDER.value: "reminder-sent",
               LetterKind.COMPLAINT.value: "complaint-filed"}


@dataclass(frozen=True)
class RowResult:
    """What happened to one row (one line of the manifest)."""

    row: int
    line: int | None
    status: str  # "ok" | "unchanged" | "error"
    output: str | None = None  # path relative to out_dir
    sha256: str | None = None
    error: str | None = None
    request: str | None = None  # ledger request id, when recorded

    def to_dict(self) -> dict[str, Any]:
        return {"row": self.row, "line": self.line, "output": self.output,
                "sha256": self.sha256, "status": self.status, "error": self.error,
                "request": self.request}


@dataclass
class BatchResult:
    """Counts of a batch run, where its files are, and its first errors."""

    out_dir: Path
    manifest: Path
    rows: int = 0
    ok: int = 0
    unchanged: int = 0
    errors: int = 0
    stopped: bool = False  # fail_fast stopped the run at an error
    first_errors: list[RowResult] = field(default_factory=list)

    @property
    def succeeded(self) -> bool:
        """True when every row was produced."""
        return self.errors == 0 and not self.stopped

    def to_dict(self) -> dict[str, Any]:
        """The summary ``gdprkit batch --json`` prints."""
        return {"rows": self.rows, "ok": self.ok, "unchanged": self.unchanged,
                "errors": self.errors, "out_dir": str(self.out_dir),
                "manifest": str(self.manifest)}


Progress = Callable[[RowResult, "int | None"], None]


def run_batch(
    source: str | os.PathLike | BinaryIO | Iterable[Mapping[str, Any]],
    out_dir: str | os.PathLike,
    *,
    fmt: str = "txt",
    lang: str | None = None,
    jobs: int = 1,
    fail_fast: bool = False,
    ledger=None,
    record: bool = True,
    sent: datetime.date | None = None,
    template_dir: str | os.PathLike | None = None,
    input_format: str | None = None,
    progress: Progress | None = None,
) -> BatchResult:
    """Render one letter per row of ``source`` into ``out_dir``; see the module docs.

    ``source``: a CSV or JSONL file path (``"-"``: standard input), an open
    binary stream, or an iterable of mappings with the same keys.
    ``fmt``/``lang``: defaults for rows that give none (``lang`` None: the
    ledger profile's language when there is a ledger, as ``gdprkit letter``
    does, else ``"en"``).  ``jobs``: worker
    processes (1 renders in this process; 0 means one per CPU).
    ``fail_fast``: stop at the first bad row.  ``ledger``: an open
    :class:`~gdprkit.ledger.Ledger` to resolve ``contact``/``incident`` ids
    and, unless ``record`` is false, to record each letter as a request (only
    this process writes to it; a letter already recorded with the same
    SHA-256 is not recorded twice).  ``sent``: the letters' date (default
    today).  ``input_format``: ``"csv"`` or ``"jsonl"`` (default: from the
    file name, else the first line).  ``progress(row_result, total_rows)``
    is called after each row in order; ``total_rows`` is None for streams.

    Returns a :class:`BatchResult`; raises :class:`~gdprkit.errors.BadInput`
    before writing anything when the input cannot be read or ``out_dir``
    cannot be created.
    """
    if fmt not in FORMATS:
        raise BadInput(f"unknown format {fmt!r}", hint="valid: " + ", ".join(FORMATS))
    if lang is None:
        profile = ledger.profile() if ledger is not None else None
        lang = profile.lang if profile is not None and profile.lang in LANGUAGES else "en"
    if lang not in LANGUAGES:
        raise BadInput(f"unknown language {lang!r}", hint="valid: " + ", ".join(LANGUAGES))
    if sent is not None:
        from ._validate import DATE_RANGE_TEXT, date_in_range

        if not date_in_range(sent):
            raise BadInput(f"sent {sent.isoformat()!r} is out of range: gdprkit accepts dates "
                           f"{DATE_RANGE_TEXT}")
    if jobs < 0:
        raise BadInput(f"jobs must be 0 (one per CPU) or more, not {jobs}")
    jobs = jobs or os.cpu_count() or 1
    from . import _batch_render

    _batch_render._AUTHORITIES.clear()  # a run sees the directory overrides as they are now

    with contextlib.ExitStack() as stack:
        rows, total = _open_rows(source, input_format, stack)
        out = _make_out_dir(out_dir)
        settings = RenderSettings(
            fmt=fmt, lang=lang, sent=sent or datetime.date.today(),
            template_dir=os.fspath(template_dir) if template_dir is not None else None,
            record=ledger is not None and record, out_dir=str(out), fail_fast=fail_fast,
        )
        resolver = _LedgerRows(ledger) if ledger is not None else None
        result = BatchResult(out_dir=out, manifest=out / MANIFEST)
        manifest = stack.enter_context(_ManifestWriter(out))
        pipeline = _Pipeline(_jobs(rows, OutputNames(out), resolver), settings, jobs,
                             _chunk_size(total, jobs), stack)
        try:
            for line, outcome in pipeline:
                res = _finish_row(outcome, line, resolver)
                _count(result, res)
                manifest.add(res)
                if progress is not None:
                    progress(res, total)
                if res.status == "error" and fail_fast and not result.stopped:
                    # Start nothing new; rows already being rendered by other
                    # workers finish and are listed (their files exist).
                    result.stopped = True
                    pipeline.stop()
        except GdprkitError as err:
            # A problem found mid-stream (standard input only): list what was done,
            # including rows the workers had already started.
            for line, outcome in pipeline.drain():
                res = _finish_row(outcome, line, resolver)
                _count(result, res)
                manifest.add(res)
            manifest.commit(result, aborted=str(err))
            raise
        manifest.commit(result)
    return result


# -- input and output folder ----------------------------------------------------
def _open_rows(source, input_format, stack) -> tuple[Iterator[SourceRow], int | None]:
    if isinstance(source, str | os.PathLike) or hasattr(source, "read"):
        src = stack.enter_context(open_source(source, input_format=input_format))
        return src.rows(), src.total
    if isinstance(source, Mapping | str | bytes):
        raise BadInput("the batch source must be a file, a stream or an iterable of rows")
    total = len(source) if hasattr(source, "__len__") else None
    return rows_from_mappings(source), total


def _make_out_dir(out_dir) -> Path:
    out = Path(out_dir).expanduser()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise BadInput(f"the output folder {str(out)!r} exists and is not a folder") from None
    except OSError as err:
        raise BadInput(
            f"cannot create the output folder {str(out)!r}: {err.strerror or err}"
        ) from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise BadInput(f"cannot write in the output folder {str(out)!r}")
    return out.resolve()


# -- planning rows (parent) -----------------------------------------------------
class _LedgerRows:
    """Resolves a row's ledger ids in the parent and records its letter afterwards."""

    def __init__(self, ledger) -> None:
        self.ledger = ledger
        self.profile = ledger.profile()
        self._cache: dict[str, Any] = {}
        # SHA-256 of letters already recorded, so re-runs do not record twice
        self.recorded: dict[str, str] = {r.sha256: r.id for r in ledger.requests()}
        # A reminder or complaint prints the ledger's checkpoint, which every
        # record moves on: a re-run gives other bytes for the same letter.  So a
        # follow-up is known by its kind, the request it follows and its date.
        self.follow_ups: dict[tuple[str, str, datetime.date], str] = {
            (r.kind, r.related_request, r.sent): r.id
            for r in ledger.requests() if r.related_request and not r.shredded}
        self.row_ids: dict[int, tuple[str | None, tuple[str, ...], str | None]] = {}

    def _get(self, any_id: str, prefix: str, what: str):
        if not any_id.startswith(prefix) or not any_id[1:].isdigit():
            raise BadInput(f"{any_id!r} is not a valid {what} id (like {prefix}1)")
        if any_id not in self._cache:
            self._cache[any_id] = self.ledger.get(any_id)
        return self._cache[any_id]

    def _incidents_of(self, cid: str) -> list:
        key = f"incidents-of:{cid}"
        if key not in self._cache:
            self._cache[key] = [i for i in self.ledger.incidents(contact=cid) if not i.shredded]
        return self._cache[key]

    def _checkpoint(self):
        # the checkpoint 'gdprkit letter' would print; read again after a record
        if "checkpoint" not in self._cache:
            self._cache["checkpoint"] = self.ledger.checkpoint()
        return self._cache["checkpoint"]

    def _follow_up(self, row: int, kind: str, values: Mapping[str, str]) -> dict[str, Any]:
        """A reminder or complaint: the facts of 'gdprkit letter KIND --request ID'."""
        from .letters.from_ledger import select_facts

        rid = values.get("request") or ""
        if values.get("contact") or values.get("incident"):
            raise BadInput(f"a {kind} takes the request it follows, not contact or incident "
                           "ids: its facts are the request's")
        self._get(rid, "r", "request")  # the id's form, as for the other ids
        found, person, req, _left_out = select_facts(self.ledger, kind, request=rid)
        led: dict[str, Any] = {"profile": self.profile, "request": req,
                               "incidents": tuple(found), "checkpoint": self._checkpoint(),
                               "follow_up": True}
        if person is not None:
            led["contact"] = person
        self.row_ids[row] = (req.contact, tuple(req.incidents), req.id)
        return led

    def resolve(self, row: int, values: Mapping[str, str]) -> dict[str, Any]:
        kind = (values.get("kind") or "").strip().lower()
        if kind in _FOLLOW_UPS and values.get("request"):
            return self._follow_up(row, kind, values)
        if values.get("request") and kind in LetterKind.values():
            raise BadInput(f"request is for reminder and complaint letters; give contact or "
                           f"incident ids for a {kind}")
        led: dict[str, Any] = {"profile": self.profile}
        iids = tuple(i for i in _ID_SPLIT.split(values.get("incident") or "") if i)
        incidents = tuple(self._get(i, "i", "incident") for i in iids)
        cid = values.get("contact") or None
        if cid is None and incidents:
            owners = sorted({inc.contact for inc in incidents})
            if len(owners) > 1:
                raise BadInput(f"the incidents {', '.join(iids)} concern different contacts "
                               f"({', '.join(owners)}): one letter per contact")
            cid = owners[0]
        if cid is not None:
            led["contact"] = self._get(cid, "c", "contact")
            for inc in incidents:
                if inc.contact != cid:
                    raise BadInput(f"incident {inc.id} concerns contact {inc.contact}, "
                                   f"not {cid}")
            if not iids:  # a contact alone: the letter rests on all their incidents
                incidents = tuple(self._incidents_of(cid))
                iids = tuple(inc.id for inc in incidents)
        if incidents:
            led["incidents"] = incidents
        rid = values.get("request") or None
        if rid is not None:
            led["request"] = self._get(rid, "r", "request")
        self.row_ids[row] = (cid, iids, rid)
        return led

    def record(self, outcome: Outcome, ids) -> str:
        """Record the letter as 'gdprkit letter' does (:func:`record_letter`): a
        reminder or complaint also marks the request it follows."""
        from .legal.lifecycle import validate_event

        known = self.recorded.get(outcome.sha256)
        cid, iids, rid = ids
        if known is None and rid:
            known = self.follow_ups.get((outcome.kind, rid, outcome.sent))
        if known is not None:
            return known
        rec = outcome.recipient
        event = _FOLLOW_UPS.get(outcome.kind) if rid else None
        with self.ledger.transaction():
            req = self.ledger.add_request(
                kind=outcome.kind, lang=outcome.lang, format=outcome.fmt,
                recipient_name=rec.name, recipient_email=rec.email,
                recipient_address=rec.address, recipient_country=rec.country,
                contact=cid, incidents=iids, sent=outcome.sent, due=outcome.due,
                sha256=outcome.sha256, related_request=rid,
            )
            if event:
                original = self.ledger.request(rid)
                try:
                    validate_event(original, event, outcome.sent, today=datetime.date.today(),
                                   fallback_country=self.profile.country if self.profile
                                   else None)
                except BadInput:
                    pass  # recorded alone, as 'gdprkit letter' does (it warns)
                else:
                    self.ledger.add_request_event(original.id, event, outcome.sent,
                                                  f"{outcome.kind} letter {req.id}")
        self.recorded[outcome.sha256] = req.id
        if rid:
            self.follow_ups[(outcome.kind, rid, outcome.sent)] = req.id
        self._cache.pop("checkpoint", None)
        return req.id


def _jobs(rows: Iterator[SourceRow], names: OutputNames,
          resolver: _LedgerRows | None) -> Iterator[tuple[int, Job]]:
    """(line, Job) per row, in order; problems found here travel as the job's error."""
    for src in rows:
        if src.error is not None:
            yield src.line, Job(src.row, {}, error=src.error)
            continue
        values = src.values or {}
        try:
            led: dict[str, Any] = {}
            if resolver is not None:
                led = resolver.resolve(src.row, values)
            elif values.get("contact") or values.get("incident"):
                raise BadInput("contact and incident ids need a ledger",
                               hint="pass --ledger PATH (or set GDPRKIT_LEDGER)")
            output = names.claim(src.row, values["output"]) if values.get("output") else None
        except GdprkitError as err:
            if resolver is not None:
                resolver.row_ids.pop(src.row, None)
            yield src.line, Job(src.row, {}, error=str(err))
            continue
        yield src.line, Job(src.row, values, output=output, ledger=led)


def _chunk_size(total: int | None, jobs: int) -> int:
    if jobs == 1:
        return _MAX_CHUNK
    if total is None:
        return _MAX_CHUNK // 2
    # enough chunks for every worker to stay busy, few enough to keep IPC cheap
    return max(1, min(_MAX_CHUNK, total // (jobs * 4)))


def _chunks(items: Iterator[tuple[int, Job]], size: int) -> Iterator[tuple[list[int], list[Job]]]:
    lines: list[int] = []
    batch: list[Job] = []
    for line, job in items:
        lines.append(line)
        batch.append(job)
        if len(batch) >= size:
            yield lines, batch
            lines, batch = [], []
    if batch:
        yield lines, batch


# -- rendering: here or in workers ----------------------------------------------
class _Pipeline:
    """(line, Outcome) per row in row order; rendering in this process or in workers.

    At most ``2 * jobs`` chunks are submitted and not yet consumed, so memory
    does not grow with the input.  ``stop()`` submits nothing more; chunks
    that a worker already started still come out (their files are written).
    """

    def __init__(self, items: Iterator[tuple[int, Job]], settings: RenderSettings, jobs: int,
                 chunk: int, stack: contextlib.ExitStack) -> None:
        self._chunks = _chunks(items, chunk)
        self._settings = settings
        self._jobs = jobs
        self._stack = stack
        self._stopped = False
        self._in_flight: collections.deque = collections.deque()

    def stop(self) -> None:
        self._stopped = True
        for _lines, future in self._in_flight:
            future.cancel()  # only chunks no worker has started

    def drain(self) -> Iterator[tuple[int, Outcome]]:
        """After an error: stop, and the rows of chunks a worker already started."""
        self.stop()
        while self._in_flight:
            for lines, outcomes in self._next_done():
                yield from zip(lines, outcomes, strict=False)

    def __iter__(self) -> Iterator[tuple[int, Outcome]]:
        for lines, outcomes in self._chunk_results():
            yield from zip(lines, outcomes, strict=False)  # fail_fast: a chunk may stop early

    def _chunk_results(self) -> Iterator[tuple[list[int], list[Outcome]]]:
        if self._jobs == 1:
            for lines, batch in self._chunks:
                if self._stopped:
                    return
                yield lines, render_chunk(batch, self._settings)
            return
        from concurrent.futures import ProcessPoolExecutor

        from ._batch_render import warm_up

        executor = ProcessPoolExecutor(max_workers=self._jobs, mp_context=_mp_context(),
                                       initializer=warm_up)
        self._stack.callback(executor.shutdown, wait=True, cancel_futures=True)
        limit = self._jobs * 2  # one chunk running and one waiting per worker
        for lines, batch in self._chunks:
            if self._stopped:
                break
            self._in_flight.append((lines, executor.submit(render_chunk, batch, self._settings)))
            if len(self._in_flight) >= limit:
                yield from self._next_done()
        while self._in_flight:
            yield from self._next_done()

    def _next_done(self) -> Iterator[tuple[list[int], list[Outcome]]]:
        lines, future = self._in_flight.popleft()
        if not future.cancelled():
            yield lines, future.result()


def _mp_context():
    import multiprocessing

    # fork: workers inherit the imported rendering stack and start at once.
    # Elsewhere (macOS, Windows) fork is unsafe or missing: use the default.
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


# -- writing (parent) -----------------------------------------------------------
def _finish_row(outcome: Outcome, line: int, resolver: _LedgerRows | None) -> RowResult:
    """The manifest line of a stored row, recording its letter in the ledger."""
    ids = resolver.row_ids.pop(outcome.row, (None, (), None)) if resolver else None
    if outcome.error is not None:
        return RowResult(outcome.row, line, "error", error=outcome.error)
    request = None
    if resolver is not None and outcome.recipient is not None:
        try:
            request = resolver.record(outcome, ids)
        except GdprkitError as err:
            return RowResult(outcome.row, line, "error", output=outcome.name,
                             sha256=outcome.sha256,
                             error=f"written, but not recorded in the ledger: {err}")
    return RowResult(outcome.row, line, outcome.status, output=outcome.name,
                     sha256=outcome.sha256, request=request)


def _count(result: BatchResult, res: RowResult) -> None:
    result.rows += 1
    if res.status == "ok":
        result.ok += 1
    elif res.status == "unchanged":
        result.unchanged += 1
    else:
        result.errors += 1
        if len(result.first_errors) < _KEEP_ERRORS:
            result.first_errors.append(res)


class _ManifestWriter:
    """Streams manifest rows into a temporary file, renamed into place at the end."""

    def __init__(self, out: Path) -> None:
        self.path = out / MANIFEST
        fd, self._tmp = tempfile.mkstemp(prefix=f".{MANIFEST}.", suffix=".part", dir=out)
        self._fh = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        self._fh.write(f'{{\n"version": {MANIFEST_VERSION},\n"rows": [')
        self._first = True
        self._done = False

    def add(self, res: RowResult) -> None:
        self._fh.write("\n" if self._first else ",\n")
        self._first = False
        self._fh.write(json.dumps(res.to_dict(), ensure_ascii=False))

    def commit(self, result: BatchResult, aborted: str | None = None) -> None:
        summary = {"rows": result.rows, "ok": result.ok, "unchanged": result.unchanged,
                   "errors": result.errors, "stopped": result.stopped}
        if aborted is not None:
            summary["aborted"] = aborted
        tail = json.dumps(summary, ensure_ascii=False)
        self._fh.write(f'\n],\n"summary": {tail}\n}}\n')
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()
        os.replace(self._tmp, self.path)
        self._done = True

    def __enter__(self) -> _ManifestWriter:
        return self

    def __exit__(self, *exc) -> None:
        if not self._done:
            self._fh.close()
            with contextlib.suppress(OSError):
                os.unlink(self._tmp)
