//! What an operation request must hold, read from its JSON body field by field so that a refusal
//! names its field (`card.first_six`), and which operation may act on which.
//!
//! Amounts are integers in minor units of an ISO 4217 currency. The card travels as its first
//! six and last four digits, an expiry (`YYYY-MM`) and the gateway's token: a full card number
//! anywhere in the body is refused before the body is read (see [`holds_card_number`]).

use super::problem::{Fault, Problem};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

/// The largest amount an operation may carry, in minor units (ten billion units).
pub const MAX_AMOUNT: i64 = 1_000_000_000_000;
/// The most Level 3 line items an operation may carry.
pub const MAX_LINE_ITEMS: usize = 100;

/// The fee rate of net pricing, in thousandths of a payment's submissions (2.5 %); gross pricing
/// charges its fees on the statement instead (the demo data uses the same rate).
pub const FEE_PER_MILLE: i64 = 25;

/// The fees deducted from a payment of `submitted` under `pricing` (`net` or `gross`).
pub fn fees(pricing: &str, submitted: i64) -> i64 {
    if pricing == "net" {
        submitted.max(0) * FEE_PER_MILLE / 1000
    } else {
        0
    }
}

/// The active ISO 4217 currency codes.
const CURRENCIES: &str = "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD \
    BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS \
    GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT \
    LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR \
    PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL \
    THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWL";

/// Whether `code` is an active ISO 4217 currency code.
pub fn is_currency(code: &str) -> bool {
    code.len() == 3 && CURRENCIES.split_whitespace().any(|known| known == code)
}

/// Whether the raw body holds a card number: a Luhn-valid run of 13 to 19 digits (see
/// `crate::cards`), wherever it is (a field's value, a number, a key).
/// The body is read as it came and, when it is JSON, as its parsed values are written, so that
/// digits spelt as `\u0034` escapes are found too.
pub fn holds_card_number(body: &[u8]) -> bool {
    let found = |text: &str| crate::cards::mask_numbers(text).1;
    found(&String::from_utf8_lossy(body))
        || serde_json::from_slice::<Value>(body).is_ok_and(|value| found(&value.to_string()))
}

/// The operation types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Authorization,
    AuthorizationWithCapture,
    Capture,
    Cancellation,
    Refund,
    InformationRequest,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Authorization,
        Kind::AuthorizationWithCapture,
        Kind::Capture,
        Kind::Cancellation,
        Kind::Refund,
        Kind::InformationRequest,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Authorization => "authorization",
            Kind::AuthorizationWithCapture => "authorization_with_capture",
            Kind::Capture => "capture",
            Kind::Cancellation => "cancellation",
            Kind::Refund => "refund",
            Kind::InformationRequest => "information_request",
        }
    }

    pub fn parse(text: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.as_str() == text)
    }

    /// Whether it opens a card operation (and so carries the card).
    pub fn authorises(self) -> bool {
        matches!(self, Kind::Authorization | Kind::AuthorizationWithCapture)
    }

    /// Whether money moves (a charge or a refund is written).
    pub fn settles(self) -> bool {
        matches!(self, Kind::AuthorizationWithCapture | Kind::Capture | Kind::Refund)
    }
}

/// What an operation may act on, by the kind of its parent: a capture takes an authorisation,
/// a refund returns a capture (or an authorisation with capture), a cancellation voids either,
/// an information request reads any.
pub fn may_follow(kind: Kind, parent: Kind) -> bool {
    use Kind::*;
    match kind {
        Capture => parent == Authorization,
        Refund => matches!(parent, Capture | AuthorizationWithCapture),
        Cancellation => matches!(parent, Authorization | Capture | AuthorizationWithCapture),
        InformationRequest => parent != InformationRequest,
        Authorization | AuthorizationWithCapture => false,
    }
}

/// The card as the gateway describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    pub first_six: String,
    pub last_four: String,
    /// `YYYY-MM`
    pub expiry: String,
    pub token: String,
}

impl Card {
    /// The stored mask: first six, last four, `*` between (15 digits for American Express's
    /// 34 and 37 ranges, 16 otherwise).
    pub fn masked(&self) -> String {
        let length = if self.first_six.starts_with("34") || self.first_six.starts_with("37") { 15 } else { 16 };
        format!("{}{}{}", self.first_six, "*".repeat(length - 10), self.last_four)
    }

