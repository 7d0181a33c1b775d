//! The key management forms: platform administrators issue and revoke gateway keys
//! (`/admin/api-keys`), an organisation's administrators their organisation's keys
//! (`/organisation/api-keys`). A new key's secret travels to the next page view in the one-view
//! flash and is stored only hashed. Anyone else is told the page does not exist.

use crate::accounts::caller::Caller;
use crate::accounts::model::{Flash, Notice, Problem};
use crate::api::keys::{new_secret, NAME_MAX};
use crate::api::store::establishments::establishments_of;
use crate::api::store::keys::{insert_key, revoke_key, NewKey};
use crate::services::Services;
use crate::web::reply::{answer, notify, Fields};
use crate::AppError;
use axum::extract::{FromRef, Path, State};
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use tower_sessions::Session;

pub const PLATFORM_PAGE: &str = "/admin/api-keys";
pub const ORGANISATION_PAGE: &str = "/organisation/api-keys";

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Services: FromRef<S>,
{
    Router::new()
        .route("/admin/api-keys", post(issue_platform_key))
        .route("/admin/api-keys/{id}/revoke", post(revoke_platform_key))
        .route("/organisation/api-keys", post(issue_organisation_key))
        .route("/organisation/api-keys/{id}/revoke", post(revoke_organisation_key))
}

/// The organisation a form names, if the caller administers it.
fn administered(caller: &Caller, fields: &Fields) -> Result<i64, AppError> {
    let id = fields.get("organisation").parse::<i64>().map_err(|_| AppError::NotFound)?;
    caller.require_admin_of(id)?;
    Ok(id)
}

/// Checks and issues a key of `owner` (`None`: the platform), answering on `page`.
async fn issue(
    services: &Services,
    caller: &Caller,
    session: &Session,
    fields: &Fields,
    owner: Option<i64>,
    page: &str,
) -> Result<Response, AppError> {
    let mut flash = fields.flash("api-key", &["name"]);
    let name = fields.get("name");
    let (can_send, can_read) = (fields.checked("can_send"), fields.checked("can_read"));
    let all = fields.get("reach") != "listed";
    let reachable: Vec<i64> = establishments_of(&services.db, owner).await?.into_iter().map(|(id, _, _)| id).collect();
    let chosen: Vec<i64> = fields.all("establishment").iter().filter_map(|id| id.parse().ok()).collect();
    if name.is_empty() {
        flash.problems.insert("name".into(), Problem::Required);
    } else if name.chars().count() > NAME_MAX || crate::cards::mask_numbers(&name).1 {
        flash.problems.insert("name".into(), Problem::TooLong);
    }
    if !can_send && !can_read {
        flash.problems.insert("scopes".into(), Problem::Required);
    }
    if !all && chosen.is_empty() {
        flash.problems.insert("establishments".into(), Problem::Required);
    }
    if chosen.iter().any(|id| !reachable.contains(id)) {
        flash.problems.insert("establishments".into(), Problem::NotAllowed);
    }
    if !flash.problems.is_empty() {
        return answer(session, flash, page).await;
    }
    let secret = new_secret();
    let key = NewKey {
        organisation_id: owner,
        name: &name,
        prefix: &secret.prefix,
        hash: &secret.hash,
        establishments: (!all).then_some(chosen.as_slice()),
        can_send,
        can_read,
        created_by: caller.user_id,
        now: crate::clock::now(),
    };
    let mut write = services.db.write().await?;
    insert_key(&mut write, &key).await?;
    write.commit().await?;
    let mut shown = Flash::for_form("api-key");
    shown.notice = Some(Notice::ApiKeyIssued);
    shown.values.insert("secret".into(), secret.secret);
    shown.values.insert("issued_name".into(), name);
    answer(session, shown, page).await
}

/// `POST /admin/api-keys`: a gateway key.
async fn issue_platform_key(
    State(services): State<Services>,
    caller: Caller,
    session: Session,
    fields: Fields,
) -> Result<Response, AppError> {
    caller.require_platform_admin()?;
    issue(&services, &caller, &session, &fields, None, PLATFORM_PAGE).await
}

/// `POST /organisation/api-keys`: a key of the organisation the form names.
async fn issue_organisation_key(
    State(services): State<Services>,
    caller: Caller,
    session: Session,
    fields: Fields,
) -> Result<Response, AppError> {
    let organisation = administered(&caller, &fields)?;
    issue(&services, &caller, &session, &fields, Some(organisation), ORGANISATION_PAGE).await
}

/// `POST /admin/api-keys/{id}/revoke`
async fn revoke_platform_key(
    State(services): State<Services>,
    caller: Caller,
    session: Session,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    caller.require_platform_admin()?;
    if !revoke_key(&services.db, None, id, crate::clock::now()).await? {
        return Err(AppError::NotFound);
    }
    notify(&session, "api-keys", Notice::ApiKeyRevoked, PLATFORM_PAGE).await
}

/// `POST /organisation/api-keys/{id}/revoke`
async fn revoke_organisation_key(
    State(services): State<Services>,
    caller: Caller,
    session: Session,
    Path(id): Path<i64>,
    fields: Fields,
) -> Result<Response, AppError> {
    let organisation = administered(&caller, &fields)?;
    if !revoke_key(&services.db, Some(organisation), id, crate::clock::now()).await? {
        return Err(AppError::NotFound);
    }
    notify(&session, "api-keys", Notice::ApiKeyRevoked, ORGANISATION_PAGE).await
}
