//! The header's notification link with the unread count, an island. Once the page is
//! interactive it listens to `/notifications/events` (server-sent events): the count follows,
//! and a new notification's title is announced in a polite live region, without a reload. Its
//! words come translated from the server.

use leptos::prelude::*;

/// The link to the notification centre, the unread count and the live announcement.
#[island]
pub fn NotificationBell(count: i64, label: String, unread_label: String, new_prefix: String) -> impl IntoView {
    let unread = RwSignal::new(count);
    let newest = RwSignal::new(String::new());
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| listen(unread, newest, new_prefix.clone()));
    #[cfg(not(feature = "hydrate"))]
    let _ = new_prefix;
    view! {
        <a class="notification-bell" href="/notifications" data-testid="notification-bell">
            {label}
            <span class="notification-bell__count" class:notification-bell__count--none=move || unread.get() == 0 data-testid="unread-count">
                {move || unread.get()}
            </span>
            <span class="visually-hidden">{unread_label}</span>
        </a>
        <span class="live-notification" role="status" aria-live="polite" data-testid="live-notification">{move || newest.get()}</span>
    }
}

/// `count|case|title` as the event stream sends it.
#[cfg(any(feature = "hydrate", test))]
fn parse(data: &str) -> Option<(i64, &str, &str)> {
    let mut parts = data.splitn(3, '|');
    let count = parts.next()?.parse().ok()?;
    Some((count, parts.next()?, parts.next()?))
}

/// Opens the event stream for the rest of the page's life: the first event is the state the
/// page was rendered with; each later one with another newest notification announces it.
#[cfg(feature = "hydrate")]
fn listen(unread: RwSignal<i64>, newest: RwSignal<String>, prefix: String) {
    use leptos::wasm_bindgen::{closure::Closure, JsCast};
    let Ok(source) = leptos::web_sys::EventSource::new("/notifications/events") else { return };
    let mut baseline: Option<String> = None;
    let on_unread =
        Closure::<dyn FnMut(leptos::web_sys::MessageEvent)>::new(move |event: leptos::web_sys::MessageEvent| {
            let Some(data) = event.data().as_string() else { return };
            let Some((count, case, title)) = parse(&data) else { return };
            unread.set(count);
            let key = format!("{case}|{title}");
            if baseline.as_ref().is_some_and(|seen| *seen != key) && !title.is_empty() {
                newest.set(format!("{prefix} {title}"));
            }
            baseline = Some(key);
        });
    let _ = source.add_event_listener_with_callback("unread", on_unread.as_ref().unchecked_ref());
    // Both live as long as the page: the header is never unmounted.
    on_unread.forget();
    std::mem::forget(source);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_event_data_reads_back() {
        assert_eq!(parse("3|LIT-2026-0000042|Décision sur LIT|x"), Some((3, "LIT-2026-0000042", "Décision sur LIT|x")));
        assert_eq!(parse("0||"), Some((0, "", "")));
        assert_eq!(parse("many|a|b"), None);
    }
}
