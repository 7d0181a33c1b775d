//! The merchant's queues: one page of cases read as one JSON array, and headquarters' counts
//! of open cases per establishment. Which establishments and statuses are read is the caller's
//! (the queue's rules and the state machine); every value typed in the filters is bound, and
//! only fixed SQL, our ids and status names are written in the text.

use crate::db::{Db, Engine, Sql};
use crate::disputes::model::EstablishmentCount;
use crate::disputes::state::{Stage, Status, UnknownName};
use chrono::NaiveDate;

/// Above this many (establishment, status) pairs a page is read by one plain query.
const MAX_ARMS: usize = 48;

/// The columns each walk selects.
const COLUMNS: &str = "d.id, d.case_number, d.stage, d.status, d.reason_code, d.disputed_amount, d.currency, \
                       d.reply_by, d.establishment_id, d.transaction_id";

/// What a page is searched by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Search {
    CardLast4(String),
    CaseNumber(String),
}

/// One page of a queue, as the queue's rules ask for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageQuery<'a> {
    /// Already checked against the caller's scope.
    pub establishments: &'a [i64],
    /// The statuses the queue lists (none: the page is empty).
    pub statuses: &'a [Status],
    pub stage: Option<Stage>,
    pub reason: Option<&'a str>,
    pub amount_min: Option<i64>,
    pub amount_max: Option<i64>,
    pub reply_from: Option<NaiveDate>,
    pub reply_to: Option<NaiveDate>,
    /// Opened at this instant or later.
    pub opened_since: Option<i64>,
    /// Closed at this instant or later.
    pub closed_since: Option<i64>,
    pub search: Option<Search>,
    /// Keyset cursor: the previous page's last reply-by date and id.
    pub after: Option<(NaiveDate, i64)>,
    /// Rows a page shows; one more is read to know whether another page follows.
    pub rows: i64,
}

/// A case as a queue page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueEntry {
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
}

/// A row of [`push_page`], as the JSON array of its columns it is read as: id, case number,
/// stage, status, reason code, amount, currency, reply-by date, establishment name, masked card.
type PageJson = (i64, String, String, String, String, i64, String, String, String, String);

/// The conditions every walk applies besides its establishment and status.
fn push_conditions(sql: &mut Sql<'_>, page: &PageQuery<'_>) {
    if let Some(stage) = page.stage {
        sql.push(" AND d.stage = ").push_bind(stage.as_str());
    }
    if let Some(reason) = page.reason {
        sql.push(" AND d.reason_code = ").push_bind(reason.to_owned());
    }
    if let Some(minimum) = page.amount_min {
        sql.push(" AND d.disputed_amount >= ").push_bind(minimum);
    }
    if let Some(maximum) = page.amount_max {
        sql.push(" AND d.disputed_amount <= ").push_bind(maximum);
    }
    if let Some(from) = page.reply_from {
        sql.push(" AND d.reply_by >= ").push_bind(from.to_string());
    }
    if let Some(to) = page.reply_to {
        sql.push(" AND d.reply_by <= ").push_bind(to.to_string());
    }
    if let Some(since) = page.opened_since {
        sql.push(" AND d.opened_at >= ").push_bind(since);
    }
    if let Some(since) = page.closed_since {
        sql.push(" AND d.closed_at >= ").push_bind(since);
    }
    match &page.search {
        Some(Search::CardLast4(digits)) => {
            sql.push(" AND t.card_last4 = ").push_bind(digits.clone());
        }
        Some(Search::CaseNumber(number)) => {
            sql.push(" AND d.case_number = ").push_bind(number.clone());
        }
        None => {}
    }
}

/// Where the page starts: after the previous page's last row.
fn push_cursor(sql: &mut Sql<'_>, page: &PageQuery<'_>) {
    if let Some((reply_by, id)) = page.after {
        sql.push(" AND (d.reply_by > ").push_bind(reply_by.to_string());
        sql.push(" OR (d.reply_by = ").push_previous(0);
        sql.push(" AND d.id > ").push_bind(id).push("))");
    }
}

