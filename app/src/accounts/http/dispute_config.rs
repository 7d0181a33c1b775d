//! `POST /organisation/dispute-config`: the organisation administrator switches the dispute
//! configuration (central: headquarters answer; local: each establishment answers). The change
//! must be confirmed (a ticked box), is recorded in the audit trail and told to the HQ users,
//! and applies to every request from then on (the caller's scope is loaded per request).

use crate::accounts::caller::{Caller, DisputeConfig};
use crate::accounts::model::{Notice, Problem};
use crate::accounts::store::org_settings as store_org;
use crate::services::Services;
use crate::web::reply::{answer, notify, Fields};
use crate::AppError;
use axum::extract::State;
use axum::response::Response;
use tower_sessions::Session;

const PAGE: &str = "/organisation/users";
const FORM: &str = "dispute-config";

/// `POST /organisation/dispute-config`
pub async fn change(
    State(services): State<Services>,
    caller: Caller,
    session: Session,
    fields: Fields,
) -> Result<Response, AppError> {
    let named = fields.get("organisation_id").parse::<i64>().ok();
    let organisation_id = named.or_else(|| caller.administered().first().copied()).ok_or(AppError::NotFound)?;
    caller.require_admin_of(organisation_id)?;
    let mut flash = fields.flash(FORM, &["dispute_config"]);
    let to = DisputeConfig::parse(&fields.get("dispute_config"));
    if to.is_none() {
        flash.problems.insert("dispute_config".into(), Problem::Required);
    }
    if !fields.checked("confirm") {
        flash.problems.insert("confirm".into(), Problem::ChangeNotConfirmed);
    }
    let Some(to) = to.filter(|_| flash.problems.is_empty()) else {
        return answer(&session, flash, PAGE).await;
    };
    let now = crate::clock::now();
    store_org::change_dispute_config(&services.db, organisation_id, caller.user_id, to, now).await?;
    notify(&session, FORM, Notice::DisputeConfigChanged, PAGE).await
}
