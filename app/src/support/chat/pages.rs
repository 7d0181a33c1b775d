//! The merchants' live chat, rendered on the server: the chat entry every merchant page carries
//! (open: a button to `/chat`; closed: when it opens next, the phone line and a link to write a
//! secure message), `/chat` (start a chat, optionally about a case; or why not now, with the
//! alternatives), `/chat/{id}` (the chat box while it goes on, the transcript once it has ended,
//! with "email me the transcript"), and the list of past chats on the Messages page. The pieces
//! customer service's pages share (the transcript, the chat box's words) are here too.

use super::conversations;
use super::hours::Opening;
use super::model::{ChatMessage, Conversation, PastChat};
use super::state::{Side, Status};
use crate::format::{self, fill};
use crate::i18n::*;
use crate::web::form::{FormProblem, NoticeBanner};
use crate::web::page::{language, server_body, PageHeading};
use crate::AppError;
use leptos::prelude::*;

type I18n = leptos_i18n::I18nContext<Locale>;

/// When the chat opens next, as a sentence's end: "lundi à 9h00", "demain à 9h00".
pub fn opens_label(i18n: I18n, next: Option<i64>, now: i64) -> String {
    use chrono::{Datelike, Timelike};
    let Some(next) = next else { return t_string!(i18n, chat_opens_never).to_owned() };
    let local = chrono::DateTime::from_timestamp(next, 0).unwrap_or_default().with_timezone(&chrono_tz::Europe::Paris);
    let minute = format!("{:02}", local.minute());
    let time = fill(t_string!(i18n, chat_time), &[("hour", &local.hour().to_string()), ("minute", &minute)]);
    let days = (local.date_naive() - crate::clock::paris_date(now)).num_days();
    let weekday = local.weekday().num_days_from_monday() as usize;
    let day = t_string!(i18n, chat_weekdays).split(',').nth(weekday).unwrap_or_default().to_owned();
    match days {
        0 => fill(t_string!(i18n, chat_opens_today), &[("time", &time)]),
        1 => fill(t_string!(i18n, chat_opens_tomorrow), &[("time", &time)]),
        2..=6 => fill(t_string!(i18n, chat_opens_on), &[("day", &day), ("time", &time)]),
        _ => {
            let date = format::date(local.date_naive(), i18n.get_locale_untracked().as_str());
            fill(t_string!(i18n, chat_opens_on_date), &[("day", &day), ("date", &date), ("time", &time)])
        }
    }
}

/// The phone line and the link to a secure message: what the chat offers when it cannot chat.
#[component]
fn Alternatives(phone: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span data-testid="chat-phone">{fill(t_string!(i18n, chat_phone), &[("phone", &phone)])}</span>
        " · "
        <a href="/messages#new-message-title" data-testid="chat-write-message">{t_string!(i18n, chat_write_message)}</a>
    }
}

/// The chat entry of every merchant page, under the navigation.
#[component]
pub fn ChatEntry() -> impl IntoView {
    let i18n = use_i18n();
    let Ok(services) = crate::web::context::services() else { return ().into_any() };
    let settings = services.chat.clone();
    match settings.opening() {
        Opening::Open { .. } => view! {
            <div class="chat-entry" data-testid="chat-entry" data-open="true">
                <a class="button button--primary chat-entry__button" href="/chat" data-testid="chat-button">{t_string!(i18n, chat_button)}</a>
                " " <span>{t_string!(i18n, chat_entry_open)}</span>
            </div>
        }
        .into_any(),
        Opening::Closed { next } => {
            let when = opens_label(i18n, next, settings.now());
            view! {
                <div class="chat-entry chat-entry--closed" data-testid="chat-entry" data-open="false">
                    <a class="chat-entry__button" href="/chat" data-testid="chat-button">{fill(t_string!(i18n, chat_button_closed), &[("when", &when)])}</a>
                    " · " <Alternatives phone=settings.phone.clone() />
                </div>
            }
            .into_any()
        }
    }
}

