//! What a platform administrator sees of email delivery: how many notifications are in each
//! state, and the emails that failed for good (recipient, case, attempts, last error), each of
//! which can be sent again.

use crate::accounts::caller::Caller;
use crate::accounts::model::UserKind;
use crate::db::Db;
use crate::notifications::store;
use crate::AppError;

pub use crate::notifications::store::Failure;

/// How many failures the overview lists.
const FAILURES_SHOWN: i64 = 100;

/// Only platform administrators; everyone else is told the page does not exist.
pub fn require_admin(caller: &Caller) -> Result<(), AppError> {
    if caller.kind == UserKind::PlatformAdmin {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// The delivery overview.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overview {
    /// `(state, count)` for every state present.
    pub states: Vec<(String, i64)>,
    /// The latest [`FAILURES_SHOWN`] failures, newest first.
    pub failures: Vec<Failure>,
}

/// The counts by state and the latest failures.
pub async fn overview(db: &Db) -> Result<Overview, sqlx::Error> {
    let states = store::count_by_email_state(db).await?;
    let failures = store::latest_failures(db, FAILURES_SHOWN).await?;
    Ok(Overview { states, failures })
}

/// Puts a failed email back in the queue, due now, with a fresh count of attempts; `false` if
/// it is not (or no longer) failed.
pub async fn send_again(db: &Db, id: i64, now: i64) -> Result<bool, sqlx::Error> {
    store::requeue_failed(db, id, now).await
}
