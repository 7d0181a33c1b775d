//! The organisation administrator's user management: invite by email (with a role and, for
//! establishment users, their establishments), change a user's establishments, remove a user.
//! Every id is checked against the administrator's own organisation; anything else is "not
//! found".

use super::common::{check, sign_in};
use super::recovery::{find_token, issue_token};
use super::register::check_new_account;
use crate::accounts::caller::Caller;
use crate::accounts::model::{Flash, Notice, Problem, Role};
use crate::accounts::session_store::DbSessionStore;
use crate::accounts::store;
use crate::accounts::tokens::{self, Purpose};
use crate::accounts::{emails, password, rules};
use crate::services::Services;
use crate::web::reply::{answer, notify, Fields};
use crate::AppError;
use axum::extract::{Path, State};
use axum::response::Response;
use tower_sessions::Session;

const PAGE: &str = "/organisation/users";

/// The administered organisation a form names (or the caller's only one).
fn organisation(caller: &Caller, fields: &Fields) -> Result<i64, AppError> {
    let named = fields.get("organisation_id").parse::<i64>().ok();
    let organisation_id = named.or_else(|| caller.administered().first().copied()).ok_or(AppError::NotFound)?;
    caller.require_admin_of(organisation_id)?;
    Ok(organisation_id)
}

