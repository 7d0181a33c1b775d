//! Tests on the release server as a real process: killed mid-work and started again. Ignored
//! by default: they need the release build (`scripts/test.sh` builds it, then runs them with
//! the browser tests: `cargo test -p portal-tests --test suite -- --ignored processes::`).
//! The crash during submissions runs on SQLite and on PostgreSQL (the local server that
//! `scripts/test.sh` starts).

use app::db::Db;
use app::notifications::delivery::PARALLEL;
use portal_tests::browser::ReleaseServer;
use portal_tests::load::{form_field, sign_in_all};
use portal_tests::notify::produce;
use portal_tests::smtp::SmtpServer;
use portal_tests::{fresh_postgres_url, scalar, text, Visitor};
use reqwest::multipart::{Form, Part};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
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

/// Clients submitting at once when the server is killed, each its own session and case.
const SUBMITTERS: usize = 100;
/// Submissions acknowledged before the kill: the others are still being received, stored or
/// committed.
const KILL_AFTER: usize = 25;
/// The merchants who may answer the Opéra shop's cases (Maison Lemaire is central).
const ANSWERERS: [&str; 3] = ["opera", "lemaire.hq", "lemaire.admin"];
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n";

/// One client's submission: its session, its case and the response form as it was shown.
struct Submission {
    visitor: Visitor,
    case: String,
    version: String,
    key: String,
}

impl Submission {
    /// Sends the response (comments and one PDF) to the server at `address`; whether the server
    /// acknowledged it (303 back to the case), or `None` when no answer came.
    async fn send(&self, address: &str) -> Option<bool> {
        let form = Form::new()
            .text("version", self.version.clone())
            .text("idempotency_key", self.key.clone())
            .text("comments", format!("Réponse au litige {}", self.case))
            .text("ticked", "0")
            .text("intent", "submit")
            .part("documents", Part::bytes(PDF.to_vec()).file_name(format!("preuve {}.pdf", self.case)));
        let url = format!("{address}/disputes/{}/response", self.case);
        let response = self.visitor.client.post(url).multipart(form).send().await.ok()?;
        let location = response.headers().get("location").and_then(|value| value.to_str().ok()).unwrap_or_default();
        Some(response.status() == 303 && location == format!("/disputes/{}", self.case))
    }
}

/// What the database holds of a case's submission: all of it, or none of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stored {
    Whole,
    Absent,
}

/// Reads what a case's submission wrote, and says whether it is whole or absent; panics on
/// anything in between (or on a submission stored more than once).
async fn stored(db: &Db, documents: &std::path::Path, submission: &Submission) -> Stored {
    let case = &submission.case;
    let id = scalar(db, &format!("SELECT id FROM disputes WHERE case_number = '{case}'")).await;
    let count = |sql: String| async move { scalar(db, &sql).await };
    let status = text(db, &format!("SELECT status FROM disputes WHERE id = {id}")).await;
    let responses = count(format!("SELECT COUNT(*) FROM responses WHERE dispute_id = {id}")).await;
    let submitted = count(format!(
        "SELECT COUNT(*) FROM responses WHERE dispute_id = {id} AND state = 'submitted' AND idempotency_key = '{}'",
        submission.key
    ))
    .await;
    let keys: Vec<String> = sqlx::query_scalar("SELECT storage_key FROM documents WHERE dispute_id = $1")
        .bind(id)
        .fetch_all(&db.pool)
        .await
        .unwrap();
    let files = keys.iter().filter(|key| documents.join(key).is_file()).count();
    let events = |action: &str| {
        count(format!("SELECT COUNT(*) FROM case_events WHERE dispute_id = {id} AND action = '{action}'"))
    };
    let (added, submitted_events) = (events("document_added").await, events("submitted").await);
    let outbox = count(format!(
        "SELECT COUNT(*) FROM notification_outbox WHERE dispute_id = {id} AND category = 'case_update' AND event = 'submitted'"
    ))
    .await;
    let footprint = (status.as_str(), responses, submitted, keys.len(), files, added, submitted_events, outbox);
    match footprint {
        ("under_review", 1, 1, 1, 1, 1, 1, 1) => Stored::Whole,
        ("needs_response", 0, 0, 0, 0, 0, 0, 0) => Stored::Absent,
        _ => panic!(
            "{case} is half-written: (status, responses, submitted with its key, documents, their files, \
             document events, submitted events, outbox rows) = {footprint:?}"
        ),
    }
}

