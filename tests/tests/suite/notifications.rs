//! Notifications on the demo data, delivered to a real SMTP server (aiosmtpd, its own process):
//! who receives each category and in which language, preferences, and delivery that loses
//! nothing and sends nothing twice when the SMTP server is down, when delivery stops half-way
//! and when two workers deliver at once. The worker is run by the tests (`deliver_all`), with
//! the clock they choose, instead of on its timer.

use app::notifications::{delivery, fan_out};
use portal_tests::notify::{app_services, deliver_all, demo_with, produce};
use portal_tests::smtp::{Received, SmtpServer};
use portal_tests::{hidden_value, scalar, text, TestApp, Visitor};
use std::collections::{BTreeSet, HashMap};

async fn email_of(app: &TestApp, username: &str) -> String {
    text(&app.db, &format!("SELECT email FROM users WHERE username = '{username}'")).await
}

/// A user's choice for a category, as the profile page records it.
pub(crate) enum Preference {
    Off,
    DailyDigest,
}

pub(crate) async fn set_preference(app: &TestApp, username: &str, category: &str, preference: Preference) {
    let (enabled, digest) = match preference {
        Preference::Off => (false, false),
        Preference::DailyDigest => (true, true),
    };
    sqlx::query(
        "INSERT INTO notification_preferences (user_id, category, enabled, daily_digest) \
         SELECT id, $1, $2, $3 FROM users WHERE username = $4 \
         ON CONFLICT (user_id, category) DO UPDATE SET enabled = $2, daily_digest = $3",
    )
    .bind(category)
    .bind(enabled)
    .bind(digest)
    .bind(username)
    .execute(&app.db.pool)
    .await
    .unwrap();
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
    set_preference(&app, "opera", "new_chargeback", Preference::Off).await;
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
    produce(&app.db, 200).await;
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
    produce(&app.db, 200).await;
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
    assert!(again <= delivery::PARALLEL, "{again} sent twice; at most the {} in flight may be", delivery::PARALLEL);
    app.stop().await;
}

#[tokio::test]
async fn two_workers_delivering_at_once_send_each_email_once() {
    let smtp = SmtpServer::start().await;
    let app = demo_with(&smtp).await;
    produce(&app.db, 300).await;
    let now = app::clock::now();
    let (first, second) = tokio::join!(deliver_all(&app, now), deliver_all(&app, now));
    assert_eq!(first.sent + second.sent, 300);
    let messages = smtp.wait_for(300).await;
    assert_eq!(messages.len(), 300, "none twice");
    assert_eq!(arrivals(&messages).len(), 300);
    app.stop().await;
}

/// The count the header shows.
fn unread_in_header(page: &str) -> i64 {
    let at = page.find("data-testid=\"unread-count\"").expect("the header's count");
    let text = &page[at..];
    let start = text.find('>').unwrap() + 1;
    text[start..start + text[start..].find('<').unwrap()].trim().parse().unwrap()
}

/// The `data:` of the next `unread` event on an event stream.
async fn next_event(stream: &mut reqwest::Response) -> String {
    let mut buffer = String::new();
    loop {
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(15), stream.chunk())
            .await
            .expect("an event within 15 s")
            .unwrap()
            .expect("the stream stays open");
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        if let Some(start) = buffer.find("event: unread\ndata: ") {
            let rest = &buffer[start + "event: unread\ndata: ".len()..];
            if let Some(end) = rest.find('\n') {
                return rest[..end].to_owned();
            }
        }
    }
}

