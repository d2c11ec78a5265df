#!/usr/bin/env python3
"""Measures `redline lsp` as an editor sees it, over stdio.

Keystroke-to-diagnostics: a ~20 KB draft is opened, then single-character incremental edits
are sent one at a time, a typist's pause apart; each is timed from the didChange to the
publishDiagnostics for that version. Hover: requests over a finding once the draft has settled. Burst: edits sent back to back (a paste, or a fast typist
on a slow machine), timed from the last edit to the diagnostics for it, counting how many
checks the server published on the way (coalescing). Memory: the server's resident set after
the session goes idle. Reports medians.

    python3 scripts/bench_lsp.py [--edits N] [--pause-ms MS] [--burst N]
"""

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--pause-ms", type=float, default=50.0,
                        help="pause between a publish and the next keystroke")
    parser.add_argument("--burst", type=int, default=50, help="edits per back-to-back burst")
    args = parser.parse_args()
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "redline-cli", "-p", "redline-synth"], cwd=ROOT, check=True)
    bins = ROOT / "target" / "release"
    text = subprocess.run([str(bins / "redline-synth"), "text", "--seed", "11", "--bytes", "20000"],
                          capture_output=True, text=True, check=True).stdout
    server = subprocess.Popen([str(bins / "redline"), "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def send(message):
        body = json.dumps(message).encode()
        server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        server.stdin.flush()

    def read():
        header = b""
        while not header.endswith(b"\r\n\r\n"):
            header += server.stdout.read(1)
        length = int(header.split(b"Content-Length: ")[1].split(b"\r\n")[0])
        return json.loads(server.stdout.read(length))

    def wait_for(pred):
        while True:
            m = read()
            if m.get("method") and "id" in m:
                send({"jsonrpc": "2.0", "id": m["id"], "result": None})
            elif pred(m):
                return m

    uri = "file:///tmp/bench-draft.txt"
    send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None, "capabilities": {}}})
    wait_for(lambda m: m.get("id") == 1)
    send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
          "params": {"textDocument": {"uri": uri, "languageId": "plaintext", "version": 1, "text": text}}})
    wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics")
    lines = text.split("\n")

    def edit(version):
        line = (version * 7) % len(lines)
        send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": {"line": line, "character": 0},
                                          "end": {"line": line, "character": 0}}, "text": "x"}]}})

    def published(version):
        return lambda m: (m.get("method") == "textDocument/publishDiagnostics"
                          and m["params"].get("version") == version)

    times = []
    version = 1
    for _ in range(args.edits):
        time.sleep(args.pause_ms / 1000)
        version += 1
        start = time.perf_counter()
        edit(version)
        last = wait_for(published(version))
        times.append(time.perf_counter() - start)

    hovers = []
    at = last["params"]["diagnostics"][0]["range"]["start"]
    for i in range(100):
        start = time.perf_counter()
        send({"jsonrpc": "2.0", "id": 1000 + i, "method": "textDocument/hover",
              "params": {"textDocument": {"uri": uri}, "position": at}})
        wait_for(lambda m, i=i: m.get("id") == 1000 + i)
        hovers.append(time.perf_counter() - start)

    bursts, checks = [], []
    for _ in range(10):
        time.sleep(0.2)
        first = version + 1
        for _ in range(args.burst):
            version += 1
            edit(version)
        start = time.perf_counter()
        seen = []
        wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                 and (seen.append(m["params"].get("version")) or m["params"].get("version") == version))
        bursts.append(time.perf_counter() - start)
        checks.append(sum(1 for v in seen if v is not None and v >= first))
    time.sleep(1.0)
    rss_kb = int(next(l for l in Path(f"/proc/{server.pid}/status").read_text().splitlines()
                      if l.startswith("VmRSS")).split()[1])
    send({"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": None})
    wait_for(lambda m: m.get("id") == 2)
    send({"jsonrpc": "2.0", "method": "exit", "params": None})
    server.wait(timeout=10)
    times.sort()
    print(f"draft {len(text.encode())} bytes, {args.edits} single-character edits "
          f"{args.pause_ms:.0f} ms apart")
    print(f"keystroke to diagnostics: median {statistics.median(times) * 1000:.2f} ms, "
          f"p90 {times[int(len(times) * 0.9)] * 1000:.2f} ms")
    print(f"hover on a finding: median {statistics.median(hovers) * 1000:.2f} ms")
    print(f"burst of {args.burst} edits, last edit to diagnostics: median "
          f"{statistics.median(bursts) * 1000:.2f} ms; diagnostics published per burst: "
          f"median {statistics.median(checks):.0f}")
    print(f"resident memory when idle: {rss_kb / 1024:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
