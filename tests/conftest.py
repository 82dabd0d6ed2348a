"""Shared fixtures: fast ledgers (minimum Argon2id cost) and a CLI runner."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

PASSPHRASE = b"correct horse battery staple"


class FakeClock:
    """A deterministic clock: starts at a fixed instant, advances 1 s a call."""

    def __init__(self, start=dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)):
        self.now = start

    def __call__(self):
        self.now += dt.timedelta(seconds=1)
        return self.now


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def passfile(tmp_path: Path) -> Path:
    p = tmp_path / "pass.txt"
    p.write_bytes(PASSPHRASE + b"\n")
    return p


@pytest.fixture
def ledger_path(tmp_path: Path) -> Path:
    return tmp_path / "ledger.db"


@pytest.fixture
def ledger(ledger_path, clock):
    from gdprkit.ledger import KdfParams, Ledger
    from gdprkit.model import Profile

    led = Ledger.create(
        ledger_path,
        PASSPHRASE,
        Profile(name="Ada Rossi", email="ada@example.org", address="Via Roma 1\n00100 Roma",
                country="IT", lang="it"),
        kdf=KdfParams.minimum(),
        clock=clock,
    )
    yield led
    led.close()


@pytest.fixture
def cli_env(tmp_path, ledger_path, passfile, monkeypatch):
    """Environment for CLI runs: ledger and passphrase file via variables."""
    env = {
        "GDPRKIT_LEDGER": str(ledger_path),
        "GDPRKIT_PASSPHRASE_FILE": str(passfile),
        "GDPRKIT_CONFIG_DIR": str(tmp_path / "config"),
    }
    for k in ("GDPRKIT_PASSPHRASE", "GDPRKIT_NEW_PASSPHRASE", "GDPRKIT_NEW_PASSPHRASE_FILE"):
        monkeypatch.delenv(k, raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    return env


@pytest.fixture
def run(cli_env):
    """Invoke the CLI in-process; returns the click Result."""
    from gdprkit.cli import cli

    runner = CliRunner()

    def _run(*args, input=None, env=None):
        return runner.invoke(cli, [str(a) for a in args], input=input, env=env,
                             catch_exceptions=False)

    return _run


@pytest.fixture
def initialized(run, ledger_path):
    """A CLI-created ledger with a profile (fast KDF)."""
    r = run("init", "--name", "Ada Rossi", "--email", "ada@example.org", "--country", "IT",
            "--lang", "it", "--address", "Via Roma 1\\n00100 Roma",
            "--kdf-memory-mib", "19", "--kdf-iterations", "2")
    assert r.exit_code == 0, r.output
    return ledger_path


def venv_bin(name: str) -> str:
    """Path of a console script next to the running interpreter."""
    import sys

    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else name


os.environ.setdefault("GDPRKIT_BUSY_TIMEOUT_MS", "30000")
