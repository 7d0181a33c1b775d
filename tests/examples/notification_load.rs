//! Benchmark: 10,000 queued notifications delivered to a local SMTP server (aiosmtpd, its own
//! process) through the portal's worker passes (fan-out, claim, send 8 at once, record).
//! Prints the time and the rate (target: all 10,000 in under 60 s); exits with 1 above it.
//!
//!     cargo run --release -p portal-tests --example notification_load

use portal_tests::notify::{deliver_all, demo_with, produce};
use portal_tests::smtp::SmtpServer;
use std::time::Instant;

const COUNT: usize = 10_000;
const TARGET_SECONDS: f64 = 60.0;

#[tokio::main]
async fn main() {
    let smtp = SmtpServer::start().await;
    let app = demo_with(&smtp).await;
    produce(&app.db, COUNT).await;
    let start = Instant::now();
    let now = app::clock::now();
    let mut recipients = 0;
    loop {
        let written = app::notifications::fan_out::fan_out(&app.db, now).await.unwrap();
        if written == 0 {
            break;
        }
        recipients += written;
    }
    let fanned = start.elapsed().as_secs_f64();
    println!("fan-out: {COUNT} outbox rows to {recipients} notifications in {fanned:.1} s");
    let delivered = deliver_all(&app, now).await;
    let seconds = start.elapsed().as_secs_f64();
    assert_eq!(delivered.sent as usize, COUNT, "{delivered:?}");
    let arrived = smtp.wait_for(COUNT).await.len();
    assert_eq!(arrived, COUNT, "each notification arrived once");
    println!(
        "notification delivery: {COUNT} emails to the local SMTP server in {seconds:.1} s, {:.0} emails/s (target: under {TARGET_SECONDS:.0} s)",
        COUNT as f64 / seconds
    );
    app.stop().await;
    if seconds >= TARGET_SECONDS {
        std::process::exit(1);
    }
}
