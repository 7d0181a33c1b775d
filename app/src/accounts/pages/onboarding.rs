//! Onboarding by the platform, for platform administrators (anyone else: "not found"):
//! `/admin/organisations` (the list, a new organisation, disabling a user),
//! `/admin/organisations/:id` (the organisation, its establishments, a new establishment) and
//! `/admin/establishments/:id` (its details, its activation code: issued here, shown once).

use crate::accounts::model::{Flash, SessionView};
use crate::accounts::store::onboarding::{self as store, EstablishmentRow, OrganisationRow};
use crate::format;
use crate::i18n::*;
use crate::web::context;
use crate::web::form::{text, Checkbox, Field, FormProblem, NoticeBanner};
use crate::web::page::{language, server_body, PageHeading};
use crate::AppError;
use leptos::prelude::*;

fn parameter(name: &str) -> i64 {
    leptos_router::hooks::use_params_map()
        .with_untracked(|params| params.get(name))
        .and_then(|value| value.parse().ok())
        .unwrap_or(0)
}

fn config_label(i18n: leptos_i18n::I18nContext<Locale>, config: &str) -> String {
    if config == "central" {
        t_string!(i18n, dispute_config_central).to_string()
    } else {
        t_string!(i18n, dispute_config_local).to_string()
    }
}

/// A labelled list of choices that shows the typed (else saved) value and, when refused, why.
#[component]
fn Choice(
    name: &'static str,
    label: Signal<String>,
    flash: Flash,
    value: String,
    options: Vec<(&'static str, String)>,
) -> impl IntoView {
    let chosen = flash.values.get(name).cloned().unwrap_or(value);
    let id = format!("field-{name}");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id name=name>
                {options.into_iter().map(|(option, text)| view! {
                    <option value=option selected=chosen == option>{text}</option>
                }).collect_view()}
            </select>
            <FormProblem flash field=name />
        </div>
    }
}

#[component]
fn OrganisationFields(flash: Flash, organisation: Option<OrganisationRow>) -> impl IntoView {
    let i18n = use_i18n();
    let config = organisation.as_ref().map(|o| o.dispute_config.clone()).unwrap_or_else(|| "central".into());
    let options = vec![("central", config_label(i18n, "central")), ("local", config_label(i18n, "local"))];
    view! {
        <Field name="name" label=text!(i18n, field_organisation_name) flash=flash.clone() value=organisation.map(|o| o.name).unwrap_or_default() />
        <Choice name="dispute_config" label=text!(i18n, field_dispute_config) flash value=config options />
    }
}

#[component]
fn EstablishmentFields(flash: Flash, establishment: Option<EstablishmentRow>) -> impl IntoView {
    let i18n = use_i18n();
    let e = establishment.unwrap_or_else(|| EstablishmentRow {
        id: 0,
        organisation_id: 0,
        number: String::new(),
        trading_name: String::new(),
        address_line: String::new(),
        postcode: String::new(),
        city: String::new(),
        currency: "EUR".into(),
        pricing: "net".into(),
        contract_anniversary: "01-01".into(),
        max_installments: 1,
        activation_code_expires_at: None,
        activation_code_used_at: None,
        payment_facilitator: 0,
        installment_rates: Vec::new(),
    });
    // A refused form shows what was typed; otherwise what is saved.
    let facilitator =
        if flash.values.is_empty() { e.payment_facilitator != 0 } else { flash.value("payment_facilitator") == "on" };
    let rates = crate::accounts::onboarding::rates_text(&e.installment_rates);
    let pricing =
        vec![("net", t_string!(i18n, pricing_net).to_string()), ("gross", t_string!(i18n, pricing_gross).to_string())];
    view! {
        <Field name="number" label=text!(i18n, field_establishment_number) flash=flash.clone() value=e.number />
        <Field name="trading_name" label=text!(i18n, field_trading_name) flash=flash.clone() value=e.trading_name />
        <Field name="address_line" label=text!(i18n, field_address) flash=flash.clone() value=e.address_line />
        <Field name="postcode" label=text!(i18n, field_postcode) flash=flash.clone() value=e.postcode />
        <Field name="city" label=text!(i18n, field_city) flash=flash.clone() value=e.city />
        <Field name="currency" label=text!(i18n, field_currency) flash=flash.clone() value=e.currency hint=text!(i18n, currency_hint) />
        <Choice name="pricing" label=text!(i18n, field_pricing) flash=flash.clone() value=e.pricing options=pricing />
        <Field name="contract_anniversary" label=text!(i18n, field_contract_anniversary) flash=flash.clone() value=e.contract_anniversary hint=text!(i18n, contract_anniversary_hint) />
        <Field name="max_installments" label=text!(i18n, field_max_installments) flash=flash.clone() kind="number" value=e.max_installments.to_string() />
        <Field name="installment_rates" label=text!(i18n, field_installment_rates) flash value=rates hint=text!(i18n, installment_rates_hint) />
        <Checkbox name="payment_facilitator".to_owned() label=text!(i18n, field_payment_facilitator) checked=facilitator />
    }
}

