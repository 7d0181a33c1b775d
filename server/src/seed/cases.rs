//! Disputes for the seed: each case consistent with its stage and status — dates, requested
//! documents, responses, decisions, the timeline, and the adjustments a chargeback causes.

use super::ids::Ids;
use super::ledger::{Charge, PendingAdjustment};
use super::rows::{row, Batch, V};
use app::clock::{paris_date, paris_instant};
use app::disputes::reason_codes::{self, CodeKind};
use chrono::{Datelike, Duration, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use sqlx::AnyConnection;

/// Days a merchant has to reply unless a case says otherwise.
pub const REPLY_DAYS: i64 = 20;
/// Open cases with this many days left, or fewer, are urgent.
pub const URGENT_DAYS: i64 = 3;

/// One case to generate. `due_in` fixes the days left of an open case (random otherwise).
#[derive(Debug, Clone, Copy)]
pub struct CaseSpec {
    pub stage: &'static str,
    pub status: &'static str,
    pub due_in: Option<i64>,
}

pub const fn case(stage: &'static str, status: &'static str) -> CaseSpec {
    CaseSpec { stage, status, due_in: None }
}

pub const fn due(stage: &'static str, status: &'static str, days: i64) -> CaseSpec {
    CaseSpec { stage, status, due_in: Some(days) }
}

/// Who the cases belong to and who acts on them.
pub struct CaseContext<'a> {
    pub establishment_id: i64,
    pub number: &'a str,
    pub french: bool,
    pub currency: &'a str,
    pub today: NaiveDate,
    pub now: i64,
    pub merchant_user_id: i64,
    pub merchant_role: &'static str,
    pub analyst_user_id: i64,
}

/// The rows of generated cases, and the adjustments they cause.
#[derive(Default)]
pub struct Cases {
    disputes: Vec<Vec<V>>,
    requested: Vec<Vec<V>>,
    responses: Vec<Vec<V>>,
    decisions: Vec<Vec<V>>,
    events: Vec<Vec<V>>,
    pub adjustments: Vec<PendingAdjustment>,
}

/// The dates of one case.
struct Timeline {
    opened: NaiveDate,
    reply_by: NaiveDate,
    submitted: Option<NaiveDate>,
    closed: Option<NaiveDate>,
}

fn is_open(status: &str) -> bool {
    matches!(status, "needs_response" | "draft_saved" | "info_requested")
}

fn timeline(spec: &CaseSpec, today: NaiveDate, rng: &mut ChaCha8Rng) -> Timeline {
    let days = Duration::days;
    match spec.status {
        "needs_response" | "draft_saved" => {
            let reply_by = today + days(spec.due_in.unwrap_or_else(|| rng.random_range(4..=19)));
            Timeline { opened: reply_by - days(REPLY_DAYS), reply_by, submitted: None, closed: None }
        }
        "info_requested" => {
            let reply_by = today + days(spec.due_in.unwrap_or_else(|| rng.random_range(4..=9)));
            let opened = today - days(rng.random_range(21..=30));
            Timeline { opened, reply_by, submitted: Some(opened + days(5)), closed: None }
        }
        "under_review" => {
            let opened = today - days(rng.random_range(8..=19));
            Timeline {
                opened,
                reply_by: opened + days(REPLY_DAYS),
                submitted: Some(opened + days(rng.random_range(1..=7))),
                closed: None,
            }
        }
        "expired" => {
            let opened = today - days(spec.due_in.map_or_else(|| rng.random_range(22..=45), |d| REPLY_DAYS - d));
            let reply_by = opened + days(REPLY_DAYS);
            Timeline { opened, reply_by, submitted: None, closed: Some(reply_by + days(1)) }
        }
        // accepted, won, lost
        _ => {
            let opened = today - days(rng.random_range(25..=50));
            let submitted = (spec.status != "accepted").then(|| opened + days(rng.random_range(2..=9)));
            Timeline {
                opened,
                reply_by: opened + days(REPLY_DAYS),
                submitted,
                closed: Some(opened + days(rng.random_range(10..=18))),
            }
        }
    }
}

fn pick_reason(stage: &str, rng: &mut ChaCha8Rng) -> &'static str {
    let kind = if stage == "inquiry" { CodeKind::Inquiry } else { CodeKind::Chargeback };
    let choices: Vec<_> = reason_codes::ALL
        .iter()
        .filter(|reason| reason.kind == kind && reason.code != reason_codes::NO_REPLY && reason.code != "M01")
        .collect();
    choices[rng.random_range(0..choices.len())].code
}