    /// Whether the card has expired before `today`'s month.
    pub fn expired(&self, today: chrono::NaiveDate) -> bool {
        use chrono::Datelike;
        self.expiry < format!("{:04}-{:02}", today.year(), today.month())
    }
}

/// The sub-merchant of a Payment Facilitator's operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SubMerchant {
    #[schema(min_length = 1, max_length = 32)]
    pub id: String,
    #[schema(min_length = 1, max_length = 80)]
    pub name: String,
    /// The merchant category code (MCC), four digits.
    #[schema(pattern = "^[0-9]{4}$")]
    pub category_code: String,
}

/// A Level 3 line item; prices in minor units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LineItem {
    #[schema(min_length = 1, max_length = 120)]
    pub description: String,
    #[schema(minimum = 1, maximum = 1_000_000)]
    pub quantity: i64,
    #[schema(minimum = 0, maximum = 1000000000000.0)]
    pub unit_price: i64,
    #[serde(default)]
    #[schema(minimum = 0, maximum = 1000000000000.0)]
    pub tax_amount: i64,
}

/// Level 3 data: what was sold, to whom, shipped where.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Level3 {
    #[schema(max_length = 64)]
    pub customer_reference: Option<String>,
    #[schema(minimum = 0, maximum = 1000000000000.0)]
    pub tax_amount: Option<i64>,
    #[schema(max_length = 16)]
    pub ship_to_postcode: Option<String>,
    #[serde(default)]
    #[schema(max_items = 100)]
    pub line_items: Vec<LineItem>,
}

/// The settlement side of a foreign-currency operation, as the gateway converted it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Settlement {
    /// In minor units of the establishment's currency.
    #[schema(minimum = 0, maximum = 1000000000000.0)]
    pub amount: i64,
    /// The rate used, as sent (a positive decimal).
    #[schema(pattern = "^[0-9]+(\\.[0-9]+)?$", example = "1.0842")]
    pub rate: String,
}

/// What an authorisation carries to the transaction its capture writes (kept as JSON with the
/// operation).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Details {
    pub card_on_file: bool,
    pub recurring: bool,
    pub sub_merchant: Option<SubMerchant>,
    pub level3: Option<Level3>,
    /// The number of Plan Amex payments the cardholder accepted.
    pub plan_payments: Option<i64>,
    /// The establishment's rate for that plan when it was authorised (basis points).
    pub plan_rate_basis_points: Option<i64>,
}

/// A checked operation request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationRequest {
    pub kind: Kind,
    pub establishment_number: String,
    pub amount: Option<i64>,
    pub currency: Option<String>,
    pub card: Option<Card>,
    pub merchant_reference: String,
    pub parent: Option<i64>,
    pub settlement: Option<Settlement>,
    pub details: Details,
}

/// Reads a JSON object's fields, each refusal naming the field's path.
struct Reader<'a> {
    object: &'a Map<String, Value>,
    path: String,
}

impl<'a> Reader<'a> {
    fn new(object: &'a Map<String, Value>, path: &str) -> Reader<'a> {
        Reader { object, path: path.to_owned() }
    }

    fn name(&self, field: &str) -> String {
        if self.path.is_empty() {
            field.to_owned()
        } else {
            format!("{}.{field}", self.path)
        }
    }

    fn present(&self, field: &str) -> Option<&'a Value> {
        self.object.get(field).filter(|value| !value.is_null())
    }

    fn invalid(&self, field: &str) -> Problem {
        Problem::at(Fault::Invalid, self.name(field))
    }

    fn required(&self, field: &str) -> Problem {
        Problem::at(Fault::Required, self.name(field))
    }

    /// A string of at most `max` characters, trimmed, without control characters.
    fn text(&self, field: &str, max: usize) -> Result<Option<String>, Problem> {
        match self.present(field) {
            None => Ok(None),
            Some(Value::String(text)) => {
                let text = text.trim();
                if text.chars().count() > max || text.chars().any(char::is_control) {
                    Err(self.invalid(field))
                } else {
                    Ok(Some(text.to_owned()))
                }
            }
            Some(_) => Err(self.invalid(field)),
        }
    }

    fn required_text(&self, field: &str, max: usize) -> Result<String, Problem> {
        self.text(field, max)?.filter(|text| !text.is_empty()).ok_or_else(|| self.required(field))
    }

