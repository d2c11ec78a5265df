#!/usr/bin/env bash
# Builds redline.vsix: the redline binary for this machine (unless --no-bundle), the bundled
# extension, its tests. Run from anywhere; needs cargo, Node 20 and npm.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
repo="$(cd "$here/../.." && pwd)"

bundle=1
for arg in "$@"; do
  case "$arg" in
    --no-bundle) bundle=0 ;;
    *) echo "usage: $0 [--no-bundle]" >&2; exit 2 ;;
  esac
done

rm -rf "$here/server"
if [ "$bundle" = 1 ]; then
  echo "== building redline (release)"
  (cd "$repo" && cargo build --release --locked -p redline-cli)
  mkdir -p "$here/server"
  cp "$repo/target/release/redline" "$here/server/redline"
fi

cd "$here"
echo "== npm ci"
npm ci --no-audit --no-fund
echo "== tests"
npm test
echo "== package"
npm run package
echo "built $here/redline.vsix"
