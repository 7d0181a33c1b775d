//! Card numbers: the shape a stored masked card must have (at most the first six and the last
//! four digits shown, the rest `*`), and the scan of free text (comments, notes, file names)
//! that masks a card number typed in it before it is stored. One place, so that the database's
//! check (migration 0008) and every writer agree.

/// Shortest and longest card numbers (ISO/IEC 7812).
const DIGITS: std::ops::RangeInclusive<usize> = 13..=19;

/// Whether `card` is a masked card number as stored: 13 to 19 characters, digits or `*` in the
/// first six and last four places, `*` everywhere between.
pub fn is_masked(card: &str) -> bool {
    let bytes = card.as_bytes();
    let shown = |byte: &u8| byte.is_ascii_digit() || *byte == b'*';
    DIGITS.contains(&bytes.len())
        && bytes[..6].iter().all(shown)
        && bytes[bytes.len() - 4..].iter().all(shown)
        && bytes[6..bytes.len() - 4].iter().all(|byte| *byte == b'*')
}

/// The card number's masked form: first six and last four digits, `*` between.
pub fn mask(digits: &str) -> String {
    let hidden = digits.len().saturating_sub(10);
    format!("{}{}{}", &digits[..6.min(digits.len())], "*".repeat(hidden), &digits[digits.len().saturating_sub(4)..])
}

/// Whether the digits pass the Luhn check.
fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(index, digit)| {
            let value = u32::from(digit - b'0');
            if index % 2 == 1 {
                let doubled = value * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                value
            }
        })
        .sum();
    sum % 10 == 0
}

/// `text` with every card number in it masked, and whether there was one. A card number is a
/// run of 13 to 19 digits, possibly separated by single spaces or dashes, that passes the Luhn
/// check and is not part of a longer run of digits.
pub fn mask_numbers(text: &str) -> (String, bool) {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut masked = false;
    let mut copied = 0;
    let mut at = 0;
    while at < bytes.len() {
        if !bytes[at].is_ascii_digit() || (at > 0 && bytes[at - 1].is_ascii_digit()) {
            at += 1;
            continue;
        }
        // The run: digits, each separator followed by a digit.
        let (start, mut end, mut digits) = (at, at, Vec::new());
        while end < bytes.len() {
            if bytes[end].is_ascii_digit() {
                digits.push(bytes[end]);
                end += 1;
            } else if matches!(bytes[end], b' ' | b'-') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit) {
                end += 1;
            } else {
                break;
            }
        }
        if DIGITS.contains(&digits.len()) && luhn(&digits) {
            out.push_str(&text[copied..start]);
            out.push_str(&mask(std::str::from_utf8(&digits).unwrap_or_default()));
            copied = end;
            masked = true;
        }
        at = end;
    }
    out.push_str(&text[copied..]);
    (out, masked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mask_shows_at_most_six_and_four() {
        for good in ["411111******1111", "374245*****1001", "4111**********11", "*************"] {
            assert!(is_masked(good), "{good}");
        }
        for bad in [
            "4111111111******",
            "4111******111111",
            "41111*1111111***",
            "4111111111111111",
            "411111**1111",
            "4111-1******1111",
        ] {
            assert!(!is_masked(bad), "{bad}");
        }
    }

    #[test]
    fn card_numbers_in_text_are_masked() {
        let cases = [
            ("Carte 4111 1111 1111 1111.", "Carte 411111******1111.", true),
            ("4111-1111-1111-1111", "411111******1111", true),
            ("amex 378282246310005 ok", "amex 378282*****0005 ok", true),
            ("commande 1234567890123", "commande 1234567890123", false),
            ("tél. 01 23 45 67 89", "tél. 01 23 45 67 89", false),
            ("4111  1111 1111 1111", "4111  1111 1111 1111", false),
            ("x41111111111111119", "x41111111111111119", false),
            ("é4111111111111111é", "é411111******1111é", true),
        ];
        for (text, expected, found) in cases {
            assert_eq!(mask_numbers(text), (expected.to_owned(), found), "{text}");
        }
    }
}
