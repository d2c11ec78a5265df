"""What the benchmark scripts share: a release build, and timing a command (wall and CPU time,
page faults and peak resident memory, from wait4, so only that process is counted)."""

import os
import statistics
import subprocess
import time
from pathlib import Path
from typing import NamedTuple

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
    statically and the binary position-dependent; built with a profile), into target/installed;
    returns the binary."""
    root = ROOT / "target" / "installed"
    subprocess.run(
        [str(ROOT / "scripts" / "install"), "--root", str(root), "--quiet"],
        cwd=ROOT,
        env={**os.environ, "CARGO_TARGET_DIR": str(ROOT / "target")},
        check=True,
    )
    return root / "bin" / "redline"


class Run(NamedTuple):
    """One run of a command: wall and CPU (user + system) seconds, page faults, peak resident
    set in KiB, and its standard error when asked for."""
    wall: float
    cpu: float
    faults: int
    peak_kb: int
    err: str


def run_once(cmd: list, ok=(0,), stdin: Path | None = None, keep_err: bool = False) -> Run:
    """Runs `cmd` once, its output discarded (with the file `stdin` as its standard input, if
    given); an exit code outside `ok` stops the benchmark."""
    source = open(stdin, "rb") if stdin else None
    start = time.perf_counter()
    child = subprocess.Popen(cmd, stdin=source, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE if keep_err else subprocess.DEVNULL)
    err = child.stderr.read().decode(errors="replace") if keep_err else ""
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if source:
        source.close()
    code = os.waitstatus_to_exitcode(status)
    if code not in ok:
        raise SystemExit(f"{cmd[0]} exited with {code}: {err[-500:]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_minflt + usage.ru_majflt,
               usage.ru_maxrss, err)


def timed_runs(cmd: list[str], runs: int, ok=(0,), stdin: Path | None = None) -> tuple[list[float], int]:
    """Runs `cmd` `runs` times (with the file `stdin` as its standard input, if given); returns
    the wall times in seconds and the largest peak resident set in KiB. An exit code outside
    `ok` stops the benchmark."""
    done = [run_once(cmd, ok, stdin) for _ in range(runs)]
    return [r.wall for r in done], max(r.peak_kb for r in done)


def print_timing(label: str, times: list[float], peak_kb: int) -> None:
    """Prints the median, range and peak memory of `timed_runs`."""
    print(f"{label}: median {statistics.median(times):.3f} s "
          f"(min {min(times):.3f}, max {max(times):.3f})")
    print(f"peak resident memory: {peak_kb / 1024:.1f} MB")
