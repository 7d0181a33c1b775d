//! The benchmark establishment: one establishment with 1,000,000 transactions over 75 days and
//! 100,000 disputes in a realistic mix of stages and statuses.

use super::cases::{case, CaseContext, CaseSpec, Cases};
use super::demo::DemoUser;
use super::ids::Ids;
use super::ledger::{Ledger, LedgerSpec, Pricing, Volume};
use super::rows::{row, Batch};
use super::{SeedError, SeedReport};
use chrono::NaiveDate;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sqlx::AnyConnection;

pub const NUMBER: &str = "9421999990";
pub const TRANSACTIONS: u64 = 1_000_000;
pub const DISPUTES: usize = 100_000;
const USER: DemoUser = DemoUser {
    username: "bench",
    full_name: "Banc d'essai",
    kind: "merchant",
    role: Some("establishment_user"),
    scope: NUMBER,
    language: "fr",
};

/// The mix of cases, in percent (expired inquiries are left out: each would add an R13 case).
fn spec_for(roll: u32) -> CaseSpec {
    match roll {
        0..=7 => case("inquiry", "needs_response"),
        8..=11 => case("chargeback", "needs_response"),
        12..=14 => case("inquiry", "draft_saved"),
        15..=24 => case("chargeback", "under_review"),
        25..=27 => case("inquiry", "info_requested"),
        28..=42 => case("inquiry", "accepted"),
        43..=67 => case("chargeback", "won"),
        68..=92 => case("chargeback", "lost"),
        _ => case("chargeback", "expired"),
    }
}

pub async fn load(
    connection: &mut AnyConnection,
    ids: &mut Ids,
    today: NaiveDate,
    now: i64,
) -> Result<SeedReport, SeedError> {
    let present: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM establishments WHERE number = $1")
        .bind(NUMBER)
        .fetch_one(&mut *connection)
        .await?;
    if present > 0 {
        return Err(SeedError::BenchPresent);
    }
    let analyst: i64 = sqlx::query_scalar("SELECT id FROM users WHERE kind = 'dispute_analyst' ORDER BY id LIMIT 1")
        .fetch_one(&mut *connection)
        .await?;

    let organisation_id = ids.next("organisations");
    Batch::new("organisations", &["id", "name", "dispute_config", "created_at"])
        .write_all(connection, [row![organisation_id, "Entrepôts Banc d'essai", "central", now]])
        .await?;
    let establishment_id = ids.next("establishments");
    let code = app::accounts::activation::new_code();
    Batch::new(
        "establishments",
        &[
            "id",
            "organisation_id",
            "number",
            "trading_name",
            "pricing",
            "paperless",
            "dispute_subscribed",
            "dispute_subscribed_at",
            "activation_code_hash",
            "activation_code_expires_at",
            "created_at",
        ],
    )
    .write_all(
        connection,
        [row![
            establishment_id,
            organisation_id,
            NUMBER,
            "Entrepôt Banc d'essai",
            "net",
            true,
            true,
            Some(now),
            Some(app::accounts::activation::hash(&code)),
            now + app::accounts::activation::LIFETIME_SECONDS,
            now
        ]],
    )
    .await?;
    let users = super::write_users(connection, ids, std::slice::from_ref(&USER), now, |_| {
        Some((organisation_id, Some(establishment_id)))
    })
    .await?;

    let spec = LedgerSpec {
        establishment_id,
        number: NUMBER.to_owned(),
        pricing: Pricing::Net,
        anniversary: (1, 1),
        transaction_days: 75,
        volume: Volume::Total(TRANSACTIONS),
        cards: 50_000,
    };
    let ledger = Ledger::plan(spec, today, ids);
    let mut rng = ChaCha8Rng::seed_from_u64(99);
    let specs: Vec<CaseSpec> = (0..DISPUTES).map(|_| spec_for(rng.random_range(0..100))).collect();
    let context = CaseContext {
        establishment_id,
        number: NUMBER,
        french: true,
        currency: "EUR",
        today,
        now,
        merchant_user_id: users[0].1,
        merchant_role: "establishment_user",
        analyst_user_id: analyst,
    };
    let cases = Cases::generate(&context, &ledger.charges, &specs, &mut rng, ids);
    let mut report =
        SeedReport { organisations: 1, establishments: 1, disputes: cases.len() as u64, ..SeedReport::default() };
    let settlement = ledger.write_money(connection, ids, cases.adjustments.clone(), "EUR").await?;
    cases.write(connection).await?;
    report.transactions = ledger.write_settlement(connection, ids, settlement).await?;
    report.users.push((USER.username.to_owned(), USER.password(), format!("establishment user, {NUMBER} (benchmark)")));
    report.activation_codes.push((NUMBER.to_owned(), "Entrepôt Banc d'essai".to_owned(), code));
    Ok(report)
}
