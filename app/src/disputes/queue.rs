//! The merchant's work queues: response needed, under review, closed. Filters by
//! establishment, stage, status, reason code, amount range and opening dates; search by case
//! number or card last digits; sorted by reply-by date with keyset pagination (fast at any
//! depth). Every query is scoped to the caller's establishments.

use super::deadline::{self, Urgency};
use super::state::{Stage, Status};
use crate::accounts::caller::Caller;
use crate::db::{Db, Engine};
use crate::AppError;
use chrono::NaiveDate;

/// Rows per page.
pub const PAGE_SIZE: i64 = 25;

/// The three queues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Queue {
    #[default]
    ResponseNeeded,
    UnderReview,
    Closed,
}

impl Queue {
    pub const ALL: [Queue; 3] = [Queue::ResponseNeeded, Queue::UnderReview, Queue::Closed];

    pub fn as_str(self) -> &'static str {
        match self {
            Queue::ResponseNeeded => "response_needed",
            Queue::UnderReview => "under_review",
            Queue::Closed => "closed",
        }
    }
}

/// What the queue page asks for (from its address).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueFilter {
    pub queue: Queue,
    pub establishment: Option<i64>,
    pub stage: Option<Stage>,
    pub status: Option<Status>,
    pub reason: Option<String>,
    pub amount_min: Option<i64>,
    pub amount_max: Option<i64>,
    pub reply_from: Option<NaiveDate>,
    pub reply_to: Option<NaiveDate>,
    pub search: Option<String>,
    /// Keyset cursor: the last row's reply-by date and id.
    pub after: Option<(NaiveDate, i64)>,
}

/// A filter value the page cannot use; the page says which and runs no query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadFilter(pub &'static str);

impl QueueFilter {
    /// Reads the page's query string; unknown names are ignored, empty values mean "any".
    pub fn parse(query: &str) -> Result<QueueFilter, BadFilter> {
        let mut filter = QueueFilter::default();
        for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
            let value = value.trim().to_owned();
            if value.is_empty() {
                continue;
            }
            match name.as_ref() {
                "queue" => {
                    filter.queue =
                        Queue::ALL.into_iter().find(|queue| queue.as_str() == value).ok_or(BadFilter("queue"))?
                }
                "establishment" => filter.establishment = Some(value.parse().map_err(|_| BadFilter("establishment"))?),
                "stage" => filter.stage = Some(Stage::parse(&value).ok_or(BadFilter("stage"))?),
                "status" => filter.status = Some(Status::parse(&value).ok_or(BadFilter("status"))?),
                "reason" => {
                    super::reason_codes::find(&value.to_uppercase()).ok_or(BadFilter("reason"))?;
                    filter.reason = Some(value.to_uppercase());
                }
                "amount_min" => filter.amount_min = Some(parse_amount(&value).ok_or(BadFilter("amount_min"))?),
                "amount_max" => filter.amount_max = Some(parse_amount(&value).ok_or(BadFilter("amount_max"))?),
                "from" => filter.reply_from = Some(deadline::parse(&value).ok_or(BadFilter("from"))?),
                "to" => filter.reply_to = Some(deadline::parse(&value).ok_or(BadFilter("to"))?),
                "q" => filter.search = Some(value),
                "after" => {
                    let (date, id) = value.split_once('_').ok_or(BadFilter("after"))?;
                    filter.after = Some((
                        deadline::parse(date).ok_or(BadFilter("after"))?,
                        id.parse().map_err(|_| BadFilter("after"))?,
                    ));
                }
                _ => {}
            }
        }
        Ok(filter)
    }
}

/// One case in a queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueRow {
    pub id: i64,
    pub case_number: String,
    pub stage: Stage,
    pub status: Status,
    pub reason_code: String,
    pub amount: i64,
    pub currency: String,
    pub reply_by: String,
    pub establishment: String,
    pub card_masked: String,
    /// Open cases only.
    pub days_left: Option<i64>,
    pub urgent: bool,
}

/// A page of a queue and the cursor of the next one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueuePage {
    pub rows: Vec<QueueRow>,
    pub next: Option<String>,
}

impl Queue {
    /// Whether the queue lists cases in `status`, as the state machine classes it.
    pub fn lists(self, status: Status) -> bool {
        match self {
            Queue::ResponseNeeded => status.awaits_merchant(),
            Queue::UnderReview => status == Status::UnderReview,
            Queue::Closed => status.is_closed(),
        }
    }
}

