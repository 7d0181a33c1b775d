//! The gateway API on the demo data: keys issued on the admin pages (gateway and organisation),
//! scopes, another organisation's establishment answered "not found", revoked keys, the CSRF
//! guard letting bearer calls through; every operation and its refusals, each checked against
//! what the ledger holds; idempotency (replay, 409, 20 concurrent sends); full card numbers
//! refused and stored nowhere; the Plan Amex terms and their place on the transaction.

use portal_tests::{scalar, spawn_app_with_demo_today, TestApp};
use serde_json::{json, Value};

const OPERA: &str = "9421000011";
const LYON: &str = "9421000029";
const NICE: &str = "9421000045";

/// Issues a key on a key page as `admin` (signed in), returning its secret.
async fn issue_key(app: &TestApp, username: &str, page: &str, form: &[(&str, &str)]) -> String {
    let visitor = app.visitor();
    visitor.sign_in_demo(username).await;
    let listing = visitor.page(page).await;
    let mut form: Vec<(&str, &str)> = form.to_vec();
    let organisation;
    if page.starts_with("/organisation") {
        organisation = portal_tests::hidden_value(&listing, "organisation");
        form.push(("organisation", &organisation));
    }
    let shown = visitor.submit(page, &form).await;
    let marker = "data-secret=\"";
    let start = shown.find(marker).unwrap_or_else(|| panic!("the secret is shown: {shown}")) + marker.len();
    shown[start..start + shown[start..].find('"').unwrap()].to_owned()
}

pub(crate) async fn establishment_id(app: &TestApp, number: &str) -> i64 {
    scalar(&app.db, &format!("SELECT id FROM establishments WHERE number = '{number}'")).await
}

/// A gateway key for every establishment, both scopes.
pub(crate) async fn gateway_key(app: &TestApp) -> String {
    issue_key(
        app,
        "admin",
        "/admin/api-keys",
        &[("name", "Gateway"), ("can_send", "on"), ("can_read", "on"), ("reach", "all")],
    )
    .await
}

struct Api<'a> {
    app: &'a TestApp,
    key: String,
}

impl Api<'_> {
    async fn post_with(&self, path: &str, idempotency: &str, body: &Value) -> (u16, Value) {
        let response = self
            .app
            .client
            .post(self.app.url(path))
            .bearer_auth(&self.key)
            .header("idempotency-key", idempotency)
            .header("accept-language", "en")
            .json(body)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    async fn post(&self, body: &Value) -> (u16, Value) {
        let key = format!("k-{}", rand_key());
        self.post_with("/api/v1/operations", &key, body).await
    }

    async fn get(&self, path: &str) -> (u16, Value) {
        let response = self.app.client.get(self.app.url(path)).bearer_auth(&self.key).send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }
}

fn rand_key() -> u64 {
    use rand::Rng;
    rand::rng().random()
}

pub(crate) fn authorisation(number: &str, amount: i64, reference: &str) -> Value {
    json!({
        "type": "authorization",
        "establishment_number": number,
        "amount": amount,
        "currency": "EUR",
        "card": { "first_six": "374245", "last_four": "1001", "expiry": "2031-08", "token": "tok_demo_1" },
        "merchant_reference": reference,
        "recurring": true,
        "level3": { "customer_reference": "C-77", "tax_amount": 200,
                    "line_items": [{ "description": "Chambre double", "quantity": 2, "unit_price": 6000, "tax_amount": 100 }] }
    })
}

fn child(kind: &str, number: &str, parent: i64, amount: Option<i64>) -> Value {
    let mut body = json!({ "type": kind, "establishment_number": number, "parent_operation_id": parent });
    if let Some(amount) = amount {
        body["amount"] = json!(amount);
    }
    body
}

