//! The API's JSON as types: the answers are built from them (so the OpenAPI document, generated
//! from the same types by `utoipa`, cannot say something else than what is sent), and the
//! request bodies are described by them. Requests are still read field by field by `rules`, so
//! that a refusal names its field; a test below checks that the documented examples are accepted.
//! The problem document of a refusal is `problem::ProblemDocument`.

use super::rules::{Kind, Level3, Settlement, SubMerchant};
use super::store::operations::OperationRow;
use super::terms::{self, Terms};
use serde::Serialize;
use utoipa::ToSchema;

/// An operation as the API answers it (`POST /api/v1/operations`, `GET /api/v1/operations/{id}`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Operation {
    pub id: i64,
    #[serde(rename = "type")]
    #[schema(value_type = Kind)]
    pub kind: String,
    /// `approved` or `declined`.
    #[schema(example = "approved")]
    pub status: String,
    /// Why it was declined (`expired_card`).
    pub decline_reason: Option<String>,
    /// Six characters, for an approved authorisation.
    pub authorization_code: Option<String>,
    pub establishment_number: String,
    /// The operation it acts on (a capture's authorisation, a refund's capture).
    pub parent_operation_id: Option<i64>,
    /// In minor units of `currency`.
    pub amount: i64,
    pub currency: String,
    pub captured_amount: i64,
    pub refunded_amount: i64,
    pub cancelled: bool,
    pub card: Option<CardOut>,
    pub merchant_reference: String,
    /// The establishment's transaction it wrote (a charge, refund or cancellation).
    pub transaction_id: Option<i64>,
    /// Unix time, seconds.
    pub created_at: i64,
    /// The Plan Amex terms the cardholder accepted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_plan: Option<PaymentTerms>,
    /// For an information request: the operation it asked about.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(no_recursion)]
    pub operation: Option<Box<Operation>>,
}

/// The card as stored: never more than its first six and last four digits.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CardOut {
    #[schema(example = "374245*****1001")]
    pub masked: String,
    /// `YYYY-MM`
    pub expiry: Option<String>,
}

impl Operation {
    pub fn from_row(row: &OperationRow) -> Operation {
        let details: super::rules::Details = serde_json::from_str(&row.details).unwrap_or_default();
        let payment_plan = match (details.plan_payments, details.plan_rate_basis_points) {
            (Some(payments), Some(rate)) => {
                terms::terms(row.amount, payments, rate, payments).ok().map(|t| PaymentTerms::new(&t, &row.currency))
            }
            _ => None,
        };
        Operation {
            id: row.id,
            kind: row.kind.clone(),
            status: row.status.clone(),
            decline_reason: row.decline_reason.clone(),
            authorization_code: row.authorization_code.clone(),
            establishment_number: row.establishment_number.clone(),
            parent_operation_id: row.parent_id,
            amount: row.amount,
            currency: row.currency.clone(),
            captured_amount: row.captured,
            refunded_amount: row.refunded,
            cancelled: row.cancelled != 0,
            card: row
                .card_masked
                .as_ref()
                .map(|masked| CardOut { masked: masked.clone(), expiry: row.card_expiry.clone() }),
            merchant_reference: row.merchant_reference.clone(),
            transaction_id: row.transaction_id,
            created_at: row.created_at,
            payment_plan,
            operation: None,
        }
    }
}

/// Plan Amex payment terms: every payment but the last is `payment_amount`, the last takes the
/// rounding remainder (`last_payment_amount`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PaymentTerms {
    #[schema(example = "PLANAMEX")]
    pub plan_id: String,
    pub currency: String,
    pub payments: i64,
    pub payment_amount: i64,
    pub last_payment_amount: i64,
    /// Yearly rate in percent, two decimals (`3.50`).
    #[schema(example = "3.50")]
    pub interest_rate: String,
    pub total_interest: i64,
    pub total_payable: i64,
}

impl PaymentTerms {
    pub fn new(terms: &Terms, currency: &str) -> PaymentTerms {
        PaymentTerms {
            plan_id: terms::PLAN_ID.to_owned(),
            currency: currency.to_owned(),
            payments: terms.payments,
            payment_amount: terms.payment_amount,
            last_payment_amount: terms.last_payment_amount,
            interest_rate: terms::rate_percent(terms.rate_basis_points),
            total_interest: terms.total_interest,
            total_payable: terms.total_payable,
        }
    }
}

