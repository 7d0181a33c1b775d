//! The gateway API's pages, rendered on the server: key management — `/admin/api-keys` for
//! platform administrators (gateway keys), `/organisation/api-keys` for an organisation's
//! administrators (its integrations' keys): the keys with their scopes, establishments,
//! creation and last use, "Revoke", and the form issuing a key, whose secret the next page view
//! shows once — and `/developers/api`, the API's reference for integrators.

use crate::accounts::model::{Flash, SessionView};
use crate::api::store::establishments::establishments_of;
use crate::api::store::keys::{keys_of_owner, ListedKey};
use crate::format;
use crate::i18n::*;
use crate::web::context;
use crate::web::form::{text, Field, FormProblem, NoticeBanner};
use crate::web::page::{language, server_body, PageHeading};
use crate::AppError;
use leptos::prelude::*;

pub mod reference;
pub use reference::ApiReferencePage;

/// Whose keys a page manages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    Platform,
    Organisation(i64),
}

impl Owner {
    fn id(self) -> Option<i64> {
        match self {
            Owner::Platform => None,
            Owner::Organisation(id) => Some(id),
        }
    }

    fn action(self) -> &'static str {
        match self {
            Owner::Platform => "/admin/api-keys",
            Owner::Organisation(_) => "/organisation/api-keys",
        }
    }
}

async fn keys_body(owner: Option<Owner>, language: String) -> Result<impl IntoView, AppError> {
    let (caller, services, view) = (context::caller()?, context::services()?, context::session_view()?);
    let owner = match owner {
        Some(owner) => {
            caller.require_platform_admin()?;
            owner
        }
        None => Owner::Organisation(*caller.administered().first().ok_or(AppError::NotFound)?),
    };
    let keys = keys_of_owner(&services.db, owner.id()).await?;
    let establishments = establishments_of(&services.db, owner.id()).await?;
    Ok(view! { <KeysBody view owner keys establishments language /> })
}

/// The secret of the key just issued, shown once.
#[component]
fn IssuedSecret(flash: Flash) -> impl IntoView {
    let i18n = use_i18n();
    flash.values.get("secret").cloned().map(|secret| {
        let attribute = secret.clone();
        view! {
            <div class="notice notice--success" role="status" data-testid="issued-key">
                <p>{t_string!(i18n, api_key_shown_once)}" "<strong>{flash.value("issued_name")}</strong></p>
                <p><code class="code" data-testid="api-key-secret" data-secret=attribute>{secret}</code></p>
            </div>
        }
    })
}

