//! The case forms' endpoints (plain HTML POSTs, like the account forms): the merchant's response
//! (multipart, with documents), document removal, acceptance and bulk acceptance; the dispute
//! team's decision and new-case forms; and the documents themselves, viewed in the browser.
//! A refused form comes back to its page with the reason and the typed comments; nothing changed.

use super::answer::{self, Refused, Responded, ResponseForm};
use super::case::{self, Case, StoredDocument};
use super::documents::MAX_BYTES;
use super::files::DocumentStore;
use super::intake::{self, NotStored};
use super::review::{self, NewCase, Verdict};
use super::state::Stage;
use crate::accounts::caller::Caller;
use crate::accounts::model::{Flash, Notice, Problem};
use crate::services::Services;
use crate::web::reply::{answer, notify, problem_back, Fields};
use crate::AppError;
use axum::extract::{DefaultBodyLimit, FromRef, Multipart, Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use tower_sessions::Session;

/// Files one response form may carry at once (the case holds up to 20 over several sends).
pub const FILES_PER_SEND: usize = 5;
/// The response form's largest body: its files and some room for the fields.
const UPLOAD_LIMIT: usize = FILES_PER_SEND * MAX_BYTES + 1024 * 1024;

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Services: FromRef<S>,
{
    Router::new()
        .route(
            "/disputes/{number}/response",
            post(respond)
                .layer(DefaultBodyLimit::max(UPLOAD_LIMIT))
                .layer(axum::middleware::from_fn(crate::web::reply::redirect_for_scripts)),
        )
        .route("/disputes/{number}/documents/{id}", get(document))
        .route("/disputes/{number}/documents/{id}/remove", post(remove_document))
        .route("/disputes/{number}/accept", post(accept))
        .route("/disputes/accept", post(accept_many))
        .route("/review/{number}/decide", post(decide))
        .route("/review/open", post(open_case))
}

fn case_page(number: &str) -> String {
    format!("/disputes/{}", urlencode(number))
}

fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// Sends a refusal back to `to` as the form's problem (with the file or case it names), or
/// lets an error answer for itself.
async fn refuse(session: &Session, flash: Flash, refused: Refused, to: &str) -> Result<Response, AppError> {
    const FIELDS: [&str; 7] = ["note", "reply_by", "outcome", "reference", "stage", "reason_code", "amount"];
    match refused {
        Refused::Problem(problem, subject) => problem_back(session, flash, &FIELDS, problem, subject, to).await,
        Refused::Error(error) => Err(error),
    }
}

fn today() -> chrono::NaiveDate {
    crate::clock::paris_today()
}

/// Reads the multipart response form, storing its files as they arrive (see `intake`) for the
/// case `case`, which has `attached` documents. On a problem the files stored so far are
/// deleted and the rest of the body is read and dropped, so that the browser gets the answer
/// without a reset; nothing of it is kept.
async fn read_response(
    multipart: &mut Multipart,
    store: &DocumentStore,
    case: &Case,
    attached: usize,
) -> Result<ResponseForm, Refused> {
    let mut form = ResponseForm::default();
    let read = read_fields(multipart, store, case, attached, &mut form).await;
    if read.is_err() {
        answer::discard(store, &form.files).await;
        while let Ok(Some(mut field)) = multipart.next_field().await {
            while let Ok(Some(_)) = field.chunk().await {}
        }
    }
    read.map(|()| form)
}

async fn read_fields(
    multipart: &mut Multipart,
    store: &DocumentStore,
    case: &Case,
    attached: usize,
    form: &mut ResponseForm,
) -> Result<(), Refused> {
    let too_large = |_| Refused::Problem(Problem::FileTooLarge, String::new());
    while let Some(mut field) = multipart.next_field().await.map_err(too_large)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "documents" {
            if form.files.len() == FILES_PER_SEND && field.file_name().is_some_and(|name| !name.is_empty()) {
                return Err(Refused::Problem(Problem::TooManyFiles, String::new()));
            }
            match intake::store_file(store, case.id, &mut field, attached + form.files.len()).await {
                Ok(Some(file)) => form.files.push(file),
                Ok(None) => {}
                Err(NotStored::Problem(problem, file)) => return Err(Refused::Problem(problem, file)),
                Err(NotStored::Store) => return Err(Refused::Error(AppError::Internal)),
            }
            continue;
        }
        let value = field.text().await.map_err(|_| Refused::Problem(Problem::Required, String::new()))?;
        match name.as_str() {
            "comments" => form.comments = value.replace("\r\n", "\n"),
            "version" => form.version = value.trim().parse().unwrap_or(-1),
            "idempotency_key" => form.idempotency_key = value.trim().chars().take(64).collect(),
            "intent" => form.submit = value == "submit",
            "ticked" => form.ticked.extend(value.trim().parse::<i64>().ok()),
            _ => {}
        }
    }
    Ok(())
}

