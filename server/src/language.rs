//! `POST /language`: the language switch without JavaScript. Sets the cookie the page reads and
//! sends the browser back to the page it came from (same site only).

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use serde::Deserialize;

/// The cookie leptos_i18n reads to choose the locale.
pub const COOKIE: &str = "i18n_pref_locale";

#[derive(Deserialize)]
pub struct LanguageForm {
    lang: String,
}

pub async fn switch(headers: HeaderMap, Form(form): Form<LanguageForm>) -> Response {
    if !matches!(form.lang.as_str(), "fr" | "en") {
        return (StatusCode::UNPROCESSABLE_ENTITY, "Unsupported language: choose fr or en.").into_response();
    }
    let back = headers
        .get(header::REFERER)
        .and_then(|value| value.to_str().ok())
        .and_then(|referer| url::Url::parse(referer).ok())
        .filter(|referer| {
            let host = headers.get(header::HOST).and_then(|value| value.to_str().ok());
            host.is_some_and(|host| referer.host_str().map(|h| match referer.port() {
                Some(port) => format!("{h}:{port}"),
                None => h.to_owned(),
            }) == Some(host.to_owned()))
        })
        .map(|referer| referer.path().to_owned())
        .unwrap_or_else(|| "/".into());
    let cookie = format!("{COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax", form.lang);
    let mut response = (StatusCode::SEE_OTHER, [(header::LOCATION, back)]).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}
