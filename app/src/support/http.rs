//! The secure messages' endpoints (plain HTML POSTs answered by a redirect, like the case
//! forms): a merchant's new thread and reply (multipart, with attachments), an attachment's
//! download, and customer service's answer and closing. Who may write is checked before the
//! body is read; a refused form comes back to its page with the reason and the typed text, and
//! nothing of it is kept.

use super::rules::FILES_PER_MESSAGE;
use super::threads::{self, MessageForm, Refused};
use crate::accounts::caller::Caller;
use crate::accounts::model::{Flash, Notice, Problem};
use crate::disputes::documents::MAX_BYTES;
use crate::disputes::files::DocumentStore;
use crate::disputes::intake::{self, NotStored};
use crate::services::Services;
use crate::web::reply::{notify, problem_back};
use crate::AppError;
use axum::extract::{DefaultBodyLimit, FromRef, Multipart, Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use tower_sessions::Session;

/// A message form's largest body: its files and some room for the text.
const UPLOAD_LIMIT: usize = FILES_PER_MESSAGE * MAX_BYTES + 1024 * 1024;

/// The form's fields a problem can name; any other subject of a problem is a file's name.
const FIELDS: [&str; 6] = ["subject", "topic", "establishment", "case_number", "body", "form"];

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Services: FromRef<S>,
{
    Router::new()
        .route("/messages", post(start).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)))
        .route("/messages/{id}/reply", post(reply).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)))
        .route("/messages/{id}/attachments/{attachment}", get(attachment))
        .route("/support/threads/{id}/reply", post(agent_reply).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)))
        .route("/support/threads/{id}/close", post(close))
        .merge(super::chat::http::routes())
}

/// Sends a refusal back to `to` as the form's problem (on its field, or naming the file), with
/// the typed text; an error answers for itself.
async fn refuse(session: &Session, flash: Flash, refused: Refused, to: &str) -> Result<Response, AppError> {
    match refused {
        Refused::Problem(problem, subject) => problem_back(session, flash, &FIELDS, problem, subject, to).await,
        Refused::Error(error) => Err(error),
    }
}

/// The flash of a refused form, keeping what was typed (the thread's subject as `title`).
fn typed(form_name: &str, form: &MessageForm) -> Flash {
    let mut flash = Flash::for_form(form_name);
    for (key, value) in [
        ("title", &form.subject),
        ("topic", &form.topic),
        ("establishment", &form.establishment),
        ("case_number", &form.case_number),
        ("body", &form.body),
    ] {
        flash.values.insert(key.into(), value.clone());
    }
    flash
}

/// Reads a message's multipart form, storing its files as they arrive (checked by content and
/// size, see `disputes::intake`). On a problem the files stored so far are deleted and the rest
/// of the body is read and dropped, so that the browser gets the answer without a reset.
async fn read_form(multipart: &mut Multipart, store: &DocumentStore) -> (MessageForm, Result<(), Refused>) {
    let mut form = MessageForm::default();
    let read = read_fields(multipart, store, &mut form).await;
    if read.is_err() {
        crate::disputes::answer::discard(store, &form.files).await;
        form.files.clear();
        while let Ok(Some(mut field)) = multipart.next_field().await {
            while let Ok(Some(_)) = field.chunk().await {}
        }
    }
    (form, read)
}

async fn read_fields(multipart: &mut Multipart, store: &DocumentStore, form: &mut MessageForm) -> Result<(), Refused> {
    let too_large = |_| Refused::Problem(Problem::FileTooLarge, "form".into());
    while let Some(mut field) = multipart.next_field().await.map_err(too_large)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "attachments" {
            if form.files.len() == FILES_PER_MESSAGE && field.file_name().is_some_and(|name| !name.is_empty()) {
                return Err(Refused::Problem(Problem::TooManyFiles, "form".into()));
            }
            match intake::store_upload(store, DocumentStore::new_message_key, &mut field, form.files.len()).await {
                Ok(Some(file)) => form.files.push(file),
                Ok(None) => {}
                Err(NotStored::Problem(problem, file)) => return Err(Refused::Problem(problem, file)),
                Err(NotStored::Store) => return Err(Refused::Error(AppError::Internal)),
            }
            continue;
        }
        let value = field.text().await.map_err(|_| Refused::Problem(Problem::Required, "form".into()))?;
        let value = value.replace("\r\n", "\n");
        match name.as_str() {
            "subject" => form.subject = value,
            "topic" => form.topic = value,
            "establishment" => form.establishment = value,
            "case_number" => form.case_number = value,
            "body" => form.body = value,
            _ => {}
        }
    }
    Ok(())
}

