//! The merchants' secure messages, rendered on the server: `/messages`, the threads they may see
//! (newest activity first, unread ones marked) and the "New message" form; and
//! `/messages/{id}`, one thread with its messages and the reply form. The forms are plain
//! multipart POSTs (see `http`), so both pages work without JavaScript. The pieces customer
//! service's pages share (labels, a thread's messages) are in [`parts`].

use crate::i18n::*;
use crate::web::page::{language, server_body, PageHeading};
use crate::AppError;
use leptos::prelude::*;

/// What the merchants' and customer service's thread pages share.
pub mod parts {
    use crate::format;
    use crate::i18n::*;
    use crate::support::model::{Message, Topic};
    use crate::support::rules::{sender_name, SenderName};
    use crate::support::state::Status;
    use leptos::prelude::*;

    pub fn topic_label(i18n: leptos_i18n::I18nContext<Locale>, topic: Topic) -> String {
        match topic {
            Topic::Website => t_string!(i18n, topic_website).to_owned(),
            Topic::Account => t_string!(i18n, topic_account).to_owned(),
            Topic::Case => t_string!(i18n, topic_case).to_owned(),
            Topic::Payments => t_string!(i18n, topic_payments).to_owned(),
        }
    }

    pub fn status_label(i18n: leptos_i18n::I18nContext<Locale>, status: Status) -> String {
        match status {
            Status::Open => t_string!(i18n, thread_status_open).to_owned(),
            Status::Answered => t_string!(i18n, thread_status_answered).to_owned(),
            Status::Closed => t_string!(i18n, thread_status_closed).to_owned(),
        }
    }

    /// A sender as merchants read it: customer service by the agent's first name only.
    fn sender_label(i18n: leptos_i18n::I18nContext<Locale>, message: &Message) -> String {
        match sender_name(&message.sender) {
            SenderName::CustomerService(Some(first)) => format!("{} — {first}", t_string!(i18n, customer_service)),
            SenderName::CustomerService(None) => t_string!(i18n, customer_service).to_owned(),
            SenderName::Merchant(name) => name,
        }
    }