/// Above this many (establishment, status) pairs a page is read by one plain query.
const MAX_ARMS: usize = 48;

/// The SQL of one page. The index `disputes_queue (establishment_id, status, reply_by, id)`
/// yields each (establishment, status) pair already in reply-by order, so the page is read as
/// one short ordered walk per pair, merged: its cost does not grow with the queue's length
/// (one query over every status at once would sort the whole queue for each page).
fn page_sql(scope: &[i64], filter: &QueueFilter, conditions: &[String]) -> String {
    let statuses: Vec<&str> = Status::ALL
        .into_iter()
        .filter(|status| filter.queue.lists(*status) && filter.status.is_none_or(|only| only == *status))
        .map(Status::as_str)
        .collect();
    let common = conditions.iter().map(|condition| format!(" AND {condition}")).collect::<String>();
    let limit = PAGE_SIZE + 1;
    let columns = "d.id, d.case_number, d.stage, d.status, d.reason_code, d.disputed_amount, d.currency, d.reply_by, \
                   d.establishment_id, d.transaction_id";
    // The transaction is joined inside the walks only to search by card; otherwise only the
    // page's 25 rows fetch theirs.
    let from = if conditions.iter().any(|condition| condition.contains("t.card_last4")) {
        "FROM disputes d JOIN transactions t ON t.id = d.transaction_id"
    } else {
        "FROM disputes d"
    };
    let arms: Vec<String> = if statuses.is_empty() {
        vec![format!("SELECT {columns} {from} WHERE 1 = 0")]
    } else if scope.len() * statuses.len() <= MAX_ARMS {
        scope
            .iter()
            .flat_map(|id| statuses.iter().map(move |status| (id, status)))
            .map(|(id, status)| {
                format!(
                    "SELECT * FROM (SELECT {columns} {from} WHERE d.establishment_id = {id} AND d.status = '{status}'{common} \
                     ORDER BY d.reply_by, d.id LIMIT {limit}) arm"
                )
            })
            .collect()
    } else {
        let ids = scope.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
        let list = statuses.iter().map(|status| format!("'{status}'")).collect::<Vec<_>>().join(", ");
        vec![format!("SELECT {columns} {from} WHERE d.establishment_id IN ({ids}) AND d.status IN ({list}){common}")]
    };
    format!(
        "SELECT q.id, q.case_number, q.stage, q.status, q.reason_code, q.disputed_amount, q.currency, q.reply_by, \
             e.trading_name, t.card_masked \
         FROM ({}) q JOIN establishments e ON e.id = q.establishment_id JOIN transactions t ON t.id = q.transaction_id \
         ORDER BY q.reply_by, q.id LIMIT {limit}",
        arms.join(" UNION ALL ")
    )
}

/// Minor units from a typed amount ("120", "120,50", "120.5"); `None` when it is not one.
pub fn parse_amount(text: &str) -> Option<i64> {
    let text = text.trim().replace(' ', "").replace(',', ".");
    let (units, cents) = text.split_once('.').unwrap_or((&text, ""));
    if units.is_empty()
        || !units.chars().all(|c| c.is_ascii_digit())
        || cents.len() > 2
        || !cents.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let cents = format!("{cents:0<2}");
    units.parse::<i64>().ok()?.checked_mul(100)?.checked_add(cents.parse::<i64>().ok()?)
}

