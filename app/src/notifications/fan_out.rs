//! From the outbox to one notification per recipient. An outbox row about an establishment
//! reaches that establishment's users and its organisation's headquarters users (who see every
//! case of the organisation), except the person who acted, those who switched the category off
//! and disabled accounts. Each recipient's row says whether an email is due now, gathered into
//! the daily digest, or not wanted (email not among their contact channels).
//!
//! Several instances may fan out at once: a row is taken by the one statement that still finds
//! it not fanned out, in the transaction that writes its notifications, and `(outbox_id,
//! user_id)` is unique besides.

use crate::db::Db;
use crate::notifications::store;

/// How many outbox rows one pass takes at most.
pub const BATCH: i64 = 200;

/// The acting user named in an outbox row's payload (`{"actor_user_id":12}`).
fn actor(payload: &str) -> Option<i64> {
    serde_json::from_str::<serde_json::Value>(payload).ok()?.get("actor_user_id")?.as_i64()
}

/// Fans out up to [`BATCH`] waiting outbox rows; how many recipients' notifications it wrote.
pub async fn fan_out(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    let mut written = 0;
    for waiting in store::waiting_outbox(db, BATCH).await? {
        // No actor (a system event such as a deadline) excludes nobody: no user has id 0.
        let actor = actor(&waiting.payload).unwrap_or(0);
        // `None`: another instance took the row first.
        written += store::fan_out_to_recipients(db, &waiting, actor, now).await?.unwrap_or(0);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_actor_is_read_from_the_payload() {
        assert_eq!(actor(r#"{"actor_user_id":12}"#), Some(12));
        assert_eq!(actor("{}"), None);
        assert_eq!(actor("not json"), None);
    }
}
