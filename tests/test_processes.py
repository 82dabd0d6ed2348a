"""Real processes: concurrent writers, kill -9 mid-write, the installed CLI."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gdprkit.ledger import KdfParams, Ledger

from .conftest import PASSPHRASE, venv_bin

WRITER = str(Path(__file__).with_name("_writer.py"))


def _env(ledger_path, passfile):
    env = dict(os.environ)
    env.update(GDPRKIT_LEDGER=str(ledger_path), GDPRKIT_PASSPHRASE_FILE=str(passfile))
    env.pop("GDPRKIT_PASSPHRASE", None)
    return env


@pytest.fixture
def fresh(ledger_path):
    Ledger.create(ledger_path, PASSPHRASE, kdf=KdfParams.minimum()).close()
    return ledger_path


def test_four_concurrent_writers(fresh, passfile):
    procs = [
        subprocess.Popen([sys.executable, WRITER, str(fresh), str(passfile), "25", f"w{n}"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for n in range(4)
    ]
    reported = []
    for p in procs:
        out, err = p.communicate(timeout=240)
        assert p.returncode == 0, err
        reported += out.split()
    assert len(reported) == 4 * 26
    assert len(set(reported)) == len(reported)  # no id handed out twice
    with Ledger.open(fresh, PASSPHRASE) as led:
        report = led.verify()
        assert report.entries == 1 + 4 * 26  # genesis + contacts + incidents, gapless
        ids = {i.id for i in led.incidents()} | {c.id for c in led.contacts()}
        assert ids == set(reported)


@pytest.mark.parametrize("round_", range(4))
def test_kill_9_leaves_a_verifiable_ledger(fresh, passfile, round_):
    rng = random.Random(round_)
    p = subprocess.Popen(
        [sys.executable, WRITER, str(fresh), str(passfile), "10000", f"k{round_}",
         str(300_000 if round_ % 2 else 0)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    # wait until it has stored something, then kill at a random instant
    first = p.stdout.readline()
    assert first.strip().startswith("c"), p.stderr.read()
    time.sleep(rng.uniform(0.2, 1.2))
    p.send_signal(signal.SIGKILL)
    rest, _ = p.communicate(timeout=60)
    reported = [first.strip()] + rest.split()
    with Ledger.open(fresh, PASSPHRASE) as led:
        led.verify()
        stored = {i.id for i in led.incidents()} | {c.id for c in led.contacts()}
        stored |= {e.id for i in led.incidents() for e in i.evidence}
        missing = set(reported) - stored
        assert not missing, f"reported as stored but lost: {sorted(missing)[:5]}"
        # and the ledger is still writable after the crash
        led.add_contact("after the crash")
        led.verify()


def test_installed_cli_end_to_end(tmp_path, passfile):
    exe = venv_bin("gdprkit")
    ledger_path = tmp_path / "e2e.db"
    env = _env(ledger_path, passfile)

    def gk(*args, input=None):
        return subprocess.run([exe, *map(str, args)], env=env, capture_output=True, text=True,
                              input=input, timeout=120)

    r = gk("init", "--name", "Ada", "--kdf-memory-mib", "19", "--kdf-iterations", "2")
    assert r.returncode == 0, r.stderr
    cid = gk("contact", "add", "Mallory").stdout.strip()
    ev = tmp_path / "mail.eml"
    ev.write_bytes(b"From: m@spam.example\r\nSubject: Offer\r\n\r\nBuy now\r\n")
    iid = gk("log", "mailing-list", "--contact", cid, "--evidence", ev).stdout.strip()
    assert (cid, iid) == ("c1", "i1")
    r = gk("verify", "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["ok"] is True
    r = gk("show", "i9")
    assert r.returncode == 1 and r.stderr.startswith("Error: ") and "Traceback" not in r.stderr
    r = gk("log", "nonsense", "--contact", cid)
    assert r.returncode == 2
    # python -m gdprkit works too
    r = subprocess.run([sys.executable, "-m", "gdprkit", "--version"], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0 and "gdprkit" in r.stdout


def test_locked_ledger_exit_4(fresh, passfile):
    import sqlite3

    env = _env(fresh, passfile)
    env["GDPRKIT_BUSY_TIMEOUT_MS"] = "300"
    holder = sqlite3.connect(fresh, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        r = subprocess.run([venv_bin("gdprkit"), "contact", "add", "X"], env=env,
                           capture_output=True, text=True, timeout=60)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert r.returncode == 4, r.stderr
    assert "locked" in r.stderr


def test_sigterm_during_an_export_leaves_no_temporary_file(fresh, passfile, tmp_path):
    """kill (SIGTERM) mid-export: exit 143, and neither the half-written dossier nor
    the evidence it was carrying is left in the folder."""
    with Ledger.open(fresh, PASSPHRASE) as led:
        c = led.add_contact("Big")
        from gdprkit.model import EvidenceInput

        led.log_incident("other", c.id, evidence=[
            EvidenceInput(name=f"big{n}.bin", data=os.urandom(8 << 20)) for n in range(6)])
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    p = subprocess.Popen([venv_bin("gdprkit"), "export", "pdf", "-o", str(out_dir / "d.pdf")],
                         env=_env(fresh, passfile), stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not list(out_dir.iterdir()) and p.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    if p.poll() is not None:
        pytest.skip("the export finished before it could be interrupted")
    p.send_signal(signal.SIGTERM)
    _out, err = p.communicate(timeout=60)
    left = sorted(n.name for n in out_dir.iterdir())
    # no temporary output and no evidence carrier is ever left behind
    assert not [n for n in left if n.endswith(".part") or n.startswith(".gdprkit-")], left
    assert not [n for n in os.listdir(tmp_path) if n.endswith(".part")]
    if left:  # a loaded machine: the export had already put the dossier in place
        assert left == ["d.pdf"] and p.returncode in (0, 143), err
        import pikepdf

        with pikepdf.open(out_dir / "d.pdf") as pdf:
            assert len(pdf.attachments) >= 6  # complete, not a torso
    else:
        assert p.returncode == 143, err
