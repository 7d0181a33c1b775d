//! Onboarding by the platform: the rules an organisation and an establishment must meet before
//! they are stored (no SQL, no HTTP). Each check gives back the cleaned value, or the problem per
//! field that the form shows.

use super::model::{DisputeConfig, Problem};
use super::rules;
use std::collections::BTreeMap;

/// Problems per field name.
pub type Problems = BTreeMap<String, Problem>;

/// ISO 4217 currencies the network settles in.
pub const CURRENCIES: &[&str] = &[
    "EUR", "USD", "GBP", "CHF", "JPY", "CAD", "AUD", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "RON", "BGN", "XPF",
    "XOF", "XAF", "MAD", "TND",
];

/// The longest payment plan an establishment may offer.
pub const MAX_INSTALLMENTS: i64 = 24;

/// An organisation as the platform administrator types it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationInput {
    pub name: String,
    pub dispute_config: DisputeConfig,
}

/// An establishment as the platform administrator types it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EstablishmentInput {
    pub number: String,
    pub trading_name: String,
    pub address_line: String,
    pub postcode: String,
    pub city: String,
    pub currency: String,
    /// `net` or `gross`.
    pub pricing: String,
    /// `MM-DD`: the day gross pricing charges the fees.
    pub contract_anniversary: String,
    pub max_installments: i64,
    /// A Payment Facilitator: its gateway operations name their sub-merchant.
    pub payment_facilitator: bool,
    /// Plan Amex rates: (number of payments, basis points of the amount for the whole plan);
    /// a number of payments without a rate is interest-free.
    pub installment_rates: Vec<(i64, i64)>,
}

/// Reads a rate table as typed: `3:0, 6:2.50, 12:5.90` (number of payments, then the rate in
/// percent with at most two decimals, `.` or `,`), separated by commas, semicolons or spaces.
/// Each number of payments is 2 to `max`, once; each rate 0 to 100 %.
pub fn parse_rates(text: &str, max: i64) -> Option<Vec<(i64, i64)>> {
    let mut rates: Vec<(i64, i64)> = Vec::new();
    let text = text.replace('%', " ");
    for entry in
        text.split(|c: char| c == ';' || c.is_whitespace()).map(|e| e.trim_end_matches(',')).filter(|e| !e.is_empty())
    {
        let (payments, rate) = entry.split_once(':')?;
        let payments: i64 = payments.trim().parse().ok().filter(|n| (2..=max).contains(n))?;
        let rate = rate.trim().replace(',', ".");
        let (whole, fraction) = rate.split_once('.').unwrap_or((&rate, ""));
        if whole.is_empty()
            || fraction.len() > 2
            || !(whole.bytes().chain(fraction.bytes()).all(|b| b.is_ascii_digit()))
        {
            return None;
        }
        let basis_points = whole.parse::<i64>().ok()? * 100 + format!("{fraction:0<2}").parse::<i64>().ok()?;
        if basis_points > 10_000 || rates.iter().any(|(known, _)| *known == payments) {
            return None;
        }
        rates.push((payments, basis_points));
    }
    rates.sort();
    Some(rates)
}

/// A rate table as [`parse_rates`] reads it: `3:0.00, 6:2.50`.
pub fn rates_text(rates: &[(i64, i64)]) -> String {
    rates
        .iter()
        .map(|(payments, basis_points)| format!("{payments}:{}.{:02}", basis_points / 100, basis_points % 100))
        .collect::<Vec<_>>()
        .join(", ")
}

fn required(problems: &mut Problems, field: &str, value: &str, longest: usize) -> String {
    if value.is_empty() {
        problems.insert(field.into(), Problem::Required);
    } else if value.chars().count() > longest {
        problems.insert(field.into(), Problem::TooLong);
    }
    value.to_owned()
}

/// Checks an organisation's form; `get` gives a field's trimmed value.
pub fn check_organisation(get: impl Fn(&str) -> String) -> Result<OrganisationInput, Problems> {
    let mut problems = Problems::new();
    let name = required(&mut problems, "name", &get("name"), 120);
    let dispute_config = DisputeConfig::parse(&get("dispute_config"));
    if dispute_config.is_none() {
        problems.insert("dispute_config".into(), Problem::Required);
    }
    match dispute_config {
        Some(dispute_config) if problems.is_empty() => Ok(OrganisationInput { name, dispute_config }),
        _ => Err(problems),
    }
}

/// `MM-DD` for a day that exists in every year (29 February does not).
fn anniversary(value: &str) -> Option<String> {
    let (month, day) = value.split_once('-')?;
    let (month, day): (u32, u32) = (month.parse().ok()?, day.parse().ok()?);
    chrono::NaiveDate::from_ymd_opt(2025, month, day)?;
    Some(format!("{month:02}-{day:02}"))
}

