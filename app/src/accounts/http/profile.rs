//! The signed-in user's own settings (password, email, preferences, notifications) and their
//! establishments' settings (online dispute management, business details). Establishment ids
//! go through the caller's scope: another tenant's id is "not found".

use super::common::{check, check_new_password};
use super::recovery::{find_token, issue_token};
use crate::accounts::caller::Caller;
use crate::accounts::model::{Flash, Notice, Problem};
use crate::accounts::session_store::DbSessionStore;
use crate::accounts::store::{self, BusinessDetails, Preferences};
use crate::accounts::tokens::Purpose;
use crate::accounts::{emails, password, rules};
use crate::notifications::category::Category;
use crate::services::Services;
use crate::web::reply::{answer, language_cookie, notify, session_error, Fields};
use crate::AppError;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::Response;
use tower_sessions::Session;

/// `POST /establishments/{id}/activate`: subscribes the establishment to online dispute
/// management.
pub async fn activate(
    State(services): State<Services>,
    caller: Caller,
    session: Session,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let scope = caller.establishment(id)?;
    if !scope.can_manage() {
        let mut flash = Flash::for_form("summary");
        flash.problems.insert(id.to_string(), Problem::NotAllowed);
        return answer(&session, flash, "/").await;
    }
    store::subscribe_to_disputes(&services.db, id, crate::clock::now()).await?;
    notify(&session, "summary", Notice::Activated, "/").await
}

/// `POST /establishments/{id}/business`: the establishment's address and phone number.
pub async fn business(
    State(services): State<Services>,
    caller: Caller,
    session: Session,
    Path(id): Path<i64>,
    fields: Fields,
) -> Result<Response, AppError> {
    let scope = caller.establishment(id)?;
    let form = format!("business-{id}");
    let mut flash = fields.flash(&form, &["address_line", "postcode", "city", "phone"]);
    if !scope.can_manage() {
        flash.problems.insert("address_line".into(), Problem::NotAllowed);
    }
    for field in ["address_line", "postcode", "city"] {
        if fields.get(field).is_empty() {
            flash.problems.insert(field.into(), Problem::Required);
        }
    }
    let phone = fields.get("phone");
    if phone.chars().filter(char::is_ascii_digit).count() < 10
        || !phone.chars().all(|c| c.is_ascii_digit() || " +.-()".contains(c))
    {
        flash.problems.insert("phone".into(), Problem::Required);
    }
    if !flash.problems.is_empty() {
        return answer(&session, flash, "/profile").await;
    }
    let (address_line, postcode, city) = (fields.get("address_line"), fields.get("postcode"), fields.get("city"));
    let details = BusinessDetails { address_line: &address_line, postcode: &postcode, city: &city, phone: &phone };
    store::save_business_details(&services.db, id, &details).await?;
    notify(&session, &form, Notice::PreferencesSaved, "/profile").await
}

/// `POST /profile/password`: needs the current password; ends the user's other sessions. A few
/// attempts an hour per account, so the current-password check is no way to guess.
pub async fn password(
    State(services): State<Services>,
    caller: Caller,
    session: Session,
    fields: Fields,
) -> Result<Response, AppError> {
    if let Err(wait) = services.limits.check_password_change(caller.user_id) {
        return Ok(super::too_many(wait));
    }
    let mut flash = Flash::for_form("password");
    let stored = store::password_hash_of_user(&services.db, caller.user_id).await?;
    if !password::verify(fields.raw("current_password"), stored).await? {
        flash.problems.insert("current_password".into(), Problem::WrongPassword);
    }
    let new_password = check_new_password(&mut flash, &fields);
    if !flash.problems.is_empty() {
        return answer(&session, flash, "/profile").await;
    }
    let hash = password::hash(new_password).await?;
    let now = crate::clock::now();
    let mut transaction = services.db.write().await?;
    store::change_password(&mut transaction, caller.user_id, &hash, now).await?;
    // Links sent before the change die with the old password.
    store::cancel_email_changes(&mut transaction, caller.user_id, now).await?;
    store::use_up_password_resets(&mut transaction, caller.user_id, now).await?;
    transaction.commit().await?;
    // This session carries on under a new id; every other one ends.
    session.cycle_id().await.map_err(session_error)?;
    session.save().await.map_err(session_error)?;
    let keep = session.id().map(|id| id.to_string());
    DbSessionStore::end_sessions_of(&services.db, caller.user_id, keep.as_deref()).await?;
    notify(&session, "password", Notice::PasswordChanged, "/profile").await
}

