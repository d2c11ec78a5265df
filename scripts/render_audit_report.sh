#!/usr/bin/env bash
# Renders the audit's HTML report for a generated mailbox in headless Chromium, to look at:
# writes target/audit-report/report.html and report.png. Installs Debian's chromium if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/audit-report
mkdir -p "$out"

if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then apt-get install -y -qq chromium; else sudo apt-get install -y -qq chromium; fi
fi

cargo build --release -q -p redline-cli -p redline-synth
target/release/redline-synth mailbox --seed 7 --messages 20000 --out "$out/mail"
target/release/redline audit "$out/mail/sent.mbox" --replies "$out/mail/replies.mbox" \
  --rollout 2026-02-01 --redact --html "$out/report.html" >/dev/null

profile="$(mktemp -d)"
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --window-size=1100,2400 \
  --screenshot="$(pwd)/$out/report.png" "file://$(pwd)/$out/report.html" 2>/dev/null
rm -rf "$profile"
echo "wrote $out/report.html and $out/report.png"
