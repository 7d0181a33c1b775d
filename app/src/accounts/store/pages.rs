//! What the account pages read: the account summary, the profile and the organisation's users.
//! Each function takes the ids the page chose from its caller's scope.

use crate::accounts::model::{AccountSummary, OrganisationUsers, Profile};
use crate::db::Db;

#[derive(sqlx::FromRow)]
struct EstablishmentRow {
    number: String,
    trading_name: String,
    city: String,
    organisation: String,
    dispute_subscribed: i64,
    paperless: i64,
}

#[derive(sqlx::FromRow)]
struct ProfileRow {
    username: String,
    email: String,
    pending_email: Option<String>,
    full_name: String,
    language: String,
    comm_email: i64,
    comm_post: i64,
    comm_phone: i64,
}

#[derive(sqlx::FromRow)]
struct PreferenceRow {
    category: String,
    enabled: i64,
    daily_digest: i64,
}

#[derive(sqlx::FromRow)]
struct BusinessRow {
    trading_name: String,
    address_line: String,
    postcode: String,
    city: String,
    phone: String,
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    id: i64,
    username: String,
    email: String,
    role: String,
    establishment_id: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct EstablishmentNameRow {
    id: i64,
    trading_name: String,
}

/// The account summary of `username`: each of `establishments` (its id, and whether this user
/// may activate online dispute management there), in the order given.
pub async fn account_summary(
    db: &Db,
    username: &str,
    establishments: &[(i64, bool)],
) -> Result<AccountSummary, sqlx::Error> {
    use crate::accounts::model::EstablishmentSummary;
    let mut summaries = Vec::new();
    for &(id, can_activate) in establishments {
        let row: EstablishmentRow = sqlx::query_as(
            "SELECT e.number, e.trading_name, e.city, CASE WHEN e.dispute_subscribed THEN 1 ELSE 0 END AS dispute_subscribed, \
             CASE WHEN e.paperless THEN 1 ELSE 0 END AS paperless, o.name AS organisation \
             FROM establishments e JOIN organisations o ON o.id = e.organisation_id WHERE e.id = $1",
        )
        .bind(id)
        .fetch_one(&db.pool)
        .await?;
        summaries.push(EstablishmentSummary {
            id,
            number: row.number,
            trading_name: row.trading_name,
            city: row.city,
            organisation: row.organisation,
            dispute_subscribed: row.dispute_subscribed != 0,
            paperless: row.paperless != 0,
            can_activate,
        });
    }
    Ok(AccountSummary { username: username.to_owned(), establishments: summaries })
}

/// The profile page's values of user `user_id`; a category without a saved preference is on,
/// without the digest.
pub async fn profile_of_user(db: &Db, user_id: i64, is_merchant: bool) -> Result<Profile, sqlx::Error> {
    use crate::accounts::model::NotificationSetting;
    use crate::notifications::category::Category;
    let row: ProfileRow = sqlx::query_as(
        "SELECT username, email, pending_email, full_name, language, CASE WHEN comm_email THEN 1 ELSE 0 END AS comm_email, \
         CASE WHEN comm_post THEN 1 ELSE 0 END AS comm_post, CASE WHEN comm_phone THEN 1 ELSE 0 END AS comm_phone \
         FROM users WHERE id = $1",
    )
    .bind(user_id)
    .fetch_one(&db.pool)
    .await?;
    let saved: Vec<PreferenceRow> = sqlx::query_as(
        "SELECT category, CASE WHEN enabled THEN 1 ELSE 0 END AS enabled, \
         CASE WHEN daily_digest THEN 1 ELSE 0 END AS daily_digest FROM notification_preferences WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?;
    let notifications = Category::ALL
        .iter()
        .map(|category| {
            let found = saved.iter().find(|saved| saved.category == category.as_str());
            NotificationSetting {
                category: category.as_str().to_owned(),
                enabled: found.is_none_or(|saved| saved.enabled != 0),
                daily_digest: found.is_some_and(|saved| saved.daily_digest != 0),
            }
        })
        .collect();
    Ok(Profile {
        username: row.username,
        email: row.email,
        pending_email: row.pending_email,
        full_name: row.full_name,
        language: row.language,
        comm_email: row.comm_email != 0,
        comm_post: row.comm_post != 0,
        comm_phone: row.comm_phone != 0,
        notifications,
        is_merchant,
    })
}

/// The business details of `establishments`, in the order given: each one's id, trading name
/// and `[address line, postcode, city, phone]`.
pub async fn business_details_of_establishments(
    db: &Db,
    establishments: &[i64],
) -> Result<Vec<(i64, String, [String; 4])>, sqlx::Error> {
    let mut businesses = Vec::new();
    for &id in establishments {
        let business: BusinessRow = sqlx::query_as(
            "SELECT trading_name, address_line, postcode, city, phone FROM establishments WHERE id = $1",
        )
        .bind(id)
        .fetch_one(&db.pool)
        .await?;
        let details = [business.address_line, business.postcode, business.city, business.phone];
        businesses.push((id, business.trading_name, details));
    }
    Ok(businesses)
}

/// The users of organisation `organisation_id` not disabled, with their highest role and
/// establishments, and the organisation's establishments.
pub async fn users_of_organisation(db: &Db, organisation_id: i64) -> Result<OrganisationUsers, sqlx::Error> {
    use crate::accounts::model::{OrganisationUser, Role};
    let organisation: String = sqlx::query_scalar("SELECT name FROM organisations WHERE id = $1")
        .bind(organisation_id)
        .fetch_one(&db.pool)
        .await?;
    let establishments: Vec<EstablishmentNameRow> =
        sqlx::query_as("SELECT id, trading_name FROM establishments WHERE organisation_id = $1 ORDER BY number")
            .bind(organisation_id)
            .fetch_all(&db.pool)
            .await?;
    let establishments = establishments.into_iter().map(|row| (row.id, row.trading_name)).collect();
    let rows: Vec<MemberRow> = sqlx::query_as(
        "SELECT u.id, u.username, u.email, m.role, m.establishment_id FROM memberships m JOIN users u ON u.id = m.user_id \
         WHERE m.organisation_id = $1 AND u.disabled_at IS NULL ORDER BY u.username, m.establishment_id",
    )
    .bind(organisation_id)
    .fetch_all(&db.pool)
    .await?;
    let mut users: Vec<OrganisationUser> = Vec::new();
    for MemberRow { id, username, email, role, establishment_id } in rows {
        let role = Role::parse(&role).unwrap_or(Role::EstablishmentUser);
        match users.iter_mut().find(|user| user.id == id) {
            Some(user) => {
                user.role = user.role.max(role);
                user.establishment_ids.extend(establishment_id);
            }
            None => users.push(OrganisationUser {
                id,
                username,
                email,
                role,
                establishment_ids: establishment_id.into_iter().collect(),
            }),
        }
    }
    Ok(OrganisationUsers { organisation_id, organisation, establishments, users })
}