/// The SQL of one page. The index `disputes_queue (establishment_id, status, reply_by, id)`
/// yields each (establishment, status) pair already in reply-by order, so the page is read as
/// one short ordered walk per pair, merged: its cost does not grow with the queue's length
/// (one query over every status at once would sort the whole queue for each page). Each walk
/// binds the filter's values again.
fn push_page(sql: &mut Sql<'_>, page: &PageQuery<'_>) {
    let limit = page.rows + 1;
    // The transaction is joined inside the walks only to search by card; otherwise only the
    // page's rows fetch theirs.
    let from = if matches!(page.search, Some(Search::CardLast4(_))) {
        "FROM disputes d JOIN transactions t ON t.id = d.transaction_id"
    } else {
        "FROM disputes d"
    };
    sql.push(
        "SELECT q.id, q.case_number, q.stage, q.status, q.reason_code, q.disputed_amount, q.currency, q.reply_by, \
             e.trading_name, t.card_masked \
         FROM (",
    );
    if page.statuses.is_empty() {
        sql.push(format_args!("SELECT {COLUMNS} {from} WHERE 1 = 0"));
    } else if page.establishments.len() * page.statuses.len() <= MAX_ARMS {
        let pairs = page.establishments.iter().flat_map(|id| page.statuses.iter().map(move |status| (id, status)));
        for (index, (id, status)) in pairs.enumerate() {
            if index > 0 {
                sql.push(" UNION ALL ");
            }
            sql.push(format_args!(
                "SELECT * FROM (SELECT {COLUMNS} {from} WHERE d.establishment_id = {id} AND d.status = '{}'",
                status.as_str()
            ));
            push_conditions(sql, page);
            push_cursor(sql, page);
            sql.push(format_args!(" ORDER BY d.reply_by, d.id LIMIT {limit}) arm"));
        }
    } else {
        let ids = page.establishments.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
        let list = page.statuses.iter().map(|status| format!("'{}'", status.as_str())).collect::<Vec<_>>().join(", ");
        sql.push(format_args!("SELECT {COLUMNS} {from} WHERE d.establishment_id IN ({ids}) AND d.status IN ({list})"));
        push_conditions(sql, page);
        push_cursor(sql, page);
    }
    sql.push(format_args!(
        ") q JOIN establishments e ON e.id = q.establishment_id JOIN transactions t ON t.id = q.transaction_id \
         ORDER BY q.reply_by, q.id LIMIT {limit}"
    ));
}

