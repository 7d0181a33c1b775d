//! The response form's upload progress, an island. With JavaScript, sending the form goes
//! through `XMLHttpRequest`: a progress bar follows the upload and the form's buttons are
//! disabled until the server answers; the browser then goes where the server's redirect points
//! (see `web::script`), so the outcome shows as after a
//! plain POST. Without JavaScript the form is posted as it is. Its words come from the server.

use leptos::prelude::*;

/// Progress of the form whose id is `form`: the bar while sending, a message if sending failed.
#[island]
pub fn UploadProgress(form: String, sending_label: String, failed_label: String) -> impl IntoView {
    let progress = RwSignal::new(None::<f64>);
    let failed = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| script::attach(&form, progress, failed));
    #[cfg(not(feature = "hydrate"))]
    let _ = form;
    view! {
        <div class="upload-progress" data-testid="upload-progress">
            <Show when=move || progress.get().is_some()>
                <label class="upload-progress__bar">
                    {sending_label.clone()} " "
                    <progress max="100" value=move || progress.get().unwrap_or(0.0) data-testid="upload-bar"></progress>
                </label>
            </Show>
            <Show when=move || failed.get()>
                <p class="notice notice--error" role="alert" data-testid="upload-failed">{failed_label.clone()}</p>
            </Show>
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod script {
    use leptos::prelude::*;
    use leptos::wasm_bindgen::{closure::Closure, JsCast};
    use web_sys::{FormData, HtmlButtonElement, HtmlFormElement, ProgressEvent, SubmitEvent, XmlHttpRequest};

    /// Takes over the form's submission.
    pub fn attach(form: &str, progress: RwSignal<Option<f64>>, failed: RwSignal<bool>) {
        let Some(form) =
            document().get_element_by_id(form).and_then(|element| element.dyn_into::<HtmlFormElement>().ok())
        else {
            return;
        };
        let listener = form.clone();
        let on_submit = Closure::<dyn FnMut(SubmitEvent)>::new(move |event: SubmitEvent| {
            if send(&form, &event, progress, failed).is_some() {
                event.prevent_default();
            }
        });
        let _ = listener.add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref());
        // Lives as long as the page: the form is never removed.
        on_submit.forget();
    }

    /// Sends the form with the clicked button's name and value; `None` when the browser should
    /// post it itself instead.
    fn send(
        form: &HtmlFormElement,
        event: &SubmitEvent,
        progress: RwSignal<Option<f64>>,
        failed: RwSignal<bool>,
    ) -> Option<()> {
        let data = FormData::new_with_form(form).ok()?;
        if let Some(button) = event.submitter().and_then(|submitter| submitter.dyn_into::<HtmlButtonElement>().ok()) {
            if !button.name().is_empty() {
                data.append_with_str(&button.name(), &button.value()).ok()?;
            }
        }
        let request = XmlHttpRequest::new().ok()?;
        request.open("POST", &form.action()).ok()?;
        request.set_request_header(crate::web::script::SCRIPT_HEADER, "1").ok()?;
        let on_progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |event: ProgressEvent| {
            if event.length_computable() && event.total() > 0.0 {
                progress.set(Some(100.0 * event.loaded() / event.total()));
            }
        });
        request.upload().ok()?.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
        let (answered, sent_form) = (request.clone(), form.clone());
        let on_end = Closure::<dyn FnMut()>::new(move || {
            let location = answered.get_response_header(crate::web::script::LOCATION_HEADER).ok().flatten();
            match location {
                Some(location) if answered.status().unwrap_or(0) < 400 => {
                    let _ = window().location().assign(&location);
                }
                _ => {
                    progress.set(None);
                    failed.set(true);
                    set_sending(&sent_form, false);
                }
            }
        });
        request.set_onloadend(Some(on_end.as_ref().unchecked_ref()));
        request.send_with_opt_form_data(Some(&data)).ok()?;
        // Both live until the page is left: the answer navigates away.
        on_progress.forget();
        on_end.forget();
        set_sending(form, true);
        failed.set(false);
        progress.set(Some(0.0));
        Some(())
    }

    /// Disables (or enables again) the form's buttons while it is being sent.
    fn set_sending(form: &HtmlFormElement, sending: bool) {
        let Ok(buttons) = form.query_selector_all("button") else { return };
        for index in 0..buttons.length() {
            if let Some(button) = buttons.item(index).and_then(|node| node.dyn_into::<HtmlButtonElement>().ok()) {
                button.set_disabled(sending);
            }
        }
    }
}
