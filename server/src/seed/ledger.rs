//! An establishment's money, generated deterministically: daily submissions over the last 16
//! months, detailed transactions for the most recent days, one payment per submission two days
//! later (paid, or pending when still ahead), and the monthly statements.
//!
//! Transactions are generated twice from the same per-day random stream: once to plan the
//! submissions (which must be written before the transactions that reference them), once to
//! write them, so a million rows never sit in memory.

use super::ids::Ids;
use super::rows::{row, Batch, V};
use app::clock::paris_instant;
use chrono::{Datelike, Duration, Months, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sqlx::AnyConnection;

/// How many completed months of statements an establishment keeps online.
pub const STATEMENT_MONTHS: u32 = app::money::statements::MONTHS;
/// The fee rate, in thousandths of the submission amount (2.5 %): the gateway API's.
const FEE_PER_MILLE: i64 = app::api::rules::FEE_PER_MILLE;
/// Days between a submission and its payment.
const PAYMENT_DELAY_DAYS: i64 = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pricing {
    Net,
    Gross,
}

impl Pricing {
    pub fn as_str(self) -> &'static str {
        match self {
            Pricing::Net => "net",
            Pricing::Gross => "gross",
        }
    }
}

/// What to generate for one establishment.
#[derive(Debug, Clone)]
pub struct LedgerSpec {
    pub establishment_id: i64,
    pub number: String,
    pub pricing: Pricing,
    /// Contract anniversary (month, day): when gross pricing charges the year's fees.
    pub anniversary: (u32, u32),
    /// How many days, ending today, have detailed transactions.
    pub transaction_days: i64,
    /// Transactions per day: a range, or an exact total spread evenly.
    pub volume: Volume,
    /// How many distinct cards buy here.
    pub cards: u32,
}

#[derive(Debug, Clone, Copy)]
pub enum Volume {
    PerDay(u32, u32),
    Total(u64),
}

/// A charge a dispute can be opened on.
#[derive(Debug, Clone, Copy)]
pub struct Charge {
    pub id: i64,
    pub amount: i64,
    pub occurred_at: i64,
    pub card: u32,
}

/// One day's submission, planned.
#[derive(Debug, Clone)]
struct Day {
    date: NaiveDate,
    submission_id: i64,
    first_transaction_id: i64,
    transactions: u32,
    settled: i64,
    settled_count: i64,
}

/// A signed amount to settle in the first payment on or after `date` (chargebacks, reversals).
#[derive(Debug, Clone)]
pub struct PendingAdjustment {
    pub id: i64,
    pub dispute_id: i64,
    pub kind: &'static str,
    pub amount: i64,
    pub date: NaiveDate,
    pub at: i64,
    pub label: String,
}

/// The planned money of an establishment, before any of it is written.
pub struct Ledger {
    spec: LedgerSpec,
    today: NaiveDate,
    days: Vec<Day>,
    pub charges: Vec<Charge>,
}

/// A transaction as generated.
struct Tx {
    id: i64,
    occurred_at: i64,
    card: u32,
    amount: i64,
    kind: &'static str,
    installments: Option<i64>,
}

/// The first day of the oldest statement month.
pub fn history_start(today: NaiveDate) -> NaiveDate {
    first_of_month(today) - Months::new(STATEMENT_MONTHS)
}

fn first_of_month(date: NaiveDate) -> NaiveDate {
    date.with_day(1).expect("every month has a first day")
}

/// The months that have a statement: the 16 completed months before the current one.
pub fn statement_months(today: NaiveDate) -> Vec<NaiveDate> {
    app::money::statements::months(today)
}

/// The masked card number of card `index` here: first six, five masked, last four (15 digits).
pub fn masked_card(number: &str, index: u32) -> (String, String) {
    const BINS: [&str; 4] = ["374245", "371449", "378282", "376411"];
    let seed = number.bytes().fold(0u32, |acc, b| acc.wrapping_mul(31).wrapping_add(b as u32));
    let mixed = index.wrapping_mul(2_654_435_761).wrapping_add(seed);
    let last4 = format!("{:04}", mixed % 10_000);
    let masked = format!("{}*****{}", BINS[(mixed / 10_000 % 4) as usize], last4);
    debug_assert!(app::cards::is_masked(&masked), "{masked}");
    (masked, last4)
}

