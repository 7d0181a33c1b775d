//! The demo data's invariants: the organisations and roles the product needs, money that adds
//! up, 16 months of statements, more than 35 days of transactions, disputes in every stage and
//! status with several due within three days, and nothing but masked card numbers.

use app::db::Db;
use chrono::{Duration, Months};
use portal_tests::{scalar, spawn_app, spawn_app_with_demo, test_today};
use server::seed::{self, SeedSize};

async fn strings(db: &Db, sql: &str) -> Vec<String> {
    sqlx::query_scalar::<_, String>(sql).fetch_all(&db.pool).await.unwrap_or_else(|error| panic!("{sql}: {error}"))
}

#[tokio::test]
async fn organisations_cover_central_local_and_single_establishments() {
    let app = spawn_app_with_demo().await;
    let shapes = strings(
        &app.db,
        "SELECT o.dispute_config || ':' || CAST(COUNT(e.id) AS TEXT) FROM organisations o JOIN establishments e ON e.organisation_id = o.id GROUP BY o.id, o.dispute_config ORDER BY o.id",
    )
    .await;
    assert_eq!(shapes, ["central:3", "local:2", "local:1"]);
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM establishments WHERE length(number) <> 10").await, 0);
    assert_eq!(
        scalar(&app.db, "SELECT COUNT(*) FROM establishments WHERE NOT dispute_subscribed").await,
        1,
        "one establishment shows the Activate prompt"
    );
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM establishments WHERE activation_code_hash IS NULL").await, 0);
    app.stop().await;
}

#[tokio::test]
async fn every_role_has_a_user_with_a_working_password() {
    let app = spawn_app_with_demo().await;
    for role in ["establishment_user", "hq_user", "org_admin"] {
        assert!(
            scalar(&app.db, &format!("SELECT COUNT(*) FROM memberships WHERE role = '{role}'")).await >= 1,
            "{role}"
        );
    }
    for kind in ["dispute_analyst", "support_agent", "platform_admin"] {
        assert_eq!(scalar(&app.db, &format!("SELECT COUNT(*) FROM users WHERE kind = '{kind}'")).await, 1, "{kind}");
    }
    assert_eq!(
        scalar(&app.db, "SELECT COUNT(*) FROM memberships m JOIN organisations o ON o.id = m.organisation_id WHERE m.role = 'hq_user' AND o.dispute_config = 'local'").await,
        1,
        "an HQ user under local configuration"
    );
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE username = 'opera'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert!(app::accounts::password::verify("Demo-opera-2026".into(), hash.clone()).await.unwrap());
    assert!(!app::accounts::password::verify("Demo-opera-2025".into(), hash).await.unwrap());
    assert_eq!(
        scalar(&app.db, "SELECT COUNT(*) FROM users u WHERE u.kind = 'merchant' AND (SELECT COUNT(*) FROM notification_preferences p WHERE p.user_id = u.id AND p.enabled) <> 5").await,
        0,
        "every merchant starts with the five categories on"
    );
    app.stop().await;
}

#[tokio::test]
async fn every_payment_nets_out_and_both_pricings_have_paid_and_pending_payments() {
    let app = spawn_app_with_demo().await;
    let db = &app.db;
    assert_eq!(
        scalar(
            db,
            "SELECT COUNT(*) FROM payments WHERE net_amount <> submission_amount - fees_and_incentives + adjustments"
        )
        .await,
        0
    );
    // The payment's columns are the sums of its lines.
    assert_eq!(
        scalar(db, "SELECT COUNT(*) FROM payments p WHERE p.net_amount <> (SELECT CAST(SUM(l.amount) AS BIGINT) FROM payment_lines l WHERE l.payment_id = p.id)").await,
        0
    );
    assert_eq!(
        scalar(db, "SELECT COUNT(*) FROM payments p WHERE p.adjustments <> COALESCE((SELECT CAST(SUM(a.amount) AS BIGINT) FROM adjustments a WHERE a.payment_id = p.id), 0)").await,
        0
    );
    assert_eq!(
        scalar(db, "SELECT COUNT(*) FROM submissions s WHERE s.payment_id IS NOT NULL AND s.amount <> (SELECT p.submission_amount FROM payments p WHERE p.id = s.payment_id)").await,
        0
    );
    for pricing in ["net", "gross"] {
        for status in ["paid", "pending"] {
            let count = scalar(db, &format!("SELECT COUNT(*) FROM payments p JOIN establishments e ON e.id = p.establishment_id WHERE e.pricing = '{pricing}' AND p.status = '{status}'")).await;
            assert!(count > 0, "{pricing} pricing, {status}");
        }
    }
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM payments p JOIN establishments e ON e.id = p.establishment_id WHERE e.pricing = 'gross' AND p.fees_and_incentives <> 0").await, 0, "gross pricing shows 0 fees");
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM payments p JOIN establishments e ON e.id = p.establishment_id WHERE e.pricing = 'net' AND p.fees_and_incentives <= 0 AND p.submission_amount > 0").await, 0, "net pricing deducts fees");
    assert_eq!(
        scalar(
            db,
            &format!("SELECT COUNT(*) FROM payments WHERE status = 'pending' AND payment_date <= '{}'", test_today())
        )
        .await,
        0,
        "pending means not yet paid"
    );
    app.stop().await;
}

