#!/usr/bin/env python3
"""Load-tests `redline serve` with oha over keep-alive connections: checks per second, latency
percentiles, and the server's memory and CPU under load, on generated 1-3 KB drafts.

Builds release binaries, generates drafts with `redline-synth` (seeded, so runs compare),
starts the server on a free loopback port, and drives `POST /v1/check` with oha (a load
generator from crates.io; installed into target/tools on first use when it is not on PATH).
The server and oha share the machine's cores, and so does anything else running: the script
prints the load average and the busiest other processes so the figures can be read in that
light. Usage:

    python3 scripts/bench_serve.py [--seconds 15] [--runs 3] [--connections 16] [--features mimalloc]
"""

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from benchlib import ROOT, build

OHA_VERSION = "1.16.0"
TOOLS = ROOT / "target" / "tools"


def oha() -> str:
    """oha on PATH, else in target/tools, else installed there. oha needs a TLS backend to
    build; the system OpenSSL (native-tls) is the quickest to compile, and is never used here."""
    found = shutil.which("oha") or (TOOLS / "bin" / "oha")
    if Path(found).exists():
        return str(found)
    print(f"installing oha {OHA_VERSION} into {TOOLS} (once)")
    subprocess.run(
        ["cargo", "install", "oha", "--version", OHA_VERSION, "--locked", "--no-default-features",
         "--features", "native-tls", "--root", str(TOOLS), "--target-dir", str(TOOLS / "build")],
        check=True,
    )
    return str(TOOLS / "bin" / "oha")


def drafts(synth: Path, tmp: Path, count: int) -> list[str]:
    """`count` drafts of 1-3 KB: generated drafts (half in the corporate-AI voice), consecutive
    ones joined until each reaches a size drawn uniformly from 1,000-3,000 bytes."""
    folder = tmp / "drafts"
    subprocess.run(
        [str(synth), "drafts", "--seed", "7", "--count", str(count * 4), "--ai-share", "0.5",
         "--out", str(folder)],
        check=True, stdout=subprocess.DEVNULL,
    )
    sources = [p.read_text() for p in sorted(folder.iterdir())]
    rng = random.Random(7)
    out, i = [], 0
    while len(out) < count:
        target, text = rng.randint(1000, 3000), ""
        while len(text.encode()) < target:
            text += ("\n\n" if text else "") + sources[i % len(sources)]
            i += 1
        out.append(text)
    return out


class Server:
    """`redline serve` on a free loopback port."""

    def __init__(self, redline: Path, cwd: Path):
        self.proc = subprocess.Popen(
            [str(redline), "serve", "--listen", "127.0.0.1:0"],
            cwd=cwd, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "XDG_CONFIG_HOME": str(cwd / "xdg")},
        )
        line = self.proc.stderr.readline()
        if "serving on http://" not in line:
            raise SystemExit(f"redline serve did not start: {line}")
        self.url = line.split("serving on ")[1].split()[0]
        threading.Thread(target=self.proc.stderr.read, daemon=True).start()

    def status(self) -> dict[str, int]:
        """VmRSS and VmHWM (peak) of the server, in KiB."""
        fields = {}
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                fields[name] = int(value.split()[0])
        return fields

    def cpu_seconds(self) -> float:
        stat = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> int:
        self.proc.terminate()
        return self.proc.wait(timeout=30)


def busiest_others(exclude: set[int]) -> list[str]:
    """The five busiest processes other than ours, by CPU share over their lifetime."""
    out = subprocess.run(["ps", "-eo", "pid=,pcpu=,etime=,comm="], capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines():
        pid, pcpu, etime, comm = line.split(None, 3)
        if int(pid) not in exclude and float(pcpu) >= 1.0:
            rows.append((float(pcpu), f"{comm} ({pcpu}% over {etime})"))
    return [r for _, r in sorted(rows, reverse=True)[:5]]


def load(oha_bin: str, url: str, bodies: Path, seconds: int, connections: int) -> tuple[dict, float]:
    """One oha run; its JSON report and oha's own CPU seconds."""
    cmd = [oha_bin, "-z", f"{seconds}s", "-w", "-c", str(connections), "--no-tui",
           "--output-format", "json", "-m", "POST", "-T", "application/json", "-Z", str(bodies),
           f"{url}/v1/check"]
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"oha failed: {child.stderr.read().decode()}")
    return json.loads(out), usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--drafts", type=int, default=500)
    parser.add_argument("--features", default="",
                        help="cargo features of redline-cli to build with, e.g. mimalloc")
    args = parser.parse_args()
    bins = build(args.features)
    oha_bin = oha()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "xdg").mkdir()
        texts = drafts(bins / "redline-synth", tmp, args.drafts)
        bodies = tmp / "bodies.jsonl"
        bodies.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts))
        sizes = sorted(len(t.encode()) for t in texts)

        print(f"cores: {os.cpu_count()}   load average before: {os.getloadavg()}")
        others = busiest_others({os.getpid()})
        print("also running: " + ("; ".join(others) if others else "nothing busy"))
        server = Server(bins / "redline", tmp)
        idle = server.status()["VmRSS"]
        print(f"{len(texts)} drafts, {sizes[0]}-{sizes[-1]} bytes (median {statistics.median(sizes):.0f}), "
              f"{args.connections} keep-alive connections, {args.seconds} s per run, oha {OHA_VERSION}")
        load(oha_bin, server.url, bodies, 3, args.connections)  # warm-up

        peak_rss, results = 0, []
        for run in range(args.runs):
            sampling = True

            def sample():
                nonlocal peak_rss
                while sampling:
                    peak_rss = max(peak_rss, server.status()["VmRSS"])
                    time.sleep(0.1)

            sampler = threading.Thread(target=sample)
            sampler.start()
            cpu_before, started = server.cpu_seconds(), time.perf_counter()
            report, oha_cpu = load(oha_bin, server.url, bodies, args.seconds, args.connections)
            wall = time.perf_counter() - started
            server_cpu = server.cpu_seconds() - cpu_before
            sampling = False
            sampler.join()
            summary, pct = report["summary"], report["latencyPercentiles"]
            codes = report.get("statusCodeDistribution", {})
            checks = sum(codes.values())
            results.append((summary["requestsPerSec"], pct["p50"], pct["p99"]))
            print(f"run {run + 1}: {summary['requestsPerSec']:8.0f} checks/s   "
                  f"p50 {pct['p50'] * 1000:6.2f} ms   p90 {pct['p90'] * 1000:6.2f} ms   "
                  f"p99 {pct['p99'] * 1000:6.2f} ms   p99.9 {pct['p99.9'] * 1000:6.2f} ms   "
                  f"success {summary['successRate'] * 100:.2f}%   status {codes}   "
                  f"server CPU {server_cpu / wall:.2f} cores ({checks / max(server_cpu, 1e-9):.0f} checks per "
                  f"CPU-second)   oha CPU {oha_cpu / wall:.2f} cores")
        status = server.status()
        code = server.stop()
        rps, p50, p99 = (statistics.median(r[i] for r in results) for i in range(3))
        print(f"median of {args.runs} runs: {rps:.0f} checks/s, p50 {p50 * 1000:.2f} ms, p99 {p99 * 1000:.2f} ms")
        print(f"server memory: {idle / 1024:.1f} MB idle, {peak_rss / 1024:.1f} MB peak resident under load "
              f"(VmHWM {status['VmHWM'] / 1024:.1f} MB)")
        print(f"load average after: {os.getloadavg()}; server exit code after SIGTERM: {code}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
