//! Benchmark: what the portal's framework costs over bare axum + sqlx. Measures, 16 connections,
//! in five alternating rounds of 2 s each side after a 2 s warm-up (medians), the requests per
//! second of
//! - the signed-in dispute list (`/disputes?queue=response_needed`, first page, 25 rows) against a
//!   bare handler started here that reads the same 25 rows from the same database and writes them
//!   as a plain HTML table (no Leptos, no session, no sign-in): target page/baseline at least 0.6;
//! - the transaction search's first page (`/transactions`, 35 days, 50 rows newest first) against
//!   a bare handler reading the same 50 rows: the ratio is printed, with no target.
//!
//! Exits with 1 when the dispute list's ratio is under its target. Runs against a release server
//! on the benchmark database, given its address and the database's URL (`scripts/bench.sh`):
//!
//!     cargo run --release -p portal-tests --example page_baseline -- http://127.0.0.1:3000 \
//!         'sqlite:///tmp/x/portal.db?mode=ro' [USERNAME [PASSWORD]]
//!
//! The user defaults to `bench` (password `Demo-bench-2026`); another demo user (password
//! `Demo-USERNAME-2026` unless given) makes it a plumbing check on the demo database.

use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use axum::Router;
use chrono::{Datelike, Timelike};
use portal_tests::load::throughput;
use portal_tests::Visitor;
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Row};
use std::sync::Arc;
use std::time::Duration;

const CLIENTS: usize = 16;
const WARM_UP: Duration = Duration::from_secs(2);
const MEASURED: Duration = Duration::from_secs(2);
const ROUNDS: usize = 5;
const TARGET_RATIO: f64 = 0.6;
const QUEUE_PAGE: &str = "/disputes?queue=response_needed";

/// The baseline's state: its pool and the dispute list's SQL, written once for the user's scope.
struct Baseline {
    pool: AnyPool,
    disputes_sql: String,
    /// The establishment `/transactions` shows by default: the user's first by number.
    establishment: i64,
}

/// Text as HTML needs it: a fair baseline still escapes what it writes.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn amount(minor: i64, currency: &str) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    format!("{sign}{}.{:02} {}", minor.abs() / 100, minor.abs() % 100, escape(currency))
}

