"""Shared plumbing of the CLI: the context object, error mapping, output."""

from __future__ import annotations

import datetime as _dt
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from ..errors import BadInput, GdprkitError, LedgerError


class _MappedError(click.ClickException):
    """A GdprkitError carried through Click with its own exit code."""

    def __init__(self, err: GdprkitError):
        super().__init__(_one_line(str(err)))
        self.exit_code = err.exit_code


def _one_line(text: str) -> str:
    return " ".join(text.split()) or "unknown error"


def run_guarded(ctx: click.Context, call):
    """Run a command, turning library errors into one line and an exit code."""

    def debug() -> bool:  # ctx.obj is set by the group callback, inside call()
        return bool(getattr(ctx.obj, "debug", False))

    try:
        return call()
    except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
        raise
    except GdprkitError as err:
        if debug():
            raise
        raise _MappedError(err) from None
    except KeyboardInterrupt:
        raise click.Abort() from None
    except BrokenPipeError:
        # the reader went away (`gdprkit ... | head`): not an error of ours.
        # Point stdout at /dev/null so the final flush does not complain.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise SystemExit(0) from None
    except OSError as err:
        if debug():
            raise
        what = f"{err.strerror or err}"
        if err.filename:
            what += f": {err.filename}"
        raise _MappedError(GdprkitError(what)) from None
    except Exception as err:  # a bug: still one line unless --debug
        if debug():
            raise
        raise _MappedError(
            GdprkitError(
                f"internal error: {type(err).__name__}: {err}",
                hint="run again with --debug for the traceback, and please report it",
            )
        ) from None


@dataclass
class App:
    """What every command can reach through ``ctx.obj``."""

    ledger_path: str | None = None
    passphrase_file: str | None = None
    debug: bool = False
    _passphrase: bytes | None = field(default=None, repr=False)

    # -- locations --------------------------------------------------------
    def resolve_ledger_path(self) -> Path:
        if self.ledger_path:
            return Path(self.ledger_path).expanduser()
        env = os.environ.get("GDPRKIT_LEDGER")
        if env:
            return Path(env).expanduser()
        from ..paths import default_ledger_path

        return default_ledger_path()

    # -- passphrase -------------------------------------------------------
    def passphrase(self, *, confirm: bool = False, prompt: str = "Ledger passphrase") -> bytes:
        if self._passphrase is None:
            self._passphrase = read_passphrase(
                self.passphrase_file, confirm=confirm, prompt=prompt
            )
        return self._passphrase

    # -- ledger -------------------------------------------------------------
    def open_ledger(self):
        from ..ledger import Ledger

        path = self.resolve_ledger_path()
        if not path.exists():
            raise LedgerError(
                f"no ledger at {path}", hint="create one with 'gdprkit init' or pass --ledger"
            )
        return Ledger.open(path, self.passphrase())


def read_passphrase(
    passphrase_file: str | None,
    *,
    confirm: bool = False,
    prompt: str = "Ledger passphrase",
    env_prefix: str = "GDPRKIT_PASSPHRASE",
) -> bytes:
    """Passphrase from a file, the environment, or a hidden prompt on a terminal."""
    path = passphrase_file or os.environ.get(f"{env_prefix}_FILE")
    if path:
        return read_secret_file(path, what="passphrase file")
    env = os.environ.get(env_prefix)
    if env:
        return env.encode("utf-8")
    if sys.stdin is not None and sys.stdin.isatty():
        value = click.prompt(prompt, hide_input=True, confirmation_prompt=confirm, err=True)
        if not value:
            raise BadInput("the passphrase is empty")
        return value.encode("utf-8")
    raise BadInput(
        "no passphrase given",
        hint="use --passphrase-file PATH, $GDPRKIT_PASSPHRASE_FILE or $GDPRKIT_PASSPHRASE, "
        "or run on a terminal to be prompted",
    )


