//! Registration in three steps: (1) the establishment number and its activation code, (2)
//! username, email and password, (3) financial management (paperless statements, online dispute
//! management). What each step accepted waits in the session until the last step creates the
//! account, in one transaction, and signs the new user in.

use super::common::{check, check_new_password, sign_in};
use crate::accounts::model::{Notice, Problem};
use crate::accounts::store::{self, activation as codes};
use crate::accounts::{activation, password, rules};
use crate::services::Services;
use crate::web::reply::{answer, session_error, Fields};
use crate::AppError;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

/// Session key of the registration in progress.
pub const REGISTRATION: &str = "registration";

/// What the steps accepted so far.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Registration {
    /// The next step to fill: 2 or 3.
    pub step: u8,
    pub establishment_id: i64,
    pub username: String,
    pub email: String,
    pub password_hash: String,
    pub language: String,
    /// The activation code accepted at step 1 (its hash), consumed when the account is created.
    #[serde(default)]
    pub code_hash: String,
}

async fn current(session: &Session) -> Result<Option<Registration>, AppError> {
    session.get::<Registration>(REGISTRATION).await.map_err(session_error)
}

/// Step 1: `POST /register/establishment`
pub async fn establishment(
    State(services): State<Services>,
    session: Session,
    fields: Fields,
) -> Result<Response, AppError> {
    let mut flash = fields.flash("register", &["number", "code"]);
    let number = rules::normalise_establishment_number(&fields.get("number"));
    let code = fields.get("code");
    if fields.get("number").is_empty() {
        flash.problems.insert("number".into(), Problem::Required);
    }
    if code.is_empty() {
        flash.problems.insert("code".into(), Problem::Required);
    }
    if flash.problems.is_empty() {
        let now = crate::clock::now();
        let number = number.unwrap_or_default();
        match codes::establishment_for_code(&services.db, &number, &code, now).await? {
            Some(id) => {
                let code_hash = activation::hash(&code);
                let registration = Registration { step: 2, establishment_id: id, code_hash, ..Registration::default() };
                session.insert(REGISTRATION, registration).await.map_err(session_error)?;
                return Ok(Redirect::to("/register").into_response());
            }
            // Wrong, used, replaced or expired: one answer, so numbers cannot be probed.
            None => {
                flash.problems.insert("code".into(), Problem::EstablishmentNotRecognised);
            }
        }
    }
    answer(&session, flash, "/register").await
}

/// Checks a new username, email and password pair; problems go into `flash`.
pub(super) async fn check_new_account(
    services: &Services,
    fields: &Fields,
    flash: &mut crate::accounts::model::Flash,
) -> Result<(), AppError> {
    let username = fields.get("username");
    check(flash, "username", rules::check_username(&username));
    if !flash.problems.contains_key("username") && store::username_taken(&services.db, &username).await? {
        flash.problems.insert("username".into(), Problem::UsernameTaken);
    }
    if flash.values.contains_key("email") {
        check(flash, "email", rules::check_email(&fields.get("email")));
    }
    check_new_password(flash, fields);
    Ok(())
}

/// Step 2: `POST /register/account`
pub async fn account(State(services): State<Services>, session: Session, fields: Fields) -> Result<Response, AppError> {
    let Some(mut registration) = current(&session).await? else {
        return Ok(Redirect::to("/register").into_response());
    };
    let mut flash = fields.flash("register", &["username", "email"]);
    check_new_account(&services, &fields, &mut flash).await?;
    if !flash.problems.is_empty() {
        return answer(&session, flash, "/register").await;
    }
    registration.step = 3;
    registration.username = fields.get("username");
    registration.email = fields.get("email");
    registration.password_hash = password::hash(fields.raw("password")).await?;
    registration.language = if fields.get("language") == "en" { "en".into() } else { "fr".into() };
    session.insert(REGISTRATION, registration).await.map_err(session_error)?;
    Ok(Redirect::to("/register").into_response())
}

/// Step 3: `POST /register/finance` creates the account and signs the user in.
pub async fn finance(State(services): State<Services>, session: Session, fields: Fields) -> Result<Response, AppError> {
    let Some(registration) = current(&session).await?.filter(|registration| registration.step == 3) else {
        return Ok(Redirect::to("/register").into_response());
    };
    let now = crate::clock::now();
    let mut transaction = services.db.write().await?;
    if !codes::consume(&mut transaction, registration.establishment_id, &registration.code_hash, now).await? {
        // The code was used, replaced or expired since step 1: start again with a valid one.
        drop(transaction);
        session.remove::<Registration>(REGISTRATION).await.map_err(session_error)?;
        let mut flash = crate::accounts::model::Flash::for_form("register");
        flash.problems.insert("code".into(), Problem::EstablishmentNotRecognised);
        return answer(&session, flash, "/register").await;
    }
    if store::username_taken_in(&mut transaction, &registration.username).await? {
        // Someone took the name between steps 2 and 3: back to step 2, with what was typed.
        drop(transaction);
        let mut back = registration.clone();
        back.step = 2;
        session.insert(REGISTRATION, back).await.map_err(session_error)?;
        let mut flash = crate::accounts::model::Flash::for_form("register");
        flash.values.insert("username".into(), registration.username.clone());
        flash.values.insert("email".into(), registration.email.clone());
        flash.problems.insert("username".into(), Problem::UsernameTaken);
        return answer(&session, flash, "/register").await;
    }
    let user_id = store::insert_merchant_user(
        &mut transaction,
        &registration.username,
        &registration.email,
        &registration.password_hash,
        &registration.language,
        now,
    )
    .await?;
    store::add_establishment_user(&mut transaction, user_id, registration.establishment_id, now).await?;
    store::add_default_preferences(&mut transaction, user_id).await?;
    let (paperless, subscribe) = (fields.checked("paperless"), fields.checked("dispute_management"));
    store::finish_establishment_registration(
        &mut transaction,
        registration.establishment_id,
        paperless,
        subscribe,
        now,
    )
    .await?;
    transaction.commit().await?;

    session.remove::<Registration>(REGISTRATION).await.map_err(session_error)?;
    sign_in(&session, user_id).await?;
    crate::web::reply::notify(&session, "summary", Notice::Registered, "/").await
}

/// `POST /register/restart`: forget the registration in progress.
pub async fn restart(session: Session) -> Result<Response, AppError> {
    session.remove::<Registration>(REGISTRATION).await.map_err(session_error)?;
    Ok(Redirect::to("/register").into_response())
}
