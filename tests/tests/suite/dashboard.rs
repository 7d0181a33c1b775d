//! The dashboard of each role on the demo data (loaded for today): every figure equals a plain
//! SQL count over the same rows, and every figure's link leads to a list showing that number
//! (the queue's count, and as many rows when they fit on one page).

use portal_tests::{scalar, spawn_app_with_demo_today, TestApp, Visitor};

const WAITING: &str = "('needs_response', 'draft_saved', 'info_requested')";

/// A figure's number and link, by its test id.
pub fn figure(page: &str, testid: &str) -> (String, Option<String>) {
    let start = page.find(&format!("data-testid=\"{testid}\"")).unwrap_or_else(|| panic!("no figure {testid}"));
    let rest = &page[start..page[start..].find("</li>").map_or(page.len(), |end| start + end)];
    let value = between(rest, "class=\"figure__value\">", "</strong>").expect("a value");
    (value, between(rest, "href=\"", "\"").map(unescape))
}

/// A table cell's number and link (`<td … data-testid="…"><a href="…">N</a></td>`) after `from`.
fn cell(page: &str, from: &str, testid: &str) -> (i64, String) {
    let start = page.find(from).unwrap_or_else(|| panic!("no {from}"));
    let rest = &page[start..];
    let rest = &rest[rest.find(&format!("data-testid=\"{testid}\"")).expect("the cell")..];
    let href = unescape(between(rest, "href=\"", "\"").expect("a link"));
    let link = &rest[..rest.find("</a>").expect("a link's end")];
    let value = &link[link.rfind('>').expect("the link's text") + 1..];
    (value.parse().expect("a count"), href)
}

fn between(text: &str, open: &str, close: &str) -> Option<String> {
    let start = text.find(open)? + open.len();
    let end = text[start..].find(close)?;
    Some(text[start..start + end].to_owned())
}

fn unescape(text: String) -> String {
    text.replace("&amp;", "&")
}

/// How many cases a queue page says its filter matches, and how many rows it lists.
pub async fn queue_count(visitor: &Visitor, href: &str) -> (i64, usize) {
    let page = visitor.page(href).await;
    assert!(!page.contains("data-testid=\"bad-filter\""), "{href} is a filter the queue reads");
    let rows = page.matches("data-testid=\"case-row\"").count();
    let count = match between(&page, "data-testid=\"queue-count\">", "<") {
        Some(text) => text.split_whitespace().next().unwrap().parse().unwrap(),
        None => {
            assert!(page.contains("data-testid=\"no-cases\""), "{href}: neither a count nor 'no cases'");
            0
        }
    };
    (count, rows)
}

/// The figure links to a list that shows the same number.
async fn assert_list_matches(visitor: &Visitor, expected: i64, href: &str) {
    let (count, rows) = queue_count(visitor, href).await;
    assert_eq!(count, expected, "{href} counts {count}, the dashboard {expected}");
    assert_eq!(rows as i64, expected.min(25), "{href} lists its rows");
}

async fn establishment_id(app: &TestApp, number: &str) -> i64 {
    scalar(&app.db, &format!("SELECT id FROM establishments WHERE number = '{number}'")).await
}

fn today() -> (String, String, String) {
    let today = app::clock::paris_today();
    (
        today.to_string(),
        (today + chrono::Duration::days(3)).to_string(),
        (today - chrono::Duration::days(6)).to_string(),
    )
}

