#!/usr/bin/env python3
"""Times `redline pipeline` on generated CRM exports: 1,000,000 leads by default, with field
edits, forecasts, reps and usage, and one failure injected so every check does its work.

Reports the median wall time of several runs and the peak resident memory.

    python3 scripts/bench_pipeline.py [--leads N] [--runs N]
"""

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from benchlib import build, print_timing, timed_runs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    bins = build()
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([str(bins / "redline-synth"), "exports", "--seed", "1", "--leads",
                        str(args.leads), "--inject", "edited-inputs", "--out", tmp], check=True)
        size = sum(f.stat().st_size for f in Path(tmp).iterdir())
        times, peak = timed_runs([str(bins / "redline"), "pipeline", tmp, "--format", "json"],
                                 args.runs, ok=(0, 1))
    print(f"{args.leads} leads ({size / 1e6:.1f} MB of exports), {args.runs} runs")
    print_timing("pipeline", times, peak)
    return 0


if __name__ == "__main__":
    sys.exit(main())
