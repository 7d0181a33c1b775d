//! Payment notifications: a pending payment is announced once it is known, a paid one from its
//! payment date (within the last three days, so a worker that was down catches up), each once
//! per state whichever instance announces it (a unique index on the outbox).

use crate::db::Db;
use crate::notifications::store;
use chrono::NaiveDate;

/// How far back a paid payment is still announced.
const PAID_CATCH_UP_DAYS: i64 = 3;

/// Writes the outbox rows of payments not yet announced in their current state; how many.
pub async fn announce(db: &Db, today: NaiveDate, now: i64) -> Result<u64, sqlx::Error> {
    store::announce_payments(db, today, today - chrono::Duration::days(PAID_CATCH_UP_DAYS), now).await
}
