//! The deadline sweep's guarded updates: up to [`BATCH`] cases at a time moved past their
//! reply-by date, or marked as entering the urgent window, each returned to its caller only if
//! this statement changed it. On PostgreSQL rows another instance holds are skipped and the
//! condition is checked again on the locked row, so a case changes only once.
//!
//! The statuses come from the caller (the state machine's moves): this module only writes them.

use crate::db::{Db, Engine};
use crate::disputes::state::{Stage, Status};
use chrono::NaiveDate;
use sqlx::{Any, Transaction};

/// Cases changed in one transaction.
const BATCH: i64 = 200;

/// One case a guarded update claimed.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Claimed {
    pub id: i64,
    pub establishment_id: i64,
    pub transaction_id: i64,
    #[sqlx(rename = "disputed_amount")]
    pub amount: i64,
    pub currency: String,
    pub case_number: String,
}

/// The SQL of moving overdue cases of `stage`: setting each status of `moves` to the status it
/// goes to (with `closed_at = $2` when `closes`), and the condition naming those statuses.
fn overdue(stage: Stage, moves: &[(Status, Status)], closes: bool) -> (String, String) {
    let arms: String =
        moves.iter().map(|(from, to)| format!(" WHEN '{}' THEN '{}'", from.as_str(), to.as_str())).collect();
    let set = format!("status = CASE status{arms} END{}", if closes { ", closed_at = $2" } else { "" });
    let from = Status::sql_list(|status| moves.iter().any(|(from, _)| *from == status));
    (set, format!("stage = '{}' AND status IN {from} AND reply_by < $1", stage.as_str()))
}

/// Moves up to [`BATCH`] cases of `stage` whose reply-by date is before `today` as `moves`
/// says, closing them at `now` when `closes`; returns the cases this call changed.
pub async fn claim_overdue(
    db: &Db,
    transaction: &mut Transaction<'_, Any>,
    stage: Stage,
    moves: &[(Status, Status)],
    closes: bool,
    today: NaiveDate,
    now: i64,
) -> Result<Vec<Claimed>, sqlx::Error> {
    let (set, condition) = overdue(stage, moves, closes);
    claim(db, transaction, &set, &condition, today, now).await
}

/// Marks, once, up to [`BATCH`] cases in one of `statuses` due between `today` and
/// `last_urgent_day`; returns the cases this call marked.
pub async fn claim_urgent(
    db: &Db,
    transaction: &mut Transaction<'_, Any>,
    statuses: &[Status],
    today: NaiveDate,
    last_urgent_day: NaiveDate,
    now: i64,
) -> Result<Vec<Claimed>, sqlx::Error> {
    let condition = format!(
        "status IN {} AND urgent_marked_at IS NULL AND reply_by >= $1 AND reply_by <= '{last_urgent_day}'",
        Status::sql_list(|status| statuses.contains(&status))
    );
    claim(db, transaction, "urgent_marked_at = $2", &condition, today, now).await
}

/// Applies `set` to up to [`BATCH`] cases matching `condition` (`$1` is today, `$2` now) and
/// returns the ones this call changed.
async fn claim(
    db: &Db,
    transaction: &mut Transaction<'_, Any>,
    set: &str,
    condition: &str,
    today: NaiveDate,
    now: i64,
) -> Result<Vec<Claimed>, sqlx::Error> {
    let skip_locked = if db.engine == Engine::Postgres { " FOR UPDATE SKIP LOCKED" } else { "" };
    let sql = format!(
        "UPDATE disputes SET {set}, version = version + 1, updated_at = $2 \
         WHERE id IN (SELECT id FROM disputes WHERE {condition} ORDER BY id LIMIT {BATCH}{skip_locked}) AND {condition} \
         RETURNING id, establishment_id, transaction_id, disputed_amount, currency, case_number"
    );
    sqlx::query_as(&sql).bind(today.to_string()).bind(now).fetch_all(&mut **transaction).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::disputes::state::{moves, Action};

    #[test]
    fn the_deadline_moves_are_written_as_the_state_machine_gives_them() {
        let (set, condition) = overdue(Stage::Inquiry, &moves(Stage::Inquiry, Action::DeadlinePassed), true);
        assert_eq!(
            set,
            "status = CASE status WHEN 'needs_response' THEN 'expired' WHEN 'draft_saved' THEN 'expired' \
             WHEN 'info_requested' THEN 'expired' END, closed_at = $2"
        );
        assert_eq!(
            condition,
            "stage = 'inquiry' AND status IN ('needs_response', 'draft_saved', 'info_requested') AND reply_by < $1"
        );
        let chargebacks = overdue(Stage::Chargeback, &moves(Stage::Chargeback, Action::DeadlinePassed), false);
        assert!(chargebacks.1.starts_with("stage = 'chargeback' AND"));
        assert!(!chargebacks.0.contains("closed_at"));
    }
}
