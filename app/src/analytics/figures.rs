//! The analytics figures: who may see which establishments, the figures of the cases opened in
//! the period (the cohort: what became of the cases opened in each month), their breakdowns by
//! month, reason code, establishment and organisation, the median time to answer, the dispute
//! rate against its threshold, and the cards disputed at several establishments.
//!
//! The dispute-rate rule: an establishment's rate for a month is its chargebacks opened that
//! month (every reason code, R13 included) divided by its charges that month. It is above the
//! threshold when `chargebacks × 10,000 > threshold (basis points) × charges`; a month with
//! chargebacks and no charge is above it, a month with neither is not. For the current month,
//! an establishment not yet above it is "at risk" when its open inquiries, were each to become
//! a chargeback, would take it above.

use super::cache::AnalyticsCache;
use super::period::{Filter, Month};
use super::store::{self, CaseRow, EstablishmentName, RepeatCard};
use crate::accounts::caller::Caller;
use crate::accounts::model::UserKind;
use crate::db::Db;
use crate::AppError;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// 1 %, in basis points.
pub const DEFAULT_THRESHOLD_BP: i64 = 100;

pub use super::store::Counts;

impl Counts {
    fn add(&mut self, other: &Counts) {
        self.inquiries += other.inquiries;
        self.chargebacks += other.chargebacks;
        self.answered += other.answered;
        self.accepted += other.accepted;
        self.won += other.won;
        self.lost += other.lost;
        self.expired_inquiries += other.expired_inquiries;
        self.expired_chargebacks += other.expired_chargebacks;
        self.chargebacks_won += other.chargebacks_won;
        self.chargebacks_lost += other.chargebacks_lost;
        self.disputed += other.disputed;
        self.refunded += other.refunded;
        self.won_back += other.won_back;
        self.lost_amount += other.lost_amount;
    }

    /// Cases opened.
    pub fn opened(&self) -> i64 {
        self.inquiries + self.chargebacks
    }

    /// Won ÷ decided, of the contested chargebacks, in basis points; `None` when none was
    /// decided.
    pub fn win_rate_bp(&self) -> Option<i64> {
        let decided = self.chargebacks_won + self.chargebacks_lost;
        (decided > 0).then(|| self.chargebacks_won * 10_000 / decided)
    }
}

/// One row of a breakdown: its key, its currency (amounts are never added across currencies),
/// its figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row<K> {
    pub key: K,
    pub currency: String,
    pub counts: Counts,
}

/// Rows summed by key and currency, in key order.
fn breakdown<K: Ord + Clone>(rows: &[&CaseRow], key: impl Fn(&CaseRow) -> K) -> Vec<Row<K>> {
    let mut sums: BTreeMap<(K, String), Counts> = BTreeMap::new();
    for row in rows {
        sums.entry((key(row), row.currency.clone())).or_default().add(&row.counts);
    }
    sums.into_iter().map(|((key, currency), counts)| Row { key, currency, counts }).collect()
}

/// One establishment's dispute rate for one month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rate {
    pub establishment_id: i64,
    pub month: Month,
    pub chargebacks: i64,
    pub charges: i64,
    /// Above the threshold.
    pub above: bool,
    /// The current month only: not above, but its open inquiries would take it there.
    pub at_risk: bool,
    /// The current month only: the establishment's open inquiries.
    pub open_inquiries: Option<i64>,
}

impl Rate {
    /// Chargebacks ÷ charges, in hundredths of a basis point (1 % = 1,000,000); `None` without
    /// charges.
    pub fn rate_micro(&self) -> Option<i64> {
        (self.charges > 0).then(|| self.chargebacks * 100_000_000 / self.charges)
    }
}

/// Whether `chargebacks` out of `charges` is above `threshold_bp` (see the module's rule).
pub fn above_threshold(chargebacks: i64, charges: i64, threshold_bp: i64) -> bool {
    chargebacks * 10_000 > threshold_bp * charges
}

/// Everything the analytics page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Analytics {
    pub filter: Filter,
    /// The establishments the caller may choose from (the dispute team: every one).
    pub choices: Vec<EstablishmentName>,
    /// The establishments counted.
    pub establishments: Vec<EstablishmentName>,
    /// Whether the caller is the dispute team (organisations are shown).
    pub network: bool,
    pub totals: Vec<Row<()>>,
    pub months: Vec<Row<Month>>,
    pub reasons: Vec<Row<String>>,
    pub by_establishment: Vec<Row<i64>>,
    pub by_organisation: Vec<Row<i64>>,
    /// Median whole days from opening to the first answer, overall and by establishment.
    pub median_days: Option<i64>,
    pub median_days_by_establishment: Vec<(i64, i64)>,
    pub threshold_bp: i64,
    pub rates: Vec<Rate>,
    pub repeat_cards: Vec<RepeatCard>,
}