#[tokio::test]
async fn the_notification_centre_counts_lists_marks_read_and_streams_new_ones() {
    let smtp = SmtpServer::start().await;
    let app = demo_with(&smtp).await;
    let analyst = app.visitor();
    analyst.sign_in_demo("analyst").await;
    let first = analyst_opens(&app, &analyst, "9421000060", "inquiry", "004").await;
    deliver_all(&app, app::clock::now()).await;

    let librairie = app.visitor();
    librairie.sign_in_demo("librairie").await;
    let home = librairie.page("/").await;
    assert!(home.contains("data-testid=\"notification-bell\""));
    assert_eq!(unread_in_header(&home), 1);
    let list = librairie.page("/notifications").await;
    assert!(list.contains(&format!("href=\"/disputes/{first}\"")), "the notification links its case");
    assert!(list.contains("Nouvelle demande de renseignements"));
    let id = scalar(&app.db, "SELECT MAX(id) FROM notifications").await.to_string();

    // Someone else's notification cannot be marked; one's own can.
    let opera = app.visitor();
    opera.sign_in_demo("opera").await;
    assert_eq!(opera.post("/notifications/read", &[("id", &id)]).await.status(), 303);
    assert_eq!(
        scalar(&app.db, &format!("SELECT COUNT(*) FROM notifications WHERE id = {id} AND read_at IS NULL")).await,
        1
    );
    assert_eq!(librairie.post("/notifications/read", &[("id", "not a number")]).await.status(), 404);
    let marked = librairie.post("/notifications/read", &[("id", &id)]).await;
    assert_eq!(marked.headers()["location"], "/notifications");
    assert_eq!(unread_in_header(&librairie.page("/").await), 0);
    // Anonymous visitors (a page whose session ended) have no stream: 204 stops the browser's
    // reconnecting quietly.
    let anonymous = app.visitor().get("/notifications/events").await;
    assert_eq!(anonymous.status(), 204);
    assert!(anonymous.text().await.unwrap().is_empty());

    // An open page's stream: the state now, then the next notification without a reload.
    let mut stream = librairie.get("/notifications/events").await;
    assert_eq!(stream.headers()["content-type"], "text/event-stream");
    assert_eq!(next_event(&mut stream).await, format!("0|{first}|Nouvelle demande de renseignements {first}"));
    let second = analyst_opens(&app, &analyst, "9421000060", "chargeback", "C08").await;
    deliver_all(&app, app::clock::now()).await;
    assert_eq!(next_event(&mut stream).await, format!("1|{second}|Nouvel impayé {second}"));

    // Mark all: none left unread.
    librairie.post("/notifications/read", &[]).await;
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM notifications WHERE read_at IS NULL AND user_id = (SELECT id FROM users WHERE username = 'librairie')").await, 0);
    app.stop().await;
}

#[tokio::test]
async fn a_daily_digest_gathers_a_categorys_notifications_into_one_email() {
    let smtp = SmtpServer::start().await;
    let app = demo_with(&smtp).await;
    set_preference(&app, "librairie", "case_update", Preference::DailyDigest).await;
    produce(&app.db, 3).await;
    let now = app::clock::now();
    assert_eq!(deliver_all(&app, now).await.sent, 0, "no email one by one");
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM notifications WHERE email_state = 'digest'").await, 3);
    assert_eq!(
        scalar(&app.db, "SELECT COUNT(*) FROM notifications WHERE read_at IS NULL").await,
        3,
        "still in the list"
    );

    let (mailer, public_url) = app_services(&app);
    assert_eq!(app::notifications::digest::send_digests(&app.db, &mailer, &public_url, now).await.unwrap(), 1);
    let messages = smtp.wait_for(1).await;
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].subject, "Votre résumé quotidien : 3 notifications");
    assert_eq!(messages[0].text.matches("Informations demandées sur").count(), 3, "{}", messages[0].text);
    assert!(messages[0].message_id.starts_with("<digest-"));
    // Sent once: the next run finds nothing.
    assert_eq!(app::notifications::digest::send_digests(&app.db, &mailer, &public_url, now + 86_400).await.unwrap(), 0);
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM notifications WHERE email_state = 'sent'").await, 3);
    app.stop().await;
}

