//! Security review, data: each test reproduces one hole the review found (its number in the
//! Access issue) and shows it closed.

use crate::notifications::{set_preference, Preference};
use portal_tests::notify::{app_services, deliver_all, demo_with, produce};
use portal_tests::scalar;
use portal_tests::smtp::SmtpServer;

/// Hole 13: "once a day" was kept in the worker's memory, so a restart after the digest hour
/// sent a second digest. The day is stored with the user: a new worker (restart, or another
/// instance) sends nothing more that day, and the next day's digest goes out as usual.
#[tokio::test]
async fn the_daily_digest_goes_out_once_a_day_across_restarts() {
    let smtp = SmtpServer::start().await;
    let app = demo_with(&smtp).await;
    set_preference(&app, "librairie", "case_update", Preference::DailyDigest).await;
    let (mailer, public_url) = app_services(&app);
    let today = app::clock::paris_today();
    let morning = app::clock::paris_instant(today, 8, 0);
    let send = |now: i64| app::notifications::digest::send_digests(&app.db, &mailer, &public_url, now);

    produce(&app.db, 2).await;
    deliver_all(&app, morning).await;
    assert_eq!(send(morning).await.unwrap(), 1, "the morning's digest");
    smtp.wait_for(1).await;
    // More notifications during the day, then the server restarts at noon: its worker starts
    // with an empty memory.
    produce(&app.db, 1).await;
    deliver_all(&app, morning + 4 * 3600).await;
    assert_eq!(send(morning + 4 * 3600).await.unwrap(), 0, "no second digest the same day");
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM notifications WHERE email_state = 'digest'").await, 1);
    // The next morning it goes out.
    let tomorrow = app::clock::paris_instant(today.succ_opt().unwrap(), 8, 0);
    assert_eq!(send(tomorrow).await.unwrap(), 1);
    assert_eq!(smtp.wait_for(2).await.len(), 2);
    app.stop().await;
}