/// `POST /profile/email`: needs the current password; sends a confirmation link to the new
/// address (the only one that works: older links are cancelled) and a notice to the old one. The
/// address changes only once the link is used.
pub async fn email(
    State(services): State<Services>,
    caller: Caller,
    session: Session,
    fields: Fields,
) -> Result<Response, AppError> {
    let new_email = fields.get("email");
    let mut flash = fields.flash("email", &["email"]);
    check(&mut flash, "email", rules::check_email(&new_email));
    if !flash.problems.is_empty() {
        return answer(&session, flash, "/profile").await;
    }
    if let Err(wait) = services.limits.check_email(&caller.user_id.to_string()) {
        return Ok(super::too_many(wait));
    }
    let stored = store::password_hash_of_user(&services.db, caller.user_id).await?;
    if !password::verify(fields.raw("email_password"), stored).await? {
        flash.problems.insert("email_password".into(), Problem::WrongPassword);
        return answer(&session, flash, "/profile").await;
    }
    let mut transaction = services.db.write().await?;
    store::cancel_email_changes(&mut transaction, caller.user_id, crate::clock::now()).await?;
    store::set_pending_email(&mut transaction, caller.user_id, &new_email).await?;
    transaction.commit().await?;
    let secret = issue_token(&services.db, caller.user_id, Purpose::EmailChange, Some(&new_email)).await?;
    let link = services.link(&format!("/confirm-email?token={secret}"));
    services.mailer.send_in_background(emails::email_change(&new_email, &caller.language, &caller.username, link));
    let notice = emails::email_change_notice(&caller.email, &caller.language, &caller.username, &new_email);
    services.mailer.send_in_background(notice);
    notify(&session, "email", Notice::EmailChangeSent, "/profile").await
}

/// `POST /confirm-email`: the link's button; the new address replaces the old one.
pub async fn confirm_email(
    State(services): State<Services>,
    session: Session,
    fields: Fields,
) -> Result<Response, AppError> {
    let secret = fields.get("token");
    let Some(token) = find_token(&services.db, &secret, Purpose::EmailChange).await? else {
        let mut flash = Flash::for_form("confirm_email");
        flash.problems.insert("token".into(), Problem::LinkInvalid);
        return answer(&session, flash, "/confirm-email").await;
    };
    let now = crate::clock::now();
    let mut transaction = services.db.write().await?;
    if store::claim_token(&mut transaction, token.id, now).await? {
        store::confirm_email(&mut transaction, token.user_id, &token.new_email.unwrap_or_default()).await?;
    }
    transaction.commit().await?;
    notify(&session, "email", Notice::EmailChanged, "/profile").await
}

/// `POST /profile/preferences`: name, language and how the network may contact the user.
pub async fn preferences(
    State(services): State<Services>,
    caller: Caller,
    session: Session,
    fields: Fields,
) -> Result<Response, AppError> {
    let language = fields.get("language");
    if !matches!(language.as_str(), "fr" | "en") {
        let mut flash = fields.flash("preferences", &["full_name"]);
        flash.problems.insert("language".into(), Problem::Required);
        return answer(&session, flash, "/profile").await;
    }
    let full_name: String = fields.get("full_name").chars().take(120).collect();
    let preferences = Preferences {
        full_name: &full_name,
        language: &language,
        comm_email: fields.checked("comm_email"),
        comm_post: fields.checked("comm_post"),
        comm_phone: fields.checked("comm_phone"),
    };
    store::save_preferences(&services.db, caller.user_id, &preferences).await?;
    let mut response = notify(&session, "preferences", Notice::PreferencesSaved, "/profile").await?;
    if let Ok(cookie) = HeaderValue::from_str(&language_cookie(&language)) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

/// `POST /profile/notifications`: each category on or off, immediate or in the daily digest.
pub async fn notifications(
    State(services): State<Services>,
    caller: Caller,
    session: Session,
    fields: Fields,
) -> Result<Response, AppError> {
    let mut transaction = services.db.write().await?;
    for category in Category::ALL {
        let name = category.as_str();
        let (enabled, digest) = (fields.checked(&format!("{name}_enabled")), fields.checked(&format!("{name}_digest")));
        store::save_notification_preference(&mut transaction, caller.user_id, category, enabled, digest).await?;
    }
    transaction.commit().await?;
    notify(&session, "notifications", Notice::PreferencesSaved, "/profile").await
}
