//! The analytics page's tables, built once from the figures: the page renders them and the CSV
//! download writes the same rows, so a file always says what the page shows. A cell keeps its
//! value typed (a count, an amount, a rate); the page writes it for the reader's language, the
//! file as a plain number.

use super::figures::{Analytics, Counts, Row};
use crate::i18n::Locale;
use leptos_i18n::td_string;

/// The tables of the page, each downloadable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableId {
    Totals,
    Months,
    Reasons,
    Establishments,
    Organisations,
    Rates,
    Cards,
}

impl TableId {
    pub const ALL: [TableId; 7] = [
        TableId::Totals,
        TableId::Months,
        TableId::Reasons,
        TableId::Establishments,
        TableId::Organisations,
        TableId::Rates,
        TableId::Cards,
    ];

    /// Its name in addresses and file names.
    pub fn as_str(self) -> &'static str {
        match self {
            TableId::Totals => "totals",
            TableId::Months => "months",
            TableId::Reasons => "reasons",
            TableId::Establishments => "establishments",
            TableId::Organisations => "organisations",
            TableId::Rates => "rates",
            TableId::Cards => "cards",
        }
    }

    pub fn parse(text: &str) -> Option<TableId> {
        TableId::ALL.into_iter().find(|table| table.as_str() == text)
    }
}

/// A column: its heading on the page and its name in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Currency,
    Month,
    Reason,
    Label,
    Organisation,
    Establishment,
    Inquiries,
    Chargebacks,
    Answered,
    Accepted,
    Won,
    Lost,
    ExpiredChargebacks,
    Conversions,
    WinRate,
    MedianDays,
    Disputed,
    Refunded,
    WonBack,
    LostAmount,
    Charges,
    Rate,
    OpenInquiries,
    Flag,
    Card,
    Establishments,
    Disputes,
}

impl Column {
    pub fn heading(self, locale: Locale) -> &'static str {
        match self {
            Column::Currency => td_string!(locale, analytics_col_currency),
            Column::Month => td_string!(locale, analytics_col_month),
            Column::Reason => td_string!(locale, analytics_col_reason),
            Column::Label => td_string!(locale, analytics_col_label),
            Column::Organisation => td_string!(locale, analytics_col_organisation),
            Column::Establishment => td_string!(locale, analytics_col_establishment),
            Column::Inquiries => td_string!(locale, analytics_col_inquiries),
            Column::Chargebacks => td_string!(locale, analytics_col_chargebacks),
            Column::Answered => td_string!(locale, analytics_col_answered),
            Column::Accepted => td_string!(locale, analytics_col_accepted),
            Column::Won => td_string!(locale, analytics_col_won),
            Column::Lost => td_string!(locale, analytics_col_lost),
            Column::ExpiredChargebacks => td_string!(locale, analytics_col_expired),
            Column::Conversions => td_string!(locale, analytics_col_conversions),
            Column::WinRate => td_string!(locale, analytics_col_win_rate),
            Column::MedianDays => td_string!(locale, analytics_col_median_days),
            Column::Disputed => td_string!(locale, analytics_col_disputed),
            Column::Refunded => td_string!(locale, analytics_col_refunded),
            Column::WonBack => td_string!(locale, analytics_col_won_back),
            Column::LostAmount => td_string!(locale, analytics_col_lost_amount),
            Column::Charges => td_string!(locale, analytics_col_charges),
            Column::Rate => td_string!(locale, analytics_col_rate),
            Column::OpenInquiries => td_string!(locale, analytics_col_open_inquiries),
            Column::Flag => td_string!(locale, analytics_col_flag),
            Column::Card => td_string!(locale, analytics_col_card),
            Column::Establishments => td_string!(locale, analytics_col_establishments),
            Column::Disputes => td_string!(locale, analytics_col_disputes),
        }
    }

    /// One word without spaces or accents (the files' convention, as `money::columns`).
    pub fn csv_name(self, locale: Locale) -> &'static str {
        match self {
            Column::Currency => td_string!(locale, analytics_csv_currency),
            Column::Month => td_string!(locale, analytics_csv_month),
            Column::Reason => td_string!(locale, analytics_csv_reason),
            Column::Label => td_string!(locale, analytics_csv_label),
            Column::Organisation => td_string!(locale, analytics_csv_organisation),
            Column::Establishment => td_string!(locale, analytics_csv_establishment),
            Column::Inquiries => td_string!(locale, analytics_csv_inquiries),
            Column::Chargebacks => td_string!(locale, analytics_csv_chargebacks),
            Column::Answered => td_string!(locale, analytics_csv_answered),
            Column::Accepted => td_string!(locale, analytics_csv_accepted),
            Column::Won => td_string!(locale, analytics_csv_won),
            Column::Lost => td_string!(locale, analytics_csv_lost),
            Column::ExpiredChargebacks => td_string!(locale, analytics_csv_expired),
            Column::Conversions => td_string!(locale, analytics_csv_conversions),
            Column::WinRate => td_string!(locale, analytics_csv_win_rate),
            Column::MedianDays => td_string!(locale, analytics_csv_median_days),
            Column::Disputed => td_string!(locale, analytics_csv_disputed),
            Column::Refunded => td_string!(locale, analytics_csv_refunded),
            Column::WonBack => td_string!(locale, analytics_csv_won_back),
            Column::LostAmount => td_string!(locale, analytics_csv_lost_amount),
            Column::Charges => td_string!(locale, analytics_csv_charges),
            Column::Rate => td_string!(locale, analytics_csv_rate),
            Column::OpenInquiries => td_string!(locale, analytics_csv_open_inquiries),
            Column::Flag => td_string!(locale, analytics_csv_flag),
            Column::Card => td_string!(locale, analytics_csv_card),
            Column::Establishments => td_string!(locale, analytics_csv_establishments),
            Column::Disputes => td_string!(locale, analytics_csv_disputes),
        }
    }
}

