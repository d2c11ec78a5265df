#!/usr/bin/env python3
"""Times `redline check` end to end: the gate's latency on one draft, and folder scans.

Builds release binaries, generates drafts with `redline-synth` (seeded, so runs compare),
and reports the median wall time of repeated runs. Usage:

    python3 scripts/bench_check.py [--runs N] [--gate] [--static] [--redline PATH]

`--gate` times only the one-draft rows (the send gate's latency); `--static` times the binary
`scripts/install` builds (with its profile; on Linux with glibc: static, position-dependent); `--redline`
times another build of the binary (say, a copy from before a change) instead of building this
tree's.
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchlib import ROOT, build, installed, timed_runs

CORPORA = ROOT.parent / "shared" / "corpora" / "spamassassin"
CORPUS = CORPORA / "easy-ham-1"
MAILBOX_MESSAGES = 16_000


def median_wall(cmd: list[str], runs: int, stdin: Path | None = None) -> float:
    return statistics.median(timed_runs(cmd, runs, ok=(0, 1), stdin=stdin)[0])


def size_of(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def report(label: str, seconds: float, nbytes: int) -> None:
    rate = nbytes / seconds / 1e6 if seconds > 0 else float("inf")
    print(f"{label:<44} median {seconds * 1000:9.2f} ms   {nbytes / 1e6:8.2f} MB   {rate:8.1f} MB/s")


def build_mailboxes(tmp: Path) -> tuple[Path, Path]:
    """A folder of MAILBOX_MESSAGES real messages (the corpora, cycled) and the same as mbox."""
    sources = sorted(p for d in ("easy-ham-1", "spam-1") for p in (CORPORA / d).iterdir())
    folder = tmp / "messages"
    folder.mkdir()
    mbox = tmp / "sent.mbox"
    with mbox.open("wb") as out:
        for i in range(MAILBOX_MESSAGES):
            data = sources[i % len(sources)].read_bytes()
            (folder / f"{i:05d}.eml").write_bytes(data)
            out.write(b"From sender@example.test Mon Sep  2 09:00:00 2024\n")
            out.write(data.replace(b"\nFrom ", b"\n>From "))
            out.write(b"\n\n")
    return folder, mbox


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--gate", action="store_true", help="only the one-draft rows")
    parser.add_argument("--redline", type=Path, help="time this binary instead of building one")
    parser.add_argument("--static", action="store_true",
                        help="time the binary scripts/install builds (with its profile; static and position-dependent on Linux with glibc)")
    args = parser.parse_args()
    bins = build()
    redline = args.redline or (installed() if args.static else bins / "redline")
    synth = bins / "redline-synth"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        # One ~2 KB draft: generated text cut at a line break near 2,048 bytes.
        text = subprocess.run(
            [str(synth), "text", "--seed", "7", "--bytes", "2048"], check=True, capture_output=True, text=True
        ).stdout
        cut = text.rfind("\n", 0, 2100)
        one = tmp / "one.txt"
        one.write_text(text[: cut if cut > 1500 else len(text)])

        print(f"redline check, median of {args.runs} runs (process start included)")
        report("one draft (gate latency)", median_wall([str(redline), "check", str(one)], args.runs), size_of(one))
        # The file is opened here and handed over as stdin: no shell, whose own start-up
        # would be timed too.
        report("one draft via stdin", median_wall([str(redline), "check", "-"], args.runs, stdin=one), size_of(one))
        if args.gate:
            return 0
        drafts = tmp / "drafts"
        subprocess.run(
            [str(synth), "drafts", "--seed", "7", "--count", "2000", "--ai-share", "0.5", "--out", str(drafts)],
            check=True,
        )
        folder_runs = max(3, args.runs // 4)
        report(
            "2,000 generated drafts (folder)",
            median_wall([str(redline), "check", "--format", "json", str(drafts)], folder_runs),
            size_of(drafts),
        )
        if CORPUS.is_dir():
            report(
                "easy-ham-1 (2,500 human messages)",
                median_wall([str(redline), "check", "--format", "json", str(CORPUS)], folder_runs),
                size_of(CORPUS),
            )
            folder, mbox = build_mailboxes(tmp)
            report(
                f"{MAILBOX_MESSAGES:,} messages, one file each",
                median_wall([str(redline), "check", "--format", "json", str(folder)], folder_runs),
                size_of(folder),
            )
            report(
                f"{MAILBOX_MESSAGES:,} messages in one mbox",
                median_wall([str(redline), "check", "--format", "json", str(mbox)], folder_runs),
                size_of(mbox),
            )
        else:
            print(f"skipped corpora: {CORPUS} not found")
    return 0


if __name__ == "__main__":
    sys.exit(main())
