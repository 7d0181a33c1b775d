//! Benchmark: the deadline sweep over 10,000 overdue inquiries (each becomes an R13
//! chargeback with its debit, events and outbox row) on a fresh SQLite database with the demo
//! data. Prints the time (target: under 10 s); exits with 1 above it.
//!
//!     cargo run --release -p portal-tests --example deadline_sweep

use app::db::Db;
use std::time::Instant;

const INQUIRIES: i64 = 10_000;

#[tokio::main]
async fn main() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let db = Db::connect(&format!("sqlite://{}/bench.db", folder.path().display())).await.expect("the database opens");
    db.migrate().await.expect("migrations");
    let today = portal_tests::test_today();
    server::seed::run(&db, server::seed::SeedSize::Demo, today).await.expect("the demo data loads");
    let yesterday = today - chrono::Duration::days(1);
    let mut round = 0;
    while portal_tests::scalar(&db, "SELECT COUNT(*) FROM disputes WHERE case_number LIKE 'BENCH-%'").await < INQUIRIES
    {
        let missing = INQUIRIES
            - portal_tests::scalar(&db, "SELECT COUNT(*) FROM disputes WHERE case_number LIKE 'BENCH-%'").await;
        sqlx::query(&format!(
            "INSERT INTO disputes (case_number, establishment_id, transaction_id, stage, status, reason_code, disputed_amount, \
                 currency, opened_at, reply_by, version, updated_at) \
             SELECT 'BENCH-{round}-' || id, establishment_id, id, 'inquiry', 'needs_response', 'C08', amount, currency, 0, \
                 '{yesterday}', 0, 0 FROM transactions WHERE amount > 0 ORDER BY id LIMIT {missing}"
        ))
        .execute(&db.pool)
        .await
        .expect("overdue inquiries");
        round += 1;
    }
    let started = Instant::now();
    let report = app::disputes::sweep::sweep(&db, today).await.expect("the sweep runs");
    let elapsed = started.elapsed();
    println!(
        "deadline sweep: {} overdue inquiries became R13 chargebacks in {:.2} s ({:.0}/s; target: 10,000 in under 10 s)",
        report.expired_inquiries,
        elapsed.as_secs_f64(),
        report.expired_inquiries as f64 / elapsed.as_secs_f64()
    );
    if report.expired_inquiries < INQUIRIES as u64 || elapsed.as_secs_f64() >= 10.0 {
        std::process::exit(1);
    }
}
