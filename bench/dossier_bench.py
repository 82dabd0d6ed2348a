"""Evidence dossier benchmark (issue: evidence dossier).  Prints JSON.

A ledger of 1,000 incidents, each with one 10 KB evidence file (e-mails,
PNG screenshots, binary files), exported as one dossier in a fresh process.

* ``pages_per_second_ratio`` = dossier pages/s divided by the pages/s of a
  bare reportlab document with the same number of table pages, built in a
  fresh process in the same run.  Target >= 0.3.
* ``peak_rss_mib`` of the exporting process (``ru_maxrss``).  Target < 400.

Run: ``python bench/dossier_bench.py [--incidents N]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _util import emit  # noqa: E402

from gdprkit.ledger import KdfParams, Ledger  # noqa: E402
from gdprkit.model import EvidenceInput, Profile  # noqa: E402

PASS = b"bench passphrase"
SIZE = 10 * 1024


def _png(seed: int) -> bytes:
    """A PNG of about 10 KB (noise compresses poorly, like a busy screenshot)."""
    import random

    from PIL import Image

    rnd = random.Random(seed)
    side = 60
    img = Image.frombytes("RGB", (side, side), bytes(rnd.getrandbits(8) for _ in range(side * side * 3)))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def _eml(n: int) -> bytes:
    head = (f"From: Vendor {n} <v{n}@acme.example>\r\nTo: ada@example.org\r\n"
            f"Subject: Offer number {n}\r\nDate: Mon, 02 Mar 2026 10:00:00 +0000\r\n"
            f"Message-ID: <{n}@acme.example>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n")
    body = "".join(f"Line {i} of a long sales pitch you never asked for, number {n}.\r\n"
                   for i in range(400))
    return (head + body).encode()[:SIZE]


def build_ledger(path: Path, incidents: int) -> None:
    clock_start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    ticks = iter(range(10**9))

    def clock():
        return clock_start + dt.timedelta(seconds=next(ticks))

    with Ledger.create(path, PASS, Profile(name="Ada Rossi", email="ada@example.org", lang="en"),
                       kdf=KdfParams.minimum(), clock=clock) as led:
        # One transaction per incident, as the CLI does (a long transaction
        # would rebuild the ledger's decrypted view at every lookup).
        with led.transaction():
            contacts = [led.add_contact(f"Contact {n}", email=f"c{n}@acme.example").id
                        for n in range(20)]
        for n in range(incidents):
            kind = n % 3
            when = clock_start + dt.timedelta(hours=n)
            custody = {"acquired_by": "Ada Rossi", "acquired_at": when}
            if kind == 0:
                ev = EvidenceInput(name=f"pitch-{n}.eml", data=_eml(n), **custody)
            elif kind == 1:
                ev = EvidenceInput(name=f"screenshot-{n}.png", data=_png(n), **custody)
            else:
                ev = EvidenceInput(name=f"export-{n}.bin", data=os.urandom(SIZE), **custody)
            led.log_incident("mailing-list", contacts[n % len(contacts)], when=when,
                             platform="LinkedIn",
                             note=f"Incident {n}: added me to a list without consent.",
                             evidence=[ev])


EXPORT = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from gdprkit.ledger import Ledger
from gdprkit.dossier import export_dossier
with Ledger.open(sys.argv[1], sys.argv[2].encode()) as led:
    res = export_dossier(led, sys.argv[3])
print(json.dumps({"seconds": time.perf_counter() - t0, "pages": res.pages,
                  "attachments": res.attachments, "bytes": __import__("os").path.getsize(sys.argv[3]),
                  "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

BASELINE = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from reportlab.lib.pagesizes import A4
from reportlab.platypus import PageBreak, SimpleDocTemplate, Table, TableStyle
pages = int(sys.argv[1])
story = []
for p in range(pages):
    rows = [["id", "name", "size", "sha256", "acquired"]] + [
        [f"e{p * 40 + r}", f"file-{p}-{r}.png", "10240 B", f"{p:032x}{r:032x}"[:40],
         "2026-03-01T09:00:00Z"] for r in range(40)]
    t = Table(rows)
    t.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "Helvetica", 7),
                           ("GRID", (0, 0), (-1, -1), 0.25, (0, 0, 0))]))
    story += [t, PageBreak()]
doc = SimpleDocTemplate(sys.argv[2], pagesize=A4, invariant=1)
doc.build(story[:-1])
print(json.dumps({"seconds": time.perf_counter() - t0, "pages": doc.page,
                  "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _run(code: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--incidents", type=int, default=1000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        t = time.perf_counter()
        build_ledger(tmp / "ledger.db", args.incidents)
        build_s = time.perf_counter() - t
        dossier = _run(EXPORT, str(tmp / "ledger.db"), PASS.decode(), str(tmp / "dossier.pdf"))
        baseline = _run(BASELINE, str(dossier["pages"]), str(tmp / "baseline.pdf"))
    dossier_pps = dossier["pages"] / dossier["seconds"]
    baseline_pps = baseline["pages"] / baseline["seconds"]
    ratio = dossier_pps / baseline_pps
    emit("dossier", {
        "incidents": args.incidents,
        "attachments": dossier["attachments"],
        "attachment_bytes": SIZE,
        "ledger_build_seconds": round(build_s, 2),
        "dossier_pages": dossier["pages"],
        "dossier_bytes": dossier["bytes"],
        "dossier_seconds": round(dossier["seconds"], 2),
        "dossier_pages_per_second": round(dossier_pps, 1),
        "baseline_pages": baseline["pages"],
        "baseline_seconds": round(baseline["seconds"], 2),
        "baseline_pages_per_second": round(baseline_pps, 1),
        "pages_per_second_ratio": round(ratio, 3),
        "pages_per_second_target": 0.3,
        "peak_rss_mib": round(dossier["rss_mib"], 1),
        "peak_rss_target_mib": 400,
        "baseline_peak_rss_mib": round(baseline["rss_mib"], 1),
        "ok": ratio >= 0.3 and dossier["rss_mib"] < 400,
    })


if __name__ == "__main__":
    main()