#[tokio::test]
async fn statements_are_the_last_sixteen_months_and_add_up() {
    let app = spawn_app_with_demo().await;
    let db = &app.db;
    let today = test_today();
    let this_month = today.format("%Y-%m-01").to_string().parse::<chrono::NaiveDate>().unwrap();
    let expected: Vec<String> =
        (1..=16).rev().map(|back| (this_month - Months::new(back)).format("%Y-%m").to_string()).collect();
    for number in strings(db, "SELECT number FROM establishments ORDER BY number").await {
        let months = strings(db, &format!("SELECT s.month FROM statements s JOIN establishments e ON e.id = s.establishment_id WHERE e.number = '{number}' ORDER BY s.month")).await;
        assert_eq!(months, expected, "{number}");
    }
    assert_eq!(
        scalar(
            db,
            "SELECT COUNT(*) FROM statements WHERE total_paid <> total_submissions - total_fees + total_adjustments"
        )
        .await,
        0
    );
    assert_eq!(
        scalar(db, "SELECT COUNT(*) FROM statements s WHERE s.total_paid <> COALESCE((SELECT CAST(SUM(l.amount) AS BIGINT) FROM statement_lines l WHERE l.statement_id = s.id), 0)").await,
        0
    );
    // Gross pricing: one commission line a year, in the anniversary month; net pricing: none.
    let commission_by_pricing = strings(db, "SELECT e.pricing || ':' || CAST(COUNT(l.id) AS TEXT) FROM establishments e JOIN statements s ON s.establishment_id = e.id JOIN statement_lines l ON l.statement_id = s.id AND l.kind = 'commission' GROUP BY e.pricing").await;
    assert_eq!(commission_by_pricing.len(), 1, "{commission_by_pricing:?}");
    assert!(commission_by_pricing[0].starts_with("gross:"));
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM statement_lines WHERE kind = 'commission' AND amount >= 0").await, 0);
    app.stop().await;
}

#[tokio::test]
async fn transactions_span_more_than_sixty_days_with_masked_cards_and_installments() {
    let app = spawn_app_with_demo().await;
    let db = &app.db;
    let today = test_today();
    let oldest = scalar(db, "SELECT MIN(occurred_at) FROM transactions").await;
    let newest = scalar(db, "SELECT MAX(occurred_at) FROM transactions").await;
    assert!(
        app::clock::paris_date(oldest) <= today - Duration::days(60),
        "at least 60 days, so the 35-day window shows"
    );
    assert_eq!(app::clock::paris_date(newest), today);
    for kind in ["charge", "refund", "cancellation"] {
        assert!(scalar(db, &format!("SELECT COUNT(*) FROM transactions WHERE kind = '{kind}'")).await > 0, "{kind}");
    }
    assert!(
        scalar(
            db,
            "SELECT COUNT(*) FROM transactions WHERE installment_plan_id = 'PLANAMEX' AND installment_count > 1"
        )
        .await
            > 0
    );
    // Never more than the first six and last four digits.
    for card in strings(db, "SELECT DISTINCT card_masked FROM transactions").await {
        assert!(card.chars().filter(char::is_ascii_digit).count() <= 10, "{card}");
        assert!(card.contains('*'), "{card}");
    }
    assert_eq!(
        scalar(db, "SELECT COUNT(*) FROM transactions WHERE kind = 'cancellation' AND submission_id IS NOT NULL").await,
        0,
        "cancellations are never submitted"
    );
    app.stop().await;
}