/// The chat box's words for `side`, and the island itself.
#[component]
pub fn ChatPanel(chat: Conversation, side: Side, initial: String) -> impl IntoView {
    let i18n = use_i18n();
    let (other, connected, ended_href, ended_link, waiting) = match side {
        Side::Merchant => (
            t_string!(i18n, customer_service),
            t_string!(i18n, chat_state_connected),
            format!("/chat/{}", chat.id),
            t_string!(i18n, chat_see_transcript),
            t_string!(i18n, chat_state_waiting),
        ),
        Side::Agent => (
            t_string!(i18n, chat_merchant),
            t_string!(i18n, chat_state_connected_agent),
            "/support".to_owned(),
            t_string!(i18n, back_to_console),
            t_string!(i18n, chat_state_waiting_agent),
        ),
    };
    view! {
        <noscript><p class="notice" data-testid="chat-needs-javascript">
            {t_string!(i18n, chat_needs_javascript)} " " <a href="/messages#new-message-title">{t_string!(i18n, chat_write_message)}</a>
        </p></noscript>
        <super::island::ChatBox
            base=format!("/chat/{}", chat.id)
            side=side.letter().to_owned()
            initial
            you=t_string!(i18n, chat_you).to_owned()
            other=other.to_owned()
            waiting=waiting.to_owned()
            no_agent=t_string!(i18n, chat_state_no_agent).to_owned()
            connected=connected.to_owned()
            typing=t_string!(i18n, chat_state_typing).to_owned()
            ended=t_string!(i18n, chat_state_ended).to_owned()
            ended_href
            ended_link=ended_link.to_owned()
            log_label=t_string!(i18n, chat_log_label).to_owned()
            label=t_string!(i18n, chat_message_label).to_owned()
            send=t_string!(i18n, chat_send).to_owned()
            failed=t_string!(i18n, chat_send_failed).to_owned()
        />
    }
}

