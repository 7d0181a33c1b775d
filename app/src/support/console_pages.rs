//! Customer service's console, rendered on the server: `/support`, the message threads waiting
//! for an answer first, then the answered ones, each oldest first, searchable by establishment
//! or case number; and `/support/threads/{id}`, one thread with the merchant's organisation and
//! establishment, the case it is about (read-only), the answer form and the closing form.
//! Anyone but a support agent is told these pages do not exist.

use crate::i18n::*;
use crate::web::page::{language, server_body, PageHeading};
use crate::AppError;
use leptos::prelude::*;

pub(crate) mod body {
    use crate::accounts::model::Flash;
    use crate::format;
    use crate::i18n::*;
    use crate::support::case_facts::CaseFacts;
    use crate::support::model::ConsoleThread;
    use crate::support::pages::parts::{status_label, topic_label, MessageFields, Messages};
    use crate::support::state::Status;
    use crate::support::threads::ThreadFile;
    use crate::web::form::{FormProblem, NoticeBanner};
    use leptos::prelude::*;

    #[component]
    pub fn ConsoleBody(
        threads: Vec<ConsoleThread>,
        chats: crate::support::chat::conversations::ChatConsole,
        search: String,
        language: String,
    ) -> impl IntoView {
        let i18n = use_i18n();
        let searched = !search.is_empty();
        view! {
            <crate::support::chat::console_pages::ChatSection console=chats />
            <h2>{t_string!(i18n, chat_threads_title)}</h2>
            <form class="form form--inline" method="get" action="/support" role="search" data-testid="console-search">
                <div class="field">
                    <label for="field-q">{t_string!(i18n, support_search_label)}</label>
                    <input id="field-q" name="q" type="search" value=search />
                </div>
                <button type="submit" class="button">{t_string!(i18n, support_search_button)}</button>
                {searched.then(|| view! { " " <a href="/support">{t_string!(i18n, support_search_clear)}</a> })}
            </form>
            {if threads.is_empty() {
                view! { <p class="notice" data-testid="no-threads">{t_string!(i18n, support_no_threads)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll" tabindex="0">
                        <table class="table" data-testid="console-threads">
                            <thead><tr>
                                <th>{t_string!(i18n, col_subject)}</th>
                                <th>{t_string!(i18n, col_status)}</th>
                                <th>{t_string!(i18n, col_organisation)}</th>
                                <th>{t_string!(i18n, col_establishment)}</th>
                                <th>{t_string!(i18n, col_case)}</th>
                                <th>{t_string!(i18n, col_topic)}</th>
                                <th>{t_string!(i18n, col_last_activity)}</th>
                            </tr></thead>
                            <tbody>
                                {threads.into_iter().map(|thread| view! {
                                    <tr data-testid="console-row" data-thread=thread.id.to_string() data-status=thread.status.as_str()>
                                        <td><a href=format!("/support/threads/{}", thread.id)>{thread.subject.clone()}</a></td>
                                        <td>
                                            {(thread.status == Status::Open).then(|| view! { <strong class="badge badge--urgent">{t_string!(i18n, support_unanswered)}</strong> " " })}
                                            {status_label(i18n, thread.status)}
                                        </td>
                                        <td>{thread.organisation.clone()}</td>
                                        <td>{thread.establishment_number.clone().unwrap_or_default()}</td>
                                        <td>{thread.case_number.clone().unwrap_or_default()}</td>
                                        <td>{topic_label(i18n, thread.topic)}</td>
                                        <td>{format::instant(thread.updated_at, &language)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        }
    }

    #[component]
    pub fn AgentThreadBody(file: ThreadFile, flash: Flash, language: String) -> impl IntoView {
        let i18n = use_i18n();
        let thread = file.thread.clone();
        let open = thread.status != Status::Closed;
        let attachment_base = format!("/messages/{}/attachments", thread.id);
        view! {
            <p><a href="/support">{t_string!(i18n, back_to_console)}</a></p>
            <h2 data-testid="thread-subject">{thread.subject.clone()}</h2>
            <NoticeBanner flash=flash.clone() />
            <FormProblem flash=flash.clone() field="form" />
            <dl class="facts" data-testid="merchant-facts">
                <dt>{t_string!(i18n, col_organisation)}</dt><dd data-testid="organisation">{thread.organisation.clone()}</dd>
                {thread.establishment.clone().map(|(number, name)| view! {
                    <dt>{t_string!(i18n, col_establishment)}</dt><dd data-testid="establishment">{name} " (" {number} ")"</dd>
                })}
                <dt>{t_string!(i18n, col_topic)}</dt><dd>{topic_label(i18n, thread.topic)}</dd>
                <dt>{t_string!(i18n, col_status)}</dt><dd data-testid="thread-status" data-status=thread.status.as_str()>{status_label(i18n, thread.status)}</dd>
            </dl>
            {file.case.clone().map(|case| view! { <CaseFacts case language=language.clone() /> })}
            <Messages messages=file.messages.clone() attachment_base language=language.clone() />
            {open.then(|| view! {
                <section class="section" aria-labelledby="answer-title">
                    <h2 id="answer-title">{t_string!(i18n, support_answer_title)}</h2>
                    <form class="form form--wide" method="post" enctype="multipart/form-data"
                        action=format!("/support/threads/{}/reply", thread.id) data-testid="answer-form">
                        <MessageFields body=flash.value("body") />
                        <FormProblem flash=flash.clone() field="body" />
                        <button type="submit" class="button button--primary" data-testid="send-answer">{t_string!(i18n, support_send_answer)}</button>
                    </form>
                </section>
                <section class="section" aria-labelledby="close-title">
                    <h2 id="close-title">{t_string!(i18n, support_close_title)}</h2>
                    <form class="form" method="post" action=format!("/support/threads/{}/close", thread.id) data-testid="close-form">
                        <p class="field__hint">{t_string!(i18n, support_close_hint)}</p>
                        <button type="submit" class="button" data-testid="close-thread">{t_string!(i18n, support_close_button)}</button>
                    </form>
                </section>
            })}
        }
    }
}

/// The console's list, searched by `q`.
async fn console_body(language: String) -> Result<impl IntoView, AppError> {
    use crate::web::context::{caller, query_value, services};
    let (caller, services) = (caller()?, services()?);
    let search = query_value("q").unwrap_or_default().trim().to_owned();
    let threads = crate::support::threads::console(&services.db, &caller, Some(&search)).await?;
    let chats = crate::support::chat::conversations::console(&services.db, &caller).await?;
    Ok(view! { <body::ConsoleBody threads chats search language /> })
}

/// One thread, for customer service.
async fn agent_thread_body(language: String, id: String) -> Result<impl IntoView, AppError> {
    use crate::web::context::{caller, pending_flash_for, services};
    let (caller, services) = (caller()?, services()?);
    let id = id.parse().map_err(|_| AppError::NotFound)?;
    let file = crate::support::threads::open_for_agent(&services.db, &caller, id).await?;
    let flash = pending_flash_for("thread");
    Ok(view! { <body::AgentThreadBody file flash language /> })
}

/// `/support`
#[component]
pub fn ConsolePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading title=t_string!(i18n, support_title).to_owned() intro=t_string!(i18n, support_intro).to_owned() />
        {server_body(console_body(language()))}
    }
}

/// `/support/threads/{id}`
#[component]
pub fn AgentThreadPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = leptos_router::hooks::use_params_map().with_untracked(|params| params.get("id")).unwrap_or_default();
    view! {
        <PageHeading title=t_string!(i18n, support_thread_title).to_owned() intro=t_string!(i18n, support_thread_intro).to_owned() />
        {server_body(agent_thread_body(language(), id))}
    }
}
