//! Building and running the server: folders, database, router, listener, graceful shutdown.

use crate::config::Config;
use app::db::{Db, DbError};
use axum::extract::FromRef;
use axum::routing::{get, post};
use axum::Router;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::future::Future;
use std::net::SocketAddr;
use std::path::Path;
use tokio::net::TcpListener;
use tower_http::trace::TraceLayer;

/// Why the server could not start; `Display` is the one line the user sees.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error(transparent)]
    Database(#[from] DbError),
    #[error("{variable}: cannot write to the folder {path}: {source}")]
    Folder { variable: &'static str, path: String, source: std::io::Error },
    #[error("LISTEN_ADDR: cannot listen on {addr}: {source}")]
    Listen { addr: SocketAddr, source: std::io::Error },
    #[error("demo data: {0}")]
    Seed(#[from] crate::seed::SeedError),
}

/// What every handler can reach.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    /// How users reach the portal (decides HSTS).
    pub public_url: url::Url,
}

/// Creates each folder the server writes to and proves it is writable.
pub fn ensure_folders(config: &Config) -> Result<(), StartupError> {
    for (variable, path) in config.writable_folders() {
        let folder_error = |source| StartupError::Folder { variable, path: path.display().to_string(), source };
        std::fs::create_dir_all(&path).map_err(folder_error)?;
        let probe = path.join(".write-check");
        std::fs::write(&probe, b"ok").map_err(folder_error)?;
        let _ = std::fs::remove_file(probe);
    }
    Ok(())
}

/// Opens the database and brings its schema up to date.
pub async fn open_database(config: &Config) -> Result<Db, StartupError> {
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    Ok(db)
}

fn leptos_options(config: &Config, addr: SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("portal")
        .site_root(config.site_root.display().to_string())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .build()
}

/// The whole HTTP surface: health, language switch, the pages, the built assets.
pub fn router(state: AppState) -> Router {
    let https = state.public_url.scheme() == "https";
    let routes = generate_route_list(app::App);
    let context_db = state.db.clone();
    let shell_options = state.leptos_options.clone();
    let router = Router::new()
        .route("/healthz", get(crate::health::healthz))
        .route("/language", post(crate::language::switch))
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(context_db.clone()),
            move || app::shell(shell_options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(app::shell))
        .layer(axum::middleware::from_fn(crate::security::csrf_guard));
    let router = crate::security::header_layers(https).into_iter().fold(router, |router, layer| router.layer(layer));
    router.layer(TraceLayer::new_for_http()).with_state(state)
}

/// A server bound to its port, ready to run.
pub struct Application {
    listener: TcpListener,
    router: Router,
    pub db: Db,
}

impl Application {
    /// Checks folders, opens and migrates the database, binds the listener.
    pub async fn build(config: &Config) -> Result<Application, StartupError> {
        ensure_folders(config)?;
        let db = open_database(config).await?;
        Application::build_with(config, db).await
    }

    /// Binds the listener for an already opened database.
    pub async fn build_with(config: &Config, db: Db) -> Result<Application, StartupError> {
        let addr = config.listen_addr;
        let listener = TcpListener::bind(addr).await.map_err(|source| StartupError::Listen { addr, source })?;
        let bound = listener.local_addr().map_err(|source| StartupError::Listen { addr, source })?;
        let state = AppState { leptos_options: leptos_options(config, bound), db: db.clone(), public_url: config.public_url(bound) };
        Ok(Application { listener, router: router(state), db })
    }

    /// The address actually bound (port 0 picks a free port).
    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("a bound listener has an address")
    }

    /// Serves until `shutdown` resolves, then finishes the requests in flight.
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        axum::serve(self.listener, self.router.into_make_service()).with_graceful_shutdown(shutdown).await
    }
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

/// Whether the front end (wasm) has been built into the site root; without it pages render but
/// never hydrate, so start-up warns.
pub fn site_is_built(config: &Config) -> bool {
    Path::new(&config.site_root).join("pkg").join("portal.wasm").exists()
}