impl Analytics {
    /// The analytics of a scope before any figure is added.
    pub fn empty(
        filter: Filter,
        choices: Vec<EstablishmentName>,
        establishments: Vec<EstablishmentName>,
        network: bool,
        threshold_bp: i64,
    ) -> Analytics {
        Analytics {
            filter,
            choices,
            establishments,
            network,
            totals: Vec::new(),
            months: Vec::new(),
            reasons: Vec::new(),
            by_establishment: Vec::new(),
            by_organisation: Vec::new(),
            median_days: None,
            median_days_by_establishment: Vec::new(),
            threshold_bp,
            rates: Vec::new(),
            repeat_cards: Vec::new(),
        }
    }

    /// Every row's figures together (amounts of different currencies are not added: use
    /// `totals` for amounts).
    pub fn overall(&self) -> Counts {
        let mut overall = Counts::default();
        self.totals.iter().for_each(|row| overall.add(&row.counts));
        overall
    }

    /// Cases opened in each month of the period, all currencies together.
    pub fn opened_by_month(&self) -> Vec<(Month, Counts)> {
        self.filter
            .period
            .months()
            .into_iter()
            .map(|month| {
                let mut counts = Counts::default();
                self.months.iter().filter(|row| row.key == month).for_each(|row| counts.add(&row.counts));
                (month, counts)
            })
            .collect()
    }

    pub fn establishment(&self, id: i64) -> Option<&EstablishmentName> {
        self.establishments.iter().find(|each| each.id == id)
    }

    pub fn organisation_name(&self, id: i64) -> String {
        self.choices
            .iter()
            .find(|each| each.organisation_id == id)
            .map(|each| each.organisation.clone())
            .unwrap_or_default()
    }
}

/// The dispute-rate threshold in force, in basis points.
pub async fn threshold(db: &Db) -> Result<i64, sqlx::Error> {
    Ok(store::threshold(db).await?.unwrap_or(DEFAULT_THRESHOLD_BP))
}

/// The establishments the caller may see in analytics, narrowed by the filter: the caller's
/// own for merchants, every one for the dispute team; anything else is "not found".
async fn scope(
    db: &Db,
    caller: &Caller,
    filter: &Filter,
) -> Result<(Vec<EstablishmentName>, Vec<EstablishmentName>, bool), AppError> {
    let network = match caller.kind {
        UserKind::Merchant => false,
        UserKind::DisputeAnalyst => true,
        _ => return Err(AppError::NotFound),
    };
    let choices = if network {
        store::establishment_names(db, None).await?
    } else {
        store::establishment_names(db, Some(&caller.establishment_ids())).await?
    };
    if !network && filter.organisation.is_some() {
        return Err(AppError::NotFound);
    }
    if let Some(organisation) = filter.organisation {
        if !choices.iter().any(|each| each.organisation_id == organisation) {
            return Err(AppError::NotFound);
        }
    }
    let counted: Vec<EstablishmentName> = match filter.establishment {
        Some(id) => {
            let chosen = choices.iter().find(|each| each.id == id).ok_or(AppError::NotFound)?;
            if filter.organisation.is_some_and(|organisation| organisation != chosen.organisation_id) {
                return Err(AppError::NotFound);
            }
            vec![chosen.clone()]
        }
        None => choices
            .iter()
            .filter(|each| filter.organisation.is_none_or(|organisation| organisation == each.organisation_id))
            .cloned()
            .collect(),
    };
    Ok((choices, counted, network))
}

/// The median of a histogram of whole days.
fn median(histogram: &BTreeMap<i64, i64>) -> Option<i64> {
    let total: i64 = histogram.values().sum();
    if total == 0 {
        return None;
    }
    // The lower median: the ((total + 1) / 2)-th smallest value.
    let mut seen = 0;
    for (days, cases) in histogram {
        seen += cases;
        if seen * 2 >= total {
            return Some(*days);
        }
    }
    None
}

