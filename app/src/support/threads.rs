//! What merchants and customer service do with secure messages: list, open (which moves the
//! reader's read mark), start a thread, reply, answer, close, and fetch an attachment. Each read
//! checks the caller's scope first ("not found" otherwise); each write checks the form and the
//! thread's status (`state`), then writes the thread, its message, its attachments, its audit
//! trail and, for customer service's answers, the reply notices' outbox rows in one transaction,
//! or nothing. Attachments are stored before the transaction (they stream in with the form):
//! whatever is not recorded is deleted again, so a refused message leaves no file behind.

use super::model::{CaseSummary, ConsoleThread, ListedThread, Message, StoredAttachment, Thread, Topic};
use super::rules::{self, ThreadScope};
use super::state::{transition, Action};
use super::store::{self, NewAttachment, NewThread};
use crate::accounts::caller::Caller;
use crate::accounts::model::Problem;
use crate::db::{Db, Write};
use crate::disputes::answer::{discard, StoredFile};
use crate::disputes::files::DocumentStore;
use crate::AppError;

/// Why a write changed nothing: a problem the user can fix (with the field it concerns, or the
/// file it names), or an error.
#[derive(Debug)]
pub enum Refused {
    Problem(Problem, String),
    Error(AppError),
}

impl From<AppError> for Refused {
    fn from(error: AppError) -> Refused {
        Refused::Error(error)
    }
}

impl From<sqlx::Error> for Refused {
    fn from(error: sqlx::Error) -> Refused {
        Refused::Error(error.into())
    }
}

