//! Onboarding by the platform (`/admin/...`, platform administrators only; anyone else gets "not
//! found"): create and edit organisations and their establishments, issue an establishment's
//! activation code (shown once, on the next page view), disable a user and end their sessions.

use crate::accounts::caller::Caller;
use crate::accounts::model::{Flash, Notice, Problem};
use crate::accounts::onboarding::{self, Problems};
use crate::accounts::session_store::DbSessionStore;
use crate::accounts::store::{activation as store_activation, onboarding as store_onboarding};
use crate::services::Services;
use crate::web::reply::{answer, notify, Fields};
use crate::AppError;
use axum::extract::{FromRef, Path, State};
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use tower_sessions::Session;

const LIST: &str = "/admin/organisations";
const ORGANISATION_FIELDS: &[&str] = &["name", "dispute_config"];
const ESTABLISHMENT_FIELDS: &[&str] = &[
    "number",
    "trading_name",
    "address_line",
    "postcode",
    "city",
    "currency",
    "pricing",
    "contract_anniversary",
    "max_installments",
    "installment_rates",
    "payment_facilitator",
];

/// The onboarding endpoints.
pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Services: FromRef<S>,
{
    Router::new()
        .route("/admin/organisations", post(create_organisation))
        .route("/admin/organisations/{id}", post(update_organisation))
        .route("/admin/organisations/{id}/establishments", post(create_establishment))
        .route("/admin/establishments/{id}", post(update_establishment))
        .route("/admin/establishments/{id}/code", post(issue_code))
        .route("/admin/users/disable", post(disable_user))
}

fn refused(form: &str, fields: &Fields, names: &[&str], problems: Problems) -> Flash {
    let mut flash = fields.flash(form, names);
    flash.problems = problems;
    flash
}

/// `POST /admin/organisations`
async fn create_organisation(
    State(services): State<Services>,
    caller: Caller,
    session: Session,
    fields: Fields,
) -> Result<Response, AppError> {
    caller.require_platform_admin()?;
    match onboarding::check_organisation(|name| fields.get(name)) {
        Ok(input) => {
            let id = store_onboarding::create_organisation(&services.db, &input, crate::clock::now()).await?;
            notify(&session, "organisation", Notice::OrganisationSaved, &format!("{LIST}/{id}")).await
        }
        Err(problems) => {
            answer(&session, refused("new-organisation", &fields, ORGANISATION_FIELDS, problems), LIST).await
        }
    }
}

/// `POST /admin/organisations/{id}`
async fn update_organisation(
    State(services): State<Services>,
    caller: Caller,
    session: Session,
    Path(id): Path<i64>,
    fields: Fields,
) -> Result<Response, AppError> {
    caller.require_platform_admin()?;
    let page = format!("{LIST}/{id}");
    match onboarding::check_organisation(|name| fields.get(name)) {
        Ok(input) => {
            let now = crate::clock::now();
            if !store_onboarding::update_organisation(&services.db, id, &input, caller.user_id, now).await? {
                return Err(AppError::NotFound);
            }
            notify(&session, "organisation", Notice::OrganisationSaved, &page).await
        }
        Err(problems) => answer(&session, refused("organisation", &fields, ORGANISATION_FIELDS, problems), &page).await,
    }
}

/// The establishment form checked, including its number's uniqueness (`except` itself).
async fn checked_establishment(
    services: &Services,
    fields: &Fields,
    except: Option<i64>,
) -> Result<Result<onboarding::EstablishmentInput, Problems>, AppError> {
    let input = onboarding::check_establishment(|name| fields.get(name));
    if let Ok(input) = &input {
        if store_onboarding::number_taken(&services.db, &input.number, except).await? {
            return Ok(Err(Problems::from([("number".to_owned(), Problem::NumberTaken)])));
        }
    }
    Ok(input)
}

/// `POST /admin/organisations/{id}/establishments`
async fn create_establishment(
    State(services): State<Services>,
    caller: Caller,
    session: Session,
    Path(organisation_id): Path<i64>,
    fields: Fields,
) -> Result<Response, AppError> {
    caller.require_platform_admin()?;
    store_onboarding::find_organisation(&services.db, organisation_id).await?.ok_or(AppError::NotFound)?;
    let page = format!("{LIST}/{organisation_id}");
    let form = "new-establishment";
    let input = match checked_establishment(&services, &fields, None).await? {
        Ok(input) => input,
        Err(problems) => return answer(&session, refused(form, &fields, ESTABLISHMENT_FIELDS, problems), &page).await,
    };
    let now = crate::clock::now();
    match store_onboarding::create_establishment(&services.db, organisation_id, &input, now).await? {
        Some(id) => {
            notify(&session, "establishment", Notice::EstablishmentSaved, &format!("/admin/establishments/{id}")).await
        }
        None => {
            let problems = Problems::from([("number".to_owned(), Problem::NumberTaken)]);
            answer(&session, refused(form, &fields, ESTABLISHMENT_FIELDS, problems), &page).await
        }
    }
}

/// `POST /admin/establishments/{id}`
async fn update_establishment(
    State(services): State<Services>,
    caller: Caller,
    session: Session,
    Path(id): Path<i64>,
    fields: Fields,
) -> Result<Response, AppError> {
    caller.require_platform_admin()?;
    store_onboarding::find_establishment(&services.db, id).await?.ok_or(AppError::NotFound)?;
    let page = format!("/admin/establishments/{id}");
    let saved = match checked_establishment(&services, &fields, Some(id)).await? {
        Ok(input) => store_onboarding::update_establishment(&services.db, id, &input).await?,
        Err(problems) => {
            return answer(&session, refused("establishment", &fields, ESTABLISHMENT_FIELDS, problems), &page).await
        }
    };
    if !saved {
        let problems = Problems::from([("number".to_owned(), Problem::NumberTaken)]);
        return answer(&session, refused("establishment", &fields, ESTABLISHMENT_FIELDS, problems), &page).await;
    }
    notify(&session, "establishment", Notice::EstablishmentSaved, &page).await
}

/// `POST /admin/establishments/{id}/code`: a new code replaces the old one. The code travels to
/// the next page view in the one-view flash, and is stored only hashed.
async fn issue_code(
    State(services): State<Services>,
    caller: Caller,
    session: Session,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    caller.require_platform_admin()?;
    let issued = store_activation::issue(&services.db, id, crate::clock::now()).await?.ok_or(AppError::NotFound)?;
    let mut flash = Flash::for_form("code");
    flash.notice = Some(Notice::ActivationCodeIssued);
    flash.values.insert("code".into(), issued.code);
    flash.values.insert("expires_at".into(), issued.expires_at.to_string());
    answer(&session, flash, &format!("/admin/establishments/{id}")).await
}

/// `POST /admin/users/disable`: the user can no longer sign in, and every session of theirs ends.
async fn disable_user(
    State(services): State<Services>,
    caller: Caller,
    session: Session,
    fields: Fields,
) -> Result<Response, AppError> {
    caller.require_platform_admin()?;
    let username = fields.get("username");
    let now = crate::clock::now();
    match store_onboarding::disable_user(&services.db, &username, caller.user_id, now).await? {
        Some(user_id) => {
            DbSessionStore::end_sessions_of(&services.db, user_id, None).await?;
            notify(&session, "disable-user", Notice::UserDisabled, LIST).await
        }
        None => {
            let mut flash = fields.flash("disable-user", &["username"]);
            flash.problems.insert("username".into(), Problem::UnknownUser);
            answer(&session, flash, LIST).await
        }
    }
}