fn day_rng(number: &str, date: NaiveDate) -> ChaCha8Rng {
    let digits: u64 = number.parse().unwrap_or(0);
    ChaCha8Rng::seed_from_u64(digits.wrapping_mul(1_000_003) ^ date.num_days_from_ce() as u64)
}

impl Ledger {
    /// Plans every day from the start of the statement history to today.
    pub fn plan(spec: LedgerSpec, today: NaiveDate, ids: &mut Ids) -> Ledger {
        let start = history_start(today);
        let detailed_from = today - Duration::days(spec.transaction_days - 1);
        let detailed_days = spec.transaction_days.max(1) as u64;
        let mut days = Vec::new();
        let mut charges = Vec::new();
        let mut date = start;
        let mut detailed_index = 0u64;
        while date <= today {
            let mut rng = day_rng(&spec.number, date);
            let submission_id = ids.next("submissions");
            if date >= detailed_from {
                let count = match spec.volume {
                    Volume::PerDay(low, high) => rng.random_range(low..=high),
                    Volume::Total(total) => {
                        let before = total * detailed_index / detailed_days;
                        let after = total * (detailed_index + 1) / detailed_days;
                        (after - before) as u32
                    }
                };
                detailed_index += 1;
                let first_transaction_id = ids.take("transactions", count as i64);
                let mut day = Day {
                    date,
                    submission_id,
                    first_transaction_id,
                    transactions: count,
                    settled: 0,
                    settled_count: 0,
                };
                for tx in Self::transactions_of(&spec, &day) {
                    match tx.kind {
                        "charge" => {
                            day.settled += tx.amount;
                            day.settled_count += 1;
                            charges.push(Charge {
                                id: tx.id,
                                amount: tx.amount,
                                occurred_at: tx.occurred_at,
                                card: tx.card,
                            });
                        }
                        "refund" => {
                            day.settled -= tx.amount;
                            day.settled_count += 1;
                        }
                        _ => {}
                    }
                }
                days.push(day);
            } else {
                // Older days: only the submission totals remain (details are not kept online).
                let count = rng.random_range(10..=40);
                let settled = (0..count).map(|_| rng.random_range(1_500..=45_000i64)).sum();
                days.push(Day {
                    date,
                    submission_id,
                    first_transaction_id: 0,
                    transactions: 0,
                    settled,
                    settled_count: count,
                });
            }
            date += Duration::days(1);
        }
        Ledger { spec, today, days, charges }
    }

