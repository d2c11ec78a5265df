#!/usr/bin/env python3
"""Compares builds of `redline` by running them in turn on the same input, many times.

On a shared machine the speed drifts by 10% and more within minutes, so two builds timed one
after the other can differ by more than a change does; run in alternation, both see the same
drift. Each binary runs `check --format json --fail-on never INPUT` once per round; the
medians of wall time, CPU time (user + system) and page faults are reported. When run as
root, the page cache is dropped once first, so that no build starts with its pages already
cached and the others not. Usage:

    python3 scripts/bench_compare.py [--rounds 25] [--input DIR] BINARY BINARY...

INPUT defaults to the first 2,000 messages of easy-ham-1 (read from ../shared, never
copied). Instruction counts (`valgrind --tool=callgrind`) are steadier but can mislead here:
a change that saves 8% of the instructions has saved 2% of the time, where the check was
waiting on memory rather than executing.
"""

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

from benchlib import ROOT, run_once

CORPUS = ROOT.parent / "shared" / "corpora" / "spamassassin" / "easy-ham-1"


def one_run(binary: Path, target: Path) -> tuple[float, float, int]:
    """Wall and CPU milliseconds and page faults of one `check` of `target`."""
    cmd = [str(binary), "check", "--format", "json", "--fail-on", "never", str(target)]
    run = run_once(cmd, ok=(0, 1))
    return run.wall * 1e3, run.cpu * 1e3, run.faults


def drop_page_cache() -> None:
    """Drops the page cache when allowed (root on Linux); says so either way."""
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        print("page cache dropped")
    except OSError:
        print("page cache not dropped (needs root): the first build may start warmer")


def compare(binaries: list[Path], target: Path, rounds: int) -> None:
    drop_page_cache()
    runs = {b: [] for b in binaries}
    for _ in range(rounds):
        for b in binaries:
            runs[b].append(one_run(b, target))
    load = os.getloadavg()[0]
    print(f"{rounds} alternating rounds on {target}; load average {load:.2f}")
    for b, rows in runs.items():
        wall, cpu, faults = (statistics.median(column) for column in zip(*rows))
        print(f"{str(b):50} wall {wall:8.2f} ms   CPU {cpu:8.2f} ms   faults {faults:6.0f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("binaries", nargs="+", type=Path)
    parser.add_argument("--rounds", type=int, default=25)
    parser.add_argument("--input", type=Path, help="a folder or file to check")
    args = parser.parse_args()
    if args.input:
        compare(args.binaries, args.input, args.rounds)
        return
    if not CORPUS.is_dir():
        sys.exit(f"skipped: no corpus at {CORPUS}")
    with tempfile.TemporaryDirectory() as folder:
        for p in sorted(CORPUS.iterdir())[:2000]:
            (Path(folder) / p.name).write_bytes(p.read_bytes())
        compare(args.binaries, Path(folder), args.rounds)


if __name__ == "__main__":
    main()
