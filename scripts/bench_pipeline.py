#!/usr/bin/env python3
"""Times `redline pipeline` on generated CRM exports: 1,000,000 leads by default, with field
edits, forecasts, reps and usage, and one failure injected so every check does its work.

Reports the median wall time of several runs and the peak resident memory.

    python3 scripts/bench_pipeline.py [--leads N] [--runs N]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "redline-cli", "-p", "redline-synth"],
                   cwd=ROOT, check=True)
    bins = ROOT / "target" / "release"
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([str(bins / "redline-synth"), "exports", "--seed", "1", "--leads",
                        str(args.leads), "--inject", "edited-inputs", "--out", tmp], check=True)
        size = sum(f.stat().st_size for f in Path(tmp).iterdir())
        command = [str(bins / "redline"), "pipeline", tmp, "--format", "json"]
        times, peaks = [], []
        for _ in range(args.runs):
            start = time.perf_counter()
            child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _, status, usage = os.wait4(child.pid, 0)
            times.append(time.perf_counter() - start)
            if os.waitstatus_to_exitcode(status) not in (0, 1):
                raise SystemExit(f"redline pipeline failed: {status}")
            peaks.append(usage.ru_maxrss)
    print(f"{args.leads} leads ({size / 1e6:.1f} MB of exports), {args.runs} runs")
    print(f"pipeline: median {statistics.median(times):.3f} s "
          f"(min {min(times):.3f}, max {max(times):.3f})")
    print(f"peak resident memory: {max(peaks) / 1024:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
