//! `/disputes/{case number}`: one case. The original transaction, the reason code explained,
//! the checklist of documents asked for, the response form (comments, documents, draft or
//! submit) and the acceptance form for those who may answer; the explanation of who answers for
//! those who may not; the decision form for the dispute team; and the timeline. Rendered on the
//! server.

use crate::i18n::*;
use crate::web::page::{language, server_body, PageHeading};
use crate::AppError;
use leptos::prelude::*;

mod body {
    use crate::accounts::model::Flash;
    use crate::disputes::case::{AnswerRefusal, CaseFile, ChecklistItem, Document, TimelineEntry};
    use crate::disputes::deadline::{self, Urgency};
    use crate::disputes::pages::labels::{stage_label, status_label};
    use crate::disputes::state::Status;
    use crate::disputes::upload::UploadProgress;
    use crate::format;
    use crate::i18n::*;
    use crate::transaction_details::DetailsList;
    use crate::web::form::{FormProblem, NoticeBanner};
    use leptos::prelude::*;

    fn action_label(i18n: leptos_i18n::I18nContext<Locale>, action: &str) -> String {
        match action {
            "opened" => t_string!(i18n, event_opened).to_string(),
            "viewed" => t_string!(i18n, event_viewed).to_string(),
            "document_added" => t_string!(i18n, event_document_added).to_string(),
            "document_removed" => t_string!(i18n, event_document_removed).to_string(),
            "draft_saved" => t_string!(i18n, event_draft_saved).to_string(),
            "submitted" => t_string!(i18n, event_submitted).to_string(),
            "accepted" => t_string!(i18n, event_accepted).to_string(),
            "decided" => t_string!(i18n, event_decided).to_string(),
            "info_requested" => t_string!(i18n, event_info_requested).to_string(),
            "expired" => t_string!(i18n, event_expired).to_string(),
            "urgent" => t_string!(i18n, event_urgent).to_string(),
            _ => action.to_owned(),
        }
    }

    fn kind_label(i18n: leptos_i18n::I18nContext<Locale>, kind: &str) -> String {
        match kind {
            "refund" => t_string!(i18n, kind_refund).to_string(),
            "cancellation" => t_string!(i18n, kind_cancellation).to_string(),
            _ => t_string!(i18n, kind_charge).to_string(),
        }
    }

    #[component]
    fn Summary(file: CaseFile, language: String) -> impl IntoView {
        let i18n = use_i18n();
        let case = &file.case;
        let today = crate::clock::paris_today();
        let open = case.status.awaits_merchant();
        let urgency = deadline::urgency(case.reply_by, today);
        let days = deadline::days_left(case.reply_by, today);
        view! {
            <dl class="facts" data-testid="case-summary">
                <dt>{t_string!(i18n, col_stage)}</dt><dd>{stage_label(i18n, case.stage)}</dd>
                <dt>{t_string!(i18n, col_status)}</dt>
                <dd data-testid="case-status" data-status=case.status.as_str()>{status_label(i18n, case.status)}</dd>
                <dt>{t_string!(i18n, col_establishment)}</dt>
                <dd>{case.establishment_name.clone()} " (" {case.establishment_number.clone()} ")"</dd>
                <dt>{t_string!(i18n, col_amount)}</dt><dd>{format::amount(case.amount, &case.currency, &language)}</dd>
                <dt>{t_string!(i18n, col_reply_by)}</dt>
                <dd data-testid="reply-by">
                    {case.reply_by.to_string()}
                    {open.then(|| match urgency {
                        Urgency::Overdue => view! { " " <strong class="badge badge--urgent">{t_string!(i18n, overdue)}</strong> }.into_any(),
                        Urgency::Urgent => view! { " (" {days} " " {t_string!(i18n, days_short)} ") " <strong class="badge badge--urgent">{t_string!(i18n, urgent)}</strong> }.into_any(),
                        Urgency::OnTime => view! { " (" {days} " " {t_string!(i18n, days_short)} ")" }.into_any(),
                    })}
                </dd>
                {case.parent_case.clone().map(|parent| view! {
                    <dt>{t_string!(i18n, parent_case)}</dt>
                    <dd><a href=format!("/disputes/{parent}")>{parent.clone()}</a></dd>
                })}
            </dl>
        }
    }

