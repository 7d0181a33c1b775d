//! What several account forms' handlers share: the checks that record a refused field, the
//! new-password pair, signing in under a new session id, and the Paris clock of a lockout end.

use crate::accounts::model::{Flash, Problem};
use crate::web::reply::{session_error, Fields};
use crate::AppError;
use tower_sessions::Session;

/// Checks the `password` / `password_confirm` pair against the rules; returns the password.
pub(super) fn check_new_password(flash: &mut Flash, fields: &Fields) -> String {
    let password = fields.raw("password");
    check(flash, "password", crate::accounts::rules::check_password(&password));
    if password != fields.raw("password_confirm") {
        flash.problems.entry("password_confirm".into()).or_insert(Problem::PasswordsDiffer);
    }
    password
}

/// Signs `user_id` in under a new session id (the id the browser had before is dead).
pub(super) async fn sign_in(session: &Session, user_id: i64) -> Result<(), AppError> {
    session.cycle_id().await.map_err(session_error)?;
    session.insert(crate::accounts::caller::USER_ID, user_id).await.map_err(session_error)
}

/// Records `problem` against `field` when `check` fails.
pub(super) fn check(flash: &mut Flash, field: &str, result: Result<(), Problem>) {
    if let Err(problem) = result {
        flash.problems.entry(field.to_owned()).or_insert(problem);
    }
}

/// `HH:MM` in Paris of an instant (lockout ends).
pub(super) fn paris_clock(unix_seconds: i64) -> String {
    chrono::DateTime::from_timestamp(unix_seconds, 0)
        .unwrap_or_default()
        .with_timezone(&chrono_tz::Europe::Paris)
        .format("%H:%M")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lockout_end_is_shown_in_paris_time() {
        // 2026-11-22 09:00 UTC is 10:00 in Paris (winter time).
        assert_eq!(paris_clock(1_795_338_000), "10:00");
    }
}
