//! The command line: `serve` (default), `migrate`, `seed`.

use crate::config::Config;
use crate::seed::{self, SeedSize};
use crate::startup::{self, Application, StartupError};
use chrono::NaiveDate;
use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "server", about = "The card merchants' dispute portal", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the portal (the default). Configuration comes from environment variables.
    Serve {
        /// Load the demo data when the database is empty, and print the demo logins.
        #[arg(long)]
        demo: bool,
    },
    /// Apply the database migrations and exit.
    Migrate,
    /// Load demo data into an empty database (or add the benchmark establishment).
    Seed {
        /// `demo`: the demo organisations; `bench`: also one establishment with 1,000,000
        /// transactions and 100,000 disputes.
        #[arg(long, value_enum, default_value_t = SeedSize::Demo)]
        size: SeedSize,
        /// The day the data is generated around (Paris date); default today.
        #[arg(long)]
        today: Option<NaiveDate>,
    },
}

/// Runs one command to completion.
pub async fn run(cli: Cli) -> Result<(), StartupError> {
    let config = Config::from_env()?;
    match cli.command.unwrap_or(Command::Serve { demo: false }) {
        Command::Serve { demo } => serve(&config, demo).await,
        Command::Migrate => {
            startup::ensure_folders(&config)?;
            startup::open_database(&config).await?;
            println!("migrations applied to {}", app::db::redact(&config.database_url));
            Ok(())
        }
        Command::Seed { size, today } => {
            startup::ensure_folders(&config)?;
            let db = startup::open_database(&config).await?;
            let today = today.unwrap_or_else(app::clock::paris_today);
            let started = std::time::Instant::now();
            let report = seed::run(&db, size, today).await?;
            // SQLite: fold the write-ahead log into the database before the server opens it (a
            // large seed otherwise leaves a log of its own size, which every read then consults).
            if db.engine == app::db::Engine::Sqlite {
                if let Err(error) = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&db.pool).await {
                    tracing::warn!(%error, "the seed's write-ahead log was not folded into the database");
                }
            }
            db.pool.close().await;
            save_codes(&config, &report);
            println!("{report}");
            println!("seed finished in {:.1} s", started.elapsed().as_secs_f64());
            Ok(())
        }
    }
}

/// Keeps the plain codes a seed issued in the data folder; a failure is reported, not fatal.
fn save_codes(config: &Config, report: &seed::SeedReport) {
    if let Err(error) = report.save_codes(&config.data_dir) {
        tracing::warn!(%error, "cannot keep the demo activation codes in the data folder");
    }
}

async fn serve(config: &Config, demo: bool) -> Result<(), StartupError> {
    let application = Application::build(config).await?;
    if demo {
        let db = &application.db;
        if db.is_empty().await.map_err(|error| StartupError::Database(error.into()))? {
            let report = seed::run(db, SeedSize::Demo, app::clock::paris_today()).await?;
            save_codes(config, &report);
            println!("{report}");
        } else {
            println!("{}", seed::demo_credentials());
            // The codes cannot be recomputed from their hashes: print those the seed kept.
            if let Ok(codes) = std::fs::read_to_string(seed::codes_file(&config.data_dir)) {
                print!("{codes}");
            }
        }
    }
    if !startup::site_is_built(config) {
        tracing::warn!(site_root = %config.site_root.display(), "front end not built: pages will not hydrate (run cargo leptos build)");
    }
    let addr = application.local_addr();
    println!("listening on http://{addr}");
    tracing::info!(%addr, public_url = %config.public_url(addr), "portal started");
    application.run_until(startup::shutdown_signal()).await.map_err(|source| StartupError::Listen { addr, source })
}
