//! Building and running the server: folders, database, router, listener, graceful shutdown.

use crate::config::{Config, MailConfig};
use app::accounts::caller::attach_caller;
use app::accounts::rate_limit::RateLimits;
use app::accounts::session_store::DbSessionStore;
use app::db::{Db, DbError};
use app::disputes::files::DocumentStore;
use app::notifications::mailer::Mailer;
use app::services::Services;
use axum::extract::{FromRef, State};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::future::Future;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::{time, SameSite};
use tower_sessions::session_store::ExpiredDeletion;
use tower_sessions::{Expiry, SessionManagerLayer};

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
    #[error("{variable}: {message}")]
    Mail { variable: &'static str, message: String },
}

/// What every handler can reach.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    /// Database, mailer, public URL, rate limits, session settings.
    pub services: Services,
}

/// The mailer the configuration asks for.
pub fn mailer(config: &Config) -> Result<Mailer, StartupError> {
    match &config.mail {
        MailConfig::Files { dir } => Mailer::files(dir.clone(), &config.mail_from),
        MailConfig::Smtp { url } => Mailer::smtp(url.as_str(), &config.mail_from),
    }
    .map_err(|error| StartupError::Mail { variable: "SMTP_URL", message: error.to_string() })
}

/// The merchants' documents: files under `DOCUMENT_DIR`, outside the web root.
pub fn document_store(config: &Config) -> Result<DocumentStore, StartupError> {
    DocumentStore::local(&config.document_dir).map_err(|error| StartupError::Folder {
        variable: "DOCUMENT_DIR",
        path: config.document_dir.display().to_string(),
        source: std::io::Error::other(error.to_string()),
    })
}

/// The session cookie: `__Host-` prefixed and Secure over HTTPS; HttpOnly and SameSite=Lax
/// always; ends after the idle timeout (requests push the end back: see `caller::touch`).
fn session_layer(services: &Services) -> SessionManagerLayer<DbSessionStore> {
    let https = services.is_https();
    let idle = time::Duration::seconds(services.idle_timeout.as_secs() as i64);
    SessionManagerLayer::new(DbSessionStore::new(services.db.clone()))
        .with_name(if https { "__Host-portal_session" } else { "portal_session" })
        .with_secure(https)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(idle))
}

/// Server functions (`/api/…`), with the same context as the pages.
async fn server_functions(State(state): State<AppState>, request: axum::extract::Request) -> axum::response::Response {
    let services = state.services.clone();
    leptos_axum::handle_server_fns_with_context(
        move || {
            provide_context(services.db.clone());
            provide_context(services.clone());
        },
        request,
    )
    .await
    .into_response()
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

/// Opens the database and brings its schema and its reference data (the network's reason
/// codes) up to date.
pub async fn open_database(config: &Config) -> Result<Db, StartupError> {
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    let mut connection = db.pool.acquire().await.map_err(DbError::from)?;
    app::disputes::reason_codes::store(&mut connection).await.map_err(DbError::from)?;
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

/// The pages' routes, generated once per process. Generating them renders the app with every
/// resource load suppressed through a process-wide flag (leptos_server's
/// `SuppressResourceLoad`): a resource first polled by a page being served meanwhile — by
/// another server in the same process, as in the tests — would wait forever (leptos issue
/// #4773). Every server built after the first reuses the list instead.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(app::App)).clone()
}

/// The whole HTTP surface: health, language switch, the pages, the built assets.
pub fn router(state: AppState) -> Router {
    let https = state.services.is_https();
    let routes = route_list();
    let context = state.services.clone();
    let shell_options = state.leptos_options.clone();
    let router = Router::new()
        .route("/healthz", get(crate::health::healthz))
        .route("/language", post(crate::language::switch))
        .route("/api/{*name}", axum::routing::any(server_functions))
        .merge(app::accounts::http::routes(&state.services))
        .merge(app::analytics::http::routes())
        .merge(app::disputes::http::routes())
        .merge(app::notifications::http::routes())
        .merge(app::money::http::routes())
        .merge(app::support::http::routes())
        .merge(app::api::http::routes())
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                provide_context(context.db.clone());
                provide_context(context.clone());
            },
            move || app::shell(shell_options.clone()),
        )
        .nest_service("/pkg", built_assets(&state.leptos_options))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(app::shell))
        .layer(axum::middleware::from_fn_with_state(state.services.clone(), attach_caller))
        .layer(session_layer(&state.services))
        .layer(axum::middleware::from_fn(crate::security::csrf_guard));
    let router = crate::security::header_layers(https).into_iter().fold(router, |router, layer| router.layer(layer));
    router.layer(TraceLayer::new_for_http()).with_state(state)
}

