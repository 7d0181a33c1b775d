#!/usr/bin/env bash
# Reports the release wasm's size (after wasm-opt, before compression) and its brotli size, and
# fails when the wasm reaches 1 MB. Run after `cargo leptos build --release`.
set -euo pipefail
cd "$(dirname "$0")/.."
wasm="target/site/pkg/portal.wasm"
[ -f "$wasm" ] || { echo "error: $wasm is missing: run cargo leptos build --release" >&2; exit 1; }
raw=$(stat -c %s "$wasm")
brotli=$(node -e 'const z=require("zlib");const b=require("fs").readFileSync(process.argv[1]);process.stdout.write(String(z.brotliCompressSync(b,{params:{[z.constants.BROTLI_PARAM_QUALITY]:11}}).length))' "$wasm")
awk -v raw="$raw" -v br="$brotli" 'BEGIN { printf "release wasm: %d bytes (%.1f KiB) after wasm-opt; brotli: %d bytes (%.1f KiB)\n", raw, raw / 1024, br, br / 1024 }'
limit=1000000
if [ "$raw" -ge "$limit" ]; then
  echo "error: the release wasm is $raw bytes, over the 1 MB budget" >&2
  exit 1
fi
