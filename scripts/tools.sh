# shellcheck shell=bash
# Installs what building and testing need, skipping whatever is already there. Source it:
#   source scripts/tools.sh            # build tools: wasm target, cargo-leptos, wasm-bindgen, wasm-opt;
#                                      # aiosmtpd (a real SMTP server) for the notification tests,
#                                      # schemathesis for the API's contract test
#   source scripts/tools.sh chromium   # the same, plus Debian's Chromium and axe-core for browser tests
#   source scripts/tools.sh lighthouse # the same as chromium, plus Lighthouse (for scripts/bench.sh)
# It puts the tools folder's wasm-opt first on PATH (Debian's binaryen 108 breaks hydration).
# Sourced: the caller's shell options are saved here and restored at the end, so a caller's
# `set -e` stays on (turning it off would let a failing test run report success).
# (Read from `$-` and `shopt`: a `$(set +o)` subshell does not inherit errexit and would lie.)
portal_tools_restore=""
[[ $- == *e* ]] || portal_tools_restore+="set +e;"
[[ $- == *u* ]] || portal_tools_restore+="set +u;"
shopt -qo pipefail || portal_tools_restore+="set +o pipefail;"
set -euo pipefail

PORTAL_TOOLS_DIR="${PORTAL_TOOLS_DIR:-$HOME/.local/share/portal-tools}"
CARGO_LEPTOS_VERSION="0.3.10"
BINARYEN_VERSION="132"

say() { printf '==> %s\n' "$*" >&2; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 15 minutes, once)"
  cargo install cargo-leptos --locked --version "$CARGO_LEPTOS_VERSION" --features no_downloads
fi

# wasm-bindgen's command must be exactly the version in Cargo.lock (pinned in Cargo.toml).
wasm_bindgen_version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)"
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wasm_bindgen_version" ]; then
  say "installing wasm-bindgen-cli $wasm_bindgen_version"
  # Not --locked: its lock file names a crate version the registry lacks.
  cargo install wasm-bindgen-cli --version "$wasm_bindgen_version" --force
fi

if ! "$PORTAL_TOOLS_DIR/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q "version $BINARYEN_VERSION"; then
  say "installing binaryen@$BINARYEN_VERSION (wasm-opt) into $PORTAL_TOOLS_DIR"
  mkdir -p "$PORTAL_TOOLS_DIR"
  (cd "$PORTAL_TOOLS_DIR" && npm install --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION")
fi
export PATH="$PORTAL_TOOLS_DIR/node_modules/.bin:$PATH"

# axe-core, the accessibility rules the browser tests run on every page they visit.
AXE_CORE_VERSION="4.14.1"
if [ "$(node -p "require('$PORTAL_TOOLS_DIR/node_modules/axe-core/package.json').version" 2>/dev/null)" != "$AXE_CORE_VERSION" ]; then
  say "installing axe-core@$AXE_CORE_VERSION into $PORTAL_TOOLS_DIR"
  mkdir -p "$PORTAL_TOOLS_DIR"
  (cd "$PORTAL_TOOLS_DIR" && npm install --no-audit --no-fund --silent "axe-core@$AXE_CORE_VERSION")
fi
export AXE_CORE_JS="$PORTAL_TOOLS_DIR/node_modules/axe-core/axe.min.js"

# A real SMTP server for the notification tests (aiosmtpd, from PyPI, in its own venv).
AIOSMTPD_VERSION="1.4.6"
if ! "$PORTAL_TOOLS_DIR/python/bin/python" -c "import aiosmtpd, sys; sys.exit(aiosmtpd.__version__ != '$AIOSMTPD_VERSION')" 2>/dev/null; then
  say "installing aiosmtpd $AIOSMTPD_VERSION into $PORTAL_TOOLS_DIR/python"
  python3 -m venv "$PORTAL_TOOLS_DIR/python"
  "$PORTAL_TOOLS_DIR/python/bin/pip" install --quiet --disable-pip-version-check "aiosmtpd==$AIOSMTPD_VERSION"
fi
export PORTAL_PYTHON="$PORTAL_TOOLS_DIR/python/bin/python"

# schemathesis, the gateway API's contract test (requests generated from its OpenAPI document),
# in the same venv.
SCHEMATHESIS_VERSION="4.32.5"
if ! "$PORTAL_TOOLS_DIR/python/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('schemathesis') != '$SCHEMATHESIS_VERSION')" 2>/dev/null; then
  say "installing schemathesis $SCHEMATHESIS_VERSION into $PORTAL_TOOLS_DIR/python"
  "$PORTAL_TOOLS_DIR/python/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi
export SCHEMATHESIS="$PORTAL_TOOLS_DIR/python/bin/st"

if { [ "${1:-}" = "chromium" ] || [ "${1:-}" = "lighthouse" ]; } && ! command -v chromium >/dev/null 2>&1; then
  say "installing Debian's chromium"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

# Lighthouse, run on Debian's Chromium: it drives the browser it is given and downloads none
# (its puppeteer is puppeteer-core; the variable guards against a dependency that would).
LIGHTHOUSE_VERSION="13.5.0"
if [ "${1:-}" = "lighthouse" ]; then
  if [ "$("$PORTAL_TOOLS_DIR/node_modules/.bin/lighthouse" --version 2>/dev/null)" != "$LIGHTHOUSE_VERSION" ]; then
    say "installing lighthouse@$LIGHTHOUSE_VERSION into $PORTAL_TOOLS_DIR"
    mkdir -p "$PORTAL_TOOLS_DIR"
    (cd "$PORTAL_TOOLS_DIR" && PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund --silent "lighthouse@$LIGHTHOUSE_VERSION")
  fi
  export LIGHTHOUSE="$PORTAL_TOOLS_DIR/node_modules/.bin/lighthouse"
fi

eval "$portal_tools_restore"
unset portal_tools_restore