/// The analytics of `filter` for the caller, on `today`: computed, or the same question's answer
/// of the last minute (see `analytics::cache`). The caller's scope is always read afresh.
pub async fn load(
    db: &Db,
    cache: &AnalyticsCache,
    caller: &Caller,
    filter: Filter,
    today: NaiveDate,
) -> Result<Analytics, AppError> {
    let (choices, establishments, network) = scope(db, caller, &filter).await?;
    let ids = |names: &[EstablishmentName]| names.iter().map(|each| each.id.to_string()).collect::<Vec<_>>().join(",");
    let key = format!("{network}|{}|{}|{filter:?}|{today}", ids(&choices), ids(&establishments));
    cache.get_or_compute(key, || compute(db, filter, today, choices, establishments, network)).await
}

/// The analytics of `filter` over `establishments`, from the cases and charges.
async fn compute(
    db: &Db,
    filter: Filter,
    today: NaiveDate,
    choices: Vec<EstablishmentName>,
    establishments: Vec<EstablishmentName>,
    network: bool,
) -> Result<Analytics, AppError> {
    let ids: Vec<i64> = establishments.iter().map(|each| each.id).collect();
    let months = filter.period.months();
    let bounds = filter.period.bounds();
    let span = (bounds[0], bounds[bounds.len() - 1]);
    let threshold_bp = threshold(db).await?;
    let mut analytics = Analytics::empty(filter, choices, establishments, network, threshold_bp);
    if ids.is_empty() {
        return Ok(analytics);
    }
    let reason = analytics.filter.reason.clone();
    let (cases, charges, days, cards) = tokio::try_join!(
        store::case_rows(db, &ids, &bounds),
        store::charge_rows(db, &ids, &bounds),
        store::answer_days(db, &ids, span, reason.as_deref()),
        store::repeat_cards(db, &ids, span, reason.as_deref()),
    )?;
    let month_of = |index: i64| months.get(index as usize).copied().unwrap_or(analytics.filter.period.to);
    let chosen: Vec<&CaseRow> =
        cases.iter().filter(|row| reason.as_deref().is_none_or(|code| code == row.reason_code)).collect();
    let organisation_of =
        |id: i64| analytics.establishments.iter().find(|each| each.id == id).map_or(0, |each| each.organisation_id);
    analytics.totals = breakdown(&chosen, |_| ());
    analytics.months = breakdown(&chosen, |row| month_of(row.month));
    analytics.reasons = breakdown(&chosen, |row| row.reason_code.clone());
    analytics.by_establishment = breakdown(&chosen, |row| row.establishment_id);
    // Every establishment counted has its row, those without a case too, in the page's order.
    for each in &analytics.establishments {
        if !analytics.by_establishment.iter().any(|row| row.key == each.id) {
            analytics.by_establishment.push(Row {
                key: each.id,
                currency: each.currency.clone(),
                counts: Counts::default(),
            });
        }
    }
    let position = |id: i64| analytics.establishments.iter().position(|each| each.id == id);
    analytics.by_establishment.sort_by_key(|row| (position(row.key), row.currency.clone()));
    if network {
        analytics.by_organisation = breakdown(&chosen, |row| organisation_of(row.establishment_id));
    }
    let mut overall: BTreeMap<i64, i64> = BTreeMap::new();
    let mut each: BTreeMap<i64, BTreeMap<i64, i64>> = BTreeMap::new();
    for row in &days {
        *overall.entry(row.days).or_default() += row.cases;
        *each.entry(row.establishment_id).or_default().entry(row.days).or_default() += row.cases;
    }
    analytics.median_days = median(&overall);
    analytics.median_days_by_establishment =
        each.iter().filter_map(|(id, histogram)| median(histogram).map(|days| (*id, days))).collect();
    let this_month = Month::of(today);
    let open = if months.contains(&this_month) { store::open_inquiries(db, &ids).await? } else { Vec::new() };
    analytics.rates = rates(&ids, &months, &cases, &charges, &open, this_month, threshold_bp);
    analytics.repeat_cards = cards;
    Ok(analytics)
}

