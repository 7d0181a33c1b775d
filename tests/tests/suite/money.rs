//! Money on the demo data (loaded for the real today, since the pages show the last 35 days and
//! the last 16 months of the server's clock): transaction search, pages, filters and refusals,
//! the streamed CSV and its escaping, payments and their detail, statements with PDF and CSV,
//! the finance files, and every read scoped to the caller's establishments.

use app::clock::paris_today;
use chrono::Duration;
use portal_tests::{scalar, spawn_app_with_demo_today, TestApp};

async fn establishment_id(app: &TestApp, number: &str) -> i64 {
    scalar(&app.db, &format!("SELECT id FROM establishments WHERE number = '{number}'")).await
}

fn count(page: &str, testid: &str) -> usize {
    page.matches(&format!("data-testid=\"{testid}\"")).count()
}

/// The rows of a CSV body (without the byte order mark), parsed.
fn csv_rows(body: &str) -> Vec<Vec<String>> {
    let body = body.trim_start_matches('\u{feff}');
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body.as_bytes())
        .records()
        .map(|record| record.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

#[tokio::test]
async fn a_transaction_search_pages_filters_and_links_to_disputes() {
    let app = spawn_app_with_demo_today().await;
    let opera = app.visitor();
    opera.sign_in_demo("opera").await;
    let id = establishment_id(&app, "9421000011").await;
    let today = paris_today();
    let (start, end) = app::money::filter::Range::online(today).instants();
    let in_window = scalar(
        &app.db,
        &format!("SELECT COUNT(*) FROM transactions WHERE establishment_id = {id} AND occurred_at >= {start} AND occurred_at < {end}"),
    )
    .await;
    assert!(in_window > 100, "the demo has transactions to page through ({in_window})");

    let first = opera.page("/transactions").await;
    assert_eq!(count(&first, "transaction-row"), 50, "a page of 50");
    assert!(first.contains("data-testid=\"establishment-name\""), "an establishment user has no picker");
    assert!(!first.contains("data-testid=\"establishment-picker\""));
    assert!(first.contains("*****"), "cards are masked");
    // Every page, followed to the end, lists each transaction once.
    let mut seen = 0;
    let mut page = first.clone();
    loop {
        seen += count(&page, "transaction-row");
        let Some(start) = page.find("data-testid=\"next-page\"") else { break };
        let href = &page[page[..start].rfind("href=\"").unwrap() + 6..];
        let href = href[..href.find('"').unwrap()].replace("&amp;", "&");
        page = opera.page(&href).await;
    }
    assert_eq!(seen as i64, in_window);

    // Filters: type, amount, card digits.
    let refunds = opera.page("/transactions?kind=refund").await;
    let refund_count = scalar(
        &app.db,
        &format!("SELECT COUNT(*) FROM transactions WHERE establishment_id = {id} AND kind = 'refund' AND occurred_at >= {start}"),
    )
    .await;
    assert_eq!(count(&refunds, "transaction-row") as i64, refund_count.min(50));
    assert!(refunds.contains("<td>Remboursement</td>") && !refunds.contains("<td>Débit</td>"));
    let card = portal_tests::text(
        &app.db,
        &format!(
            "SELECT card_last4 FROM transactions WHERE establishment_id = {id} AND occurred_at >= {start} LIMIT 1"
        ),
    )
    .await;
    let by_card = opera.page(&format!("/transactions?card={card}&amount_min=0&amount_max=10000,00")).await;
    let card_count = scalar(
        &app.db,
        &format!("SELECT COUNT(*) FROM transactions WHERE establishment_id = {id} AND card_last4 = '{card}' AND occurred_at >= {start}"),
    )
    .await;
    assert_eq!(count(&by_card, "transaction-row") as i64, card_count.min(50));
    assert!(card_count > 0);

    // A transaction with a dispute links to its case.
    let disputed = portal_tests::text(
        &app.db,
        &format!(
            "SELECT d.case_number FROM disputes d JOIN transactions t ON t.id = d.transaction_id \
             WHERE t.establishment_id = {id} AND t.occurred_at >= {start} ORDER BY t.occurred_at DESC LIMIT 1"
        ),
    )
    .await;
    let day = app::clock::paris_date(
        scalar(&app.db, &format!("SELECT t.occurred_at FROM disputes d JOIN transactions t ON t.id = d.transaction_id WHERE d.case_number = '{disputed}'")).await,
    );
    let that_day = opera.page(&format!("/transactions?from={day}&to={day}")).await;
    let that_day_count =
        scalar(&app.db, &format!("SELECT COUNT(*) FROM transactions WHERE establishment_id = {id} AND occurred_at >= {} AND occurred_at < {}",
            app::clock::paris_instant(day, 0, 0), app::clock::paris_instant(day + Duration::days(1), 0, 0))).await;
    assert!(that_day_count <= 50, "one demo day fits on a page");
    assert!(that_day.contains(&format!("href=\"/disputes/{disputed}\"")), "the row links to case {disputed}");
    app.stop().await;
}

#[tokio::test]
async fn bad_searches_are_refused_with_a_reason_and_nothing_listed() {
    let app = spawn_app_with_demo_today().await;
    let opera = app.visitor();
    opera.sign_in_demo("opera").await;
    let today = paris_today();
    let cases = [
        (format!("from={}&to={today}", today - Duration::days(35)), "ne peut pas dépasser 35 jours"),
        (format!("from={}&to={}", today - Duration::days(60), today - Duration::days(50)), "35 derniers jours"),
        (format!("to={}", today + Duration::days(1)), "après aujourd'hui"),
        (format!("from={today}&to={}", today - Duration::days(2)), "antérieure"),
        ("amount_min=12abc".to_owned(), "montant n'est pas valide"),
        ("card=12".to_owned(), "4 derniers chiffres"),
        ("kind=bitcoin".to_owned(), "type d'opération"),
        ("from=2026-02-31".to_owned(), "AAAA-MM-JJ"),
    ];
    for (query, message) in cases {
        let page = opera.page(&format!("/transactions?{query}")).await;
        assert!(page.contains("data-testid=\"money-refused\"") && page.contains(message), "{query}: {message}");
        assert_eq!(count(&page, "transaction-row"), 0, "{query}: nothing listed");
        let file = opera.get(&format!("/transactions/export?{query}")).await;
        assert_eq!(file.status(), 400, "{query}");
        assert!(file.text().await.unwrap().contains(message));
    }
    // A file's refusal is in the reader's language.
    let biarritz = app.visitor();
    biarritz.sign_in_demo("rivage.biarritz").await;
    let old = format!("from={}&to={}", today - Duration::days(60), today - Duration::days(50));
    let file = biarritz.get(&format!("/transactions/export?{old}")).await;
    assert_eq!(file.status(), 400);
    assert!(file.text().await.unwrap().contains("Only the last 35 days are available online"));
    app.stop().await;
}

#[tokio::test]
async fn money_is_read_only_within_the_callers_establishments() {
    let app = spawn_app_with_demo_today().await;
    let opera = app.visitor();
    opera.sign_in_demo("opera").await;
    let nice = establishment_id(&app, "9421000045").await;
    let lyon = establishment_id(&app, "9421000029").await;
    let month = app::money::statements::months(paris_today()).last().unwrap().format("%Y-%m").to_string();
    for path in [
        format!("/transactions?establishment={nice}"),
        format!("/transactions?establishment={lyon}"),
        format!("/payments?establishment={nice}"),
        format!("/statements?establishment={nice}"),
        format!("/statements/{month}?establishment={nice}"),
    ] {
        let response = opera.get(&path).await;
        assert_eq!(response.status(), 404, "{path}");
        let page = response.text().await.unwrap();
        assert!(page.contains("n'existe pas") && !page.contains("Rivage") && !page.contains("Bellecour"), "{path}");
    }
    for path in [
        format!("/transactions/export?establishment={nice}"),
        format!("/statements/{month}/pdf?establishment={nice}"),
        format!("/statements/{month}/csv?establishment={lyon}"),
        format!("/reports/payments?establishment={nice}&reconciliation=1"),
    ] {
        assert_eq!(opera.get(&path).await.status(), 404, "{path}");
    }
    let foreign_payment = portal_tests::text(
        &app.db,
        &format!("SELECT reference FROM payments WHERE establishment_id = {nice} ORDER BY payment_date DESC LIMIT 1"),
    )
    .await;
    let page = opera.page(&format!("/payments/{foreign_payment}")).await;
    assert!(page.contains("n'existe pas") && !page.contains("data-testid=\"payment-lines\""));
    // Signed out: nothing.
    let anonymous = app.visitor();
    let file = anonymous.get("/transactions/export").await;
    assert_eq!(file.status(), 303);

    // Headquarters choose among their organisation's establishments.
    let hq = app.visitor();
    hq.sign_in_demo("lemaire.hq").await;
    let page = hq.page("/transactions").await;
    assert!(page.contains("data-testid=\"establishment-picker\""));
    assert!(page.contains("Paris Opéra") && page.contains("Lyon Bellecour") && !page.contains("Rivage"));
    let lyon_page = hq.page(&format!("/transactions?establishment={lyon}")).await;
    assert_eq!(count(&lyon_page, "transaction-row"), 50);
    assert!(hq.page(&format!("/transactions?establishment={nice}")).await.contains("n'existe pas"));
    app.stop().await;
}

#[tokio::test]
async fn the_csv_export_streams_the_whole_search_with_formulas_escaped() {
    let app = spawn_app_with_demo_today().await;
    let opera = app.visitor();
    opera.sign_in_demo("opera").await;
    let id = establishment_id(&app, "9421000011").await;
    let today = paris_today();
    // A reference a spreadsheet would run as a formula.
    let at = app::clock::paris_instant(today, 9, 0);
    sqlx::query(
        "INSERT INTO transactions (establishment_id, occurred_at, card_masked, card_last4, amount, currency, kind, reference) \
         VALUES ($1, $2, '374245*****1001', '1001', 1234, 'EUR', 'charge', '=HYPERLINK(\"http://evil\")')",
    )
    .bind(id)
    .bind(at)
    .execute(&app.db.pool)
    .await
    .unwrap();
    let (start, end) = app::money::filter::Range::online(today).instants();
    let expected = scalar(
        &app.db,
        &format!("SELECT COUNT(*) FROM transactions WHERE establishment_id = {id} AND occurred_at >= {start} AND occurred_at < {end}"),
    )
    .await;
    let response = opera.get("/transactions/export").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment; filename=\"transactions-"));
    let rows = csv_rows(&response.text().await.unwrap());
    // Column names in the user's language (opera reads French).
    assert_eq!(rows[0], app::money::columns::transactions(app::format::locale("fr")));
    assert_eq!(rows.len() as i64 - 1, expected, "every transaction of the window, once");
    let evil = rows.iter().find(|row| row[6].contains("HYPERLINK")).expect("the inserted row");
    assert_eq!(evil[6], "'=HYPERLINK(\"http://evil\")");
    assert_eq!((evil[2].as_str(), evil[3].as_str(), evil[5].as_str()), ("374245*****1001", "12.34", "charge"));
    assert!(rows.iter().skip(1).all(|row| row[2].contains("*****")), "cards masked");
    assert!(
        rows.iter().skip(1).any(|row| !row[7].is_empty() && !row[8].is_empty()),
        "installment plans are in the file"
    );
    assert!(rows.iter().skip(1).any(|row| !row[9].is_empty()), "disputed transactions name their case");
    // Filters apply to the file as to the page.
    let refunds = csv_rows(&opera.get("/transactions/export?kind=refund").await.text().await.unwrap());
    assert!(refunds.len() > 1 && refunds.iter().skip(1).all(|row| row[5] == "refund"));
    app.stop().await;
}

