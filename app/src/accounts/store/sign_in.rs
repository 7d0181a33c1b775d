//! Signing in: the account a username names, and its count of failed sign-ins and lock, decided
//! in one UPDATE after the password was verified (the threshold and the lock's length are
//! `http::login`'s).

use crate::db::Db;

/// What signing in needs of an account (its lock is read by [`record_sign_in`], not here: a
/// lock read before the password is verified is stale by the time it is used).
#[derive(sqlx::FromRow)]
pub struct SignInAccount {
    pub id: i64,
    pub password_hash: String,
    pub email: String,
    pub language: String,
}

/// The account named `username` exactly, if not disabled.
pub async fn account_by_username(db: &Db, username: &str) -> Result<Option<SignInAccount>, sqlx::Error> {
    sqlx::query_as("SELECT id, password_hash, email, language FROM users WHERE username = $1 AND disabled_at IS NULL")
        .bind(username)
        .fetch_optional(&db.pool)
        .await
}

/// What a verified sign-in attempt did to the account's lockout.
pub enum SignInOutcome {
    /// The password was right and the account not locked: the failure count starts again.
    SignedIn,
    /// A wrong password, the account still open.
    Failed,
    /// This wrong password was the one that locked the account, until then (Unix seconds).
    LockedNow { until: i64 },
    /// The account was already locked, until then; the attempt changed nothing.
    Locked { until: i64 },
}

/// Records a sign-in attempt whose password was already verified, deciding the lockout in one
/// UPDATE so that concurrent attempts cannot slip between the check and the count: a right
/// password clears the count only on an open account; a wrong one counts, and the `threshold`th
/// in a row locks the account until `until` and starts the count afresh.
pub async fn record_sign_in(
    db: &Db,
    user_id: i64,
    password_ok: bool,
    threshold: i64,
    until: i64,
) -> Result<SignInOutcome, sqlx::Error> {
    let now = crate::clock::now();
    let changed: Option<Option<i64>> = if password_ok {
        sqlx::query_scalar(
            "UPDATE users SET failed_login_count = 0, locked_until = NULL \
             WHERE id = $1 AND (locked_until IS NULL OR locked_until <= $2) RETURNING locked_until",
        )
        .bind(user_id)
        .bind(now)
        .fetch_optional(&db.pool)
        .await?
    } else {
        // Both CASEs read the row as it was before this UPDATE.
        sqlx::query_scalar(
            "UPDATE users SET \
             failed_login_count = CASE WHEN failed_login_count + 1 >= $3 THEN 0 ELSE failed_login_count + 1 END, \
             locked_until = CASE WHEN failed_login_count + 1 >= $3 THEN $4 ELSE locked_until END \
             WHERE id = $1 AND (locked_until IS NULL OR locked_until <= $2) RETURNING locked_until",
        )
        .bind(user_id)
        .bind(now)
        .bind(threshold)
        .bind(until)
        .fetch_optional(&db.pool)
        .await?
    };
    Ok(match changed {
        Some(_) if password_ok => SignInOutcome::SignedIn,
        Some(Some(locked_until)) if locked_until > now => SignInOutcome::LockedNow { until: locked_until },
        Some(_) => SignInOutcome::Failed,
        None => {
            let until: Option<i64> = sqlx::query_scalar("SELECT locked_until FROM users WHERE id = $1")
                .bind(user_id)
                .fetch_one(&db.pool)
                .await?;
            SignInOutcome::Locked { until: until.unwrap_or(now) }
        }
    })
}
