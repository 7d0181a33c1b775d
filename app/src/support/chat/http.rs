//! The live chat's endpoints. Plain HTML POSTs answered by a redirect for every move (start,
//! end, have the transcript emailed; an agent's take, transfer, end and availability), so they
//! work without JavaScript; and the two the chat box sends itself: a message
//! (`POST /chat/{id}/messages`: 204 once stored, or 200 with the sentence saying a card number
//! was masked; 422 with the reason in the caller's language) and a keystroke
//! (`POST /chat/{id}/typing`: 204). The live stream is `events`.

use super::conversations;
use super::state::Side;
use super::transcript;
use crate::accounts::caller::Caller;
use crate::accounts::model::{Flash, Notice, Problem};
use crate::format::locale;
use crate::services::Services;
use crate::support::threads::Refused;
use crate::web::reply::{notify, problem_back, Fields};
use crate::AppError;
use axum::extract::{FromRef, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use leptos_i18n::td_string;
use tower_sessions::Session;

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Services: FromRef<S>,
{
    Router::new()
        .route("/chat", post(start))
        .route("/chat/{id}/messages", post(message))
        .route("/chat/{id}/typing", post(typing))
        .route("/chat/{id}/events", get(super::events::events))
        .route("/chat/{id}/end", post(end))
        .route("/chat/{id}/email", post(email))
        .route("/support/chats/{id}/take", post(take))
        .route("/support/chats/{id}/transfer", post(transfer))
        .route("/support/chats/{id}/end", post(end))
        .route("/support/availability", post(availability))
        .route("/support/chats/events", get(super::events::queue_events))
}

/// Sends a refusal back to `to` as the form `form`'s problem; an error answers for itself.
async fn refuse(session: &Session, form: &str, refused: Refused, to: &str) -> Result<Response, AppError> {
    match refused {
        Refused::Problem(problem, subject) => {
            problem_back(session, Flash::for_form(form), &["form"], problem, subject, to).await
        }
        Refused::Error(error) => Err(error),
    }
}

/// `POST /chat`: starts a chat (about `case_number`, if given) and goes to it; refused (closed,
/// no agent, unknown case), back to `/chat` saying why.
async fn start(
    State(services): State<Services>,
    caller: Caller,
    session: Session,
    fields: Fields,
) -> Result<Response, AppError> {
    match conversations::start(&services.db, &services.chat, &caller, &fields.get("case_number")).await {
        Ok(id) => Ok(Redirect::to(&format!("/chat/{id}")).into_response()),
        Err(refused) => refuse(&session, "chat", refused, "/chat").await,
    }
}

/// The sentence a chat box shows for a refused message, in `language`.
fn refusal(problem: Problem, language: &str) -> &'static str {
    let locale = locale(language);
    match problem {
        Problem::Required => td_string!(locale, chat_problem_empty),
        Problem::TooLong => td_string!(locale, chat_problem_too_long),
        Problem::ChatNotYours => td_string!(locale, chat_problem_not_yours),
        _ => td_string!(locale, chat_problem_ended),
    }
}

/// `POST /chat/{id}/messages` (the chat box): the message `body`.
async fn message(
    State(services): State<Services>,
    caller: Caller,
    Path(id): Path<i64>,
    fields: Fields,
) -> Result<Response, AppError> {
    match conversations::write(&services.db, &services.chat, &caller, id, &fields.raw("body")).await {
        Ok((_, false)) => Ok(StatusCode::NO_CONTENT.into_response()),
        Ok((_, true)) => Ok((StatusCode::OK, td_string!(locale(&caller.language), chat_card_masked)).into_response()),
        Err(Refused::Problem(problem, _)) => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, refusal(problem, &caller.language)).into_response())
        }
        Err(Refused::Error(error)) => Err(error),
    }
}

/// `POST /chat/{id}/typing` (the chat box): the caller is typing.
async fn typing(State(services): State<Services>, caller: Caller, Path(id): Path<i64>) -> Result<Response, AppError> {
    conversations::typing(&services.db, &services.chat, &caller, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Where a conversation's page is for the caller.
fn page_of(caller: &Caller, id: i64) -> String {
    match conversations::side_of(caller) {
        Side::Merchant => format!("/chat/{id}"),
        Side::Agent => format!("/support/chats/{id}"),
    }
}

/// `POST /chat/{id}/end` (the merchant) and `POST /support/chats/{id}/end` (the agent): back to
/// the chat's page, which now shows its transcript.
async fn end(
    State(services): State<Services>,
    caller: Caller,
    session: Session,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let to = page_of(&caller, id);
    match conversations::end(&services.db, &services.chat, &caller, id).await {
        Ok(()) => notify(&session, "chat", Notice::ChatEnded, &to).await,
        Err(refused) => refuse(&session, "chat", refused, &to).await,
    }
}

/// `POST /chat/{id}/email`: the transcript to the merchant's address.
async fn email(
    State(services): State<Services>,
    caller: Caller,
    session: Session,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let to = format!("/chat/{id}");
    match transcript::send(&services, &caller, id).await {
        Ok(()) => notify(&session, "chat", Notice::TranscriptSent, &to).await,
        Err(refused) => refuse(&session, "chat", refused, &to).await,
    }
}

/// `POST /support/chats/{id}/take`: to the chat once the agent has it; when another agent was
/// quicker, back to the console saying so.
async fn take(
    State(services): State<Services>,
    caller: Caller,
    session: Session,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    match conversations::take(&services.db, &services.chat, &caller, id).await {
        Ok(()) => Ok(Redirect::to(&format!("/support/chats/{id}")).into_response()),
        Err(refused) => refuse(&session, "chat_console", refused, "/support").await,
    }
}

/// `POST /support/chats/{id}/transfer`: to the agent `to` (their id), or back to the queue
/// (`to` empty); then to the console.
async fn transfer(
    State(services): State<Services>,
    caller: Caller,
    session: Session,
    Path(id): Path<i64>,
    fields: Fields,
) -> Result<Response, AppError> {
    match conversations::transfer(&services.db, &services.chat, &caller, id, &fields.get("to")).await {
        Ok(()) => notify(&session, "chat_console", Notice::ChatTransferred, "/support").await,
        Err(refused) => refuse(&session, "chat", refused, &format!("/support/chats/{id}")).await,
    }
}

/// `POST /support/availability`: `available` or `away`.
async fn availability(
    State(services): State<Services>,
    caller: Caller,
    session: Session,
    fields: Fields,
) -> Result<Response, AppError> {
    let available = fields.get("availability") == "available";
    conversations::set_availability(&services.db, &services.chat, &caller, available).await?;
    notify(&session, "chat_console", Notice::AvailabilitySaved, "/support").await
}