/// The page's cases in reply-by order, and whether another page follows.
pub async fn queue_page(db: &Db, page: &PageQuery<'_>) -> Result<(Vec<QueueEntry>, bool), sqlx::Error> {
    // The page comes back as one JSON array: read row by row, the SQLite driver hands every row
    // from its thread to the server's with a wake-up, a measurable share of the page's time.
    let aggregate = match db.engine {
        Engine::Sqlite => "json_group_array(json_array",
        Engine::Postgres => "json_agg(json_build_array",
    };
    let mut sql = Sql::new(format!(
        "SELECT CAST({aggregate}(id, case_number, stage, status, reason_code, disputed_amount, currency, reply_by, \
         trading_name, card_masked) ORDER BY reply_by, id) AS TEXT) FROM ("
    ));
    push_page(&mut sql, page);
    sql.push(") page");
    let (sql, arguments) = sql.into_parts()?;
    let json: Option<String> = sqlx::query_scalar_with(&sql, arguments).fetch_one(&db.pool).await?;
    let rows: Vec<PageJson> = match json {
        Some(json) => serde_json::from_str(&json).map_err(|error| sqlx::Error::Decode(Box::new(error)))?,
        None => Vec::new(),
    };
    let more = rows.len() as i64 > page.rows;
    let unknown = |error: UnknownName| sqlx::Error::Decode(Box::new(error));
    let entries = rows
        .into_iter()
        .take(page.rows as usize)
        .map(|(id, case_number, stage, status, reason_code, amount, currency, reply_by, establishment, card_masked)| {
            Ok(QueueEntry {
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
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    Ok((entries, more))
}

/// Whether the page asks for nothing but its establishments and statuses (then its count is
/// the kept totals'). Every field is named, so that a new filter cannot be forgotten here.
fn unfiltered(page: &PageQuery<'_>) -> bool {
    let PageQuery {
        establishments: _,
        statuses: _,
        after: _,
        rows: _,
        stage,
        reason,
        amount_min,
        amount_max,
        reply_from,
        reply_to,
        opened_since,
        closed_since,
        search,
    } = page;
    stage.is_none()
        && reason.is_none()
        && amount_min.is_none()
        && amount_max.is_none()
        && reply_from.is_none()
        && reply_to.is_none()
        && opened_since.is_none()
        && closed_since.is_none()
        && search.is_none()
}

/// How many cases the page's filter matches, every page together (the cursor is ignored).
/// Without a filter it is read from the totals the database keeps by establishment and status
/// (migration 0014) instead of counting every case of a long queue for each page.
pub async fn queue_count(db: &Db, page: &PageQuery<'_>) -> Result<i64, sqlx::Error> {
    if page.statuses.is_empty() || page.establishments.is_empty() {
        return Ok(0);
    }
    let ids = page.establishments.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    let statuses = Status::sql_list(|status| page.statuses.contains(&status));
    if unfiltered(page) {
        return sqlx::query_scalar(&format!(
            "SELECT CAST(COALESCE(SUM(cases), 0) AS BIGINT) FROM dispute_status_totals \
             WHERE establishment_id IN ({ids}) AND status IN {statuses}"
        ))
        .fetch_one(&db.pool)
        .await;
    }
    let join = if matches!(page.search, Some(Search::CardLast4(_))) {
        " JOIN transactions t ON t.id = d.transaction_id"
    } else {
        ""
    };
    let mut sql = Sql::new(format!(
        "SELECT COUNT(*) FROM disputes d{join} WHERE d.establishment_id IN ({ids}) AND d.status IN {statuses}"
    ));
    push_conditions(&mut sql, page);
    let (sql, arguments) = sql.into_parts()?;
    sqlx::query_scalar_with(&sql, arguments).fetch_one(&db.pool).await
}

/// A row of the headquarters' overview (sums are NULL for an establishment with no open case).
#[derive(sqlx::FromRow)]
struct CountRow {
    id: i64,
    trading_name: String,
    open: i64,
    urgent: Option<i64>,
    overdue: Option<i64>,
}

/// For each of `establishments`, in number order: its cases in one of `statuses`, those due
/// between `today` and `last_urgent_day`, and those due before `today`.
pub async fn open_counts_for_establishments(
    db: &Db,
    establishments: &[i64],
    statuses: &[Status],
    today: NaiveDate,
    last_urgent_day: NaiveDate,
) -> Result<Vec<EstablishmentCount>, sqlx::Error> {
    let ids = establishments.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    let sql = format!(
        "SELECT e.id, e.trading_name, COUNT(d.id) AS open, \
             SUM(CASE WHEN d.reply_by >= $1 AND d.reply_by <= $2 THEN 1 ELSE 0 END) AS urgent, \
             SUM(CASE WHEN d.reply_by < $1 THEN 1 ELSE 0 END) AS overdue \
         FROM establishments e LEFT JOIN disputes d ON d.establishment_id = e.id AND d.status IN {} \
         WHERE e.id IN ({ids}) GROUP BY e.id, e.trading_name, e.number ORDER BY e.number",
        Status::sql_list(|status| statuses.contains(&status))
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

    fn page<'a>(establishments: &'a [i64], statuses: &'a [Status]) -> PageQuery<'a> {
        PageQuery {
            establishments,
            statuses,
            stage: None,
            reason: None,
            amount_min: None,
            amount_max: None,
            reply_from: None,
            reply_to: None,
            opened_since: None,
            closed_since: None,
            search: None,
            after: None,
            rows: 25,
        }
    }

    fn text(page: &PageQuery<'_>) -> (String, usize) {
        use sqlx::Arguments;
        let mut sql = Sql::new("");
        push_page(&mut sql, page);
        let (text, arguments) = sql.into_parts().unwrap();
        (text, arguments.len())
    }

    #[test]
    fn only_a_page_without_filters_is_counted_from_the_totals() {
        let statuses = [Status::NeedsResponse];
        assert!(unfiltered(&page(&[1, 2], &statuses)));
        let after =
            PageQuery { after: NaiveDate::from_ymd_opt(2026, 12, 1).map(|day| (day, 9)), ..page(&[1], &statuses) };
        assert!(unfiltered(&after), "the cursor does not change the count");
        assert!(!unfiltered(&PageQuery { stage: Some(Stage::Inquiry), ..page(&[1], &statuses) }));
        assert!(!unfiltered(&PageQuery { closed_since: Some(0), ..page(&[1], &statuses) }));
        assert!(!unfiltered(&PageQuery { search: Some(Search::CaseNumber("X".into())), ..page(&[1], &statuses) }));
    }

    #[test]
    fn a_page_is_one_ordered_walk_per_establishment_and_status_up_to_a_limit() {
        let closed = [Status::Accepted, Status::Won, Status::Lost, Status::Expired];
        let (small, _) = text(&page(&[1, 2], &closed));
        assert_eq!(small.matches("ORDER BY d.reply_by, d.id LIMIT 26").count(), 8, "2 establishments x 4 statuses");
        assert!(small.contains("d.establishment_id = 2 AND d.status = 'expired'"));
        assert_eq!(text(&page(&[1, 2], &[Status::Won])).0.matches("UNION ALL").count(), 1);
        let large: Vec<i64> = (1..=13).collect();
        let (fallback, _) = text(&PageQuery { stage: Some(Stage::Inquiry), ..page(&large, &closed) });
        assert!(!fallback.contains("UNION ALL") && fallback.contains("d.establishment_id IN (1, 2, 3"));
        assert!(fallback.contains("AND d.stage = $1"));
        assert!(text(&page(&[1], &[])).0.contains("WHERE 1 = 0"), "no status: nothing listed");
    }

    #[test]
    fn every_walk_binds_the_filter_and_a_card_search_joins_the_transaction() {
        let after = (NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(), 17);
        let query = PageQuery {
            search: Some(Search::CardLast4("4242".into())),
            after: Some(after),
            ..page(&[1, 2], &[Status::NeedsResponse])
        };
        let (sql, bound) = text(&query);
        assert_eq!(bound, 6, "card, date and id in each of the 2 walks");
        assert!(sql.contains(
            "d.status = 'needs_response' AND t.card_last4 = $4 AND (d.reply_by > $5 OR (d.reply_by = $5 AND d.id > $6))"
        ));
        assert_eq!(sql.matches("FROM disputes d JOIN transactions t ON t.id = d.transaction_id").count(), 2);
        let (plain, _) = text(&page(&[1], &[Status::NeedsResponse]));
        assert!(!plain.contains("FROM disputes d JOIN transactions"));
    }
}