#[tokio::test]
async fn payments_show_their_columns_and_detail_by_pricing() {
    let app = spawn_app_with_demo_today().await;
    let opera = app.visitor();
    opera.sign_in_demo("opera").await;
    let paid = opera.page("/payments").await;
    let opera_id = establishment_id(&app, "9421000011").await;
    let online_from = app::money::filter::Range::online(paris_today()).from;
    let expected = scalar(
        &app.db,
        &format!("SELECT COUNT(*) FROM payments WHERE establishment_id = {opera_id} AND status = 'paid' AND payment_date >= '{online_from}'"),
    )
    .await;
    assert_eq!(count(&paid, "payment-row") as i64, expected);
    assert!(expected >= 30);
    let pending = opera.page("/payments?tab=pending").await;
    let pending_count = scalar(
        &app.db,
        &format!("SELECT COUNT(*) FROM payments WHERE establishment_id = {opera_id} AND status = 'pending'"),
    )
    .await;
    assert_eq!(count(&pending, "payment-row") as i64, pending_count);
    assert!(pending_count > 0);
    // Net pricing: fees deducted from each payment.
    assert!(paid.contains("data-testid=\"payment-fees\" class=\"number\">-"), "net pricing shows the fees");

    // A payment with an adjustment links to its case.
    let (reference, case) = {
        let row: (String, String) = sqlx::query_as(
            "SELECT p.reference, d.case_number FROM payments p JOIN payment_lines l ON l.payment_id = p.id \
             JOIN adjustments a ON a.id = l.adjustment_id JOIN disputes d ON d.id = a.dispute_id \
             WHERE p.establishment_id = $1 AND p.payment_date >= $2 ORDER BY p.payment_date DESC LIMIT 1",
        )
        .bind(opera_id)
        .bind(online_from.to_string())
        .fetch_one(&app.db.pool)
        .await
        .expect("the demo has a recent payment with a dispute adjustment");
        row
    };
    let detail = opera.page(&format!("/payments/{reference}")).await;
    assert!(detail.contains("data-kind=\"submission\""));
    assert!(detail.contains(&format!("href=\"/disputes/{case}\"")));
    assert!(detail.contains(&format!("href=\"/payments?establishment={opera_id}&amp;tab=")), "back to the same tab");
    // An old payment is no longer shown online.
    let old = portal_tests::text(
        &app.db,
        &format!("SELECT reference FROM payments WHERE establishment_id = {opera_id} AND payment_date < '{online_from}' LIMIT 1"),
    )
    .await;
    assert!(opera.page(&format!("/payments/{old}")).await.contains("n'existe pas"));

    // Gross pricing: 0 in the fee column.
    let nice = app.visitor();
    nice.sign_in_demo("rivage.nice").await;
    let page = nice.page("/payments").await;
    assert!(count(&page, "payment-row") > 0);
    assert!(!page.contains("data-testid=\"payment-fees\" class=\"number\">-"), "gross pricing deducts nothing");
    app.stop().await;
}

