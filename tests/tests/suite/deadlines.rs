//! The deadline sweep on the demo data: overdue inquiries become exactly one R13 chargeback,
//! overdue chargebacks expire, urgent cases are marked once; each change writes its event and
//! its outbox row. On PostgreSQL, two instances sweep at once without doubling anything.

use app::db::Db;
use app::disputes::sweep::{sweep, SweepReport};
use chrono::Duration;
use portal_tests::{scalar, spawn_app_with_demo, test_today, TestApp};

/// Adds `count` inquiries awaiting the merchant whose reply-by date was yesterday.
async fn overdue_inquiries(app: &TestApp, count: i64) {
    let yesterday = test_today() - Duration::days(1);
    let code: String = sqlx::query_scalar("SELECT code FROM reason_codes WHERE kind = 'inquiry' ORDER BY code LIMIT 1")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    sqlx::query(&format!(
        "INSERT INTO disputes (case_number, establishment_id, transaction_id, stage, status, reason_code, disputed_amount, \
             currency, opened_at, reply_by, version, updated_at) \
         SELECT 'TEST-' || id, establishment_id, id, 'inquiry', 'needs_response', '{code}', amount, currency, 0, '{yesterday}', 0, 0 \
         FROM transactions WHERE amount > 0 AND kind = 'charge' ORDER BY id LIMIT {count}"
    ))
    .execute(&app.db.pool)
    .await
    .unwrap();
}

#[tokio::test]
async fn an_overdue_inquiry_becomes_exactly_one_r13_chargeback_with_its_debit() {
    let app = spawn_app_with_demo().await;
    let today = test_today();
    // The demo data is generated for the test day as the worker would have left it.
    assert_eq!(sweep(&app.db, today).await.unwrap(), SweepReport::default());

    let inquiry =
        scalar(&app.db, "SELECT MIN(id) FROM disputes WHERE stage = 'inquiry' AND status = 'needs_response'").await;
    sqlx::query(&format!("UPDATE disputes SET reply_by = '{}' WHERE id = {inquiry}", today - Duration::days(1)))
        .execute(&app.db.pool)
        .await
        .unwrap();
    let before = scalar(&app.db, "SELECT COUNT(*) FROM notification_outbox WHERE category = 'new_chargeback'").await;
    let report = sweep(&app.db, today).await.unwrap();
    assert_eq!(report, SweepReport { expired_inquiries: 1, expired_chargebacks: 0, marked_urgent: 0 });

    assert_eq!(
        scalar(
            &app.db,
            &format!(
                "SELECT COUNT(*) FROM disputes WHERE id = {inquiry} AND status = 'expired' AND closed_at IS NOT NULL"
            )
        )
        .await,
        1
    );
    let chargeback = scalar(&app.db, &format!("SELECT id FROM disputes WHERE parent_dispute_id = {inquiry} AND stage = 'chargeback' AND reason_code = 'R13' AND status = 'needs_response'")).await;
    let amount = scalar(&app.db, &format!("SELECT disputed_amount FROM disputes WHERE id = {inquiry}")).await;
    assert_eq!(
        scalar(
            &app.db,
            &format!("SELECT amount FROM adjustments WHERE dispute_id = {chargeback} AND kind = 'chargeback'")
        )
        .await,
        -amount
    );
    assert_eq!(
        scalar(
            &app.db,
            &format!("SELECT COUNT(*) FROM case_events WHERE dispute_id = {inquiry} AND action = 'expired'")
        )
        .await,
        1
    );
    assert_eq!(
        scalar(
            &app.db,
            &format!("SELECT COUNT(*) FROM case_events WHERE dispute_id = {chargeback} AND action = 'opened'")
        )
        .await,
        1
    );
    assert_eq!(
        scalar(&app.db, "SELECT COUNT(*) FROM notification_outbox WHERE category = 'new_chargeback'").await,
        before + 1
    );

    // Again: nothing left to do.
    assert_eq!(sweep(&app.db, today).await.unwrap(), SweepReport::default());
    assert_eq!(scalar(&app.db, &format!("SELECT COUNT(*) FROM disputes WHERE parent_dispute_id = {inquiry}")).await, 1);
    app.stop().await;
}

