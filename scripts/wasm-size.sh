#!/usr/bin/env bash
# Reports the release wasm's size (after wasm-opt, before compression) and its brotli size, and
# fails above 400,000 bytes (the target is 300,000: the wasm holds the islands only). Also checks
# that the build wrote the precompressed copies the server sends. Run after
# `cargo leptos build --release --precompress`.
set -euo pipefail
cd "$(dirname "$0")/.."
wasm="target/site/pkg/portal.wasm"
[ -f "$wasm" ] || { echo "error: $wasm is missing: run cargo leptos build --release" >&2; exit 1; }
raw=$(stat -c %s "$wasm")
brotli=$(node -e 'const z=require("zlib");const b=require("fs").readFileSync(process.argv[1]);process.stdout.write(String(z.brotliCompressSync(b,{params:{[z.constants.BROTLI_PARAM_QUALITY]:11}}).length))' "$wasm")
awk -v raw="$raw" -v br="$brotli" 'BEGIN { printf "release wasm: %d bytes (%.1f KiB) after wasm-opt; brotli: %d bytes (%.1f KiB)\n", raw, raw / 1024, br, br / 1024 }'
target=300000
limit=400000
if [ "$raw" -gt "$limit" ]; then
  echo "error: the release wasm is $raw bytes, over the $limit-byte budget" >&2
  exit 1
fi
[ "$raw" -le "$target" ] || echo "warning: the release wasm is over its $target-byte target" >&2
for file in "$wasm" target/site/pkg/portal.js target/site/pkg/portal.css; do
  for encoded in "$file.br" "$file.gz"; do
    [ -f "$encoded" ] || { echo "error: $encoded is missing: build with --precompress" >&2; exit 1; }
  done
done
