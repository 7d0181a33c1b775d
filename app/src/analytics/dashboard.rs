//! What each role lands on (`/`): the figures of what needs doing now, each with the address of
//! the list it counts (a queue with its filters, a payment tab), so the list shows the same
//! number. Establishment users see their cases waiting for an answer, the nearest reply-by
//! dates, drafts, payments and unread notifications; headquarters one row per establishment and
//! the last seven days; the dispute team the responses waiting for review; platform admins the
//! failed emails and what is onboarded.

use super::store::{self, OpenRow, PaymentRow};
use crate::accounts::caller::Caller;
use crate::accounts::model::{AccountSummary, UserKind};
use crate::db::Db;
use crate::disputes::deadline;
use crate::disputes::queue::{Due, Queue};
use crate::disputes::state::{Stage, Status};
use crate::disputes::store::{PageQuery, QueueEntry};
use crate::AppError;
use chrono::{Duration, NaiveDate};

/// How many reply-by dates the establishment dashboard lists.
pub const NEAREST: i64 = 5;
/// How many payments the dashboard lists.
pub const LATEST_PAYMENTS: i64 = 5;
/// The headquarters' recent activity covers this many days, today included.
pub const RECENT_DAYS: i64 = 7;

/// Cases waiting for the merchant: how many, how pressing, how much is at stake.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpenFigures {
    pub open: i64,
    pub urgent: i64,
    pub overdue: i64,
    pub drafts: i64,
    /// The disputed amounts by currency, in minor units.
    pub at_stake: Vec<(String, i64)>,
}

impl OpenFigures {
    fn add(&mut self, row: &OpenRow) {
        self.open += row.open;
        self.urgent += row.urgent;
        self.overdue += row.overdue;
        self.drafts += row.drafts;
        match self.at_stake.iter_mut().find(|(currency, _)| *currency == row.currency) {
            Some((_, amount)) => *amount += row.at_stake,
            None => self.at_stake.push((row.currency.clone(), row.at_stake)),
        }
    }
}

/// One establishment's row on the headquarters' dashboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EstablishmentRow {
    pub id: i64,
    pub name: String,
    pub figures: OpenFigures,
}

/// A case with one of the nearest reply-by dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NearestCase {
    pub case_number: String,
    pub establishment: String,
    pub stage: Option<Stage>,
    pub reason_code: String,
    pub amount: i64,
    pub currency: String,
    pub reply_by: String,
    pub days_left: i64,
}

/// Openings and outcomes of the last [`RECENT_DAYS`] days.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecentFigures {
    /// The first day counted.
    pub since: NaiveDate,
    pub new_inquiries: i64,
    pub new_chargebacks: i64,
    pub won: i64,
    pub lost: i64,
    pub accepted: i64,
}

impl RecentFigures {
    /// Won and lost together.
    pub fn decided(&self) -> i64 {
        self.won + self.lost
    }
}

/// Pending payments of one establishment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingPayments {
    pub establishment_id: i64,
    pub establishment: String,
    pub count: i64,
}

/// A merchant's dashboard: an establishment user's or headquarters'.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MerchantDashboard {
    /// Whether the caller oversees establishments from headquarters.
    pub headquarters: bool,
    pub totals: OpenFigures,
    /// Headquarters: one row per establishment, the most pressing first.
    pub rows: Vec<EstablishmentRow>,
    /// Establishment users: the nearest reply-by dates.
    pub nearest: Vec<NearestCase>,
    /// Headquarters: the last days' activity.
    pub recent: Option<RecentFigures>,
    pub latest_payments: Vec<PaymentRow>,
    pub pending_payments: Vec<PendingPayments>,
    pub unread_notifications: i64,
    /// The establishments with their subscription status and the "Activate" offer.
    pub summary: AccountSummary,
}

/// The dispute team's dashboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalystDashboard {
    pub waiting: i64,
    pub oldest_submitted_at: Option<i64>,
    pub decisions_today: i64,
}

/// A platform admin's dashboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminDashboard {
    pub failed_emails: i64,
    pub organisations: i64,
    pub establishments: i64,
    pub subscribed: i64,
}

/// What the caller lands on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dashboard {
    Merchant(Box<MerchantDashboard>),
    Analyst(AnalystDashboard),
    Admin(AdminDashboard),
    /// Customer service works from its console.
    Support,
}