#[tokio::test]
async fn an_overdue_chargeback_closes_for_the_cardholder_and_urgent_cases_are_marked_once() {
    let app = spawn_app_with_demo().await;
    let today = test_today();
    let chargeback =
        scalar(&app.db, "SELECT MIN(id) FROM disputes WHERE stage = 'chargeback' AND status = 'draft_saved'").await;
    sqlx::query(&format!("UPDATE disputes SET reply_by = '{}' WHERE id = {chargeback}", today - Duration::days(1)))
        .execute(&app.db.pool)
        .await
        .unwrap();
    // Two cases enter the urgent window (the demo's urgent ones are already marked).
    sqlx::query(&format!(
        "UPDATE disputes SET reply_by = '{}', urgent_marked_at = NULL WHERE id IN \
         (SELECT id FROM disputes WHERE status = 'needs_response' AND urgent_marked_at IS NULL ORDER BY id LIMIT 2)",
        today + Duration::days(2)
    ))
    .execute(&app.db.pool)
    .await
    .unwrap();
    let urgent_due = scalar(
        &app.db,
        &format!(
            "SELECT COUNT(*) FROM disputes WHERE status IN ('needs_response', 'draft_saved', 'info_requested') \
             AND urgent_marked_at IS NULL AND reply_by >= '{today}' AND reply_by <= '{}'",
            today + Duration::days(3)
        ),
    )
    .await;
    let report = sweep(&app.db, today).await.unwrap();
    assert_eq!(report.expired_chargebacks, 1);
    assert_eq!(urgent_due, 2);
    assert_eq!(report.marked_urgent as i64, urgent_due);
    assert_eq!(
        scalar(&app.db, &format!("SELECT COUNT(*) FROM disputes WHERE id = {chargeback} AND status = 'expired'")).await,
        1
    );
    assert_eq!(
        scalar(
            &app.db,
            &format!(
                "SELECT COUNT(*) FROM notification_outbox WHERE dispute_id = {chargeback} AND category = 'case_update'"
            )
        )
        .await,
        1
    );
    let urgent_rows = scalar(&app.db, "SELECT COUNT(*) FROM notification_outbox WHERE category = 'urgent_case'").await;
    assert_eq!(urgent_rows, urgent_due);
    // The next day the same cases are not marked again.
    let next = sweep(&app.db, today + Duration::days(1)).await.unwrap();
    let newly_urgent =
        scalar(&app.db, "SELECT COUNT(*) FROM notification_outbox WHERE category = 'urgent_case'").await - urgent_rows;
    assert_eq!(newly_urgent, next.marked_urgent as i64);
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM (SELECT dispute_id FROM notification_outbox WHERE category = 'urgent_case' GROUP BY dispute_id HAVING COUNT(*) > 1) AS twice").await, 0);
    app.stop().await;
}

#[tokio::test]
async fn two_instances_sweeping_at_once_open_exactly_one_r13_per_inquiry() {
    let app = spawn_app_with_demo().await;
    overdue_inquiries(&app, 600).await;
    // Two pools as two server instances would have (on SQLite they share the file's one writer).
    let url = &app.config.database_url;
    let (first, second) = (Db::connect(url).await.unwrap(), Db::connect(url).await.unwrap());
    let today = test_today();
    let (a, b) = tokio::join!(
        async {
            let mut total = 0;
            while let Ok(report) = sweep(&first, today).await {
                total += report.expired_inquiries;
                if report.expired_inquiries == 0 {
                    break;
                }
            }
            total
        },
        async {
            let mut total = 0;
            while let Ok(report) = sweep(&second, today).await {
                total += report.expired_inquiries;
                if report.expired_inquiries == 0 {
                    break;
                }
            }
            total
        }
    );
    // Whatever a lost race left behind, one more sweep finishes it.
    let rest = sweep(&app.db, today).await.unwrap().expired_inquiries;
    assert_eq!(a + b + rest, 600, "every overdue inquiry expired once ({a} + {b} + {rest})");
    assert_eq!(
        scalar(&app.db, "SELECT COUNT(*) FROM disputes WHERE case_number LIKE 'TEST-%' AND status = 'expired'").await,
        600
    );
    assert_eq!(
        scalar(&app.db, "SELECT COUNT(*) FROM disputes c JOIN disputes i ON i.id = c.parent_dispute_id WHERE i.case_number LIKE 'TEST-%'").await,
        600,
        "exactly one R13 chargeback per inquiry"
    );
    assert_eq!(
        scalar(&app.db, "SELECT COUNT(*) FROM adjustments a JOIN disputes c ON c.id = a.dispute_id JOIN disputes i ON i.id = c.parent_dispute_id WHERE i.case_number LIKE 'TEST-%'").await,
        600,
        "one debit each"
    );
    app.stop().await;
}