/// The establishment ids ticked in the form, each checked to belong to the organisation.
async fn establishments_of(services: &Services, organisation_id: i64, fields: &Fields) -> Result<Vec<i64>, AppError> {
    let mut ids = Vec::new();
    for value in fields.all("establishment_id") {
        let id: i64 = value.trim().parse().map_err(|_| AppError::NotFound)?;
        let owner = store::organisation_of_establishment(&services.db, id).await?;
        if owner != Some(organisation_id) {
            return Err(AppError::NotFound);
        }
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// The organisation a user belongs to, if it is one the caller administers.
async fn member_of_administered(services: &Services, caller: &Caller, user_id: i64) -> Result<i64, AppError> {
    for organisation_id in caller.administered() {
        if store::is_member_of_organisation(&services.db, user_id, organisation_id).await? {
            return Ok(organisation_id);
        }
    }
    Err(AppError::NotFound)
}

/// `POST /organisation/users/invite`
pub async fn invite(
    State(services): State<Services>,
    caller: Caller,
    session: Session,
    fields: Fields,
) -> Result<Response, AppError> {
    let organisation_id = organisation(&caller, &fields)?;
    let mut flash = fields.flash("invite", &["email", "role"]);
    let email = fields.get("email");
    check(&mut flash, "email", rules::check_email(&email));
    let role = Role::parse(&fields.get("role"));
    let establishments = establishments_of(&services, organisation_id, &fields).await?;
    match role {
        None => {
            flash.problems.insert("role".into(), Problem::Required);
        }
        Some(Role::EstablishmentUser) if establishments.is_empty() => {
            flash.problems.insert("establishment_id".into(), Problem::Required);
        }
        Some(_) => {}
    }
    let Some(role) = role.filter(|_| flash.problems.is_empty()) else {
        return answer(&session, flash, PAGE).await;
    };
    let now = crate::clock::now();
    let mut transaction = services.db.write().await?;
    // The invited user picks a username and password from the link; until then the account
    // has a placeholder name and no usable password.
    let placeholder = format!("invited-{}", &tokens::new_secret()[..16]);
    let user_id = store::insert_invited_user(&mut transaction, &placeholder, &email, &caller.language, now).await?;
    let scopes: Vec<Option<i64>> =
        if role == Role::EstablishmentUser { establishments.iter().copied().map(Some).collect() } else { vec![None] };
    for establishment_id in scopes {
        store::add_membership(&mut transaction, user_id, organisation_id, establishment_id, role, now).await?;
    }
    store::add_default_preferences(&mut transaction, user_id).await?;
    let organisation_name = store::organisation_name(&mut transaction, organisation_id).await?;
    transaction.commit().await?;
    let secret = issue_token(&services.db, user_id, Purpose::Invitation, None).await?;
    let link = services.link(&format!("/invitation?token={secret}"));
    services.mailer.send_in_background(emails::invitation(&email, &caller.language, &organisation_name, link));
    notify(&session, "invite", Notice::InvitationSent, PAGE).await
}

/// `POST /invitation`: the invited user chooses a username and password and is signed in.
pub async fn accept(State(services): State<Services>, session: Session, fields: Fields) -> Result<Response, AppError> {
    let secret = fields.get("token");
    let back =
        format!("/invitation?token={}", url::form_urlencoded::byte_serialize(secret.as_bytes()).collect::<String>());
    let mut flash = fields.flash("invitation", &["username"]);
    let Some(token) = find_token(&services.db, &secret, Purpose::Invitation).await? else {
        flash.problems.insert("token".into(), Problem::LinkInvalid);
        return answer(&session, flash, &back).await;
    };
    check_new_account(&services, &fields, &mut flash).await?;
    if !flash.problems.is_empty() {
        return answer(&session, flash, &back).await;
    }
    let hash = password::hash(fields.raw("password")).await?;
    let now = crate::clock::now();
    let mut transaction = services.db.write().await?;
    if !store::claim_token(&mut transaction, token.id, now).await? {
        flash.problems.insert("token".into(), Problem::LinkInvalid);
        return answer(&session, flash, &back).await;
    }
    store::accept_invitation(&mut transaction, token.user_id, &fields.get("username"), &hash, now).await?;
    transaction.commit().await?;
    sign_in(&session, token.user_id).await?;
    notify(&session, "summary", Notice::Registered, "/").await
}

/// `POST /organisation/users/{id}/establishments`: the establishments an establishment user
/// works for.
pub async fn assign(
    State(services): State<Services>,
    caller: Caller,
    session: Session,
    Path(user_id): Path<i64>,
    fields: Fields,
) -> Result<Response, AppError> {
    let organisation_id = member_of_administered(&services, &caller, user_id).await?;
    let establishments = establishments_of(&services, organisation_id, &fields).await?;
    let form = format!("user-{user_id}");
    if crate::accounts::store::org_settings::holds_headquarters_role(&services.db, user_id, organisation_id).await? {
        // Headquarters see every establishment already; a membership would make them answer as
        // an establishment user and bypass the local configuration.
        let mut flash = Flash::for_form(&form);
        flash.problems.insert("establishment_id".into(), Problem::EstablishmentsForEstablishmentUsers);
        return answer(&session, flash, PAGE).await;
    }
    if establishments.is_empty() {
        let mut flash = Flash::for_form(&form);
        flash.problems.insert("establishment_id".into(), Problem::Required);
        return answer(&session, flash, PAGE).await;
    }
    let now = crate::clock::now();
    let mut transaction = services.db.write().await?;
    store::replace_establishments_of_user(&mut transaction, user_id, organisation_id, &establishments, now).await?;
    transaction.commit().await?;
    notify(&session, &form, Notice::UserUpdated, PAGE).await
}

/// `POST /organisation/users/{id}/remove`: the user leaves the organisation; with no other
/// organisation left, the account is disabled and signed out everywhere.
pub async fn remove(
    State(services): State<Services>,
    caller: Caller,
    session: Session,
    Path(user_id): Path<i64>,
) -> Result<Response, AppError> {
    let organisation_id = member_of_administered(&services, &caller, user_id).await?;
    let form = format!("user-{user_id}");
    if user_id == caller.user_id {
        let mut flash = Flash::for_form(&form);
        flash.problems.insert("remove".into(), Problem::NotAllowed);
        return answer(&session, flash, PAGE).await;
    }
    let mut transaction = services.db.write().await?;
    store::remove_from_organisation(&mut transaction, user_id, organisation_id, crate::clock::now()).await?;
    transaction.commit().await?;
    DbSessionStore::end_sessions_of(&services.db, user_id, None).await?;
    notify(&session, "invite", Notice::UserRemoved, PAGE).await
}