async fn organisations_body() -> Result<impl IntoView, AppError> {
    let (caller, services, view) = (context::caller()?, context::services()?, context::session_view()?);
    caller.require_platform_admin()?;
    let organisations = store::list_organisations(&services.db).await?;
    Ok(view! { <OrganisationsBody view organisations /> })
}

#[component]
fn OrganisationsBody(view: SessionView, organisations: Vec<OrganisationRow>) -> impl IntoView {
    let i18n = use_i18n();
    let new = view.flash_for("new-organisation");
    let disable = view.flash_for("disable-user");
    view! {
        <table class="table" data-testid="organisations">
            <thead><tr>
                <th scope="col">{t_string!(i18n, field_organisation_name)}</th>
                <th scope="col">{t_string!(i18n, field_dispute_config)}</th>
                <th scope="col">{t_string!(i18n, establishments)}</th>
            </tr></thead>
            <tbody>
                {organisations.into_iter().map(|o| view! {
                    <tr data-testid="organisation">
                        <td><a href=format!("/admin/organisations/{}", o.id)>{o.name}</a></td>
                        <td>{config_label(i18n, &o.dispute_config)}</td>
                        <td class="number">{o.establishments}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        <section class="section" aria-labelledby="new-organisation-title">
            <h2 id="new-organisation-title">{t_string!(i18n, admin_new_organisation)}</h2>
            <form class="form" method="post" action="/admin/organisations" data-testid="new-organisation">
                <OrganisationFields flash=new organisation=None />
                <button type="submit" class="button button--primary">{t_string!(i18n, create)}</button>
            </form>
        </section>
        <section class="section" aria-labelledby="disable-user-title">
            <h2 id="disable-user-title">{t_string!(i18n, admin_disable_user)}</h2>
            <p>{t_string!(i18n, admin_disable_user_intro)}</p>
            <NoticeBanner flash=disable.clone() />
            <form class="form" method="post" action="/admin/users/disable" data-testid="disable-user">
                <Field name="username" label=text!(i18n, field_username) flash=disable />
                <button type="submit" class="button button--danger">{t_string!(i18n, disable_user)}</button>
            </form>
        </section>
    }
}

/// `/admin/organisations`
#[component]
pub fn AdminOrganisationsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading title=text!(i18n, admin_organisations_title) intro=text!(i18n, admin_organisations_intro) />
        {server_body(organisations_body())}
    }
}

async fn organisation_body(id: i64) -> Result<impl IntoView, AppError> {
    let (caller, services, view) = (context::caller()?, context::services()?, context::session_view()?);
    caller.require_platform_admin()?;
    let organisation = store::find_organisation(&services.db, id).await?.ok_or(AppError::NotFound)?;
    let establishments = store::list_establishments(&services.db, id).await?;
    Ok(view! { <OrganisationBody view organisation establishments /> })
}

#[component]
fn OrganisationBody(
    view: SessionView,
    organisation: OrganisationRow,
    establishments: Vec<EstablishmentRow>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = organisation.id;
    let saved = view.flash_for("organisation");
    let new = view.flash_for("new-establishment");
    view! {
        <p><a href="/admin/organisations">{t_string!(i18n, admin_organisations_title)}</a></p>
        <section class="section" aria-labelledby="organisation-title">
            <h2 id="organisation-title">{organisation.name.clone()}</h2>
            <NoticeBanner flash=saved.clone() />
            <form class="form" method="post" action=format!("/admin/organisations/{id}") data-testid="organisation-form">
                <OrganisationFields flash=saved organisation=Some(organisation) />
                <button type="submit" class="button">{t_string!(i18n, save)}</button>
            </form>
        </section>
        <section class="section" aria-labelledby="establishments-title">
            <h2 id="establishments-title">{t_string!(i18n, establishments)}</h2>
            <ul data-testid="establishments">
                {establishments.into_iter().map(|e| view! {
                    <li><a href=format!("/admin/establishments/{}", e.id)>{e.number}" — "{e.trading_name}</a></li>
                }).collect_view()}
            </ul>
        </section>
        <section class="section" aria-labelledby="new-establishment-title">
            <h2 id="new-establishment-title">{t_string!(i18n, admin_new_establishment)}</h2>
            <form class="form" method="post" action=format!("/admin/organisations/{id}/establishments") data-testid="new-establishment">
                <EstablishmentFields flash=new establishment=None />
                <button type="submit" class="button button--primary">{t_string!(i18n, create)}</button>
            </form>
        </section>
    }
}

/// `/admin/organisations/:id`
#[component]
pub fn AdminOrganisationPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = parameter("id");
    view! {
        <PageHeading title=text!(i18n, admin_organisation_title) intro=text!(i18n, admin_organisation_intro) />
        {server_body(organisation_body(id))}
    }
}

