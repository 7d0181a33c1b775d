//! The schema on the selected engine: migrations apply once and again, every table of the
//! product exists, and the database itself refuses data that breaks the rules.

use portal_tests::{scalar, spawn_app, spawn_app_with_demo};

const TABLES: &[&str] = &[
    "organisations",
    "establishments",
    "users",
    "memberships",
    "account_tokens",
    "sessions",
    "api_keys",
    "payments",
    "submissions",
    "transactions",
    "statements",
    "statement_lines",
    "reason_codes",
    "disputes",
    "requested_documents",
    "responses",
    "documents",
    "decisions",
    "case_events",
    "adjustments",
    "payment_lines",
    "notification_preferences",
    "notification_outbox",
    "notifications",
    "notification_attempts",
    "chat_conversations",
    "chat_messages",
    "message_threads",
    "secure_messages",
    "message_attachments",
];

#[tokio::test]
async fn migrations_apply_once_and_a_second_run_changes_nothing() {
    let app = spawn_app().await;
    let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations/sqlite");
    let migrations = std::fs::read_dir(folder)
        .unwrap()
        .filter(|entry| entry.as_ref().is_ok_and(|e| e.path().extension().is_some_and(|x| x == "sql")))
        .count() as i64;
    assert!(migrations >= 3);
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM _sqlx_migrations").await, migrations);
    app.db.migrate().await.expect("a second run is a no-op");
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM _sqlx_migrations").await, migrations);
    for table in TABLES.iter().filter(|table| **table != "reason_codes") {
        assert_eq!(scalar(&app.db, &format!("SELECT COUNT(*) FROM {table}")).await, 0, "{table} exists and is empty");
    }
    // The network's reason codes are reference data: there from the start, demo or not.
    let codes = scalar(&app.db, "SELECT COUNT(*) FROM reason_codes WHERE code = 'R13' OR code = 'C08'").await;
    assert_eq!(codes, 2);
    assert_eq!(
        scalar(&app.db, "SELECT COUNT(*) FROM reason_codes").await,
        app::disputes::reason_codes::ALL.len() as i64
    );
    app.stop().await;
}

#[tokio::test]
async fn sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout() {
    if portal_tests::engine() != portal_tests::TestEngine::Sqlite {
        return;
    }
    let app = spawn_app().await;
    // Every pooled connection is set up the same way: check several at once.
    let mut connections = Vec::new();
    for _ in 0..3 {
        connections.push(app.db.pool.acquire().await.unwrap());
    }
    for connection in &mut connections {
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&mut **connection).await.unwrap();
        assert_eq!(mode, "wal");
        let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(&mut **connection).await.unwrap();
        assert_eq!(foreign_keys, 1);
        let busy_timeout: i64 = sqlx::query_scalar("PRAGMA busy_timeout").fetch_one(&mut **connection).await.unwrap();
        assert_eq!(busy_timeout, 5000);
    }
    drop(connections);
    app.stop().await;
}

#[tokio::test]
async fn the_audit_trail_cannot_be_changed_or_deleted() {
    let app = spawn_app_with_demo().await;
    let before = scalar(&app.db, "SELECT COUNT(*) FROM case_events").await;
    assert!(before > 0);
    let update = sqlx::query("UPDATE case_events SET detail = 'rewritten'").execute(&app.db.pool).await;
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = sqlx::query("DELETE FROM case_events").execute(&app.db.pool).await;
    assert!(delete.unwrap_err().to_string().contains("append-only"));
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM case_events").await, before);
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM case_events WHERE detail = 'rewritten'").await, 0);
    app.stop().await;
}

/// Each statement breaks one rule the schema enforces.
#[tokio::test]
async fn the_schema_refuses_rows_that_break_its_rules() {
    let app = spawn_app_with_demo().await;
    let establishment = scalar(&app.db, "SELECT MIN(id) FROM establishments").await;
    let organisation = scalar(&app.db, "SELECT MIN(id) FROM organisations").await;
    let user = scalar(&app.db, "SELECT MIN(id) FROM users").await;
    let refused = [
        // A payment whose net is not submission − fees + adjustments.
        format!("INSERT INTO payments (establishment_id, reference, status, payment_date, submission_amount, fees_and_incentives, adjustments, net_amount, created_at) VALUES ({establishment}, 'BAD-1', 'paid', '2026-11-01', 1000, 25, 0, 1000, 0)"),
        // An establishment number that is not 10 digits long.
        format!("INSERT INTO establishments (organisation_id, number, trading_name, pricing, created_at) VALUES ({organisation}, '12345', 'Short', 'net', 0)"),
        // A pricing the product does not have.
        format!("INSERT INTO establishments (organisation_id, number, trading_name, pricing, created_at) VALUES ({organisation}, '1234567890', 'Odd', 'flat', 0)"),
        // An establishment user without an establishment.
        format!("INSERT INTO memberships (user_id, organisation_id, establishment_id, role, created_at) VALUES ({user}, {organisation}, NULL, 'establishment_user', 0)"),
        // A full card number: more than the first six and last four digits visible.
        format!("INSERT INTO transactions (establishment_id, occurred_at, card_masked, card_last4, amount, kind, reference) VALUES ({establishment}, 0, '374245454545100', '5100', 100, 'charge', 'X')"),
        // A dispute status outside the state machine.
        format!("INSERT INTO disputes (case_number, establishment_id, transaction_id, stage, status, reason_code, disputed_amount, opened_at, reply_by, updated_at) SELECT 'X-1', {establishment}, MIN(id), 'inquiry', 'forgotten', 'C08', 100, 0, '2026-12-01', 0 FROM transactions"),
        // A reason code the network does not have.
        format!("INSERT INTO disputes (case_number, establishment_id, transaction_id, stage, status, reason_code, disputed_amount, opened_at, reply_by, updated_at) SELECT 'X-2', {establishment}, MIN(id), 'inquiry', 'needs_response', 'Z99', 100, 0, '2026-12-01', 0 FROM transactions"),
        // A second R13 chargeback for the same inquiry.
        "INSERT INTO disputes (case_number, establishment_id, transaction_id, parent_dispute_id, stage, status, reason_code, disputed_amount, opened_at, reply_by, updated_at) SELECT 'X-3', establishment_id, transaction_id, parent_dispute_id, 'chargeback', 'needs_response', 'R13', 100, 0, '2026-12-01', 0 FROM disputes WHERE parent_dispute_id IS NOT NULL".to_owned(),
        // A document of a type the portal does not accept.
        format!("INSERT INTO documents (dispute_id, uploaded_by, original_name, storage_key, content_type, size_bytes, sha256, created_at) SELECT MIN(id), {user}, 'a.exe', 'k1', 'application/x-msdownload', 10, 'x', 0 FROM disputes"),
    ];
    for statement in &refused {
        let result = sqlx::query(statement).execute(&app.db.pool).await;
        assert!(result.is_err(), "accepted: {statement}");
    }
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM payments WHERE reference = 'BAD-1'").await, 0);
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM disputes WHERE case_number LIKE 'X-%'").await, 0);
    app.stop().await;
}
