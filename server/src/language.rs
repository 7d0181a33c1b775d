//! `POST /language`: the language switch without JavaScript. Sets the cookie the page reads,
//! saves the choice for a signed-in user (emails follow it), and sends the browser back to the
//! page it came from (same site only).

use app::accounts::caller::Caller;
use app::db::Db;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use axum::Form;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct LanguageForm {
    lang: String,
}

/// The path (and query) of the page the request came from, when that page is on this portal
/// and its path is one a redirect keeps on it (`http://portal//evil.example/x` names this host,
/// but its path `//evil.example/x` would send the browser to another site).
fn same_site_path(headers: &HeaderMap) -> Option<String> {
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let referer = url::Url::parse(headers.get(header::REFERER)?.to_str().ok()?).ok()?;
    if !crate::security::names_host(&referer, host) {
        return None;
    }
    let path = &referer[url::Position::BeforePath..url::Position::AfterQuery];
    app::web::reply::local_path(path).map(str::to_owned)
}

pub async fn switch(
    State(db): State<Db>,
    caller: Option<Extension<Caller>>,
    headers: HeaderMap,
    Form(form): Form<LanguageForm>,
) -> Response {
    if !matches!(form.lang.as_str(), "fr" | "en") {
        return (StatusCode::UNPROCESSABLE_ENTITY, "Unsupported language: choose fr or en.").into_response();
    }
    if let Some(Extension(caller)) = caller {
        let saved = sqlx::query("UPDATE users SET language = $2 WHERE id = $1")
            .bind(caller.user_id)
            .bind(&form.lang)
            .execute(&db.pool)
            .await;
        if let Err(error) = saved {
            return app::AppError::from(error).into_response();
        }
    }
    let back = same_site_path(&headers).unwrap_or_else(|| "/".into());
    let cookie = app::web::reply::language_cookie(&form.lang);
    let mut response = (StatusCode::SEE_OTHER, [(header::LOCATION, back)]).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}