/// Where an establishment's month stands against the threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    Below,
    AtRisk,
    Above,
}

impl Flag {
    pub fn word(self, locale: Locale) -> &'static str {
        match self {
            Flag::Below => td_string!(locale, analytics_flag_below),
            Flag::AtRisk => td_string!(locale, analytics_flag_at_risk),
            Flag::Above => td_string!(locale, analytics_flag_above),
        }
    }
}

/// A cell's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Count(i64),
    /// Minor units of the currency.
    Amount(i64, String),
    /// Hundredths of a percent (12.34 % = 1234); `None`: nothing to divide by.
    Percent(Option<i64>),
    /// Whole days; `None`: no case answered.
    Days(Option<i64>),
    Flag(Flag),
}

impl Cell {
    /// As the file writes it: plain numbers (amounts as decimals, percentages with two
    /// decimals), text escaped against spreadsheet formulas.
    pub fn csv(&self, locale: Locale) -> String {
        match self {
            Cell::Text(text) => crate::money::export::text(text).into_owned(),
            Cell::Count(count) => count.to_string(),
            Cell::Amount(minor, _) => crate::money::filter::decimal(*minor),
            Cell::Percent(Some(hundredths)) => crate::money::filter::decimal(*hundredths),
            Cell::Days(Some(days)) => days.to_string(),
            Cell::Percent(None) | Cell::Days(None) => String::new(),
            Cell::Flag(flag) => flag.word(locale).to_owned(),
        }
    }

    /// As the page writes it, for `language`.
    pub fn shown(&self, language: &str) -> String {
        let locale = crate::format::locale(language);
        match self {
            Cell::Text(text) => text.clone(),
            Cell::Count(count) => count.to_string(),
            Cell::Amount(minor, currency) => crate::format::amount(*minor, currency, language),
            Cell::Percent(Some(hundredths)) => percent(*hundredths, locale),
            Cell::Days(Some(days)) => days.to_string(),
            Cell::Percent(None) | Cell::Days(None) => "—".to_owned(),
            Cell::Flag(flag) => flag.word(locale).to_owned(),
        }
    }

    /// Numbers align right.
    pub fn numeric(&self) -> bool {
        !matches!(self, Cell::Text(_) | Cell::Flag(_))
    }
}

/// "12,34 %" / "12.34%".
pub fn percent(hundredths: i64, locale: Locale) -> String {
    let number = crate::money::filter::decimal(hundredths).replace('.', td_string!(locale, format_decimal_separator));
    crate::format::fill(td_string!(locale, analytics_percent), &[("number", &number)])
}

/// A table: its columns and rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub id: TableId,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
}

/// The outcome columns every breakdown has, after its key.
const OUTCOMES: [Column; 13] = [
    Column::Inquiries,
    Column::Chargebacks,
    Column::Answered,
    Column::Accepted,
    Column::Won,
    Column::Lost,
    Column::ExpiredChargebacks,
    Column::Conversions,
    Column::WinRate,
    Column::Disputed,
    Column::Refunded,
    Column::WonBack,
    Column::LostAmount,
];

fn outcomes(counts: &Counts, currency: &str) -> Vec<Cell> {
    let amount = |minor: i64| Cell::Amount(minor, currency.to_owned());
    vec![
        Cell::Count(counts.inquiries),
        Cell::Count(counts.chargebacks),
        Cell::Count(counts.answered),
        Cell::Count(counts.accepted),
        Cell::Count(counts.won),
        Cell::Count(counts.lost),
        Cell::Count(counts.expired_chargebacks),
        Cell::Count(counts.expired_inquiries),
        Cell::Percent(counts.win_rate_bp()),
        amount(counts.disputed),
        amount(counts.refunded),
        amount(counts.won_back),
        amount(counts.lost_amount),
    ]
}