impl Baseline {
    async fn open(database_url: &str, username: &str) -> Baseline {
        sqlx::any::install_default_drivers();
        // As many connections as the portal's SQLite pool.
        let pool = AnyPoolOptions::new().max_connections(8).connect(database_url).await.expect("the database opens");
        // The same scope the portal's caller gets: every establishment a membership opens.
        let rows = sqlx::query(
            "SELECT e.id FROM users u JOIN memberships m ON m.user_id = u.id \
             JOIN establishments e ON e.organisation_id = m.organisation_id \
                 AND (m.establishment_id IS NULL OR m.establishment_id = e.id) \
             WHERE u.username = $1 ORDER BY e.number",
        )
        .bind(username)
        .fetch_all(&pool)
        .await
        .expect("the user's establishments");
        let mut scope: Vec<i64> = Vec::new();
        for row in &rows {
            let id: i64 = row.get(0);
            if !scope.contains(&id) {
                scope.push(id);
            }
        }
        assert!(!scope.is_empty(), "{username} has establishments");
        // One ordered walk of the index per (establishment, status), merged, as the portal reads
        // a queue page: one query over every status at once would sort the whole queue, and the
        // baseline would measure SQLite's sorting rather than what the framework adds.
        let arms = scope
            .iter()
            .flat_map(|id| ["needs_response", "draft_saved", "info_requested"].map(|status| (*id, status)))
            .map(|(id, status)| {
                format!(
                    "SELECT * FROM (SELECT id, case_number, stage, status, reason_code, disputed_amount, currency, reply_by, \
                         establishment_id, transaction_id FROM disputes \
                     WHERE establishment_id = {id} AND status = '{status}' ORDER BY reply_by, id LIMIT 25) arm"
                )
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        let disputes_sql = format!(
            "SELECT q.case_number, e.trading_name, q.stage, q.status, q.reason_code, t.card_masked, q.disputed_amount, \
                 q.currency, q.reply_by \
             FROM ({arms}) q JOIN establishments e ON e.id = q.establishment_id \
             JOIN transactions t ON t.id = q.transaction_id ORDER BY q.reply_by, q.id LIMIT 25"
        );
        Baseline { pool, disputes_sql, establishment: scope[0] }
    }
}

async fn disputes(State(baseline): State<Arc<Baseline>>) -> Html<String> {
    let rows = sqlx::query(&baseline.disputes_sql).fetch_all(&baseline.pool).await.expect("the dispute rows");
    let mut html = String::from(
        "<!DOCTYPE html><html><head><title>Disputes</title></head><body><table><thead><tr><th>Case</th>\
         <th>Establishment</th><th>Stage</th><th>Status</th><th>Reason</th><th>Card</th><th>Amount</th>\
         <th>Reply by</th></tr></thead><tbody>",
    );
    for row in &rows {
        let case: String = row.get(0);
        let text = |index: usize| escape(&row.get::<String, _>(index));
        html.push_str(&format!(
            "<tr data-case=\"{case}\"><td>{case}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td>{}</td><td>{}</td></tr>",
            text(1),
            text(2),
            text(3),
            text(4),
            text(5),
            amount(row.get(6), &row.get::<String, _>(7)),
            text(8),
            case = escape(&case),
        ));
    }
    html.push_str("</tbody></table></body></html>");
    Html(html)
}

async fn transactions(State(baseline): State<Arc<Baseline>>) -> Html<String> {
    // The portal's default range, computed per request as the page does.
    let (start, end) = app::money::filter::Range::online(app::clock::paris_today()).instants();
    let rows = sqlx::query(
        "SELECT t.occurred_at, t.card_masked, t.amount, t.currency, t.kind, t.reference, t.installment_plan_id, \
             t.installment_count, (SELECT MIN(d.case_number) FROM disputes d WHERE d.transaction_id = t.id) \
         FROM transactions t WHERE t.establishment_id = $1 AND t.occurred_at >= $2 AND t.occurred_at < $3 \
         ORDER BY t.occurred_at DESC, t.id DESC LIMIT 50",
    )
    .bind(baseline.establishment)
    .bind(start)
    .bind(end)
    .fetch_all(&baseline.pool)
    .await
    .expect("the transaction rows");
    let mut html = String::from(
        "<!DOCTYPE html><html><head><title>Transactions</title></head><body><table><thead><tr><th>Date</th>\
         <th>Card</th><th>Amount</th><th>Type</th><th>Reference</th><th>Installments</th><th>Case</th></tr></thead>\
         <tbody>",
    );
    for row in &rows {
        // UTC, written by hand: the bare minimum of a date.
        let at = chrono::DateTime::from_timestamp(row.get(0), 0).unwrap_or_default();
        let plan = match (row.get::<Option<String>, _>(6), row.get::<Option<i64>, _>(7)) {
            (Some(plan), Some(count)) => format!("{} × {count}", escape(&plan)),
            _ => String::new(),
        };
        let case = row.get::<Option<String>, _>(8).map(|case| escape(&case)).unwrap_or_default();
        html.push_str(&format!(
            "<tr data-testid=\"transaction-row\"><td>{:04}-{:02}-{:02} {:02}:{:02}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{plan}</td>\
             <td>{case}</td></tr>",
            at.year(),
            at.month(),
            at.day(),
            at.hour(),
            at.minute(),
            escape(&row.get::<String, _>(1)),
            amount(row.get(2), &row.get::<String, _>(3)),
            escape(&row.get::<String, _>(4)),
            escape(&row.get::<String, _>(5)),
        ));
    }
    html.push_str("</tbody></table></body></html>");
    Html(html)
}

/// Starts the baseline on 127.0.0.1:0 on its own two-thread runtime (the portal's server has
/// its own process and runtime; sharing the load generator's would flatter neither) and returns
/// its address.
fn start_baseline(database_url: String, username: String) -> String {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime for the baseline");
        runtime.block_on(async move {
            let baseline = Arc::new(Baseline::open(&database_url, &username).await);
            let app = Router::new()
                .route("/disputes", get(disputes))
                .route("/transactions", get(transactions))
                .with_state(baseline);
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
            sender.send(format!("http://{}", listener.local_addr().expect("an address"))).expect("main waits");
            axum::serve(listener, app).await.expect("the baseline serves");
        });
    });
    receiver.recv().expect("the baseline starts")
}

/// The values of `attribute="…"` in the page, in order.
fn attribute_values(page: &str, attribute: &str) -> Vec<String> {
    let marker = format!("{attribute}=\"");
    page.match_indices(&marker)
        .map(|(at, _)| {
            let rest = &page[at + marker.len()..];
            rest[..rest.find('"').expect("a closing quote")].to_owned()
        })
        .collect()
}