/// One page of `GET /api/v1/transactions`, newest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TransactionPage {
    pub transactions: Vec<Transaction>,
    /// Pass as `after` for the next page; absent on the last one.
    pub next_after: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Transaction {
    pub id: i64,
    /// Unix time, seconds.
    pub occurred_at: i64,
    /// `charge`, `refund`, `cancellation` or `chargeback`.
    #[serde(rename = "type")]
    pub kind: String,
    pub amount: i64,
    pub currency: String,
    pub card_masked: String,
    pub reference: String,
    pub payment_plan: Option<TransactionPlan>,
    /// The case number of a dispute on it.
    pub case_number: Option<String>,
    /// What the cardholder paid, when the establishment settles in another currency.
    pub original: Option<OriginalAmount>,
    /// Paid with a stored card (card on file).
    pub card_on_file: bool,
    /// A recurring (AutoPay) payment.
    pub recurring: bool,
    /// A Payment Facilitator's sub-merchant.
    pub sub_merchant: Option<SubMerchant>,
    /// The Level 3 data the authorisation carried (amounts in the original currency).
    pub level3: Option<Level3>,
}

/// A transaction's installment plan; the terms when an API authorisation accepted them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TransactionPlan {
    pub plan_id: String,
    pub payments: i64,
    pub payment_amount: Option<i64>,
    /// Yearly rate in percent, two decimals (`3.50`).
    pub interest_rate: Option<String>,
    pub total_interest: Option<i64>,
    pub total_payable: Option<i64>,
}

/// The amount and currency the cardholder paid in, and the gateway's rate.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OriginalAmount {
    pub amount: i64,
    pub currency: String,
    pub exchange_rate: String,
}

impl Transaction {
    /// A transaction as the API shows it, with what its operation added (`details`).
    pub fn new(
        row: &crate::money::transactions::TransactionRow,
        details: Option<&crate::transaction_details::TransactionDetails>,
    ) -> Transaction {
        let terms = details.and_then(|d| d.terms.as_ref());
        let payment_plan = row.plan.as_ref().map(|(plan, payments)| TransactionPlan {
            plan_id: plan.clone(),
            payments: *payments,
            payment_amount: terms.map(|t| t.payment_amount),
            interest_rate: terms.map(|t| terms::rate_percent(t.rate_basis_points)),
            total_interest: terms.map(|t| t.total_interest),
            total_payable: terms.map(|t| t.total_payable),
        });
        let level3 = details
            .filter(|d| {
                d.customer_reference.is_some()
                    || d.tax_amount.is_some()
                    || d.ship_to_postcode.is_some()
                    || !d.line_items.is_empty()
            })
            .map(|d| Level3 {
                customer_reference: d.customer_reference.clone(),
                tax_amount: d.tax_amount,
                ship_to_postcode: d.ship_to_postcode.clone(),
                line_items: d
                    .line_items
                    .iter()
                    .map(|item| super::rules::LineItem {
                        description: item.description.clone(),
                        quantity: item.quantity,
                        unit_price: item.unit_price,
                        tax_amount: item.tax_amount,
                    })
                    .collect(),
            });
        Transaction {
            id: row.id,
            occurred_at: row.occurred_at,
            kind: row.kind.clone(),
            amount: row.amount,
            currency: row.currency.clone(),
            card_masked: row.card_masked.clone(),
            reference: row.reference.clone(),
            payment_plan,
            case_number: row.case_number.clone(),
            original: details.and_then(|d| d.original.as_ref()).map(|o| OriginalAmount {
                amount: o.amount,
                currency: o.currency.clone(),
                exchange_rate: o.rate.clone(),
            }),
            card_on_file: details.is_some_and(|d| d.card_on_file),
            recurring: details.is_some_and(|d| d.recurring),
            sub_merchant: details.and_then(|d| d.sub_merchant.as_ref()).map(|(id, name, category_code)| SubMerchant {
                id: id.clone(),
                name: name.clone(),
                category_code: category_code.clone(),
            }),
            level3,
        }
    }
}

