//! The offline capture file on the demo data: 10,000 lines of which 50 are bad (unknown
//! authorisation or establishment, amount above the authorisation or not a number, a second
//! capture of one authorisation) give 9,950 captures and a result file naming the 50 with their
//! reasons; the same file sent again captures nothing twice, and replays its first result
//! under the same `Idempotency-Key`.

use super::api::{authorisation, establishment_id, gateway_key};
use portal_tests::{scalar, spawn_app_with_demo_today, TestApp};

const OPERA: &str = "9421000011";
const HEADER: &str =
    "establishment_number,parent_operation_id,amount,merchant_reference,settlement_amount,settlement_rate";

async fn send_file(app: &TestApp, key: &str, idempotency: &str, file: &str) -> (u16, String, Option<String>, String) {
    let response = app
        .client
        .post(app.url("/api/v1/capture-files"))
        .bearer_auth(key)
        .header("idempotency-key", idempotency)
        .header("content-type", "text/csv")
        .body(file.to_owned())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let content_type = response.headers()["content-type"].to_str().unwrap().to_owned();
    let replayed = response.headers().get("idempotent-replayed").map(|v| v.to_str().unwrap().to_owned());
    (status, content_type, replayed, response.text().await.unwrap())
}

/// The result file's lines as (line, result, reason, column).
fn results(file: &str) -> Vec<(usize, String, String, String)> {
    let mut lines = file.lines();
    assert_eq!(lines.next(), Some("line,result,operation_id,amount,reason,column"));
    lines
        .map(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            (cells[0].parse().unwrap(), cells[1].to_owned(), cells[4].to_owned(), cells[5].to_owned())
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_capture_file_applies_its_good_lines_once_and_names_every_bad_one() {
    let app = spawn_app_with_demo_today().await;
    let key = gateway_key(&app).await;
    // One authorisation sent over the API, then 9,999 more like it written directly (sending
    // 10,000 requests would take most of the test's time).
    let sent = app
        .client
        .post(app.url("/api/v1/operations"))
        .bearer_auth(&key)
        .header("idempotency-key", "batch-template")
        .json(&authorisation(OPERA, 4200, "BATCH"))
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 201);
    let template: serde_json::Value = sent.json().await.unwrap();
    let template = template["id"].as_i64().unwrap();
    sqlx::query(&format!(
        "INSERT INTO api_operations (key_id, establishment_id, kind, status, authorization_code, amount, currency, \
         card_masked, card_last4, card_expiry, card_token, merchant_reference, details, created_at) \
         SELECT key_id, establishment_id, kind, status, authorization_code, amount, currency, card_masked, card_last4, \
         card_expiry, card_token, merchant_reference, details, created_at FROM api_operations, \
         (WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 9999) SELECT n FROM seq) s \
         WHERE id = {template}"
    ))
    .execute(&app.db.pool)
    .await
    .unwrap();
    let opera = establishment_id(&app, OPERA).await;
    let ids: Vec<i64> = sqlx::query_scalar(&format!(
        "SELECT id FROM api_operations WHERE establishment_id = {opera} AND kind = 'authorization' AND captured = 0 ORDER BY id"
    ))
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(ids.len(), 10_000);
    let charges_before = scalar(
        &app.db,
        &format!("SELECT COUNT(*) FROM transactions WHERE establishment_id = {opera} AND kind = 'charge'"),
    )
    .await;

    // 9,950 good lines (half of them for part of the authorisation), then 50 bad ones.
    let mut file = format!("{HEADER}\n");
    for (index, id) in ids[..9_950].iter().enumerate() {
        let amount = if index % 2 == 0 { String::new() } else { "4000".to_owned() };
        file.push_str(&format!("{OPERA},{id},{amount},CAP-{index},,\n"));
    }
    let mut expected = Vec::new();
    for n in 0..10 {
        file.push_str(&format!("{OPERA},{},,,,\n", 900_000_000 + n));
        expected.push(("not-found", "parent_operation_id"));
    }
    for id in &ids[9_950..9_960] {
        file.push_str(&format!("{OPERA},{id},4201,,,\n"));
        expected.push(("above-authorised", "amount"));
    }
    for id in &ids[..10] {
        file.push_str(&format!("{OPERA},{id},,,,\n"));
        expected.push(("already-captured", "parent_operation_id"));
    }
    for id in &ids[9_960..9_970] {
        file.push_str(&format!("9999999999,{id},,,,\n"));
        expected.push(("not-found", "establishment_number"));
    }
    for id in &ids[9_970..9_980] {
        file.push_str(&format!("{OPERA},{id},12.50,,,\n"));
        expected.push(("invalid", "amount"));
    }

    let (status, content_type, replayed, result) = send_file(&app, &key, "file-1", &file).await;
    assert_eq!(status, 200, "{result}");
    assert!(content_type.starts_with("text/csv"), "{content_type}");
    assert_eq!(replayed, None);
    let lines = results(&result);
    assert_eq!(lines.len(), 10_000);
    assert_eq!(lines.iter().filter(|line| line.1 == "accepted").count(), 9_950);
    let refused: Vec<(&str, &str)> =
        lines.iter().filter(|line| line.1 == "refused").map(|line| (line.2.as_str(), line.3.as_str())).collect();
    assert_eq!(refused, expected);
    assert_eq!(lines[9_950].0, 9_952, "line numbers count the header as line 1");
    let captures = format!("SELECT COUNT(*) FROM api_operations WHERE establishment_id = {opera} AND kind = 'capture'");
    assert_eq!(scalar(&app.db, &captures).await, 9_950);
    let charges = format!("SELECT COUNT(*) FROM transactions WHERE establishment_id = {opera} AND kind = 'charge'");
    assert_eq!(scalar(&app.db, &charges).await, charges_before + 9_950);
    let charged = format!(
        "SELECT CAST(COALESCE(SUM(t.amount), 0) AS BIGINT) FROM transactions t JOIN api_operations o ON o.transaction_id = t.id \
         WHERE o.kind = 'capture' AND o.establishment_id = {opera}"
    );
    assert_eq!(scalar(&app.db, &charged).await, 4_975 * 4200 + 4_975 * 4000);

    // The same file under the same key: the first result, nothing applied.
    let (status, _, replayed, again) = send_file(&app, &key, "file-1", &file).await;
    assert_eq!((status, replayed.as_deref()), (200, Some("true")));
    assert_eq!(again, result);
    // Under another key: every line refused, nothing captured twice.
    let (status, _, _, second) = send_file(&app, &key, "file-2", &file).await;
    assert_eq!(status, 200);
    let second = results(&second);
    assert_eq!(second.iter().filter(|line| line.1 == "accepted").count(), 0);
    assert_eq!(second[0].2, "already-captured");
    assert_eq!(scalar(&app.db, &captures).await, 9_950);
    assert_eq!(scalar(&app.db, &charges).await, charges_before + 9_950);
}

#[tokio::test]
async fn a_file_that_is_not_a_capture_file_is_refused_whole() {
    let app = spawn_app_with_demo_today().await;
    let key = gateway_key(&app).await;
    let (status, content_type, _, body) = send_file(&app, &key, "bad-1", "id;amount\n1;2\n").await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(content_type, "application/problem+json");
    assert!(body.contains("establishment_number,parent_operation_id"), "the problem names the header: {body}");
    // A full card number anywhere in the file: refused before it is read, stored nowhere.
    let file = format!("{HEADER}\n{OPERA},1,,4111111111111111,,\n");
    let (status, _, _, body) = send_file(&app, &key, "bad-2", &file).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM api_idempotency WHERE idempotency_key LIKE 'bad-%'").await, 0);
}