#[tokio::test]
async fn failed_emails_are_shown_to_administrators_who_can_send_them_again() {
    let mut smtp = SmtpServer::start().await;
    let app = demo_with(&smtp).await;
    smtp.stop();
    produce(&app.db, 1).await;
    let now = app::clock::now();
    // Eight attempts an hour apart at most: the last one gives up.
    let mut failed = 0;
    for attempt in 0..delivery::MAX_ATTEMPTS {
        failed += deliver_all(&app, now + attempt * 3600).await.failed;
    }
    assert_eq!(failed, 1);
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM notification_attempts").await, delivery::MAX_ATTEMPTS);
    let id = scalar(&app.db, "SELECT id FROM notifications WHERE email_state = 'failed'").await;

    let merchant = app.visitor();
    merchant.sign_in_demo("librairie").await;
    assert!(merchant.page("/admin/notifications").await.contains("n'existe pas"));
    assert_eq!(merchant.post(&format!("/admin/notifications/{id}/retry"), &[]).await.status(), 404);
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM notifications WHERE email_state = 'failed'").await, 1);

    let admin = app.visitor();
    admin.sign_in_demo("admin").await;
    let page = admin.page("/admin/notifications").await;
    assert!(page.contains("data-testid=\"delivery-failure\""), "the failure is listed");
    assert!(page.contains(&email_of(&app, "librairie").await));
    assert_eq!(admin.post(&format!("/admin/notifications/{id}/retry"), &[]).await.status(), 303);
    smtp.start_again().await;
    let later = now + delivery::MAX_ATTEMPTS * 3600;
    assert_eq!(deliver_all(&app, later).await.sent, 1);
    assert_eq!(smtp.wait_for(1).await.len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn payments_are_announced_once_per_state_to_who_wants_them() {
    let smtp = SmtpServer::start().await;
    let app = demo_with(&smtp).await;
    let today = app::clock::paris_today();
    // Only two payments are recent: one paid today at the bookshop, one pending at Biarritz.
    sqlx::query("UPDATE payments SET payment_date = '2000-01-01'").execute(&app.db.pool).await.unwrap();
    let one_of = |number: &str| {
        format!(
            "SELECT MIN(p.id) FROM payments p JOIN establishments e ON e.id = p.establishment_id WHERE e.number = '{number}'"
        )
    };
    let paid = scalar(&app.db, &one_of("9421000060")).await;
    let pending = scalar(&app.db, &one_of("9421000052")).await;
    for (id, status, date) in [(paid, "paid", today), (pending, "pending", today + chrono::Duration::days(2))] {
        sqlx::query("UPDATE payments SET status = $1, payment_date = $2 WHERE id = $3")
            .bind(status)
            .bind(date.to_string())
            .bind(id)
            .execute(&app.db.pool)
            .await
            .unwrap();
    }
    // Rivage's headquarters switched payments off.
    set_preference(&app, "rivage.hq", "payments", Preference::Off).await;
    let now = app::clock::now();
    assert_eq!(app::notifications::payments::announce(&app.db, today, now).await.unwrap(), 2);
    assert_eq!(app::notifications::payments::announce(&app.db, today, now).await.unwrap(), 0, "once per state");
    let delivered = deliver_all(&app, now).await;
    assert_eq!(delivered.sent, 2);
    let messages = smtp.wait_for(2).await;
    let to = |username: &'static str| {
        let app = &app;
        async move { email_of(app, username).await }
    };
    let bookshop = messages.iter().find(|m| m.subject.starts_with("Paiement effectué")).expect("the paid payment");
    assert!(bookshop.to.contains(&to("librairie").await));
    let paid_reference = text(&app.db, &format!("SELECT reference FROM payments WHERE id = {paid}")).await;
    assert!(bookshop.text.contains(&format!("/payments/{paid_reference}")), "the email links to the payment itself");
    let biarritz =
        messages.iter().find(|m| m.subject.starts_with("Payment pending")).expect("the pending one, in English");
    assert!(biarritz.to.contains(&to("rivage.biarritz").await));
    app.stop().await;
}