async fn establishment_body(id: i64, language: String) -> Result<impl IntoView, AppError> {
    let (caller, services, view) = (context::caller()?, context::services()?, context::session_view()?);
    caller.require_platform_admin()?;
    let establishment = store::find_establishment(&services.db, id).await?.ok_or(AppError::NotFound)?;
    Ok(view! { <EstablishmentBody view establishment language /> })
}

#[component]
fn EstablishmentBody(view: SessionView, establishment: EstablishmentRow, language: String) -> impl IntoView {
    let i18n = use_i18n();
    let id = establishment.id;
    let saved = view.flash_for("establishment");
    let code = view.flash_for("code");
    let now = crate::clock::now();
    let status = match (establishment.activation_code_used_at, establishment.activation_code_expires_at) {
        (Some(used), _) => format!("{} {}", t_string!(i18n, activation_code_used), format::instant(used, &language)),
        (None, Some(until)) if until > now => {
            format!("{} {}", t_string!(i18n, activation_code_valid_until), format::instant(until, &language))
        }
        (None, Some(_)) => t_string!(i18n, activation_code_expired).to_string(),
        (None, None) => t_string!(i18n, activation_code_none).to_string(),
    };
    let shown = code.values.get("code").cloned().map(|plain| {
        let attribute = plain.clone();
        let until = code.value("expires_at").parse().map(|at| format::instant(at, &language)).unwrap_or_default();
        view! {
            <div class="notice notice--success" role="status" data-testid="issued-code">
                <p>{t_string!(i18n, activation_code_shown_once)}</p>
                <p><strong class="code" data-testid="activation-code" data-code=attribute>{plain}</strong></p>
                <p>{t_string!(i18n, activation_code_valid_until)}" "{until}</p>
            </div>
        }
    });
    view! {
        <p><a href=format!("/admin/organisations/{}", establishment.organisation_id)>{t_string!(i18n, admin_back_to_organisation)}</a></p>
        <section class="section" aria-labelledby="code-title">
            <h2 id="code-title">{t_string!(i18n, admin_activation_code)}</h2>
            {shown}
            <p data-testid="code-status">{status}</p>
            <form method="post" action=format!("/admin/establishments/{id}/code")>
                <button type="submit" class="button" data-testid="issue-code">{t_string!(i18n, issue_activation_code)}</button>
            </form>
        </section>
        <section class="section" aria-labelledby="establishment-title">
            <h2 id="establishment-title">{establishment.trading_name.clone()}</h2>
            <NoticeBanner flash=saved.clone() />
            <form class="form" method="post" action=format!("/admin/establishments/{id}") data-testid="establishment-form">
                <EstablishmentFields flash=saved establishment=Some(establishment) />
                <button type="submit" class="button">{t_string!(i18n, save)}</button>
            </form>
        </section>
    }
}

/// `/admin/establishments/:id`
#[component]
pub fn AdminEstablishmentPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = parameter("id");
    view! {
        <PageHeading title=text!(i18n, admin_establishment_title) intro=text!(i18n, admin_establishment_intro) />
        {server_body(establishment_body(id, language()))}
    }
}
