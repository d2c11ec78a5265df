#!/usr/bin/env python3
"""How `redline check` scales: time and peak memory against input size and count.

Builds release binaries, generates seeded inputs with `redline-synth`, and prints a Markdown
table (the README's performance section holds one): single files of 1, 4, 16 and 64 MB, folders
of 1k, 16k and 100k drafts, and the 16k drafts again as one mbox. Each row is the median wall
time of repeated runs (process start included), the throughput, and the largest peak resident
memory seen. JSON output, written to /dev/null. Usage:

    python3 scripts/bench_scale.py [--runs N] [--quick]

`--quick` stops at 16 MB and 16k drafts.
"""

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchlib import build, timed_runs


def size_of(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def one_file(synth: Path, tmp: Path, mb: int) -> Path:
    path = tmp / f"draft-{mb}mb.txt"
    with path.open("wb") as out:
        subprocess.run([str(synth), "text", "--seed", "7", "--bytes", str(mb << 20)], check=True, stdout=out)
    return path


def one_line(tmp: Path, mb: int) -> Path:
    """One line of seeded words and stock phrases with no sentence end: one paragraph, one
    region, a finding every few words (a fix that looked for the sentence around each finding
    by rereading the region had taken 84 s on 200,000 such words)."""
    words = ["the", "quick", "team", "I hope this finds you well", "leverage", "synergy",
             "pipeline", "and", "we", "just following up", "in today's fast-paced world"]
    pick = random.Random(7).choice
    path = tmp / f"line-{mb}mb.txt"
    # Written a piece at a time: a benchmark process that held the whole text would pass its
    # size on to the peak memory the next runs report (a child's peak counts what it had
    # between fork and exec).
    with open(path, "w") as out:
        size = 0
        while size < mb << 20:
            piece = " ".join(pick(words) for _ in range(256))
            out.write(piece if size == 0 else " " + piece)
            size += len(piece) + (size > 0)
    return path


def folder(synth: Path, tmp: Path, count: int) -> Path:
    path = tmp / f"drafts-{count}"
    subprocess.run(
        [str(synth), "drafts", "--seed", "7", "--count", str(count), "--ai-share", "0.5", "--out", str(path)],
        check=True,
    )
    return path


def mbox_of(drafts: Path, tmp: Path) -> Path:
    """The drafts of a folder as the messages of one mbox, each with a Subject header."""
    path = tmp / f"{drafts.name}.mbox"
    with path.open("wb") as out:
        for draft in sorted(drafts.iterdir()):
            body = draft.read_bytes().replace(b"\nFrom ", b"\n>From ")
            out.write(b"From rep@example.test Mon Sep  2 09:00:00 2024\n")
            out.write(b"Message-ID: <" + draft.stem.encode() + b"@example.test>\n")
            out.write(b"Content-Type: text/plain; charset=utf-8\n")
            out.write(body if body.startswith(b"Subject:") else b"\n" + body)
            out.write(b"\n\n")
    return path


def row(label: str, redline: Path, target: Path, runs: int) -> str:
    # The 64 MB file is just over the default 64 MiB bound on one draft.
    cmd = [str(redline), "check", "--format", "json", "--max-draft-size", "1G", str(target)]
    times, peak_kb = timed_runs(cmd, runs, ok=(0, 1))
    seconds = statistics.median(times)
    nbytes = size_of(target)
    rate = nbytes / seconds / 1e6
    print(f"  {label}: {seconds:.3f} s, {peak_kb / 1024:.0f} MiB", file=sys.stderr)
    return f"| {label} | {nbytes / 1e6:.1f} MB | {seconds:.3f} s | {rate:.0f} MB/s | {peak_kb / 1024:.0f} MiB |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    bins = build()
    redline, synth = bins / "redline", bins / "redline-synth"
    sizes = [1, 4, 16] if args.quick else [1, 4, 16, 64]
    counts = [1_000, 16_000] if args.quick else [1_000, 16_000, 100_000]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for mb in sizes:
            path = one_file(synth, tmp, mb)
            rows.append(row(f"one file, {mb} MB", redline, path, args.runs))
            path.unlink()
            if mb <= 16:
                line = one_line(tmp, mb)
                rows.append(row(f"one line of stock phrases, {mb} MB", redline, line, args.runs))
                line.unlink()
        for count in counts:
            drafts = folder(synth, tmp, count)
            runs = args.runs if count <= 16_000 else max(1, args.runs // 2)
            rows.append(row(f"folder, {count:,} drafts", redline, drafts, runs))
            if count == 16_000:
                mbox = mbox_of(drafts, tmp)
                rows.append(row(f"one mbox, {count:,} messages", redline, mbox, args.runs))
    print(f"redline check --format json, median of {args.runs} runs, process start included\n")
    print("| input | size | time | throughput | peak memory |")
    print("|---|---:|---:|---:|---:|")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
