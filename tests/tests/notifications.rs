//! Notifications on the demo data, delivered to a real SMTP server (aiosmtpd, its own process):
//! who receives each category and in which language, preferences, and delivery that loses
//! nothing and sends nothing twice when the SMTP server is down, when delivery stops half-way
//! and when two workers deliver at once. The worker is run by the tests (`deliver_all`), with
//! the clock they choose, instead of on its timer.

use app::notifications::{delivery, fan_out};
use portal_tests::smtp::{Received, SmtpServer};
use portal_tests::{hidden_value, scalar, spawn_app_with_demo_and, text, TestApp, Visitor};
use std::collections::{BTreeSet, HashMap};

/// The demo with its mail going to `smtp`; the demo's own outbox rows count as delivered, so
/// only what a test does is sent.
async fn demo_with(smtp: &SmtpServer) -> TestApp {
    let app = spawn_app_with_demo_and(&[("SMTP_URL", &smtp.url())]).await;
    sqlx::query("UPDATE notification_outbox SET fanned_out_at = 0").execute(&app.db.pool).await.unwrap();
    app
}

/// Fans out and delivers until nothing is left to do at `now`.
async fn deliver_all(app: &TestApp, now: i64) -> delivery::Delivered {
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
fn app_services(app: &TestApp) -> (app::notifications::mailer::Mailer, url::Url) {
    let mailer = match &app.config.mail {
        server::config::MailConfig::Smtp { url } => {
            app::notifications::mailer::Mailer::smtp(url.as_str(), &app.config.mail_from).unwrap()
        }
        other => panic!("the test server sends through SMTP, not {other:?}"),
    };
    (mailer, app.address.parse().unwrap())
}

async fn email_of(app: &TestApp, username: &str) -> String {
    text(&app.db, &format!("SELECT email FROM users WHERE username = '{username}'")).await
}

/// Who received a message whose subject names `case`.
fn recipients(messages: &[Received], case: &str) -> BTreeSet<String> {
    messages.iter().filter(|message| message.subject.contains(case)).map(|message| message.to.clone()).collect()
}

async fn addresses(app: &TestApp, usernames: &[&str]) -> BTreeSet<String> {
    let mut set = BTreeSet::new();
    for username in usernames {
        set.insert(email_of(app, username).await);
    }
    set
}

/// The analyst opens a case of `stage` on a charge of `establishment`; its case number.
async fn analyst_opens(app: &TestApp, analyst: &Visitor, establishment: &str, stage: &str, reason: &str) -> String {
    let reference = text(
        &app.db,
        &format!(
            "SELECT t.reference FROM transactions t JOIN establishments e ON e.id = t.establishment_id \
             WHERE e.number = '{establishment}' AND t.kind = 'charge' \
             AND NOT EXISTS (SELECT 1 FROM disputes d WHERE d.transaction_id = t.id) ORDER BY t.id DESC LIMIT 1"
        ),
    )
    .await;
    let reply_by = (app::clock::paris_today() + chrono::Duration::days(20)).to_string();
    let opened = analyst
        .post(
            "/review/open",
            &[("reference", &reference), ("stage", stage), ("reason_code", reason), ("reply_by", &reply_by)],
        )
        .await;
    assert_eq!(opened.status(), 303);
    opened.headers()["location"].to_str().unwrap().trim_start_matches("/disputes/").to_owned()
}

#[tokio::test]
async fn each_category_reaches_the_right_people_in_their_language() {
    let smtp = SmtpServer::start().await;
    let app = demo_with(&smtp).await;
    let analyst = app.visitor();
    analyst.sign_in_demo("analyst").await;
    let now = app::clock::now();

    // New inquiry at Biarritz (Rivage): its establishment user (English) and Rivage's HQ
    // (French); not Nice, not Maison Lemaire, not the analyst who opened it.
    let inquiry = analyst_opens(&app, &analyst, "9421000052", "inquiry", "004").await;
    // New chargeback at Opéra (Maison Lemaire), whose user switched new chargebacks off: only
    // Lemaire's headquarters and administrator.
    sqlx::query(
        "INSERT INTO notification_preferences (user_id, category, enabled, daily_digest) \
         SELECT id, 'new_chargeback', FALSE, FALSE FROM users WHERE username = 'opera' \
         ON CONFLICT (user_id, category) DO UPDATE SET enabled = FALSE",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    let chargeback = analyst_opens(&app, &analyst, "9421000011", "chargeback", "C08").await;
    let delivered = deliver_all(&app, now).await;
    let messages = smtp.wait_for(delivered.sent as usize).await;
    assert_eq!(recipients(&messages, &inquiry), addresses(&app, &["rivage.biarritz", "rivage.hq"]).await);
    assert_eq!(recipients(&messages, &chargeback), addresses(&app, &["lemaire.hq", "lemaire.admin"]).await);
    assert_eq!(messages.len(), 4, "nobody else: {:?}", messages.iter().map(|m| &m.to).collect::<Vec<_>>());
    let biarritz = email_of(&app, "rivage.biarritz").await;
    let to_biarritz = messages.iter().find(|m| m.to.contains(&biarritz)).unwrap();
    assert!(to_biarritz.subject.starts_with("New inquiry"), "{}", to_biarritz.subject);
    assert!(to_biarritz.text.contains(&format!("/disputes/{inquiry}")), "a link to the case");
    let hq = email_of(&app, "rivage.hq").await;
    let to_hq = messages.iter().find(|m| m.to.contains(&hq)).unwrap();
    assert!(to_hq.subject.starts_with("Nouvelle demande de renseignements"), "{}", to_hq.subject);
    let card = text(
        &app.db,
        &format!("SELECT t.card_masked FROM disputes d JOIN transactions t ON t.id = d.transaction_id WHERE d.case_number = '{inquiry}'"),
    )
    .await;
    assert!(to_hq.text.contains(&card) && card.contains("*****"), "the masked card only: {card}\n{}", to_hq.text);
    assert!(messages.iter().all(|m| m.message_id.starts_with("<notification-")), "stable Message-IDs");

    // Case update: Lemaire's HQ accepts the chargeback (central configuration); Opéra's user
    // and the administrator hear of it (case updates are on for Opéra), the HQ user who acted
    // does not.
    let lemaire = app.visitor();
    lemaire.sign_in_demo("lemaire.hq").await;
    let path = format!("/disputes/{chargeback}");
    let version = hidden_value(&lemaire.page(&path).await, "version");
    lemaire.post(&format!("{path}/accept"), &[("version", &version), ("confirm", "yes")]).await;
    assert_eq!(
        text(&app.db, &format!("SELECT status FROM disputes WHERE case_number = '{chargeback}'")).await,
        "accepted"
    );
    let before = smtp.messages().len();
    let delivered = deliver_all(&app, now).await;
    let messages = smtp.wait_for(before + delivered.sent as usize).await;
    let updates: Vec<&Received> = messages.iter().filter(|m| m.subject.contains("accepté")).collect();
    assert_eq!(
        updates.iter().map(|m| m.to.clone()).collect::<BTreeSet<_>>(),
        addresses(&app, &["opera", "lemaire.admin"]).await
    );

    // Urgent case: the deadline sweep marks the Biarritz inquiry urgent once (every other case
    // counts as marked already); a second sweep sends nothing more.
    sqlx::query("UPDATE disputes SET urgent_marked_at = 1 WHERE urgent_marked_at IS NULL")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let today = app::clock::paris_today();
    sqlx::query("UPDATE disputes SET urgent_marked_at = NULL, reply_by = $1 WHERE case_number = $2")
        .bind((today + chrono::Duration::days(2)).to_string())
        .bind(&inquiry)
        .execute(&app.db.pool)
        .await
        .unwrap();
    app::disputes::sweep::sweep(&app.db, today).await.unwrap();
    app::disputes::sweep::sweep(&app.db, today).await.unwrap();
    // The demo's own overdue cases expire in that sweep too: only the urgent mark is ours.
    sqlx::query(
        "UPDATE notification_outbox SET fanned_out_at = 0 WHERE fanned_out_at IS NULL AND category <> 'urgent_case'",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    let before = smtp.messages().len();
    let delivered = deliver_all(&app, now).await;
    assert_eq!(delivered.sent, 2);
    let messages = smtp.wait_for(before + 2).await;
    let urgent: Vec<&Received> = messages.iter().filter(|m| m.subject.contains("rgent")).collect();
    assert_eq!(
        urgent.iter().map(|m| m.to.clone()).collect::<BTreeSet<_>>(),
        addresses(&app, &["rivage.biarritz", "rivage.hq"]).await
    );
    assert!(
        urgent.iter().any(|m| m.subject.starts_with("Urgent: "))
            && urgent.iter().any(|m| m.subject.starts_with("Urgent : "))
    );

    // Every notification is in the recipients' lists too, unread.
    let unread = scalar(&app.db, "SELECT COUNT(*) FROM notifications WHERE read_at IS NULL").await;
    assert_eq!(unread as usize, smtp.messages().len());
    app.stop().await;
}

/// Writes `count` notifications for Librairie du Port's only user (one outbox row each, about
/// one of its cases); their ids.
async fn produce(app: &TestApp, count: usize) {
    let dispute = scalar(
        &app.db,
        "SELECT d.id FROM disputes d JOIN establishments e ON e.id = d.establishment_id \
         WHERE e.number = '9421000060' ORDER BY d.id LIMIT 1",
    )
    .await;
    let establishment = scalar(&app.db, "SELECT id FROM establishments WHERE number = '9421000060'").await;
    for _ in 0..count {
        sqlx::query(
            "INSERT INTO notification_outbox (category, event, organisation_id, establishment_id, dispute_id, created_at) \
             VALUES ('case_update', 'info_requested', (SELECT organisation_id FROM establishments WHERE id = $1), $1, $2, 0)",
        )
        .bind(establishment)
        .bind(dispute)
        .execute(&app.db.pool)
        .await
        .unwrap();
    }
}

/// How many times each Message-ID arrived.
fn arrivals(messages: &[Received]) -> HashMap<String, usize> {
    let mut seen = HashMap::new();
    for message in messages {
        *seen.entry(message.message_id.clone()).or_default() += 1;
    }
    seen
}

#[tokio::test]
async fn emails_wait_for_a_stopped_smtp_server_then_all_arrive_once() {
    let mut smtp = SmtpServer::start().await;
    let app = demo_with(&smtp).await;
    smtp.stop();
    produce(&app, 200).await;
    let now = app::clock::now();
    let down = deliver_all(&app, now).await;
    assert_eq!((down.sent, down.retried, down.failed), (0, 200, 0));
    assert_eq!(
        scalar(&app.db, "SELECT COUNT(*) FROM notifications WHERE email_state = 'pending' AND attempts = 1").await,
        200
    );
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM notification_attempts WHERE error IS NOT NULL").await, 200);
    // Not retried before the backoff has passed.
    assert_eq!(deliver_all(&app, now + 10).await, delivery::Delivered::default());

    smtp.start_again().await;
    let up = deliver_all(&app, now + 31).await;
    assert_eq!(up.sent, 200);
    let messages = smtp.wait_for(200).await;
    let seen = arrivals(&messages);
    assert_eq!(seen.len(), 200, "every notification arrived");
    assert!(seen.values().all(|times| *times == 1), "none twice");
    assert_eq!(messages.len(), 200);
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM notifications WHERE email_state = 'sent'").await, 200);
    app.stop().await;
}

#[tokio::test]
async fn delivery_stopped_half_way_resumes_after_the_lease_losing_nothing() {
    let smtp = SmtpServer::start().await;
    let app = demo_with(&smtp).await;
    produce(&app, 200).await;
    let now = app::clock::now();
    fan_out::fan_out(&app.db, now).await.unwrap();
    // A delivery pass dropped in the middle, like a process killed: some emails sent, the rest
    // claimed (leased) and never recorded.
    let (mailer, public_url) = app_services(&app);
    let pass = delivery::deliver(&app.db, &mailer, &public_url, now);
    tokio::select! {
        _ = pass => panic!("the pass was meant to be cut off"),
        _ = smtp.wait_for(20) => {}
    }
    let stuck = scalar(&app.db, "SELECT COUNT(*) FROM notifications WHERE email_state = 'sending'").await;
    assert!(stuck > 0, "the cut-off pass left claimed emails");
    // Before the lease ends nobody takes them; after it, they are sent.
    let early = deliver_all(&app, now + 1).await;
    assert!(early.sent < 200);
    let late = deliver_all(&app, now + 121).await;
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM notifications WHERE email_state = 'sent'").await, 200);
    assert!(late.sent > 0);
    let messages = smtp.wait_for(200).await;
    let seen = arrivals(&messages);
    assert_eq!(seen.len(), 200, "nothing lost");
    // Only an email accepted by the SMTP server in the instant before the cut, not yet
    // recorded, can go again, and then under the same Message-ID (one message to the reader).
    let again: usize = seen.values().map(|times| times - 1).sum();
    assert!(again <= 8, "{again} sent twice; at most the 8 in flight may be");
    app.stop().await;
}

#[tokio::test]
async fn two_workers_delivering_at_once_send_each_email_once() {
    let smtp = SmtpServer::start().await;
    let app = demo_with(&smtp).await;
    produce(&app, 300).await;
    let now = app::clock::now();
    let (first, second) = tokio::join!(deliver_all(&app, now), deliver_all(&app, now));
    assert_eq!(first.sent + second.sent, 300);
    let messages = smtp.wait_for(300).await;
    assert_eq!(messages.len(), 300, "none twice");
    assert_eq!(arrivals(&messages).len(), 300);
    app.stop().await;
}
