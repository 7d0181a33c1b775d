//! The merchant's dispute queues on the demo data: scope, tabs, filters, search, days left and
//! urgent marks, keyset pages, and bad filters refused before any query.

use portal_tests::{scalar, spawn_app_with_demo, test_today, TestApp};

/// Case numbers listed on a queue page, in order.
fn cases(page: &str) -> Vec<String> {
    page.match_indices("data-case=\"")
        .map(|(start, marker)| {
            let rest = &page[start + marker.len()..];
            rest[..rest.find('"').unwrap()].to_owned()
        })
        .collect()
}

async fn establishment_id(app: &TestApp, number: &str) -> i64 {
    scalar(&app.db, &format!("SELECT id FROM establishments WHERE number = '{number}'")).await
}

#[tokio::test]
async fn each_user_sees_only_their_establishments_cases_with_days_left() {
    let app = spawn_app_with_demo().await;
    let anonymous = app.visitor().page("/disputes").await;
    assert!(anonymous.contains("data-testid=\"sign-in-prompt\"") && cases(&anonymous).is_empty());

    let opera = app.visitor();
    opera.sign_in_demo("opera").await;
    let page = opera.page("/disputes").await;
    let listed = cases(&page);
    let opera_id = establishment_id(&app, "9421000011").await;
    let expected = scalar(
        &app.db,
        &format!("SELECT COUNT(*) FROM disputes WHERE establishment_id = {opera_id} AND status IN ('needs_response', 'draft_saved', 'info_requested')"),
    )
    .await;
    assert_eq!(listed.len() as i64, expected.min(25));
    assert!(!page.contains("Hôtel Rivage"), "no other tenant's case");
    assert!(page.contains("badge--urgent"), "cases due within 3 days are marked");
    assert!(page.contains(" j"), "days left are shown");

    // Another tenant's establishment as a filter: not found, nothing listed.
    let nice = establishment_id(&app, "9421000045").await;
    let refused = opera.page(&format!("/disputes?establishment={nice}")).await;
    assert!(cases(&refused).is_empty() && refused.contains("n'existe pas"));

    // Headquarters in local configuration see both hotels.
    let hq = app.visitor();
    hq.sign_in_demo("rivage.hq").await;
    let page = hq.page("/disputes?queue=closed").await;
    assert!(
        page.contains("Hôtel Rivage Nice")
            && page.contains("Hôtel Rivage Biarritz")
            && !page.contains("Maison Lemaire")
    );
    app.stop().await;
}

#[tokio::test]
async fn filters_search_and_bad_values() {
    let app = spawn_app_with_demo().await;
    let visitor = app.visitor();
    visitor.sign_in_demo("lemaire.hq").await;
    let (case_number, last4): (String, String) = sqlx::query_as(
        "SELECT d.case_number, t.card_last4 FROM disputes d JOIN transactions t ON t.id = d.transaction_id \
         JOIN establishments e ON e.id = d.establishment_id WHERE e.number = '9421000011' AND d.status = 'under_review' ORDER BY d.id LIMIT 1",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let found = cases(&visitor.page(&format!("/disputes?queue=under_review&q={case_number}")).await);
    assert_eq!(found, vec![case_number.clone()]);
    assert!(cases(&visitor.page(&format!("/disputes?queue=under_review&q={last4}")).await).contains(&case_number));
    let inquiries = cases(&visitor.page("/disputes?queue=closed&stage=inquiry").await);
    let all_closed = cases(&visitor.page("/disputes?queue=closed").await);
    assert!(!inquiries.is_empty() && inquiries.len() < all_closed.len());

    for bad in ["amount_min=12abc", "from=2026-13-40", "status=closed", "reason=Z99"] {
        let page = visitor.page(&format!("/disputes?{bad}")).await;
        assert!(page.contains("data-testid=\"bad-filter\"") && cases(&page).is_empty(), "{bad}");
    }
    app.stop().await;
}

#[tokio::test]
async fn keyset_pages_list_every_case_once_in_reply_by_order() {
    let app = spawn_app_with_demo().await;
    let opera = establishment_id(&app, "9421000011").await;
    let due = test_today() + chrono::Duration::days(10);
    sqlx::query(&format!(
        "INSERT INTO disputes (case_number, establishment_id, transaction_id, stage, status, reason_code, disputed_amount, \
             currency, opened_at, reply_by, version, updated_at) \
         SELECT 'PAGE-' || id, establishment_id, id, 'inquiry', 'needs_response', 'R13', amount, currency, 0, '{due}', 0, 0 \
         FROM transactions WHERE establishment_id = {opera} AND amount > 0 ORDER BY id LIMIT 40"
    ))
    .execute(&app.db.pool)
    .await
    .unwrap();
    let total = scalar(
        &app.db,
        &format!("SELECT COUNT(*) FROM disputes WHERE establishment_id = {opera} AND status IN ('needs_response', 'draft_saved', 'info_requested')"),
    )
    .await;
    let visitor = app.visitor();
    visitor.sign_in_demo("opera").await;
    let mut seen = Vec::new();
    let mut path = "/disputes".to_owned();
    for _ in 0..10 {
        let page = visitor.page(&path).await;
        seen.extend(cases(&page));
        match page.find("data-testid=\"next-page\"") {
            Some(at) => {
                let start = page[..at].rfind("href=\"").unwrap() + 6;
                path = page[start..start + page[start..].find('"').unwrap()].replace("&amp;", "&");
            }
            None => break,
        }
    }
    assert_eq!(seen.len() as i64, total);
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "no case twice");
    app.stop().await;
}
