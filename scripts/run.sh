#!/usr/bin/env bash
# Builds the portal (release) and serves it with demo data on SQLite at http://127.0.0.1:3000.
# Installs missing build tools first. The demo logins are printed when it starts.
# Set LISTEN_ADDR, DATA_DIR, DATABASE_URL… to change the defaults (see README).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/tools.sh
cargo leptos build --release --precompress
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
exec target/release/server serve --demo
