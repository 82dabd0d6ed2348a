"""Shared helpers for the benchmarks: timing, peak RSS in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
import time


def best_of(fn, repeat: int = 3) -> float:
    """Best wall time of ``repeat`` runs (the least disturbed by a noisy machine)."""
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def peak_rss_mib(code: str, *args: str) -> float:
    """Run Python ``code`` in a fresh interpreter; return its peak RSS in MiB."""
    wrapper = (
        "import resource, sys, json\n"
        f"exec(compile({code!r}, 'bench', 'exec'))\n"
        "print(json.dumps(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))\n"
    )
    out = subprocess.run([sys.executable, "-c", wrapper, *args], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def emit(name: str, figures: dict) -> None:
    print(json.dumps({"benchmark": name, **figures}, indent=2))
