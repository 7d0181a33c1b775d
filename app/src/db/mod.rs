//! The database: one `sqlx::Any` pool over SQLite (the embedded default) or PostgreSQL.
//!
//! Queries are written once with `$1` placeholders, which both engines accept; SQL whose shape
//! depends on the request is built by [`Sql`], which numbers them. The few statements that
//! differ between engines branch on [`Db::engine`]. Column conventions (minor
//! units, Unix seconds, TEXT dates) are in `migrations/README.md`.

#[cfg(test)]
mod schema_twins;
mod sql;

pub(crate) use sql::Sql;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyPool, ConnectOptions, Connection, Executor, Transaction};
use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

/// Which database engine a pool talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// A connection pool and the engine behind it; cheap to clone.
#[derive(Debug, Clone)]
pub struct Db {
    pub pool: AnyPool,
    /// The pool [`Db::write`] opens transactions on: one connection on SQLite (see there), the
    /// same pool on PostgreSQL.
    writes: AnyPool,
    pub engine: Engine,
    /// On SQLite, the turn to write: held by [`Write`] from before its connection is taken until
    /// it ends (see [`Db::write`]). Shared by every clone of this `Db`.
    writer: Arc<tokio::sync::Mutex<()>>,
}

/// A write transaction opened by [`Db::write`]. It derefs to the `sqlx` transaction, so
/// functions taking `&mut Transaction<'_, Any>` take `&mut write` as they are; dropped without
/// [`Write::commit`] it rolls back. On SQLite it also holds the process's turn to write.
#[derive(Debug)]
pub struct Write {
    // Declared first so that it is dropped (its rollback queued) before the turn is released.
    transaction: Transaction<'static, Any>,
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl Write {
    /// Commits, then lets the next writer in.
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.transaction.commit().await
    }

    /// Rolls back now (dropping a `Write` only queues the rollback), then lets the next writer in.
    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.transaction.rollback().await
    }
}

impl Deref for Write {
    type Target = Transaction<'static, Any>;

    fn deref(&self) -> &Self::Target {
        &self.transaction
    }
}

impl DerefMut for Write {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.transaction
    }
}

/// Why the database could not be opened; each message names what to fix.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("DATABASE_URL must start with sqlite: or postgres:, got {0:?}")]
    UnsupportedUrl(String),
    #[error("DATABASE_URL is not a valid database URL ({0})")]
    InvalidUrl(String),
    #[error("cannot create the database folder {path}: {source}")]
    Folder { path: PathBuf, source: std::io::Error },
    #[error("cannot open the {engine} database at {target}: {reason}")]
    Unreachable { engine: &'static str, target: String, reason: String },
    #[error("database migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Query(#[from] sqlx::Error),
}

/// How long start-up waits for the database before giving up with a clear message.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

impl Engine {
    /// The engine a `DATABASE_URL` names.
    pub fn from_url(url: &str) -> Result<Engine, DbError> {
        if url.starts_with("sqlite:") {
            Ok(Engine::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Engine::Postgres)
        } else {
            Err(DbError::UnsupportedUrl(redact(url)))
        }
    }

    fn name(self) -> &'static str {
        match self {
            Engine::Sqlite => "SQLite",
            Engine::Postgres => "PostgreSQL",
        }
    }
}

/// The URL with any password replaced, fit for logs and error messages.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

/// The SQLite file a URL names, if any (`sqlite://data/portal.db`, `sqlite:data/portal.db`).
fn sqlite_file(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(path))
}

/// Adds `mode=rwc` (create if missing) to a SQLite URL that sets no mode.
fn sqlite_url_creating(url: &str) -> String {
    if url.contains("mode=") || url.contains(":memory:") {
        url.to_owned()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    }
}