    #[component]
    fn TransactionSection(file: CaseFile, language: String) -> impl IntoView {
        let i18n = use_i18n();
        let transaction = &file.transaction;
        view! {
            <section class="section" aria-labelledby="transaction-title">
                <h2 id="transaction-title">{t_string!(i18n, original_transaction)}</h2>
                <dl class="facts" data-testid="transaction">
                    <dt>{t_string!(i18n, col_date)}</dt><dd>{format::instant(transaction.occurred_at, &language)}</dd>
                    <dt>{t_string!(i18n, col_card)}</dt><dd>{transaction.card_masked.clone()}</dd>
                    <dt>{t_string!(i18n, col_amount)}</dt><dd>{format::amount(transaction.amount, &transaction.currency, &language)}</dd>
                    <dt>{t_string!(i18n, col_type)}</dt><dd>{kind_label(i18n, &transaction.kind)}</dd>
                    <dt>{t_string!(i18n, col_reference)}</dt><dd>{transaction.reference.clone()}</dd>
                </dl>
                {file.transaction_details.clone().map(|details| view! {
                    <DetailsList details language=language.clone() />
                })}
            </section>
        }
    }

    #[component]
    fn ReasonSection(file: CaseFile, language: String) -> impl IntoView {
        let i18n = use_i18n();
        let locale = format::locale(&language);
        let code = file.case.reason_code.clone();
        let (label, explanation) =
            file.reason.map(|reason| (reason.label(locale), reason.explanation(locale))).unwrap_or_default();
        view! {
            <section class="section" aria-labelledby="reason-title">
                <h2 id="reason-title">{t_string!(i18n, reason_code)} " " {code} " — " {label}</h2>
                <p data-testid="reason-explanation">{explanation}</p>
            </section>
        }
    }