/// The idempotency key of a submission, read from the text fields the form sends before its
/// files (no file is read); `None` for a draft or a form without one.
async fn resent_submission_key(multipart: &mut Multipart) -> Option<String> {
    let (mut key, mut submit) = (String::new(), false);
    while let Ok(Some(field)) = multipart.next_field().await {
        match field.name().unwrap_or_default() {
            "documents" => break,
            "idempotency_key" => key = field.text().await.ok()?.trim().chars().take(64).collect(),
            "intent" => submit = field.text().await.ok()? == "submit",
            _ => {}
        }
    }
    (submit && !key.is_empty()).then_some(key)
}

/// `POST /disputes/{number}/response`: save the draft or submit, with any new documents. Who
/// may answer the case now is checked before the body is read.
async fn respond(
    State(services): State<Services>,
    caller: Caller,
    session: Session,
    Path(number): Path<String>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let to = case_page(&number);
    let (case, attached) = match answer::may_answer(&services.db, &caller, &number, today()).await {
        Ok(found) => found,
        Err(refused @ Refused::Problem(..)) => {
            // A submission sent again (its answer lost to a dropped connection or a restart)
            // finds the case already submitted: it is told so, not refused.
            if let Some(key) = resent_submission_key(&mut multipart).await {
                if answer::was_submitted(&services.db, &caller, &number, &key).await? {
                    let notice = Flash { notice: Some(Notice::ResponseSubmitted), ..Flash::for_form("case") };
                    return answer(&session, notice, &to).await;
                }
            }
            return refuse(&session, Flash::for_form("case"), refused, &to).await;
        }
        Err(refused) => return refuse(&session, Flash::for_form("case"), refused, &to).await,
    };
    let mut form = match read_response(&mut multipart, &services.documents, &case, attached).await {
        Ok(form) => form,
        Err(refused) => return refuse(&session, Flash::for_form("case"), refused, &to).await,
    };
    let masked = form.mask_card_numbers();
    let mut flash = card_masked(Flash::for_form("case"), masked);
    flash.values.insert("comments".into(), form.comments.clone());
    let done = |notice| Flash { notice: Some(notice), ..card_masked(Flash::for_form("case"), masked) };
    match answer::respond(&services.db, &services.documents, &caller, &number, form, today()).await {
        Ok(Responded::DraftSaved) => answer(&session, done(Notice::DraftSaved), &to).await,
        Ok(Responded::Submitted | Responded::AlreadySubmitted) => {
            answer(&session, done(Notice::ResponseSubmitted), &to).await
        }
        Err(refused) => refuse(&session, flash, refused, &to).await,
    }
}

/// The flash, telling the page that a card number typed in the form was masked.
fn card_masked(mut flash: Flash, masked: bool) -> Flash {
    if masked {
        flash.values.insert("card_masked".into(), "yes".into());
    }
    flash
}

/// `POST /disputes/{number}/documents/{id}/remove`
async fn remove_document(
    State(services): State<Services>,
    caller: Caller,
    session: Session,
    Path((number, id)): Path<(String, i64)>,
    fields: Fields,
) -> Result<Response, AppError> {
    let to = case_page(&number);
    let version = fields.get("version").parse().unwrap_or(-1);
    match answer::remove_document(&services.db, &services.documents, &caller, &number, id, version, today()).await {
        Ok(()) => notify(&session, "case", Notice::DocumentRemoved, &to).await,
        Err(refused) => refuse(&session, Flash::for_form("case"), refused, &to).await,
    }
}

/// `POST /disputes/{number}/accept`: needs the confirmation box ticked.
async fn accept(
    State(services): State<Services>,
    caller: Caller,
    session: Session,
    Path(number): Path<String>,
    fields: Fields,
) -> Result<Response, AppError> {
    let to = case_page(&number);
    if !fields.checked("confirm") {
        return refuse(
            &session,
            Flash::for_form("case"),
            Refused::Problem(Problem::ConfirmationRequired, String::new()),
            &to,
        )
        .await;
    }
    let version = fields.get("version").parse().unwrap_or(-1);
    match answer::accept(&services.db, &caller, &number, version, today()).await {
        Ok(()) => notify(&session, "case", Notice::CaseAccepted, &to).await,
        Err(refused) => refuse(&session, Flash::for_form("case"), refused, &to).await,
    }
}