/// The caller's dashboard on `today` (Paris).
pub async fn load(db: &Db, caller: &Caller, today: NaiveDate) -> Result<Dashboard, AppError> {
    Ok(match caller.kind {
        UserKind::Merchant => Dashboard::Merchant(Box::new(merchant(db, caller, today).await?)),
        UserKind::DisputeAnalyst => {
            let review = store::review_row(db).await?;
            let decisions_today = store::decisions_since(db, crate::clock::paris_instant(today, 0, 0)).await?;
            Dashboard::Analyst(AnalystDashboard {
                waiting: review.waiting,
                oldest_submitted_at: review.oldest_submitted_at,
                decisions_today,
            })
        }
        UserKind::PlatformAdmin => {
            let row = store::platform_row(db).await?;
            Dashboard::Admin(AdminDashboard {
                failed_emails: row.failed_emails,
                organisations: row.organisations,
                establishments: row.establishments,
                subscribed: row.subscribed,
            })
        }
        UserKind::SupportAgent => Dashboard::Support,
    })
}

async fn merchant(db: &Db, caller: &Caller, today: NaiveDate) -> Result<MerchantDashboard, AppError> {
    let establishments: Vec<(i64, bool)> =
        caller.establishments.iter().map(|scope| (scope.id, scope.can_manage())).collect();
    let summary = crate::accounts::store::account_summary(db, &caller.username, &establishments).await?;
    let headquarters = caller.establishments.iter().any(|scope| scope.headquarters.is_some());
    let mut dashboard = MerchantDashboard {
        headquarters,
        totals: OpenFigures::default(),
        rows: Vec::new(),
        nearest: Vec::new(),
        recent: None,
        latest_payments: Vec::new(),
        pending_payments: Vec::new(),
        unread_notifications: caller.unread_notifications,
        summary,
    };
    let ids = caller.establishment_ids();
    if ids.is_empty() {
        return Ok(dashboard);
    }
    let last_urgent_day = today + Duration::days(deadline::URGENT_DAYS);
    let open = store::open_rows(db, &ids, today, last_urgent_day).await?;
    for row in &open {
        dashboard.totals.add(row);
    }
    let online = crate::money::filter::Range::online(today);
    dashboard.latest_payments = store::latest_paid(db, &ids, (online.from, online.to), LATEST_PAYMENTS).await?;
    let name = |id: i64| caller.establishment(id).map(|scope| scope.name.clone()).unwrap_or_default();
    if headquarters {
        dashboard.rows = establishment_rows(caller, &open);
        let since = today - Duration::days(RECENT_DAYS - 1);
        let week = store::week_row(db, &ids, crate::clock::paris_instant(since, 0, 0)).await?;
        dashboard.recent = Some(RecentFigures {
            since,
            new_inquiries: week.new_inquiries.unwrap_or(0),
            new_chargebacks: week.new_chargebacks.unwrap_or(0),
            won: week.won.unwrap_or(0),
            lost: week.lost.unwrap_or(0),
            accepted: week.accepted.unwrap_or(0),
        });
    } else {
        // The first page of the "response needed" queue, cut to the nearest few.
        let waiting: Vec<Status> = Status::ALL.into_iter().filter(|status| status.awaits_merchant()).collect();
        let first_page = PageQuery {
            establishments: &ids,
            statuses: &waiting,
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
            rows: NEAREST,
        };
        let (entries, _) = crate::disputes::store::queue_page(db, &first_page).await?;
        dashboard.nearest = entries.into_iter().map(|entry| nearest(entry, today)).collect();
    }
    dashboard.pending_payments = store::pending_counts(db, &ids)
        .await?
        .into_iter()
        .map(|(id, count)| PendingPayments { establishment_id: id, establishment: name(id), count })
        .collect();
    Ok(dashboard)
}

/// One row per establishment the caller sees (those without open cases too), the most pressing
/// first: overdue, then urgent, then open cases, then by name.
fn establishment_rows(caller: &Caller, open: &[OpenRow]) -> Vec<EstablishmentRow> {
    let mut rows: Vec<EstablishmentRow> = caller
        .establishments
        .iter()
        .map(|scope| {
            let mut figures = OpenFigures::default();
            open.iter().filter(|row| row.establishment_id == scope.id).for_each(|row| figures.add(row));
            EstablishmentRow { id: scope.id, name: scope.name.clone(), figures }
        })
        .collect();
    rows.sort_by(|a, b| {
        let key = |row: &EstablishmentRow| (row.figures.overdue, row.figures.urgent, row.figures.open);
        key(b).cmp(&key(a)).then_with(|| a.name.cmp(&b.name))
    });
    rows
}

