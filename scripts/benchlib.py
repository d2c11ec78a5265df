"""What the benchmark scripts share: a release build, and timing a command over several runs
with each run's peak resident memory (from wait4, so only that process is counted)."""

import os
import statistics
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build(features: str = "") -> Path:
    """Builds `redline` (with the given cargo features of redline-cli, if any) and
    `redline-synth` in release mode; returns their folder."""
    extra = ["--features", f"redline-cli/{features}"] if features else []
    subprocess.run(
        ["cargo", "build", "--release", "-q", "-p", "redline-cli", "-p", "redline-synth", *extra],
        cwd=ROOT,
        check=True,
    )
    return ROOT / "target" / "release"


def installed() -> Path:
    """Builds `redline` as `scripts/install` does (on Linux with glibc, the C library linked
    statically and the binary position-dependent), into target/installed; returns the binary."""
    root = ROOT / "target" / "installed"
    subprocess.run(
        [str(ROOT / "scripts" / "install"), "--root", str(root), "--quiet"],
        cwd=ROOT,
        env={**os.environ, "CARGO_TARGET_DIR": str(ROOT / "target")},
        check=True,
    )
    return root / "bin" / "redline"


def timed_runs(cmd: list[str], runs: int, ok=(0,), stdin: Path | None = None) -> tuple[list[float], int]:
    """Runs `cmd` `runs` times (with the file `stdin` as its standard input, if given); returns
    the wall times in seconds and the largest peak resident set in KiB. An exit code outside
    `ok` stops the benchmark."""
    times, peak = [], 0
    for _ in range(runs):
        source = open(stdin, "rb") if stdin else None
        start = time.perf_counter()
        child = subprocess.Popen(cmd, stdin=source, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)
        times.append(time.perf_counter() - start)
        if stdin:
            source.close()
        code = os.waitstatus_to_exitcode(status)
        if code not in ok:
            raise SystemExit(f"{cmd[0]} exited with {code}")
        peak = max(peak, usage.ru_maxrss)
    return times, peak


def print_timing(label: str, times: list[float], peak_kb: int) -> None:
    """Prints the median, range and peak memory of `timed_runs`."""
    print(f"{label}: median {statistics.median(times):.3f} s "
          f"(min {min(times):.3f}, max {max(times):.3f})")
    print(f"peak resident memory: {peak_kb / 1024:.1f} MB")