    /// A string of exactly `length` digits.
    fn digits(&self, field: &str, length: usize) -> Result<String, Problem> {
        let text = self.required_text(field, length)?;
        if text.len() == length && text.bytes().all(|b| b.is_ascii_digit()) {
            Ok(text)
        } else {
            Err(self.invalid(field))
        }
    }

    /// An integer within `range`.
    fn integer(&self, field: &str, range: std::ops::RangeInclusive<i64>) -> Result<Option<i64>, Problem> {
        match self.present(field) {
            None => Ok(None),
            Some(value) => value.as_i64().filter(|n| range.contains(n)).map(Some).ok_or_else(|| self.invalid(field)),
        }
    }

    fn flag(&self, field: &str) -> Result<bool, Problem> {
        match self.present(field) {
            None => Ok(false),
            Some(Value::Bool(flag)) => Ok(*flag),
            Some(_) => Err(self.invalid(field)),
        }
    }

    fn object(&self, field: &str) -> Result<Option<Reader<'a>>, Problem> {
        match self.present(field) {
            None => Ok(None),
            Some(Value::Object(object)) => Ok(Some(Reader::new(object, &self.name(field)))),
            Some(_) => Err(self.invalid(field)),
        }
    }

    /// An ISO 4217 code.
    fn currency(&self, field: &str) -> Result<Option<String>, Problem> {
        match self.text(field, 3).map_err(|_| Problem::at(Fault::Currency, self.name(field)))? {
            None => Ok(None),
            Some(code) if is_currency(&code) => Ok(Some(code)),
            Some(_) => Err(Problem::at(Fault::Currency, self.name(field))),
        }
    }
}

/// The body of `POST /api/v1/operations`, checked.
pub fn operation_request(body: &[u8]) -> Result<OperationRequest, Problem> {
    let value: Value = serde_json::from_slice(body).map_err(|_| Problem::new(Fault::MalformedBody))?;
    let Value::Object(object) = &value else { return Err(Problem::new(Fault::MalformedBody)) };
    let r = Reader::new(object, "");
    let kind = Kind::parse(&r.required_text("type", 40)?).ok_or_else(|| r.invalid("type"))?;
    let establishment_number = r.digits("establishment_number", 10)?;
    let amount = r.integer("amount", 1..=MAX_AMOUNT)?;
    let currency = r.currency("currency")?;
    let merchant_reference = r.text("merchant_reference", 64)?.unwrap_or_default();
    let parent = r.integer("parent_operation_id", 1..=i64::MAX)?;
    let settlement = match r.object("settlement")? {
        Some(s) => Some(Settlement {
            amount: s.integer("amount", 0..=MAX_AMOUNT)?.ok_or_else(|| s.required("amount"))?,
            rate: rate(&s)?,
        }),
        None => None,
    };
    let mut request = OperationRequest {
        kind,
        establishment_number,
        amount,
        currency,
        card: None,
        merchant_reference,
        parent,
        settlement,
        details: Details::default(),
    };
    if kind.authorises() {
        if request.amount.is_none() {
            return Err(r.required("amount"));
        }
        if request.currency.is_none() {
            return Err(Problem::at(Fault::Required, "currency"));
        }
        let card = r.object("card")?.ok_or_else(|| r.required("card"))?;
        request.card = Some(read_card(&card)?);
        request.details = read_details(&r)?;
    } else if request.parent.is_none() {
        return Err(r.required("parent_operation_id"));
    }
    if request.settlement.is_some() && !kind.settles() {
        return Err(r.invalid("settlement"));
    }
    Ok(request)
}

fn rate(s: &Reader<'_>) -> Result<String, Problem> {
    let rate = s.required_text("rate", 24)?;
    let mut parts = rate.splitn(2, '.');
    let whole = parts.next().unwrap_or_default();
    let fraction = parts.next().unwrap_or("0");
    let digits = |text: &str| !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    let positive = rate.bytes().any(|b| (b'1'..=b'9').contains(&b));
    if digits(whole) && digits(fraction) && positive {
        Ok(rate)
    } else {
        Err(s.invalid("rate"))
    }
}

