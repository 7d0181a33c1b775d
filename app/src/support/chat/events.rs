//! The live stream an open chat page follows (server-sent events), for the merchant and for the
//! agent alike: `GET /chat/{id}/events`.
//!
//! - `message` events carry one stored message each, with its id as the event's id:
//!   `side|name|HH:MM|text` (`side` is `m` for the merchant, `a` for the agent; the text last, so
//!   it may hold any character). A browser that reconnects sends the last id it got
//!   (`Last-Event-ID`, which `EventSource` does by itself) and gets every later message, once: no
//!   message is lost or shown twice, whatever instance it reconnects to.
//! - `state` events carry `status|agent's first name|place in the queue|other side typing (0/1)|
//!   an agent available (0/1)`, sent at once and whenever it changes.
//!
//! The agents' console follows the queue's length the same way (`queue` events,
//! `GET /support/chats/events`).
//!
//! The stream looks at the conversation when this instance wakes it (a message, a keystroke, a
//! move) and every [`LOOK_EVERY`] in any case (a change written by another instance; a typing
//! mark running out), with one query by primary key. It ends once the chat has ended, when the
//! session ends (looked at every [`SESSION_EVERY`]), after the idle timeout (the browser then
//! reconnects, signed in or not) and when the server shuts down.

use super::conversations::{self, side_of, TYPING_FOR_MS};
use super::model::{ChatMessage, LiveState};
use super::state::{Side, Status};
use super::store;
use crate::accounts::caller::Caller;
use crate::accounts::session_store::DbSessionStore;
use crate::services::Services;
use crate::support::rules::{sender_name, SenderName};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;
use tokio::time::Instant;

/// How often a stream looks without being woken.
pub const LOOK_EVERY: Duration = Duration::from_secs(1);
/// How often a stream checks that its session still lives.
const SESSION_EVERY: Duration = Duration::from_secs(5);
/// How often an agent's stream marks them seen at work.
const SEEN_EVERY: Duration = Duration::from_secs(60);

/// A message as the stream sends it to `side`.
pub fn message_data(message: &ChatMessage) -> String {
    let (side, name) = match sender_name(&message.sender) {
        SenderName::CustomerService(first) => (Side::Agent, first.unwrap_or_default()),
        SenderName::Merchant(name) => (Side::Merchant, name),
    };
    let time = chrono::DateTime::from_timestamp(message.sent_at, 0)
        .unwrap_or_default()
        .with_timezone(&chrono_tz::Europe::Paris)
        .format("%H:%M");
    format!("{}|{}|{time}|{}", side.letter(), name.replace('|', " "), message.body.replace('\r', ""))
}

/// The state line for `side`, at `now_ms`; `place` in the queue and whether an agent is
/// available (both only while waiting).
pub fn state_data(state: &LiveState, side: Side, now_ms: i64, place: i64, agents: bool) -> String {
    let typing_since = match side {
        Side::Merchant => state.agent_typing_ms,
        Side::Agent => state.merchant_typing_ms,
    };
    let typing = state.status == Status::Connected && now_ms - typing_since < TYPING_FOR_MS;
    let agent = state.agent_name.as_deref().and_then(|name| name.split_whitespace().next()).unwrap_or_default();
    let waiting = state.status == Status::Waiting;
    format!(
        "{}|{agent}|{}|{}|{}",
        state.status.live_name(),
        if waiting { place } else { 0 },
        u8::from(typing),
        u8::from(!waiting || agents)
    )
}

/// The state line of `state` (conversation `id`) for `side`, now.
async fn line_for(db: &crate::db::Db, state: &LiveState, id: i64, side: Side) -> Result<String, sqlx::Error> {
    let (place, agents) = if state.status == Status::Waiting {
        let place = store::queue_place(db, id, state.queued_at).await?;
        (place, !conversations::agents_available(db).await?.is_empty())
    } else {
        (0, true)
    };
    Ok(state_data(state, side, chrono::Utc::now().timestamp_millis(), place, agents))
}

/// The state line a page is rendered with (the stream sends the same first).
pub async fn current_line(db: &crate::db::Db, id: i64, side: Side) -> Result<String, sqlx::Error> {
    match store::live_state(db, id).await? {
        Some(state) => line_for(db, &state, id, side).await,
        None => Ok(String::new()),
    }
}

