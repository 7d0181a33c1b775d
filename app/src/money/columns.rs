//! The column names of the CSV files, in the reader's language (`csv_*` in the locale files):
//! one word each, without spaces or accents, so that spreadsheets and import scripts read them.

use crate::i18n::Locale;
use leptos_i18n::td_string;

/// The transaction search's file (and the transactions report).
pub fn transactions(locale: Locale) -> Vec<&'static str> {
    vec![
        td_string!(locale, csv_date),
        td_string!(locale, csv_time),
        td_string!(locale, csv_card),
        td_string!(locale, csv_amount),
        td_string!(locale, csv_currency),
        td_string!(locale, csv_type),
        td_string!(locale, csv_reference),
        td_string!(locale, csv_installment_plan),
        td_string!(locale, csv_installments),
        td_string!(locale, csv_case),
        td_string!(locale, csv_installment_amount),
        td_string!(locale, csv_installment_rate),
        td_string!(locale, csv_installment_interest),
        td_string!(locale, csv_installment_total),
    ]
}

/// The payments report.
pub fn payments(locale: Locale) -> Vec<&'static str> {
    vec![
        td_string!(locale, csv_payment),
        td_string!(locale, csv_status),
        td_string!(locale, csv_date),
        td_string!(locale, csv_submission_amount),
        td_string!(locale, csv_fees_and_incentives),
        td_string!(locale, csv_adjustments),
        td_string!(locale, csv_net_amount),
        td_string!(locale, csv_currency),
    ]
}

/// The payments report with reconciliation: each payment followed by its lines.
pub fn reconciliation(locale: Locale) -> Vec<&'static str> {
    vec![
        td_string!(locale, csv_record),
        td_string!(locale, csv_payment),
        td_string!(locale, csv_date),
        td_string!(locale, csv_reference),
        td_string!(locale, csv_card),
        td_string!(locale, csv_type),
        td_string!(locale, csv_amount),
        td_string!(locale, csv_currency),
        td_string!(locale, csv_installment_plan),
        td_string!(locale, csv_installments),
        td_string!(locale, csv_case),
        td_string!(locale, csv_installment_amount),
        td_string!(locale, csv_installment_rate),
        td_string!(locale, csv_installment_interest),
        td_string!(locale, csv_installment_total),
    ]
}

/// A statement's lines.
pub fn statement(locale: Locale) -> Vec<&'static str> {
    vec![
        td_string!(locale, csv_date),
        td_string!(locale, csv_type),
        td_string!(locale, csv_label),
        td_string!(locale, csv_payment),
        td_string!(locale, csv_amount),
        td_string!(locale, csv_currency),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_name_every_column_in_one_plain_word() {
        for locale in [Locale::fr, Locale::en] {
            for columns in [transactions(locale), payments(locale), reconciliation(locale), statement(locale)] {
                for name in columns {
                    assert!(name.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{name:?}");
                }
            }
        }
        assert_eq!(transactions(Locale::en)[..4], ["date", "time", "card", "amount"]);
        assert_eq!(transactions(Locale::fr)[..4], ["date", "heure", "carte", "montant"]);
        assert_eq!(reconciliation(Locale::fr)[0], "enregistrement");
    }
}