/// The built wasm, JS and CSS (`<site root>/pkg`), sent brotli- or gzip-encoded to clients that
/// accept it: the release build writes a `.br` and a `.gz` beside each file (`cargo leptos build
/// --release -P`); a file without them is sent as it is.
fn built_assets(options: &LeptosOptions) -> tower_http::services::ServeDir {
    let folder = Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    tower_http::services::ServeDir::new(folder).precompressed_br().precompressed_gzip()
}

/// A server bound to its port, ready to run.
pub struct Application {
    listener: TcpListener,
    router: Router,
    pub db: Db,
    pub services: Services,
    deadline_sweep: Option<Duration>,
    notify_interval: Option<Duration>,
    notify_lease: Duration,
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
        let services = Services {
            db: db.clone(),
            mailer: mailer(config)?,
            documents: document_store(config)?,
            public_url: config.public_url(bound),
            limits: Arc::new(RateLimits::new(config.auth_rate_limit, config.trusted_proxies.clone())),
            idle_timeout: Duration::from_secs(u64::from(config.session_idle_seconds)),
            live: Default::default(),
            chat: Arc::new(app::support::chat::settings::ChatSettings::new(
                config.chat_hours.clone(),
                config.support_phone.clone(),
                config.chat_clock,
            )),
            analytics: Arc::new(app::analytics::cache::AnalyticsCache::new(Duration::from_secs(u64::from(
                config.analytics_cache_seconds,
            )))),
        };
        let state =
            AppState { leptos_options: leptos_options(config, bound), db: db.clone(), services: services.clone() };
        let deadline_sweep =
            (config.deadline_sweep_seconds > 0).then(|| Duration::from_secs(u64::from(config.deadline_sweep_seconds)));
        let notify_interval =
            (config.notify_interval_ms > 0).then(|| Duration::from_millis(u64::from(config.notify_interval_ms)));
        let notify_lease = Duration::from_secs(u64::from(config.notify_lease_seconds));
        Ok(Application { listener, router: router(state), db, services, deadline_sweep, notify_interval, notify_lease })
    }

    /// The address actually bound (port 0 picks a free port).
    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("a bound listener has an address")
    }

    /// Serves until `shutdown` resolves, then finishes the requests in flight.
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        let housekeeping = tokio::spawn(housekeeping(self.services.clone()));
        let deadlines =
            self.deadline_sweep.map(|every| tokio::spawn(app::disputes::sweep::run(self.db.clone(), every)));
        let notifications = self.notify_interval.map(|every| {
            tokio::spawn(app::notifications::worker::run(self.services.clone(), every, self.notify_lease))
        });
        // Open pages' notification streams end when shutdown starts, instead of holding it open.
        let live = self.services.live.clone();
        let shutdown = async move {
            shutdown.await;
            live.close();
        };
        let served = axum::serve(self.listener, self.router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(shutdown)
            .await;
        housekeeping.abort();
        for worker in [deadlines, notifications].into_iter().flatten() {
            worker.abort();
        }
        served
    }
}

/// Every few minutes: deletes expired sessions, forgets clients the rate limit no longer needs and
/// deletes stored documents that no response recorded.
async fn housekeeping(services: Services) {
    let store = DbSessionStore::new(services.db.clone());
    // The first round comes one period after start-up, not at once: at start-up its writes
    // would race the demo seed's transaction (on SQLite a read transaction that must then write
    // fails at once when another connection is writing).
    let period = Duration::from_secs(300);
    let mut every = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    loop {
        every.tick().await;
        if let Err(error) = store.delete_expired().await {
            tracing::warn!(%error, "cannot delete expired sessions");
        }
        services.limits.forget_idle_clients();
        // Files of responses that never committed, once no submission can still be under way.
        match app::disputes::files::delete_orphans(&services.documents, &services.db, Duration::from_secs(3600)).await {
            Ok(0) => {}
            Ok(deleted) => tracing::info!(deleted, "deleted documents no response recorded"),
            Err(error) => tracing::warn!(%error, "cannot check the document store for orphans"),
        }
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
