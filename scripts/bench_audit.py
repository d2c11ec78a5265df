#!/usr/bin/env python3
"""Times `redline audit` on a generated team mailbox: 20,000 sent messages with their replies.

The mailbox comes from `redline-synth mailbox` (seeded, so every run audits the same mail).
Reports the median wall time of several runs and the peak resident memory.

    python3 scripts/bench_audit.py [--messages N] [--runs N]
"""

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from benchlib import build, print_timing, timed_runs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    bins = build()
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([str(bins / "redline-synth"), "mailbox", "--seed", "7", "--messages",
                        str(args.messages), "--out", tmp], check=True)
        sent, replies = Path(tmp) / "sent.mbox", Path(tmp) / "replies.mbox"
        times, peak = timed_runs([str(bins / "redline"), "audit", str(sent), "--replies",
                                  str(replies), "--rollout", "2026-02-01", "--format", "json"],
                                 args.runs)
        size = sent.stat().st_size + replies.stat().st_size
    print(f"{args.messages} sent messages with replies ({size / 1e6:.1f} MB), {args.runs} runs")
    print_timing("audit", times, peak)
    return 0


if __name__ == "__main__":
    sys.exit(main())
