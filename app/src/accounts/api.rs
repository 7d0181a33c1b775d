//! What the account pages read: the account summary, the profile and the organisation's users,
//! each for the request's [`Caller`](super::caller::Caller).

use super::model::{AccountSummary, OrganisationUsers, Profile};
use crate::web::context as server;
use crate::AppError;

/// The account summary: every establishment the caller can see.
pub async fn load_account_summary() -> Result<AccountSummary, AppError> {
    use super::model::EstablishmentSummary;
    use sqlx::Row;
    let caller = server::caller()?;
    let services = server::services()?;
    let mut establishments = Vec::new();
    for scope in &caller.establishments {
        let row = sqlx::query(
            "SELECT e.number, e.trading_name, e.city, CASE WHEN e.dispute_subscribed THEN 1 ELSE 0 END AS dispute_subscribed, \
             CASE WHEN e.paperless THEN 1 ELSE 0 END AS paperless, o.name AS organisation \
             FROM establishments e JOIN organisations o ON o.id = e.organisation_id WHERE e.id = $1",
        )
        .bind(scope.id)
        .fetch_one(&services.db.pool)
        .await?;
        establishments.push(EstablishmentSummary {
            id: scope.id,
            number: row.try_get("number")?,
            trading_name: row.try_get("trading_name")?,
            city: row.try_get("city")?,
            organisation: row.try_get("organisation")?,
            dispute_subscribed: row.try_get::<i64, _>("dispute_subscribed")? != 0,
            paperless: row.try_get::<i64, _>("paperless")? != 0,
            can_activate: scope.can_manage(),
        });
    }
    Ok(AccountSummary { username: caller.username, establishments })
}

/// The profile page's values, and the business details of the establishments the caller manages.
pub async fn load_profile() -> Result<(Profile, Vec<(i64, String, [String; 4])>), AppError> {
    use super::model::NotificationSetting;
    use crate::notifications::category::Category;
    use sqlx::Row;
    let caller = server::caller()?;
    let services = server::services()?;
    let row = sqlx::query(
        "SELECT username, email, pending_email, full_name, language, CASE WHEN comm_email THEN 1 ELSE 0 END AS comm_email, \
         CASE WHEN comm_post THEN 1 ELSE 0 END AS comm_post, CASE WHEN comm_phone THEN 1 ELSE 0 END AS comm_phone FROM users WHERE id = $1",
    )
    .bind(caller.user_id)
    .fetch_one(&services.db.pool)
    .await?;
    // Booleans are read as integers: sqlx's Any driver cannot decode SQLite's BOOLEAN.
    let saved: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT category, CASE WHEN enabled THEN 1 ELSE 0 END, CASE WHEN daily_digest THEN 1 ELSE 0 END FROM notification_preferences WHERE user_id = $1",
    )
            .bind(caller.user_id)
            .fetch_all(&services.db.pool)
            .await?;
    let notifications = Category::ALL
        .iter()
        .map(|category| {
            let found = saved.iter().find(|(name, _, _)| name == category.as_str());
            NotificationSetting {
                category: category.as_str().to_owned(),
                enabled: found.is_none_or(|(_, enabled, _)| *enabled != 0),
                daily_digest: found.is_some_and(|(_, _, digest)| *digest != 0),
            }
        })
        .collect();
    let mut businesses = Vec::new();
    for scope in caller.establishments.iter().filter(|scope| scope.can_manage()) {
        let (name, address, postcode, city, phone): (String, String, String, String, String) = sqlx::query_as(
            "SELECT trading_name, address_line, postcode, city, phone FROM establishments WHERE id = $1",
        )
        .bind(scope.id)
        .fetch_one(&services.db.pool)
        .await?;
        businesses.push((scope.id, name, [address, postcode, city, phone]));
    }
    let profile = Profile {
        username: row.try_get("username")?,
        email: row.try_get("email")?,
        pending_email: row.try_get("pending_email")?,
        full_name: row.try_get("full_name")?,
        language: row.try_get("language")?,
        comm_email: row.try_get::<i64, _>("comm_email")? != 0,
        comm_post: row.try_get::<i64, _>("comm_post")? != 0,
        comm_phone: row.try_get::<i64, _>("comm_phone")? != 0,
        notifications,
        is_merchant: !caller.is_staff(),
    };
    Ok((profile, businesses))
}

/// The users of the organisation the caller administers.
pub async fn load_organisation_users() -> Result<OrganisationUsers, AppError> {
    use super::model::{OrganisationUser, Role};
    let caller = server::caller()?;
    let services = server::services()?;
    let organisation_id = *caller.administered().first().ok_or(AppError::NotFound)?;
    let organisation: String = sqlx::query_scalar("SELECT name FROM organisations WHERE id = $1")
        .bind(organisation_id)
        .fetch_one(&services.db.pool)
        .await?;
    let establishments: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, trading_name FROM establishments WHERE organisation_id = $1 ORDER BY number")
            .bind(organisation_id)
            .fetch_all(&services.db.pool)
            .await?;
    let rows: Vec<(i64, String, String, String, Option<i64>)> = sqlx::query_as(
        "SELECT u.id, u.username, u.email, m.role, m.establishment_id FROM memberships m JOIN users u ON u.id = m.user_id \
         WHERE m.organisation_id = $1 AND u.disabled_at IS NULL ORDER BY u.username, m.establishment_id",
    )
    .bind(organisation_id)
    .fetch_all(&services.db.pool)
    .await?;
    let mut users: Vec<OrganisationUser> = Vec::new();
    for (id, username, email, role, establishment_id) in rows {
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
