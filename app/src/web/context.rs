//! What a page or server function knows of its request: the request's parts, the services,
//! the caller (who is signed in, with their scope), the form answer kept for this page view,
//! and the session view the frame shows. All read from the Leptos context the server provides.

use crate::accounts::caller::{Caller, PendingFlash};
use crate::accounts::model::{Flash, SessionView};
use crate::services::Services;
use crate::AppError;
use axum::http::request::Parts;
use leptos::prelude::use_context;

/// The request's method, address, headers and extensions.
pub fn parts() -> Result<Parts, AppError> {
    use_context::<Parts>().ok_or(AppError::Internal)
}

/// Database, mailer, documents and settings.
pub fn services() -> Result<Services, AppError> {
    use_context::<Services>().ok_or(AppError::Internal)
}

/// The signed-in caller; "sign in" for a visitor.
pub fn caller() -> Result<Caller, AppError> {
    parts()?.extensions.get::<Caller>().cloned().ok_or(AppError::Unauthorised)
}

/// The signed-in caller, if any.
pub fn optional_caller() -> Option<Caller> {
    parts().ok()?.extensions.get::<Caller>().cloned()
}

/// The answer of the form posted just before this page view, if any.
pub fn pending_flash() -> Option<Flash> {
    parts().ok()?.extensions.get::<PendingFlash>().and_then(|pending| pending.0.clone())
}

/// The pending flash if it answers `form`, else an empty one for it.
pub fn pending_flash_for(form: &str) -> Flash {
    pending_flash().filter(|flash| flash.form == form).unwrap_or_else(|| Flash::for_form(form))
}

/// The address's query string, without the `?`.
pub fn query() -> String {
    parts().ok().and_then(|parts| parts.uri.query().map(str::to_owned)).unwrap_or_default()
}

/// One value of the address's query string, decoded.
pub fn query_value(name: &str) -> Option<String> {
    url::form_urlencoded::parse(query().as_bytes()).find(|(key, _)| key == name).map(|(_, value)| value.into_owned())
}

/// The request's session.
pub fn session() -> Result<tower_sessions::Session, AppError> {
    parts()?.extensions.get::<tower_sessions::Session>().cloned().ok_or(AppError::Internal)
}

/// Who is signed in and the last form's answer (the registration page adds the step reached).
pub fn session_view() -> Result<SessionView, AppError> {
    let services = services()?;
    let caller = optional_caller();
    Ok(SessionView {
        unread_notifications: caller.as_ref().map_or(0, |caller| caller.unread_notifications),
        unread_threads: caller.as_ref().map_or(0, |caller| caller.unread_threads),
        identity: caller.map(|caller| caller.identity()),
        flash: pending_flash(),
        registration_step: 1,
        idle_timeout_seconds: services.idle_timeout.as_secs() as u32,
    })
}
