//! Dispute analytics on the demo data (loaded for today), on both engines: every figure of
//! every table (read from its CSV download, which writes the page's rows) against a plain SQL
//! count over the same cases and charges, with an establishment without any case and months
//! without any charge; the scope (another organisation's establishment is "not found", only
//! the dispute team sees the whole network); bad filters; the threshold setting.

use app::analytics::period::Period;
use portal_tests::{scalar, spawn_app_with_demo_today, TestApp, Visitor};

/// A CSV download: its header and rows (the byte order mark removed).
async fn csv_file(visitor: &Visitor, path: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let response = visitor.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let body = response.text().await.unwrap();
    let body = body.strip_prefix('\u{feff}').expect("a byte order mark");
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(body.as_bytes());
    let header = reader.headers().unwrap().iter().map(str::to_owned).collect();
    let rows = reader.records().map(|record| record.unwrap().iter().map(str::to_owned).collect()).collect();
    (header, rows)
}

/// The cell of `column` in `row`.
fn at<'a>(header: &[String], row: &'a [String], column: &str) -> &'a str {
    let index =
        header.iter().position(|name| name == column).unwrap_or_else(|| panic!("no column {column} in {header:?}"));
    &row[index]
}

/// Minor units as the files write them.
fn decimal(minor: i64) -> String {
    app::money::filter::decimal(minor)
}

/// Adds an establishment without any case or charge to Maison Lemaire (its headquarters see it).
async fn add_quiet_establishment(app: &TestApp) -> i64 {
    let organisation = scalar(&app.db, "SELECT organisation_id FROM establishments WHERE number = '9421000011'").await;
    sqlx::query(&format!(
        "INSERT INTO establishments (organisation_id, number, trading_name, pricing, created_at) \
         VALUES ({organisation}, '9421000999', 'Lemaire Calme', 'net', 0)"
    ))
    .execute(&app.db.pool)
    .await
    .unwrap();
    scalar(&app.db, "SELECT id FROM establishments WHERE number = '9421000999'").await
}

