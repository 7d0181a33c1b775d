//! The account summary (dashboard): the first page after signing in. It lists the
//! establishments the user can see with their online dispute management status, and offers
//! "Activate" where it is off and the user may turn it on. Rendered on the server (see
//! `server_pages`).

use crate::accounts::model::{AccountSummary, EstablishmentSummary, Flash, SessionView};
use crate::i18n::*;
use crate::web::form::{FormProblem, NoticeBanner};
use leptos::prelude::*;

#[component]
fn EstablishmentCard(establishment: EstablishmentSummary, flash: Flash) -> impl IntoView {
    let i18n = use_i18n();
    let action = format!("/establishments/{}/activate", establishment.id);
    let subscribed = establishment.dispute_subscribed;
    let can_activate = establishment.can_activate;
    view! {
        <li class="card" data-testid="establishment" data-number=establishment.number.clone()>
            <h2 class="card__title">{establishment.trading_name.clone()}</h2>
            <p class="card__meta">{t!(i18n, establishment_number_short)} " " {establishment.number.clone()} " · " {establishment.city.clone()} " · " {establishment.organisation.clone()}</p>
            <p data-testid="subscription">
                {move || if subscribed { t_string!(i18n, dispute_management_on).to_string() } else { t_string!(i18n, dispute_management_off).to_string() }}
            </p>
            <FormProblem flash field=establishment.id.to_string() />
            {(!subscribed && can_activate).then(|| view! {
                <form method="post" action=action>
                    <button type="submit" class="button button--primary" data-testid="activate">{t!(i18n, activate)}</button>
                </form>
            })}
        </li>
    }
}

/// `/`: the signed-in user's establishments.
#[component]
pub fn SummaryBody(view: SessionView, summary: AccountSummary) -> impl IntoView {
    let i18n = use_i18n();
    let flash = view.flash_for("summary");
    view! {
        <NoticeBanner flash=flash.clone() />
        <p>{t!(i18n, welcome)} " " <strong data-testid="welcome-user">{summary.username.clone()}</strong></p>
        <ul class="cards" data-testid="establishments">
            {summary.establishments.into_iter().map(|establishment| view! {
                <EstablishmentCard establishment flash=flash.clone() />
            }).collect_view()}
        </ul>
    }
}