#[tokio::test]
async fn sixteen_statements_with_pdf_and_csv_and_older_months_not_found() {
    let app = spawn_app_with_demo_today().await;
    let nice = app.visitor();
    nice.sign_in_demo("rivage.nice").await;
    let list = nice.page("/statements").await;
    assert_eq!(count(&list, "statement-row"), 16);
    let months = app::money::statements::months(paris_today());
    let newest = months.last().unwrap().format("%Y-%m").to_string();
    let oldest = months[0].format("%Y-%m").to_string();
    let older = (months[0] - chrono::Months::new(1)).format("%Y-%m").to_string();
    assert!(list.contains(&newest) && list.contains(&oldest) && !list.contains(&older));
    let id = establishment_id(&app, "9421000045").await;

    // June: gross pricing's commission month.
    let june = months.iter().find(|month| chrono::Datelike::month(*month) == 6).unwrap().format("%Y-%m").to_string();
    let page = nice.page(&format!("/statements/{june}?establishment={id}")).await;
    assert!(page.contains("data-kind=\"commission\"") && page.contains("Commission annuelle"));
    assert!(page.contains("data-kind=\"payment\""));
    let other = nice.page(&format!("/statements/{newest}")).await;
    assert!(!other.contains("data-kind=\"commission\""));
    // 17 months ago: not listed, and not found.
    let gone = nice.get(&format!("/statements/{older}")).await;
    assert_eq!(gone.status(), 404);
    assert!(gone.text().await.unwrap().contains("n'existe pas"));
    assert_eq!(nice.get(&format!("/statements/{older}/pdf")).await.status(), 404);
    assert_eq!(nice.get("/statements/2026-13/pdf").await.status(), 404);

    // The PDF: the establishment's details and the lines, as text.
    let pdf = nice.get(&format!("/statements/{june}/pdf?establishment={id}")).await;
    assert_eq!(pdf.status(), 200);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let bytes = pdf.bytes().await.unwrap();
    let document = lopdf::Document::load_mem(&bytes).unwrap();
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    let text = document.extract_text(&pages).unwrap();
    assert!(text.contains("Hôtel Rivage Nice"), "{text}");
    assert!(text.contains("9421000045") && text.contains(&june) && text.contains("Commission annuelle"));
    // The CSV: one row per line, the total paid is their sum.
    let csv = csv_rows(&nice.get(&format!("/statements/{june}/csv?establishment={id}")).await.text().await.unwrap());
    let lines = scalar(
        &app.db,
        &format!("SELECT COUNT(*) FROM statement_lines l JOIN statements s ON s.id = l.statement_id WHERE s.establishment_id = {id} AND s.month = '{june}'"),
    )
    .await;
    assert_eq!(csv.len() as i64 - 1, lines);
    let sum: f64 = csv.iter().skip(1).map(|row| row[4].parse::<f64>().unwrap()).sum();
    let total = scalar(
        &app.db,
        &format!("SELECT total_paid FROM statements WHERE establishment_id = {id} AND month = '{june}'"),
    )
    .await;
    assert!((sum * 100.0 - total as f64).abs() < 0.5, "lines add up to the total paid");
    app.stop().await;
}