/// One page of the queue the filter names.
pub async fn list(db: &Db, caller: &Caller, filter: &QueueFilter, today: NaiveDate) -> Result<QueuePage, AppError> {
    let mut scope = caller.establishment_ids();
    if let Some(only) = filter.establishment {
        caller.establishment(only)?;
        scope = vec![only];
    }
    if scope.is_empty() {
        return Ok(QueuePage::default());
    }
    // Every value the user typed is bound; only fixed SQL is formatted in.
    let mut conditions = Vec::new();
    let mut binds: Vec<String> = Vec::new();
    let mut bind = |value: String| {
        binds.push(value);
        format!("${}", binds.len())
    };
    if let Some(stage) = &filter.stage {
        conditions.push(format!("d.stage = {}", bind(stage.as_str().to_owned())));
    }
    if let Some(reason) = &filter.reason {
        conditions.push(format!("d.reason_code = {}", bind(reason.clone())));
    }
    if let Some(minimum) = filter.amount_min {
        conditions.push(format!("d.disputed_amount >= {minimum}"));
    }
    if let Some(maximum) = filter.amount_max {
        conditions.push(format!("d.disputed_amount <= {maximum}"));
    }
    if let Some(from) = filter.reply_from {
        conditions.push(format!("d.reply_by >= {}", bind(from.to_string())));
    }
    if let Some(to) = filter.reply_to {
        conditions.push(format!("d.reply_by <= {}", bind(to.to_string())));
    }
    if let Some(search) = filter.search.as_deref().filter(|search| !search.is_empty()) {
        if search.len() == 4 && search.chars().all(|c| c.is_ascii_digit()) {
            conditions.push(format!("t.card_last4 = {}", bind(search.to_owned())));
        } else {
            conditions.push(format!("d.case_number = {}", bind(search.to_uppercase())));
        }
    }
    if let Some((reply_by, id)) = &filter.after {
        let reply_by = bind(reply_by.to_string());
        conditions.push(format!("(d.reply_by > {reply_by} OR (d.reply_by = {reply_by} AND d.id > {id}))"));
    }
    // The page comes back as one JSON array: read row by row, the SQLite driver hands every row
    // from its thread to the server's with a wake-up, a measurable share of the page's time.
    let aggregate = match db.engine {
        Engine::Sqlite => "json_group_array(json_array",
        Engine::Postgres => "json_agg(json_build_array",
    };
    let sql = format!(
        "SELECT CAST({aggregate}(id, case_number, stage, status, reason_code, disputed_amount, currency, reply_by, \
         trading_name, card_masked) ORDER BY reply_by, id) AS TEXT) FROM ({}) page",
        page_sql(&scope, filter, &conditions)
    );
    let mut query = sqlx::query_scalar::<_, Option<String>>(&sql);
    for value in &binds {
        query = query.bind(value);
    }
    let rows: Vec<PageJson> = match query.fetch_one(&db.pool).await? {
        Some(json) => serde_json::from_str(&json).map_err(|error| sqlx::Error::Decode(Box::new(error)))?,
        None => Vec::new(),
    };
    let mut page = QueuePage::default();
    let more = rows.len() as i64 > PAGE_SIZE;
    let open = filter.queue != Queue::Closed;
    let unknown = |error: super::state::UnknownName| sqlx::Error::Decode(Box::new(error));
    for row in rows.into_iter().take(PAGE_SIZE as usize) {
        let (id, case_number, stage, status, reason_code, amount, currency, reply_by, establishment, card_masked) = row;
        let due = deadline::parse(&reply_by).unwrap_or(today);
        page.rows.push(QueueRow {
            id,
            case_number,
            stage: Stage::try_from(stage).map_err(unknown)?,
            status: Status::try_from(status).map_err(unknown)?,
            reason_code,
            amount,
            currency,
            reply_by,
            establishment,
            card_masked,
            days_left: open.then(|| deadline::days_left(due, today)),
            urgent: open && deadline::urgency(due, today) != Urgency::OnTime,
        });
    }
    if more {
        page.next = page.rows.last().map(|last| format!("{}_{}", last.reply_by, last.id));
    }
    Ok(page)
}

/// A row of [`page_sql`], as the JSON array of its columns it is read as: id, case number, stage,
/// status, reason code, amount, currency, reply-by date, establishment name, masked card.
type PageJson = (i64, String, String, String, String, i64, String, String, String, String);

/// A row of the headquarters' overview (sums are NULL for an establishment with no open case).
#[derive(sqlx::FromRow)]
struct CountRow {
    id: i64,
    trading_name: String,
    open: i64,
    urgent: Option<i64>,
    overdue: Option<i64>,
}

/// One establishment's open cases, for headquarters' overview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EstablishmentCount {
    pub id: i64,
    pub name: String,
    pub open: i64,
    /// Due within the urgent window (today included).
    pub urgent: i64,
    /// Past their reply-by date and not yet expired by the deadline worker.
    pub overdue: i64,
}