/// A charge made before `opened`, chosen at random among those.
fn pick_charge(charges: &[Charge], opened: NaiveDate, rng: &mut ChaCha8Rng) -> Charge {
    let limit = paris_instant(opened - Duration::days(1), 0, 0);
    let eligible = charges.partition_point(|charge| charge.occurred_at < limit).max(1);
    charges[rng.random_range(0..eligible)]
}

impl Cases {
    /// Generates one case per spec, on the establishment's charges.
    pub fn generate(
        context: &CaseContext,
        charges: &[Charge],
        specs: &[CaseSpec],
        rng: &mut ChaCha8Rng,
        ids: &mut Ids,
    ) -> Cases {
        let mut cases = Cases::default();
        if charges.is_empty() {
            return cases;
        }
        for spec in specs {
            let dates = timeline(spec, context.today, rng);
            let charge = pick_charge(charges, dates.opened, rng);
            let reason = pick_reason(spec.stage, rng);
            let id = cases.add(context, spec.stage, spec.status, reason, &dates, charge, None, ids);
            if spec.stage == "inquiry" && spec.status == "expired" {
                // An unanswered inquiry became exactly one R13 chargeback the day after its deadline.
                let opened = dates.reply_by + Duration::days(1);
                let reply_by = opened + Duration::days(REPLY_DAYS);
                let (status, closed) = if reply_by >= context.today {
                    ("needs_response", None)
                } else {
                    ("expired", Some(reply_by + Duration::days(1)))
                };
                let child = Timeline { opened, reply_by, submitted: None, closed };
                cases.add(context, "chargeback", status, reason_codes::NO_REPLY, &child, charge, Some(id), ids);
            }
        }
        cases
    }

