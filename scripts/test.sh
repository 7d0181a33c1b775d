#!/usr/bin/env bash
# Runs every test: unit and integration tests on SQLite, the integration tests again on
# PostgreSQL (a fresh database per test), then the release build and the browser tests in
# headless Chromium, and the wasm size budget. Installs missing tools first. Fails if any part fails.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/tools.sh chromium
# Every failure below must fail the run: make sure the tool installer left errexit on.
[[ $- == *e* ]] || { echo "error: errexit was switched off; test failures would go unnoticed" >&2; exit 1; }

# A fresh CI checkout gains nothing from incremental caches; they only cost disk and time.
if [ -n "${CI:-}" ]; then export CARGO_INCREMENTAL=0; fi

export TEST_POSTGRES_URL="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}"
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  echo "==> starting PostgreSQL" >&2
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
# Databases left by an interrupted earlier run.
psql "$TEST_POSTGRES_URL/postgres" -Atqc "SELECT datname FROM pg_database WHERE datname LIKE 'portal_test_%'" \
  | while read -r stale; do psql "$TEST_POSTGRES_URL/postgres" -qc "DROP DATABASE IF EXISTS $stale" >/dev/null; done

# The browser crate enables `hydrate`; the server side enables `ssr`: never in one build.
packages=(-p app -p server -p portal-tests)

echo "==> formatting (cargo fmt --check)" >&2
cargo fmt --all --check

echo "==> unit and integration tests on SQLite" >&2
TEST_DATABASE=sqlite cargo test "${packages[@]}"

echo "==> integration tests on PostgreSQL" >&2
TEST_DATABASE=postgres cargo test -p portal-tests

echo "==> release build (server and wasm)" >&2
cargo leptos build --release --precompress
scripts/wasm-size.sh

echo "==> browser and process tests on the release build (headless Chromium; the server killed and restarted)" >&2
cargo test -p portal-tests --test suite -- --ignored --test-threads 1

psql "$TEST_POSTGRES_URL/postgres" -Atqc "SELECT datname FROM pg_database WHERE datname LIKE 'portal_test_%'" \
  | while read -r stale; do psql "$TEST_POSTGRES_URL/postgres" -qc "DROP DATABASE IF EXISTS $stale" >/dev/null; done
echo "==> all tests passed" >&2