/// Open, urgent and overdue cases of each establishment the caller oversees from headquarters;
/// empty for establishment users.
pub async fn summary(db: &Db, caller: &Caller, today: NaiveDate) -> Result<Vec<EstablishmentCount>, AppError> {
    let overseen: Vec<i64> =
        caller.establishments.iter().filter(|scope| scope.headquarters.is_some()).map(|scope| scope.id).collect();
    if overseen.is_empty() {
        return Ok(Vec::new());
    }
    let ids = overseen.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    let last_urgent_day = today + chrono::Duration::days(deadline::URGENT_DAYS);
    let sql = format!(
        "SELECT e.id, e.trading_name, COUNT(d.id) AS open, \
             SUM(CASE WHEN d.reply_by >= $1 AND d.reply_by <= $2 THEN 1 ELSE 0 END) AS urgent, \
             SUM(CASE WHEN d.reply_by < $1 THEN 1 ELSE 0 END) AS overdue \
         FROM establishments e LEFT JOIN disputes d ON d.establishment_id = e.id AND d.status IN {} \
         WHERE e.id IN ({ids}) GROUP BY e.id, e.trading_name, e.number ORDER BY e.number",
        Status::sql_list(|status| Queue::ResponseNeeded.lists(status))
    );
    let rows: Vec<CountRow> =
        sqlx::query_as(&sql).bind(today.to_string()).bind(last_urgent_day.to_string()).fetch_all(&db.pool).await?;
    Ok(rows
        .into_iter()
        .map(|row| EstablishmentCount {
            id: row.id,
            name: row.trading_name,
            open: row.open,
            urgent: row.urgent.unwrap_or(0),
            overdue: row.overdue.unwrap_or(0),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_read_from_the_address_and_bad_values_are_named() {
        let filter = QueueFilter::parse(
            "queue=closed&stage=inquiry&reason=c08&amount_min=10,5&from=2026-11-01&q=4242&after=2026-11-20_17",
        )
        .unwrap();
        assert_eq!(filter.queue, Queue::Closed);
        assert_eq!(filter.stage, Some(Stage::Inquiry));
        assert_eq!(filter.reason.as_deref(), Some("C08"));
        assert_eq!(filter.amount_min, Some(1_050));
        assert_eq!(filter.search.as_deref(), Some("4242"));
        assert_eq!(filter.after, Some((deadline::parse("2026-11-20").unwrap(), 17)));
        assert_eq!(QueueFilter::parse("stage=&status=").unwrap(), QueueFilter::default());
        assert_eq!(QueueFilter::parse("amount_max=12abc"), Err(BadFilter("amount_max")));
        assert_eq!(QueueFilter::parse("status=closed"), Err(BadFilter("status")));
        assert_eq!(QueueFilter::parse("from=2026-13-01"), Err(BadFilter("from")));
        assert_eq!(QueueFilter::parse("reason=Z99"), Err(BadFilter("reason")));
    }

    #[test]
    fn a_page_is_one_ordered_walk_per_establishment_and_status_up_to_a_limit() {
        let filter = QueueFilter { queue: Queue::Closed, ..QueueFilter::default() };
        let small = page_sql(&[1, 2], &filter, &[]);
        assert_eq!(small.matches("ORDER BY d.reply_by, d.id LIMIT").count(), 8, "2 establishments x 4 statuses");
        assert!(small.contains("d.establishment_id = 2 AND d.status = 'expired'"));
        let only_won = QueueFilter { status: Some(Status::Won), ..filter.clone() };
        assert_eq!(page_sql(&[1, 2], &only_won, &[]).matches("UNION ALL").count(), 1);
        let large: Vec<i64> = (1..=13).collect();
        let fallback = page_sql(&large, &filter, &["d.stage = $1".into()]);
        assert!(!fallback.contains("UNION ALL") && fallback.contains("d.establishment_id IN (1, 2, 3"));
        assert!(fallback.contains("AND d.stage = $1"));
        let wrong_queue = QueueFilter { status: Some(Status::Won), ..QueueFilter::default() };
        assert!(page_sql(&[1], &wrong_queue, &[]).contains("WHERE 1 = 0"), "a status of another queue lists nothing");
    }

    #[test]
    fn amounts_are_read_in_euros_and_cents() {
        assert_eq!(parse_amount("120"), Some(12_000));
        assert_eq!(parse_amount("120,5"), Some(12_050));
        assert_eq!(parse_amount(" 1 200.05 "), Some(120_005));
        for bad in ["", "abc", "-5", "1.234", "1e3", "12,,5"] {
            assert_eq!(parse_amount(bad), None, "{bad}");
        }
    }
}