/// `POST /messages`: a new thread with its first message.
async fn start(
    State(services): State<Services>,
    caller: Caller,
    session: Session,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    threads::may_start(&caller)?;
    let (form, read) = read_form(&mut multipart, &services.documents).await;
    let flash = typed("new_message", &form);
    if let Err(refused) = read {
        return refuse(&session, flash, refused, "/messages").await;
    }
    match threads::start(&services.db, &services.documents, &caller, form).await {
        Ok(id) => notify(&session, "thread", Notice::MessageSent, &format!("/messages/{id}")).await,
        Err(refused) => refuse(&session, flash, refused, "/messages").await,
    }
}

/// `POST /messages/{id}/reply`: a merchant's reply.
async fn reply(
    State(services): State<Services>,
    caller: Caller,
    session: Session,
    Path(id): Path<i64>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let to = format!("/messages/{id}");
    let thread = match threads::may_reply(&services.db, &caller, id).await {
        Ok(thread) => thread,
        Err(refused) => return refuse(&session, Flash::for_form("thread"), refused, &to).await,
    };
    let (form, read) = read_form(&mut multipart, &services.documents).await;
    let flash = typed("thread", &form);
    if let Err(refused) = read {
        return refuse(&session, flash, refused, &to).await;
    }
    match threads::reply(&services.db, &services.documents, &caller, &thread, form).await {
        Ok(()) => notify(&session, "thread", Notice::ReplySent, &to).await,
        Err(refused) => refuse(&session, flash, refused, &to).await,
    }
}

/// `GET /messages/{id}/attachments/{attachment}`: the file, shown by the browser, never run.
async fn attachment(
    State(services): State<Services>,
    caller: Caller,
    Path((id, attachment)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let stored = threads::attachment(&services.db, &caller, id, attachment).await?;
    let content = services.documents.get(&stored.key).await.map_err(|error| {
        tracing::error!(%error, key = stored.key, "reading an attachment");
        AppError::Internal
    })?;
    crate::web::reply::inline_file(&stored.name, &stored.content_type, content)
}

/// `POST /support/threads/{id}/reply`: customer service's answer.
async fn agent_reply(
    State(services): State<Services>,
    caller: Caller,
    session: Session,
    Path(id): Path<i64>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let to = format!("/support/threads/{id}");
    let thread = match threads::may_answer(&services.db, &caller, id).await {
        Ok(thread) => thread,
        Err(refused) => return refuse(&session, Flash::for_form("thread"), refused, &to).await,
    };
    let (form, read) = read_form(&mut multipart, &services.documents).await;
    let flash = typed("thread", &form);
    if let Err(refused) = read {
        return refuse(&session, flash, refused, &to).await;
    }
    match threads::answer(&services.db, &services.documents, &caller, &thread, form).await {
        Ok(()) => notify(&session, "thread", Notice::ReplySent, &to).await,
        Err(refused) => refuse(&session, flash, refused, &to).await,
    }
}

/// `POST /support/threads/{id}/close`
async fn close(
    State(services): State<Services>,
    caller: Caller,
    session: Session,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let to = format!("/support/threads/{id}");
    match threads::close(&services.db, &caller, id).await {
        Ok(()) => notify(&session, "thread", Notice::ThreadClosed, &to).await,
        Err(refused) => refuse(&session, Flash::for_form("thread"), refused, &to).await,
    }
}