impl From<(Problem, &'static str)> for Refused {
    fn from((problem, field): (Problem, &'static str)) -> Refused {
        Refused::Problem(problem, field.to_owned())
    }
}

/// A message's form as sent: for a new thread, its subject, topic, establishment and case too.
#[derive(Debug, Clone, Default)]
pub struct MessageForm {
    pub subject: String,
    pub topic: String,
    /// An establishment's id, or empty.
    pub establishment: String,
    /// A case number, or empty.
    pub case_number: String,
    pub body: String,
    /// The form's files, already checked and stored.
    pub files: Vec<StoredFile>,
}

impl MessageForm {
    fn file_names(&self) -> Vec<&str> {
        self.files.iter().map(|file| file.name.as_str()).collect()
    }
}

/// The merchant's threads, newest activity first.
pub async fn list(db: &Db, caller: &Caller) -> Result<Vec<ListedThread>, AppError> {
    let scope = ThreadScope::of(caller)?;
    Ok(store::threads_for_scope(db, scope.user_id, &scope.headquarters, &scope.establishments).await?)
}

/// A thread as its page shows it.
#[derive(Debug, Clone)]
pub struct ThreadFile {
    pub thread: Thread,
    pub messages: Vec<Message>,
    /// For customer service: the case the thread is about, if any.
    pub case: Option<CaseSummary>,
}

/// Moves the caller's read mark to the thread's newest message, unless it is there already
/// (a page seen again writes nothing).
async fn record_read(db: &Db, thread: i64, user: i64, messages: &[Message]) -> Result<(), AppError> {
    let newest = messages.last().map_or(0, |message| message.id);
    if newest > store::read_mark(db, thread, user).await? {
        let mut transaction = db.write().await?;
        store::mark_read(&mut transaction, thread, user, newest, crate::clock::now()).await?;
        transaction.commit().await?;
    }
    Ok(())
}

/// The thread for a merchant who may see it; opening it marks it read for them.
pub async fn open(db: &Db, caller: &Caller, id: i64) -> Result<ThreadFile, AppError> {
    let thread = ThreadScope::of(caller)?.check(store::thread_by_id(db, id).await?)?;
    let messages = store::messages_of(db, id).await?;
    record_read(db, id, caller.user_id, &messages).await?;
    Ok(ThreadFile { thread, messages, case: None })
}

/// The thread for customer service, with its case's summary.
pub async fn open_for_agent(db: &Db, caller: &Caller, id: i64) -> Result<ThreadFile, AppError> {
    rules::require_agent(caller)?;
    let thread = store::thread_by_id(db, id).await?.ok_or(AppError::NotFound)?;
    let messages = store::messages_of(db, id).await?;
    let case = match thread.dispute_id {
        Some(dispute) => store::case_summary(db, dispute).await?,
        None => None,
    };
    Ok(ThreadFile { thread, messages, case })
}

/// Customer service's console: threads waiting first; `search` an establishment or case number.
pub async fn console(db: &Db, caller: &Caller, search: Option<&str>) -> Result<Vec<ConsoleThread>, AppError> {
    rules::require_agent(caller)?;
    let search = search.map(str::trim).filter(|search| !search.is_empty());
    Ok(store::console_threads(db, search).await?)
}

/// An attachment's file, for a merchant who sees its thread or for customer service.
pub async fn attachment(db: &Db, caller: &Caller, thread: i64, id: i64) -> Result<StoredAttachment, AppError> {
    if rules::require_agent(caller).is_err() {
        ThreadScope::of(caller)?.check(store::thread_by_id(db, thread).await?)?;
    }
    store::attachment_of_thread(db, thread, id).await?.ok_or(AppError::NotFound)
}

/// Before a form's body is read: whether the caller may write a new thread (a merchant of an
/// organisation).
pub fn may_start(caller: &Caller) -> Result<(), AppError> {
    ThreadScope::of(caller)?;
    rules::organisation_for(caller, None).map(|_| ()).ok_or(AppError::NotFound)
}

/// Before a reply's body is read: the thread, if the merchant may see it and write in it.
pub async fn may_reply(db: &Db, caller: &Caller, id: i64) -> Result<Thread, Refused> {
    let thread = ThreadScope::of(caller)?.check(store::thread_by_id(db, id).await?)?;
    transition(thread.status, Action::MerchantWrites)
        .map_err(|_| Refused::Problem(Problem::ThreadClosed, "form".into()))?;
    Ok(thread)
}

/// Before an answer's body is read: the thread, if customer service may answer it.
pub async fn may_answer(db: &Db, caller: &Caller, id: i64) -> Result<Thread, Refused> {
    rules::require_agent(caller)?;
    let thread = store::thread_by_id(db, id).await?.ok_or(AppError::NotFound)?;
    transition(thread.status, Action::AgentAnswers)
        .map_err(|_| Refused::Problem(Problem::ThreadClosed, "form".into()))?;
    Ok(thread)
}

/// Runs `write` with the form's stored files; unless it succeeds, they are deleted again.
async fn keeping_files_on_success<T>(
    files: &DocumentStore,
    form: &MessageForm,
    write: impl std::future::Future<Output = Result<T, Refused>>,
) -> Result<T, Refused> {
    let written = write.await;
    if written.is_err() {
        discard(files, &form.files).await;
    }
    written
}

/// Starts a thread with its first message; the new thread's id.
pub async fn start(db: &Db, files: &DocumentStore, caller: &Caller, form: MessageForm) -> Result<i64, Refused> {
    keeping_files_on_success(files, &form, start_with_stored(db, caller, &form)).await
}

async fn start_with_stored(db: &Db, caller: &Caller, form: &MessageForm) -> Result<i64, Refused> {
    ThreadScope::of(caller)?;
    rules::check_subject(&form.subject)?;
    let topic = Topic::parse(&form.topic).ok_or(Refused::Problem(Problem::Required, "topic".into()))?;
    let mut establishment = match form.establishment.trim() {
        "" => None,
        id => {
            let scope = id.parse().ok().and_then(|id| caller.establishment(id).ok());
            Some(scope.ok_or(Refused::Problem(Problem::EstablishmentNotRecognised, "establishment".into()))?.id)
        }
    };
    let case_number = form.case_number.trim();
    let dispute = if case_number.is_empty() {
        None
    } else {
        // A case of the caller's scope (and of the establishment chosen, if any); any other is
        // unknown to them.
        let case = store::case_by_number(db, case_number)
            .await?
            .filter(|case| caller.establishment(case.establishment_id).is_ok())
            .filter(|case| establishment.is_none_or(|id| id == case.establishment_id))
            .ok_or(Refused::Problem(Problem::CaseUnknown, "case_number".into()))?;
        establishment = Some(case.establishment_id);
        Some(case.id)
    };
    rules::check_message(&form.body, &form.file_names())?;
    let organisation = rules::organisation_for(caller, establishment).ok_or(Refused::Error(AppError::NotFound))?;
    let number = match establishment {
        Some(id) => store::establishment_number(db, id).await?,
        None => None,
    };
    let actor = rules::actor(caller, establishment.zip(number.as_deref()));
    let now = crate::clock::now();
    let mut transaction = db.write().await?;
    let thread = NewThread {
        organisation,
        establishment,
        created_by: caller.user_id,
        subject: form.subject.trim(),
        topic,
        dispute,
    };
    let id = store::insert_thread(&mut transaction, &thread, now).await?;
    store::insert_event(&mut transaction, id, &actor, now, "opened", "").await?;
    let message = write_message(&mut transaction, id, caller.user_id, &actor, form, now).await?;
    store::mark_read(&mut transaction, id, caller.user_id, message, now).await?;
    transaction.commit().await?;
    Ok(id)
}

/// Writes the message and its attachments, with an audit entry per attachment; its id.
async fn write_message(
    transaction: &mut Write,
    thread: i64,
    sender: i64,
    actor: &super::model::Actor,
    form: &MessageForm,
    now: i64,
) -> Result<i64, sqlx::Error> {
    let message = store::insert_message(transaction, thread, sender, form.body.trim_end(), now).await?;
    for file in &form.files {
        let attachment = NewAttachment {
            message,
            original_name: &file.name,
            storage_key: &file.key,
            content_type: file.mime,
            size_bytes: file.size,
            sha256: &file.digest,
        };
        store::insert_attachment(transaction, &attachment, now).await?;
        store::insert_event(transaction, thread, actor, now, "attachment_added", &file.name).await?;
    }
    Ok(message)
}

/// Who writes in `thread` (the merchant or customer service), moving it by `action`.
async fn write_in_thread(
    db: &Db,
    caller: &Caller,
    thread: &Thread,
    action: Action,
    form: &MessageForm,
) -> Result<(), Refused> {
    rules::check_message(&form.body, &form.file_names())?;
    let next = transition(thread.status, action).map_err(|_| Refused::Problem(Problem::ThreadClosed, "form".into()))?;
    let establishment = thread.establishment_id.zip(thread.establishment.as_ref().map(|(number, _)| number.as_str()));
    let actor = rules::actor(caller, establishment);
    let now = crate::clock::now();
    let mut transaction = db.write().await?;
    let message = write_message(&mut transaction, thread.id, caller.user_id, &actor, form, now).await?;
    let agent_message = (action == Action::AgentAnswers).then_some(message);
    if !store::set_status(&mut transaction, thread.id, thread.status, next, agent_message, now).await? {
        // Someone else moved the thread since it was read.
        return Err(Refused::Problem(Problem::StaleForm, "form".into()));
    }
    store::mark_read(&mut transaction, thread.id, caller.user_id, message, now).await?;
    if action == Action::AgentAnswers {
        store::insert_event(&mut transaction, thread.id, &actor, now, "answered", "").await?;
        store::insert_reply_notices(&mut transaction, thread.id, now).await?;
    } else {
        store::insert_event(&mut transaction, thread.id, &actor, now, "replied", "").await?;
    }
    transaction.commit().await?;
    Ok(())
}

/// A merchant's reply in a thread they see.
pub async fn reply(
    db: &Db,
    files: &DocumentStore,
    caller: &Caller,
    thread: &Thread,
    form: MessageForm,
) -> Result<(), Refused> {
    let write = async {
        match ThreadScope::of(caller) {
            Ok(_) => write_in_thread(db, caller, thread, Action::MerchantWrites, &form).await,
            Err(error) => Err(Refused::Error(error)),
        }
    };
    keeping_files_on_success(files, &form, write).await
}

/// Customer service's answer; the merchants who see the thread are told by email.
pub async fn answer(
    db: &Db,
    files: &DocumentStore,
    caller: &Caller,
    thread: &Thread,
    form: MessageForm,
) -> Result<(), Refused> {
    let write = async {
        match rules::require_agent(caller) {
            Ok(()) => write_in_thread(db, caller, thread, Action::AgentAnswers, &form).await,
            Err(error) => Err(Refused::Error(error)),
        }
    };
    keeping_files_on_success(files, &form, write).await
}

/// Customer service closes the thread.
pub async fn close(db: &Db, caller: &Caller, id: i64) -> Result<(), Refused> {
    rules::require_agent(caller)?;
    let thread = store::thread_by_id(db, id).await?.ok_or(AppError::NotFound)?;
    let next =
        transition(thread.status, Action::Close).map_err(|_| Refused::Problem(Problem::ThreadClosed, "form".into()))?;
    let actor = rules::actor(caller, None);
    let now = crate::clock::now();
    let mut transaction = db.write().await?;
    if !store::set_status(&mut transaction, id, thread.status, next, None, now).await? {
        return Err(Refused::Problem(Problem::StaleForm, "form".into()));
    }
    store::insert_event(&mut transaction, id, &actor, now, "closed", "").await?;
    transaction.commit().await?;
    Ok(())
}
