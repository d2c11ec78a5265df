#!/usr/bin/env python3
"""Times loading a large `.redline.toml`: `redline check` on one short draft with a config of
N allowed phrases, one per line and all on one line, for growing N. Linear loading shows as a
time that doubles when N doubles. Usage:

    python3 scripts/bench_config.py [--runs N] [--bin DIR]

`--bin` times an existing build (e.g. target/debug, to compare with an older binary) instead of
building release binaries.
"""

import argparse
import statistics
import tempfile
from pathlib import Path

from benchlib import build, timed_runs

SIZES = (25_000, 50_000, 100_000)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--bin", type=Path)
    args = parser.parse_args()
    redline = (args.bin or build()) / "redline"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        draft = tmp / "draft.txt"
        draft.write_text("Hi Dana,\n\nSaw the launch.\n")
        for n in SIZES:
            phrases = [f'"zq{i} word"' for i in range(n)]
            layouts = {
                "one per line": "allow = [\n" + "".join(f"  {p},\n" for p in phrases) + "]\n",
                "one line": "allow = [" + ", ".join(phrases) + "]\n",
            }
            for layout, text in layouts.items():
                config = tmp / "config.toml"
                config.write_text(text)
                times, _ = timed_runs(
                    [str(redline), "check", "--config", str(config), str(draft)], args.runs
                )
                print(f"{n:>7} allowed phrases, {layout:<12} median {statistics.median(times):8.3f} s")


if __name__ == "__main__":
    main()