#[tokio::test]
async fn keys_are_scoped_to_their_establishments_and_revocable() {
    let app = spawn_app_with_demo_today().await;
    let listed = issue_key(
        &app,
        "admin",
        "/admin/api-keys",
        &[
            ("name", "Opéra only"),
            ("can_send", "on"),
            ("reach", "listed"),
            ("establishment", &establishment_id(&app, OPERA).await.to_string()),
        ],
    )
    .await;
    let organisation = issue_key(
        &app,
        "lemaire.admin",
        "/organisation/api-keys",
        &[("name", "Invoicing"), ("can_read", "on"), ("reach", "all")],
    )
    .await;
    assert!(listed.starts_with("mdp_") && organisation.starts_with("mdp_"));
    // Stored hashed: the secret is nowhere in the table.
    let stored =
        scalar(&app.db, &format!("SELECT COUNT(*) FROM api_keys WHERE key_hash = '{}'", app::api::keys::hash(&listed)))
            .await;
    assert_eq!(stored, 1);
    let plain = scalar(
        &app.db,
        &format!("SELECT COUNT(*) FROM api_keys WHERE key_hash = '{listed}' OR key_prefix = '{listed}'"),
    )
    .await;
    assert_eq!(plain, 0);
    let admin_page = {
        let v = app.visitor();
        v.sign_in_demo("admin").await;
        v.page("/admin/api-keys").await
    };
    assert!(admin_page.contains("Opéra only") && !admin_page.contains(&listed), "listed, the secret not shown again");
    assert!(!admin_page.contains("Invoicing"), "organisation keys are the organisation's");

    let gateway = Api { app: &app, key: listed.clone() };
    let (status, body) = gateway.post(&authorisation(OPERA, 1000, "K-1")).await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = gateway.post(&authorisation(LYON, 1000, "K-2")).await;
    assert_eq!((status, body["field"].as_str()), (404, Some("establishment_number")), "not in the key's list: {body}");
    let (status, _) = gateway.get(&format!("/api/v1/transactions?establishment_number={OPERA}")).await;
    assert_eq!(status, 403, "a send-only key cannot read");

    let invoicing = Api { app: &app, key: organisation.clone() };
    let (status, body) = invoicing.get(&format!("/api/v1/transactions?establishment_number={LYON}")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["transactions"].as_array().unwrap().len(), 50);
    let (status, body) = invoicing.get(&format!("/api/v1/transactions?establishment_number={NICE}")).await;
    assert_eq!((status, body["field"].as_str()), (404, Some("establishment_number")), "another organisation's");
    let (status, body) =
        invoicing.get(&format!("/api/v1/transactions?establishment_number={LYON}&from=2020-01-01")).await;
    assert_eq!((status, body["field"].as_str()), (422, Some("from")), "the 35-day rule: {body}");
    let (status, _) = invoicing.post(&authorisation(LYON, 1000, "K-3")).await;
    assert_eq!(status, 403, "a read-only key cannot send");

    // Unknown, missing and revoked keys.
    let nobody = Api { app: &app, key: "mdp_0000".into() };
    assert_eq!(nobody.get(&format!("/api/v1/transactions?establishment_number={LYON}")).await.0, 401);
    let response = app.client.get(app.url("/api/v1/operations/1")).send().await.unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(response.headers()["content-type"], "application/problem+json");
    let org_admin = app.visitor();
    org_admin.sign_in_demo("lemaire.admin").await;
    let page = org_admin.page("/organisation/api-keys").await;
    let organisation_id = portal_tests::hidden_value(&page, "organisation");
    let key_id = scalar(&app.db, "SELECT id FROM api_keys WHERE name = 'Invoicing'").await;
    let revoked = org_admin
        .submit(&format!("/organisation/api-keys/{key_id}/revoke"), &[("organisation", &organisation_id)])
        .await;
    assert!(revoked.contains("data-testid=\"notice\""));
    assert_eq!(invoicing.get(&format!("/api/v1/transactions?establishment_number={LYON}")).await.0, 401);
    // Another organisation's admin cannot revoke it (nor see it).
    let rivage = app.visitor();
    rivage.sign_in_demo("admin").await;
    let response = rivage.post(&format!("/admin/api-keys/{key_id}/revoke"), &[]).await;
    assert_eq!(response.status(), 404, "a platform admin revokes gateway keys only");

    // The CSRF guard: a bearer call passes whatever its origin; a cookie-only one does not.
    let response = app
        .client
        .post(app.url("/api/v1/operations"))
        .bearer_auth(&listed)
        .header("origin", "https://evil.example")
        .header("sec-fetch-site", "cross-site")
        .header("idempotency-key", "cross-1")
        .json(&authorisation(OPERA, 500, "K-4"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let signed_in = app.visitor();
    signed_in.sign_in_demo("admin").await;
    let response = signed_in
        .client
        .post(signed_in.url("/api/v1/operations"))
        .header("sec-fetch-site", "cross-site")
        .header("idempotency-key", "cross-2")
        .body(authorisation(OPERA, 500, "K-5").to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403, "a cross-site request riding a session cookie");
    let last_used = scalar(
        &app.db,
        &format!(
            "SELECT COUNT(*) FROM api_keys WHERE key_hash = '{}' AND last_used_at IS NOT NULL",
            app::api::keys::hash(&listed)
        ),
    )
    .await;
    assert_eq!(last_used, 1);
}

#[tokio::test]
async fn operations_become_ledger_rows_and_refusals_store_nothing() {
    let app = spawn_app_with_demo_today().await;
    let api = Api { app: &app, key: gateway_key(&app).await };
    let opera = establishment_id(&app, OPERA).await;
    let db = &app.db;
    let count = move |sql: String| async move { scalar(db, &sql).await };
    let transactions = move || count(format!("SELECT COUNT(*) FROM transactions WHERE establishment_id = {opera}"));
    let before = transactions().await;
    let pending = move || {
        count(format!(
            "SELECT CAST(COALESCE(SUM(net_amount), 0) AS BIGINT) FROM payments WHERE establishment_id = {opera} AND status = 'pending'"
        ))
    };
    let pending_before = pending().await;

    let (status, auth) = api.post(&authorisation(OPERA, 12_000, "ORDER-API-1")).await;
    assert_eq!(status, 201, "{auth}");
    assert_eq!(auth["status"], "approved");
    assert_eq!(auth["authorization_code"].as_str().unwrap().len(), 6);
    assert_eq!(auth["card"]["masked"], "374245*****1001");
    let auth_id = auth["id"].as_i64().unwrap();
    assert_eq!(transactions().await, before, "an authorisation alone writes no transaction");

    let (status, body) = api.post(&child("capture", OPERA, auth_id, Some(12_001))).await;
    assert_eq!((status, body["field"].as_str()), (422, Some("amount")), "above the authorisation: {body}");
    let (status, capture) = api.post(&child("capture", OPERA, auth_id, Some(10_000))).await;
    assert_eq!(status, 201, "{capture}");
    let (status, body) = api.post(&child("capture", OPERA, auth_id, Some(1_000))).await;
    assert_eq!((status, body["type"].as_str()), (422, Some("/developers/api#already-captured")), "a second capture");
    let capture_id = capture["id"].as_i64().unwrap();
    let charge = capture["transaction_id"].as_i64().unwrap();
    assert_eq!(
        count(format!("SELECT amount FROM transactions WHERE id = {charge} AND kind = 'charge' AND recurring")).await,
        10_000
    );
    assert_eq!(count(format!("SELECT COUNT(*) FROM transaction_line_items WHERE transaction_id = {charge}")).await, 1);
    // In the day's submission and its pending payment, fees of net pricing deducted (2.5 %).
    let submission = count(format!("SELECT submission_id FROM transactions WHERE id = {charge}")).await;
    let today = app::clock::paris_today().to_string();
    assert_eq!(
        count(format!("SELECT COUNT(*) FROM submissions WHERE id = {submission} AND submitted_on = '{today}'")).await,
        1
    );
    let (payment_amount, payment_net): (i64, i64) =
        sqlx::query_as(&format!("SELECT p.submission_amount, p.net_amount FROM payments p JOIN submissions s ON s.payment_id = p.id WHERE s.id = {submission}"))
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(payment_net, payment_amount - payment_amount * 25 / 1000, "net pricing");

    let (status, body) = api.post(&child("refund", OPERA, capture_id, Some(10_001))).await;
    assert_eq!((status, body["field"].as_str()), (422, Some("amount")), "more than captured: {body}");
    assert_eq!(api.post(&child("refund", OPERA, capture_id, Some(6_000))).await.0, 201);
    let (status, body) = api.post(&child("refund", OPERA, capture_id, Some(4_001))).await;
    assert_eq!(
        (status, body["type"].as_str()),
        (422, Some("/developers/api#above-captured")),
        "the total stays within"
    );
    let (status, refund) = api.post(&child("refund", OPERA, capture_id, None)).await;
    assert_eq!((status, refund["amount"].as_i64()), (201, Some(4_000)), "the rest by default");
    assert_eq!(transactions().await, before + 3, "a charge and two refunds");
    assert_eq!(pending().await - pending_before, 0, "charged then refunded in full: the payment nets out");

    // Cancellation of an authorisation, then nothing more on it.
    let (_, second) = api.post(&authorisation(OPERA, 5_000, "ORDER-API-2")).await;
    let second_id = second["id"].as_i64().unwrap();
    let (status, cancelled) = api.post(&child("cancellation", OPERA, second_id, None)).await;
    assert_eq!(status, 201, "{cancelled}");
    let cancellation = cancelled["transaction_id"].as_i64().unwrap();
    assert_eq!(count(format!("SELECT COUNT(*) FROM transactions WHERE id = {cancellation} AND kind = 'cancellation' AND submission_id IS NULL")).await, 1);
    assert_eq!(api.post(&child("capture", OPERA, second_id, None)).await.0, 422, "a cancelled authorisation");

    // A capture cancelled on its day leaves the submission; once submitted it cannot be.
    let (_, third) = api.post(&json!({ "type": "authorization_with_capture", "establishment_number": OPERA, "amount": 7_000,
        "currency": "EUR", "card": { "first_six": "371449", "last_four": "8431", "expiry": "2030-01", "token": "tok_2" } })).await;
    let third_charge = third["transaction_id"].as_i64().unwrap();
    let submitted_before = count(format!("SELECT amount FROM submissions WHERE id = {submission}")).await;
    assert_eq!(api.post(&child("cancellation", OPERA, third["id"].as_i64().unwrap(), None)).await.0, 201);
    assert_eq!(
        count(format!("SELECT amount FROM submissions WHERE id = {submission}")).await,
        submitted_before - 7_000
    );
    assert_eq!(
        count(format!("SELECT COUNT(*) FROM transactions WHERE id = {third_charge} AND submission_id IS NULL")).await,
        1
    );
    let (_, fourth) = api.post(&json!({ "type": "authorization_with_capture", "establishment_number": OPERA, "amount": 3_000,
        "currency": "EUR", "card": { "first_six": "371449", "last_four": "8431", "expiry": "2030-01", "token": "tok_2" } })).await;
    sqlx::query(&format!("UPDATE submissions SET submitted_on = '2000-01-01' WHERE id = {submission}"))
        .execute(&app.db.pool)
        .await
        .unwrap();
    let (status, body) = api.post(&child("cancellation", OPERA, fourth["id"].as_i64().unwrap(), None)).await;
    assert_eq!((status, body["type"].as_str()), (422, Some("/developers/api#already-submitted")), "{body}");
    sqlx::query(&format!("UPDATE submissions SET submitted_on = '{today}' WHERE id = {submission}"))
        .execute(&app.db.pool)
        .await
        .unwrap();

    // Information request, reading back, unknown parent and bad currency.
    let (status, info) = api.post(&child("information_request", OPERA, auth_id, None)).await;
    assert_eq!((status, info["operation"]["captured_amount"].as_i64()), (201, Some(10_000)));
    let (status, read) = api.get(&format!("/api/v1/operations/{capture_id}")).await;
    assert_eq!((status, read["refunded_amount"].as_i64()), (200, Some(10_000)));
    let (status, body) = api.post(&child("capture", LYON, auth_id, None)).await;
    assert_eq!(
        (status, body["field"].as_str()),
        (404, Some("parent_operation_id")),
        "another establishment's operation"
    );
    let mut bad = authorisation(OPERA, 100, "X");
    bad["currency"] = json!("EURO");
    let operations = count("SELECT COUNT(*) FROM api_operations".into()).await;
    let (status, body) = api.post(&bad).await;
    assert_eq!((status, body["field"].as_str()), (422, Some("currency")));
    let (status, _) = api.post(&authorisation("9499999999", 100, "X")).await;
    assert_eq!(status, 404, "unknown establishment");
    assert_eq!(count("SELECT COUNT(*) FROM api_operations".into()).await, operations, "refusals store no operation");

    // The establishment's user finds the charge in the transaction search.
    let user = app.visitor();
    user.sign_in_demo("opera").await;
    let page = user.page("/transactions").await;
    assert!(page.contains("ORDER-API-1"), "the captured charge is listed");
}

#[tokio::test]
async fn idempotency_replays_the_first_answer_and_refuses_another_body() {
    let app = spawn_app_with_demo_today().await;
    let api = Api { app: &app, key: gateway_key(&app).await };
    let body = json!({ "type": "authorization_with_capture", "establishment_number": OPERA, "amount": 2_500,
        "currency": "EUR", "card": { "first_six": "374245", "last_four": "1001", "expiry": "2031-08", "token": "tok_i" },
        "merchant_reference": "IDEM-1" });
    let sends = (0..20).map(|_| api.post_with("/api/v1/operations", "same-key", &body));
    let answers = futures::future::join_all(sends).await;
    let ids: std::collections::BTreeSet<i64> = answers
        .iter()
        .map(|(status, body)| {
            assert_eq!(*status, 201, "{body}");
            body["id"].as_i64().unwrap()
        })
        .collect();
    assert_eq!(ids.len(), 1, "one operation for twenty sends");
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM transactions WHERE reference = 'IDEM-1'").await, 1);
    let mut other = body.clone();
    other["amount"] = json!(2_501);
    let (status, problem) = api.post_with("/api/v1/operations", "same-key", &other).await;
    assert_eq!((status, problem["type"].as_str()), (409, Some("/developers/api#idempotency-conflict")));
    let response =
        app.client.post(app.url("/api/v1/operations")).bearer_auth(&api.key).json(&body).send().await.unwrap();
    assert_eq!(response.status(), 400, "a POST without Idempotency-Key");
}

#[tokio::test]
async fn a_full_card_number_is_refused_and_stored_nowhere() {
    let app = spawn_app_with_demo_today().await;
    let api = Api { app: &app, key: gateway_key(&app).await };
    for (index, number) in ["378282246310005", "4111 1111 1111 1111"].into_iter().enumerate() {
        let mut body = authorisation(OPERA, 1_000, number);
        body["card"]["token"] = json!(format!("t{index}"));
        let (status, problem) = api.post(&body).await;
        assert_eq!((status, problem["type"].as_str()), (422, Some("/developers/api#card-number")));
        let digits = number.replace(' ', "");
        let found = scalar(
            &app.db,
            &format!(
                "SELECT (SELECT COUNT(*) FROM api_operations WHERE merchant_reference LIKE '%{digits}%' OR details LIKE '%{digits}%') \
                 + (SELECT COUNT(*) FROM api_idempotency WHERE response LIKE '%{digits}%') \
                 + (SELECT COUNT(*) FROM transactions WHERE reference LIKE '%{digits}%')"
            ),
        )
        .await;
        assert_eq!(found, 0, "the number is nowhere");
    }
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM api_operations").await, 0);
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM api_idempotency").await, 0);
}

#[tokio::test]
async fn payment_terms_are_exact_and_the_plan_shows_on_the_transaction() {
    let app = spawn_app_with_demo_today().await;
    let api = Api { app: &app, key: gateway_key(&app).await };
    let opera = establishment_id(&app, OPERA).await;
    sqlx::query(&format!("UPDATE establishments SET max_installments = 12 WHERE id = {opera}"))
        .execute(&app.db.pool)
        .await
        .unwrap();
    sqlx::query(&format!("DELETE FROM installment_rates WHERE establishment_id = {opera}"))
        .execute(&app.db.pool)
        .await
        .unwrap();
    sqlx::query(&format!(
        "INSERT INTO installment_rates (establishment_id, installments, rate_basis_points) VALUES ({opera}, 6, 350)"
    ))
    .execute(&app.db.pool)
    .await
    .unwrap();
    let terms = |payments: i64| json!({ "establishment_number": OPERA, "amount": 10_001, "currency": "EUR", "payments": payments });
    let (status, answer) = api.post_with("/api/v1/payment-plans/PLANAMEX/terms", "t-6", &terms(6)).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        answer,
        json!({ "plan_id": "PLANAMEX", "currency": "EUR", "payments": 6, "payment_amount": 1_725, "last_payment_amount": 1_726,
                "interest_rate": "3.50", "total_interest": 350, "total_payable": 10_351 })
    );
    let (status, answer) = api.post_with("/api/v1/payment-plans/PLANAMEX/terms", "t-3", &terms(3)).await;
    assert_eq!(
        (status, answer["total_interest"].as_i64(), answer["payment_amount"].as_i64()),
        (200, Some(0), Some(3_333))
    );
    let (status, problem) = api.post_with("/api/v1/payment-plans/PLANAMEX/terms", "t-13", &terms(13)).await;
    assert_eq!((status, problem["field"].as_str()), (422, Some("payments")), "above the maximum: {problem}");
    let (status, _) = api.post_with("/api/v1/payment-plans/OTHER/terms", "t-x", &terms(3)).await;
    assert_eq!(status, 404);

    let mut body = authorisation(OPERA, 10_001, "PLAN-1");
    body["type"] = json!("authorization_with_capture");
    body["payment_plan"] = json!({ "plan_id": "PLANAMEX", "payments": 6 });
    let (status, answer) = api.post(&body).await;
    assert_eq!(status, 201, "{answer}");
    assert_eq!(answer["payment_plan"]["total_payable"], 10_351);
    let charge = answer["transaction_id"].as_i64().unwrap();
    let (count, each, total): (i64, i64, i64) = sqlx::query_as(&format!(
        "SELECT installment_count, installment_amount, installment_total FROM transactions WHERE id = {charge}"
    ))
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!((count, each, total), (6, 1_725, 10_351));
    // The integration reads the same terms and Level 3 data back.
    let (status, page) = api.get(&format!("/api/v1/transactions?establishment_number={OPERA}")).await;
    assert_eq!(status, 200, "{page}");
    let listed = page["transactions"].as_array().unwrap().iter().find(|t| t["id"] == charge).expect("listed").clone();
    assert_eq!(
        listed["payment_plan"],
        json!({ "plan_id": "PLANAMEX", "payments": 6, "payment_amount": 1_725, "interest_rate": "3.50",
                "total_interest": 350, "total_payable": 10_351 })
    );
    assert_eq!(listed["level3"]["customer_reference"], "C-77");
    assert_eq!(listed["level3"]["line_items"][0]["description"], "Chambre double");
    assert_eq!(listed["level3"]["line_items"][0]["unit_price"], 6000);
    body["payment_plan"]["payments"] = json!(13);
    let (status, problem) = api.post(&body).await;
    assert_eq!((status, problem["field"].as_str()), (422, Some("payment_plan.payments")));
    let user = app.visitor();
    user.sign_in_demo("opera").await;
    let page = user.page("/transactions").await;
    let row = &page[page.find("PLAN-1").expect("the charge is listed")..];
    assert!(row[..row.find("</tr>").unwrap()].contains("PLANAMEX"), "its plan is shown");
}

#[tokio::test]
async fn the_openapi_document_describes_the_answers_sent() {
    let app = spawn_app_with_demo_today().await;
    // Without a key: the document describes the API and reads nobody's data.
    let response = app.client.get(app.url("/api/v1/openapi.json")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    let document: Value = response.json().await.unwrap();
    assert!(document["openapi"].as_str().unwrap().starts_with("3.1"));
    // Every property of a real answer is in the document's schema of it.
    let api = Api { app: &app, key: gateway_key(&app).await };
    let (status, operation) =
        api.post_with("/api/v1/operations", "contract-1", &authorisation(OPERA, 4200, "CONTRACT-1")).await;
    assert_eq!(status, 201, "{operation}");
    let documented = &document["components"]["schemas"]["Operation"]["properties"];
    for (name, _) in operation.as_object().unwrap() {
        assert!(documented[name].is_object(), "`{name}` of an operation is not in the OpenAPI document");
    }
    let (status, problem) = api.post_with("/api/v1/operations", "contract-2", &json!({ "type": "capture" })).await;
    assert_eq!(status, 422);
    let documented = &document["components"]["schemas"]["ProblemDocument"]["properties"];
    for (name, _) in problem.as_object().unwrap() {
        assert!(documented[name].is_object(), "`{name}` of a problem is not in the OpenAPI document");
    }
}