/// `POST /disputes/accept`: the cases ticked in the queue, all or none.
async fn accept_many(
    State(services): State<Services>,
    caller: Caller,
    session: Session,
    fields: Fields,
) -> Result<Response, AppError> {
    let to = "/disputes";
    if !fields.checked("confirm") {
        return refuse(
            &session,
            Flash::for_form("bulk"),
            Refused::Problem(Problem::ConfirmationRequired, String::new()),
            to,
        )
        .await;
    }
    let cases = fields.all("case");
    match answer::accept_many(&services.db, &caller, &cases, today()).await {
        Ok(count) => {
            let mut flash = Flash { notice: Some(Notice::CasesAccepted), ..Flash::for_form("bulk") };
            flash.values.insert("count".into(), count.to_string());
            answer(&session, flash, to).await
        }
        Err(refused) => refuse(&session, Flash::for_form("bulk"), refused, to).await,
    }
}

/// `GET /disputes/{number}/documents/{id}`: the file, shown by the browser, never run.
async fn document(
    State(services): State<Services>,
    caller: Caller,
    Path((number, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let StoredDocument { name, content_type, key } = case::open_document(&services.db, &caller, &number, id).await?;
    let content = services.documents.get(&key).await.map_err(|error| {
        tracing::error!(%error, key, "reading a document");
        AppError::Internal
    })?;
    crate::web::reply::inline_file(&name, &content_type, content)
}

/// `POST /review/{number}/decide`: outcome `merchant`, `cardholder` or `info` (with `reply_by`).
async fn decide(
    State(services): State<Services>,
    caller: Caller,
    session: Session,
    Path(number): Path<String>,
    fields: Fields,
) -> Result<Response, AppError> {
    review::require_analyst(&caller)?;
    let to = case_page(&number);
    let (note, masked) = crate::cards::mask_numbers(&fields.get("note"));
    let mut flash = card_masked(fields.flash("decide", &["note", "reply_by", "outcome"]), masked);
    flash.values.insert("note".into(), note.clone());
    let verdict = match fields.get("outcome").as_str() {
        "merchant" => Verdict::ForMerchant,
        "cardholder" => Verdict::ForCardholder,
        "info" => match review::parse_reply_by(&fields.get("reply_by")) {
            Some(date) => Verdict::MoreInformation(date),
            None => {
                return refuse(&session, flash, Refused::Problem(Problem::ReplyByInvalid, "reply_by".into()), &to).await
            }
        },
        _ => return refuse(&session, flash, Refused::Problem(Problem::Required, "outcome".into()), &to).await,
    };
    let version = fields.get("version").parse().unwrap_or(-1);
    match review::decide(&services.db, &caller, &number, verdict, &note, version, today()).await {
        Ok(_) => {
            let notice = if matches!(verdict, Verdict::MoreInformation(_)) {
                Notice::InfoRequested
            } else {
                Notice::CaseDecided
            };
            let flash = Flash { notice: Some(notice), ..card_masked(Flash::for_form("decide"), masked) };
            answer(&session, flash, &to).await
        }
        Err(refused) => refuse(&session, flash, refused, &to).await,
    }
}

/// `POST /review/open`: a new inquiry or chargeback on a transaction.
async fn open_case(
    State(services): State<Services>,
    caller: Caller,
    session: Session,
    fields: Fields,
) -> Result<Response, AppError> {
    review::require_analyst(&caller)?;
    let to = "/review/open";
    let flash = fields.flash("open", &["reference", "stage", "reason_code", "amount", "reply_by"]);
    let problem = |problem, field: &str| Refused::Problem(problem, field.to_owned());
    let Some(stage) = Stage::parse(&fields.get("stage")) else {
        return refuse(&session, flash, problem(Problem::Required, "stage"), to).await;
    };
    let amount = match fields.get("amount") {
        empty if empty.is_empty() => None,
        typed => match super::queue::parse_amount(&typed) {
            Some(amount) => Some(amount),
            None => return refuse(&session, flash, problem(Problem::AmountInvalid, "amount"), to).await,
        },
    };
    let Some(reply_by) = review::parse_reply_by(&fields.get("reply_by")) else {
        return refuse(&session, flash, problem(Problem::ReplyByInvalid, "reply_by"), to).await;
    };
    let new = NewCase {
        reference: fields.get("reference"),
        stage,
        reason_code: fields.get("reason_code").to_uppercase(),
        amount,
        reply_by,
    };
    match review::open_case(&services.db, &caller, &new, today()).await {
        Ok(number) => notify(&session, "case", Notice::CaseOpened, &case_page(&number)).await,
        Err(refused) => refuse(&session, flash, refused, to).await,
    }
}