    /// The requested documents: boxes to tick in the response form, or a read-only list.
    #[component]
    fn Checklist(items: Vec<ChecklistItem>, editable: bool) -> impl IntoView {
        let i18n = use_i18n();
        view! {
            <fieldset class="checklist" data-testid="checklist">
                <legend>{t_string!(i18n, requested_documents)}</legend>
                {items.into_iter().map(|item| {
                    let id = format!("tick-{}", item.position);
                    view! {
                        <div class="checkbox">
                            <input type="checkbox" id=id.clone() name="ticked" value=item.position.to_string()
                                checked=item.ticked disabled=!editable />
                            <label for=id>{item.description}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
        }
    }

    #[component]
    fn Documents(file: CaseFile, removable: bool) -> impl IntoView {
        let i18n = use_i18n();
        let number = file.case.case_number.clone();
        let version = file.case.version;
        let documents: Vec<Document> = file.documents.clone();
        view! {
            <section class="section" aria-labelledby="documents-title">
                <h2 id="documents-title">{t_string!(i18n, attached_documents)}</h2>
                {documents.is_empty().then(|| view! { <p class="muted">{t_string!(i18n, no_documents)}</p> })}
                <ul class="documents" data-testid="documents">
                    {documents.into_iter().map(|document| {
                        let href = format!("/disputes/{number}/documents/{}", document.id);
                        let remove = format!("{href}/remove");
                        let size = format!("{:.1} Mo", document.size_bytes as f64 / 1_048_576.0);
                        view! {
                            <li data-testid="document">
                                <a href=href target="_blank" rel="noopener">{document.name.clone()}</a>
                                " · " {size}
                                {(removable && !document.submitted).then(|| view! {
                                    <form method="post" action=remove class="inline-form">
                                        <input type="hidden" name="version" value=version.to_string() />
                                        <button type="submit" class="button button--link">{t_string!(i18n, remove_document)}</button>
                                    </form>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        }
    }

    /// Comments, documents and the checklist, saved as a draft or submitted.
    #[component]
    fn ResponseForm(file: CaseFile, flash: Flash) -> impl IntoView {
        let i18n = use_i18n();
        let number = file.case.case_number.clone();
        let comments = flash.values.get("comments").cloned().unwrap_or(file.comments.clone());
        view! {
            <section class="section" aria-labelledby="respond-title">
                <h2 id="respond-title">{t_string!(i18n, respond_title)}</h2>
                <form class="form form--wide" method="post" enctype="multipart/form-data" id="response-form"
                    action=format!("/disputes/{number}/response") data-testid="response-form">
                    <input type="hidden" name="version" value=file.case.version.to_string() />
                    <input type="hidden" name="idempotency_key" value=crate::accounts::tokens::new_secret() />
                    <Checklist items=file.checklist.clone() editable=true />
                    <div class="field">
                        <label for="field-comments">{t_string!(i18n, field_comments)}</label>
                        <textarea id="field-comments" name="comments" rows="6" maxlength="10000">{comments}</textarea>
                    </div>
                    <div class="field">
                        <label for="field-documents">{t_string!(i18n, field_documents)}</label>
                        <p class="field__hint" id="documents-hint">{t_string!(i18n, documents_hint)}</p>
                        <input id="field-documents" name="documents" type="file" multiple
                            accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" aria-describedby="documents-hint" />
                    </div>
                    <UploadProgress
                        form="response-form".to_owned()
                        sending_label=t_string!(i18n, upload_sending).to_owned()
                        failed_label=t_string!(i18n, upload_failed).to_owned()
                    />
                    <div class="actions">
                        <button type="submit" name="intent" value="draft" class="button" data-testid="save-draft">{t_string!(i18n, save_draft)}</button>
                        <button type="submit" name="intent" value="submit" class="button button--primary" data-testid="submit-response">{t_string!(i18n, submit_response)}</button>
                    </div>
                    <p class="field__hint">{t_string!(i18n, submit_hint)}</p>
                </form>
            </section>
        }
    }

    #[component]
    fn AcceptForm(file: CaseFile, language: String) -> impl IntoView {
        let i18n = use_i18n();
        let number = file.case.case_number.clone();
        let amount = format::amount(file.case.amount, &file.case.currency, &language);
        view! {
            <section class="section" aria-labelledby="accept-title">
                <h2 id="accept-title">{t_string!(i18n, accept_title)}</h2>
                <form class="form" method="post" action=format!("/disputes/{number}/accept") data-testid="accept-form">
                    <input type="hidden" name="version" value=file.case.version.to_string() />
                    <div class="checkbox">
                        <input type="checkbox" id="accept-confirm" name="confirm" value="yes" />
                        <label for="accept-confirm">{t_string!(i18n, accept_confirm)} " (" {amount} ")"</label>
                    </div>
                    <button type="submit" class="button button--danger">{t_string!(i18n, accept_button)}</button>
                </form>
            </section>
        }
    }

    /// Why the caller sees the case but cannot answer it, and who can.
    #[component]
    fn LocalExplanation(answerers: Vec<String>) -> impl IntoView {
        let i18n = use_i18n();
        view! {
            <p class="notice" data-testid="local-configuration">
                {t_string!(i18n, local_configuration_explained)} " "
                {if answerers.is_empty() { t_string!(i18n, no_establishment_users).to_string() } else { answerers.join(", ") }}
            </p>
        }
    }

    /// Why the establishment's cases cannot be answered online yet, and the way to activate it
    /// for whoever may.
    #[component]
    fn NotSubscribed(establishment_id: i64, can_activate: bool) -> impl IntoView {
        let i18n = use_i18n();
        view! {
            <div class="notice" data-testid="not-subscribed">
                <p>{t_string!(i18n, problem_subscription_required)} " " {t_string!(i18n, subscription_needed_to_answer)}</p>
                {can_activate.then(|| view! {
                    <form method="post" action=format!("/establishments/{establishment_id}/activate")>
                        <button type="submit" class="button button--primary">{t_string!(i18n, activate)}</button>
                    </form>
                })}
            </div>
        }
    }

    /// The dispute team's decision on a submitted response.
    #[component]
    fn DecisionForm(file: CaseFile, flash: Flash) -> impl IntoView {
        let i18n = use_i18n();
        let number = file.case.case_number.clone();
        let chosen = flash.value("outcome");
        let outcomes = [
            ("merchant", t_string!(i18n, outcome_merchant)),
            ("cardholder", t_string!(i18n, outcome_cardholder)),
            ("info", t_string!(i18n, outcome_info)),
        ];
        view! {
            <section class="section" aria-labelledby="decide-title">
                <h2 id="decide-title">{t_string!(i18n, decide_title)}</h2>
                <FormProblem flash=flash.clone() field="outcome" />
                <form class="form" method="post" action=format!("/review/{number}/decide") data-testid="decision-form">
                    <input type="hidden" name="version" value=file.case.version.to_string() />
                    <fieldset>
                        <legend>{t_string!(i18n, outcome)}</legend>
                        {outcomes.into_iter().map(|(value, label)| {
                            let id = format!("outcome-{value}");
                            view! {
                                <div class="checkbox">
                                    <input type="radio" id=id.clone() name="outcome" value=value checked=chosen == value />
                                    <label for=id>{label.to_string()}</label>
                                </div>
                            }
                        }).collect_view()}
                    </fieldset>
                    <div class="field" class:field--invalid=flash.problem("note").is_some()>
                        <label for="field-note">{t_string!(i18n, field_note)}</label>
                        <textarea id="field-note" name="note" rows="4" maxlength="4000">{flash.value("note")}</textarea>
                    </div>
                    <FormProblem flash=flash.clone() field="note" />
                    <div class="field">
                        <label for="field-reply-by">{t_string!(i18n, new_reply_by)}</label>
                        <input id="field-reply-by" name="reply_by" type="date" value=flash.value("reply_by") />
                    </div>
                    <FormProblem flash=flash.clone() field="reply_by" />
                    <button type="submit" class="button button--primary" data-testid="decide">{t_string!(i18n, record_decision)}</button>
                </form>
            </section>
        }
    }

    /// A timeline actor's role (as [`crate::disputes::model::Actor`] stores it) in the reader's
    /// language; an unknown one as stored.
    fn role_label(i18n: leptos_i18n::I18nContext<Locale>, role: &str) -> String {
        match role {
            "establishment_user" => t_string!(i18n, role_establishment_user).to_owned(),
            "hq_user" => t_string!(i18n, role_hq_user).to_owned(),
            "org_admin" => t_string!(i18n, role_org_admin).to_owned(),
            "dispute_analyst" => t_string!(i18n, role_dispute_analyst).to_owned(),
            "support_agent" => t_string!(i18n, role_support_agent).to_owned(),
            "platform_admin" => t_string!(i18n, role_platform_admin).to_owned(),
            "merchant" => t_string!(i18n, role_merchant).to_owned(),
            other => other.to_owned(),
        }
    }

    /// A timeline actor's scope: headquarters, the network, or the establishment's number.
    fn scope_label(i18n: leptos_i18n::I18nContext<Locale>, scope: &str) -> String {
        match scope {
            "HQ" => t_string!(i18n, scope_hq).to_owned(),
            "network" => t_string!(i18n, scope_network).to_owned(),
            number => crate::format::fill(t_string!(i18n, scope_establishment), &[("number", number)]),
        }
    }

    #[component]
    fn Timeline(entries: Vec<TimelineEntry>, language: String) -> impl IntoView {
        let i18n = use_i18n();
        view! {
            <section class="section" aria-labelledby="timeline-title">
                <h2 id="timeline-title">{t_string!(i18n, timeline)}</h2>
                <ol class="timeline" data-testid="timeline">
                    {entries.into_iter().rev().map(|entry| {
                        let who = match &entry.actor {
                            Some(name) => format!("{name} · {} · {}", role_label(i18n, &entry.role), scope_label(i18n, &entry.scope)),
                            None => t_string!(i18n, actor_system).to_string(),
                        };
                        view! {
                            <li data-action=entry.action.clone()>
                                <time>{format::instant(entry.at, &language)}</time> " — "
                                <strong>{action_label(i18n, &entry.action)}</strong>
                                {(entry.repeats > 0).then(|| {
                                    let times = (entry.repeats + 1).to_string();
                                    format!(" {}", format::fill(t_string!(i18n, timeline_times), &[("count", times.as_str())]))
                                })}
                                " — " {who}
                                {(!entry.detail.is_empty()).then(|| view! { <span class="timeline__detail">{t_string!(i18n, label_separator)} {entry.detail.clone()}</span> })}
                            </li>
                        }
                    }).collect_view()}
                </ol>
            </section>
        }
    }

    /// The whole case below the heading.
    #[component]
    pub fn CaseBody(file: CaseFile, flash: Flash, language: String) -> impl IntoView {
        let i18n = use_i18n();
        let today = crate::clock::paris_today();
        let status = file.case.status;
        let can_answer = file.refusal.is_none() && status.awaits_merchant() && file.case.reply_by >= today;
        let decision_note = file
            .last_decision
            .clone()
            .filter(|decision| decision.outcome == "info_requested" && status == Status::InfoRequested);
        view! {
            <p><a href="/disputes">{t_string!(i18n, back_to_queue)}</a></p>
            <h2 class="case-number" data-testid="case-number">{file.case.case_number.clone()}</h2>
            <NoticeBanner flash=flash.clone() />
            <FormProblem flash=flash.clone() field="form" />
            {flash.values.contains_key("card_masked").then(|| view! {
                <p class="notice" role="status" data-testid="card-masked">{t_string!(i18n, card_number_masked)}</p>
            })}
            <Summary file=file.clone() language=language.clone() />
            {decision_note.map(|decision| view! {
                <p class="notice" data-testid="info-request">{t_string!(i18n, info_requested_note)} " " {decision.note}</p>
            })}
            {(file.refusal == Some(AnswerRefusal::LocalConfiguration)).then(|| view! { <LocalExplanation answerers=file.answerers.clone() /> })}
            {(file.refusal == Some(AnswerRefusal::NotSubscribed)).then(|| view! { <NotSubscribed establishment_id=file.case.establishment_id can_activate=file.can_activate /> })}
            <TransactionSection file=file.clone() language=language.clone() />
            <ReasonSection file=file.clone() language=language.clone() />
            {(!can_answer).then(|| view! { <Checklist items=file.checklist.clone() editable=false /> })}
            {(!file.comments.is_empty() && !can_answer).then(|| view! {
                <section class="section"><h2>{t_string!(i18n, field_comments)}</h2><p class="comments" data-testid="comments">{file.comments.clone()}</p></section>
            })}
            <Documents file=file.clone() removable=can_answer />
            {can_answer.then(|| view! {
                <ResponseForm file=file.clone() flash=flash.clone() />
                <AcceptForm file=file.clone() language=language.clone() />
            })}
            {(file.is_analyst && status == Status::UnderReview).then(|| view! { <DecisionForm file=file.clone() flash=flash.clone() /> })}
            {(!file.is_analyst).then(|| view! { <AskAboutCase case_number=file.case.case_number.clone() /> })}
            <Timeline entries=file.timeline.clone() language=language.clone() />
        }
    }

    /// Starts a live chat with customer service about this case (a plain POST to `/chat`, which
    /// says when the chat opens if it is closed).
    #[component]
    fn AskAboutCase(case_number: String) -> impl IntoView {
        let i18n = use_i18n();
        view! {
            <section class="section" aria-labelledby="ask-title">
                <h2 id="ask-title">{t_string!(i18n, chat_ask_case_title)}</h2>
                <form class="form" method="post" action="/chat" data-testid="ask-about-case">
                    <input type="hidden" name="case_number" value=case_number />
                    <button type="submit" class="button" data-testid="ask-about-case-button">{t_string!(i18n, chat_ask_case)}</button>
                </form>
            </section>
        }
    }
}

/// The case page's body, for the caller.
async fn case_body(language: String, number: String) -> Result<impl IntoView, AppError> {
    use crate::web::context::{caller, pending_flash, services};
    let (caller, services) = (caller()?, services()?);
    let file = crate::disputes::case::open(&services.db, &caller, &number).await?;
    let flash = pending_flash()
        .filter(|flash| flash.form == "case" || flash.form == "decide")
        .unwrap_or_else(|| crate::accounts::model::Flash::for_form("case"));
    Ok(view! { <body::CaseBody file flash language /> })
}

/// `/disputes/{case number}`
#[component]
pub fn CasePage() -> impl IntoView {
    let i18n = use_i18n();
    let number =
        leptos_router::hooks::use_params_map().with_untracked(|params| params.get("number")).unwrap_or_default();
    view! {
        <PageHeading title=t_string!(i18n, case_title).to_owned() intro=t_string!(i18n, case_intro).to_owned() />
        {server_body(case_body(language(), number))}
    }
}
