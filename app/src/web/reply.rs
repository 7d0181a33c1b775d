//! How a form is answered: the handler checks the input on the server, then redirects (303) to
//! a page that shows the outcome. A refused form comes back with the typed values (never
//! passwords) and one problem per field, kept in the session for that one page view.

use crate::accounts::model::{Flash, Notice, Problem};
use crate::AppError;
use axum::extract::{FromRequest, RawForm, Request};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

/// The session key of the answer kept for the next page view.
pub const FLASH: &str = "flash";

/// The cookie the pages read to choose the language (leptos_i18n's name).
pub const LANGUAGE_COOKIE: &str = "i18n_pref_locale";

/// A `Set-Cookie` value choosing the page language for a year.
pub fn language_cookie(language: &str) -> String {
    format!("{LANGUAGE_COOKIE}={language}; Path=/; Max-Age=31536000; SameSite=Lax")
}

/// `candidate` if it is a path on this site (`/disputes?queue=closed`), never an address that a
/// browser would read as another site's: `//evil.example/x` and `/\\evil.example` are
/// protocol-relative, `https://…` absolute. What a redirect to a page "you came from" or "you
/// asked for before signing in" must pass.
pub fn local_path(candidate: &str) -> Option<&str> {
    let rest = candidate.strip_prefix('/')?;
    let other_site = rest.starts_with('/') || rest.starts_with('\\');
    let unsafe_char = candidate.chars().any(|c| c.is_control() || c == '\\');
    (!other_site && !unsafe_char).then_some(candidate)
}

/// Where signing in leads back to: `candidate` if it is a local path other than the dashboard
/// (where signing in leads anyway).
pub fn way_back(candidate: &str) -> Option<&str> {
    local_path(candidate).filter(|path| *path != "/")
}

/// The sign-in page's address that leads back to `path` once signed in (`/login` alone when
/// there is no [`way_back`] to it).
pub fn sign_in_then(path: &str) -> String {
    match way_back(path) {
        Some(path) => {
            format!("/login?next={}", url::form_urlencoded::byte_serialize(path.as_bytes()).collect::<String>())
        }
        None => "/login".to_owned(),
    }
}

/// Keeps the form's answer for the next page view and sends the browser there.
pub(crate) async fn answer(session: &Session, flash: Flash, to: &str) -> Result<Response, AppError> {
    session.insert(FLASH, flash).await.map_err(session_error)?;
    Ok(Redirect::to(to).into_response())
}

/// Sends a form's `problem` back to `to` with what was typed: on the field `subject` names when
/// it is one of the form's `fields`, otherwise on the form as a whole, naming `subject` (a file,
/// a case) through the flash's `subject` value (see `web::form`).
pub(crate) async fn problem_back(
    session: &Session,
    mut flash: Flash,
    fields: &[&str],
    problem: Problem,
    subject: String,
    to: &str,
) -> Result<Response, AppError> {
    let field = if fields.contains(&subject.as_str()) {
        subject
    } else {
        flash.values.insert("subject".into(), subject);
        "form".to_owned()
    };
    flash.problems.insert(field, problem);
    answer(session, flash, to).await
}

/// A success notice for the next page.
pub(crate) async fn notify(session: &Session, form: &str, notice: Notice, to: &str) -> Result<Response, AppError> {
    answer(session, Flash { notice: Some(notice), ..Flash::for_form(form) }, to).await
}

/// Middleware for the routes an island may send a form to (see `web::script`): a redirect
/// answering a request that carries the script header becomes 204 with the target in the
/// location header.
pub async fn redirect_for_scripts(request: Request, next: Next) -> Response {
    use crate::web::script::{LOCATION_HEADER, SCRIPT_HEADER};
    let scripted = request.headers().contains_key(SCRIPT_HEADER);
    let mut response = next.run(request).await;
    if scripted && response.status().is_redirection() {
        if let Some(location) = response.headers_mut().remove(header::LOCATION) {
            *response.status_mut() = StatusCode::NO_CONTENT;
            response.headers_mut().insert(LOCATION_HEADER, location);
        }
    }
    response
}