/// Every establishment's rate for every month of the period (every reason code: the rate is
/// the establishment's, whatever the filter's reason).
fn rates(
    ids: &[i64],
    months: &[Month],
    cases: &[CaseRow],
    charges: &[store::ChargeRow],
    open_inquiries: &[(i64, i64)],
    this_month: Month,
    threshold_bp: i64,
) -> Vec<Rate> {
    let mut rates = Vec::with_capacity(ids.len() * months.len());
    for &id in ids {
        for (index, &month) in months.iter().enumerate() {
            let index = index as i64;
            let chargebacks: i64 = cases
                .iter()
                .filter(|row| row.establishment_id == id && row.month == index)
                .map(|row| row.counts.chargebacks)
                .sum();
            let charges: i64 = charges
                .iter()
                .filter(|row| row.establishment_id == id && row.month == index)
                .map(|row| row.charges)
                .sum();
            let above = above_threshold(chargebacks, charges, threshold_bp);
            let open = (month == this_month)
                .then(|| open_inquiries.iter().find(|(each, _)| *each == id).map_or(0, |(_, count)| *count));
            let at_risk = !above && open.is_some_and(|open| above_threshold(chargebacks + open, charges, threshold_bp));
            rates.push(Rate {
                establishment_id: id,
                month,
                chargebacks,
                charges,
                above,
                at_risk,
                open_inquiries: open,
            });
        }
    }
    rates
}

/// A threshold typed as a percentage ("1", "0,5", "2.25"), in basis points; `None` unless it
/// is between 0.01 % and 100 %.
pub fn parse_threshold(text: &str) -> Option<i64> {
    let basis_points = crate::disputes::queue::parse_amount(text)?;
    (1..=10_000).contains(&basis_points).then_some(basis_points)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_threshold_is_exceeded_strictly_and_a_month_without_charges_only_with_chargebacks() {
        assert!(!above_threshold(1, 100, 100), "exactly 1 % is not above 1 %");
        assert!(above_threshold(2, 100, 100));
        assert!(above_threshold(1, 0, 100), "chargebacks without charges");
        assert!(!above_threshold(0, 0, 100), "neither");
        assert!(above_threshold(6, 1_000, 50), "0.6 % is above 0.5 %");
    }

    #[test]
    fn open_inquiries_put_the_current_month_at_risk() {
        let month = Month::parse("2026-12").unwrap();
        let case = |chargebacks| CaseRow {
            establishment_id: 1,
            month: 0,
            counts: Counts { chargebacks, ..Counts::default() },
            ..CaseRow::default()
        };
        let charges = [store::ChargeRow { establishment_id: 1, month: 0, charges: 200 }];
        let at = |chargebacks, open: i64| {
            rates(&[1], &[month], &[case(chargebacks)], &charges, &[(1, open)], month, 100).remove(0)
        };
        let calm = at(1, 0);
        assert!(!calm.above && !calm.at_risk);
        let risky = at(1, 2);
        assert!(!risky.above && risky.at_risk && risky.open_inquiries == Some(2));
        let above = at(3, 5);
        assert!(above.above && !above.at_risk, "already above");
        assert_eq!(above.rate_micro(), Some(1_500_000), "1.5 %");
        let past = rates(&[1], &[month], &[case(1)], &charges, &[(1, 9)], month.next(), 100).remove(0);
        assert!(!past.at_risk && past.open_inquiries.is_none(), "only the current month");
    }

    #[test]
    fn the_median_is_the_lower_middle_value_of_the_histogram() {
        let histogram = |pairs: &[(i64, i64)]| pairs.iter().copied().collect::<BTreeMap<i64, i64>>();
        assert_eq!(median(&histogram(&[])), None);
        assert_eq!(median(&histogram(&[(3, 1)])), Some(3));
        assert_eq!(median(&histogram(&[(1, 1), (5, 1)])), Some(1));
        assert_eq!(median(&histogram(&[(1, 2), (2, 1), (9, 2)])), Some(2));
    }

    #[test]
    fn win_rates_count_contested_chargebacks_only() {
        let counts = Counts { chargebacks_won: 1, chargebacks_lost: 3, won: 5, ..Counts::default() };
        assert_eq!(counts.win_rate_bp(), Some(2_500));
        assert_eq!(Counts::default().win_rate_bp(), None);
    }

    #[test]
    fn thresholds_are_typed_as_percentages() {
        assert_eq!(parse_threshold("1"), Some(100));
        assert_eq!(parse_threshold("0,5"), Some(50));
        assert_eq!(parse_threshold("100"), Some(10_000));
        for bad in ["0", "101", "abc", "-1", "0.001"] {
            assert_eq!(parse_threshold(bad), None, "{bad}");
        }
    }
}