def read_secret_file(path: str | os.PathLike, *, what: str) -> bytes:
    """First line of a secret file, without its line ending."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(64 * 1024)
    except OSError as err:
        raise BadInput(f"cannot read {what} {str(path)!r}: {err.strerror or err}") from None
    line = data.splitlines()[0] if data else b""
    if not line:
        raise BadInput(f"the {what} {str(path)!r} is empty")
    return line


# -- output ---------------------------------------------------------------------
def _json_default(obj: Any):
    if isinstance(obj, _dt.datetime):
        return obj.isoformat()
    if isinstance(obj, _dt.date):
        return obj.isoformat()
    if isinstance(obj, bytes):
        return obj.hex()
    if isinstance(obj, Path):
        return str(obj)
    if hasattr(obj, "to_dict"):
        return obj.to_dict()
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


def emit_json(obj: Any) -> None:
    """Print one JSON document on stdout."""
    click.echo(json.dumps(obj, default=_json_default, ensure_ascii=False, indent=2))


class JsonArrayWriter:
    """Print a JSON array on stdout one element at a time.

    The text is byte for byte what :func:`emit_json` prints for the whole
    list, but no element is kept: memory stays flat however many there are.
    Call :meth:`close` (also after an error) to end the array.
    """

    def __init__(self) -> None:
        self.count = 0
        self.closed = False

    def add(self, obj: Any) -> None:
        text = json.dumps(obj, default=_json_default, ensure_ascii=False, indent=2)
        # One level deeper inside the array; strings hold no raw newline in JSON.
        click.echo(("[\n  " if self.count == 0 else ",\n  ") + text.replace("\n", "\n  "), nl=False)
        self.count += 1

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            click.echo("\n]" if self.count else "[]")


def echo_err(message: str) -> None:
    click.echo(message, err=True)


json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON only.")


class IsoDate(click.ParamType):
    """A calendar date written YYYY-MM-DD (a bad date is a usage error, exit 2).

    With ``bounded=True`` (a date that becomes data: a letter's sending date,
    a request event, a receipt date) a date outside 1970-01-01 .. 2999-12-31
    is a usage error too.  Filters (``--since``, ``--until``) take any date.
    """

    name = "DATE"

    def __init__(self, *, bounded: bool = False) -> None:
        self.bounded = bounded

    def convert(self, value, param, ctx):
        if isinstance(value, _dt.date):
            day = value
        else:
            try:
                day = _dt.date.fromisoformat(value)
            except (TypeError, ValueError):
                self.fail(f"{value!r} is not an ISO date (YYYY-MM-DD)", param, ctx)
        if self.bounded:
            from .._validate import DATE_RANGE_TEXT, date_in_range

            if not date_in_range(day):
                self.fail(f"{value!r} is out of range: gdprkit accepts dates {DATE_RANGE_TEXT}",
                          param, ctx)
        return day


class IsoDateTime(click.ParamType):
    """A date or date-time in ISO 8601, kept at the UTC offset it was written in.

    A time with an offset (``+01:00``, ``Z``) keeps it; a time without one is
    local time and gets the local zone's offset at that time.  The ledger
    stores the instant in UTC with that offset, and shows the day at that
    offset.  A bare date means that day: it is stored as 12:00 UTC, which is
    the same calendar day in every time zone from UTC-11 to UTC+11 (local
    midnight would turn into the previous day east of Greenwich).  Dates
    outside 1970-01-01 .. 2999-12-31 are refused.
    """

    name = "ISO"

    def convert(self, value, param, ctx):
        from .._validate import DATE_RANGE_TEXT, date_in_range

        if isinstance(value, _dt.datetime):
            return value
        if isinstance(value, str) and len(value.strip()) == 10:
            try:
                day = _dt.date.fromisoformat(value.strip())
            except ValueError:
                self.fail(f"{value!r} is not an ISO date or date-time", param, ctx)
            if not date_in_range(day):
                self.fail(f"{value!r} is out of range: gdprkit accepts dates {DATE_RANGE_TEXT}",
                          param, ctx)
            return _dt.datetime(day.year, day.month, day.day, 12, tzinfo=_dt.UTC)
        try:
            parsed = _dt.datetime.fromisoformat(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not an ISO date or date-time", param, ctx)
        if not date_in_range(parsed):
            self.fail(f"{value!r} is out of range: gdprkit accepts dates {DATE_RANGE_TEXT}",
                      param, ctx)
        if parsed.tzinfo is None:
            parsed = parsed.astimezone()  # local time, with the local offset it had then
        return parsed


class InputFile(click.ParamType):
    """A file to read.  Missing, unreadable or a folder is bad input (exit 1, as the
    README's exit-code table says), not a usage error as Click's ``exists=True``
    makes it.  With ``stream=True`` the value is the opened binary file (``-``:
    standard input), else the path."""

    name = "file"

    def __init__(self, *, stream: bool = False) -> None:
        self.stream = stream

    def convert(self, value, param, ctx):
        if not isinstance(value, str):
            return value
        if self.stream and value == "-":
            return sys.stdin.buffer
        try:
            fh = open(value, "rb")  # noqa: SIM115 - handed to the command when stream
        except IsADirectoryError:
            raise BadInput(f"{value!r} is a folder, not a file") from None
        except OSError as err:
            raise BadInput(f"cannot read {value!r}: {err.strerror or err}") from None
        if self.stream:
            if ctx is not None:
                ctx.call_on_close(fh.close)
            return fh
        fh.close()
        return value


ISO_DATE = IsoDate()
EVENT_DATE = IsoDate(bounded=True)
ISO_DATETIME = IsoDateTime()
