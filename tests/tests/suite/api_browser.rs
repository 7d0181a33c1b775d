//! Browser test of the gateway API's place in the portal: an authorisation with Plan Amex terms
//! and Level 3 data, then its capture, sent over the API with the demo gateway key, appear in
//! the headquarters user's transaction search with the plan's terms and the line items.

use super::browser::{arrived, sign_in_demo, text_of};
use portal_tests::browser::{assert_accessible, click, eval, wait_until, Chromium, ReleaseServer};
use serde_json::{json, Value};

async fn send(server: &ReleaseServer, key: &str, idempotency: &str, body: Value) -> Value {
    let response = reqwest::Client::new()
        .post(server.url("/api/v1/operations"))
        .bearer_auth(key)
        .header("idempotency-key", idempotency)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

#[tokio::test]
#[ignore = "needs the release build and Chromium: run scripts/test.sh"]
async fn a_capture_sent_over_the_api_shows_its_plan_and_line_items_in_the_headquarters_search() {
    let server = ReleaseServer::start().await;
    let key = server.demo_gateway_key();
    let authorisation = send(
        &server,
        &key,
        "browser-auth",
        json!({
            "type": "authorization", "establishment_number": "9421000011", "amount": 60_000, "currency": "EUR",
            "card": { "first_six": "374245", "last_four": "1001", "expiry": "2031-08", "token": "tok_browser" },
            "merchant_reference": "SUITE-ROYALE", "card_on_file": true,
            "payment_plan": { "plan_id": "PLANAMEX", "payments": 6 },
            "level3": { "customer_reference": "CLIENT-12", "ship_to_postcode": "75009",
                        "line_items": [{ "description": "Suite royale, 2 nuits", "quantity": 2, "unit_price": 30_000, "tax_amount": 2_000 }] }
        }),
    )
    .await;
    let parent = authorisation["id"].as_i64().unwrap();
    send(
        &server,
        &key,
        "browser-capture",
        json!({ "type": "capture", "establishment_number": "9421000011", "parent_operation_id": parent }),
    )
    .await;

    let chromium = Chromium::launch().await;
    let page = chromium.page().await;
    sign_in_demo(&page, &server, "lemaire.hq").await;
    page.goto(server.url("/transactions")).await.unwrap();
    arrived(&page, "/transactions").await;
    let opera: String = eval(
        &page,
        "[...document.querySelectorAll('[data-testid=establishment-picker] option')].find(o => o.textContent.includes('Opéra')).value",
    )
    .await;
    // Its card's last digits narrow the search (the demo's own charges of today come later in
    // the day than this one).
    page.evaluate(format!(
        "document.querySelector('[data-testid=establishment-picker]').value = '{opera}'; \
         document.querySelector('#tx-card').value = '1001';"
    ))
    .await
    .unwrap();
    click(&page, "[data-testid=search-transactions]").await;
    wait_until(
        &page,
        &format!("location.search.includes('establishment={opera}') && document.querySelector('[data-testid=transaction-more]') !== null"),
        30,
    )
    .await;
    // The capture's charge, with its plan; its details follow it, in the next row.
    let row = "[...document.querySelectorAll('[data-testid=transaction-row]')].find(r => r.textContent.includes('SUITE-ROYALE'))";
    let charge: String = eval(&page, &format!("{row}.textContent")).await;
    assert!(charge.contains("PLANAMEX × 6") && charge.contains("600,00"), "{charge}");
    let follows: bool = eval(&page, &format!("{row}.nextElementSibling.dataset.testid === 'transaction-more'")).await;
    assert!(follows, "the details row follows the charge's row");
    click(&page, "[data-testid=transaction-more] summary").await;
    let details = text_of(&page, "[data-testid=transaction-more]").await;
    // 600.00 EUR at 2.50 %: 15.00 of interest, 615.00 payable, six payments of 102.50.
    assert!(details.contains("6 échéances de 102,50"), "{details}");
    assert!(details.contains("2,50 %") && details.contains("615,00"), "{details}");
    assert!(details.contains("Carte enregistrée") && details.contains("CLIENT-12"), "{details}");
    let line: String =
        eval(&page, "document.querySelector('[data-testid=details-line-items] tbody tr').textContent").await;
    assert!(line.contains("Suite royale, 2 nuits") && line.contains("300,00"), "{line}");
    assert_accessible(&page).await;
    assert_eq!(chromium.errors(), Vec::<String>::new(), "the console shows no errors");
}