fn nearest(entry: QueueEntry, today: NaiveDate) -> NearestCase {
    let due = deadline::parse(&entry.reply_by).unwrap_or(today);
    NearestCase {
        case_number: entry.case_number,
        establishment: entry.establishment,
        stage: Some(entry.stage),
        reason_code: entry.reason_code,
        amount: entry.amount,
        currency: entry.currency,
        reply_by: entry.reply_by,
        days_left: deadline::days_left(due, today),
    }
}

/// The addresses of the lists the figures count: the queue with its filters, a payment tab.
pub mod links {
    use super::*;

    /// The queue, narrowed to one establishment when `establishment` is given.
    fn queue(queue: Queue, establishment: Option<i64>, more: &[(&str, &str)]) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        query.append_pair("queue", queue.as_str());
        if let Some(id) = establishment {
            query.append_pair("establishment", &id.to_string());
        }
        for (name, value) in more {
            query.append_pair(name, value);
        }
        format!("/disputes?{}", query.finish())
    }

    /// Cases waiting for an answer.
    pub fn open(establishment: Option<i64>) -> String {
        queue(Queue::ResponseNeeded, establishment, &[])
    }

    pub fn due(establishment: Option<i64>, due: Due) -> String {
        queue(Queue::ResponseNeeded, establishment, &[("due", due.as_str())])
    }

    pub fn drafts(establishment: Option<i64>) -> String {
        queue(Queue::ResponseNeeded, establishment, &[("status", Status::DraftSaved.as_str())])
    }

    /// Cases of `stage` opened on `since` or later, whatever became of them.
    pub fn opened(stage: Stage, since: NaiveDate) -> String {
        queue(Queue::Any, None, &[("stage", stage.as_str()), ("opened_from", &since.to_string())])
    }

    /// Cases closed on `since` or later in one of `statuses`.
    pub fn closed(statuses: &[Status], since: NaiveDate) -> String {
        let mut more: Vec<(&str, &str)> = statuses.iter().map(|status| ("status", status.as_str())).collect();
        let since = since.to_string();
        more.push(("closed_from", &since));
        queue(Queue::Closed, None, &more)
    }

    /// A payment tab of one establishment (`paid` or `pending`).
    pub fn payments(establishment: i64, tab: &str) -> String {
        format!("/payments?establishment={establishment}&tab={tab}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::disputes::queue::QueueFilter;

    fn open_row(establishment_id: i64, currency: &str, open: i64, urgent: i64, overdue: i64) -> OpenRow {
        OpenRow {
            establishment_id,
            currency: currency.into(),
            open,
            urgent,
            overdue,
            drafts: 1,
            at_stake: 1_000 * open,
        }
    }

    #[test]
    fn figures_add_up_by_currency() {
        let mut figures = OpenFigures::default();
        for row in [open_row(1, "EUR", 3, 1, 0), open_row(2, "EUR", 2, 0, 1), open_row(2, "GBP", 1, 1, 0)] {
            figures.add(&row);
        }
        assert_eq!((figures.open, figures.urgent, figures.overdue, figures.drafts), (6, 2, 1, 3));
        assert_eq!(figures.at_stake, [("EUR".to_owned(), 5_000), ("GBP".to_owned(), 1_000)]);
    }

    #[test]
    fn every_link_is_a_filter_the_queue_reads() {
        let day = deadline::parse("2026-11-16").unwrap();
        let addresses = [
            links::open(Some(7)),
            links::due(Some(7), Due::Urgent),
            links::due(None, Due::Overdue),
            links::drafts(Some(7)),
            links::opened(Stage::Inquiry, day),
            links::closed(&[Status::Won, Status::Lost], day),
        ];
        for address in addresses {
            let query = address.strip_prefix("/disputes?").expect("a queue address");
            QueueFilter::parse(query).unwrap_or_else(|bad| panic!("{address}: {bad:?}"));
        }
        let decided =
            QueueFilter::parse(links::closed(&[Status::Won, Status::Lost], day).split_once('?').unwrap().1).unwrap();
        assert_eq!(
            (decided.queue, decided.status, decided.closed_from),
            (Queue::Closed, vec![Status::Won, Status::Lost], Some(day))
        );
        let urgent = QueueFilter::parse(links::due(Some(7), Due::Urgent).split_once('?').unwrap().1).unwrap();
        assert_eq!((urgent.establishment, urgent.due), (Some(7), Some(Due::Urgent)));
    }
}