    /// The thread's messages, oldest first; attachments link to `attachment_base`/{id}.
    #[component]
    pub fn Messages(messages: Vec<Message>, attachment_base: String, language: String) -> impl IntoView {
        let i18n = use_i18n();
        view! {
            <ol class="messages" data-testid="messages">
                {messages.into_iter().map(|message| {
                    let from_agent = message.sender.kind == "support_agent";
                    let who = sender_label(i18n, &message);
                    view! {
                        <li class="message" class:message--agent=from_agent data-testid="message">
                            <p class="message__meta">
                                <strong data-testid="sender">{who}</strong> " · "
                                <time>{format::instant(message.sent_at, &language)}</time>
                            </p>
                            <p class="message__body comments">{message.body.clone()}</p>
                            {(!message.attachments.is_empty()).then(|| view! {
                                <ul class="documents" data-testid="attachments">
                                    {message.attachments.iter().map(|attachment| {
                                        let href = format!("{attachment_base}/{}", attachment.id);
                                        let size = format!("{:.1} Mo", attachment.size_bytes as f64 / 1_048_576.0);
                                        view! {
                                            <li data-testid="attachment">
                                                <a href=href target="_blank" rel="noopener">{attachment.name.clone()}</a>
                                                " · " {size}
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        }
    }

    /// The message text and attachments of a form (new thread, reply or answer).
    #[component]
    pub fn MessageFields(body: String) -> impl IntoView {
        let i18n = use_i18n();
        view! {
            <div class="field">
                <label for="field-body">{t_string!(i18n, field_message)}</label>
                <p class="field__hint" id="body-hint">{t_string!(i18n, message_hint)}</p>
                <textarea id="field-body" name="body" rows="6" maxlength="10000" required aria-describedby="body-hint">{body}</textarea>
            </div>
            <div class="field">
                <label for="field-attachments">{t_string!(i18n, field_attachments)}</label>
                <p class="field__hint" id="attachments-hint">{t_string!(i18n, attachments_hint)}</p>
                <input id="field-attachments" name="attachments" type="file" multiple
                    accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" aria-describedby="attachments-hint" />
            </div>
        }
    }
}

mod body {
    use super::parts::{status_label, topic_label, MessageFields, Messages};
    use crate::accounts::model::Flash;
    use crate::format;
    use crate::i18n::*;
    use crate::support::model::{ListedThread, Topic};
    use crate::support::state::Status;
    use crate::support::threads::ThreadFile;
    use crate::web::form::{FormProblem, NoticeBanner};
    use leptos::prelude::*;

    #[component]
    fn ThreadList(threads: Vec<ListedThread>, language: String) -> impl IntoView {
        let i18n = use_i18n();
        if threads.is_empty() {
            return view! { <p class="notice" data-testid="no-threads">{t_string!(i18n, messages_none)}</p> }
                .into_any();
        }
        view! {
            <div class="table-scroll" tabindex="0">
                <table class="table" data-testid="threads">
                    <thead><tr>
                        <th>{t_string!(i18n, col_subject)}</th>
                        <th>{t_string!(i18n, col_topic)}</th>
                        <th>{t_string!(i18n, col_establishment)}</th>
                        <th>{t_string!(i18n, col_last_activity)}</th>
                        <th>{t_string!(i18n, col_status)}</th>
                    </tr></thead>
                    <tbody>
                        {threads.into_iter().map(|thread| view! {
                            <tr data-testid="thread-row" data-thread=thread.id.to_string() data-unread=thread.unread.to_string()>
                                <td>
                                    <a href=format!("/messages/{}", thread.id)>{thread.subject.clone()}</a>
                                    {thread.unread.then(|| view! { " " <strong class="badge badge--urgent" data-testid="unread">{t_string!(i18n, messages_unread)}</strong> })}
                                </td>
                                <td>{topic_label(i18n, thread.topic)}</td>
                                <td>{thread.establishment.clone().unwrap_or_default()}</td>
                                <td>{format::instant(thread.updated_at, &language)}</td>
                                <td data-status=thread.status.as_str()>{status_label(i18n, thread.status)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    }

    #[component]
    fn NewMessageForm(flash: Flash, establishments: Vec<(i64, String)>) -> impl IntoView {
        let i18n = use_i18n();
        let chosen_topic = flash.value("topic");
        let chosen_establishment = flash.value("establishment");
        view! {
            <section class="section" aria-labelledby="new-message-title">
                <h2 id="new-message-title">{t_string!(i18n, messages_new_title)}</h2>
                <FormProblem flash=flash.clone() field="form" />
                <form class="form form--wide" method="post" enctype="multipart/form-data" action="/messages" data-testid="new-message-form">
                    <div class="field" class:field--invalid=flash.problem("subject").is_some()>
                        <label for="field-subject">{t_string!(i18n, field_subject)}</label>
                        <input id="field-subject" name="subject" type="text" maxlength="200" required value=flash.value("title") />
                    </div>
                    <FormProblem flash=flash.clone() field="subject" />
                    <div class="field">
                        <label for="field-topic">{t_string!(i18n, field_topic)}</label>
                        <select id="field-topic" name="topic">
                            {Topic::ALL.into_iter().map(|topic| view! {
                                <option value=topic.as_str() selected=chosen_topic == topic.as_str()>{topic_label(i18n, topic)}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <FormProblem flash=flash.clone() field="topic" />
                    <div class="field">
                        <label for="field-establishment">{t_string!(i18n, field_establishment_optional)}</label>
                        <select id="field-establishment" name="establishment">
                            <option value="">{t_string!(i18n, establishment_none)}</option>
                            {establishments.into_iter().map(|(id, name)| {
                                let value = id.to_string();
                                let selected = chosen_establishment == value;
                                view! { <option value=value selected=selected>{name}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <FormProblem flash=flash.clone() field="establishment" />
                    <div class="field" class:field--invalid=flash.problem("case_number").is_some()>
                        <label for="field-case-number">{t_string!(i18n, field_case_number_optional)}</label>
                        <input id="field-case-number" name="case_number" type="text" maxlength="40" value=flash.value("case_number") />
                    </div>
                    <FormProblem flash=flash.clone() field="case_number" />
                    <MessageFields body=flash.value("body") />
                    <FormProblem flash=flash.clone() field="body" />
                    <button type="submit" class="button button--primary" data-testid="send-message">{t_string!(i18n, send_message)}</button>
                </form>
            </section>
        }
    }

    #[component]
    pub fn MessagesBody(
        threads: Vec<ListedThread>,
        chats: Vec<crate::support::chat::model::PastChat>,
        establishments: Vec<(i64, String)>,
        flash: Flash,
        language: String,
    ) -> impl IntoView {
        view! {
            <NoticeBanner flash=flash.clone() />
            <ThreadList threads language=language.clone() />
            <crate::support::chat::pages::PastChats chats language />
            <NewMessageForm flash establishments />
        }
    }

    #[component]
    pub fn ThreadBody(file: ThreadFile, flash: Flash, language: String) -> impl IntoView {
        let i18n = use_i18n();
        let thread = file.thread.clone();
        let closed = thread.status == Status::Closed;
        let attachment_base = format!("/messages/{}/attachments", thread.id);
        view! {
            <p><a href="/messages">{t_string!(i18n, back_to_messages)}</a></p>
            <h2 data-testid="thread-subject">{thread.subject.clone()}</h2>
            <NoticeBanner flash=flash.clone() />
            <FormProblem flash=flash.clone() field="form" />
            <dl class="facts" data-testid="thread-facts">
                <dt>{t_string!(i18n, col_topic)}</dt><dd>{topic_label(i18n, thread.topic)}</dd>
                <dt>{t_string!(i18n, col_status)}</dt><dd data-testid="thread-status" data-status=thread.status.as_str()>{status_label(i18n, thread.status)}</dd>
                {thread.establishment.clone().map(|(number, name)| view! {
                    <dt>{t_string!(i18n, col_establishment)}</dt><dd>{name} " (" {number} ")"</dd>
                })}
                {thread.case_number.clone().map(|number| view! {
                    <dt>{t_string!(i18n, col_case)}</dt><dd><a href=format!("/disputes/{number}")>{number.clone()}</a></dd>
                })}
            </dl>
            <Messages messages=file.messages.clone() attachment_base language />
            {if closed {
                view! { <p class="notice" data-testid="thread-closed">{t_string!(i18n, thread_closed_note)}</p> }.into_any()
            } else {
                view! {
                    <section class="section" aria-labelledby="reply-title">
                        <h2 id="reply-title">{t_string!(i18n, reply_title)}</h2>
                        <form class="form form--wide" method="post" enctype="multipart/form-data"
                            action=format!("/messages/{}/reply", thread.id) data-testid="reply-form">
                            <MessageFields body=flash.value("body") />
                            <FormProblem flash=flash.clone() field="body" />
                            <button type="submit" class="button button--primary" data-testid="send-reply">{t_string!(i18n, send_reply)}</button>
                        </form>
                    </section>
                }.into_any()
            }}
        }
    }
}

/// The list and the new-message form.
async fn messages_body(language: String) -> Result<impl IntoView, AppError> {
    use crate::web::context::{caller, pending_flash_for, services};
    let (caller, services) = (caller()?, services()?);
    let threads = crate::support::threads::list(&services.db, &caller).await?;
    let chats = crate::support::chat::conversations::past(&services.db, &caller).await?;
    let establishments: Vec<(i64, String)> =
        caller.establishments.iter().map(|scope| (scope.id, scope.name.clone())).collect();
    let flash = pending_flash_for("new_message");
    Ok(view! { <body::MessagesBody threads chats establishments flash language /> })
}

/// One thread, for the caller.
async fn thread_body(language: String, id: String) -> Result<impl IntoView, AppError> {
    use crate::web::context::{caller, pending_flash_for, services};
    let (caller, services) = (caller()?, services()?);
    let id = id.parse().map_err(|_| AppError::NotFound)?;
    let file = crate::support::threads::open(&services.db, &caller, id).await?;
    let flash = pending_flash_for("thread");
    Ok(view! { <body::ThreadBody file flash language /> })
}

/// `/messages`
#[component]
pub fn MessagesPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading
            title=t_string!(i18n, nav_messages).to_owned()
            intro=t_string!(i18n, messages_intro).to_owned()
        />
        {server_body(messages_body(language()))}
    }
}

/// `/messages/{id}`
#[component]
pub fn ThreadPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = leptos_router::hooks::use_params_map().with_untracked(|params| params.get("id")).unwrap_or_default();
    view! {
        <PageHeading title=t_string!(i18n, thread_title).to_owned() intro=t_string!(i18n, thread_intro).to_owned() />
        {server_body(thread_body(language(), id))}
    }
}
