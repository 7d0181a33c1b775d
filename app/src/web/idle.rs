//! The idle-session warning, an island: before the session's idle timeout ends it offers to
//! stay signed in (and takes the keyboard focus), at the end it goes to the sign-in page (which
//! leads back to this page once signed in again). Its
//! sentences come translated from the server, so the wasm carries no translation table.

use leptos::prelude::*;

/// Pushes the session's end back, so that it does not end while the user is reading; `false`
/// when the session has already ended.
#[server(endpoint = "keep_alive")]
pub async fn keep_session_alive() -> Result<bool, crate::AppError> {
    use crate::web::context;
    let Some(_caller) = context::optional_caller() else { return Ok(false) };
    crate::accounts::caller::touch(&context::session()?, &context::services()?, true).await;
    Ok(true)
}

/// The warning shown `timeout_seconds / 8` (at most two minutes) before the session ends.
#[island]
pub fn IdleWarning(timeout_seconds: u32, message: String, stay_label: String) -> impl IntoView {
    use std::time::Duration;
    let (warning, set_warning) = signal(false);
    let handles = StoredValue::new(Vec::<TimeoutHandle>::new());
    let lead = (timeout_seconds / 8).clamp(1, 120);
    // To the sign-in page, which leads back here once signed in again (only ever run in the
    // browser: timers do not fire on the server).
    let expire = || {
        #[cfg(feature = "hydrate")]
        {
            let location = window().location();
            let here = format!("{}{}", location.pathname().unwrap_or_default(), location.search().unwrap_or_default());
            let next = String::from(js_sys::encode_uri_component(&here));
            let _ = location.set_href(&format!("/login?expired=1&next={next}"));
        }
    };
    let arm = move || {
        handles.update_value(|handles| handles.drain(..).for_each(|handle| handle.clear()));
        set_warning.set(false);
        let warn_after = Duration::from_secs(u64::from(timeout_seconds.saturating_sub(lead)));
        let mut armed = Vec::new();
        armed.extend(set_timeout_with_handle(move || set_warning.set(true), warn_after).ok());
        armed.extend(set_timeout_with_handle(expire, Duration::from_secs(u64::from(timeout_seconds))).ok());
        handles.set_value(armed);
    };
    Effect::new(move |_| arm());
    let stay = move |_| {
        leptos::task::spawn_local(async move {
            match keep_session_alive().await {
                Ok(true) => arm(),
                _ => expire(),
            }
        })
    };
    // The warning takes the focus when it appears, so a keyboard or screen-reader user is on it.
    let button = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = button.get() {
            let _ = button.focus();
        }
    });
    view! {
        <Show when=move || warning.get()>
            <div class="idle-warning" role="alertdialog" aria-live="assertive" aria-label=message.clone() data-testid="idle-warning">
                <p>{message.clone()}</p>
                <button type="button" node_ref=button on:click=stay>{stay_label.clone()}</button>
            </div>
        </Show>
    }
}
