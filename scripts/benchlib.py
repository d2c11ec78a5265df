"""What the benchmark scripts share: a release build, and timing a command over several runs
with each run's peak resident memory (from wait4, so only that process is counted)."""

import os
import statistics
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build(features: str = "", static: bool = False) -> Path:
    """Builds `redline` (with the given cargo features of redline-cli, if any) and
    `redline-synth` in release mode; returns their folder. `static` links the C library
    statically on Linux with glibc, as `scripts/install` does."""
    extra = ["--features", f"redline-cli/{features}"] if features else []
    folder = ROOT / "target" / "release"
    if static:
        host = next(line.split()[1] for line in subprocess.run(
            ["rustc", "-vV"], capture_output=True, text=True, check=True).stdout.splitlines()
            if line.startswith("host:"))
        if host.endswith("-linux-gnu"):
            extra += ["--target", host, "--config",
                      f'target.{host}.rustflags = ["-C", "target-feature=+crt-static"]']
            folder = ROOT / "target" / host / "release"
    subprocess.run(
        ["cargo", "build", "--release", "-q", "-p", "redline-cli", "-p", "redline-synth", *extra],
        cwd=ROOT,
        check=True,
    )
    return folder


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