#[component]
fn KeyRows(keys: Vec<ListedKey>, owner: Owner, language: String) -> impl IntoView {
    let i18n = use_i18n();
    if keys.is_empty() {
        return view! { <p class="notice" data-testid="no-keys">{t_string!(i18n, api_keys_none)}</p> }.into_any();
    }
    let organisation = owner.id().map(|id| id.to_string());
    view! {
        <div class="table-wrap">
            <table class="table" data-testid="api-keys">
                <thead><tr>
                    <th scope="col">{t_string!(i18n, api_key_name)}</th>
                    <th scope="col">{t_string!(i18n, api_key_prefix)}</th>
                    <th scope="col">{t_string!(i18n, api_key_scopes)}</th>
                    <th scope="col">{t_string!(i18n, api_key_establishments)}</th>
                    <th scope="col">{t_string!(i18n, api_key_created)}</th>
                    <th scope="col">{t_string!(i18n, api_key_last_used)}</th>
                    <th scope="col">{t_string!(i18n, api_key_state)}</th>
                </tr></thead>
                <tbody>
                    {keys.into_iter().map(|key| {
                        let mut scopes = Vec::new();
                        if key.can_send != 0 { scopes.push(t_string!(i18n, api_scope_send)); }
                        if key.can_read != 0 { scopes.push(t_string!(i18n, api_scope_read)); }
                        let reach = if key.all_establishments != 0 {
                            t_string!(i18n, api_reach_all).to_owned()
                        } else {
                            key.establishments.clone().unwrap_or_default()
                        };
                        let last = key.last_used_at.map_or_else(|| t_string!(i18n, api_key_never_used).to_owned(), |at| format::instant(at, &language));
                        let state = match key.revoked_at {
                            Some(at) => view! { <span>{t_string!(i18n, api_key_revoked)}" "{format::instant(at, &language)}</span> }.into_any(),
                            None => view! {
                                <form method="post" action=format!("{}/{}/revoke", owner.action(), key.id)>
                                    {organisation.clone().map(|id| view! { <input type="hidden" name="organisation" value=id /> })}
                                    <button type="submit" class="button button--danger" data-testid="revoke-key">{t_string!(i18n, api_key_revoke)}</button>
                                </form>
                            }.into_any(),
                        };
                        view! {
                            <tr data-testid="api-key">
                                <td>{key.name.clone()}</td>
                                <td><code>{key.key_prefix.clone()}"…"</code></td>
                                <td>{scopes.join(", ")}</td>
                                <td>{reach}</td>
                                <td>{format::instant(key.created_at, &language)}</td>
                                <td>{last}</td>
                                <td>{state}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn KeysBody(
    view: SessionView,
    owner: Owner,
    keys: Vec<ListedKey>,
    establishments: Vec<(i64, String, String)>,
    language: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let flash = view.flash_for("api-key");
    let revoked = view.flash_for("api-keys");
    let listed = flash.value("reach") == "listed";
    view! {
        <NoticeBanner flash=revoked />
        <NoticeBanner flash=flash.clone() />
        <IssuedSecret flash=flash.clone() />
        <section class="section" aria-labelledby="keys-title">
            <h2 id="keys-title">{t_string!(i18n, api_keys_title)}</h2>
            <KeyRows keys owner language />
        </section>
        <section class="section" aria-labelledby="new-key-title">
            <h2 id="new-key-title">{t_string!(i18n, api_new_key)}</h2>
            <form class="form" method="post" action=owner.action() data-testid="new-api-key">
                {owner.id().map(|id| view! { <input type="hidden" name="organisation" value=id.to_string() /> })}
                <Field name="name" label=text!(i18n, api_key_name) flash=flash.clone() />
                <fieldset class="field">
                    <legend>{t_string!(i18n, api_key_scopes)}</legend>
                    <div class="checkbox">
                        <input id="field-can_send" type="checkbox" name="can_send" checked=true />
                        <label for="field-can_send">{t_string!(i18n, api_scope_send)}</label>
                    </div>
                    <div class="checkbox">
                        <input id="field-can_read" type="checkbox" name="can_read" checked=true />
                        <label for="field-can_read">{t_string!(i18n, api_scope_read)}</label>
                    </div>
                    <FormProblem flash=flash.clone() field="scopes" />
                </fieldset>
                <fieldset class="field">
                    <legend>{t_string!(i18n, api_key_establishments)}</legend>
                    <div class="checkbox">
                        <input id="reach-all" type="radio" name="reach" value="all" checked=!listed />
                        <label for="reach-all">{t_string!(i18n, api_reach_all)}</label>
                    </div>
                    <div class="checkbox">
                        <input id="reach-listed" type="radio" name="reach" value="listed" checked=listed />
                        <label for="reach-listed">{t_string!(i18n, api_reach_listed)}</label>
                    </div>
                    {establishments.into_iter().map(|(id, number, name)| {
                        let field = format!("establishment-{id}");
                        view! {
                            <div class="checkbox">
                                <input id=field.clone() type="checkbox" name="establishment" value=id.to_string() />
                                <label for=field>{number}" — "{name}</label>
                            </div>
                        }
                    }).collect_view()}
                    <FormProblem flash field="establishments" />
                </fieldset>
                <button type="submit" class="button button--primary" data-testid="issue-key">{t_string!(i18n, api_issue_key)}</button>
            </form>
            <p><a href="/developers/api">{t_string!(i18n, api_reference_link)}</a></p>
        </section>
    }
}

/// `/admin/api-keys`
#[component]
pub fn PlatformKeysPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading title=text!(i18n, api_platform_keys_title) intro=text!(i18n, api_platform_keys_intro) />
        {server_body(keys_body(Some(Owner::Platform), language()))}
    }
}

/// `/organisation/api-keys`
#[component]
pub fn OrganisationKeysPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading title=text!(i18n, api_organisation_keys_title) intro=text!(i18n, api_organisation_keys_intro) />
        {server_body(keys_body(None, language()))}
    }
}