    /// A day's transactions, the same every time for the same establishment and date.
    fn transactions_of<'a>(spec: &'a LedgerSpec, day: &Day) -> impl Iterator<Item = Tx> + 'a {
        let mut rng = day_rng(&spec.number, day.date);
        let date = day.date;
        let first = day.first_transaction_id;
        let start = paris_instant(date, 8, 0);
        let count = day.transactions;
        let cards = spec.cards.max(1);
        (0..count).map(move |n| {
            let roll: u32 = rng.random_range(0..100);
            let kind = match roll {
                0..=89 => "charge",
                90..=96 => "refund",
                _ => "cancellation",
            };
            let amount = match kind {
                "refund" => rng.random_range(500..=8_000),
                _ => rng.random_range(1_200..=48_000),
            };
            let installments =
                (kind == "charge" && rng.random_range(0..100) < 6).then(|| [3i64, 6, 10, 12][rng.random_range(0..4)]);
            // Spread over the opening hours, in order.
            let offset = (n as i64 * 13 * 3600) / count.max(1) as i64;
            Tx {
                id: first + n as i64,
                occurred_at: start + offset + rng.random_range(0..30),
                card: rng.random_range(0..cards),
                amount,
                kind,
                installments,
            }
        })
    }

    /// Writes payments, submissions and transactions. The adjustments are settled in the first
    /// payment on or after their date; what references disputes is returned as a [`Settlement`]
    /// to write once the disputes exist.
    pub async fn write_money(
        &self,
        connection: &mut AnyConnection,
        ids: &mut Ids,
        mut adjustments: Vec<PendingAdjustment>,
        currency: &str,
    ) -> Result<Settlement, sqlx::Error> {
        let spec = &self.spec;
        adjustments.sort_by_key(|adjustment| (adjustment.date, adjustment.id));
        let mut next_adjustment = 0;
        let mut settlement = Settlement::default();

        let mut payments = Batch::new(
            "payments",
            &[
                "id",
                "establishment_id",
                "reference",
                "status",
                "payment_date",
                "submission_amount",
                "fees_and_incentives",
                "adjustments",
                "net_amount",
                "currency",
                "created_at",
            ],
        );
        let mut submission_payment = Vec::with_capacity(self.days.len());
        for day in &self.days {
            let payment_id = ids.next("payments");
            let payment_date = day.date + Duration::days(PAYMENT_DELAY_DAYS);
            let fees = match spec.pricing {
                Pricing::Net => day.settled.max(0) * FEE_PER_MILLE / 1000,
                Pricing::Gross => 0,
            };
            let reference = format!("PAY-{payment_id:09}");
            settlement.payment_lines.push(row![
                ids.next("payment_lines"),
                payment_id,
                "submission",
                Some(day.submission_id),
                None::<i64>,
                format!("REM-{:09}", day.submission_id),
                day.settled
            ]);
            if fees != 0 {
                settlement.payment_lines.push(row![
                    ids.next("payment_lines"),
                    payment_id,
                    "fee",
                    None::<i64>,
                    None::<i64>,
                    "Frais et incitations",
                    -fees
                ]);
            }
            let mut adjusted = 0;
            while next_adjustment < adjustments.len() && adjustments[next_adjustment].date <= payment_date {
                let adjustment = &adjustments[next_adjustment];
                adjusted += adjustment.amount;
                settlement.payment_lines.push(row![
                    ids.next("payment_lines"),
                    payment_id,
                    "adjustment",
                    None::<i64>,
                    Some(adjustment.id),
                    adjustment.label.clone(),
                    adjustment.amount
                ]);
                settlement.adjustments.push(adjustment_row(spec, adjustment, Some(payment_id), currency));
                next_adjustment += 1;
            }
            let net = day.settled - fees + adjusted;
            let status = if payment_date <= self.today { "paid" } else { "pending" };
            payments
                .push(
                    connection,
                    row![
                        payment_id,
                        spec.establishment_id,
                        reference.clone(),
                        status,
                        payment_date.to_string(),
                        day.settled,
                        fees,
                        adjusted,
                        net,
                        currency,
                        paris_instant(day.date, 22, 0)
                    ],
                )
                .await?;
            submission_payment.push(payment_id);
            if status == "paid" {
                settlement.paid.push(PaidPayment {
                    id: payment_id,
                    reference,
                    date: payment_date,
                    submitted: day.settled,
                    fees,
                    adjusted,
                    net,
                });
            }
        }
        payments.flush(connection).await?;
        // Adjustments after the last payment wait for the next one.
        for adjustment in &adjustments[next_adjustment..] {
            settlement.adjustments.push(adjustment_row(spec, adjustment, None, currency));
        }

        let mut submissions = Batch::new(
            "submissions",
            &[
                "id",
                "establishment_id",
                "reference",
                "submitted_on",
                "amount",
                "currency",
                "transaction_count",
                "payment_id",
            ],
        );
        for (day, payment_id) in self.days.iter().zip(&submission_payment) {
            submissions
                .push(
                    connection,
                    row![
                        day.submission_id,
                        spec.establishment_id,
                        format!("REM-{:09}", day.submission_id),
                        day.date.to_string(),
                        day.settled,
                        currency,
                        day.settled_count,
                        Some(*payment_id)
                    ],
                )
                .await?;
        }
        submissions.flush(connection).await?;

        let mut transactions = Batch::new(
            "transactions",
            &[
                "id",
                "establishment_id",
                "occurred_at",
                "card_masked",
                "card_last4",
                "amount",
                "currency",
                "kind",
                "reference",
                "installment_plan_id",
                "installment_count",
                "submission_id",
            ],
        );
        let cards: Vec<(String, String)> =
            (0..spec.cards.max(1)).map(|index| masked_card(&spec.number, index)).collect();
        for day in self.days.iter().filter(|day| day.transactions > 0) {
            for tx in Self::transactions_of(spec, day) {
                let (masked, last4) = &cards[tx.card as usize];
                let plan = tx.installments.map(|_| "PLANAMEX".to_owned());
                let submission = (tx.kind != "cancellation").then_some(day.submission_id);
                transactions
                    .push(
                        connection,
                        row![
                            tx.id,
                            spec.establishment_id,
                            tx.occurred_at,
                            masked.clone(),
                            last4.clone(),
                            tx.amount,
                            currency,
                            tx.kind,
                            format!("TRX-{:010}", tx.id),
                            plan,
                            tx.installments,
                            submission
                        ],
                    )
                    .await?;
            }
        }
        transactions.flush(connection).await?;
        settlement.transactions = transactions.written;
        settlement.currency = currency.to_owned();
        Ok(settlement)
    }

    /// Writes the adjustments and payment lines (after the disputes they name) and the statements.
    pub async fn write_settlement(
        &self,
        connection: &mut AnyConnection,
        ids: &mut Ids,
        settlement: Settlement,
    ) -> Result<u64, sqlx::Error> {
        Batch::new(
            "adjustments",
            &[
                "id",
                "establishment_id",
                "dispute_id",
                "payment_id",
                "kind",
                "amount",
                "currency",
                "label",
                "created_at",
            ],
        )
        .write_all(connection, settlement.adjustments)
        .await?;
        Batch::new("payment_lines", &["id", "payment_id", "kind", "submission_id", "adjustment_id", "label", "amount"])
            .write_all(connection, settlement.payment_lines)
            .await?;
        self.write_statements(connection, ids, &settlement.paid, &settlement.currency).await?;
        Ok(settlement.transactions)
    }

    /// One statement per completed month: its paid payments and, under gross pricing, the
    /// commission line in the anniversary month (the fees of the twelve months before).
    async fn write_statements(
        &self,
        connection: &mut AnyConnection,
        ids: &mut Ids,
        paid: &[PaidPayment],
        currency: &str,
    ) -> Result<(), sqlx::Error> {
        let spec = &self.spec;
        let mut statements = Vec::new();
        let mut lines = Vec::new();
        for month in statement_months(self.today) {
            let next_month = month + Months::new(1);
            let statement_id = ids.next("statements");
            let (mut submitted, mut fees, mut adjusted, mut total_paid) = (0i64, 0i64, 0i64, 0i64);
            for payment in paid.iter().filter(|p| p.date >= month && p.date < next_month) {
                submitted += payment.submitted;
                fees += payment.fees;
                adjusted += payment.adjusted;
                total_paid += payment.net;
                // The payment's adjustments (chargebacks, reversals) on a line of their own.
                lines.push(row![
                    ids.next("statement_lines"),
                    statement_id,
                    payment.date.to_string(),
                    "payment",
                    format!("Règlement {}", payment.reference),
                    Some(payment.id),
                    payment.net - payment.adjusted
                ]);
                if payment.adjusted != 0 {
                    lines.push(row![
                        ids.next("statement_lines"),
                        statement_id,
                        payment.date.to_string(),
                        "adjustment",
                        format!("Régularisations du règlement {}", payment.reference),
                        Some(payment.id),
                        payment.adjusted
                    ]);
                }
            }
            if spec.pricing == Pricing::Gross && month.month() == spec.anniversary.0 {
                let charged_on = month.with_day(spec.anniversary.1.min(28)).unwrap_or(month);
                let year_before = charged_on - Months::new(12);
                let volume: i64 = self
                    .days
                    .iter()
                    .filter(|d| d.date >= year_before && d.date < charged_on)
                    .map(|d| d.settled.max(0))
                    .sum();
                let commission = volume * FEE_PER_MILLE / 1000;
                fees += commission;
                total_paid -= commission;
                lines.push(row![
                    ids.next("statement_lines"),
                    statement_id,
                    charged_on.to_string(),
                    "commission",
                    "Commission annuelle",
                    None::<i64>,
                    -commission
                ]);
            }
            statements.push(row![
                statement_id,
                spec.establishment_id,
                month.format("%Y-%m").to_string(),
                currency,
                submitted,
                fees,
                adjusted,
                total_paid,
                paris_instant(next_month, 6, 0)
            ]);
        }
        Batch::new(
            "statements",
            &[
                "id",
                "establishment_id",
                "month",
                "currency",
                "total_submissions",
                "total_fees",
                "total_adjustments",
                "total_paid",
                "issued_at",
            ],
        )
        .write_all(connection, statements)
        .await?;
        Batch::new("statement_lines", &["id", "statement_id", "line_date", "kind", "label", "payment_id", "amount"])
            .write_all(connection, lines)
            .await?;
        Ok(())
    }
}

