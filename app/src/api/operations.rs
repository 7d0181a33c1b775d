//! What each operation does. `send` checks the request against the key's scope, then, in one
//! write transaction, applies the operation and records its answer under the
//! `Idempotency-Key`: a retry gets the first answer, whatever happened since.
//!
//! The ledger (see `store::ledger`): a capture (or an authorisation with capture) writes a
//! `charge` in the establishment's submission of the day, a refund a `refund` there (the
//! submission's amount goes down), a cancellation a `cancellation` outside any submission; a
//! cancelled capture also leaves its submission, which it may only do before the day ends (the
//! submission is then sent for payment). Every change of a submission brings its pending
//! payment's totals and fees (the establishment's pricing) up to date.
//!
//! Refusals write nothing but the idempotency record: each rule is checked in the `UPDATE`
//! that takes the amount (see `store::operations`) before anything else is written.

use super::keys::{ApiCaller, Scope};
use super::problem::{Fault, Problem};
use super::rules::{self, Details, Kind, OperationRequest};
use super::store::establishments::{self as store_establishments, EstablishmentRow};
use super::store::idempotency::{self, Used};
use super::store::ledger::{self, NewTransaction};
use super::store::operations::{self as store, NewOperation, OperationRow};
use super::terms::{self, NoTerms, Terms};
use crate::db::{Db, Write};
use rand::Rng;
use serde_json::Value;

/// Longest `Idempotency-Key` accepted.
pub const IDEMPOTENCY_KEY_MAX: usize = 255;

/// Whether an `Idempotency-Key` header value can be used: 1 to 255 visible ASCII characters.
pub fn valid_idempotency_key(key: &str) -> bool {
    (1..=IDEMPOTENCY_KEY_MAX).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic())
}

/// An answer: HTTP status and JSON body (an operation, or a problem document).
pub type Answer = (u16, String);
/// An answer and whether it is the replay of the first one.
pub type Replied = (Answer, bool);

/// The establishment `number` if the key reaches it; otherwise "not found" on `field`.
pub async fn establishment_for_key(
    db: &Db,
    caller: &ApiCaller,
    number: &str,
    field: &str,
) -> Result<EstablishmentRow, Problem> {
    store_establishments::establishment_by_number(db, number)
        .await?
        .filter(|e| caller.key.reaches(e.id, e.organisation_id))
        .ok_or_else(|| Problem::at(Fault::NotFound, field))
}

/// `POST /api/v1/operations`: the operation's answer, first or replayed.
pub async fn send(db: &Db, caller: &ApiCaller, idempotency_key: &str, body: &[u8]) -> Result<Replied, Problem> {
    caller.key.require(Scope::Send)?;
    let request = rules::operation_request(body)?;
    let establishment =
        establishment_for_key(db, caller, &request.establishment_number, "establishment_number").await?;
    let parent = match request.parent {
        Some(id) if !request.kind.authorises() => Some(
            store::operation_by_id(db, id)
                .await?
                .filter(|parent| parent.establishment_id == establishment.id)
                .ok_or_else(|| Problem::at(Fault::NotFound, "parent_operation_id"))?,
        ),
        _ => None,
    };
    let details = checked_details(db, &request, &establishment).await?;
    let operation =
        Operation { caller, request: &request, establishment: &establishment, details, now: crate::clock::now() };
    idempotent(db, caller, idempotency_key, body, |mut write| async move {
        let row = match operation.apply(&mut write, parent).await {
            Ok(row) => row,
            Err(problem) if problem.fault == Fault::Internal => return Err(problem),
            Err(problem) => return Ok((write, Err(problem))),
        };
        let mut body = operation_json(&row);
        if let (Kind::InformationRequest, Some(target)) = (request.kind, row.parent_id) {
            if let Some(target) = store::operation_in(&mut write, target).await? {
                body["operation"] = operation_json(&target);
            }
        }
        Ok((write, Ok((201, body.to_string()))))
    })
    .await
}

