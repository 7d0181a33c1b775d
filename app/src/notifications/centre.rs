//! The in-app notification centre: a user's unread count, their latest notifications, marking
//! them read, and the signal that tells open pages something new may have arrived.

use crate::db::Db;
use crate::notifications::notices::Addressed;
use crate::notifications::store;
use std::sync::Arc;
use tokio::sync::watch;

/// How many notifications the list shows.
pub const LIST_SIZE: i64 = 50;

/// Bumped each time the worker writes notifications in this process; open pages' event
/// streams wake on it (and look every few seconds anyway, for notifications another instance
/// wrote). Closed when the server shuts down, so that the streams end and do not hold the
/// graceful shutdown open. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Live(Arc<watch::Sender<Signal>>);

/// What a listener wakes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Signal {
    pub generation: u64,
    pub closed: bool,
}

impl Default for Live {
    fn default() -> Live {
        Live(Arc::new(watch::channel(Signal::default()).0))
    }
}

impl Live {
    /// Tells every listener to look again.
    pub fn bump(&self) {
        self.0.send_modify(|signal| signal.generation += 1);
    }

    /// Tells every listener to stop (the server is shutting down).
    pub fn close(&self) {
        self.0.send_modify(|signal| signal.closed = true);
    }

    /// A receiver that wakes on the next [`Live::bump`] or [`Live::close`].
    pub fn subscribe(&self) -> watch::Receiver<Signal> {
        self.0.subscribe()
    }
}

/// The user's unread count and newest notification id (0 without any), in one query: what an
/// open page's stream checks before reading anything else.
pub async fn state(db: &Db, user: i64) -> Result<(i64, i64), sqlx::Error> {
    store::unread_and_newest(db, user).await
}

/// The user's latest notifications, newest first.
pub async fn latest(db: &Db, user: i64) -> Result<Vec<Addressed>, sqlx::Error> {
    store::latest_for_user(db, user, LIST_SIZE).await
}

/// The user's newest notification, if any.
pub async fn newest(db: &Db, user: i64) -> Result<Option<Addressed>, sqlx::Error> {
    Ok(store::latest_for_user(db, user, 1).await?.into_iter().next())
}

/// Marks one of the user's notifications read (`Some(id)`; another user's id changes nothing)
/// or all of them (`None`); how many changed.
pub async fn mark_read(db: &Db, user: i64, id: Option<i64>, now: i64) -> Result<u64, sqlx::Error> {
    match id {
        Some(id) => store::mark_one_read(db, user, id, now).await,
        None => store::mark_all_read(db, user, now).await,
    }
}