#[tokio::test]
async fn disputes_cover_every_stage_and_status_with_several_urgent() {
    let app = spawn_app_with_demo().await;
    let db = &app.db;
    let today = test_today();
    let pairs = strings(db, "SELECT DISTINCT stage || '/' || status FROM disputes ORDER BY 1").await;
    for stage in ["inquiry", "chargeback"] {
        for status in
            ["needs_response", "draft_saved", "under_review", "info_requested", "accepted", "won", "lost", "expired"]
        {
            assert!(pairs.contains(&format!("{stage}/{status}")), "{stage}/{status} missing from {pairs:?}");
        }
    }
    let soon = (today + Duration::days(3)).to_string();
    let urgent = scalar(db, &format!("SELECT COUNT(*) FROM disputes WHERE status IN ('needs_response', 'draft_saved', 'info_requested') AND reply_by >= '{today}' AND reply_by <= '{soon}'")).await;
    assert!(urgent >= 3, "several cases due within 3 days, found {urgent}");
    assert_eq!(
        scalar(
            db,
            &format!("SELECT COUNT(*) FROM disputes WHERE urgent_marked_at IS NOT NULL AND reply_by > '{soon}'")
        )
        .await,
        0
    );
    // Every expired inquiry became exactly one R13 chargeback.
    assert_eq!(
        scalar(db, "SELECT COUNT(*) FROM disputes i WHERE i.stage = 'inquiry' AND i.status = 'expired' AND (SELECT COUNT(*) FROM disputes c WHERE c.parent_dispute_id = i.id AND c.reason_code = 'R13' AND c.stage = 'chargeback') <> 1").await,
        0
    );
    assert_eq!(
        scalar(db, "SELECT COUNT(*) FROM disputes WHERE reason_code = 'R13' AND parent_dispute_id IS NULL").await,
        0
    );
    // Open cases are open, closed ones closed; decided ones have their decision.
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM disputes WHERE (closed_at IS NULL) <> (status IN ('needs_response', 'draft_saved', 'under_review', 'info_requested'))").await, 0);
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM disputes d WHERE d.status IN ('won', 'lost') AND NOT EXISTS (SELECT 1 FROM decisions x WHERE x.dispute_id = d.id)").await, 0);
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM disputes d WHERE d.status = 'under_review' AND NOT EXISTS (SELECT 1 FROM responses r WHERE r.dispute_id = d.id AND r.state = 'submitted')").await, 0);
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM disputes d WHERE NOT EXISTS (SELECT 1 FROM case_events e WHERE e.dispute_id = d.id AND e.action = 'opened')").await, 0);
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM disputes d WHERE d.reason_code <> 'R13' AND NOT EXISTS (SELECT 1 FROM requested_documents r WHERE r.dispute_id = d.id)").await, 0);
    // Every chargeback debited the merchant; every won chargeback was credited back.
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM disputes d WHERE d.stage = 'chargeback' AND NOT EXISTS (SELECT 1 FROM adjustments a WHERE a.dispute_id = d.id AND a.kind = 'chargeback' AND a.amount = -d.disputed_amount)").await, 0);
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM disputes d WHERE d.stage = 'chargeback' AND d.status = 'won' AND NOT EXISTS (SELECT 1 FROM adjustments a WHERE a.dispute_id = d.id AND a.kind = 'chargeback_reversal')").await, 0);
    // Reason codes come from the network's reference list.
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM reason_codes").await, app::disputes::reason_codes::ALL.len() as i64);
    app.stop().await;
}

#[tokio::test]
async fn the_generator_is_deterministic_and_loads_only_into_an_empty_database() {
    let first = spawn_app_with_demo().await;
    let second = spawn_app_with_demo().await;
    for sql in [
        "SELECT COUNT(*) FROM transactions",
        "SELECT CAST(SUM(amount) AS BIGINT) FROM transactions",
        "SELECT CAST(SUM(net_amount) AS BIGINT) FROM payments",
        "SELECT COUNT(*) FROM disputes",
        "SELECT CAST(SUM(disputed_amount) AS BIGINT) FROM disputes",
        "SELECT COUNT(*) FROM case_events",
    ] {
        assert_eq!(scalar(&first.db, sql).await, scalar(&second.db, sql).await, "{sql}");
    }
    let again = seed::run(&first.db, SeedSize::Demo, test_today()).await;
    assert!(matches!(again, Err(seed::SeedError::NotEmpty)), "{again:?}");
    assert_eq!(scalar(&first.db, "SELECT COUNT(*) FROM organisations").await, 3, "nothing added");
    first.stop().await;
    second.stop().await;
}

#[tokio::test]
async fn seeded_rows_leave_room_for_new_ones() {
    // On PostgreSQL the identity sequences must move past the seeded ids.
    let app = spawn_app().await;
    seed::run(&app.db, SeedSize::Demo, test_today()).await.unwrap();
    let highest = scalar(&app.db, "SELECT MAX(id) FROM organisations").await;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO organisations (name, dispute_config, created_at) VALUES ('New', 'central', 0) RETURNING id",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert!(id > highest);
    app.stop().await;
}