/// Runs `apply` in a write transaction and records its answer under `idempotency_key` in the
/// same transaction: a key already used with the same body answers as it did the first time,
/// with another body 409. Two requests with one key at once both apply; the one that records
/// second rolls its work back and answers from the first's record. `apply` gives back the
/// transaction and its answer or refusal, both recorded (an internal error rolls everything
/// back, so that a retry can succeed).
pub async fn idempotent<F, Fut>(
    db: &Db,
    caller: &ApiCaller,
    idempotency_key: &str,
    body: &[u8],
    apply: F,
) -> Result<Replied, Problem>
where
    F: FnOnce(Write) -> Fut,
    Fut: std::future::Future<Output = Result<(Write, Result<Answer, Problem>), Problem>>,
{
    let hash = crate::accounts::tokens::sha256_hex(&String::from_utf8_lossy(body));
    let used = |found: Option<Used>| match found {
        Some(Used::Replay(status, response)) => Ok(((status, response), true)),
        Some(Used::Conflict) => Err(Problem::new(Fault::IdempotencyConflict)),
        None => Err(Problem::new(Fault::Internal)),
    };
    if let found @ Some(_) = idempotency::find(db, caller.key.id, idempotency_key, &hash).await? {
        return used(found);
    }
    let (mut write, outcome) = apply(db.write().await?).await?;
    let answer =
        outcome.unwrap_or_else(|problem| (problem.fault.status().as_u16(), problem.body(caller.language).to_string()));
    let record = idempotency::Record {
        key_id: caller.key.id,
        idempotency_key,
        request_hash: &hash,
        status: answer.0,
        response: &answer.1,
        now: crate::clock::now(),
    };
    if !idempotency::record(&mut write, &record).await? {
        write.rollback().await?;
        return used(idempotency::find(db, caller.key.id, idempotency_key, &hash).await?);
    }
    write.commit().await?;
    Ok((answer, false))
}

/// `POST /api/v1/payment-plans/{plan}/terms`: the terms of a plan at an establishment.
pub async fn terms_inquiry(
    db: &Db,
    caller: &ApiCaller,
    plan: &str,
    idempotency_key: &str,
    body: &[u8],
) -> Result<Replied, Problem> {
    caller.key.require(Scope::Send)?;
    if plan != terms::PLAN_ID {
        return Err(Problem::new(Fault::NotFound));
    }
    let (number, amount, currency, payments) = rules::terms_request(body)?;
    let establishment = establishment_for_key(db, caller, &number, "establishment_number").await?;
    let rate = store_establishments::installment_rate(db, establishment.id, payments).await?;
    let terms = plan_terms(amount, payments, rate, establishment.max_installments, "payments")?;
    let answer = (200, terms_json(&terms, &currency).to_string());
    idempotent(db, caller, idempotency_key, body, |write| async move { Ok((write, Ok(answer))) }).await
}

/// A capture of `authorisation` (a line of a capture file) in an open write transaction, with
/// every check of a capture sent alone: the capture's operation id and amount.
pub async fn capture_in(
    write: &mut Write,
    caller: &ApiCaller,
    establishment: &EstablishmentRow,
    authorisation: &OperationRow,
    amount: Option<i64>,
    merchant_reference: &str,
    settlement: Option<rules::Settlement>,
) -> Result<(i64, i64), Problem> {
    let request = OperationRequest {
        kind: Kind::Capture,
        establishment_number: establishment.number.clone(),
        amount,
        currency: None,
        card: None,
        merchant_reference: merchant_reference.to_owned(),
        parent: Some(authorisation.id),
        settlement,
        details: Details::default(),
    };
    let operation =
        Operation { caller, request: &request, establishment, details: Details::default(), now: crate::clock::now() };
    let row = operation.apply(write, Some(authorisation.clone())).await?;
    Ok((row.id, amount.unwrap_or(authorisation.amount)))
}

/// An authorisation's details checked against its establishment: the sub-merchant a Payment
/// Facilitator must name (and others must not), the plan within its maximum installments.
async fn checked_details(
    db: &Db,
    request: &OperationRequest,
    establishment: &EstablishmentRow,
) -> Result<Details, Problem> {
    let mut details = request.details.clone();
    if !request.kind.authorises() {
        return Ok(details);
    }
    if (establishment.payment_facilitator != 0) != details.sub_merchant.is_some() {
        return Err(Problem::at(Fault::SubMerchant, "sub_merchant"));
    }
    if let Some(payments) = details.plan_payments {
        let rate = store_establishments::installment_rate(db, establishment.id, payments).await?;
        plan_terms(
            request.amount.unwrap_or_default(),
            payments,
            rate,
            establishment.max_installments,
            "payment_plan.payments",
        )?;
        details.plan_rate_basis_points = Some(rate);
    }
    Ok(details)
}

/// The terms of a plan, a refusal naming `field` otherwise.
pub fn plan_terms(amount: i64, payments: i64, rate: i64, max: i64, field: &str) -> Result<Terms, Problem> {
    terms::terms(amount, payments, rate, max).map_err(|refusal| match refusal {
        NoTerms::AboveMaximum => Problem::at(Fault::AboveMaxInstallments, field),
        NoTerms::Invalid => Problem::at(Fault::Invalid, field),
    })
}

