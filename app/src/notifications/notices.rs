//! Reading notifications with what they are about (a case or a payment): for the emails the
//! worker sends, the digest and the recipient's list in the app.

use crate::db::Db;
use crate::notifications::mailer::Email;
use crate::notifications::templates::{case_email, payment_email, CaseNotice, PaymentNotice};
use sqlx::Row;

/// What a notification is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum About {
    Case(CaseNotice),
    Payment(PaymentNotice),
}

/// A notification, its recipient and its subject.
#[derive(Debug, Clone)]
pub struct Addressed {
    pub id: i64,
    pub attempts: i64,
    pub created_at: i64,
    pub read: bool,
    pub email: String,
    pub language: String,
    pub about: About,
}

impl Addressed {
    /// Where the notification leads in the portal.
    pub fn path(&self) -> String {
        match &self.about {
            About::Case(case) => format!("/disputes/{}", case.case_number),
            About::Payment(_) => "/payments".to_owned(),
        }
    }

    /// The case number or the payment reference.
    pub fn key(&self) -> &str {
        match &self.about {
            About::Case(case) => &case.case_number,
            About::Payment(payment) => &payment.reference,
        }
    }

    /// The email to its recipient, in their language, linking to `public_url` + [`Addressed::path`].
    pub fn email(&self, public_url: &url::Url) -> Email {
        let link = public_url.join(self.path().trim_start_matches('/')).map(String::from).unwrap_or_default();
        match &self.about {
            About::Case(case) => case_email(&self.email, &self.language, case, &link),
            About::Payment(payment) => payment_email(&self.email, &self.language, payment, &link),
        }
    }

    /// Its title in `language` (the email's subject).
    pub fn title(&self, language: &str) -> String {
        match &self.about {
            About::Case(case) => case_email("", language, case, "").subject,
            About::Payment(payment) => payment_email("", language, payment, "").subject,
        }
    }
}

const SELECT: &str = "SELECT n.id, n.attempts, n.created_at, CASE WHEN n.read_at IS NULL THEN 0 ELSE 1 END AS read, \
            u.email, u.language, o.category, o.event, d.case_number, d.stage, d.status, \
            d.reason_code, d.disputed_amount, d.currency, d.reply_by, t.card_masked, \
            p.reference AS payment_reference, p.payment_date, p.net_amount, p.currency AS payment_currency, \
            e.trading_name, e.number \
     FROM notifications n \
     JOIN users u ON u.id = n.user_id \
     JOIN notification_outbox o ON o.id = n.outbox_id \
     JOIN establishments e ON e.id = o.establishment_id \
     LEFT JOIN disputes d ON d.id = o.dispute_id \
     LEFT JOIN transactions t ON t.id = d.transaction_id \
     LEFT JOIN payments p ON p.id = o.payment_id";

/// The row's notification, or `None` when it names neither a case nor a payment.
fn addressed(row: &sqlx::any::AnyRow) -> Result<Option<Addressed>, sqlx::Error> {
    let about = if let Some(case_number) = row.try_get::<Option<String>, _>("case_number")? {
        About::Case(CaseNotice {
            category: row.try_get("category")?,
            event: row.try_get("event")?,
            case_number,
            stage: row.try_get("stage")?,
            status: row.try_get("status")?,
            reason_code: row.try_get("reason_code")?,
            amount: row.try_get("disputed_amount")?,
            currency: row.try_get("currency")?,
            reply_by: row.try_get("reply_by")?,
            card_masked: row.try_get("card_masked")?,
            establishment: row.try_get("trading_name")?,
            establishment_number: row.try_get("number")?,
        })
    } else if let Some(reference) = row.try_get::<Option<String>, _>("payment_reference")? {
        About::Payment(PaymentNotice {
            event: row.try_get("event")?,
            reference,
            payment_date: row.try_get("payment_date")?,
            net_amount: row.try_get("net_amount")?,
            currency: row.try_get("payment_currency")?,
            establishment: row.try_get("trading_name")?,
            establishment_number: row.try_get("number")?,
        })
    } else {
        return Ok(None);
    };
    Ok(Some(Addressed {
        id: row.try_get("id")?,
        attempts: row.try_get("attempts")?,
        created_at: row.try_get("created_at")?,
        read: row.try_get::<i64, _>("read")? == 1,
        email: row.try_get("email")?,
        language: row.try_get("language")?,
        about,
    }))
}

fn collect(rows: &[sqlx::any::AnyRow]) -> Result<Vec<Addressed>, sqlx::Error> {
    Ok(rows.iter().map(addressed).collect::<Result<Vec<_>, _>>()?.into_iter().flatten().collect())
}

/// The notifications of `ids` that name a case or a payment, oldest first.
pub async fn by_ids(db: &Db, ids: &[i64]) -> Result<Vec<Addressed>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    // Ids are numbers read from the database, never user input.
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let rows = sqlx::query(&format!("{SELECT} WHERE n.id IN ({list}) ORDER BY n.id")).fetch_all(&db.pool).await?;
    collect(&rows)
}

/// A user's latest `limit` notifications, newest first.
pub async fn latest_for(db: &Db, user: i64, limit: i64) -> Result<Vec<Addressed>, sqlx::Error> {
    let rows = sqlx::query(&format!("{SELECT} WHERE n.user_id = $1 ORDER BY n.id DESC LIMIT $2"))
        .bind(user)
        .bind(limit)
        .fetch_all(&db.pool)
        .await?;
    collect(&rows)
}
