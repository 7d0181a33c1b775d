//! Customer service's side of the live chat, rendered on the server: the console's chat section
//! (the agent's availability, the waiting chats oldest first with how long each has waited and a
//! "Take" button, the agent's chats in progress — several at once) and `/support/chats/{id}`: the
//! merchant's organisation, establishment and case (read-only), the chat box, and the forms to
//! take, hand over and end the chat. Support agents only; anyone else is told it does not exist.

use super::conversations::{self, ChatConsole};
use super::model::ConsoleChat;
use super::pages::{ChatPanel, Transcript};
use super::state::{Side, Status};
use crate::i18n::*;
use crate::web::form::{FormProblem, NoticeBanner};
use crate::web::page::{language, server_body, PageHeading};
use crate::AppError;
use leptos::prelude::*;

/// How long a chat has waited, in whole minutes.
fn waited(queued_at: i64, now: i64) -> String {
    ((now - queued_at).max(0) / 60).to_string()
}

#[component]
fn ChatTable(chats: Vec<ConsoleChat>, waiting: bool) -> impl IntoView {
    let i18n = use_i18n();
    let now = crate::clock::now();
    let testid = if waiting { "waiting-chats" } else { "my-chats" };
    view! {
        <div class="table-scroll" tabindex="0">
            <table class="table" data-testid=testid>
                <thead><tr>
                    <th>{t_string!(i18n, chat_col_merchant)}</th>
                    <th>{t_string!(i18n, col_organisation)}</th>
                    <th>{t_string!(i18n, col_establishment)}</th>
                    <th>{t_string!(i18n, col_case)}</th>
                    <th>{t_string!(i18n, chat_col_waited)}</th>
                    <th>{t_string!(i18n, chat_col_action)}</th>
                </tr></thead>
                <tbody>
                    {chats.into_iter().map(|chat| {
                        let minutes = waited(chat.queued_at, now);
                        view! {
                            <tr data-testid="chat-row" data-chat=chat.id.to_string() data-status=chat.status.as_str()>
                                <td><a href=format!("/support/chats/{}", chat.id)>{chat.merchant.clone()}</a></td>
                                <td>{chat.organisation.clone().unwrap_or_default()}</td>
                                <td>{chat.establishment_number.clone().unwrap_or_default()}</td>
                                <td>{chat.case_number.clone().unwrap_or_default()}</td>
                                <td data-testid="waited">{crate::format::fill(t_string!(i18n, chat_waited), &[("minutes", &minutes)])}</td>
                                <td>
                                    {if waiting {
                                        view! {
                                            <form method="post" action=format!("/support/chats/{}/take", chat.id)>
                                                <button type="submit" class="button button--primary" data-testid="take-chat">{t_string!(i18n, chat_take)}</button>
                                            </form>
                                        }.into_any()
                                    } else {
                                        view! { <a href=format!("/support/chats/{}", chat.id)>{t_string!(i18n, chat_open)}</a> }.into_any()
                                    }}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The console's chat section.
#[component]
pub fn ChatSection(console: ChatConsole) -> impl IntoView {
    let i18n = use_i18n();
    let flash = crate::web::context::pending_flash_for("chat_console");
    let available = console.available;
    view! {
        <section class="section" aria-labelledby="chats-title" data-testid="chat-console">
            <h2 id="chats-title">{t_string!(i18n, chat_console_title)}</h2>
            <NoticeBanner flash=flash.clone() />
            <FormProblem flash=flash.clone() field="form" />
            <form class="form form--inline" method="post" action="/support/availability" data-testid="availability-form">
                <fieldset class="field">
                    <legend>{t_string!(i18n, chat_availability_label)}</legend>
                    <label><input type="radio" name="availability" value="available" checked=available data-testid="available" /> " " {t_string!(i18n, chat_available)}</label>
                    " "
                    <label><input type="radio" name="availability" value="away" checked=!available data-testid="away" /> " " {t_string!(i18n, chat_away)}</label>
                </fieldset>
                <button type="submit" class="button" data-testid="save-availability">{t_string!(i18n, chat_save_availability)}</button>
            </form>
            {(!available).then(|| view! { <p class="muted" data-testid="away-note">{t_string!(i18n, chat_away_note)}</p> })}
            <h3>{t_string!(i18n, chat_waiting_title)}</h3>
            <super::island::WaitingChats
                count=console.waiting.len() as i64
                label=t_string!(i18n, chat_waiting_count).to_owned()
                refresh=t_string!(i18n, chat_refresh).to_owned()
            />
            {if console.waiting.is_empty() {
                view! { <p class="muted" data-testid="no-waiting-chats">{t_string!(i18n, chat_waiting_none)}</p> }.into_any()
            } else {
                view! { <ChatTable chats=console.waiting waiting=true /> }.into_any()
            }}
            <h3>{t_string!(i18n, chat_mine_title)}</h3>
            {if console.mine.is_empty() {
                view! { <p class="muted" data-testid="no-chats-of-mine">{t_string!(i18n, chat_mine_none)}</p> }.into_any()
            } else {
                view! { <ChatTable chats=console.mine waiting=false /> }.into_any()
            }}
        </section>
    }
}

/// One chat, for customer service.
async fn agent_chat_body(language: String, id: String) -> Result<impl IntoView, AppError> {
    use crate::web::context::{caller, pending_flash_for, services};
    let (caller, services) = (caller()?, services()?);
    let i18n = use_i18n();
    let id = id.parse().map_err(|_| AppError::NotFound)?;
    let chat = conversations::open_for_agent(&services.db, &caller, id).await?;
    let case = match chat.dispute_id {
        Some(dispute) => crate::support::store::case_summary(&services.db, dispute).await?,
        None => None,
    };
    let flash = pending_flash_for("chat");
    let mine = chat.agent_user_id == Some(caller.user_id);
    let others: Vec<_> = conversations::agents_available(&services.db)
        .await?
        .into_iter()
        .filter(|agent| agent.user_id != caller.user_id)
        .collect();
    let body = match chat.status {
        Status::Ended => {
            let messages = conversations::messages(&services.db, &chat).await?;
            view! { <Transcript messages side=Side::Agent language=language.clone() /> }.into_any()
        }
        Status::Waiting => view! {
            <p class="notice" data-testid="chat-waiting">{t_string!(i18n, chat_waiting_take_hint)}</p>
            <form method="post" action=format!("/support/chats/{id}/take")>
                <button type="submit" class="button button--primary" data-testid="take-chat">{t_string!(i18n, chat_take)}</button>
            </form>
        }
        .into_any(),
        Status::Connected if !mine => {
            view! { <p class="notice" data-testid="chat-not-yours">{t_string!(i18n, chat_problem_not_yours)}</p> }.into_any()
        }
        Status::Connected => {
            let initial = super::events::current_line(&services.db, id, Side::Agent).await?;
            view! {
                <ChatPanel chat=chat.clone() side=Side::Agent initial />
                <section class="section" aria-labelledby="transfer-title">
                    <h2 id="transfer-title">{t_string!(i18n, chat_transfer_title)}</h2>
                    <form class="form form--inline" method="post" action=format!("/support/chats/{id}/transfer") data-testid="transfer-form">
                        <div class="field">
                            <label for="field-to">{t_string!(i18n, chat_transfer_to)}</label>
                            <select id="field-to" name="to">
                                <option value="">{t_string!(i18n, chat_transfer_queue)}</option>
                                {others.into_iter().map(|agent| view! {
                                    <option value=agent.user_id.to_string()>{agent.full_name.clone()}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <button type="submit" class="button" data-testid="transfer-chat">{t_string!(i18n, chat_transfer)}</button>
                    </form>
                </section>
                <form class="form" method="post" action=format!("/support/chats/{id}/end") data-testid="chat-end-form">
                    <button type="submit" class="button" data-testid="chat-end">{t_string!(i18n, chat_end)}</button>
                </form>
            }
            .into_any()
        }
    };
    Ok(view! {
        <p><a href="/support">{t_string!(i18n, back_to_console)}</a></p>
        <NoticeBanner flash=flash.clone() />
        <FormProblem flash=flash.clone() field="form" />
        <dl class="facts" data-testid="merchant-facts">
            <dt>{t_string!(i18n, chat_col_merchant)}</dt><dd data-testid="merchant">{chat.merchant.clone()}</dd>
            {chat.organisation.clone().map(|organisation| view! {
                <dt>{t_string!(i18n, col_organisation)}</dt><dd data-testid="organisation">{organisation}</dd>
            })}
            {chat.establishment.clone().map(|(number, name)| view! {
                <dt>{t_string!(i18n, col_establishment)}</dt><dd data-testid="establishment">{name} " (" {number} ")"</dd>
            })}
        </dl>
        {case.map(|case| view! { <crate::support::case_facts::CaseFacts case language=language.clone() /> })}
        {body}
    })
}

/// `/support/chats/{id}`
#[component]
pub fn AgentChatPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = leptos_router::hooks::use_params_map().with_untracked(|params| params.get("id")).unwrap_or_default();
    view! {
        <PageHeading title=t_string!(i18n, chat_agent_page_title).to_owned() intro=t_string!(i18n, chat_agent_page_intro).to_owned() />
        {server_body(agent_chat_body(language(), id))}
    }
}