/// One open stream.
struct Follow {
    services: Services,
    caller: Caller,
    side: Side,
    id: i64,
    session: String,
    /// The last message sent.
    after: i64,
    last_state: Option<String>,
    pending: VecDeque<Event>,
    done: bool,
    first: bool,
    wake: tokio::sync::broadcast::Receiver<i64>,
    live: tokio::sync::watch::Receiver<crate::notifications::centre::Signal>,
    until: Instant,
    session_checked: Instant,
    seen: Instant,
}

enum Next {
    Look,
    Stop,
}

impl Follow {
    /// Until this conversation is woken, it is time to look anyway, or the stream must stop.
    async fn wait(&mut self) -> Next {
        let look = tokio::time::sleep(LOOK_EVERY);
        tokio::pin!(look);
        loop {
            tokio::select! {
                woken = self.wake.recv() => match woken {
                    Ok(id) if id == self.id => return Next::Look,
                    Ok(_) => {}
                    Err(RecvError::Lagged(_)) => return Next::Look,
                    Err(RecvError::Closed) => {
                        (&mut look).await;
                        return Next::Look;
                    }
                },
                _ = &mut look => return Next::Look,
                _ = tokio::time::sleep_until(self.until) => return Next::Stop,
                changed = self.live.changed() => if changed.is_err() || self.live.borrow().closed { return Next::Stop },
            }
        }
    }

    /// Reads what changed into `pending`; false when the stream must stop.
    async fn look(&mut self) -> Result<bool, sqlx::Error> {
        let now = Instant::now();
        if now >= self.session_checked + SESSION_EVERY {
            self.session_checked = now;
            if !DbSessionStore::is_live(&self.services.db, &self.session).await? {
                return Ok(false);
            }
        }
        if self.side == Side::Agent && now >= self.seen + SEEN_EVERY {
            self.seen = now;
            conversations::seen(&self.services.db, &self.caller).await?;
        }
        if self.id == super::settings::QUEUE {
            let count = store::waiting_count(&self.services.db).await?.to_string();
            if self.last_state.as_ref() != Some(&count) {
                self.pending.push_back(Event::default().event("queue").data(&count));
                self.last_state = Some(count);
            }
            return Ok(true);
        }
        let Some(state) = store::live_state(&self.services.db, self.id).await? else { return Ok(false) };
        while state.last_message > self.after {
            let messages = store::messages_after(&self.services.db, self.id, self.after).await?;
            let Some(last) = messages.last() else { break };
            self.after = last.id;
            self.pending.extend(messages.iter().map(|message| {
                Event::default().event("message").id(message.id.to_string()).data(message_data(message))
            }));
        }
        let line = line_for(&self.services.db, &state, self.id, self.side).await?;
        if self.last_state.as_ref() != Some(&line) {
            self.pending.push_back(Event::default().event("state").data(&line));
            self.last_state = Some(line);
        }
        self.done = state.status == Status::Ended;
        Ok(true)
    }

    /// The next event to send, or `None` to end the stream.
    async fn next(&mut self) -> Option<Event> {
        loop {
            if let Some(event) = self.pending.pop_front() {
                return Some(event);
            }
            if self.done {
                return None;
            }
            if !std::mem::take(&mut self.first) {
                if let Next::Stop = self.wait().await {
                    return None;
                }
            }
            match self.look().await {
                Ok(true) => {}
                Ok(false) => return None,
                Err(error) => {
                    // Looked at again next time.
                    tracing::warn!(%error, conversation = self.id, "chat stream cannot read");
                }
            }
        }
    }
}

/// The event stream following conversation `id` (or the queue) for `caller` on `side`, from the
/// message `after`.
fn follow(services: Services, caller: Caller, side: Side, id: i64, session: String, after: i64) -> Response {
    let now = Instant::now();
    let follow = Follow {
        side,
        wake: services.chat.subscribe(),
        live: services.live.subscribe(),
        until: now + services.idle_timeout,
        services,
        caller,
        id,
        session,
        after,
        last_state: None,
        pending: VecDeque::new(),
        done: false,
        first: true,
        session_checked: now,
        // An agent's stream marks them seen at its first look.
        seen: now - SEEN_EVERY,
    };
    let stream = futures::stream::unfold(follow, |mut follow| async move {
        let event = follow.next().await?;
        Some((Ok::<_, Infallible>(event), follow))
    });
    Sse::new(stream).keep_alive(KeepAlive::default()).into_response()
}

