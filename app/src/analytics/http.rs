//! The analytics handlers: each table of the page as a CSV file
//! (`/analytics/export/{table}?<the page's filter>`, the same scope checks as the page), and the
//! platform admin's dispute-rate threshold (`POST /analytics/settings`).

use super::figures::{self, parse_threshold};
use super::pages::{refusal_message, SETTINGS_FORM as FORM};
use super::period::Filter;
use super::tables::{table, TableId};
use crate::accounts::caller::Caller;
use crate::accounts::model::{Notice, Problem};
use crate::money::export;
use crate::services::Services;
use crate::web::reply::{notify, problem_back, Fields};
use crate::AppError;
use axum::extract::{FromRef, Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use tower_sessions::Session;

/// The settings page.
const SETTINGS: &str = "/analytics/settings";

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Services: FromRef<S>,
{
    Router::new().route("/analytics/export/{table}", get(table_file)).route("/analytics/settings", post(save_settings))
}

/// `GET /analytics/export/{table}?…`: one table of the page, as CSV in the caller's language.
async fn table_file(
    State(services): State<Services>,
    caller: Caller,
    Path(name): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let id = TableId::parse(&name).ok_or(AppError::NotFound)?;
    let today = crate::clock::paris_today();
    let filter = match Filter::parse(query.as_deref().unwrap_or(""), today) {
        Ok(filter) => filter,
        Err(refusal) => {
            let message = refusal_message(refusal, &caller.language);
            return Ok((StatusCode::BAD_REQUEST, message).into_response());
        }
    };
    let analytics = figures::load(&services.db, &services.analytics, &caller, filter, today).await?;
    let locale = crate::format::locale(&caller.language);
    let table = table(&analytics, id, locale);
    let header: Vec<&str> = table.columns.iter().map(|column| column.csv_name(locale)).collect();
    let period = analytics.filter.period;
    let name = format!("analytics-{}-{}-{}.csv", id.as_str(), period.from, period.to);
    Ok(export::stream(&name, &header, move |mut sink| async move {
        for row in &table.rows {
            let cells: Vec<String> = row.iter().map(|cell| cell.csv(locale)).collect();
            sink.row(&cells).await?;
        }
        Ok(sink)
    }))
}

/// `POST /analytics/settings`: the dispute-rate threshold, as a percentage (platform admins).
async fn save_settings(
    State(services): State<Services>,
    caller: Caller,
    session: Session,
    fields: Fields,
) -> Result<Response, AppError> {
    caller.require_platform_admin()?;
    let typed = fields.get("threshold");
    let Some(basis_points) = parse_threshold(&typed) else {
        let flash = fields.flash(FORM, &["threshold"]);
        return problem_back(&session, flash, &["threshold"], Problem::ThresholdInvalid, "threshold".into(), SETTINGS)
            .await;
    };
    super::store::set_threshold(&services.db, basis_points, caller.user_id, crate::clock::now()).await?;
    notify(&session, FORM, Notice::PreferencesSaved, SETTINGS).await
}