fn read_card(card: &Reader<'_>) -> Result<Card, Problem> {
    let first_six = card.digits("first_six", 6)?;
    let last_four = card.digits("last_four", 4)?;
    let expiry = card.required_text("expiry", 7)?;
    let bytes = expiry.as_bytes();
    let month = expiry.get(5..).and_then(|month| month.parse::<u32>().ok());
    let well_formed = bytes.len() == 7
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && month.is_some_and(|month| (1..=12).contains(&month));
    if !well_formed {
        return Err(card.invalid("expiry"));
    }
    let token = card.required_text("token", 64)?;
    if !token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
        return Err(card.invalid("token"));
    }
    Ok(Card { first_six, last_four, expiry, token })
}

fn read_details(r: &Reader<'_>) -> Result<Details, Problem> {
    let sub_merchant = match r.object("sub_merchant")? {
        Some(s) => Some(SubMerchant {
            id: s.required_text("id", 32)?,
            name: s.required_text("name", 80)?,
            category_code: s.digits("category_code", 4)?,
        }),
        None => None,
    };
    let level3 = match r.object("level3")? {
        Some(l) => Some(read_level3(&l)?),
        None => None,
    };
    let plan_payments = match r.object("payment_plan")? {
        Some(plan) => {
            if plan.required_text("plan_id", 16)? != super::terms::PLAN_ID {
                return Err(Problem::at(Fault::NotFound, plan.name("plan_id")));
            }
            Some(plan.integer("payments", 1..=24)?.ok_or_else(|| plan.required("payments"))?)
        }
        None => None,
    };
    Ok(Details {
        card_on_file: r.flag("card_on_file")?,
        recurring: r.flag("recurring")?,
        sub_merchant,
        level3,
        plan_payments,
        plan_rate_basis_points: None,
    })
}

fn read_level3(l: &Reader<'_>) -> Result<Level3, Problem> {
    let mut level3 = Level3 {
        customer_reference: l.text("customer_reference", 64)?,
        tax_amount: l.integer("tax_amount", 0..=MAX_AMOUNT)?,
        ship_to_postcode: l.text("ship_to_postcode", 16)?,
        line_items: Vec::new(),
    };
    match l.present("line_items") {
        None => {}
        Some(Value::Array(items)) if items.len() <= MAX_LINE_ITEMS => {
            for (index, item) in items.iter().enumerate() {
                let path = l.name(&format!("line_items.{index}"));
                let Value::Object(object) = item else { return Err(Problem::at(Fault::Invalid, path)) };
                let i = Reader::new(object, &path);
                level3.line_items.push(LineItem {
                    description: i.required_text("description", 120)?,
                    quantity: i.integer("quantity", 1..=1_000_000)?.ok_or_else(|| i.required("quantity"))?,
                    unit_price: i.integer("unit_price", 0..=MAX_AMOUNT)?.ok_or_else(|| i.required("unit_price"))?,
                    tax_amount: i.integer("tax_amount", 0..=MAX_AMOUNT)?.unwrap_or(0),
                });
            }
        }
        Some(_) => return Err(l.invalid("line_items")),
    }
    Ok(level3)
}

