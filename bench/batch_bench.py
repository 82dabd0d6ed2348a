"""Batch benchmark: parallel speed-up, per-letter overhead and flat memory.  Prints JSON.

    python bench/batch_bench.py            # 10,000 letters; memory at 10,000 and 100,000 rows
    python bench/batch_bench.py --quick    # 1,000 letters; memory at 1,000 and 10,000 rows

Figures are ratios against baselines measured in the same run:

* ``jobs2_speedup``: wall time of ``run_batch(jobs=1)`` / ``run_batch(jobs=2)``
  over the same CSV of txt letters (target >= 1.6 on 2 cores);
* ``jobs1_per_letter_ratio``: per-letter time of ``run_batch(jobs=1)`` (reading
  the CSV, validating, rendering, writing the files and the manifest) /
  ``render_letter`` called in a loop on the same letters built by hand
  (target <= 1.5);
* ``memory_ratio``: peak RSS (``ru_maxrss``) of a ``run_batch(jobs=2)`` process
  on the large input / on the small one, parent and workers measured apart,
  each in a fresh subprocess (target: about 1, i.e. independent of the rows).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SENT = dt.date(2026, 3, 9)
KINDS = ("objection", "erasure", "access")
INCIDENTS = ("mailing-list", "direct-pitch", "forwarded", "endorsement")
FIRST = ("Mario", "Luca", "Giulia", "Anna", "Jörg", "Élodie", "Sofía", "Piotr")
LAST = ("Rossi", "Bianchi", "Müller", "Dupont", "García", "Nowak", "Smith", "Verdi")
COLUMNS = ["kind", "lang", "format", "requester_name", "requester_email", "requester_address",
           "requester_country", "recipient_name", "recipient_org", "recipient_email",
           "recipient_address", "recipient_country", "incident_kind", "incident_date",
           "platform", "facts"]


def make_row(i: int) -> dict[str, str]:
    name = f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]} {i}"
    return {
        "kind": KINDS[i % len(KINDS)],
        "lang": "en",
        "format": "txt",
        "requester_name": "Ada Rossi",
        "requester_email": "ada@example.org",
        "requester_address": "Via Roma 1\n00100 Roma",
        "requester_country": "IT",
        "recipient_name": name,
        "recipient_org": f"Company {i % 97} S.r.l.",
        "recipient_email": f"person{i}@company{i % 97}.example",
        "recipient_address": f"Via Milano {i % 200}\n20121 Milano",
        "recipient_country": "IT",
        "incident_kind": INCIDENTS[i % len(INCIDENTS)],
        "incident_date": (dt.date(2026, 1, 1) + dt.timedelta(days=i % 60)).isoformat(),
        "platform": "linkedin",
        "facts": f"Message {i}: added my address to a list and sent offers; see screenshot.",
    }


def write_csv(path: Path, rows: int) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, COLUMNS, delimiter=";")
        writer.writeheader()
        for i in range(rows):
            writer.writerow(make_row(i))


def render_loop(rows: int) -> float:
    """Baseline: render_letter in a loop on the same letters, built by hand."""
    from gdprkit._batch_render import parse_when
    from gdprkit.letters import Recipient, render_letter
    from gdprkit.model import Contact, Incident, Profile

    args = []
    for i in range(rows):
        r = make_row(i)
        requester = Profile(name=r["requester_name"], email=r["requester_email"],
                            address=r["requester_address"], country=r["requester_country"])
        recipient = Recipient(name=r["recipient_name"], org=r["recipient_org"],
                              email=r["recipient_email"], address=r["recipient_address"],
                              country=r["recipient_country"])
        contact = Contact(id="", name=recipient.name, email=recipient.email, org=recipient.org,
                          org_address=recipient.address, country=recipient.country)
        incident = Incident(id=f"row{i + 1}", kind=r["incident_kind"], contact="",
                            when=parse_when(r["incident_date"], "date"),
                            platform=r["platform"], note=r["facts"])
        args.append((r["kind"], requester, recipient, contact, incident))
    # the same letters as the batch writes: naming the requester's supervisory
    # authority (looked up once here, as a script would)
    from gdprkit.letters.from_ledger import authority_for

    authority = authority_for(args[0][1], None, required=False, named=True)
    render_letter(args[0][0], requester=args[0][1], recipient=args[0][2], sent=SENT,
                  incidents=[args[0][4]], contact=args[0][3], authority=authority)  # warm up
    start = time.perf_counter()
    for kind, requester, recipient, contact, incident in args:
        render_letter(kind, lang="en", fmt="txt", requester=requester, recipient=recipient,
                      incidents=[incident], contact=contact, sent=SENT, authority=authority)
    return time.perf_counter() - start


def timed_batch(src: Path, out: Path, jobs: int) -> float:
    from gdprkit.batch import run_batch

    start = time.perf_counter()
    result = run_batch(src, out, jobs=jobs, sent=SENT)
    elapsed = time.perf_counter() - start
    if result.errors:
        raise SystemExit(f"benchmark rows failed: {result.first_errors[:3]}")
    return elapsed


def child_memory(src: str, out: str, jobs: int) -> None:
    """Run in a fresh process: one batch, then print its peak memory."""
    from gdprkit.batch import run_batch

    result = run_batch(src, out, jobs=jobs, sent=SENT)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"rows": result.rows, "errors": result.errors,
                      "parent_maxrss_kib": own, "workers_maxrss_kib": workers}))


def measure_memory(tmp: Path, rows: int, jobs: int) -> dict:
    src = tmp / f"mem-{rows}.csv"
    write_csv(src, rows)
    out = tmp / f"mem-out-{rows}"
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, __file__, "--child-memory", str(src), str(out), str(jobs)],
        capture_output=True, text=True, check=True,
    )
    report = json.loads(proc.stdout)
    report["seconds"] = round(time.perf_counter() - start, 1)
    report["input_mib"] = round(src.stat().st_size / 2**20, 1)
    shutil.rmtree(out)
    src.unlink()
    return report


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=10_000, help="letters for the timing runs")
    ap.add_argument("--memory-rows", default="10000,100000",
                    help="two row counts for the memory runs (small,large)")
    ap.add_argument("--quick", action="store_true", help="1,000 letters; memory 1,000/10,000")
    ap.add_argument("--no-memory", action="store_true", help="skip the memory runs")
    ap.add_argument("--repeat", type=int, default=1,
                    help="time each configuration N times, interleaved; keep the best")
    ap.add_argument("--child-memory", nargs=3, metavar=("SRC", "OUT", "JOBS"),
                    help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child_memory:
        src, out, jobs = args.child_memory
        child_memory(src, out, int(jobs))
        return
    if args.quick:
        args.rows, args.memory_rows = 1_000, "1000,10000"
    small, large = (int(x) for x in args.memory_rows.split(","))

    tmp = Path(tempfile.mkdtemp(prefix="gdprkit-batch-bench-"))
    try:
        src = tmp / "rows.csv"
        write_csv(src, args.rows)
        loop = t1 = t2 = float("inf")
        for _ in range(max(1, args.repeat)):  # interleaved, so background load hits all alike
            for out in ("out1", "out2"):
                shutil.rmtree(tmp / out, ignore_errors=True)
            # Each timed run starts with no write-back pending from the one before
            # (deleting or writing 10,000 files leaves seconds of it on a slow
            # disk): every run pays for its own files, not for the last run's.
            os.sync()
            loop = min(loop, render_loop(args.rows))
            os.sync()
            t1 = min(t1, timed_batch(src, tmp / "out1", 1))
            os.sync()
            t2 = min(t2, timed_batch(src, tmp / "out2", 2))
        same = all(
            (tmp / "out1" / p.name).read_bytes() == p.read_bytes()
            for p in (tmp / "out2").iterdir()
        )
        report: dict = {
            "benchmark": "batch",
            "rows": args.rows,
            "format": "txt",
            "cpus": os.cpu_count(),
            "repeat": max(1, args.repeat),
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "seconds": {"render_letter_loop": round(loop, 2), "batch_jobs1": round(t1, 2),
                        "batch_jobs2": round(t2, 2)},
            "per_letter_ms": {"render_letter": round(loop / args.rows * 1e3, 3),
                              "batch_jobs1": round(t1 / args.rows * 1e3, 3),
                              "batch_jobs2": round(t2 / args.rows * 1e3, 3)},
            "jobs2_speedup": round(t1 / t2, 2),
            "jobs1_per_letter_ratio": round(t1 / loop, 2),
            "jobs1_jobs2_identical": same,
        }
        shutil.rmtree(tmp / "out1")
        shutil.rmtree(tmp / "out2")
        targets = {"jobs2_speedup_min": 1.6, "jobs1_per_letter_ratio_max": 1.5}
        ok = report["jobs2_speedup"] >= 1.6 and report["jobs1_per_letter_ratio"] <= 1.5 and same
        if not args.no_memory:
            mem_small = measure_memory(tmp, small, 2)
            mem_large = measure_memory(tmp, large, 2)
            report["memory"] = {str(small): mem_small, str(large): mem_large}
            report["memory_ratio"] = {
                "parent": round(mem_large["parent_maxrss_kib"] / mem_small["parent_maxrss_kib"], 3),
                "workers": round(mem_large["workers_maxrss_kib"]
                                 / mem_small["workers_maxrss_kib"], 3),
            }
            targets["memory_ratio_max"] = 1.1
            ok = ok and max(report["memory_ratio"].values()) <= 1.1
        report["targets"] = targets
        report["ok"] = ok
        print(json.dumps(report, indent=2))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