/// Checks an establishment's form; `get` gives a field's trimmed value.
pub fn check_establishment(get: impl Fn(&str) -> String) -> Result<EstablishmentInput, Problems> {
    let mut problems = Problems::new();
    let number = rules::normalise_establishment_number(&get("number")).unwrap_or_else(|| {
        problems.insert("number".into(), Problem::NumberFormat);
        String::new()
    });
    let trading_name = required(&mut problems, "trading_name", &get("trading_name"), 120);
    let address_line = required(&mut problems, "address_line", &get("address_line"), 200);
    let postcode = required(&mut problems, "postcode", &get("postcode"), 20);
    let city = required(&mut problems, "city", &get("city"), 100);
    let currency = get("currency").to_uppercase();
    if !CURRENCIES.contains(&currency.as_str()) {
        problems.insert("currency".into(), Problem::CurrencyInvalid);
    }
    let pricing = get("pricing");
    if pricing != "net" && pricing != "gross" {
        problems.insert("pricing".into(), Problem::Required);
    }
    let contract_anniversary = anniversary(&get("contract_anniversary")).unwrap_or_else(|| {
        problems.insert("contract_anniversary".into(), Problem::AnniversaryInvalid);
        String::new()
    });
    let max_installments = get("max_installments").parse::<i64>().ok().filter(|n| (1..=MAX_INSTALLMENTS).contains(n));
    if max_installments.is_none() {
        problems.insert("max_installments".into(), Problem::InstallmentsInvalid);
    }
    let installment_rates = parse_rates(&get("installment_rates"), max_installments.unwrap_or(MAX_INSTALLMENTS))
        .unwrap_or_else(|| {
            problems.insert("installment_rates".into(), Problem::RatesInvalid);
            Vec::new()
        });
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(EstablishmentInput {
        number,
        trading_name,
        address_line,
        postcode,
        city,
        currency,
        pricing,
        contract_anniversary,
        max_installments: max_installments.unwrap_or(1),
        payment_facilitator: get("payment_facilitator") == "on",
        installment_rates,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> String + 'a {
        move |name| pairs.iter().find(|(key, _)| *key == name).map(|(_, value)| (*value).to_owned()).unwrap_or_default()
    }

    #[test]
    fn a_rate_table_is_read_as_typed_and_refused_whole_when_one_entry_is_wrong() {
        assert_eq!(parse_rates("", 12), Some(vec![]));
        assert_eq!(parse_rates("6:2,5; 3:0 12:5.90 %", 12), Some(vec![(3, 0), (6, 250), (12, 590)]));
        assert_eq!(parse_rates("3:0, 6:2.50", 12), Some(vec![(3, 0), (6, 250)]));
        assert_eq!(rates_text(&[(3, 0), (6, 250), (12, 590)]), "3:0.00, 6:2.50, 12:5.90");
        assert_eq!(parse_rates(&rates_text(&[(3, 0), (10, 450)]), 12), Some(vec![(3, 0), (10, 450)]));
        for wrong in ["13:1", "1:1", "6:2.505", "6:101", "6:-1", "6:", "6", "6:2, 6:3", "x:1", "6:1.2.3"] {
            assert_eq!(parse_rates(wrong, 12), None, "{wrong}");
        }
    }

    #[test]
    fn an_establishment_is_checked_field_by_field() {
        let good = [
            ("number", "9421 000 078"),
            ("trading_name", "Port"),
            ("address_line", "1 quai"),
            ("postcode", "17000"),
            ("city", "La Rochelle"),
            ("currency", "eur"),
            ("pricing", "gross"),
            ("contract_anniversary", "3-1"),
            ("max_installments", "4"),
        ];
        let input = check_establishment(form(&good)).unwrap();
        assert_eq!((input.number.as_str(), input.currency.as_str()), ("9421000078", "EUR"));
        assert_eq!(input.contract_anniversary, "03-01");
        let bad =
            [("number", "12"), ("currency", "EURO"), ("contract_anniversary", "02-29"), ("max_installments", "0")];
        let problems = check_establishment(form(&bad)).unwrap_err();
        assert_eq!(problems["number"], Problem::NumberFormat);
        assert_eq!(problems["currency"], Problem::CurrencyInvalid);
        assert_eq!(problems["contract_anniversary"], Problem::AnniversaryInvalid);
        assert_eq!(problems["max_installments"], Problem::InstallmentsInvalid);
        assert_eq!(problems["pricing"], Problem::Required);
    }

    #[test]
    fn an_organisation_needs_a_name_and_a_configuration() {
        assert!(check_organisation(form(&[("name", "A"), ("dispute_config", "local")])).is_ok());
        let problems = check_organisation(form(&[("dispute_config", "both")])).unwrap_err();
        assert_eq!(problems.len(), 2);
    }
}
