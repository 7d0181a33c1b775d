//! Amounts, dates and translated texts written for the reader's language, the same way on every
//! page, file and email. Amounts are integers in minor units with their ISO 4217 currency: the
//! currency says how many of the digits are decimals. Instants are shown in Paris time.

use crate::i18n::Locale;
use leptos_i18n::td_string;

/// The locale of a stored language preference (`en`, else French, the portal's default): the one
/// place a language code becomes a [`Locale`] for the texts of `locales/{fr,en}.json`.
pub fn locale(language: &str) -> Locale {
    match language {
        "en" => Locale::en,
        _ => Locale::fr,
    }
}

/// A translation with its `{name}` placeholders replaced by `values`, in one pass so a value
/// that itself contains braces is copied as it is. leptos_i18n's own `{{ name }}` interpolation
/// needs its `interpolate_display` option to give strings, which `load_locales!` cannot set.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            values.iter().find(|(name, _)| *name == &after[..close]).map(|(_, value)| (close, value))
        });
        match value {
            Some((close, value)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// How many decimal places `currency` (ISO 4217) has: 0 for the yen and its kind, 3 for the
/// dinars of Bahrain, Iraq, Jordan, Kuwait, Libya and Tunisia and the Omani rial, 2 otherwise.
pub fn decimals(currency: &str) -> u32 {
    match currency {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX" | "UYI" | "VND"
        | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        _ => 2,
    }
}

/// Minor units as a plain decimal with as many decimals as `currency` has ("1234.50" in euros,
/// "1234" in yen, "1.234" in Kuwaiti dinars, "-0.05"): how amounts are written in files.
pub fn plain(minor: i64, currency: &str) -> String {
    let width = decimals(currency) as usize;
    let scale = 10_u64.pow(width as u32);
    let (units, fraction) = (minor.unsigned_abs() / scale, minor.unsigned_abs() % scale);
    let sign = if minor < 0 { "-" } else { "" };
    if width == 0 {
        format!("{sign}{units}")
    } else {
        format!("{sign}{units}.{fraction:0width$}")
    }
}

/// The symbol written for `currency`, or its code.
fn symbol(currency: &str) -> &str {
    match currency {
        "EUR" => "€",
        other => other,
    }
}

/// An amount in minor units, written for `language`: "1 234,56 €" in French, "€1,234.56" in
/// English, with as many decimals as the currency has. The separators and the place of the
/// symbol come from the locale files.
pub fn amount(minor: i64, currency: &str, language: &str) -> String {
    let locale = locale(language);
    let scale = 10_u64.pow(decimals(currency));
    let (units, fraction) = (minor.unsigned_abs() / scale, minor.unsigned_abs() % scale);
    let digits = units.to_string();
    let separator = td_string!(locale, format_group_separator);
    let mut number = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            number.push_str(separator);
        }
        number.push(digit);
    }
    let width = decimals(currency) as usize;
    if width > 0 {
        number.push_str(td_string!(locale, format_decimal_separator));
        number.push_str(&format!("{fraction:0width$}"));
    }
    let sign = if minor < 0 { "-" } else { "" };
    fill(td_string!(locale, format_amount), &[("sign", sign), ("number", &number), ("symbol", symbol(currency))])
}

/// A rate in basis points as a percentage with two decimals: "3,50 %" / "3.50%".
pub fn percent_basis_points(basis_points: i64, language: &str) -> String {
    let locale = locale(language);
    let number = format!(
        "{}{}{:02}",
        basis_points / 100,
        td_string!(locale, format_decimal_separator),
        (basis_points % 100).abs()
    );
    fill(td_string!(locale, format_percent), &[("number", &number)])
}

/// An instant (Unix seconds) as a Paris date and time: "22/11/2026 14:05" / "2026-11-22 14:05".
pub fn instant(unix_seconds: i64, language: &str) -> String {
    let local =
        chrono::DateTime::from_timestamp(unix_seconds, 0).unwrap_or_default().with_timezone(&chrono_tz::Europe::Paris);
    local.format(td_string!(locale(language), format_instant)).to_string()
}

/// A calendar date: "22/11/2026" / "2026-11-22".
pub fn date(day: chrono::NaiveDate, language: &str) -> String {
    day.format(td_string!(locale(language), format_date)).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_write_each_currencys_decimals() {
        assert_eq!(plain(123_456, "EUR"), "1234.56");
        assert_eq!(plain(-5, "EUR"), "-0.05");
        assert_eq!(plain(0, "EUR"), "0.00");
        assert_eq!(plain(123_456, "JPY"), "123456");
        assert_eq!(plain(-1_234, "KWD"), "-1.234");
        assert_eq!(plain(7, "KWD"), "0.007");
    }

    #[test]
    fn amounts_are_written_the_french_or_english_way() {
        assert_eq!(amount(123_456, "EUR", "fr"), "1\u{202f}234,56\u{a0}€");
        assert_eq!(amount(123_456, "EUR", "en"), "€1,234.56");
        assert_eq!(amount(-5, "EUR", "en"), "-€0.05");
        assert_eq!(amount(100_000_000, "USD", "en"), "USD1,000,000.00");
        assert_eq!(amount(100_000_000, "CHF", "en"), "CHF1,000,000.00");
    }

    #[test]
    fn each_currency_has_its_own_decimals() {
        assert_eq!(amount(1_234, "JPY", "en"), "JPY1,234");
        assert_eq!(amount(1_234, "JPY", "fr"), "1\u{202f}234\u{a0}JPY");
        assert_eq!(amount(1_234, "KWD", "en"), "KWD1.234");
        assert_eq!(amount(-1_234_567, "TND", "fr"), "-1\u{202f}234,567\u{a0}TND");
        assert_eq!(decimals("EUR"), 2);
    }

    #[test]
    fn instants_are_paris_time() {
        // 2026-11-22 13:05 UTC is 14:05 in Paris (winter time).
        assert_eq!(instant(1_795_352_700, "fr"), "22/11/2026 14:05");
        assert_eq!(instant(1_795_352_700, "en"), "2026-11-22 14:05");
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        assert_eq!(date(day, "fr"), "22/11/2026");
    }

    #[test]
    fn placeholders_are_filled_once_and_unknown_ones_kept() {
        assert_eq!(fill("Case {case} by {day}.", &[("case", "L-1"), ("day", "2026-12-01")]), "Case L-1 by 2026-12-01.");
        assert_eq!(fill("{a}{b}", &[("a", "{b}"), ("b", "x")]), "{b}x");
        assert_eq!(fill("{unknown} {", &[]), "{unknown} {");
    }

    /// A placeholder missing from one language would be printed as `{name}` to its readers.
    #[test]
    fn both_languages_have_the_same_keys_and_placeholders() {
        fn placeholders(text: &str) -> std::collections::BTreeSet<String> {
            text.split('{').skip(1).filter_map(|part| part.split_once('}')).map(|(name, _)| name.to_owned()).collect()
        }
        let read = |text: &str| serde_json::from_str::<std::collections::BTreeMap<String, String>>(text).unwrap();
        let french = read(include_str!("../locales/fr.json"));
        let english = read(include_str!("../locales/en.json"));
        assert_eq!(french.keys().collect::<Vec<_>>(), english.keys().collect::<Vec<_>>());
        for (key, text) in &french {
            assert_eq!(placeholders(text), placeholders(&english[key]), "{key}");
        }
    }
}