/// The body of `POST /api/v1/operations`. What each type needs: an authorisation (with or
/// without capture) the establishment, amount, currency and card; every other type its
/// `parent_operation_id` (and an amount for a partial capture or refund).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "authorization_with_capture",
    "establishment_number": "9421000011",
    "amount": 12500,
    "currency": "EUR",
    "card": { "first_six": "374245", "last_four": "1001", "expiry": "2030-12", "token": "tok_demo_1" },
    "merchant_reference": "ORDER-1001",
    "recurring": false,
    "level3": { "customer_reference": "C-77", "tax_amount": 2083, "ship_to_postcode": "75008",
                "line_items": [{ "description": "Room, 2 nights", "quantity": 2, "unit_price": 6250, "tax_amount": 1042 }] }
}))]
pub struct OperationBody {
    #[serde(rename = "type")]
    pub kind: Kind,
    /// Ten digits.
    #[schema(pattern = "^[0-9]{10}$")]
    pub establishment_number: String,
    /// Minor units, 1 to 10^12; for a capture or refund, all of its parent when absent.
    #[schema(minimum = 1, maximum = 1000000000000.0)]
    pub amount: Option<i64>,
    /// ISO 4217.
    #[schema(pattern = "^[A-Z]{3}$")]
    pub currency: Option<String>,
    pub card: Option<CardIn>,
    #[schema(max_length = 64)]
    pub merchant_reference: Option<String>,
    #[schema(minimum = 1)]
    pub parent_operation_id: Option<i64>,
    /// For an establishment that is a Payment Facilitator, and only then.
    pub sub_merchant: Option<SubMerchant>,
    pub card_on_file: Option<bool>,
    /// AutoPay.
    pub recurring: Option<bool>,
    pub level3: Option<Level3>,
    pub payment_plan: Option<PlanChoice>,
    /// When `currency` is not the establishment's settlement currency.
    pub settlement: Option<Settlement>,
}

/// The card: never its full number (a request holding one is refused with 422, `card-number`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CardIn {
    #[schema(pattern = "^[0-9]{6}$")]
    pub first_six: String,
    #[schema(pattern = "^[0-9]{4}$")]
    pub last_four: String,
    /// `YYYY-MM`
    #[schema(pattern = "^[0-9]{4}-(0[1-9]|1[0-2])$")]
    pub expiry: String,
    /// The gateway's token for the card.
    #[schema(pattern = "^[A-Za-z0-9_-]{1,64}$")]
    pub token: String,
}

/// The terms the cardholder accepted (from a terms inquiry).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanChoice {
    #[schema(example = "PLANAMEX")]
    pub plan_id: String,
    #[schema(minimum = 1, maximum = 24)]
    pub payments: i64,
}

/// The body of `POST /api/v1/payment-plans/PLANAMEX/terms`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({ "establishment_number": "9421000011", "amount": 100000, "currency": "EUR", "payments": 3 }))]
pub struct TermsBody {
    #[schema(pattern = "^[0-9]{10}$")]
    pub establishment_number: String,
    #[schema(minimum = 1, maximum = 1000000000000.0)]
    pub amount: i64,
    #[schema(pattern = "^[A-Z]{3}$")]
    pub currency: String,
    #[schema(minimum = 1)]
    pub payments: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use utoipa::PartialSchema;

    fn example(schema: utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>) -> Vec<u8> {
        let value = serde_json::to_value(schema).unwrap();
        serde_json::to_vec(&value["example"]).unwrap()
    }

    #[test]
    fn the_documented_examples_are_accepted() {
        let request = super::super::rules::operation_request(&example(OperationBody::schema())).unwrap();
        assert_eq!(request.kind, Kind::AuthorizationWithCapture);
        assert_eq!(request.details.level3.unwrap().line_items.len(), 1);
        let (number, amount, currency, payments) =
            super::super::rules::terms_request(&example(TermsBody::schema())).unwrap();
        assert_eq!((number.as_str(), amount, currency.as_str(), payments), ("9421000011", 100000, "EUR", 3));
    }

    #[test]
    fn the_operation_types_are_an_enumeration() {
        let value = serde_json::to_value(Kind::schema()).unwrap();
        assert_eq!(value["enum"].as_array().unwrap().len(), Kind::ALL.len());
        assert_eq!(value["enum"][5], "information_request");
    }
}
