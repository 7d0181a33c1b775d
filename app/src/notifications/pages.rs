//! `/notifications`: the signed-in user's latest notifications, newest first, each linking to
//! its case, unread ones marked, with "mark as read" per notification and for all; and
//! `/admin/notifications`, the platform administrators' view of email delivery (counts per
//! state, failures with "send again"). Rendered on the server; the forms are plain POSTs.

use crate::i18n::*;
use crate::web::page::{language, server_body, PageHeading};
use crate::AppError;
use leptos::prelude::*;

mod body {
    use crate::format;
    use crate::i18n::*;
    use crate::notifications::notices::Addressed;
    use leptos::prelude::*;

    #[component]
    pub fn NotificationsBody(items: Vec<Addressed>, language: String) -> impl IntoView {
        let i18n = use_i18n();
        if items.is_empty() {
            return view! { <p class="notice" data-testid="no-notifications">{t_string!(i18n, notifications_none)}</p> }
                .into_any();
        }
        let any_unread = items.iter().any(|item| !item.read);
        view! {
            {any_unread.then(|| view! {
                <form method="post" action="/notifications/read" class="form-inline">
                    <button type="submit" class="button" data-testid="mark-all-read">{t_string!(i18n, notifications_mark_all_read)}</button>
                </form>
            })}
            <ul class="notification-list" data-testid="notification-list">
                {items.into_iter().map(|item| {
                    let title = item.title(&language);
                    let href = item.path();
                    view! {
                        <li class="notification" class:notification--unread=!item.read data-testid="notification" data-read=item.read.to_string()>
                            <a href=href>{title}</a>
                            <span class="notification__when">{format::instant(item.created_at, &language)}</span>
                            {(!item.read).then(|| view! {
                                <span class="badge">{t_string!(i18n, notifications_unread)}</span>
                                <form method="post" action="/notifications/read" class="form-inline">
                                    <input type="hidden" name="id" value=item.id.to_string() />
                                    <button type="submit" class="button button--link" data-testid="mark-read">{t_string!(i18n, notifications_mark_read)}</button>
                                </form>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any()
    }

    #[component]
    pub fn DeliveryBody(overview: crate::notifications::admin::Overview, language: String) -> impl IntoView {
        let i18n = use_i18n();
        view! {
            <ul class="delivery-states" data-testid="delivery-states">
                {overview.states.into_iter().map(|(state, count)| {
                    let label = format!("{state} : {count}");
                    view! { <li data-state=state>{label}</li> }
                }).collect_view()}
            </ul>
            {if overview.failures.is_empty() {
                view! { <p class="notice" data-testid="no-failures">{t_string!(i18n, delivery_no_failures)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll" tabindex="0">
                        <table class="table" data-testid="delivery-failures">
                            <thead><tr>
                                <th>{t_string!(i18n, delivery_recipient)}</th>
                                <th>{t_string!(i18n, delivery_category)}</th>
                                <th>{t_string!(i18n, col_case)}</th>
                                <th>{t_string!(i18n, delivery_attempts)}</th>
                                <th>{t_string!(i18n, delivery_error)}</th>
                                <th></th>
                            </tr></thead>
                            <tbody>
                                {overview.failures.into_iter().map(|failure| view! {
                                    <tr data-testid="delivery-failure">
                                        <td>{failure.username}" <"{failure.email}">"</td>
                                        <td>{failure.category}</td>
                                        <td>{failure.case_number}</td>
                                        <td class="number">{failure.attempts}</td>
                                        <td>{failure.last_error}<br /><small>{format::instant(failure.created_at, &language)}</small></td>
                                        <td>
                                            <form method="post" action=format!("/admin/notifications/{}/retry", failure.id) class="form-inline">
                                                <button type="submit" class="button" data-testid="send-again">{t_string!(i18n, delivery_send_again)}</button>
                                            </form>
                                        </td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        }
    }
}

/// The list's body: the caller's latest notifications.
async fn notifications_body(language: String) -> Result<impl IntoView, AppError> {
    use crate::web::context::{caller, services};
    let (caller, services) = (caller()?, services()?);
    let items = crate::notifications::centre::latest(&services.db, caller.user_id).await?;
    Ok(view! { <body::NotificationsBody items language /> })
}

/// The delivery overview's body, for platform administrators.
async fn delivery_body(language: String) -> Result<impl IntoView, AppError> {
    use crate::web::context::{caller, services};
    let (caller, services) = (caller()?, services()?);
    crate::notifications::admin::require_admin(&caller)?;
    let overview = crate::notifications::admin::overview(&services.db).await?;
    Ok(view! { <body::DeliveryBody overview language /> })
}

/// `/admin/notifications`
#[component]
pub fn DeliveryPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading title=t_string!(i18n, delivery_title).to_owned() intro=t_string!(i18n, delivery_intro).to_owned() />
        {server_body(delivery_body(language()))}
    }
}

/// `/notifications`
#[component]
pub fn NotificationsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading title=t_string!(i18n, notifications_title).to_owned() intro=t_string!(i18n, notifications_intro).to_owned() />
        {server_body(notifications_body(language()))}
    }
}
