//! The wasm entry point: wakes the islands of the page the server rendered (Leptos islands mode:
//! the rest of the page is plain HTML and stays as received). Nothing else belongs here.

// Loads the app crate, whose `#[island]`s export the functions the hydration script calls.
use app as _;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // The hydration script wakes each island right after this returns; the next task finds them
    // awake. The marker tells tests (and styles, if ever needed) that the page is interactive.
    leptos::prelude::set_timeout(
        || {
            if let Some(body) = leptos::prelude::document().body() {
                let _ = body.set_attribute("data-hydrated", "true");
            }
        },
        std::time::Duration::ZERO,
    );
}
