//! Helpers for the notification tests and benchmark: a demo whose mail goes to a real SMTP
//! server, notifications produced in bulk, and the worker's passes run with a chosen clock.

use crate::smtp::SmtpServer;
use crate::{scalar, spawn_app_with_demo_and, TestApp};
use app::notifications::{delivery, fan_out};

/// The demo with its mail going to `smtp`; the demo's own outbox rows count as delivered, so
/// only what a test does is sent.
pub async fn demo_with(smtp: &SmtpServer) -> TestApp {
    let app = spawn_app_with_demo_and(&[("SMTP_URL", &smtp.url())]).await;
    sqlx::query("UPDATE notification_outbox SET fanned_out_at = 0").execute(&app.db.pool).await.unwrap();
    app
}

/// Fans out and delivers until nothing is left to do at `now`.
pub async fn deliver_all(app: &TestApp, now: i64) -> delivery::Delivered {
    let services = app_services(app);
    let mut total = delivery::Delivered::default();
    loop {
        let fanned = fan_out::fan_out(&app.db, now).await.unwrap();
        let pass = delivery::deliver(&app.db, &services.0, &services.1, now).await.unwrap();
        total.sent += pass.sent;
        total.retried += pass.retried;
        total.failed += pass.failed;
        if fanned == 0 && pass == delivery::Delivered::default() {
            return total;
        }
    }
}

/// The mailer and public address the server was built with.
pub fn app_services(app: &TestApp) -> (app::notifications::mailer::Mailer, url::Url) {
    let mailer = match &app.config.mail {
        server::config::MailConfig::Smtp { url } => {
            app::notifications::mailer::Mailer::smtp(url.as_str(), &app.config.mail_from).unwrap()
        }
        other => panic!("the test server sends through SMTP, not {other:?}"),
    };
    (mailer, app.address.parse().unwrap())
}

/// Writes `count` notifications for Librairie du Port's only user (one outbox row each, about
/// one of its cases).
pub async fn produce(db: &app::db::Db, count: usize) {
    let dispute = scalar(
        db,
        "SELECT d.id FROM disputes d JOIN establishments e ON e.id = d.establishment_id \
         WHERE e.number = '9421000060' ORDER BY d.id LIMIT 1",
    )
    .await;
    let establishment = scalar(db, "SELECT id FROM establishments WHERE number = '9421000060'").await;
    let mut transaction = db.pool.begin().await.unwrap();
    for _ in 0..count {
        sqlx::query(
            "INSERT INTO notification_outbox (category, event, organisation_id, establishment_id, dispute_id, created_at) \
             VALUES ('case_update', 'info_requested', (SELECT organisation_id FROM establishments WHERE id = $1), $1, $2, 0)",
        )
        .bind(establishment)
        .bind(dispute)
        .execute(&mut *transaction)
        .await
        .unwrap();
    }
    transaction.commit().await.unwrap();
}
