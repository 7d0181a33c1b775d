//! The facts of a case as customer service reads them beside a thread or a chat: number, stage,
//! status, reason code, amount and reply-by day. Shared by the thread console and the chat
//! console, which it imports neither of.

use crate::format;
use crate::i18n::*;
use crate::support::model::CaseSummary;
use leptos::prelude::*;

#[component]
pub fn CaseFacts(case: CaseSummary, language: String) -> impl IntoView {
    let i18n = use_i18n();
    let stage = match case.stage.as_str() {
        "inquiry" => t_string!(i18n, stage_inquiry).to_owned(),
        _ => t_string!(i18n, stage_chargeback).to_owned(),
    };
    let status = match case.status.as_str() {
        "needs_response" => t_string!(i18n, status_needs_response).to_owned(),
        "draft_saved" => t_string!(i18n, status_draft_saved).to_owned(),
        "under_review" => t_string!(i18n, status_under_review).to_owned(),
        "info_requested" => t_string!(i18n, status_info_requested).to_owned(),
        "accepted" => t_string!(i18n, status_accepted).to_owned(),
        "won" => t_string!(i18n, status_won).to_owned(),
        "lost" => t_string!(i18n, status_lost).to_owned(),
        "expired" => t_string!(i18n, status_expired).to_owned(),
        other => other.to_owned(),
    };
    view! {
        <section class="section" aria-labelledby="case-title">
            <h2 id="case-title">{t_string!(i18n, support_case_title)}</h2>
            <dl class="facts" data-testid="case-summary">
                <dt>{t_string!(i18n, col_case)}</dt><dd data-testid="case-number">{case.case_number.clone()}</dd>
                <dt>{t_string!(i18n, col_stage)}</dt><dd>{stage}</dd>
                <dt>{t_string!(i18n, col_status)}</dt><dd data-status=case.status.clone()>{status}</dd>
                <dt>{t_string!(i18n, reason_code)}</dt><dd>{case.reason_code.clone()}</dd>
                <dt>{t_string!(i18n, col_amount)}</dt><dd>{format::amount(case.disputed_amount, &case.currency, &language)}</dd>
                <dt>{t_string!(i18n, col_reply_by)}</dt><dd>{case.reply_by.clone()}</dd>
            </dl>
        </section>
    }
}
