//! The daily digest: for users who chose it for a category, that category's notifications are
//! not emailed one by one but gathered into one email a day (sent from [`DIGEST_HOUR`], Paris
//! time), listing each notification's title and link.
//!
//! A user's waiting notifications are claimed in one statement, so two instances cannot send
//! the same ones; if sending fails they wait for the next run. The day a user's digest went out
//! is stored with the user: once a day holds across restarts and instances.

use crate::db::Db;
use crate::format::fill;
use crate::notifications::compose::{compose, Content};
use crate::notifications::delivery::message_id;
use crate::notifications::mailer::Mailer;
use crate::notifications::notices::Addressed;
use crate::notifications::store;
use leptos_i18n::td_string;

/// The hour (Paris time) from which the day's digests go out.
pub const DIGEST_HOUR: u32 = 7;
/// How long a claim keeps other instances away.
const LEASE_SECONDS: i64 = 300;

/// The digest email of `items` for their recipient.
pub fn digest_email(items: &[Addressed], public_url: &url::Url) -> Option<crate::notifications::mailer::Email> {
    let first = items.first()?;
    let locale = crate::format::locale(&first.language);
    let subject = match items.len() {
        1 => td_string!(locale, email_digest_subject_one).to_owned(),
        count => fill(td_string!(locale, email_digest_subject_many), &[("count", &count.to_string())]),
    };
    let mut paragraphs = vec![td_string!(locale, email_digest_intro).to_owned()];
    for item in items {
        let link = public_url.join(item.path().trim_start_matches('/')).map(String::from).unwrap_or_default();
        paragraphs.push(format!("• {} — {link}", item.title(&first.language)));
    }
    let label = td_string!(locale, email_digest_open);
    let all = public_url.join("notifications").map(String::from).unwrap_or_default();
    Some(compose(
        &first.email,
        &first.language,
        Content { subject: &subject, paragraphs: &paragraphs, link: Some((&all, label)) },
    ))
}

/// Sends every user's waiting digest; how many digests went out.
pub async fn send_digests(db: &Db, mailer: &Mailer, public_url: &url::Url, now: i64) -> Result<u64, sqlx::Error> {
    let today = crate::clock::paris_date(now);
    let users = store::users_awaiting_digest(db, today).await?;
    let host = public_url.host_str().unwrap_or("portal.invalid").to_owned();
    let mut sent = 0;
    for user in users {
        let claimed = store::claim_digest(db, user, today, now + LEASE_SECONDS).await?;
        let items = store::addressed_by_ids(db, &claimed).await?;
        let Some(email) = digest_email(&items, public_url) else { continue };
        // One Message-ID per digest: its first notification's, marked as a digest.
        let id = message_id(claimed[0], &host).replace("<notification-", "<digest-");
        let outcome = mailer.send_with_id(email, &id).await;
        let (state, error) = match &outcome {
            Ok(()) => ("sent", None),
            Err(error) => ("digest", Some(error.to_string())),
        };
        store::record_digest_attempt(db, (user, today), &claimed, now, error.as_deref(), state, &id).await?;
        match outcome {
            Ok(()) => sent += 1,
            Err(error) => tracing::warn!(user, %error, "daily digest not sent; tried again next run"),
        }
    }
    Ok(sent)
}
