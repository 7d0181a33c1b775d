//! The organisation page's dispute configuration section: the current setting, what each one
//! means, a change confirmed by a ticked box (`POST /organisation/dispute-config`), and the
//! audit trail of changes (who, when, from, to).

use crate::accounts::model::Flash;
use crate::accounts::store::org_settings::ConfigChange;
use crate::format;
use crate::i18n::*;
use crate::web::form::{FormProblem, NoticeBanner};
use leptos::prelude::*;

fn label(i18n: leptos_i18n::I18nContext<Locale>, config: &str) -> String {
    if config == "central" {
        t_string!(i18n, dispute_config_central).to_string()
    } else {
        t_string!(i18n, dispute_config_local).to_string()
    }
}

/// The section, for the organisation `organisation_id` whose setting is `current`.
#[component]
pub fn DisputeConfigSection(
    flash: Flash,
    organisation_id: i64,
    current: String,
    changes: Vec<ConfigChange>,
    language: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let other = if current == "central" { "local" } else { "central" };
    let chosen = flash.values.get("dispute_config").cloned().unwrap_or_else(|| other.to_owned());
    let history = if changes.is_empty() {
        view! { <p>{t_string!(i18n, dispute_config_history_none)}</p> }.into_any()
    } else {
        view! {
            <table class="table" data-testid="dispute-config-history">
                <thead><tr>
                    <th scope="col">{t_string!(i18n, col_when)}</th>
                    <th scope="col">{t_string!(i18n, col_who)}</th>
                    <th scope="col">{t_string!(i18n, col_from)}</th>
                    <th scope="col">{t_string!(i18n, col_to)}</th>
                </tr></thead>
                <tbody>
                    {changes.into_iter().map(|change| view! {
                        <tr>
                            <td>{format::instant(change.changed_at, &language)}</td>
                            <td>{change.username}</td>
                            <td>{label(i18n, &change.from_config)}</td>
                            <td>{label(i18n, &change.to_config)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <section class="section" aria-labelledby="dispute-config-title" data-testid="dispute-config">
            <h2 id="dispute-config-title">{t_string!(i18n, dispute_config_title)}</h2>
            <NoticeBanner flash=flash.clone() />
            <p>{t_string!(i18n, dispute_config_current)}" "<strong data-testid="dispute-config-current" data-config=current.clone()>{label(i18n, &current)}</strong></p>
            <ul>
                <li>{t_string!(i18n, dispute_config_central_means)}</li>
                <li>{t_string!(i18n, dispute_config_local_means)}</li>
            </ul>
            <form class="form" method="post" action="/organisation/dispute-config" data-testid="dispute-config-form">
                <input type="hidden" name="organisation_id" value=organisation_id.to_string() />
                <fieldset>
                    <legend>{t_string!(i18n, dispute_config_new)}</legend>
                    <FormProblem flash=flash.clone() field="dispute_config" />
                    {["central", "local"].into_iter().map(|option| view! {
                        <div class="checkbox">
                            <input type="radio" name="dispute_config" value=option id=format!("dispute-config-{option}") checked=chosen == option />
                            <label for=format!("dispute-config-{option}")>{label(i18n, option)}</label>
                        </div>
                    }).collect_view()}
                </fieldset>
                <FormProblem flash=flash.clone() field="confirm" />
                <div class="checkbox">
                    <input type="checkbox" name="confirm" id="dispute-config-confirm" />
                    <label for="dispute-config-confirm">{t_string!(i18n, dispute_config_confirm)}</label>
                </div>
                <button type="submit" class="button button--primary">{t_string!(i18n, dispute_config_change)}</button>
            </form>
            <h3>{t_string!(i18n, dispute_config_history)}</h3>
            {history}
        </section>
    }
}
