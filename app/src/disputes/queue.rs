//! The merchant's work queues: response needed, under review, closed (and `all`, reached only
//! from a dashboard figure). Filters by establishment, stage, statuses, reason code, amount
//! range, reply-by dates, how pressing the case is (urgent, overdue) and the day it was opened or
//! closed from; search by case number or card last digits; sorted by reply-by date with keyset
//! pagination (fast at any depth; the SQL is in `store::queue`). Every page says how many cases
//! its filter matches, so a dashboard figure and the list it links to show the same number.
//! Every page is scoped to the caller's establishments.

use super::deadline::{self, Urgency};
use super::state::{Stage, Status};
use super::store::{self, PageQuery, QueueEntry, Search};
use crate::accounts::caller::Caller;
use crate::db::Db;
use crate::AppError;
use chrono::NaiveDate;

pub use super::model::EstablishmentCount;

/// Rows per page.
pub const PAGE_SIZE: i64 = 25;

/// The three queues (the page's tabs), and every case at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Queue {
    #[default]
    ResponseNeeded,
    UnderReview,
    Closed,
    /// Every status: what a figure counting cases opened, whatever became of them, links to.
    Any,
}

impl Queue {
    /// The tabs.
    pub const ALL: [Queue; 3] = [Queue::ResponseNeeded, Queue::UnderReview, Queue::Closed];

    pub fn as_str(self) -> &'static str {
        match self {
            Queue::ResponseNeeded => "response_needed",
            Queue::UnderReview => "under_review",
            Queue::Closed => "closed",
            Queue::Any => "all",
        }
    }
}

/// How pressing an open case is, as a filter (the urgent window and overdue of `deadline`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// Due today or within the urgent window.
    Urgent,
    /// Past its reply-by date.
    Overdue,
}

impl Due {
    pub const ALL: [Due; 2] = [Due::Urgent, Due::Overdue];

    pub fn as_str(self) -> &'static str {
        match self {
            Due::Urgent => "urgent",
            Due::Overdue => "overdue",
        }
    }

    /// The reply-by dates it means on `today`, inclusive (`None`: no bound).
    pub fn reply_by_range(self, today: NaiveDate) -> (Option<NaiveDate>, Option<NaiveDate>) {
        match self {
            Due::Urgent => (Some(today), Some(today + chrono::Duration::days(deadline::URGENT_DAYS))),
            Due::Overdue => (None, Some(today - chrono::Duration::days(1))),
        }
    }
}

/// What the queue page asks for (from its address).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueFilter {
    pub queue: Queue,
    pub establishment: Option<i64>,
    pub stage: Option<Stage>,
    /// Empty: every status of the queue.
    pub status: Vec<Status>,
    pub reason: Option<String>,
    pub amount_min: Option<i64>,
    pub amount_max: Option<i64>,
    pub reply_from: Option<NaiveDate>,
    pub reply_to: Option<NaiveDate>,
    pub due: Option<Due>,
    /// Opened on this Paris day or later.
    pub opened_from: Option<NaiveDate>,
    /// Closed (accepted, decided, expired) on this Paris day or later.
    pub closed_from: Option<NaiveDate>,
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
                    filter.queue = Queue::ALL
                        .into_iter()
                        .chain([Queue::Any])
                        .find(|queue| queue.as_str() == value)
                        .ok_or(BadFilter("queue"))?
                }
                "establishment" => filter.establishment = Some(value.parse().map_err(|_| BadFilter("establishment"))?),
                "stage" => filter.stage = Some(Stage::parse(&value).ok_or(BadFilter("stage"))?),
                "status" => filter.status.push(Status::parse(&value).ok_or(BadFilter("status"))?),
                "due" => {
                    filter.due = Some(Due::ALL.into_iter().find(|due| due.as_str() == value).ok_or(BadFilter("due"))?)
                }
                "opened_from" => filter.opened_from = Some(deadline::parse(&value).ok_or(BadFilter("opened_from"))?),
                "closed_from" => filter.closed_from = Some(deadline::parse(&value).ok_or(BadFilter("closed_from"))?),
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

/// A page of a queue, the cursor of the next one, and how many cases the filter matches in all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueuePage {
    pub rows: Vec<QueueRow>,
    pub next: Option<String>,
    pub total: i64,
}

impl Queue {
    /// Whether the queue lists cases in `status`, as the state machine classes it.
    pub fn lists(self, status: Status) -> bool {
        match self {
            Queue::ResponseNeeded => status.awaits_merchant(),
            Queue::UnderReview => status == Status::UnderReview,
            Queue::Closed => status.is_closed(),
            Queue::Any => true,
        }
    }
}

impl QueueFilter {
    /// The statuses the page lists: its queue's, as the state machine classes them, narrowed to
    /// the one the filter names (none if that one is another queue's).
    fn statuses(&self) -> Vec<Status> {
        Status::ALL
            .into_iter()
            .filter(|status| self.queue.lists(*status) && (self.status.is_empty() || self.status.contains(status)))
            .collect()
    }

    /// The reply-by dates the page lists on `today`: the typed range, narrowed by `due`.
    fn reply_by_range(&self, today: NaiveDate) -> (Option<NaiveDate>, Option<NaiveDate>) {
        let (mut from, mut to) = (self.reply_from, self.reply_to);
        if let Some(due) = self.due {
            let (due_from, due_to) = due.reply_by_range(today);
            from = from.max(due_from);
            to = match (to, due_to) {
                (Some(typed), Some(due)) => Some(typed.min(due)),
                (typed, due) => typed.or(due),
            };
        }
        (from, to)
    }