/// Stored document files no document row names (written before a transaction that never
/// committed).
fn unreferenced_files(documents: &std::path::Path, keys: &[String]) -> usize {
    let mut found = 0;
    let Ok(cases) = std::fs::read_dir(documents.join("cases")) else { return 0 };
    for case in cases.flatten() {
        for file in std::fs::read_dir(case.path()).into_iter().flatten().flatten() {
            let key = format!("cases/{}/{}", case.file_name().to_string_lossy(), file.file_name().to_string_lossy());
            found += usize::from(!keys.contains(&key));
        }
    }
    found
}

/// The demo on `database_url` (SQLite in the server's folder when `None`), 100 new inquiries
/// for the Opéra shop, 100 signed-in merchants submitting one each with a PDF, the server killed
/// (SIGKILL) after 25 acknowledgements; after the restart every case's submission is whole or
/// absent, every acknowledged one whole and stored once; then the clients that had no answer
/// send the same form again (as a browser's retry would) and every case is submitted once.
async fn killed_during_submissions(database_url: Option<String>) {
    let mut variables =
        vec![("AUTH_RATE_LIMIT", "1000000"), ("DEADLINE_SWEEP_SECONDS", "0"), ("NOTIFY_INTERVAL_MS", "0")];
    if let Some(url) = &database_url {
        variables.push(("DATABASE_URL", url));
    }
    let mut server = ReleaseServer::start_with(&variables).await;
    let db = Db::connect(&server.database_url()).await.unwrap();
    let documents = server.data_dir().join("documents");

    // 100 open inquiries, opened by the analyst on charges of the Opéra shop.
    let references: Vec<String> = sqlx::query_scalar(
        "SELECT t.reference FROM transactions t JOIN establishments e ON e.id = t.establishment_id \
         WHERE e.number = '9421000011' AND t.kind = 'charge' \
         AND NOT EXISTS (SELECT 1 FROM disputes d WHERE d.transaction_id = t.id) ORDER BY t.id LIMIT $1",
    )
    .bind(SUBMITTERS as i64)
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(references.len(), SUBMITTERS, "the demo has enough undisputed charges");
    let analyst = Visitor::new(&server.address);
    analyst.sign_in_demo("analyst").await;
    let reply_by = (app::clock::paris_today() + chrono::Duration::days(20)).to_string();
    let mut cases = Vec::new();
    for reference in &references {
        let fields =
            [("reference", reference.as_str()), ("stage", "inquiry"), ("reason_code", "004"), ("reply_by", &reply_by)];
        let opened = analyst.post("/review/open", &fields).await;
        assert_eq!(opened.status(), 303, "the analyst opens a case on {reference}");
        cases.push(opened.headers()["location"].to_str().unwrap().trim_start_matches("/disputes/").to_owned());
    }

    // Each client signs in (its own session) and opens its case's response form.
    let logins: Vec<&str> = (0..SUBMITTERS).map(|index| ANSWERERS[index % ANSWERERS.len()]).collect();
    let visitors = sign_in_all(&server.address, &logins, 4).await;
    let mut submissions = Vec::new();
    for (visitor, case) in visitors.into_iter().zip(cases) {
        let page = visitor.page(&format!("/disputes/{case}")).await;
        let version = form_field(&page, "version").expect("the case's response form");
        let key = form_field(&page, "idempotency_key").expect("the form's idempotency key");
        assert!(key.bytes().all(|byte| byte.is_ascii_hexdigit()), "a hexadecimal key: {key}");
        submissions.push(Arc::new(Submission { visitor, case, version, key }));
    }

    // All submit at once; the server is killed once 25 have been acknowledged.
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let start = Arc::new(tokio::sync::Barrier::new(SUBMITTERS + 1));
    let mut tasks = Vec::new();
    for submission in &submissions {
        let (submission, acknowledged, start, address) =
            (submission.clone(), acknowledged.clone(), start.clone(), server.address.clone());
        tasks.push(tokio::spawn(async move {
            start.wait().await;
            let answer = submission.send(&address).await;
            if answer == Some(true) {
                acknowledged.fetch_add(1, Ordering::SeqCst);
            }
            answer
        }));
    }
    start.wait().await;
    for _ in 0..60_000 {
        if acknowledged.load(Ordering::SeqCst) >= KILL_AFTER {
            break;
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    assert!(
        acknowledged.load(Ordering::SeqCst) >= KILL_AFTER,
        "{KILL_AFTER} submissions were acknowledged within a minute"
    );
    server.kill_and_restart().await;
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.unwrap());
    }
    let acknowledged: Vec<bool> = answers.iter().map(|answer| *answer == Some(true)).collect();
    let unanswered = answers.iter().filter(|answer| answer.is_none()).count();
    assert!(
        answers.iter().all(|answer| *answer != Some(false)),
        "every answer before the kill acknowledged the submission: {answers:?}"
    );
    assert!(unanswered > 0, "the server was killed while submissions were in flight");

    // After the restart: each case is whole or absent; each acknowledged one is whole, once.
    let mut whole_unacknowledged = 0;
    for (submission, acknowledged) in submissions.iter().zip(&acknowledged) {
        let stored = stored(&db, &documents, submission).await;
        if *acknowledged {
            assert_eq!(stored, Stored::Whole, "{} was acknowledged", submission.case);
        } else if stored == Stored::Whole {
            whole_unacknowledged += 1;
        }
    }
    let keys: Vec<String> = sqlx::query_scalar("SELECT storage_key FROM documents").fetch_all(&db.pool).await.unwrap();
    let leftover_files = unreferenced_files(&documents, &keys);
    let health = reqwest::get(server.url("/healthz")).await.unwrap().status();
    assert_eq!(health, 200, "the restarted server answers");

    // The clients without an answer send the same form again: the server applies each once.
    for (submission, acknowledged) in submissions.iter().zip(&acknowledged) {
        if !acknowledged {
            assert_eq!(submission.send(&server.address).await, Some(true), "{} is sent again", submission.case);
            let page =
                submission.visitor.client.get(server.url(&format!("/disputes/{}", submission.case))).send().await;
            let page = page.unwrap().text().await.unwrap();
            assert!(
                page.contains("data-testid=\"notice\""),
                "{} is confirmed as submitted: {}",
                submission.case,
                page.split("<main").nth(1).unwrap_or(&page).chars().take(3000).collect::<String>()
            );
        }
    }
    for submission in &submissions {
        assert_eq!(stored(&db, &documents, submission).await, Stored::Whole, "{} is submitted once", submission.case);
    }

    // The files of the submissions that never committed go with the orphan sweep (run here with
    // no grace period), and only those: every submission keeps its document.
    let store = app::disputes::files::DocumentStore::local(&documents).unwrap();
    let swept = app::disputes::files::delete_orphans(&store, &db, Duration::ZERO).await.unwrap();
    let keys: Vec<String> = sqlx::query_scalar("SELECT storage_key FROM documents").fetch_all(&db.pool).await.unwrap();
    assert_eq!(unreferenced_files(&documents, &keys), 0, "the sweep leaves no unrecorded file");
    for submission in &submissions {
        assert_eq!(stored(&db, &documents, submission).await, Stored::Whole, "{} keeps its document", submission.case);
    }
    println!(
        "killed after {} of {SUBMITTERS} submissions acknowledged ({unanswered} without an answer, {whole_unacknowledged} \
         of them committed); after the restart each case was whole or absent and every acknowledged one whole, once; \
         the {unanswered} sent again were each applied once; {leftover_files} stored file(s) of uncommitted submissions left, \
         {swept} deleted by the orphan sweep",
        acknowledged.iter().filter(|acknowledged| **acknowledged).count()
    );
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the release build; scripts/test.sh runs it"]
async fn a_server_killed_while_100_clients_submit_keeps_each_submission_whole_or_absent_on_sqlite() {
    killed_during_submissions(None).await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the release build and the local PostgreSQL; scripts/test.sh runs it"]
async fn a_server_killed_while_100_clients_submit_keeps_each_submission_whole_or_absent_on_postgres() {
    killed_during_submissions(Some(fresh_postgres_url().await)).await;
}