async fn lemaire(app: &TestApp) -> Vec<(i64, String)> {
    sqlx::query_as(
        "SELECT e.id, e.trading_name FROM establishments e WHERE e.organisation_id = \
         (SELECT organisation_id FROM establishments WHERE number = '9421000011') ORDER BY e.number",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn every_figure_equals_a_plain_count_over_the_same_rows() {
    let app = spawn_app_with_demo_today().await;
    let quiet = add_quiet_establishment(&app).await;
    let hq = app.visitor();
    hq.sign_in_demo("lemaire.hq").await;
    let today = app::clock::paris_today();
    let period = Period::longest(today);
    let bounds = period.bounds();
    let (start, end) = (bounds[0], bounds[bounds.len() - 1]);
    let establishments = lemaire(&app).await;
    assert!(establishments.iter().any(|(id, _)| *id == quiet));

    let (header, rows) = csv_file(&hq, "/analytics/export/establishments").await;
    assert_eq!(rows.len(), establishments.len(), "one row each, the quiet one too");
    for (id, name) in &establishments {
        let row = rows.iter().find(|row| at(&header, row, "etablissement") == name).unwrap_or_else(|| panic!("{name}"));
        let cases = format!(
            "FROM disputes d WHERE d.establishment_id = {id} AND d.opened_at >= {start} AND d.opened_at < {end}"
        );
        let count = |condition: &str| format!("SELECT COUNT(*) {cases} AND {condition}");
        let sum = |condition: &str| {
            format!("SELECT COALESCE(CAST(SUM(d.disputed_amount) AS BIGINT), 0) {cases} AND {condition}")
        };
        let answered = "(EXISTS (SELECT 1 FROM responses r WHERE r.dispute_id = d.id AND r.submitted_at IS NOT NULL) \
                        OR (d.status = 'accepted' AND d.closed_at IS NOT NULL))";
        for (column, sql) in [
            ("demandes", count("d.stage = 'inquiry'")),
            ("debits", count("d.stage = 'chargeback'")),
            ("repondus", count(answered)),
            ("acceptes", count("d.status = 'accepted'")),
            ("gagnes", count("d.status = 'won'")),
            ("perdus", count("d.status = 'lost'")),
            ("debits_expires", count("d.stage = 'chargeback' AND d.status = 'expired'")),
            ("conversions_r13", count("d.stage = 'inquiry' AND d.status = 'expired'")),
        ] {
            assert_eq!(at(&header, row, column), scalar(&app.db, &sql).await.to_string(), "{name}: {column}");
        }
        for (column, sql) in [
            ("montant_conteste", sum("1 = 1")),
            ("rembourse", sum("d.status = 'accepted'")),
            ("recupere", sum("d.stage = 'chargeback' AND d.status = 'won'")),
            ("perdu", sum("d.stage = 'chargeback' AND d.status IN ('lost', 'expired')")),
        ] {
            assert_eq!(at(&header, row, column), decimal(scalar(&app.db, &sql).await), "{name}: {column}");
        }
        let won = scalar(&app.db, &count("d.stage = 'chargeback' AND d.status = 'won'")).await;
        let lost = scalar(&app.db, &count("d.stage = 'chargeback' AND d.status = 'lost'")).await;
        let rate = if won + lost == 0 { String::new() } else { decimal(won * 10_000 / (won + lost)) };
        assert_eq!(at(&header, row, "taux_succes"), rate, "{name}: win rate");
        // The median of whole days to the first answer, from every answered case's own days.
        let mut days: Vec<i64> = sqlx::query_scalar(&format!(
            "SELECT (COALESCE((SELECT MIN(r.submitted_at) FROM responses r WHERE r.dispute_id = d.id), d.closed_at) - d.opened_at) / 86400 \
             {cases} AND {answered}"
        ))
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
        days.sort();
        let median = if days.is_empty() { String::new() } else { days[(days.len() - 1) / 2].to_string() };
        assert_eq!(at(&header, row, "delai_median_jours"), median, "{name}: median days");
    }
    let quiet_row = rows.iter().find(|row| at(&header, row, "etablissement") == "Lemaire Calme").unwrap();
    assert_eq!((at(&header, quiet_row, "demandes"), at(&header, quiet_row, "montant_conteste")), ("0", "0.00"));

    // The dispute rate: every establishment, every month, charges counted in Paris months.
    let (header, rows) = csv_file(&hq, "/analytics/export/rates").await;
    assert_eq!(rows.len(), establishments.len() * 16);
    let months = period.months();
    let mut without_charges = 0;
    for (id, name) in &establishments {
        for (index, month) in months.iter().enumerate() {
            let (from, to) = (bounds[index], bounds[index + 1]);
            let row = rows
                .iter()
                .find(|row| at(&header, row, "etablissement") == name && at(&header, row, "mois") == month.to_string())
                .unwrap();
            let chargebacks = scalar(&app.db, &format!(
                "SELECT COUNT(*) FROM disputes WHERE establishment_id = {id} AND stage = 'chargeback' AND opened_at >= {from} AND opened_at < {to}"
            ))
            .await;
            let charges = scalar(&app.db, &format!(
                "SELECT COUNT(*) FROM transactions WHERE establishment_id = {id} AND kind = 'charge' AND occurred_at >= {from} AND occurred_at < {to}"
            ))
            .await;
            assert_eq!(at(&header, row, "debits"), chargebacks.to_string(), "{name} {month}");
            assert_eq!(at(&header, row, "paiements"), charges.to_string(), "{name} {month}");
            let expected_rate = if charges == 0 { String::new() } else { decimal(chargebacks * 10_000 / charges) };
            assert_eq!(at(&header, row, "taux"), expected_rate, "{name} {month}");
            let above = chargebacks * 10_000 > 100 * charges;
            assert_eq!(at(&header, row, "seuil") == "Au-dessus du seuil", above, "{name} {month}");
            if charges == 0 {
                without_charges += 1;
            }
        }
    }
    assert!(without_charges > 0, "some months have no charge");

    // By month: the cases opened in each Paris month.
    let (header, rows) = csv_file(&hq, "/analytics/export/months").await;
    let ids = establishments.iter().map(|(id, _)| id.to_string()).collect::<Vec<_>>().join(", ");
    for (index, month) in months.iter().enumerate() {
        let opened = scalar(
            &app.db,
            &format!(
            "SELECT COUNT(*) FROM disputes WHERE establishment_id IN ({ids}) AND opened_at >= {} AND opened_at < {}",
            bounds[index],
            bounds[index + 1]
        ),
        )
        .await;
        let shown: i64 = rows
            .iter()
            .filter(|row| at(&header, row, "mois") == month.to_string())
            .map(|row| {
                at(&header, row, "demandes").parse::<i64>().unwrap()
                    + at(&header, row, "debits").parse::<i64>().unwrap()
            })
            .sum();
        assert_eq!(shown, opened, "{month}");
    }

    // By reason code, and one reason code as the filter.
    let (header, rows) = csv_file(&hq, "/analytics/export/reasons").await;
    for row in &rows {
        let code = at(&header, row, "motif");
        let opened = scalar(&app.db, &format!(
            "SELECT COUNT(*) FROM disputes WHERE establishment_id IN ({ids}) AND reason_code = '{code}' AND opened_at >= {start} AND opened_at < {end}"
        ))
        .await;
        let shown =
            at(&header, row, "demandes").parse::<i64>().unwrap() + at(&header, row, "debits").parse::<i64>().unwrap();
        assert_eq!(shown, opened, "{code}");
    }
    let code = at(&header, &rows[0], "motif").to_owned();
    let (header, totals) = csv_file(&hq, &format!("/analytics/export/totals?reason={code}")).await;
    let opened = scalar(&app.db, &format!(
        "SELECT COUNT(*) FROM disputes WHERE establishment_id IN ({ids}) AND reason_code = '{code}' AND opened_at >= {start} AND opened_at < {end}"
    ))
    .await;
    let shown = at(&header, &totals[0], "demandes").parse::<i64>().unwrap()
        + at(&header, &totals[0], "debits").parse::<i64>().unwrap();
    assert_eq!(shown, opened);

    // Repeat cards: masked cards with cases at two or more of the organisation's establishments.
    let (header, cards) = csv_file(&hq, "/analytics/export/cards").await;
    let expected: Vec<(String, i64)> = sqlx::query_as(&format!(
        "SELECT t.card_masked, COUNT(DISTINCT d.establishment_id) FROM disputes d JOIN transactions t ON t.id = d.transaction_id \
         WHERE d.establishment_id IN ({ids}) AND d.opened_at >= {start} AND d.opened_at < {end} \
         GROUP BY t.card_masked HAVING COUNT(DISTINCT d.establishment_id) >= 2 ORDER BY t.card_masked"
    ))
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let mut shown: Vec<(String, i64)> = cards
        .iter()
        .map(|row| (at(&header, row, "carte").to_owned(), at(&header, row, "etablissements").parse().unwrap()))
        .collect();
    shown.sort();
    assert_eq!(shown, expected);

    // The page shows the same headline and draws the chart with its title and description.
    let page = hq.page("/analytics").await;
    assert!(page.contains("<title id=\"trend-title\">") && page.contains("<desc id=\"trend-desc\">"));
    assert!(page.contains("data-testid=\"table-months\"") && page.contains("data-testid=\"download-rates\""));
    let inquiries = scalar(&app.db, &format!(
        "SELECT COUNT(*) FROM disputes WHERE establishment_id IN ({ids}) AND stage = 'inquiry' AND opened_at >= {start} AND opened_at < {end}"
    ))
    .await;
    let headline = &page[page.find("data-testid=\"headline-inquiries\"").expect("the headline")..];
    assert!(headline.contains(&format!("figure__value\">{inquiries}<")), "{}", &headline[..200]);
    app.stop().await;
}

#[tokio::test]
async fn another_organisations_establishment_is_not_found_and_only_the_dispute_team_sees_the_network() {
    let app = spawn_app_with_demo_today().await;
    let nice = scalar(&app.db, "SELECT id FROM establishments WHERE number = '9421000045'").await;
    let lyon = scalar(&app.db, "SELECT id FROM establishments WHERE number = '9421000029'").await;
    let hq = app.visitor();
    hq.sign_in_demo("lemaire.hq").await;
    for path in [format!("/analytics?establishment={nice}"), format!("/analytics/export/months?establishment={nice}")] {
        assert_eq!(hq.get(&path).await.status(), 404, "{path}");
    }
    let organisation = scalar(&app.db, &format!("SELECT organisation_id FROM establishments WHERE id = {nice}")).await;
    assert_eq!(hq.get(&format!("/analytics?organisation={organisation}")).await.status(), 404);
    let page = hq.page("/analytics").await;
    assert!(!page.contains("Hôtel Rivage") && page.contains("Maison Lemaire"));

    let opera = app.visitor();
    opera.sign_in_demo("opera").await;
    assert_eq!(opera.get(&format!("/analytics?establishment={lyon}")).await.status(), 404, "a sister establishment");
    let (_, rows) = csv_file(&opera, "/analytics/export/establishments").await;
    assert_eq!(rows.len(), 1, "an establishment user sees their establishment only");

    let analyst = app.visitor();
    analyst.sign_in_demo("analyst").await;
    let page = analyst.page("/analytics").await;
    assert!(
        page.contains("Hôtel Rivage")
            && page.contains("Maison Lemaire")
            && page.contains("data-testid=\"table-organisations\"")
    );
    let (_, all) = csv_file(&analyst, "/analytics/export/establishments").await;
    let everywhere = scalar(&app.db, "SELECT COUNT(*) FROM establishments").await;
    assert_eq!(all.len() as i64, everywhere, "every establishment of the network");
    let (_, one) = csv_file(&analyst, &format!("/analytics/export/establishments?organisation={organisation}")).await;
    let theirs =
        scalar(&app.db, &format!("SELECT COUNT(*) FROM establishments WHERE organisation_id = {organisation}")).await;
    assert_eq!(one.len() as i64, theirs);
    assert_eq!(
        analyst.get(&format!("/analytics?organisation={organisation}&establishment={lyon}")).await.status(),
        404
    );

    for staff in ["support", "admin"] {
        let visitor = app.visitor();
        visitor.sign_in_demo(staff).await;
        assert_eq!(visitor.get("/analytics").await.status(), 404, "{staff}");
    }
    assert!(app.visitor().page("/analytics").await.contains("data-testid=\"sign-in-prompt\""));
    app.stop().await;
}

#[tokio::test]
async fn bad_filters_are_refused_with_their_reason() {
    let app = spawn_app_with_demo_today().await;
    let hq = app.visitor();
    hq.sign_in_demo("lemaire.hq").await;
    let too_old = Period::longest(app::clock::paris_today()).from.plus(-1);
    for (query, words) in [
        ("from=2026-13".to_owned(), "AAAA-MM"),
        (format!("from={too_old}"), "16 derniers mois"),
        ("from=2026-06&to=2026-05".to_owned(), "précède"),
        ("reason=Z99".to_owned(), "motif"),
        ("establishment=abc".to_owned(), "filtre"),
    ] {
        let response = hq.get(&format!("/analytics?{query}")).await;
        assert_eq!(response.status(), 400, "{query}");
        let page = response.text().await.unwrap();
        assert!(page.contains("data-testid=\"analytics-refused\"") && page.contains(words), "{query}");
        assert_eq!(hq.get(&format!("/analytics/export/months?{query}")).await.status(), 400, "{query}");
    }
    assert_eq!(hq.get("/analytics/export/secrets").await.status(), 404);
    app.stop().await;
}

#[tokio::test]
async fn the_platform_admin_sets_the_threshold_and_the_flags_follow_it() {
    let app = spawn_app_with_demo_today().await;
    let admin = app.visitor();
    admin.sign_in_demo("admin").await;
    let refused = admin.follow(admin.post("/analytics/settings", &[("threshold", "150")]).await).await;
    // The admin reads the portal in English.
    assert!(refused.contains("between 0.01 and 100") && refused.contains("value=\"150\""), "a refused value says why");
    assert_eq!(scalar(&app.db, "SELECT dispute_rate_threshold_bp FROM analytics_settings").await, 100);
    let hq = app.visitor();
    hq.sign_in_demo("lemaire.hq").await;
    assert_eq!(hq.post("/analytics/settings", &[("threshold", "0,01")]).await.status(), 404, "admins only");

    let flagged = |rows: &[Vec<String>], header: &[String]| {
        rows.iter().filter(|row| at(header, row, "seuil") != "Sous le seuil").count()
    };
    let (header, rows) = csv_file(&hq, "/analytics/export/rates").await;
    let before = flagged(&rows, &header);
    let saved = admin.follow(admin.post("/analytics/settings", &[("threshold", "0,01")]).await).await;
    assert!(saved.contains("Saved.") && saved.contains("value=\"0.01\""), "the new threshold is shown");
    assert_eq!(scalar(&app.db, "SELECT dispute_rate_threshold_bp FROM analytics_settings").await, 1);
    let (header, rows) = csv_file(&hq, "/analytics/export/rates").await;
    let after = flagged(&rows, &header);
    let months_with_chargebacks = rows.iter().filter(|row| at(&header, row, "debits") != "0").count();
    assert!(after >= months_with_chargebacks && after > before, "{before} → {after}");
    app.stop().await;
}
