//! The notification worker, started by the server every `NOTIFY_INTERVAL_MS`: fans the outbox
//! out to recipients, sends the due emails, announces payments and sends the daily digests.
//! Several instances may run it on one PostgreSQL (claims are leased rows).

use crate::services::Services;
use std::time::Duration;

/// Every `NOTIFY_INTERVAL_MS`: outbox rows become recipients' notifications, then due emails
/// are sent (payments reaching a new state are announced first, every minute); a pass that found a full batch
/// is followed at once by the next. From the digest hour (Paris time), each user's daily digest
/// goes out once a day. Several instances may run it on one
/// PostgreSQL.
pub async fn run(services: Services, period: Duration, lease: Duration) {
    use super::{delivery, digest, fan_out, payments};
    let mut every = tokio::time::interval(period);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut digests_at = None;
    let mut announced_at = None;
    loop {
        every.tick().await;
        let today = crate::clock::paris_today();
        // Each user's digest day is in the database: looking once a minute sends each digest once
        // a day, across restarts and instances.
        let digests_due = digests_at.is_none_or(|at: tokio::time::Instant| at.elapsed() >= Duration::from_secs(60));
        if crate::clock::paris_hour() >= digest::DIGEST_HOUR && digests_due {
            match digest::send_digests(&services.db, &services.mailer, &services.public_url, crate::clock::now()).await
            {
                Ok(sent) => {
                    digests_at = Some(tokio::time::Instant::now());
                    if sent > 0 {
                        tracing::info!(sent, "daily digests sent");
                    }
                }
                Err(error) => tracing::warn!(%error, "daily digests failed; tried again next time"),
            }
        }
        if announced_at.is_none_or(|at: tokio::time::Instant| at.elapsed() >= Duration::from_secs(60)) {
            match payments::announce(&services.db, today, crate::clock::now()).await {
                Ok(_) => announced_at = Some(tokio::time::Instant::now()),
                Err(error) => tracing::warn!(%error, "payment notifications not written; tried again next time"),
            }
        }
        loop {
            let now = crate::clock::now();
            let fanned = match fan_out::fan_out(&services.db, now).await {
                Ok(0) => 0,
                Ok(written) => {
                    services.live.bump();
                    written
                }
                Err(error) => {
                    tracing::warn!(%error, "notification fan-out failed; retried next time");
                    0
                }
            };
            let delivered = match delivery::deliver_leased(
                &services.db,
                &services.mailer,
                &services.public_url,
                now,
                lease,
            )
            .await
            {
                Ok(delivered) => delivered,
                Err(error) => {
                    tracing::warn!(%error, "notification delivery failed; retried next time");
                    break;
                }
            };
            let handled = delivered.sent + delivered.retried + delivered.failed;
            if handled < delivery::BATCH as u64 && fanned == 0 {
                break;
            }
        }
    }
}
