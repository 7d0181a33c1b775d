//! Tests on the release server as a real process: killed mid-work and started again. Ignored
//! by default: they need the release build (`scripts/test.sh` builds it, then runs them with
//! the browser tests: `cargo test -p portal-tests --test suite -- --ignored processes::`).

use app::db::Db;
use app::notifications::delivery::PARALLEL;
use portal_tests::browser::ReleaseServer;
use portal_tests::notify::produce;
use portal_tests::scalar;
use portal_tests::smtp::SmtpServer;
use std::collections::HashMap;
use std::time::Duration;

/// The notification id in a Message-ID `<notification-ID@host>`.
fn notification_of(message_id: &str) -> Option<i64> {
    message_id.strip_prefix("<notification-")?.split('@').next()?.parse().ok()
}

/// Waits (up to `seconds`) until `sql` counts at least `count`.
async fn wait_until(db: &Db, sql: &str, count: i64, seconds: u64) {
    for _ in 0..seconds * 10 {
        if scalar(db, sql).await >= count {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{sql} stayed under {count} for {seconds} s (it is {})", scalar(db, sql).await);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the release build; scripts/test.sh runs it"]
async fn a_server_killed_during_delivery_sends_everything_after_restart_each_email_under_one_message_id() {
    // An SMTP server that takes 300 ms over each message: 200 emails take about 2 s (32 at
    // once), long enough to kill the portal in the middle.
    let smtp = SmtpServer::start_slow(300).await;
    let mut server = ReleaseServer::start_with(&[
        ("SMTP_URL", &smtp.url()),
        ("NOTIFY_INTERVAL_MS", "0"),
        ("DEADLINE_SWEEP_SECONDS", "0"),
        ("NOTIFY_LEASE_SECONDS", "3"),
    ])
    .await;
    let db = Db::connect(&server.database_url()).await.unwrap();
    // The demo's own outbox rows are not this test's; 200 notifications for the bookshop's user.
    sqlx::query("UPDATE notification_outbox SET fanned_out_at = 0").execute(&db.pool).await.unwrap();
    let first_outbox = scalar(&db, "SELECT COALESCE(MAX(id), 0) + 1 FROM notification_outbox").await;
    produce(&db, 200).await;
    // (The restarted worker also announces the demo's payments: those are not counted.)
    let ours = format!("FROM notifications WHERE outbox_id BETWEEN {first_outbox} AND {}", first_outbox + 199);

    // The worker starts with the next start.
    server.set_variable("NOTIFY_INTERVAL_MS", "100");
    server.kill_and_restart().await;
    wait_until(&db, &format!("SELECT COUNT(*) {ours}"), 200, 30).await;
    let ids: Vec<i64> = sqlx::query_scalar(&format!("SELECT id {ours}")).fetch_all(&db.pool).await.unwrap();
    let arrived = |smtp: &SmtpServer| -> HashMap<i64, usize> {
        let mut counts = HashMap::new();
        for message in smtp.messages() {
            if let Some(id) = notification_of(&message.message_id).filter(|id| ids.contains(id)) {
                *counts.entry(id).or_insert(0) += 1;
            }
        }
        counts
    };
    for _ in 0..300 {
        if arrived(&smtp).len() >= 20 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }

    server.kill_and_restart().await;
    let at_kill = arrived(&smtp);
    let in_flight = scalar(&db, &format!("SELECT COUNT(*) {ours} AND email_state = 'sending'")).await;
    assert!(at_kill.len() >= 20 && at_kill.len() < 200, "killed during delivery: {} of 200 had arrived", at_kill.len());
    assert!(in_flight > 0, "emails were being sent when the server was killed");

    // The killed process's claims lapse after the lease (3 s); the new process sends them.
    wait_until(&db, &format!("SELECT COUNT(*) {ours} AND email_state = 'sent'"), 200, 60).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let delivered = arrived(&smtp);
    assert_eq!(delivered.len(), 200, "every notification's email arrived");
    let duplicates: usize = delivered.values().map(|copies| copies - 1).sum();
    println!(
        "killed with {} of 200 arrived and {in_flight} in flight; after the restart all 200 arrived, {duplicates} twice",
        at_kill.len()
    );
    // Only an email the SMTP server accepted in the instant before the kill, before its outcome
    // was written, can come twice; it comes under its one Message-ID (asserted by counting per
    // notification id), which the recipient's mail system recognises.
    assert!(duplicates <= PARALLEL, "{duplicates} duplicates: more than the emails in flight");
    assert!(delivered.values().all(|copies| *copies <= 2), "no email was sent more than twice");
    let attempts = scalar(
        &db,
        &format!("SELECT COUNT(*) FROM notification_attempts WHERE notification_id IN (SELECT id {ours}) AND succeeded = TRUE"),
    )
    .await;
    assert_eq!(attempts, 200, "one recorded successful attempt per notification");
}