/// What a ledger writes after the disputes: adjustments, payment lines, statements.
#[derive(Default)]
pub struct Settlement {
    adjustments: Vec<Vec<V>>,
    payment_lines: Vec<Vec<V>>,
    paid: Vec<PaidPayment>,
    transactions: u64,
    currency: String,
}

fn adjustment_row(
    spec: &LedgerSpec,
    adjustment: &PendingAdjustment,
    payment_id: Option<i64>,
    currency: &str,
) -> Vec<V> {
    row![
        adjustment.id,
        spec.establishment_id,
        Some(adjustment.dispute_id),
        payment_id,
        adjustment.kind,
        adjustment.amount,
        currency,
        adjustment.label.clone(),
        adjustment.at
    ]
}

struct PaidPayment {
    id: i64,
    reference: String,
    date: NaiveDate,
    submitted: i64,
    fees: i64,
    adjusted: i64,
    net: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sixteen_completed_months_end_last_month() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let months = statement_months(today);
        assert_eq!(months.len(), 16);
        assert_eq!(months[0], NaiveDate::from_ymd_opt(2025, 7, 1).unwrap());
        assert_eq!(months[15], NaiveDate::from_ymd_opt(2026, 10, 1).unwrap());
    }

    #[test]
    fn masked_cards_keep_at_most_six_and_four_digits() {
        for index in 0..500 {
            let (masked, last4) = masked_card("9421000011", index);
            assert_eq!(masked.len(), 15);
            assert_eq!(masked.chars().filter(char::is_ascii_digit).count(), 10, "{masked}");
            assert!(masked.ends_with(&last4));
        }
    }

    #[test]
    fn an_exact_volume_is_spread_over_the_detailed_days() {
        let spec = LedgerSpec {
            establishment_id: 1,
            number: "9421999990".into(),
            pricing: Pricing::Net,
            anniversary: (1, 1),
            transaction_days: 75,
            volume: Volume::Total(10_007),
            cards: 100,
        };
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let mut ids = Ids::fresh();
        let ledger = Ledger::plan(spec, today, &mut ids);
        assert_eq!(ledger.days.iter().map(|day| day.transactions as u64).sum::<u64>(), 10_007);
        assert_eq!(ledger.days.iter().filter(|day| day.transactions > 0).count(), 75);
        assert_eq!(ledger.days.first().unwrap().date, history_start(today));
        assert_eq!(ledger.days.last().unwrap().date, today);
        // Ids are consecutive, so transactions can be written without asking the database.
        assert_eq!(ids.next("transactions"), 10_008);
        assert!(ledger.charges.windows(2).all(|pair| pair[0].occurred_at <= pair[1].occurred_at));
    }

    #[test]
    fn a_day_is_generated_identically_twice() {
        let spec = LedgerSpec {
            establishment_id: 1,
            number: "9421000011".into(),
            pricing: Pricing::Net,
            anniversary: (1, 1),
            transaction_days: 3,
            volume: Volume::PerDay(5, 9),
            cards: 50,
        };
        let day = Day {
            date: NaiveDate::from_ymd_opt(2026, 5, 4).unwrap(),
            submission_id: 1,
            first_transaction_id: 10,
            transactions: 7,
            settled: 0,
            settled_count: 0,
        };
        let first: Vec<_> =
            Ledger::transactions_of(&spec, &day).map(|tx| (tx.id, tx.amount, tx.kind, tx.occurred_at)).collect();
        let second: Vec<_> =
            Ledger::transactions_of(&spec, &day).map(|tx| (tx.id, tx.amount, tx.kind, tx.occurred_at)).collect();
        assert_eq!(first, second);
        assert_eq!(first.len(), 7);
        assert!(first.windows(2).all(|pair| pair[0].3 <= pair[1].3), "in time order");
    }
}