/// One operation being applied.
struct Operation<'a> {
    caller: &'a ApiCaller,
    request: &'a OperationRequest,
    establishment: &'a EstablishmentRow,
    details: Details,
    now: i64,
}

impl Operation<'_> {
    /// Applies the operation; the operation written.
    async fn apply(&self, write: &mut Write, parent: Option<OperationRow>) -> Result<OperationRow, Problem> {
        let Some(parent) = parent else { return self.authorise(write).await };
        let parent_kind = Kind::parse(&parent.kind).unwrap_or(Kind::InformationRequest);
        if !rules::may_follow(self.request.kind, parent_kind)
            || (parent.status != "approved" && self.request.kind != Kind::InformationRequest)
        {
            return Err(Problem::at(Fault::WrongParent, "parent_operation_id"));
        }
        if self.request.currency.as_ref().is_some_and(|currency| *currency != parent.currency) {
            return Err(Problem::at(Fault::Invalid, "currency"));
        }
        match self.request.kind {
            Kind::Capture => self.capture(write, &parent).await,
            Kind::Refund => self.refund(write, &parent).await,
            Kind::Cancellation => self.cancel(write, &parent, parent_kind).await,
            _ => self.insert(write, Some(&parent), 0, 0, true, None).await,
        }
    }

    async fn authorise(&self, write: &mut Write) -> Result<OperationRow, Problem> {
        let request = self.request;
        let card = request.card.as_ref().ok_or(Problem::at(Fault::Required, "card"))?;
        let amount = request.amount.unwrap_or_default();
        let capture = request.kind == Kind::AuthorizationWithCapture;
        let settlement = if capture { Some(self.settlement(amount)?) } else { None };
        let declined = card.expired(crate::clock::paris_today()).then_some("expired_card");
        let code = declined.is_none().then(authorization_code);
        let masked = card.masked();
        let details = serde_json::to_string(&self.details).map_err(|_| Problem::new(Fault::Internal))?;
        let captured = if capture && declined.is_none() { amount } else { 0 };
        let op = NewOperation {
            key_id: self.caller.key.id,
            establishment_id: self.establishment.id,
            kind: request.kind.as_str(),
            parent_id: None,
            approved: declined.is_none(),
            decline_reason: declined,
            authorization_code: code.as_deref(),
            amount,
            currency: request.currency.as_deref().unwrap_or_default(),
            captured,
            card: Some((&masked, &card.last_four, &card.expiry, &card.token)),
            merchant_reference: &request.merchant_reference,
            details: &details,
            now: self.now,
        };
        let id = store::insert_operation(write, &op).await?;
        let mut row = op.written(id, self.establishment);
        if let (Some(settlement), true) = (settlement, captured > 0) {
            let charge = Posting {
                kind: "charge",
                card: (&masked, &card.last_four),
                reference: reference(&request.merchant_reference, "", id),
                settlement,
                details: &self.details,
                original_currency: op.currency,
                original_amount: amount,
                with_level3: true,
            };
            row.transaction_id = Some(self.post(write, id, charge, true).await?);
        }
        Ok(row)
    }

    async fn capture(&self, write: &mut Write, authorisation: &OperationRow) -> Result<OperationRow, Problem> {
        let amount = self.request.amount.unwrap_or(authorisation.amount);
        let settlement = self.settlement_for(amount, &authorisation.currency)?;
        if !store::take_capture(write, authorisation.id, amount).await? {
            let current = store::operation_in(write, authorisation.id).await?.ok_or(Problem::new(Fault::Internal))?;
            return Err(if current.cancelled != 0 {
                Problem::at(Fault::Cancelled, "parent_operation_id")
            } else if current.captured > 0 {
                Problem::at(Fault::AlreadyCaptured, "parent_operation_id")
            } else {
                Problem::at(Fault::AboveAuthorised, "amount")
            });
        }
        let mut row = self.insert(write, Some(authorisation), amount, amount, true, None).await?;
        let details: Details = serde_json::from_str(&authorisation.details).unwrap_or_default();
        let charge = Posting {
            kind: "charge",
            card: card_of(authorisation),
            reference: reference(&self.request.merchant_reference, &authorisation.merchant_reference, row.id),
            settlement,
            details: &details,
            original_currency: &authorisation.currency,
            original_amount: amount,
            with_level3: true,
        };
        row.transaction_id = Some(self.post(write, row.id, charge, true).await?);
        Ok(row)
    }

    async fn refund(&self, write: &mut Write, capture: &OperationRow) -> Result<OperationRow, Problem> {
        let amount = self.request.amount.unwrap_or(capture.captured - capture.refunded);
        if amount <= 0 {
            return Err(Problem::at(Fault::AboveCaptured, "amount"));
        }
        let settlement = self.settlement_for(amount, &capture.currency)?;
        if !store::take_refund(write, capture.id, amount).await? {
            let current = store::operation_in(write, capture.id).await?.ok_or(Problem::new(Fault::Internal))?;
            return Err(if current.cancelled != 0 {
                Problem::at(Fault::Cancelled, "parent_operation_id")
            } else {
                Problem::at(Fault::AboveCaptured, "amount")
            });
        }
        let mut row = self.insert(write, Some(capture), amount, 0, true, None).await?;
        let details: Details = serde_json::from_str(&capture.details).unwrap_or_default();
        let refund = Posting {
            kind: "refund",
            card: card_of(capture),
            reference: reference(&self.request.merchant_reference, &capture.merchant_reference, row.id),
            settlement,
            details: &details,
            original_currency: &capture.currency,
            original_amount: amount,
            with_level3: false,
        };
        row.transaction_id = Some(self.post(write, row.id, refund, true).await?);
        Ok(row)
    }

    async fn cancel(&self, write: &mut Write, target: &OperationRow, kind: Kind) -> Result<OperationRow, Problem> {
        let captured = kind != Kind::Authorization;
        let charge = match (captured, target.transaction_id) {
            (true, Some(transaction)) => {
                let submission = ledger::submission_of(write, transaction).await?;
                let today = crate::clock::paris_today().to_string();
                match submission {
                    Some((id, day, true)) if day == today => Some((transaction, id)),
                    _ => return Err(Problem::at(Fault::AlreadySubmitted, "parent_operation_id")),
                }
            }
            _ => None,
        };
        if !store::take_cancellation(write, target.id, captured).await? {
            let current = store::operation_in(write, target.id).await?.ok_or(Problem::new(Fault::Internal))?;
            return Err(if current.cancelled != 0 {
                Problem::at(Fault::Cancelled, "parent_operation_id")
            } else {
                Problem::at(Fault::NotCancellable, "parent_operation_id")
            });
        }
        // A capture's cancellation returns what the charge carried in the settlement currency.
        let amount = match charge {
            Some((transaction, submission)) => {
                let carried = ledger::leave_submission(write, transaction).await?;
                let pricing = self.establishment.pricing.clone();
                ledger::add_to_submission(write, submission, -carried, -1, |total| rules::fees(&pricing, total))
                    .await?;
                carried
            }
            None => target.amount,
        };
        let mut row = self.insert(write, Some(target), target.amount, 0, true, None).await?;
        let details: Details = serde_json::from_str(&target.details).unwrap_or_default();
        let cancellation = Posting {
            kind: "cancellation",
            card: card_of(target),
            reference: reference(&self.request.merchant_reference, &target.merchant_reference, row.id),
            settlement: (amount, None),
            details: &details,
            // A cancelled capture returns the charge as it was settled.
            original_currency: if charge.is_some() { &self.establishment.currency } else { &target.currency },
            original_amount: amount,
            with_level3: false,
        };
        row.transaction_id = Some(self.post(write, row.id, cancellation, false).await?);
        Ok(row)
    }

    /// Writes an operation acting on `parent`, carrying the parent's card and details.
    async fn insert(
        &self,
        write: &mut Write,
        parent: Option<&OperationRow>,
        amount: i64,
        captured: i64,
        approved: bool,
        decline_reason: Option<&str>,
    ) -> Result<OperationRow, Problem> {
        let currency = parent.map(|p| p.currency.clone()).unwrap_or_default();
        let card = parent
            .and_then(|p| Some((p.card_masked.as_deref()?, p.card_last4.as_deref()?, p.card_expiry.as_deref()?, "")));
        let details = parent.map(|p| p.details.as_str()).unwrap_or("{}");
        let op = NewOperation {
            key_id: self.caller.key.id,
            establishment_id: self.establishment.id,
            kind: self.request.kind.as_str(),
            parent_id: parent.map(|p| p.id),
            approved,
            decline_reason,
            authorization_code: None,
            amount,
            currency: &currency,
            captured,
            card,
            merchant_reference: &self.request.merchant_reference,
            details,
            now: self.now,
        };
        let id = store::insert_operation(write, &op).await?;
        Ok(op.written(id, self.establishment))
    }

    /// The settlement amount of `amount` in the request's currency, and the rate when the
    /// currency is not the establishment's (then the gateway must give both).
    fn settlement(&self, amount: i64) -> Result<(i64, Option<String>), Problem> {
        self.settlement_for(amount, self.request.currency.as_deref().unwrap_or_default())
    }

    fn settlement_for(&self, amount: i64, currency: &str) -> Result<(i64, Option<String>), Problem> {
        if currency == self.establishment.currency {
            return Ok((amount, None));
        }
        match &self.request.settlement {
            Some(settlement) => Ok((settlement.amount, Some(settlement.rate.clone()))),
            None => Err(Problem::at(Fault::SettlementRequired, "settlement")),
        }
    }

    /// Writes the posting's transaction (in the day's submission when `submitted`) and links it
    /// to the operation `id`; the transaction's id.
    async fn post(&self, write: &mut Write, id: i64, posting: Posting<'_>, submitted: bool) -> Result<i64, Problem> {
        let establishment = self.establishment;
        let (amount, rate) = posting.settlement;
        let submission_id = if submitted {
            let day = ledger::DayOf {
                establishment_id: establishment.id,
                number: &establishment.number,
                currency: &establishment.currency,
                today: crate::clock::paris_today(),
                now: self.now,
            };
            let signed = if posting.kind == "refund" { -amount } else { amount };
            let pricing = &establishment.pricing;
            Some(ledger::add_to_day_submission(write, &day, signed, 1, |total| rules::fees(pricing, total)).await?)
        } else {
            None
        };
        let details = posting.details;
        let terms = match (posting.kind, details.plan_payments, details.plan_rate_basis_points) {
            ("charge", Some(payments), Some(rate)) => {
                terms::terms(posting.original_amount, payments, rate, payments).ok()
            }
            _ => None,
        };
        let tx = NewTransaction {
            establishment_id: establishment.id,
            occurred_at: self.now,
            card_masked: posting.card.0,
            card_last4: posting.card.1,
            amount,
            // Not converted (an authorisation cancelled before capture): its own currency.
            currency: if rate.is_none() { posting.original_currency } else { &establishment.currency },
            kind: posting.kind,
            reference: &posting.reference,
            sub_merchant: details.sub_merchant.as_ref(),
            card_on_file: details.card_on_file,
            recurring: details.recurring,
            terms,
            original: rate.as_deref().map(|rate| (posting.original_amount, posting.original_currency, rate)),
            level3: details.level3.as_ref().filter(|_| posting.with_level3),
            submission_id,
        };
        let transaction = ledger::insert_transaction(write, &tx).await?;
        store::set_transaction(write, id, transaction).await?;
        Ok(transaction)
    }
}

