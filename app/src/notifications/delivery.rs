//! Sending the notifications' emails: claim the due ones, send them [`PARALLEL`] at once, each with a Message-ID derived
//! from the notification (so a copy sent again after a crash is the same message to the
//! recipient's mail system), record every attempt, retry with exponential backoff, and mark
//! permanent failures for an administrator to see.
//!
//! A claim is a lease: the row becomes `sending` until `claimed_until`, so another instance
//! leaves it alone; if the process dies after claiming, the lease runs out and the row is sent
//! again. No email is sent twice otherwise. (An email accepted by the SMTP server just before a
//! crash, and not yet recorded, is sent once more with the same Message-ID: SMTP cannot tell
//! whether a message it already accepted was this one.)

use crate::db::Db;
use crate::notifications::mailer::{Email, MailError, Mailer};
use crate::notifications::store;
use futures::StreamExt;
use std::time::Duration;

/// How many emails one pass claims at most.
pub const BATCH: i64 = 100;
/// Emails sent at once within a pass: the mailer's pool size.
pub use super::mailer::PARALLEL;
/// How long a claim keeps other instances away, unless configured (`NOTIFY_LEASE_SECONDS`).
pub const LEASE: Duration = Duration::from_secs(120);
/// Attempts before a notification's email is given up as failed.
pub const MAX_ATTEMPTS: i64 = 8;
/// The last error of a notification no email can be written for.
const UNWRITABLE: &str = "nothing to send: the notification names no case and no payment";

/// The wait before attempt `attempts + 1`: 30 s, doubling, at most an hour.
pub fn backoff(attempts: i64) -> Duration {
    let exponent = attempts.clamp(1, 8) - 1;
    Duration::from_secs((30u64 << exponent).min(3600))
}

/// The Message-ID of a notification's email: the same for every attempt.
pub fn message_id(notification: i64, host: &str) -> String {
    format!("<notification-{notification}@{host}>")
}

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Delivered {
    pub sent: u64,
    /// Failed this time, tried again later.
    pub retried: u64,
    /// Failed for good (permanent refusal or too many attempts).
    pub failed: u64,
}

/// One claimed notification with what its email says.
struct Due {
    id: i64,
    attempts: i64,
    email: Email,
}

/// Claims up to [`BATCH`] due emails (pending and due, or `sending` with a lapsed lease).
async fn claim(db: &Db, now: i64, lease: Duration) -> Result<Vec<i64>, sqlx::Error> {
    store::claim_due_emails(db, now, now + lease.as_secs() as i64, BATCH).await
}

/// The emails of claimed notifications, addressed in each recipient's language.
async fn load(db: &Db, ids: &[i64], public_url: &url::Url) -> Result<Vec<Due>, sqlx::Error> {
    Ok(store::addressed_by_ids(db, ids)
        .await?
        .into_iter()
        .map(|n| Due { id: n.id, attempts: n.attempts, email: n.email(public_url) })
        .collect())
}

/// Claimed notifications no email can be written for (they name no case or payment): failed at once,
/// rather than claimed again and again.
async fn give_up_unwritable(db: &Db, claimed: &[i64], due: &[Due], now: i64) -> Result<(), sqlx::Error> {
    let unwritable: Vec<i64> = claimed.iter().copied().filter(|id| !due.iter().any(|due| due.id == *id)).collect();
    store::fail_emails(db, &unwritable, UNWRITABLE, now).await
}

/// Where an attempt leaves a notification's email.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum After {
    Sent,
    /// Tried again after the backoff.
    Retried,
    /// Refused for good or out of attempts.
    Failed,
}

impl After {
    fn of(outcome: &Result<(), MailError>, attempts: i64) -> After {
        match outcome {
            Ok(()) => After::Sent,
            Err(error) if error.is_permanent() || attempts >= MAX_ATTEMPTS => After::Failed,
            Err(_) => After::Retried,
        }
    }
}

/// Records one attempt's outcome and moves the notification on.
async fn record(
    db: &Db,
    due: &Due,
    outcome: &Result<(), MailError>,
    message_id: &str,
    now: i64,
) -> Result<After, sqlx::Error> {
    let error = outcome.as_ref().err().map(ToString::to_string);
    let after = After::of(outcome, due.attempts);
    let (state, next) = match after {
        After::Sent => ("sent", now),
        After::Failed => ("failed", now),
        After::Retried => ("pending", now + backoff(due.attempts).as_secs() as i64),
    };
    let attempt = store::Attempt {
        notification: due.id,
        at: now,
        error: error.as_deref(),
        state,
        next_attempt_at: next,
        message_id,
    };
    store::record_attempt(db, &attempt).await?;
    Ok(after)
}

/// One pass with the default [`LEASE`]: see [`deliver_leased`].
pub async fn deliver(db: &Db, mailer: &Mailer, public_url: &url::Url, now: i64) -> Result<Delivered, sqlx::Error> {
    deliver_leased(db, mailer, public_url, now, LEASE).await
}

/// One pass: claims the due emails for `lease`, sends them (a few at once) and records each
/// outcome.
pub async fn deliver_leased(
    db: &Db,
    mailer: &Mailer,
    public_url: &url::Url,
    now: i64,
    lease: Duration,
) -> Result<Delivered, sqlx::Error> {
    let claimed = claim(db, now, lease).await?;
    let due = load(db, &claimed, public_url).await?;
    give_up_unwritable(db, &claimed, &due, now).await?;
    let host = public_url.host_str().unwrap_or("portal.invalid").to_owned();
    // Each outcome is recorded as soon as it is known: a crash mid-pass leaves at most the
    // emails in flight unrecorded (sent again, with the same Message-ID, once their lease ends).
    // The records take turns: concurrent writers on SQLite would wait in its busy handler, which
    // sleeps for milliseconds at a time.
    let recording = tokio::sync::Mutex::new(());
    let outcomes = futures::stream::iter(due)
        .map(|due| {
            let message_id = message_id(due.id, &host);
            let recording = &recording;
            async move {
                let outcome = mailer.send_with_id(due.email.clone(), &message_id).await;
                let _turn = recording.lock().await;
                let after = record(db, &due, &outcome, &message_id, now).await?;
                Ok::<_, sqlx::Error>((due, outcome, after))
            }
        })
        .buffer_unordered(PARALLEL)
        .collect::<Vec<_>>()
        .await;
    let mut delivered = Delivered::default();
    for result in outcomes {
        let (due, outcome, after) = result?;
        let error = outcome.err().map(|error| error.to_string()).unwrap_or_default();
        match after {
            After::Sent => delivered.sent += 1,
            After::Failed => {
                tracing::warn!(notification = due.id, %error, "notification email failed for good");
                delivered.failed += 1;
            }
            After::Retried => {
                tracing::info!(notification = due.id, %error, attempts = due.attempts, "notification email retried later");
                delivered.retried += 1;
            }
        }
    }
    Ok(delivered)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_30_seconds_up_to_an_hour() {
        let waits: Vec<u64> = (1..=9).map(|attempts| backoff(attempts).as_secs()).collect();
        assert_eq!(waits, vec![30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
    }

    #[test]
    fn the_message_id_depends_only_on_the_notification() {
        assert_eq!(message_id(42, "portal.test"), "<notification-42@portal.test>");
        assert_eq!(message_id(42, "portal.test"), message_id(42, "portal.test"));
        assert_ne!(message_id(42, "portal.test"), message_id(43, "portal.test"));
    }
}