#[tokio::test]
async fn finance_files_reconcile_each_payment_with_its_transactions() {
    let app = spawn_app_with_demo_today().await;
    let opera = app.visitor();
    opera.sign_in_demo("opera").await;
    let id = establishment_id(&app, "9421000011").await;
    let today = paris_today();
    let from = today - Duration::days(6);
    let plain = csv_rows(&opera.get(&format!("/reports/payments?from={from}&to={today}")).await.text().await.unwrap());
    let expected = scalar(
        &app.db,
        &format!("SELECT COUNT(*) FROM payments WHERE establishment_id = {id} AND ((payment_date >= '{from}' AND payment_date <= '{today}') OR status = 'pending')"),
    )
    .await;
    assert_eq!(plain.len() as i64 - 1, expected);
    assert_eq!(plain[0][0], "reglement");

    // Through the reports form.
    let form = opera.get(&format!("/reports/file?kind=reconciliation&from={from}&to={today}")).await;
    assert_eq!(form.status(), 303);
    let file = opera.get(form.headers()["location"].to_str().unwrap()).await;
    let rows = csv_rows(&file.text().await.unwrap());
    assert_eq!(rows[0][0], "enregistrement");
    // Each payment's net amount is its submissions + fees + adjustments; its transactions are there.
    let mut current: Option<(f64, f64)> = None;
    let mut checked = 0;
    for row in rows.iter().skip(1) {
        let amount: f64 = row[6].parse().unwrap();
        match row[0].as_str() {
            "payment" => {
                if let Some((net, sum)) = current.take() {
                    assert!((net - sum).abs() < 0.005, "a payment adds up");
                    checked += 1;
                }
                current = Some((amount, 0.0));
            }
            "submission" | "fee" | "adjustment" => current.as_mut().unwrap().1 += amount,
            "transaction" => assert!(row[4].contains("*****")),
            other => panic!("unknown record {other}"),
        }
    }
    assert!(checked >= 5, "payments reconciled: {checked}");
    let transactions = rows.iter().filter(|row| row[0] == "transaction").count() as i64;
    let in_payments = scalar(
        &app.db,
        &format!(
            "SELECT COUNT(*) FROM transactions t JOIN submissions s ON s.id = t.submission_id JOIN payments p ON p.id = s.payment_id \
             WHERE p.establishment_id = {id} AND ((p.payment_date >= '{from}' AND p.payment_date <= '{today}') OR p.status = 'pending')"
        ),
    )
    .await;
    assert_eq!(transactions, in_payments);
    // The transactions file through the same form.
    let form = opera.get(&format!("/reports/file?kind=transactions&from={from}&to={today}")).await;
    let file = opera.get(form.headers()["location"].to_str().unwrap()).await;
    assert_eq!(csv_rows(&file.text().await.unwrap())[0][0], "date");
    app.stop().await;
}