/// A transaction to write for an operation.
struct Posting<'a> {
    kind: &'static str,
    card: (&'a str, &'a str),
    reference: String,
    /// The amount in the settlement currency, and the rate when converted.
    settlement: (i64, Option<String>),
    details: &'a Details,
    original_currency: &'a str,
    original_amount: i64,
    with_level3: bool,
}

fn card_of(op: &OperationRow) -> (&str, &str) {
    (op.card_masked.as_deref().unwrap_or("***************"), op.card_last4.as_deref().unwrap_or("0000"))
}

/// A transaction's reference: the merchant's own, else its authorisation's, else the operation's.
fn reference(own: &str, parent: &str, id: i64) -> String {
    [own, parent].into_iter().find(|text| !text.is_empty()).map_or_else(|| format!("OP-{id}"), str::to_owned)
}

/// A new six-character authorisation code.
fn authorization_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..6).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}

/// An operation as the API shows it.
pub fn operation_json(row: &OperationRow) -> Value {
    serde_json::to_value(super::wire::Operation::from_row(row)).unwrap_or_default()
}

/// Payment terms as the API shows them.
pub fn terms_json(terms: &Terms, currency: &str) -> Value {
    serde_json::to_value(super::wire::PaymentTerms::new(terms, currency)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idempotency_keys_are_short_visible_text() {
        assert!(valid_idempotency_key("order-1-capture"));
        assert!(!valid_idempotency_key(""));
        assert!(!valid_idempotency_key("a b"));
        assert!(!valid_idempotency_key(&"x".repeat(256)));
    }

    #[test]
    fn a_reference_is_the_merchants_first() {
        assert_eq!(reference("A", "B", 3), "A");
        assert_eq!(reference("", "B", 3), "B");
        assert_eq!(reference("", "", 3), "OP-3");
        assert_eq!(authorization_code().len(), 6);
    }
}
