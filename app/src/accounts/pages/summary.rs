//! The account summary (dashboard): the first page after signing in. It lists the
//! establishments the user can see with their online dispute management status, and offers
//! "Activate" where it is off and the user may turn it on.

use super::forms::{text, use_session, FormProblem, NoticeBanner, SignInPrompt};
use crate::accounts::api::fetch_account_summary;
use crate::accounts::model::{EstablishmentSummary, Flash};
use crate::i18n::*;
use crate::layout::PageHeading;
use crate::AppError;
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

/// `/`
#[component]
pub fn Dashboard() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let summary = Resource::new_blocking(|| (), |_| fetch_account_summary());
    view! {
        <PageHeading title=text!(i18n, nav_dashboard) intro=text!(i18n, dashboard_intro) />
        <Suspense>
            {move || Suspend::new(async move {
                let flash = session.await.unwrap_or_default().flash_for("summary");
                match summary.await {
                    Ok(summary) => view! {
                        <NoticeBanner flash=flash.clone() />
                        <p>{t!(i18n, welcome)} " " <strong data-testid="welcome-user">{summary.username.clone()}</strong></p>
                        <ul class="cards" data-testid="establishments">
                            {summary.establishments.into_iter().map(|establishment| view! {
                                <EstablishmentCard establishment flash=flash.clone() />
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(AppError::Unauthorised) => view! { <NoticeBanner flash=flash.clone() /><SignInPrompt /> }.into_any(),
                    Err(_) => view! { <p class="notice notice--error">{t!(i18n, something_went_wrong)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
