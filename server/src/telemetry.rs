//! Logging and request tracing: `RUST_LOG` filters (default `info`), output on standard error.

use std::io::IsTerminal;
use tracing_subscriber::EnvFilter;

/// Installs the log subscriber once; later calls (tests) are no-ops.
pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}