impl Db {
    /// Opens a pool on `url`, creating the SQLite file and its folder if needed. A bad URL, an
    /// unreachable server or an unwritable folder ends here with an error naming the problem.
    pub async fn connect(url: &str) -> Result<Db, DbError> {
        sqlx::any::install_default_drivers();
        let engine = Engine::from_url(url)?;
        let url = match engine {
            Engine::Sqlite => {
                if let Some(parent) = sqlite_file(url).as_deref().and_then(Path::parent) {
                    if !parent.as_os_str().is_empty() {
                        std::fs::create_dir_all(parent)
                            .map_err(|source| DbError::Folder { path: parent.to_owned(), source })?;
                    }
                }
                sqlite_url_creating(url)
            }
            Engine::Postgres => url.to_owned(),
        };
        let options = AnyConnectOptions::from_str(&url).map_err(|e| DbError::InvalidUrl(e.to_string()))?;
        let options = options.disable_statement_logging();

        // One direct connection first: its error says what is wrong (refused, unknown host,
        // authentication, read-only file) where a pool would only report a timeout.
        let unreachable = |reason: String| DbError::Unreachable { engine: engine.name(), target: redact(&url), reason };
        match tokio::time::timeout(CONNECT_TIMEOUT, sqlx::AnyConnection::connect_with(&options)).await {
            Err(_) => return Err(unreachable(format!("no answer within {} s", CONNECT_TIMEOUT.as_secs()))),
            Ok(Err(error)) => return Err(unreachable(error.to_string())),
            Ok(Ok(connection)) => {
                let _ = connection.close().await;
            }
        }

        let readers = match engine {
            // Each SQLite connection is a thread of its own: more of them than twice the
            // cores only adds switching between threads (reads are CPU-bound, one write at a
            // time), which measurably slowed pages under load on two cores.
            Engine::Sqlite => {
                std::thread::available_parallelism().map_or(4, |cores| (2 * cores.get()).clamp(4, 8)) as u32
            }
            Engine::Postgres => 16,
        };
        let pool_of = |size: u32| {
            AnyPoolOptions::new()
                .max_connections(size)
                .acquire_timeout(CONNECT_TIMEOUT)
                // An embedded SQLite connection cannot be dropped by a server or a network, so the
                // ping sqlx sends before lending each connection is a wasted trip to the connection's
                // thread (a measurable share of a page's time). PostgreSQL keeps it: a connection
                // the server closed is found before a request uses it.
                .test_before_acquire(engine == Engine::Postgres)
                .after_connect(move |connection, _meta| {
                    Box::pin(async move {
                        if engine == Engine::Sqlite {
                            // WAL lets readers work beside the one writer; the busy timeout makes a
                            // second writer wait instead of failing: another process's, or a single
                            // statement run outside `Db::write` (this process's transactions take
                            // turns before they reach the file lock).
                            connection
                                .execute(
                                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                                 PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
                                )
                                .await?;
                        }
                        Ok(())
                    })
                })
                .after_release(move |connection, _meta| {
                    Box::pin(async move {
                        if !connection.is_in_transaction() {
                            return Ok(true);
                        }
                        // A dropped `Transaction` only queues its ROLLBACK: until the connection is
                        // used again the database still sees a transaction holding its locks (on
                        // PostgreSQL, "idle in transaction", blocking every writer of those rows).
                        // The ping sends the queued rollback now. And a request cancelled inside
                        // `begin_with` after SQLite ran the BEGIN (sqlx 0.8.6 awaits once more
                        // there) returns a connection that holds the write lock with no
                        // `Transaction` to end it; every later writer would time out. Such a
                        // connection, still in a transaction after the ping, is closed, which rolls
                        // it back (the common case, no transaction at all, costs no round trip).
                        connection.ping().await?;
                        Ok(!connection.is_in_transaction())
                    })
                })
        };
        let pool = pool_of(readers).connect_with(options.clone()).await.map_err(|e| unreachable(e.to_string()))?;
        // On SQLite the write transactions have a connection of their own, so that a writer,
        // which holds the turn to write, never waits for a connection behind the readers.
        let writes = match engine {
            Engine::Sqlite => pool_of(1).connect_with(options).await.map_err(|e| unreachable(e.to_string()))?,
            Engine::Postgres => pool.clone(),
        };
        Ok(Db { pool, writes, engine, writer: Arc::default() })
    }