/// The message id a (re)connecting browser already has: `Last-Event-ID`, else `?after=`.
fn already_has(headers: &HeaderMap, query: Option<&str>) -> (i64, bool) {
    let header = headers.get("last-event-id").and_then(|value| value.to_str().ok()).and_then(|id| id.parse().ok());
    let query = query
        .and_then(|query| url::form_urlencoded::parse(query.as_bytes()).find(|(key, _)| key == "after"))
        .and_then(|(_, value)| value.parse().ok());
    (header.or(query).unwrap_or(0).max(0), header.is_some())
}

/// `GET /chat/{id}/events`. Without a signed-in user the answer is 204, which tells the browser
/// to stop reconnecting; so is a reconnection to a chat that has ended (its page already had it
/// all). Someone else's conversation is "not found".
pub async fn events(
    State(services): State<Services>,
    session: tower_sessions::Session,
    caller: Option<axum::Extension<Caller>>,
    Path(id): Path<i64>,
    uri: axum::http::Uri,
    headers: HeaderMap,
) -> Response {
    let (Some(axum::Extension(caller)), Some(session)) = (caller, session.id()) else {
        return StatusCode::NO_CONTENT.into_response();
    };
    let chat = match conversations::open(&services.db, &caller, id).await {
        Ok(chat) => chat,
        Err(error) => return error.into_response(),
    };
    let (after, reconnecting) = already_has(&headers, uri.query());
    if reconnecting && chat.status == Status::Ended {
        return StatusCode::NO_CONTENT.into_response();
    }
    let side = side_of(&caller);
    follow(services, caller, side, id, session.to_string(), after)
}

/// `GET /support/chats/events` (support agents): how many chats wait, now and on every change,
/// until the session ends, the idle timeout passes or the server shuts down; it marks the agent
/// seen at work every minute while their console is open. 204 for anyone else.
pub async fn queue_events(
    State(services): State<Services>,
    session: tower_sessions::Session,
    caller: Option<axum::Extension<Caller>>,
) -> Response {
    let (Some(axum::Extension(caller)), Some(session)) = (caller, session.id()) else {
        return StatusCode::NO_CONTENT.into_response();
    };
    if side_of(&caller) != Side::Agent {
        return StatusCode::NO_CONTENT.into_response();
    }
    follow(services, caller, Side::Agent, super::settings::QUEUE, session.to_string(), 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::model::Sender;

    fn state(status: Status) -> LiveState {
        LiveState {
            user_id: 1,
            status,
            agent_user_id: Some(5),
            agent_name: Some("Yanis Roux".into()),
            merchant_typing_ms: 10_000,
            agent_typing_ms: 10_000,
            queued_at: 0,
            last_message: 0,
        }
    }

    #[test]
    fn the_state_line_says_who_where_and_whether_the_other_side_types() {
        let waiting = LiveState { agent_name: None, agent_user_id: None, ..state(Status::Waiting) };
        assert_eq!(state_data(&waiting, Side::Merchant, 11_000, 3, false), "waiting||3|0|0");
        assert_eq!(state_data(&waiting, Side::Merchant, 11_000, 1, true), "waiting||1|0|1");
        assert_eq!(state_data(&state(Status::Connected), Side::Merchant, 11_000, 0, true), "connected|Yanis|0|1|1");
        assert_eq!(state_data(&state(Status::Connected), Side::Agent, 16_000, 0, true), "connected|Yanis|0|0|1");
        assert_eq!(state_data(&state(Status::Ended), Side::Merchant, 11_000, 0, true), "ended|Yanis|0|0|1");
    }

    #[test]
    fn a_message_carries_its_side_first_name_paris_time_and_text() {
        let message = |kind: &str, full_name: &str, body: &str| ChatMessage {
            id: 9,
            sender: Sender { user_id: 1, username: "u".into(), full_name: full_name.into(), kind: kind.into() },
            body: body.into(),
            // 2026-12-02 13:05 UTC is 14:05 in Paris.
            sent_at: 1_796_216_700,
        };
        assert_eq!(message_data(&message("support_agent", "Yanis Roux", "Bonjour")), "a|Yanis|14:05|Bonjour");
        assert_eq!(message_data(&message("merchant", "Camille | M", "a|b\r\nc")), "m|Camille   M|14:05|a|b\nc");
    }

    #[test]
    fn a_reconnecting_browser_names_the_last_message_it_has() {
        let mut headers = HeaderMap::new();
        assert_eq!(already_has(&headers, None), (0, false));
        assert_eq!(already_has(&headers, Some("after=12")), (12, false));
        headers.insert("last-event-id", "40".parse().unwrap());
        assert_eq!(already_has(&headers, Some("after=12")), (40, true));
    }
}