/// An ended chat's messages, oldest first, as `side` reads them.
#[component]
pub fn Transcript(messages: Vec<ChatMessage>, side: Side, language: String) -> impl IntoView {
    use crate::support::rules::{sender_name, SenderName};
    let i18n = use_i18n();
    view! {
        <section class="section" aria-labelledby="transcript-title">
            <h2 id="transcript-title">{t_string!(i18n, chat_transcript_title)}</h2>
            {messages.is_empty().then(|| view! { <p class="muted">{t_string!(i18n, chat_transcript_empty)}</p> })}
            <ol class="messages" data-testid="transcript">
                {messages.into_iter().map(|message| {
                    let (mine, who) = match sender_name(&message.sender) {
                        SenderName::CustomerService(first) => (side == Side::Agent, first.unwrap_or_else(|| t_string!(i18n, customer_service).to_owned())),
                        SenderName::Merchant(name) => (side == Side::Merchant, name),
                    };
                    let who = if mine { t_string!(i18n, chat_you).to_owned() } else { who };
                    view! {
                        <li class="message" class:message--agent=message.sender.kind == "support_agent" data-testid="transcript-message">
                            <p class="message__meta"><strong>{who}</strong> " · " <time>{format::instant(message.sent_at, &language)}</time></p>
                            <p class="message__body comments">{message.body.clone()}</p>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

/// The merchant's past chats, for the Messages page.
#[component]
pub fn PastChats(chats: Vec<PastChat>, language: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="section" aria-labelledby="past-chats-title">
            <h2 id="past-chats-title">{t_string!(i18n, chat_past_title)}</h2>
            {if chats.is_empty() {
                view! { <p class="muted" data-testid="no-past-chats">{t_string!(i18n, chat_past_none)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll" tabindex="0">
                        <table class="table" data-testid="past-chats">
                            <thead><tr>
                                <th>{t_string!(i18n, chat_col_started)}</th>
                                <th>{t_string!(i18n, col_case)}</th>
                                <th>{t_string!(i18n, chat_col_agent)}</th>
                                <th>{t_string!(i18n, chat_col_messages)}</th>
                            </tr></thead>
                            <tbody>
                                {chats.into_iter().map(|chat| view! {
                                    <tr data-testid="past-chat" data-chat=chat.id.to_string()>
                                        <td><a href=format!("/chat/{}", chat.id)>{format::instant(chat.created_at, &language)}</a></td>
                                        <td>{chat.case_number.clone().unwrap_or_default()}</td>
                                        <td>{chat.agent_name.as_deref().and_then(|name| name.split_whitespace().next()).unwrap_or_default().to_owned()}</td>
                                        <td>{chat.messages}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

/// What `/chat` offers: the chat going on, why not now, or the form to start one.
async fn start_body() -> Result<impl IntoView, AppError> {
    use crate::web::context::{caller, pending_flash_for, query_value, services};
    let (caller, services) = (caller()?, services()?);
    let i18n = use_i18n();
    let active = conversations::active(&services.db, &caller).await?;
    let flash = pending_flash_for("chat");
    let settings = services.chat.clone();
    let phone = settings.phone.clone();
    let alternatives = |sentence: String| {
        view! {
            <p class="notice" data-testid="chat-unavailable">{sentence}</p>
            <p><Alternatives phone=phone.clone() /></p>
        }
    };
    let body = if let Some(id) = active {
        view! {
            <p class="notice" data-testid="chat-in-progress">
                {t_string!(i18n, chat_in_progress)} " " <a href=format!("/chat/{id}")>{t_string!(i18n, chat_resume)}</a>
            </p>
        }
        .into_any()
    } else if let Opening::Closed { next } = settings.opening() {
        let when = opens_label(i18n, next, settings.now());
        alternatives(fill(t_string!(i18n, chat_closed_body), &[("when", &when)])).into_any()
    } else if conversations::agents_available(&services.db).await?.is_empty() {
        alternatives(t_string!(i18n, chat_no_agent).to_owned()).into_any()
    } else {
        let case_number = query_value("case").unwrap_or_default();
        view! {
            <noscript><p class="notice">{t_string!(i18n, chat_needs_javascript)}</p></noscript>
            <form class="form" method="post" action="/chat" data-testid="chat-start-form">
                <div class="field">
                    <label for="field-case-number">{t_string!(i18n, field_case_number_optional)}</label>
                    <input id="field-case-number" name="case_number" type="text" maxlength="40" value=case_number />
                </div>
                <button type="submit" class="button button--primary" data-testid="chat-start">{t_string!(i18n, chat_start)}</button>
            </form>
        }
        .into_any()
    };
    Ok(view! {
        <NoticeBanner flash=flash.clone() />
        <FormProblem flash=flash.clone() field="form" />
        {body}
    })
}

/// `/chat/{id}`: the chat box while it goes on; the transcript once it has ended.
async fn chat_body(language: String, id: String) -> Result<impl IntoView, AppError> {
    use crate::web::context::{caller, pending_flash_for, services};
    let (caller, services) = (caller()?, services()?);
    let i18n = use_i18n();
    let id = id.parse().map_err(|_| AppError::NotFound)?;
    let chat = conversations::open_for_merchant(&services.db, &caller, id).await?;
    let flash = pending_flash_for("chat");
    let facts = chat.case_number.clone().map(|number| {
        view! {
            <dl class="facts" data-testid="chat-facts">
                <dt>{t_string!(i18n, col_case)}</dt><dd><a href=format!("/disputes/{number}")>{number.clone()}</a></dd>
            </dl>
        }
    });
    let body = if chat.status == Status::Ended {
        let messages = conversations::messages(&services.db, &chat).await?;
        view! {
            <p class="notice" data-testid="chat-ended">{t_string!(i18n, chat_state_ended)}</p>
            <Transcript messages side=Side::Merchant language />
            <form class="form" method="post" action=format!("/chat/{id}/email") data-testid="chat-email-form">
                <button type="submit" class="button" data-testid="chat-email">{t_string!(i18n, chat_email_button)}</button>
            </form>
            <p><a href="/messages">{t_string!(i18n, back_to_messages)}</a></p>
        }
        .into_any()
    } else {
        let initial = super::events::current_line(&services.db, id, Side::Merchant).await?;
        view! {
            <ChatPanel chat=chat.clone() side=Side::Merchant initial />
            <form class="form" method="post" action=format!("/chat/{id}/end") data-testid="chat-end-form">
                <button type="submit" class="button" data-testid="chat-end">{t_string!(i18n, chat_end)}</button>
            </form>
        }
        .into_any()
    };
    Ok(view! {
        <NoticeBanner flash=flash.clone() />
        <FormProblem flash=flash.clone() field="form" />
        {facts}
        {body}
    })
}

/// `/chat`
#[component]
pub fn ChatStartPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading title=t_string!(i18n, chat_title).to_owned() intro=t_string!(i18n, chat_intro).to_owned() />
        {server_body(start_body())}
    }
}

/// `/chat/{id}`
#[component]
pub fn ChatPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = leptos_router::hooks::use_params_map().with_untracked(|params| params.get("id")).unwrap_or_default();
    view! {
        <PageHeading title=t_string!(i18n, chat_page_title).to_owned() intro=t_string!(i18n, chat_page_intro).to_owned() />
        {server_body(chat_body(language(), id))}
    }
}