    #[expect(clippy::too_many_arguments, reason = "one case's every attribute, used once per case")]
    fn add(
        &mut self,
        context: &CaseContext,
        stage: &'static str,
        status: &'static str,
        reason: &'static str,
        dates: &Timeline,
        charge: Charge,
        parent: Option<i64>,
        ids: &mut Ids,
    ) -> i64 {
        let id = ids.next("disputes");
        let opened_at = paris_instant(dates.opened, 9, 0);
        let closed_at = dates.closed.map(|date| paris_instant(date, 10, 0));
        let days_left = (dates.reply_by - context.today).num_days();
        let urgent = (is_open(status) && days_left <= URGENT_DAYS).then_some(context.now);
        let merchant_scope = context.number.to_owned();
        let event =
            |ids: &mut Ids, action: &str, at: i64, actor: Option<i64>, role: &str, scope: &str, detail: String| {
                row![ids.next("case_events"), id, at, actor, role, scope, action, detail]
            };
        let mut events = vec![match parent {
            Some(inquiry) => {
                event(ids, "opened", opened_at, None, "system", "system", format!("R13: inquiry {inquiry} unanswered"))
            }
            None => event(
                ids,
                "opened",
                opened_at,
                Some(context.analyst_user_id),
                "dispute_analyst",
                "network",
                String::new(),
            ),
        }];
        let author = (Some(context.merchant_user_id), context.merchant_role, merchant_scope.as_str());
        let round_submitted = dates.submitted.map(|date| paris_instant(date, 11, 30));
        let french = context.french;
        let code = reason_codes::find(reason).expect("seeded codes exist");
        let documents = code.document_list(if french { app::i18n::Locale::fr } else { app::i18n::Locale::en });
        let ticked_all = round_submitted.is_some();
        for (position, description) in documents.iter().enumerate() {
            let ticked = ticked_all || (status == "draft_saved" && position == 0);
            self.requested.push(row![ids.next("requested_documents"), id, position as i64, *description, ticked]);
        }

        let comments = if french {
            "Commande livrée le lendemain, preuve de livraison signée jointe."
        } else {
            "Order delivered the next day; signed proof of delivery attached."
        };
        match status {
            "draft_saved" => {
                let at = opened_at + 2 * 86_400;
                self.responses.push(row![
                    ids.next("responses"),
                    id,
                    1i64,
                    "draft",
                    comments,
                    context.merchant_user_id,
                    None::<String>,
                    at,
                    at,
                    None::<i64>
                ]);
                events.push(event(ids, "draft_saved", at, author.0, author.1, author.2, String::new()));
            }
            "under_review" | "info_requested" | "won" | "lost" => {
                let at = round_submitted.expect("a decided or reviewed case was answered");
                self.responses.push(row![
                    ids.next("responses"),
                    id,
                    1i64,
                    "submitted",
                    comments,
                    context.merchant_user_id,
                    None::<String>,
                    at - 3_600,
                    at,
                    Some(at)
                ]);
                events.push(event(ids, "submitted", at, author.0, author.1, author.2, String::new()));
            }
            _ => {}
        }
        match status {
            "info_requested" => {
                let at = paris_instant(context.today - Duration::days(2), 15, 0);
                let note = if french {
                    "Merci de joindre la facture détaillée."
                } else {
                    "Please attach the itemised invoice."
                };
                self.decisions.push(row![
                    ids.next("decisions"),
                    id,
                    context.analyst_user_id,
                    "info_requested",
                    note,
                    Some(dates.reply_by.to_string()),
                    at
                ]);
                events.push(event(
                    ids,
                    "info_requested",
                    at,
                    Some(context.analyst_user_id),
                    "dispute_analyst",
                    "network",
                    note.to_owned(),
                ));
            }
            "won" | "lost" => {
                let at = closed_at.expect("decided cases are closed");
                let outcome = if status == "won" { "merchant" } else { "cardholder" };
                self.decisions.push(row![
                    ids.next("decisions"),
                    id,
                    context.analyst_user_id,
                    outcome,
                    "",
                    None::<String>,
                    at
                ]);
                events.push(event(
                    ids,
                    "decided",
                    at,
                    Some(context.analyst_user_id),
                    "dispute_analyst",
                    "network",
                    outcome.to_owned(),
                ));
            }
            "accepted" => {
                let at = closed_at.expect("accepted cases are closed");
                events.push(event(ids, "accepted", at, author.0, author.1, author.2, String::new()));
            }
            "expired" => {
                let at = closed_at.expect("expired cases are closed");
                events.push(event(ids, "expired", at, None, "system", "system", String::new()));
            }
            _ => {}
        }
        if urgent.is_some() {
            events.push(event(ids, "urgent", context.now, None, "system", "system", String::new()));
        }

        let amount = charge.amount;
        let case_number = format!("LIT-{}-{id:07}", dates.opened.year());
        let mut settle = |kind: &'static str, signed: i64, at: i64, label: String| {
            self.adjustments.push(PendingAdjustment {
                id: ids.next("adjustments"),
                dispute_id: id,
                kind,
                amount: signed,
                date: paris_date(at),
                at,
                label,
            });
        };
        if stage == "chargeback" {
            settle("chargeback", -amount, opened_at, format!("Débit compensatoire {case_number}"));
            if status == "won" {
                settle(
                    "chargeback_reversal",
                    amount,
                    closed_at.unwrap_or(opened_at),
                    format!("Annulation du débit {case_number}"),
                );
            }
        } else if status == "accepted" {
            settle(
                "refund_accepted",
                -amount,
                closed_at.unwrap_or(opened_at),
                format!("Remboursement accepté {case_number}"),
            );
        }
        let updated_at = closed_at.or(urgent).or(round_submitted).unwrap_or(opened_at);
        // Every change after opening increments the version.
        let version = events.len() as i64 - 1;
        self.disputes.push(row![
            id,
            case_number,
            context.establishment_id,
            charge.id,
            parent,
            stage,
            status,
            reason,
            amount,
            context.currency,
            opened_at,
            dates.reply_by.to_string(),
            urgent,
            closed_at,
            version,
            updated_at
        ]);
        self.events.extend(events);
        id
    }

    /// How many cases were generated.
    pub fn len(&self) -> usize {
        self.disputes.len()
    }

    /// Writes the cases and everything that hangs off them.
    pub async fn write(self, connection: &mut AnyConnection) -> Result<(), sqlx::Error> {
        Batch::new(
            "disputes",
            &[
                "id",
                "case_number",
                "establishment_id",
                "transaction_id",
                "parent_dispute_id",
                "stage",
                "status",
                "reason_code",
                "disputed_amount",
                "currency",
                "opened_at",
                "reply_by",
                "urgent_marked_at",
                "closed_at",
                "version",
                "updated_at",
            ],
        )
        .write_all(connection, self.disputes)
        .await?;
        Batch::new("requested_documents", &["id", "dispute_id", "position", "description", "ticked"])
            .write_all(connection, self.requested)
            .await?;
        Batch::new(
            "responses",
            &[
                "id",
                "dispute_id",
                "round",
                "state",
                "comments",
                "author_user_id",
                "idempotency_key",
                "created_at",
                "updated_at",
                "submitted_at",
            ],
        )
        .write_all(connection, self.responses)
        .await?;
        Batch::new(
            "decisions",
            &["id", "dispute_id", "analyst_user_id", "outcome", "note", "new_reply_by", "decided_at"],
        )
        .write_all(connection, self.decisions)
        .await?;
        Batch::new(
            "case_events",
            &["id", "dispute_id", "at", "actor_user_id", "actor_role", "actor_scope", "action", "detail"],
        )
        .write_all(connection, self.events)
        .await?;
        Ok(())
    }
}