#[tokio::test]
async fn an_establishment_user_sees_what_waits_for_an_answer_and_each_figure_leads_to_its_list() {
    let app = spawn_app_with_demo_today().await;
    let opera = establishment_id(&app, "9421000011").await;
    let (today, last_urgent, _) = today();
    // An urgent and an overdue case, so that neither figure is zero.
    for (reply_by, offset) in [(today.as_str(), 0), ("2020-01-01", 1)] {
        sqlx::query(&format!(
            "UPDATE disputes SET reply_by = '{reply_by}' WHERE id = (SELECT id FROM disputes \
             WHERE establishment_id = {opera} AND status = 'needs_response' ORDER BY id LIMIT 1 OFFSET {offset})"
        ))
        .execute(&app.db.pool)
        .await
        .unwrap();
    }
    let visitor = app.visitor();
    visitor.sign_in_demo("opera").await;
    let page = visitor.page("/").await;
    assert!(page.contains("data-testid=\"welcome-user\">opera<"));

    let scope = format!("establishment_id = {opera} AND status IN {WAITING}");
    let expected = [
        ("figure-open", scalar(&app.db, &format!("SELECT COUNT(*) FROM disputes WHERE {scope}")).await),
        (
            "figure-urgent",
            scalar(&app.db, &format!("SELECT COUNT(*) FROM disputes WHERE {scope} AND reply_by >= '{today}' AND reply_by <= '{last_urgent}'")).await,
        ),
        ("figure-overdue", scalar(&app.db, &format!("SELECT COUNT(*) FROM disputes WHERE {scope} AND reply_by < '{today}'")).await),
        (
            "figure-drafts",
            scalar(&app.db, &format!("SELECT COUNT(*) FROM disputes WHERE establishment_id = {opera} AND status = 'draft_saved'")).await,
        ),
    ];
    for (testid, count) in expected {
        let (value, href) = figure(&page, testid);
        assert_eq!(value, count.to_string(), "{testid}");
        assert!(count > 0 || testid == "figure-drafts", "{testid}: the demo has some");
        assert_list_matches(&visitor, count, &href.expect("a link")).await;
    }
    let at_stake =
        scalar(&app.db, &format!("SELECT CAST(SUM(disputed_amount) AS BIGINT) FROM disputes WHERE {scope}")).await;
    let (shown, _) = figure(&page, "figure-at-stake");
    assert_eq!(shown, app::format::amount(at_stake, "EUR", "fr"));

    // The five nearest reply-by dates, in the queue's order.
    let nearest: Vec<String> =
        sqlx::query_scalar(&format!("SELECT case_number FROM disputes WHERE {scope} ORDER BY reply_by, id LIMIT 5"))
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    let listed: Vec<&str> = page
        .match_indices("data-testid=\"nearest-case\" data-case=\"")
        .map(|(at, marker)| {
            let rest = &page[at + marker.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect();
    assert_eq!(listed, nearest.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(page.contains("Dépassé"), "the overdue case says so");

    // Pending payments: the tab lists as many.
    let pending = scalar(
        &app.db,
        &format!("SELECT COUNT(*) FROM payments WHERE establishment_id = {opera} AND status = 'pending'"),
    )
    .await;
    if pending > 0 {
        let (value, href) = figure(&page, "figure-pending-payments");
        assert_eq!(value, pending.to_string());
        let tab = visitor.page(&href.unwrap()).await;
        assert_eq!(tab.matches("data-testid=\"payment-row\"").count() as i64, pending, "the pending tab");
    }
    // Unread notifications: the header's count, and the centre.
    let unread = scalar(&app.db, "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.username = 'opera' AND n.read_at IS NULL").await;
    assert_eq!(figure(&page, "figure-unread").0, unread.to_string());
    app.stop().await;
}

#[tokio::test]
async fn headquarters_see_each_establishment_and_the_last_seven_days() {
    let app = spawn_app_with_demo_today().await;
    let visitor = app.visitor();
    visitor.sign_in_demo("lemaire.hq").await;
    let page = visitor.page("/").await;
    let (today, last_urgent, since) = today();
    let establishments: Vec<i64> = sqlx::query_scalar(
        "SELECT e.id FROM establishments e JOIN organisations o ON o.id = e.organisation_id \
         WHERE o.name LIKE 'Maison Lemaire%' ORDER BY e.id",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert!(establishments.len() >= 2);
    assert_eq!(page.matches("data-testid=\"hq-row\"").count(), establishments.len(), "one row each");
    for id in &establishments {
        let row = format!("data-testid=\"hq-row\" data-establishment=\"{id}\"");
        let scope = format!("establishment_id = {id} AND status IN {WAITING}");
        for (testid, condition) in [
            ("open-count", "1 = 1".to_owned()),
            ("urgent-count", format!("reply_by >= '{today}' AND reply_by <= '{last_urgent}'")),
            ("overdue-count", format!("reply_by < '{today}'")),
            ("drafts-count", "status = 'draft_saved'".to_owned()),
        ] {
            let expected =
                scalar(&app.db, &format!("SELECT COUNT(*) FROM disputes WHERE {scope} AND {condition}")).await;
            let (shown, href) = cell(&page, &row, testid);
            assert_eq!(shown, expected, "{testid} of {id}");
            assert!(href.contains(&format!("establishment={id}")));
            assert_list_matches(&visitor, expected, &href).await;
        }
    }
    // Sorted by urgency: overdue, then urgent, then open, in order down the table.
    let keys: Vec<(i64, i64, i64)> = establishments_in_order(&page)
        .into_iter()
        .map(|id| {
            let row = format!("data-testid=\"hq-row\" data-establishment=\"{id}\"");
            (
                cell(&page, &row, "overdue-count").0,
                cell(&page, &row, "urgent-count").0,
                cell(&page, &row, "open-count").0,
            )
        })
        .collect();
    assert!(keys.windows(2).all(|pair| pair[0] >= pair[1]), "{keys:?}");

    let ids = establishments.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    let since_instant = app::clock::paris_instant(app::clock::paris_today() - chrono::Duration::days(6), 0, 0);
    for (testid, condition) in [
        ("recent-inquiries", format!("stage = 'inquiry' AND opened_at >= {since_instant}")),
        ("recent-chargebacks", format!("stage = 'chargeback' AND opened_at >= {since_instant}")),
        ("recent-decided", format!("status IN ('won', 'lost') AND closed_at >= {since_instant}")),
        ("recent-won", format!("status = 'won' AND closed_at >= {since_instant}")),
        ("recent-lost", format!("status = 'lost' AND closed_at >= {since_instant}")),
        ("recent-accepted", format!("status = 'accepted' AND closed_at >= {since_instant}")),
    ] {
        let expected = scalar(
            &app.db,
            &format!("SELECT COUNT(*) FROM disputes WHERE establishment_id IN ({ids}) AND {condition}"),
        )
        .await;
        let (value, href) = figure(&page, testid);
        assert_eq!(value, expected.to_string(), "{testid}");
        let href = href.unwrap();
        assert!(href.contains(&since), "{href} starts on {since}");
        assert_list_matches(&visitor, expected, &href).await;
    }
    // The latest payments across establishments, newest first.
    let latest: Vec<String> = sqlx::query_scalar(&format!(
        "SELECT reference FROM payments WHERE establishment_id IN ({ids}) AND status = 'paid' AND payment_date >= '{}' \
         AND payment_date <= '{today}' ORDER BY payment_date DESC, id DESC LIMIT 5",
        app::clock::paris_today() - chrono::Duration::days(34)
    ))
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert!(!latest.is_empty());
    for reference in &latest {
        assert!(page.contains(&format!("href=\"/payments/{reference}\"")), "{reference}");
    }
    app.stop().await;
}

/// The establishments' ids in the order of the headquarters' table.
fn establishments_in_order(page: &str) -> Vec<i64> {
    page.match_indices("data-testid=\"hq-row\" data-establishment=\"")
        .map(|(at, marker)| {
            let rest = &page[at + marker.len()..];
            rest[..rest.find('"').unwrap()].parse().unwrap()
        })
        .collect()
}

#[tokio::test]
async fn the_dispute_team_and_the_platform_admin_see_their_own_figures() {
    let app = spawn_app_with_demo_today().await;
    let analyst = app.visitor();
    analyst.sign_in_demo("analyst").await;
    let page = analyst.page("/").await;
    let waiting = scalar(&app.db, "SELECT COUNT(*) FROM disputes WHERE status = 'under_review'").await;
    assert!(waiting > 0);
    let (value, href) = figure(&page, "figure-review-waiting");
    assert_eq!(value, waiting.to_string());
    let review = analyst.page(&href.unwrap()).await;
    assert_eq!(review.matches("data-testid=\"case-row\"").count() as i64, waiting.min(200), "the review queue");
    let today = app::clock::paris_instant(app::clock::paris_today(), 0, 0);
    let decisions = scalar(
        &app.db,
        &format!(
            "SELECT COUNT(*) FROM decisions WHERE decided_at >= {today} AND outcome IN ('merchant', 'cardholder')"
        ),
    )
    .await;
    assert_eq!(figure(&page, "figure-decisions-today").0, decisions.to_string());
    assert!(!page.contains("data-testid=\"hq-row\"") && !page.contains("data-testid=\"figure-open\""));

    let admin = app.visitor();
    admin.sign_in_demo("admin").await;
    let page = admin.page("/").await;
    for (testid, sql) in [
        ("figure-failed-emails", "SELECT COUNT(*) FROM notifications WHERE email_state = 'failed'"),
        ("figure-organisations", "SELECT COUNT(*) FROM organisations"),
        ("figure-establishments", "SELECT COUNT(*) FROM establishments"),
    ] {
        assert_eq!(figure(&page, testid).0, scalar(&app.db, sql).await.to_string(), "{testid}");
    }
    let organisations = admin.page("/admin/organisations").await;
    assert!(organisations.contains("Maison Lemaire"));

    let support = app.visitor();
    support.sign_in_demo("support").await;
    assert!(support.page("/").await.contains("data-testid=\"support-link\""));
    app.stop().await;
}

#[tokio::test]
async fn a_dashboard_shows_only_the_callers_own_establishments() {
    let app = spawn_app_with_demo_today().await;
    let visitor = app.visitor();
    visitor.sign_in_demo("rivage.nice").await;
    let page = visitor.page("/").await;
    let nice = establishment_id(&app, "9421000045").await;
    let open = scalar(
        &app.db,
        &format!("SELECT COUNT(*) FROM disputes WHERE establishment_id = {nice} AND status IN {WAITING}"),
    )
    .await;
    assert_eq!(figure(&page, "figure-open").0, open.to_string(), "Nice's cases only");
    assert!(!page.contains("Maison Lemaire") && !page.contains("data-testid=\"hq-row\""));
    // The subscription prompt stays for an establishment that has not subscribed.
    let librairie = app.visitor();
    librairie.sign_in_demo("librairie").await;
    let page = librairie.page("/").await;
    assert!(page.contains("data-testid=\"activate\""));
    assert!(app.visitor().page("/").await.contains("data-testid=\"sign-in-prompt\""));
    app.stop().await;
}

/// The figures the database keeps beside the cases (migration 0014), as rows of text, and the
/// same figures counted from the cases themselves.
async fn kept_and_counted(app: &TestApp) -> [(Vec<String>, Vec<String>); 3] {
    let rows = |sql: &'static str| async move {
        let rows: Vec<(i64, String, String, i64, i64)> = sqlx::query_as(sql).fetch_all(&app.db.pool).await.unwrap();
        rows.into_iter().map(|row| format!("{row:?}")).collect::<Vec<_>>()
    };
    [
        (
            rows(
                "SELECT establishment_id, currency, status, cases, amount FROM dispute_status_totals \
                  WHERE cases <> 0 OR amount <> 0 ORDER BY 1, 2, 3",
            )
            .await,
            rows(
                "SELECT establishment_id, currency, status, COUNT(*), CAST(SUM(disputed_amount) AS BIGINT) \
                  FROM disputes GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
            )
            .await,
        ),
        (
            rows(
                "SELECT establishment_id, '', stage, hour, cases FROM dispute_opened_hours WHERE cases <> 0 \
                  ORDER BY 1, 3, 4",
            )
            .await,
            rows(
                "SELECT establishment_id, '', stage, opened_at / 3600, COUNT(*) FROM disputes GROUP BY 1, 3, 4 \
                  ORDER BY 1, 3, 4",
            )
            .await,
        ),
        (
            rows(
                "SELECT establishment_id, '', status, hour, cases FROM dispute_closed_hours WHERE cases <> 0 \
                  ORDER BY 1, 3, 4",
            )
            .await,
            rows(
                "SELECT establishment_id, '', status, closed_at / 3600, COUNT(*) FROM disputes \
                  WHERE closed_at IS NOT NULL GROUP BY 1, 3, 4 ORDER BY 1, 3, 4",
            )
            .await,
        ),
    ]
}

#[tokio::test]
async fn the_figures_kept_beside_the_cases_follow_every_change() {
    let app = spawn_app_with_demo_today().await;
    let check = |when: &'static str| {
        let app = &app;
        async move {
            for (index, (kept, counted)) in kept_and_counted(app).await.into_iter().enumerate() {
                assert!(!counted.is_empty(), "table {index}: the demo has cases");
                assert_eq!(kept, counted, "table {index} {when}");
            }
        }
    };
    check("after the demo seed").await;

    // Through the portal: a draft saved and a case accepted by the merchant.
    let visitor = app.visitor();
    visitor.sign_in_demo("opera").await;
    let opera = establishment_id(&app, "9421000011").await;
    let case: String = sqlx::query_scalar(&format!(
        "SELECT case_number FROM disputes WHERE establishment_id = {opera} AND status = 'needs_response' ORDER BY id LIMIT 1"
    ))
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let before = scalar(&app.db, "SELECT COUNT(*) FROM disputes WHERE status = 'accepted'").await;
    let path = format!("/disputes/{case}");
    let version = portal_tests::hidden_value(&visitor.page(&path).await, "version");
    let accepted = visitor.submit(&format!("{path}/accept"), &[("version", &version), ("confirm", "yes")]).await;
    assert!(accepted.contains("data-testid=\"notice\""), "the merchant accepts {case}");
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM disputes WHERE status = 'accepted'").await, before + 1);
    check("after an acceptance").await;

    // Any writer: status, amount, currency, establishment and dates changed, a case deleted.
    let nice = establishment_id(&app, "9421000045").await;
    for change in [
        format!("UPDATE disputes SET status = 'won', closed_at = opened_at + 86400 WHERE establishment_id = {opera} AND status = 'under_review'"),
        format!("UPDATE disputes SET disputed_amount = disputed_amount + 7, currency = 'USD' WHERE establishment_id = {opera} AND status = 'needs_response'"),
        format!("UPDATE disputes SET establishment_id = {nice}, opened_at = opened_at - 7200 WHERE establishment_id = {opera} AND status = 'draft_saved'"),
        format!("UPDATE disputes SET stage = 'chargeback', closed_at = NULL WHERE establishment_id = {nice} AND status = 'accepted'"),
        // A case written, then one deleted (a copy without documents or events).
        "INSERT INTO disputes (case_number, establishment_id, transaction_id, stage, status, reason_code, \
         disputed_amount, currency, opened_at, reply_by, closed_at, updated_at) \
         SELECT case_number || '-COPY', establishment_id, transaction_id, stage, status, reason_code, disputed_amount, \
         currency, opened_at, reply_by, closed_at, updated_at FROM disputes WHERE status = 'lost'"
            .to_owned(),
        "DELETE FROM disputes WHERE case_number LIKE '%-COPY' AND id % 2 = 0".to_owned(),
    ] {
        sqlx::query(&change).execute(&app.db.pool).await.unwrap();
    }
    check("after changes made in SQL").await;
    app.stop().await;
}
