#!/usr/bin/env python3
"""Times `redline audit` on a generated team mailbox: 20,000 sent messages with their replies.

The mailbox comes from `redline-synth mailbox` (seeded, so every run audits the same mail).
Reports the median wall time of several runs and the peak resident memory.

    python3 scripts/bench_audit.py [--messages N] [--runs N]
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
    parser.add_argument("--messages", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "redline-cli", "-p", "redline-synth"],
                   cwd=ROOT, check=True)
    bins = ROOT / "target" / "release"
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([str(bins / "redline-synth"), "mailbox", "--seed", "7", "--messages",
                        str(args.messages), "--out", tmp], check=True)
        sent, replies = Path(tmp) / "sent.mbox", Path(tmp) / "replies.mbox"
        command = [str(bins / "redline"), "audit", str(sent), "--replies", str(replies),
                   "--rollout", "2026-02-01", "--format", "json"]
        times, peaks = [], []
        for _ in range(args.runs):
            start = time.perf_counter()
            child = subprocess.Popen(command, stdout=subprocess.DEVNULL)
            _, status, usage = os.wait4(child.pid, 0)
            times.append(time.perf_counter() - start)
            child.returncode = os.waitstatus_to_exitcode(status)
            if child.returncode != 0:
                raise SystemExit(f"redline audit exited with {child.returncode}")
            peaks.append(usage.ru_maxrss)
        peak_kb = max(peaks)
        size = sent.stat().st_size + replies.stat().st_size
    print(f"{args.messages} sent messages with replies ({size / 1e6:.1f} MB), {args.runs} runs")
    print(f"audit: median {statistics.median(times):.3f} s "
          f"(min {min(times):.3f}, max {max(times):.3f})")
    print(f"peak resident memory: {peak_kb / 1024:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
