#!/usr/bin/env python3
"""Compares `redline check` with proselint on the same real human mail, whole process.

Issue 14's throughput goal is stated against proselint, the best-known prose linter: redline
should check a folder of short messages 500 times as fast. This script measures that ratio.
It builds redline in release mode, installs proselint (pinned) into a virtual environment under
target/tools on first use, copies the first N messages of the SpamAssassin corpora (easy-ham-1,
then spam-1; read from ../shared, never from the project) into a temporary folder, and runs each
tool over that folder several times. It reports the median wall time, the CPU time of the
median run, throughput and the ratios. Usage:

    python3 scripts/bench_proselint.py [--messages 2000] [--runs 3] [--redline-runs 15]
                                       [--static | --redline PATH]

A run of redline takes a tenth of a second, so on a shared machine one stall moves it by a
tenth; it is run `--redline-runs` times (default 15) against proselint's `--runs`, spread
between proselint's runs so that both see the same spells of a shared machine running fast
or slow (the same code has taken 0.071 and 0.106 s within the hour), and the medians taken.
Each tool runs once first, uncounted (redline over the folder, proselint over 20 of its
files), and so does redline before each of its batches, so that neither is timed loading its
own program or the messages from disk (this machine reclaims page cache left alone for tens
of seconds: a run after 40 idle seconds took 130 ms against 90). `--static` times the binary `scripts/install` builds
(with its profile; on Linux with glibc: static and position-dependent: the binary a user installs), `--redline`
any other build.

proselint stops on a file that is not UTF-8 and moves on, so it does a little less work than
redline on this mail; the count of files it skipped is printed.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

from benchlib import ROOT, build, installed, run_once

PROSELINT_VERSION = "0.16.0"
VENV = ROOT / "target" / "tools" / "proselint"
CORPORA = ROOT.parent / "shared" / "corpora" / "spamassassin"


def proselint() -> Path:
    """The proselint executable, installed into its own environment the first time."""
    exe = VENV / "bin" / "proselint"
    if not exe.exists():
        print(f"installing proselint {PROSELINT_VERSION} into {VENV} (once)")
        venv.create(VENV, with_pip=True)
        subprocess.run(
            [VENV / "bin" / "pip", "install", "-q", f"proselint=={PROSELINT_VERSION}"],
            check=True,
        )
    return exe


def messages(count: int, into: Path) -> tuple[list[Path], int]:
    """Copies the first `count` messages of the corpora into `into`; their paths and bytes."""
    sources = [
        p
        for folder in ("easy-ham-1", "spam-1")
        for p in sorted((CORPORA / folder).iterdir())
        if p.is_file()
    ][:count]
    copies = []
    for p in sources:
        copy = into / p.name
        copy.write_bytes(p.read_bytes())
        copies.append(copy)
    return copies, sum(c.stat().st_size for c in copies)


def sample(cmd: list) -> tuple[float, float, str]:
    """Runs `cmd` once (exit 0 or 1): wall and CPU seconds and its standard error."""
    run = run_once(cmd, ok=(0, 1), keep_err=True)
    return run.wall, run.cpu, run.err


def summary(samples: list) -> tuple[float, float]:
    """The median wall seconds and the CPU seconds of the run closest to it."""
    wall = statistics.median(w for w, _, _ in samples)
    cpu = min(samples, key=lambda s: abs(s[0] - wall))[1]
    return wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--redline-runs", type=int, default=15)
    parser.add_argument("--static", action="store_true",
                        help="time the binary scripts/install builds")
    parser.add_argument("--redline", type=Path, help="time this redline binary")
    args = parser.parse_args()
    if not CORPORA.is_dir():
        print(f"skipped: {CORPORA} not found (the comparison runs on real human mail)")
        return 0
    redline = args.redline or (installed() if args.static else build() / "redline")
    linter = proselint()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files, nbytes = messages(args.messages, folder)
        print(f"{len(files)} messages, {nbytes / 1e6:.2f} MB; load average "
              f"{os.getloadavg()[0]:.2f}; median of {args.redline_runs} runs of redline "
              f"({redline}) and {args.runs} of proselint")
        ours_cmd = [redline, "check", "--fail-on", "never", "--format", "json", folder]
        proselint_check = [linter, "-o", "compact", "check"]
        theirs_cmd = [*proselint_check, *files]
        sample(ours_cmd)
        sample([*proselint_check, *files[:20]])
        # redline's runs are spread between proselint's, so both tools see the same spells of
        # a shared machine running fast or slow.
        ours, theirs = [], []
        batches = [args.redline_runs * k // (args.runs + 1) for k in range(args.runs + 2)]
        for k in range(args.runs + 1):
            # This machine reclaims memory left alone for a while: after proselint's tens of
            # seconds, redline's first run reads its program and the messages from disk again.
            sample(ours_cmd)
            ours += [sample(ours_cmd) for _ in range(batches[k + 1] - batches[k])]
            if k < args.runs:
                theirs.append(sample(theirs_cmd))
    skipped = theirs[-1][2].count("Error encountered while linting")
    ours, theirs = summary(ours), summary(theirs)
    for name, (wall, cpu) in (("redline check", ours), (f"proselint {PROSELINT_VERSION}", theirs)):
        print(f"{name:<20} wall {wall:8.3f} s  {nbytes / wall / 1e6:8.2f} MB/s   "
              f"CPU {cpu:8.3f} s  {nbytes / cpu / 1e6:8.2f} MB/CPU-s")
    print(f"proselint skipped {skipped} files that are not UTF-8")
    print(f"redline is {theirs[0] / ours[0]:.0f}x proselint by wall time, "
          f"{theirs[1] / ours[1]:.0f}x by CPU time (goal: 500x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
