//! The chat box, an island, for the merchant and for the agent alike. Once the page is
//! interactive it follows the conversation's event stream (`{base}/events`, see `events`):
//! messages appear as they are stored, with their author and time, the state line says where the
//! chat stands (waiting with the place in the queue, or no agent available; connected with the
//! agent's first name; ended) and whether the other side is typing. A message is sent with
//! `XMLHttpRequest` to `{base}/messages` and shows once the stream brings it back — stored, so
//! never shown as sent before it is; a refused one stays in the box with the reason. Typing tells
//! the other side at most every two seconds. Every word comes translated from the server.
//! Without JavaScript the form stays hidden and the page says chat needs JavaScript. The agents'
//! console has the live count of waiting chats (`WaitingChats`).

use leptos::prelude::*;

/// A message as the box shows it.
#[derive(Clone)]
struct Shown {
    id: i64,
    mine: bool,
    who: String,
    time: String,
    body: String,
}

/// The parts of a state line: `status|agent|place|typing|agents available`.
fn part(line: &str, index: usize) -> &str {
    line.split('|').nth(index).unwrap_or_default()
}

/// The chat box of the conversation at `base` (`/chat/{id}`), seen from `side` (`m` or `a`).
/// `initial` is the state line the page was rendered with. Labels: `{place}` and `{name}` are
/// filled in the browser.
#[island]
pub fn ChatBox(
    base: String,
    side: String,
    initial: String,
    you: String,
    other: String,
    waiting: String,
    no_agent: String,
    connected: String,
    typing: String,
    ended: String,
    ended_href: String,
    ended_link: String,
    log_label: String,
    label: String,
    send: String,
    failed: String,
) -> impl IntoView {
    let state = RwSignal::new(initial);
    let messages = RwSignal::new(Vec::<Shown>::new());
    let note = RwSignal::new(String::new());
    let sending = RwSignal::new(false);
    let ready = RwSignal::new(false);
    let log = NodeRef::<leptos::html::Ol>::new();
    let input = NodeRef::<leptos::html::Textarea>::new();
    let is_ended = move || state.with(|line| part(line, 0) == "ended");
    // The merchant reads the agent's first name; the agent reads "the merchant".
    let other_name = {
        let (other, merchant) = (other.clone(), side == "m");
        move || {
            state.with(|line| {
                Some(part(line, 1)).filter(|name| merchant && !name.is_empty()).map_or(other.clone(), str::to_owned)
            })
        }
    };
    let state_text = {
        let other_name = other_name.clone();
        move || {
            let line = state.get();
            match part(&line, 0) {
                "waiting" if part(&line, 4) == "0" => no_agent.clone(),
                "waiting" => waiting.replace("{place}", part(&line, 2)),
                "connected" => connected.replace("{name}", &other_name()),
                _ => ended.clone(),
            }
        }
    };
    let typing_text = move || state.with(|line| part(line, 3) == "1").then(|| typing.replace("{name}", &other_name()));
    #[cfg(feature = "hydrate")]
    {
        let (base, side, you, other) = (base.clone(), side.clone(), you.clone(), other.clone());
        Effect::new(move |_| {
            ready.set(true);
            script::listen(&base, &side, &you, &other, state, messages);
        });
        Effect::new(move |_| {
            messages.track();
            if let Some(log) = log.get() {
                log.set_scroll_top(log.scroll_height());
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (&side, &you, &other, &failed, log, input);
    let submit = {
        let (base, failed) = (base.clone(), failed.clone());
        move || {
            #[cfg(feature = "hydrate")]
            script::send(&base, input, sending, note, &failed);
            #[cfg(not(feature = "hydrate"))]
            let _ = (&base, &failed);
        }
    };
    let on_submit = {
        let submit = submit.clone();
        move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            submit();
        }
    };
    let on_key = move |event: leptos::ev::KeyboardEvent| {
        if event.key() == "Enter" && !event.shift_key() {
            event.prevent_default();
            submit();
        }
    };
    let on_input = move |_: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        script::typing(&base);
    };
    view! {
        <div class="chat-box" data-testid="chat-box" data-state=move || state.with(|line| part(line, 0).to_owned())>
            <p class="chat-box__state" role="status" data-testid="chat-state">{state_text}</p>
            <ol class="chat-box__log" node_ref=log tabindex="0" aria-label=log_label aria-live="polite" data-testid="chat-log">
                {move || messages.get().into_iter().map(|message| view! {
                    <li class="chat-box__message" class:chat-box__message--mine=message.mine data-testid="chat-message" data-id=message.id>
                        <p class="chat-box__meta"><strong>{message.who}</strong> " · " <time>{message.time}</time></p>
                        <p class="chat-box__body">{message.body}</p>
                    </li>
                }).collect_view()}
            </ol>
            <p class="chat-box__typing" data-testid="chat-typing">{typing_text}</p>
            <Show when=is_ended>
                <p><a href=ended_href.clone() data-testid="chat-ended-link">{ended_link.clone()}</a></p>
            </Show>
            <form class="chat-box__form form form--wide" hidden=move || !ready.get() || is_ended() on:submit=on_submit data-testid="chat-form">
                <div class="field">
                    <label for="chat-input">{label}</label>
                    <textarea id="chat-input" name="body" rows="3" maxlength="2000" node_ref=input on:keydown=on_key on:input=on_input data-testid="chat-input"></textarea>
                </div>
                <button type="submit" class="button button--primary" disabled=move || sending.get() data-testid="chat-send">{send}</button>
            </form>
            <p class="chat-box__note" role="alert" data-testid="chat-note">{move || note.get()}</p>
        </div>
    }
}

/// The console's count of waiting chats, live: it follows `/support/chats/events`, so an agent
/// sees a new chat arrive without a reload (the list itself comes with the next page load).
/// `label` holds `{count}`.
#[island]
pub fn WaitingChats(count: i64, label: String, refresh: String) -> impl IntoView {
    let waiting = RwSignal::new(count);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| script::queue(waiting));
    view! {
        <p class="chat-queue" data-testid="waiting-count">
            <span role="status">{move || label.replace("{count}", &waiting.get().to_string())}</span>
            " " <a href="/support">{refresh}</a>
        </p>
    }
}

#[cfg(feature = "hydrate")]
mod script {
    use super::Shown;
    use leptos::prelude::*;
    use leptos::wasm_bindgen::{closure::Closure, JsCast};
    use web_sys::{EventSource, MessageEvent, XmlHttpRequest};

    /// Follows the stream for the rest of the page's life (it closes itself once the chat ends).
    pub fn listen(
        base: &str,
        side: &str,
        you: &str,
        other: &str,
        state: RwSignal<String>,
        messages: RwSignal<Vec<Shown>>,
    ) {
        let Ok(source) = EventSource::new(&format!("{base}/events")) else { return };
        let (side, you, other) = (side.to_owned(), you.to_owned(), other.to_owned());
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let (Some(data), Ok(id)) = (event.data().as_string(), event.last_event_id().parse::<i64>()) else { return };
            let mut parts = data.splitn(4, '|');
            let (Some(from), Some(name), Some(time), Some(body)) =
                (parts.next(), parts.next(), parts.next(), parts.next())
            else {
                return;
            };
            let mine = from == side;
            let who = if mine {
                you.clone()
            } else if name.is_empty() {
                other.clone()
            } else {
                name.to_owned()
            };
            messages.update(|shown| {
                // Never twice, whatever the stream sends again.
                if shown.last().is_none_or(|last| last.id < id) {
                    shown.push(Shown { id, mine, who, time: time.to_owned(), body: body.to_owned() });
                }
            });
        });
        let ended = source.clone();
        let on_state = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let Some(line) = event.data().as_string() else { return };
            if line.starts_with("ended") {
                ended.close();
            }
            state.set(line);
        });
        let _ = source.add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
        let _ = source.add_event_listener_with_callback("state", on_state.as_ref().unchecked_ref());
        // They live as long as the page.
        on_message.forget();
        on_state.forget();
        std::mem::forget(source);
    }

    /// Follows the queue's count for the rest of the page's life.
    pub fn queue(waiting: RwSignal<i64>) {
        let Ok(source) = EventSource::new("/support/chats/events") else { return };
        let on_count = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            if let Some(count) = event.data().as_string().and_then(|data| data.parse().ok()) {
                waiting.set(count);
            }
        });
        let _ = source.add_event_listener_with_callback("queue", on_count.as_ref().unchecked_ref());
        on_count.forget();
        std::mem::forget(source);
    }

    fn post(url: &str, body: &str) -> Option<XmlHttpRequest> {
        let request = XmlHttpRequest::new().ok()?;
        request.open("POST", url).ok()?;
        request.set_request_header("content-type", "application/x-www-form-urlencoded").ok()?;
        request.send_with_opt_str(Some(body)).ok()?;
        Some(request)
    }

    /// Sends the box's text; cleared once the server has stored it.
    pub fn send(
        base: &str,
        input: NodeRef<leptos::html::Textarea>,
        sending: RwSignal<bool>,
        note: RwSignal<String>,
        failed: &str,
    ) {
        let Some(textarea) = input.get_untracked() else { return };
        let text = textarea.value();
        if text.trim().is_empty() || sending.get_untracked() {
            return;
        }
        let body = format!("body={}", String::from(js_sys::encode_uri_component(&text)));
        let Some(request) = post(&format!("{base}/messages"), &body) else {
            note.set(failed.to_owned());
            return;
        };
        sending.set(true);
        let (answered, failed) = (request.clone(), failed.to_owned());
        let on_end = Closure::<dyn FnMut()>::new(move || {
            sending.set(false);
            let status = answered.status().unwrap_or(0);
            let said = answered.response_text().ok().flatten().unwrap_or_default();
            if (200..300).contains(&status) {
                textarea.set_value("");
                note.set(said);
            } else {
                note.set(if said.is_empty() || status >= 500 { failed.clone() } else { said });
            }
        });
        request.set_onloadend(Some(on_end.as_ref().unchecked_ref()));
        on_end.forget();
    }

    thread_local! {
        static LAST_TYPING: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
    }

    /// Tells the other side the user is typing, at most every two seconds.
    pub fn typing(base: &str) {
        let now = js_sys::Date::now();
        if now - LAST_TYPING.get() >= 2000.0 {
            LAST_TYPING.set(now);
            let _ = post(&format!("{base}/typing"), "");
        }
    }
}
