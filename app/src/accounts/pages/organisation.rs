//! `/organisation/users`: the organisation administrator invites users by email, changes the
//! establishments of establishment users, removes users, and sets the dispute configuration.

use super::dispute_config::DisputeConfigSection;
use crate::accounts::model::{Flash, OrganisationUser, OrganisationUsers, Role, SessionView};
use crate::accounts::store::org_settings::ConfigChange;
use crate::i18n::*;
use crate::web::context;
use crate::web::form::{text, Field, FormProblem, NoticeBanner};
use crate::web::page::{server_body, PageHeading};
use leptos::prelude::*;

fn role_label(i18n: leptos_i18n::I18nContext<Locale>, role: Role) -> String {
    match role {
        Role::EstablishmentUser => t_string!(i18n, role_establishment_user).to_string(),
        Role::HqUser => t_string!(i18n, role_hq_user).to_string(),
        Role::OrgAdmin => t_string!(i18n, role_org_admin).to_string(),
    }
}

#[component]
fn EstablishmentChoices(establishments: Vec<(i64, String)>, chosen: Vec<i64>) -> impl IntoView {
    establishments
        .into_iter()
        .map(|(id, name)| {
            let checked = chosen.contains(&id);
            view! {
                <div class="checkbox">
                    <input type="checkbox" name="establishment_id" value=id.to_string() id=format!("establishment-{id}-{}", chosen.len()) checked=checked />
                    <label for=format!("establishment-{id}-{}", chosen.len())>{name}</label>
                </div>
            }
        })
        .collect_view()
}

#[component]
fn UserRow(user: OrganisationUser, establishments: Vec<(i64, String)>, view: SessionView) -> impl IntoView {
    let i18n = use_i18n();
    let flash = view.flash_for(&format!("user-{}", user.id));
    let role = user.role;
    view! {
        <li class="card" data-testid="organisation-user" data-username=user.username.clone()>
            <h2 class="card__title">{user.username.clone()}</h2>
            <p class="card__meta">{user.email.clone()} " · " {move || role_label(i18n, role)}</p>
            <NoticeBanner flash=flash.clone() />
            <FormProblem flash=flash.clone() field="establishment_id" />
            <FormProblem flash=flash.clone() field="remove" />
            {(role == Role::EstablishmentUser).then(|| view! {
                <form class="form" method="post" action=format!("/organisation/users/{}/establishments", user.id)>
                    <fieldset>
                        <legend>{t!(i18n, establishments)}</legend>
                        <EstablishmentChoices establishments=establishments.clone() chosen=user.establishment_ids.clone() />
                    </fieldset>
                    <button type="submit" class="button">{t!(i18n, save)}</button>
                </form>
            })}
            <form method="post" action=format!("/organisation/users/{}/remove", user.id)>
                <button type="submit" class="button button--danger">{t!(i18n, remove_user)}</button>
            </form>
        </li>
    }
}

#[component]
fn InviteForm(flash: Flash, establishments: Vec<(i64, String)>) -> impl IntoView {
    let i18n = use_i18n();
    let role = flash.value("role");
    view! {
        <section class="section" aria-labelledby="invite-title">
            <h2 id="invite-title">{t!(i18n, invite_user)}</h2>
            <NoticeBanner flash=flash.clone() />
            <form class="form" method="post" action="/organisation/users/invite" data-testid="invite-form">
                <Field name="email" label=text!(i18n, field_email) flash=flash.clone() kind="email" />
                <div class="field">
                    <label for="field-role">{t!(i18n, field_role)}</label>
                    <select id="field-role" name="role">
                        {[Role::EstablishmentUser, Role::HqUser, Role::OrgAdmin].into_iter().map(|option| view! {
                            <option value=option.as_str() selected=role == option.as_str()>{move || role_label(i18n, option)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <fieldset>
                    <legend>{t!(i18n, establishments)}</legend>
                    <FormProblem flash=flash.clone() field="establishment_id" />
                    <EstablishmentChoices establishments chosen=Vec::new() />
                </fieldset>
                <button type="submit" class="button button--primary">{t!(i18n, send_invitation)}</button>
            </form>
        </section>
    }
}

/// Everything below the heading, rendered on the server.
#[component]
fn OrganisationBody(
    view: SessionView,
    data: OrganisationUsers,
    config: (String, Vec<ConfigChange>),
    language: String,
) -> impl IntoView {
    let (current, changes) = config;
    view! {
        <p><strong>{data.organisation.clone()}</strong></p>
        <DisputeConfigSection flash=view.flash_for("dispute-config") organisation_id=data.organisation_id current changes language />
        <InviteForm flash=view.flash_for("invite") establishments=data.establishments.clone() />
        <ul class="cards">
            {data.users.into_iter().map(|user| view! {
                <UserRow user establishments=data.establishments.clone() view=view.clone() />
            }).collect_view()}
        </ul>
    }
}

/// The organisation users page's body, for the (first) organisation the caller administers.
async fn organisation_body(language: String) -> Result<impl IntoView, crate::AppError> {
    let (services, caller) = (context::services()?, context::caller()?);
    let organisation_id = *caller.administered().first().ok_or(crate::AppError::NotFound)?;
    let data = crate::accounts::store::users_of_organisation(&services.db, organisation_id).await?;
    let config = crate::accounts::store::org_settings::dispute_config(&services.db, organisation_id).await?;
    let view = context::session_view()?;
    Ok(view! { <OrganisationBody view data config language /> })
}

/// `/organisation/users`
#[component]
pub fn OrganisationUsersPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading title=text!(i18n, organisation_users_title) intro=text!(i18n, organisation_users_intro) />
        {server_body(organisation_body(crate::web::page::language()))}
    }
}
