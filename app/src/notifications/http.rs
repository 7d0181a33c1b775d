//! The notification centre's endpoints: marking read (a plain POST answered by a redirect to
//! the list), an administrator's "send again" of a failed email, and the event stream an open page listens to (server-sent events): the unread
//! count and the newest notification's title, sent at once and again whenever they change.

use crate::accounts::caller::Caller;
use crate::accounts::session_store::DbSessionStore;
use crate::notifications::centre;
use crate::services::Services;
use crate::web::reply::Fields;
use crate::AppError;
use axum::extract::{FromRef, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use std::convert::Infallible;
use std::time::Duration;

/// How often a stream looks even without a wake-up (notifications another instance wrote).
const LOOK_EVERY: Duration = Duration::from_secs(5);

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Services: FromRef<S>,
{
    Router::new()
        .route("/notifications/read", post(read))
        .route("/notifications/events", get(events))
        .route("/admin/notifications/{id}/retry", post(send_again))
}

/// `POST /admin/notifications/{id}/retry`: a failed email back in the queue (administrators).
async fn send_again(
    State(services): State<Services>,
    caller: Caller,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> Result<Response, AppError> {
    crate::notifications::admin::require_admin(&caller)?;
    crate::notifications::admin::send_again(&services.db, id, crate::clock::now()).await?;
    Ok(Redirect::to("/admin/notifications").into_response())
}

/// `POST /notifications/read`: one notification (`id`) or all of them read; back to the list.
async fn read(State(services): State<Services>, caller: Caller, fields: Fields) -> Result<Response, AppError> {
    let id = match fields.get("id").as_str() {
        "" => None,
        id => Some(id.parse::<i64>().map_err(|_| AppError::NotFound)?),
    };
    centre::mark_read(&services.db, caller.user_id, id, crate::clock::now()).await?;
    Ok(Redirect::to("/notifications").into_response())
}

/// What the page shows: `count|case number or payment reference|title` of the newest notification (empty parts
/// when there is none).
async fn snapshot(services: &Services, unread: i64, user: i64) -> Result<String, sqlx::Error> {
    Ok(match centre::newest(&services.db, user).await? {
        Some(newest) => format!("{unread}|{}|{}", newest.key(), newest.title(&newest.language)),
        None => format!("{unread}||"),
    })
}

/// `GET /notifications/events`: the caller's unread count and newest notification, now and on
/// every change, until the session ends (signed out, expired, ended by a password change — seen
/// within [`LOOK_EVERY`]), its idle timeout passes (the browser then reconnects, signed in or
/// not) or the server shuts down. Without a signed-in user the answer is 204, which tells the
/// browser to stop reconnecting (a redirect to the sign-in page would be an error in its console).
async fn events(
    State(services): State<Services>,
    session: tower_sessions::Session,
    caller: Option<axum::Extension<Caller>>,
) -> Response {
    let (Some(axum::Extension(caller)), Some(session)) = (caller, session.id()) else {
        return axum::http::StatusCode::NO_CONTENT.into_response();
    };
    let session = session.to_string();
    let user = caller.user_id;
    let until = tokio::time::Instant::now() + services.idle_timeout;
    let live = services.live.subscribe();
    // The last state sent: (unread count, newest notification id). One cheap query tells whether
    // it changed; the newest notification's title is read only when it did.
    let state = (services, live, None::<(i64, i64)>, session);
    let stream = futures::stream::unfold(state, move |(services, mut live, last, session)| async move {
        loop {
            if last.is_some() {
                tokio::select! {
                    _ = live.changed() => {}
                    _ = tokio::time::sleep(LOOK_EVERY) => {}
                    _ = tokio::time::sleep_until(until) => return None,
                }
            }
            if live.borrow().closed {
                return None;
            }
            // Ended meanwhile (or unreadable: looked at again next time).
            if let Ok(false) = DbSessionStore::is_live(&services.db, &session).await {
                return None;
            }
            let Ok(now) = centre::state(&services.db, user).await else {
                tokio::time::sleep(LOOK_EVERY).await;
                continue;
            };
            if last == Some(now) {
                continue;
            }
            let Ok(data) = snapshot(&services, now.0, user).await else {
                tokio::time::sleep(LOOK_EVERY).await;
                continue;
            };
            let event = Event::default().event("unread").data(data);
            return Some((Ok::<_, Infallible>(event), (services, live, Some(now), session)));
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::default()).into_response()
}