/// The body of a terms inquiry, checked: (establishment number, amount, currency, payments).
pub fn terms_request(body: &[u8]) -> Result<(String, i64, String, i64), Problem> {
    let value: Value = serde_json::from_slice(body).map_err(|_| Problem::new(Fault::MalformedBody))?;
    let Value::Object(object) = &value else { return Err(Problem::new(Fault::MalformedBody)) };
    let r = Reader::new(object, "");
    let number = r.digits("establishment_number", 10)?;
    let amount = r.integer("amount", 1..=MAX_AMOUNT)?.ok_or_else(|| r.required("amount"))?;
    let currency = r.currency("currency")?.ok_or_else(|| Problem::at(Fault::Required, "currency"))?;
    let payments = r.integer("payments", 1..=i64::MAX)?.ok_or_else(|| r.required("payments"))?;
    Ok((number, amount, currency, payments))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(body: &str) -> (Fault, Option<String>) {
        let problem = operation_request(body.as_bytes()).unwrap_err();
        (problem.fault, problem.field)
    }

    const AUTHORISATION: &str = r#"{"type":"authorization","establishment_number":"9421000011","amount":1250,
        "currency":"EUR","card":{"first_six":"374245","last_four":"1001","expiry":"2030-12","token":"tok_1"},
        "merchant_reference":"ORDER-1","level3":{"line_items":[{"description":"Room","quantity":2,"unit_price":625}]}}"#;

    #[test]
    fn an_authorisation_is_read_whole() {
        let request = operation_request(AUTHORISATION.as_bytes()).unwrap();
        assert_eq!(request.kind, Kind::Authorization);
        assert_eq!(request.amount, Some(1250));
        let card = request.card.unwrap();
        assert_eq!(card.masked(), "374245*****1001");
        assert!(crate::cards::is_masked(&card.masked()));
        assert_eq!(request.details.level3.unwrap().line_items[0].quantity, 2);
    }

    #[test]
    fn each_refusal_names_its_field() {
        let with = |from: &str, to: &str| AUTHORISATION.replace(from, to);
        assert_eq!(refusal("[1]"), (Fault::MalformedBody, None));
        assert_eq!(refusal("{"), (Fault::MalformedBody, None));
        assert_eq!(refusal(&with("authorization", "payment")), (Fault::Invalid, Some("type".into())));
        assert_eq!(refusal(&with("\"EUR\"", "\"EURO\"")), (Fault::Currency, Some("currency".into())));
        assert_eq!(refusal(&with("\"EUR\"", "\"XYZ\"")), (Fault::Currency, Some("currency".into())));
        assert_eq!(refusal(&with("1250", "-5")), (Fault::Invalid, Some("amount".into())));
        assert_eq!(refusal(&with("1250", "12.5")), (Fault::Invalid, Some("amount".into())));
        assert_eq!(refusal(&with("\"374245\"", "\"37424\"")), (Fault::Invalid, Some("card.first_six".into())));
        assert_eq!(refusal(&with("2030-12", "12/30")), (Fault::Invalid, Some("card.expiry".into())));
        assert_eq!(refusal(&with("2030-12", "2030-13")), (Fault::Invalid, Some("card.expiry".into())));
        assert_eq!(
            refusal(&with("\"quantity\":2", "\"quantity\":0")),
            (Fault::Invalid, Some("level3.line_items.0.quantity".into()))
        );
        assert_eq!(
            refusal(r#"{"type":"capture","establishment_number":"9421000011"}"#),
            (Fault::Required, Some("parent_operation_id".into()))
        );
        assert_eq!(
            refusal(
                r#"{"type":"cancellation","establishment_number":"9421000011","parent_operation_id":3,"settlement":{"amount":1,"rate":"1.1"}}"#
            ),
            (Fault::Invalid, Some("settlement".into()))
        );
        assert_eq!(
            refusal(
                r#"{"type":"refund","establishment_number":"9421000011","parent_operation_id":3,"settlement":{"amount":1,"rate":"0"}}"#
            ),
            (Fault::Invalid, Some("settlement.rate".into()))
        );
    }

    #[test]
    fn a_full_card_number_anywhere_is_found() {
        assert!(holds_card_number(br#"{"merchant_reference":"378282246310005"}"#));
        assert!(holds_card_number(br#"{"amount":4111111111111111}"#));
        assert!(holds_card_number(br#"{"note":"4111 1111 1111 1111"}"#));
        assert!(holds_card_number(br#"{"note":"\u0034111111111111111"}"#), "an escaped digit");
        assert!(!holds_card_number(AUTHORISATION.as_bytes()));
    }

    #[test]
    fn which_operation_may_follow_which() {
        use Kind::*;
        let allowed = [
            (Capture, Authorization),
            (Refund, Capture),
            (Refund, AuthorizationWithCapture),
            (Cancellation, Authorization),
            (Cancellation, Capture),
            (Cancellation, AuthorizationWithCapture),
        ];
        for kind in Kind::ALL {
            for parent in Kind::ALL {
                let expected =
                    allowed.contains(&(kind, parent)) || (kind == InformationRequest && parent != InformationRequest);
                assert_eq!(may_follow(kind, parent), expected, "{kind:?} after {parent:?}");
            }
        }
    }

    #[test]
    fn cards_expire_at_the_end_of_their_month() {
        let card =
            Card { first_six: "411111".into(), last_four: "1111".into(), expiry: "2026-11".into(), token: "t".into() };
        assert_eq!(card.masked(), "411111******1111");
        assert!(!card.expired(chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()));
        assert!(card.expired(chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()));
    }
}
