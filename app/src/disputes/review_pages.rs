//! The dispute team's pages: `/review`, the submitted responses waiting for a decision (each
//! opens on its case page, where the decision form is), and `/review/open`, the form that opens
//! a new inquiry or chargeback on a transaction. Rendered on the server; merchants are told
//! these pages do not exist.

use crate::i18n::*;
use crate::web::page::{language, server_body, PageHeading};
use crate::AppError;
use leptos::prelude::*;

mod body {
    use crate::accounts::model::Flash;
    use crate::disputes::pages::labels::stage_label;
    use crate::disputes::reason_codes;
    use crate::disputes::review::ReviewRow;
    use crate::disputes::state::Stage;
    use crate::format;
    use crate::i18n::*;
    use crate::web::form::{FormProblem, NoticeBanner};
    use leptos::prelude::*;

    #[component]
    pub fn ReviewBody(rows: Vec<ReviewRow>, language: String) -> impl IntoView {
        let i18n = use_i18n();
        view! {
            <p><a class="button" href="/review/open" data-testid="open-case-link">{t_string!(i18n, open_case_title)}</a></p>
            {if rows.is_empty() {
                view! { <p class="notice" data-testid="no-cases">{t_string!(i18n, no_cases)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll" tabindex="0">
                        <table class="table" data-testid="review-queue">
                            <thead><tr>
                                <th>{t_string!(i18n, col_case)}</th>
                                <th>{t_string!(i18n, col_establishment)}</th>
                                <th>{t_string!(i18n, col_stage)}</th>
                                <th>{t_string!(i18n, reason_code)}</th>
                                <th>{t_string!(i18n, col_amount)}</th>
                                <th>{t_string!(i18n, col_submitted)}</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|row| view! {
                                    <tr data-testid="case-row" data-case=row.case_number.clone()>
                                        <td><a href=format!("/disputes/{}", row.case_number)>{row.case_number.clone()}</a></td>
                                        <td>{row.establishment.clone()}</td>
                                        <td>{stage_label(i18n, row.stage)}</td>
                                        <td>{row.reason_code.clone()}</td>
                                        <td class="number">{format::amount(row.amount, &row.currency, &language)}</td>
                                        <td>{row.submitted_at.map(|at| format::instant(at, &language))}</td>
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
    fn TextField(
        name: &'static str,
        label: String,
        flash: Flash,
        #[prop(default = "text")] kind: &'static str,
    ) -> impl IntoView {
        let id = format!("field-{name}");
        view! {
            <div class="field" class:field--invalid=flash.problem(name).is_some()>
                <label for=id.clone()>{label}</label>
                <input id=id name=name type=kind value=flash.value(name) />
            </div>
            <FormProblem flash=flash.clone() field=name />
        }
    }

    #[component]
    pub fn OpenCaseBody(flash: Flash, language: String) -> impl IntoView {
        let i18n = use_i18n();
        let chosen_stage = flash.value("stage");
        let chosen_reason = flash.value("reason_code");
        let locale = crate::format::locale(&language);
        view! {
            <NoticeBanner flash=flash.clone() />
            <form class="form" method="post" action="/review/open" data-testid="open-case-form">
                <TextField name="reference" label=t_string!(i18n, col_reference).to_string() flash=flash.clone() />
                <div class="field">
                    <label for="field-stage">{t_string!(i18n, col_stage)}</label>
                    <select id="field-stage" name="stage">
                        <option value="inquiry" selected=chosen_stage == "inquiry">{stage_label(i18n, Stage::Inquiry)}</option>
                        <option value="chargeback" selected=chosen_stage == "chargeback">{stage_label(i18n, Stage::Chargeback)}</option>
                    </select>
                </div>
                <FormProblem flash=flash.clone() field="stage" />
                <div class="field">
                    <label for="field-reason_code">{t_string!(i18n, reason_code)}</label>
                    <select id="field-reason_code" name="reason_code">
                        {reason_codes::ALL.iter().map(|reason| {
                            let label = format!("{} — {}", reason.code, reason.label(locale));
                            view! { <option value=reason.code selected=chosen_reason == reason.code>{label}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <FormProblem flash=flash.clone() field="reason_code" />
                <TextField name="amount" label=t_string!(i18n, amount_optional).to_string() flash=flash.clone() />
                <TextField name="reply_by" label=t_string!(i18n, col_reply_by).to_string() flash=flash.clone() kind="date" />
                <button type="submit" class="button button--primary" data-testid="open-case">{t_string!(i18n, open_case_button)}</button>
            </form>
        }
    }
}

/// The review queue's body.
async fn review_body(language: String) -> Result<impl IntoView, AppError> {
    use crate::web::context::{caller, services};
    let (caller, services) = (caller()?, services()?);
    let rows = crate::disputes::review::queue(&services.db, &caller).await?;
    Ok(view! { <body::ReviewBody rows language /> })
}

/// The new-case form.
async fn open_case_body(language: String) -> Result<impl IntoView, AppError> {
    use crate::web::context::{caller, pending_flash_for};
    crate::disputes::review::require_analyst(&caller()?)?;
    let flash = pending_flash_for("open");
    Ok(view! { <body::OpenCaseBody flash language /> })
}

/// `/review`
#[component]
pub fn ReviewPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading title=t_string!(i18n, review_title).to_owned() intro=t_string!(i18n, review_intro).to_owned() />
        {server_body(review_body(language()))}
    }
}

/// `/review/open`
#[component]
pub fn OpenCasePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading title=t_string!(i18n, open_case_title).to_owned() intro=t_string!(i18n, open_case_intro).to_owned() />
        {server_body(open_case_body(language()))}
    }
}