    /// Applies the migrations of this engine that have not run yet.
    pub async fn migrate(&self) -> Result<(), DbError> {
        match self.engine {
            Engine::Sqlite => sqlx::migrate!("../migrations/sqlite").run(&self.pool).await?,
            Engine::Postgres => sqlx::migrate!("../migrations/postgres").run(&self.pool).await?,
        }
        Ok(())
    }

    /// Whether the portal holds no organisation yet (the demo data loads only then).
    pub async fn is_empty(&self) -> Result<bool, sqlx::Error> {
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM organisations").fetch_one(&self.pool).await?;
        Ok(count == 0)
    }

    /// Opens a write transaction; every transaction that writes starts here. Never call it
    /// while holding a [`Write`] (on SQLite the second would wait for the first forever).
    ///
    /// On SQLite it is `BEGIN IMMEDIATE`: the write lock is taken at the start, waiting on the
    /// busy timeout while another connection writes. A plain (deferred) `BEGIN` starts as a
    /// reader; when it then writes after another connection has committed, its snapshot is stale
    /// and SQLite fails at once with `SQLITE_BUSY_SNAPSHOT` ("database is locked", code 517)
    /// instead of waiting.
    ///
    /// SQLite has one writer at a time anyway, so this process's writers also take turns on a
    /// fair lock, before taking a connection: a waiting writer then holds no pool connection
    /// (eight of them, which readers need too), and writers go first come, first served instead
    /// of polling the file lock in SQLite's busy handler, where one can lose every race until its
    /// busy timeout ends in an error. The busy timeout still covers other processes (a `seed`
    /// run, a second server) and single-statement writes made outside a transaction.
    ///
    /// On PostgreSQL an ordinary `BEGIN`: row locks (`FOR UPDATE`) order the writers there.
    pub async fn write(&self) -> Result<Write, sqlx::Error> {
        match self.engine {
            Engine::Sqlite => {
                let turn = self.writer.clone().lock_owned().await;
                let transaction = self.writes.begin_with("BEGIN IMMEDIATE").await?;
                Ok(Write { transaction, _turn: Some(turn) })
            }
            Engine::Postgres => Ok(Write { transaction: self.pool.begin().await?, _turn: None }),
        }
    }

    /// A trivial round trip, for `/healthz`.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_follows_the_url_scheme() {
        assert_eq!(Engine::from_url("sqlite://data/portal.db").unwrap(), Engine::Sqlite);
        assert_eq!(Engine::from_url("postgres://postgres@127.0.0.1/portal").unwrap(), Engine::Postgres);
        assert_eq!(Engine::from_url("postgresql://h/db").unwrap(), Engine::Postgres);
        let error = Engine::from_url("mysql://root@h/db").unwrap_err().to_string();
        assert!(error.contains("DATABASE_URL"), "{error}");
    }

    #[test]
    fn passwords_never_reach_messages() {
        let shown = redact("postgres://portal:s3cret@db.example/portal");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("***"));
    }

    #[test]
    fn sqlite_urls_name_their_file_and_create_it() {
        assert_eq!(sqlite_file("sqlite://data/portal.db?mode=rwc"), Some(PathBuf::from("data/portal.db")));
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_url_creating("sqlite://data/p.db"), "sqlite://data/p.db?mode=rwc");
        assert_eq!(sqlite_url_creating("sqlite://data/p.db?mode=ro"), "sqlite://data/p.db?mode=ro");
    }

    #[tokio::test]
    async fn an_unwritable_folder_is_named() {
        let error = Db::connect("sqlite:///proc/portal/portal.db").await.unwrap_err().to_string();
        assert!(error.contains("/proc/portal"), "{error}");
    }
}
