"""Import throughput and memory against bare stdlib parsing; prints JSON.

    python bench/import_bench.py [--messages 10000]

Builds an mbox of N messages (the labelled corpus, repeated with fresh
Message-IDs), then measures in the same run:

- ``baseline``: ``email.message_from_bytes(raw, policy=policy.default)`` over
  the same messages, already split and in memory (the cheapest possible
  stdlib parse);
- ``import``: a dry-run import of the mbox file (streaming split, parse,
  charset repair, classification, report items) with ``Importer``;
- memory: peak memory (tracemalloc, and max RSS) of a dry-run import in a
  fresh subprocess for 2,000 and for N messages, and the max RSS of
  ``gdprkit import mbox --dry-run --json`` at both sizes; flat means the ratio
  is close to 1.

Target (issue): import rate >= 0.3x the baseline rate; peak memory flat.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def corpus_messages() -> list[bytes]:
    files = sorted((ROOT / "tests" / "corpus").rglob("*.eml")) + sorted(
        (ROOT / "tests" / "corpus" / "cpython").glob("msg_*.txt"))
    return [f.read_bytes() for f in files]


def build_mbox(path: Path, n: int) -> list[bytes]:
    from gdprkit.importers import write_mbox_message

    base = corpus_messages()
    out = []
    with open(path, "wb") as fh:
        for i in range(n):
            raw = base[i % len(base)]
            raw = f"X-Bench-Id: <bench-{i}@gdprkit.invalid>\n".encode() + raw
            write_mbox_message(fh, raw)
            out.append(raw)
    return out


def run_import(path: str) -> int:
    from gdprkit.importers import Importer, iter_mbox_file

    imp = Importer(None, dry_run=True)
    n = 0
    for _item in imp.run(iter_mbox_file(path)):
        n += 1
    return n


def child(path: str) -> None:
    """Measure one import in this (fresh) process."""
    import resource
    import tracemalloc

    tracemalloc.start()
    n = run_import(path)
    _cur, peak = tracemalloc.get_traced_memory()
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"messages": n, "tracemalloc_peak_bytes": peak, "max_rss_kib": rss_kib}))


def measure_cli_json(path: Path) -> float:
    """Max RSS (MiB) of ``gdprkit import mbox PATH --dry-run --json`` in a fresh process."""
    code = ("import resource, subprocess, sys\n"
            "subprocess.run([sys.executable, '-m', 'gdprkit', 'import', 'mbox', sys.argv[1], '--dry-run',"
            " '--json'], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)\n"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)\n")
    out = subprocess.run([sys.executable, "-c", code, str(path)], check=True, capture_output=True,
                         text=True, cwd=ROOT)
    return round(float(out.stdout.strip()), 1)


def measure_child(path: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", str(path)], check=True,
                         capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--messages", type=int, default=10_000)
    ap.add_argument("--small", type=int, default=2_000)
    ap.add_argument("--child")
    args = ap.parse_args()
    if args.child:
        child(args.child)
        return 0

    from email import message_from_bytes, policy

    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.mbox"
        small = Path(tmp) / "small.mbox"
        raws = build_mbox(big, args.messages)
        build_mbox(small, args.small)
        mbox_bytes = os.path.getsize(big)

        t0 = time.perf_counter()
        for raw in raws:
            message_from_bytes(raw, policy=policy.default)
        baseline = time.perf_counter() - t0
        del raws

        t0 = time.perf_counter()
        n = run_import(str(big))
        imported = time.perf_counter() - t0
        assert n == args.messages, n

        mem_small = measure_child(small)
        mem_big = measure_child(big)
        cli_small = measure_cli_json(small)
        cli_big = measure_cli_json(big)

    report = {
        "messages": args.messages,
        "mbox_bytes": mbox_bytes,
        "baseline_stdlib_parse_s": round(baseline, 3),
        "baseline_rate_msg_s": round(args.messages / baseline),
        "import_dry_run_s": round(imported, 3),
        "import_rate_msg_s": round(args.messages / imported),
        "ratio_import_vs_stdlib": round(baseline / imported, 3),
        "target_ratio": 0.3,
        "memory": {
            f"{args.small}_messages": mem_small,
            f"{args.messages}_messages": mem_big,
            "tracemalloc_peak_ratio": round(mem_big["tracemalloc_peak_bytes"] / mem_small["tracemalloc_peak_bytes"], 3),
            "max_rss_ratio": round(mem_big["max_rss_kib"] / mem_small["max_rss_kib"], 3),
            # the CLI with --json streams its items: flat too
            "cli_json_max_rss_mib": {f"{args.small}_messages": cli_small, f"{args.messages}_messages": cli_big},
            "cli_json_max_rss_ratio": round(cli_big / cli_small, 3),
        },
    }
    report["ok"] = (report["ratio_import_vs_stdlib"] >= 0.3 and report["memory"]["tracemalloc_peak_ratio"] < 1.5
                    and report["memory"]["cli_json_max_rss_ratio"] < 1.5)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
