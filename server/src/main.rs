//! The `server` command: `serve` (default), `migrate`, `seed`. A failure ends with one line on
//! standard error naming the problem and a non-zero exit status, never a backtrace.

use clap::Parser;
use server::cli::Cli;
use std::process::ExitCode;

/// mimalloc instead of glibc's allocator: page rendering allocates many small strings, and
/// under concurrent load glibc's malloc and free took about a seventh of the server's time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    server::telemetry::init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(server::cli::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