/// A breakdown: `key` columns first, then the outcomes.
fn breakdown<K>(id: TableId, key: &[Column], rows: &[Row<K>], cells: impl Fn(&Row<K>) -> Vec<Cell>) -> Table {
    let mut columns: Vec<Column> = key.to_vec();
    columns.push(Column::Currency);
    columns.extend(OUTCOMES);
    let rows = rows
        .iter()
        .map(|row| {
            let mut line = cells(row);
            line.push(Cell::Text(row.currency.clone()));
            line.extend(outcomes(&row.counts, &row.currency));
            line
        })
        .collect();
    Table { id, columns, rows }
}

/// The table `id` of `analytics`, in `locale` (reason codes' labels).
pub fn table(analytics: &Analytics, id: TableId, locale: Locale) -> Table {
    let name = |id: i64| analytics.establishment(id).map(|each| each.trading_name.clone()).unwrap_or_default();
    match id {
        TableId::Totals => breakdown(id, &[], &analytics.totals, |_| Vec::new()),
        TableId::Months => {
            breakdown(id, &[Column::Month], &analytics.months, |row| vec![Cell::Text(row.key.to_string())])
        }
        TableId::Reasons => breakdown(id, &[Column::Reason, Column::Label], &analytics.reasons, |row| {
            let label =
                crate::disputes::reason_codes::find(&row.key).map(|code| code.label(locale)).unwrap_or_default();
            vec![Cell::Text(row.key.clone()), Cell::Text(label.to_owned())]
        }),
        TableId::Establishments => {
            let mut table = breakdown(id, &[Column::Establishment], &analytics.by_establishment, |row| {
                vec![Cell::Text(name(row.key))]
            });
            table.columns.push(Column::MedianDays);
            for (line, row) in table.rows.iter_mut().zip(&analytics.by_establishment) {
                let median = analytics.median_days_by_establishment.iter().find(|(each, _)| *each == row.key);
                line.push(Cell::Days(median.map(|(_, days)| *days)));
            }
            table
        }
        TableId::Organisations => breakdown(id, &[Column::Organisation], &analytics.by_organisation, |row| {
            vec![Cell::Text(analytics.organisation_name(row.key))]
        }),
        TableId::Rates => Table {
            id,
            columns: vec![
                Column::Establishment,
                Column::Month,
                Column::Chargebacks,
                Column::Charges,
                Column::Rate,
                Column::OpenInquiries,
                Column::Flag,
            ],
            rows: analytics
                .rates
                .iter()
                .map(|rate| {
                    let flag = if rate.above {
                        Flag::Above
                    } else if rate.at_risk {
                        Flag::AtRisk
                    } else {
                        Flag::Below
                    };
                    vec![
                        Cell::Text(name(rate.establishment_id)),
                        Cell::Text(rate.month.to_string()),
                        Cell::Count(rate.chargebacks),
                        Cell::Count(rate.charges),
                        Cell::Percent(rate.rate_micro().map(|micro| micro / 10_000)),
                        rate.open_inquiries.map_or(Cell::Text(String::new()), Cell::Count),
                        Cell::Flag(flag),
                    ]
                })
                .collect(),
        },
        TableId::Cards => Table {
            id,
            columns: vec![Column::Organisation, Column::Card, Column::Establishments, Column::Disputes],
            rows: analytics
                .repeat_cards
                .iter()
                .map(|card| {
                    vec![
                        Cell::Text(analytics.organisation_name(card.organisation_id)),
                        Cell::Text(card.card_masked.clone()),
                        Cell::Count(card.establishments),
                        Cell::Count(card.disputes),
                    ]
                })
                .collect(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_plain_numbers_in_files_and_localized_on_pages() {
        assert_eq!(Cell::Amount(-1_250, "EUR".into()).csv(Locale::fr), "-12.50");
        assert_eq!(Cell::Percent(Some(125)).csv(Locale::fr), "1.25");
        assert_eq!(Cell::Percent(Some(125)).shown("fr"), "1,25 %");
        assert_eq!(Cell::Percent(None).csv(Locale::en), "");
        assert_eq!(Cell::Text("=cmd".into()).csv(Locale::en), "'=cmd");
        assert_eq!(Cell::Days(Some(4)).shown("en"), "4");
    }

    #[test]
    fn every_table_has_as_many_cells_as_columns() {
        let counts = Counts { inquiries: 2, chargebacks_won: 1, ..Counts::default() };
        let row = |key| Row { key, currency: "EUR".to_owned(), counts };
        let table = breakdown(TableId::Months, &[Column::Month], &[row(1), row(2)], |row| vec![Cell::Count(row.key)]);
        assert!(table.rows.iter().all(|line| line.len() == table.columns.len()));
        assert_eq!(TableId::parse("rates"), Some(TableId::Rates));
        assert_eq!(TableId::parse("secrets"), None);
    }
}
