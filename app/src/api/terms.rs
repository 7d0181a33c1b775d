//! Plan Amex (`PLANAMEX`) payment terms: for an amount in minor units, a number of payments and
//! the establishment's rate for that number (basis points of the amount, for the whole plan),
//! the amount of each payment, the total interest and the total payable.
//!
//! Rounding, the one rule: the interest is the amount times the rate, rounded half up to the
//! minor unit; the total payable is the amount plus the interest; each payment is the total
//! divided by the number of payments, rounded down, and the last payment takes the remainder
//! (so it is at most `payments - 1` minor units more than the others, and the payments add up to
//! the total exactly).

/// The plan identifier of Plan Amex.
pub const PLAN_ID: &str = "PLANAMEX";

/// Payment terms, every amount in minor units of the request's currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Terms {
    pub payments: i64,
    /// Each payment but the last.
    pub payment_amount: i64,
    /// The last payment: `payment_amount` plus the rounding remainder.
    pub last_payment_amount: i64,
    pub rate_basis_points: i64,
    pub total_interest: i64,
    pub total_payable: i64,
}

/// Why terms cannot be given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoTerms {
    /// Fewer than one payment, or a negative or zero amount.
    Invalid,
    /// More payments than the establishment's maximum number of installments.
    AboveMaximum,
}

/// The terms of paying `amount` in `payments` payments at `rate_basis_points`, within
/// `max_installments`.
pub fn terms(amount: i64, payments: i64, rate_basis_points: i64, max_installments: i64) -> Result<Terms, NoTerms> {
    if amount <= 0 || payments < 1 || !(0..=10_000).contains(&rate_basis_points) {
        return Err(NoTerms::Invalid);
    }
    if payments > max_installments {
        return Err(NoTerms::AboveMaximum);
    }
    // Half up: add half the divisor before dividing (amounts are positive).
    let interest = (i128::from(amount) * i128::from(rate_basis_points) + 5_000) / 10_000;
    let interest = i64::try_from(interest).map_err(|_| NoTerms::Invalid)?;
    let total = amount.checked_add(interest).ok_or(NoTerms::Invalid)?;
    let each = total / payments;
    let last = total - each * (payments - 1);
    Ok(Terms {
        payments,
        payment_amount: each,
        last_payment_amount: last,
        rate_basis_points,
        total_interest: interest,
        total_payable: total,
    })
}

/// A rate in basis points as a percentage with two decimals ("3.50"), as the API shows it.
pub fn rate_percent(basis_points: i64) -> String {
    format!("{}.{:02}", basis_points / 100, basis_points % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_arithmetic_is_exact_and_the_last_payment_takes_the_remainder() {
        // (amount, payments, rate bp, max) → (each, last, interest, total)
        let table = [
            (100_000, 4, 0, 12, (25_000, 25_000, 0, 100_000)),
            (100_000, 3, 0, 12, (33_333, 33_334, 0, 100_000)),
            (100, 3, 0, 3, (33, 34, 0, 100)),
            (10_000, 6, 350, 12, (1_725, 1_725, 350, 10_350)),
            (9_999, 7, 250, 12, (1_464, 1_465, 250, 10_249)),
            // 1,234 × 1.25 % = 15.425 → 15 (below half); 1,000 × 0.05 % = 0.5 → 1 (half up).
            (1_234, 2, 125, 2, (624, 625, 15, 1_249)),
            (1_000, 2, 5, 24, (500, 501, 1, 1_001)),
            (1, 24, 0, 24, (0, 1, 0, 1)),
            (4_800_000, 24, 1_990, 24, (239_800, 239_800, 955_200, 5_755_200)),
            (5, 1, 10_000, 1, (10, 10, 5, 10)),
        ];
        for (amount, payments, rate, max, (each, last, interest, total)) in table {
            let terms = terms(amount, payments, rate, max).unwrap();
            assert_eq!(
                (terms.payment_amount, terms.last_payment_amount, terms.total_interest, terms.total_payable),
                (each, last, interest, total),
                "{amount} in {payments} at {rate} bp"
            );
            assert_eq!(terms.payment_amount * (payments - 1) + terms.last_payment_amount, terms.total_payable);
            assert!(terms.last_payment_amount - terms.payment_amount < payments);
        }
    }

    #[test]
    fn beyond_the_maximum_or_without_an_amount_there_are_no_terms() {
        assert_eq!(terms(10_000, 13, 0, 12), Err(NoTerms::AboveMaximum));
        assert_eq!(terms(10_000, 2, 0, 1), Err(NoTerms::AboveMaximum));
        assert_eq!(terms(10_000, 12, 0, 12).map(|t| t.payments), Ok(12));
        assert_eq!(terms(0, 3, 0, 12), Err(NoTerms::Invalid));
        assert_eq!(terms(10_000, 0, 0, 12), Err(NoTerms::Invalid));
        assert_eq!(terms(i64::MAX, 2, 10_000, 12), Err(NoTerms::Invalid));
    }

    #[test]
    fn rates_read_as_percentages() {
        assert_eq!(rate_percent(350), "3.50");
        assert_eq!(rate_percent(0), "0.00");
        assert_eq!(rate_percent(1_990), "19.90");
    }
}