/// The text of each row's `column`th cell (from 0), rows found by a marker in their `<tr>` tag.
fn cells(page: &str, row_marker: &str, column: usize) -> Vec<String> {
    page.split(row_marker)
        .skip(1)
        .map(|row| {
            let cell = row.split("<td").nth(column + 1).expect("the cell");
            let text = &cell[cell.find('>').expect("a cell") + 1..];
            text[..text.find("</td>").expect("the cell's end")].to_owned()
        })
        .collect()
}

fn is_queue(body: &str) -> bool {
    body.contains("data-testid=\"case-row\"")
}

fn is_transactions(body: &str) -> bool {
    body.contains("data-testid=\"transaction-row\"")
}

fn is_table(body: &str) -> bool {
    body.contains("<tr")
}

/// The middle value (of an odd count; the upper middle otherwise).
fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Both sides' requests per second on their page, measured alike, and their ratio: after a
/// warm-up of each, [`ROUNDS`] rounds each measuring the page then the baseline for
/// [`MEASURED`]; the medians of the rounds. Alternating short rounds keeps a passing
/// disturbance of the shared two cores (measured runs differed by a third from one minute to
/// the next) from landing on one side only.
async fn measure(
    portal: &Arc<Vec<Visitor>>,
    baseline: &Arc<Vec<Visitor>>,
    page: &str,
    bare: &str,
    check: fn(&str) -> bool,
) -> (f64, f64, f64) {
    throughput(portal, page, WARM_UP, check).await;
    throughput(baseline, bare, WARM_UP, is_table).await;
    let (mut pages, mut bares, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        let page_rate = throughput(portal, page, MEASURED, check).await;
        let bare_rate = throughput(baseline, bare, MEASURED, is_table).await;
        pages.push(page_rate);
        bares.push(bare_rate);
        ratios.push(page_rate / bare_rate);
    }
    (median(pages), median(bares), median(ratios))
}

/// Thousands with commas, as the figures are printed.
fn rate(per_second: f64) -> String {
    let digits = format!("{:.0}", per_second);
    let mut grouped = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let base = args.next().expect("the portal's address");
    let database_url = args.next().expect("the portal's DATABASE_URL");
    let username = args.next().unwrap_or_else(|| "bench".into());
    let password = args.next().unwrap_or_else(|| format!("Demo-{username}-2026"));

    let bare_address = start_baseline(database_url, username.clone());
    let mut portal = Vec::new();
    let mut baseline = Vec::new();
    for _ in 0..CLIENTS {
        let visitor = Visitor::new(&base);
        let response = visitor.sign_in(&username, &password).await;
        assert_eq!(response.status(), 303, "{username} signs in (is this the benchmark database?)");
        portal.push(visitor);
        baseline.push(Visitor::new(&bare_address));
    }
    let (portal, baseline) = (Arc::new(portal), Arc::new(baseline));

    // Both sides must list the same rows, or the comparison means nothing.
    let page = portal[0].page(QUEUE_PAGE).await;
    let bare = baseline[0].page("/disputes").await;
    let cases = attribute_values(&bare, "data-case");
    assert!(!cases.is_empty(), "the queue has cases");
    assert_eq!(attribute_values(&page, "data-case"), cases, "the page and the baseline list the same cases in order");
    let page = portal[0].page("/transactions").await;
    let bare = baseline[0].page("/transactions").await;
    let references = cells(&bare, "data-testid=\"transaction-row\"", 4);
    assert!(!references.is_empty(), "the search finds transactions");
    assert_eq!(
        cells(&page, "data-testid=\"transaction-row\"", 4),
        references,
        "the page and the baseline list the same transactions in order"
    );

    let (page_rate, bare_rate, ratio) = measure(&portal, &baseline, QUEUE_PAGE, "/disputes", is_queue).await;
    println!(
        "dispute list: {} req/s; bare axum+sqlx {}-row table: {} req/s; ratio {ratio:.2} (target at least {TARGET_RATIO})",
        rate(page_rate),
        cases.len(),
        rate(bare_rate)
    );
    let (search_rate, bare_search_rate, search_ratio) =
        measure(&portal, &baseline, "/transactions", "/transactions", is_transactions).await;
    println!(
        "transaction search: {} req/s; bare axum+sqlx {}-row table: {} req/s; ratio {:.2} (no target)",
        rate(search_rate),
        references.len(),
        rate(bare_search_rate),
        search_ratio
    );
    if ratio < TARGET_RATIO {
        std::process::exit(1);
    }
}