    /// What the search box asks for: four digits are a card's last ones, anything else a case
    /// number.
    fn search(&self) -> Option<Search> {
        let search = self.search.as_deref().filter(|search| !search.is_empty())?;
        Some(if search.len() == 4 && search.chars().all(|c| c.is_ascii_digit()) {
            Search::CardLast4(search.to_owned())
        } else {
            Search::CaseNumber(search.to_uppercase())
        })
    }
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
    let statuses = filter.statuses();
    let (reply_from, reply_to) = filter.reply_by_range(today);
    let since = |day: Option<NaiveDate>| day.map(|day| crate::clock::paris_instant(day, 0, 0));
    let query = PageQuery {
        establishments: &scope,
        statuses: &statuses,
        stage: filter.stage,
        reason: filter.reason.as_deref(),
        amount_min: filter.amount_min,
        amount_max: filter.amount_max,
        reply_from,
        reply_to,
        opened_since: since(filter.opened_from),
        closed_since: since(filter.closed_from),
        search: filter.search(),
        after: filter.after,
        rows: PAGE_SIZE,
    };
    let (entries, more) = store::queue_page(db, &query).await?;
    let total = store::queue_count(db, &query).await?;
    let rows: Vec<QueueRow> = entries.into_iter().map(|entry| row(entry, today)).collect();
    let next = if more { rows.last().map(|last| format!("{}_{}", last.reply_by, last.id)) } else { None };
    Ok(QueuePage { rows, next, total })
}

/// A case as its queue shows it: how many days are left and whether it is urgent (open cases).
fn row(entry: QueueEntry, today: NaiveDate) -> QueueRow {
    let open = !entry.status.is_closed();
    let due = deadline::parse(&entry.reply_by).unwrap_or(today);
    QueueRow {
        id: entry.id,
        case_number: entry.case_number,
        stage: entry.stage,
        status: entry.status,
        reason_code: entry.reason_code,
        amount: entry.amount,
        currency: entry.currency,
        reply_by: entry.reply_by,
        establishment: entry.establishment,
        card_masked: entry.card_masked,
        days_left: open.then(|| deadline::days_left(due, today)),
        urgent: open && deadline::urgency(due, today) != Urgency::OnTime,
    }
}

/// Open, urgent and overdue cases of each establishment the caller oversees from headquarters;
/// empty for establishment users.
pub async fn summary(db: &Db, caller: &Caller, today: NaiveDate) -> Result<Vec<EstablishmentCount>, AppError> {
    let overseen: Vec<i64> =
        caller.establishments.iter().filter(|scope| scope.headquarters.is_some()).map(|scope| scope.id).collect();
    if overseen.is_empty() {
        return Ok(Vec::new());
    }
    let open: Vec<Status> = Status::ALL.into_iter().filter(|status| Queue::ResponseNeeded.lists(*status)).collect();
    let last_urgent_day = today + chrono::Duration::days(deadline::URGENT_DAYS);
    Ok(store::open_counts_for_establishments(db, &overseen, &open, today, last_urgent_day).await?)
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
    fn a_page_lists_its_queues_statuses_narrowed_by_the_filter() {
        let closed = QueueFilter { queue: Queue::Closed, ..QueueFilter::default() };
        assert_eq!(closed.statuses(), [Status::Accepted, Status::Won, Status::Lost, Status::Expired]);
        let only_won = QueueFilter { status: vec![Status::Won], ..closed.clone() };
        assert_eq!(only_won.statuses(), [Status::Won]);
        let decided = QueueFilter::parse("queue=closed&status=won&status=lost").unwrap();
        assert_eq!(decided.statuses(), [Status::Won, Status::Lost]);
        let every = QueueFilter::parse("queue=all").unwrap();
        assert_eq!(every.statuses(), Status::ALL);
        let wrong_queue = QueueFilter { status: vec![Status::Won], ..QueueFilter::default() };
        assert!(wrong_queue.statuses().is_empty(), "a status of another queue lists nothing");
        let waiting = QueueFilter::default().statuses();
        assert_eq!(waiting, [Status::NeedsResponse, Status::DraftSaved, Status::InfoRequested]);
    }

    #[test]
    fn urgent_and_overdue_narrow_the_reply_by_dates() {
        let today = deadline::parse("2026-11-22").unwrap();
        let day = |text: &str| deadline::parse(text);
        let urgent = QueueFilter::parse("due=urgent").unwrap();
        assert_eq!(urgent.reply_by_range(today), (day("2026-11-22"), day("2026-11-25")));
        let overdue = QueueFilter::parse("due=overdue&from=2026-11-01").unwrap();
        assert_eq!(overdue.reply_by_range(today), (day("2026-11-01"), day("2026-11-21")));
        let narrower = QueueFilter::parse("due=urgent&to=2026-11-23").unwrap();
        assert_eq!(narrower.reply_by_range(today), (day("2026-11-22"), day("2026-11-23")));
        assert_eq!(QueueFilter::parse("due=soon"), Err(BadFilter("due")));
        assert_eq!(QueueFilter::parse("opened_from=yesterday"), Err(BadFilter("opened_from")));
        let opened = QueueFilter::parse("opened_from=2026-11-16&closed_from=2026-11-17").unwrap();
        assert_eq!((opened.opened_from, opened.closed_from), (day("2026-11-16"), day("2026-11-17")));
    }

    #[test]
    fn four_digits_search_a_card_and_anything_else_a_case_number() {
        let search = |text: &str| QueueFilter { search: Some(text.into()), ..QueueFilter::default() }.search();
        assert_eq!(search("4242"), Some(Search::CardLast4("4242".into())));
        assert_eq!(search("lit-2026-0000017"), Some(Search::CaseNumber("LIT-2026-0000017".into())));
        assert_eq!(search("42424"), Some(Search::CaseNumber("42424".into())));
        assert_eq!(search(""), None);
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
