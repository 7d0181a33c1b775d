//! The organisation administrator's user management: which organisation an establishment or a
//! user belongs to, invitations and their acceptance, a user's establishments, removal. The ids
//! are checked against the administrator's organisations by the caller (`http::organisation`).

use crate::accounts::model::Role;
use crate::db::Db;
use sqlx::{Any, Transaction};

/// The organisation establishment `establishment_id` belongs to; `None` if there is no such
/// establishment.
pub async fn organisation_of_establishment(db: &Db, establishment_id: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT organisation_id FROM establishments WHERE id = $1")
        .bind(establishment_id)
        .fetch_optional(&db.pool)
        .await
}

/// Whether `user_id` holds any membership in `organisation_id`.
pub async fn is_member_of_organisation(db: &Db, user_id: i64, organisation_id: i64) -> Result<bool, sqlx::Error> {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM memberships WHERE user_id = $1 AND organisation_id = $2")
        .bind(user_id)
        .bind(organisation_id)
        .fetch_one(&db.pool)
        .await?;
    Ok(count > 0)
}

/// The name of `organisation_id`, inside the caller's transaction.
pub async fn organisation_name(
    transaction: &mut Transaction<'_, Any>,
    organisation_id: i64,
) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("SELECT name FROM organisations WHERE id = $1")
        .bind(organisation_id)
        .fetch_one(&mut **transaction)
        .await
}

/// An invited merchant user, created at `now` under the placeholder `username` and with no
/// usable password until the invitation is accepted; its id.
pub async fn insert_invited_user(
    transaction: &mut Transaction<'_, Any>,
    username: &str,
    email: &str,
    language: &str,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO users (username, email, password_hash, language, kind, password_changed_at, created_at) \
         VALUES ($1, $2, '!', $3, 'merchant', $4, $4) RETURNING id",
    )
    .bind(username)
    .bind(email)
    .bind(language)
    .bind(now)
    .fetch_one(&mut **transaction)
    .await
}

/// Makes `user_id` a member of `organisation_id` with `role`, over one establishment or (with
/// `None`) the whole organisation.
pub async fn add_membership(
    transaction: &mut Transaction<'_, Any>,
    user_id: i64,
    organisation_id: i64,
    establishment_id: Option<i64>,
    role: Role,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO memberships (user_id, organisation_id, establishment_id, role, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(user_id)
        .bind(organisation_id)
        .bind(establishment_id)
        .bind(role.as_str())
        .bind(now)
        .execute(&mut **transaction)
        .await
        .map(|_| ())
}

/// The invited user's chosen username and password hash, set at `now`.
pub async fn accept_invitation(
    transaction: &mut Transaction<'_, Any>,
    user_id: i64,
    username: &str,
    password_hash: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET username = $2, password_hash = $3, password_changed_at = $4 WHERE id = $1")
        .bind(user_id)
        .bind(username)
        .bind(password_hash)
        .bind(now)
        .execute(&mut **transaction)
        .await
        .map(|_| ())
}

/// Makes `user_id` an establishment user of exactly `establishments` in `organisation_id` (its
/// other establishment memberships there end), inside the caller's transaction.
pub async fn replace_establishments_of_user(
    transaction: &mut Transaction<'_, Any>,
    user_id: i64,
    organisation_id: i64,
    establishments: &[i64],
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM memberships WHERE user_id = $1 AND organisation_id = $2 AND role = 'establishment_user'")
        .bind(user_id)
        .bind(organisation_id)
        .execute(&mut **transaction)
        .await?;
    for &establishment_id in establishments {
        sqlx::query(
            "INSERT INTO memberships (user_id, organisation_id, establishment_id, role, created_at) VALUES ($1, $2, $3, 'establishment_user', $4)",
        )
        .bind(user_id)
        .bind(organisation_id)
        .bind(establishment_id)
        .bind(now)
        .execute(&mut **transaction)
        .await?;
    }
    Ok(())
}

/// Ends every membership of `user_id` in `organisation_id`; a user left without any is
/// disabled at `now`.
pub async fn remove_from_organisation(
    transaction: &mut Transaction<'_, Any>,
    user_id: i64,
    organisation_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM memberships WHERE user_id = $1 AND organisation_id = $2")
        .bind(user_id)
        .bind(organisation_id)
        .execute(&mut **transaction)
        .await?;
    sqlx::query(
        "UPDATE users SET disabled_at = $2 WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM memberships WHERE user_id = $1)",
    )
    .bind(user_id)
    .bind(now)
    .execute(&mut **transaction)
    .await
    .map(|_| ())
}
