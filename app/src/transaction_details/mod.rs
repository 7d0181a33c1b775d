//! What a gateway's operation adds to a transaction, shown wherever the transaction is: the
//! Plan Amex terms, the original amount and currency with the gateway's rate, the stored-card and
//! recurring (AutoPay) indicators, the Payment Facilitator's sub-merchant and the Level 3 data
//! with its line items. The transaction search shows them under each row, the dispute case under
//! its original transaction: evidence for "not as described" or "cancelled recurring" reasons.
//!
//! Shared by `money` and `disputes` (which `money` reads from), so it depends on neither.
//! Server only.

pub mod store;
mod view;

pub use view::DetailsList;

/// The Plan Amex terms a charge was authorised with (amounts in the transaction's currency).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanTerms {
    pub plan_id: String,
    pub payments: i64,
    pub payment_amount: i64,
    pub rate_basis_points: i64,
    pub total_interest: i64,
    pub total_payable: i64,
}

/// A Level 3 line item (prices in the original currency).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineItem {
    pub description: String,
    pub quantity: i64,
    pub unit_price: i64,
    pub tax_amount: i64,
}

/// The amount and currency the cardholder paid in, when the establishment settles in another
/// one, and the rate the gateway used (as it sent it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Original {
    pub amount: i64,
    pub currency: String,
    pub rate: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TransactionDetails {
    /// The transaction's own (settlement) currency.
    pub currency: String,
    pub terms: Option<PlanTerms>,
    pub original: Option<Original>,
    pub card_on_file: bool,
    pub recurring: bool,
    /// Id, name and merchant category code.
    pub sub_merchant: Option<(String, String, String)>,
    pub customer_reference: Option<String>,
    pub tax_amount: Option<i64>,
    pub ship_to_postcode: Option<String>,
    pub line_items: Vec<LineItem>,
}

impl TransactionDetails {
    /// Whether there is anything to show (a transaction of the demo seed has nothing).
    pub fn is_empty(&self) -> bool {
        *self == TransactionDetails { currency: self.currency.clone(), ..TransactionDetails::default() }
    }

    /// The currency of the line items and the Level 3 tax: the original one when converted.
    pub fn level3_currency(&self) -> &str {
        self.original.as_ref().map_or(&self.currency, |original| &original.currency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_transaction_without_gateway_data_has_nothing_to_show() {
        let plain = TransactionDetails { currency: "EUR".into(), ..TransactionDetails::default() };
        assert!(plain.is_empty());
        assert!(!TransactionDetails { recurring: true, ..plain.clone() }.is_empty());
        let converted = TransactionDetails {
            original: Some(Original { amount: 1_250, currency: "JPY".into(), rate: "0.0062".into() }),
            ..plain
        };
        assert_eq!(converted.level3_currency(), "JPY");
    }
}