/// A stored file (a case's document, a message's attachment) as the browser shows it, never
/// runs it: its own type, its name for saving, no caching, and a policy under which nothing in
/// it executes.
pub fn inline_file(name: &str, content_type: &str, content: Vec<u8>) -> Result<Response, AppError> {
    use axum::http::HeaderValue;
    let encoded: String = url::form_urlencoded::byte_serialize(name.as_bytes()).collect();
    let disposition = format!(
        "inline; filename=\"{}\"; filename*=UTF-8''{}",
        name.replace(|c: char| !c.is_ascii_graphic() && c != ' ', "_"),
        encoded
    );
    let mut response = axum::body::Body::from(content).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_str(content_type).map_err(|_| AppError::Internal)?);
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    // Nothing in a file may run: images are sandboxed; a PDF may only embed itself (the
    // browser's viewer does that; a sandbox would block it).
    let policy = if content_type == "application/pdf" {
        "default-src 'none'; object-src 'self'; frame-ancestors 'self'"
    } else {
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    };
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(policy));
    Ok(response)
}

/// A session store failure: logged, and an internal error for the user.
pub(crate) fn session_error(error: tower_sessions::session::Error) -> AppError {
    tracing::error!(%error, "session store");
    AppError::Internal
}

/// A form's fields as sent; repeated names (checkbox lists) are kept.
pub struct Fields(Vec<(String, String)>);

impl Fields {
    /// The field's value, trimmed; empty when absent.
    pub fn get(&self, name: &str) -> String {
        self.raw(name).trim().to_owned()
    }

    /// The field's value exactly as typed (passwords).
    pub fn raw(&self, name: &str) -> String {
        self.0.iter().find(|(key, _)| key == name).map(|(_, value)| value.clone()).unwrap_or_default()
    }

    /// Whether a checkbox was ticked.
    pub fn checked(&self, name: &str) -> bool {
        self.0.iter().any(|(key, _)| key == name)
    }

    /// Every value sent under `name`.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(key, _)| key == name).map(|(_, value)| value.clone()).collect()
    }

    /// A flash for `form` holding the typed values of `names`.
    pub fn flash(&self, form: &str, names: &[&str]) -> Flash {
        let mut flash = Flash::for_form(form);
        for name in names {
            flash.values.insert((*name).to_owned(), self.get(name));
        }
        flash
    }
}

impl<S: Send + Sync> FromRequest<S> for Fields {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Fields, Response> {
        let RawForm(bytes) = RawForm::from_request(request, state).await.map_err(IntoResponse::into_response)?;
        Ok(Fields(url::form_urlencoded::parse(&bytes).into_owned().collect()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_keep_repeated_names_and_trim() {
        let fields = Fields(url::form_urlencoded::parse(b"a=+x+&e=1&e=2&box=on&pw=+s+").into_owned().collect());
        assert_eq!(fields.get("a"), "x");
        assert_eq!(fields.raw("pw"), " s ");
        assert_eq!(fields.all("e"), vec!["1", "2"]);
        assert!(fields.checked("box") && !fields.checked("nope"));
        assert_eq!(fields.flash("f", &["a"]).value("a"), "x");
    }

    #[test]
    fn only_paths_on_this_site_are_local() {
        assert_eq!(local_path("/disputes?queue=closed"), Some("/disputes?queue=closed"));
        assert_eq!(local_path("/"), Some("/"));
        assert_eq!(sign_in_then("/disputes/C-1?tab=documents"), "/login?next=%2Fdisputes%2FC-1%3Ftab%3Ddocuments");
        assert_eq!(sign_in_then("/"), "/login");
        assert_eq!(sign_in_then("//evil.example/x"), "/login");
        for other in ["//evil.example/x", "/\\evil.example", "https://evil.example/", "evil", "", "/a\nb", "/\\/x"] {
            assert_eq!(local_path(other), None, "{other:?}");
        }
    }
}
