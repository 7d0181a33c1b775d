//! The merchant's dispute work queues (`/disputes`): three tabs, filters, keyset pages, days
//! left and urgent marks. Rendered on the server;
//! the filter form is a GET, so every view of the queue has its own address.

use crate::i18n::*;
use crate::web::page::{language, server_body, PageHeading};
use crate::AppError;
use leptos::prelude::*;

/// Words for the case's stage, status and instants, shared by the queue and case pages.
pub(crate) mod labels {
    use crate::disputes::state::{Stage, Status};
    use crate::i18n::*;

    pub fn status_label(i18n: leptos_i18n::I18nContext<Locale>, status: Status) -> String {
        match status {
            Status::NeedsResponse => t_string!(i18n, status_needs_response).to_string(),
            Status::DraftSaved => t_string!(i18n, status_draft_saved).to_string(),
            Status::UnderReview => t_string!(i18n, status_under_review).to_string(),
            Status::InfoRequested => t_string!(i18n, status_info_requested).to_string(),
            Status::Accepted => t_string!(i18n, status_accepted).to_string(),
            Status::Won => t_string!(i18n, status_won).to_string(),
            Status::Lost => t_string!(i18n, status_lost).to_string(),
            Status::Expired => t_string!(i18n, status_expired).to_string(),
        }
    }

    pub fn stage_label(i18n: leptos_i18n::I18nContext<Locale>, stage: Stage) -> String {
        match stage {
            Stage::Inquiry => t_string!(i18n, stage_inquiry).to_string(),
            Stage::Chargeback => t_string!(i18n, stage_chargeback).to_string(),
        }
    }
}

mod body {
    use super::labels::{stage_label, status_label};
    use crate::accounts::model::Flash;
    use crate::disputes::queue::{Due, EstablishmentCount, Queue, QueueFilter, QueuePage, QueueRow};
    use crate::disputes::state::{Stage, Status};
    use crate::format;
    use crate::i18n::*;
    use crate::web::form::{FormProblem, NoticeBanner};
    use leptos::prelude::*;

    fn queue_label(i18n: leptos_i18n::I18nContext<Locale>, queue: Queue) -> String {
        match queue {
            Queue::ResponseNeeded => t_string!(i18n, queue_response_needed).to_string(),
            Queue::UnderReview => t_string!(i18n, queue_under_review).to_string(),
            Queue::Closed => t_string!(i18n, queue_closed).to_string(),
            Queue::Any => t_string!(i18n, all).to_string(),
        }
    }

    /// The words every row of a page repeats, looked up once per page (a page of 25 rows would
    /// otherwise look each up 25 times: a measurable share of the page's time).
    struct RowWords {
        stages: Vec<(Stage, String)>,
        statuses: Vec<(Status, String)>,
        days_short: String,
        overdue: String,
        urgent: String,
    }

    impl RowWords {
        fn new(i18n: leptos_i18n::I18nContext<Locale>) -> RowWords {
            RowWords {
                stages: Stage::ALL.into_iter().map(|stage| (stage, stage_label(i18n, stage))).collect(),
                statuses: Status::ALL.into_iter().map(|status| (status, status_label(i18n, status))).collect(),
                days_short: t_string!(i18n, days_short).to_owned(),
                overdue: t_string!(i18n, overdue).to_owned(),
                urgent: t_string!(i18n, urgent).to_owned(),
            }
        }

        fn stage(&self, stage: Stage) -> String {
            self.stages.iter().find(|(each, _)| *each == stage).map(|(_, word)| word.clone()).unwrap_or_default()
        }

        fn status(&self, status: Status) -> String {
            self.statuses.iter().find(|(each, _)| *each == status).map(|(_, word)| word.clone()).unwrap_or_default()
        }
    }

    /// One case of the queue.
    fn row(row: QueueRow, language: &str, selectable: bool, words: &RowWords) -> impl IntoView {
        let days =
            row.days_left.map(
                |days| {
                    if days < 0 {
                        words.overdue.clone()
                    } else {
                        format!("{days} {}", words.days_short)
                    }
                },
            );
        let urgent = row.urgent.then(|| words.urgent.clone());
        let link = format!("/disputes/{}", row.case_number);
        let tick = selectable.then(|| {
            let number = row.case_number.clone();
            view! { <td><input type="checkbox" name="case" form="bulk-accept" value=number.clone() aria-label=number /></td> }
        });
        let (number, urgent_row) = (row.case_number.clone(), row.urgent);
        view! {
            <tr class:urgent=urgent_row data-testid="case-row" data-case=number>
                {tick}
                <td><a href=link>{row.case_number}</a></td>
                <td>{row.establishment}</td>
                <td>{words.stage(row.stage)}</td>
                <td>{words.status(row.status)}</td>
                <td>{row.reason_code}</td>
                <td>{row.card_masked}</td>
                <td class="number">{format::amount(row.amount, &row.currency, language)}</td>
                <td>{row.reply_by}</td>
                <td data-testid="days-left">
                    {days}
                    {urgent.map(|urgent| view! { " " <strong class="badge badge--urgent">{urgent}</strong> })}
                </td>
            </tr>
        }
    }

    /// Headquarters' overview: open, urgent and overdue cases per establishment.
    #[component]
    fn Summary(summary: Vec<EstablishmentCount>) -> impl IntoView {
        let i18n = use_i18n();
        view! {
            <section class="section" aria-labelledby="summary-title">
                <h2 id="summary-title">{t_string!(i18n, establishments_summary)}</h2>
                <div class="table-scroll" tabindex="0">
                    <table class="table" data-testid="establishment-summary">
                        <thead><tr>
                            <th>{t_string!(i18n, col_establishment)}</th>
                            <th>{t_string!(i18n, col_open)}</th>
                            <th>{t_string!(i18n, urgent)}</th>
                            <th>{t_string!(i18n, overdue)}</th>
                        </tr></thead>
                        <tbody>
                            {summary.into_iter().map(|count| view! {
                                <tr data-establishment=count.id.to_string()>
                                    <td><a href=format!("/disputes?establishment={}", count.id)>{count.name}</a></td>
                                    <td class="number" data-testid="open-count">{count.open}</td>
                                    <td class="number" data-testid="urgent-count">{count.urgent}</td>
                                    <td class="number" data-testid="overdue-count">{count.overdue}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </section>
        }
    }

    /// Accepts the cases ticked in the table (their boxes belong to this form), all or none.
    #[component]
    fn BulkAccept() -> impl IntoView {
        let i18n = use_i18n();
        view! {
            <form id="bulk-accept" class="form bulk" method="post" action="/disputes/accept" data-testid="bulk-accept">
                <div class="checkbox">
                    <input type="checkbox" id="bulk-confirm" name="confirm" value="yes" />
                    <label for="bulk-confirm">{t_string!(i18n, bulk_accept_confirm)}</label>
                </div>
                <button type="submit" class="button button--danger">{t_string!(i18n, bulk_accept_button)}</button>
            </form>
        }
    }

    /// The queue tabs, the filters, the page of cases and the link to the next page.
    #[component]
    pub fn QueueBody(
        filter: QueueFilter,
        page: Result<QueuePage, String>,
        establishments: Vec<(i64, String)>,
        summary: Vec<EstablishmentCount>,
        can_answer: bool,
        flash: Flash,
        query: String,
        language: String,
    ) -> impl IntoView {
        let i18n = use_i18n();
        let words = RowWords::new(i18n);
        let current = filter.queue;
        let selectable = can_answer && current == Queue::ResponseNeeded;
        let chosen = filter.establishment;
        let chosen_due = filter.due;
        let value = |value: Option<String>| value.unwrap_or_default();
        // What the form has no field for is kept as it came (a dashboard figure's filter).
        let kept: Vec<(&'static str, String)> = filter
            .status
            .iter()
            .map(|status| ("status", status.as_str().to_owned()))
            .chain(filter.opened_from.map(|day| ("opened_from", day.to_string())))
            .chain(filter.closed_from.map(|day| ("closed_from", day.to_string())))
            .collect();
        let next = page.as_ref().ok().and_then(|page| page.next.clone()).map(|after| {
            let kept: String = url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(url::form_urlencoded::parse(query.as_bytes()).filter(|(name, _)| name != "after"))
                .append_pair("after", &after)
                .finish();
            format!("/disputes?{kept}")
        });
        view! {
            <NoticeBanner flash=flash.clone() />
            <FormProblem flash=flash.clone() field="form" />
            {(!summary.is_empty()).then(|| view! { <Summary summary /> })}
            <nav class="tabs" aria-label=t_string!(i18n, nav_disputes)>
                {Queue::ALL.into_iter().map(|queue| view! {
                    <a href=format!("/disputes?queue={}", queue.as_str())
                        aria-current=(queue == current).then_some("page")>{queue_label(i18n, queue)}</a>
                }).collect_view()}
            </nav>
            <form class="filters" method="get" action="/disputes" data-testid="queue-filters">
                <input type="hidden" name="queue" value=current.as_str() />
                {kept.into_iter().map(|(name, value)| view! { <input type="hidden" name=name value=value /> }).collect_view()}
                <div class="field">
                    <label for="filter-establishment">{t_string!(i18n, establishments)}</label>
                    <select id="filter-establishment" name="establishment">
                        <option value="">{t_string!(i18n, all)}</option>
                        {establishments.into_iter().map(|(id, name)| view! {
                            <option value=id.to_string() selected=chosen == Some(id)>{name}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="filter-due">{t_string!(i18n, dash_due)}</label>
                    <select id="filter-due" name="due">
                        <option value="">{t_string!(i18n, all)}</option>
                        <option value=Due::Urgent.as_str() selected=chosen_due == Some(Due::Urgent)>{t_string!(i18n, urgent)}</option>
                        <option value=Due::Overdue.as_str() selected=chosen_due == Some(Due::Overdue)>{t_string!(i18n, overdue)}</option>
                    </select>
                </div>
                <div class="field">
                    <label for="filter-q">{t_string!(i18n, search_case_or_card)}</label>
                    <input id="filter-q" name="q" value=value(filter.search.clone()) />
                </div>
                <div class="field">
                    <label for="filter-reason">{t_string!(i18n, reason_code)}</label>
                    <input id="filter-reason" name="reason" value=value(filter.reason.clone()) />
                </div>
                <div class="field">
                    <label for="filter-min">{t_string!(i18n, amount_from)}</label>
                    <input id="filter-min" name="amount_min" inputmode="decimal" />
                </div>
                <div class="field">
                    <label for="filter-max">{t_string!(i18n, amount_to)}</label>
                    <input id="filter-max" name="amount_max" inputmode="decimal" />
                </div>
                <div class="field">
                    <label for="filter-from">{t_string!(i18n, reply_by_from)}</label>
                    <input id="filter-from" name="from" type="date" value=value(filter.reply_from.map(|d| d.to_string())) />
                </div>
                <div class="field">
                    <label for="filter-to">{t_string!(i18n, reply_by_to)}</label>
                    <input id="filter-to" name="to" type="date" value=value(filter.reply_to.map(|d| d.to_string())) />
                </div>
                <button type="submit" class="button">{t_string!(i18n, apply_filters)}</button>
            </form>
            {match page {
                Err(field) => view! {
                    <p class="notice notice--error" role="alert" data-testid="bad-filter">
                        {t_string!(i18n, bad_filter)} " (" {field} ")"
                    </p>
                }.into_any(),
                Ok(page) if page.rows.is_empty() => view! {
                    <p class="notice" data-testid="no-cases">{t_string!(i18n, no_cases)}</p>
                }.into_any(),
                Ok(page) => view! {
                    <p data-testid="queue-count">
                        {crate::format::fill(t_string!(i18n, dash_queue_count), &[("count", &page.total.to_string())])}
                    </p>
                    <div class="table-scroll" tabindex="0">
                        <table class="table" data-testid="queue">
                            <thead><tr>
                                {selectable.then(|| view! { <th>{t_string!(i18n, col_select)}</th> })}
                                <th>{t_string!(i18n, col_case)}</th>
                                <th>{t_string!(i18n, col_establishment)}</th>
                                <th>{t_string!(i18n, col_stage)}</th>
                                <th>{t_string!(i18n, col_status)}</th>
                                <th>{t_string!(i18n, reason_code)}</th>
                                <th>{t_string!(i18n, col_card)}</th>
                                <th>{t_string!(i18n, col_amount)}</th>
                                <th>{t_string!(i18n, col_reply_by)}</th>
                                <th>{t_string!(i18n, col_days_left)}</th>
                            </tr></thead>
                            <tbody>
                                {page.rows.into_iter().map(|each| row(each, &language, selectable, &words)).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    {selectable.then(|| view! { <BulkAccept /> })}
                }.into_any(),
            }}
            {next.map(|href| view! { <p><a href=href data-testid="next-page">{t_string!(i18n, next_page)}</a></p> })}
        }
    }
}

/// The queue page's body, for the filters in `query`.
async fn disputes_body(language: String, query: String) -> Result<impl IntoView, AppError> {
    use crate::disputes::queue::{self, list, QueueFilter};
    use crate::web::context::{caller, pending_flash_for, services};
    let (caller, services) = (caller()?, services()?);
    let today = crate::clock::paris_today();
    let (filter, page) = match QueueFilter::parse(&query) {
        Ok(filter) => {
            let page = list(&services.db, &caller, &filter, today).await?;
            (filter, Ok(page))
        }
        Err(bad) => (QueueFilter::default(), Err(bad.0.to_owned())),
    };
    let establishments: Vec<(i64, String)> =
        caller.establishments.iter().map(|scope| (scope.id, scope.name.clone())).collect();
    let summary = queue::summary(&services.db, &caller, today).await?;
    let can_answer = caller.establishments.iter().any(|scope| scope.can_answer_disputes());
    let flash = pending_flash_for("bulk");
    Ok(view! { <body::QueueBody filter page establishments summary can_answer flash query language /> })
}

/// `/disputes`
#[component]
pub fn DisputesPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading title=t_string!(i18n, nav_disputes).to_owned() intro=t_string!(i18n, disputes_intro).to_owned() />
        {server_body(disputes_body(language(), crate::web::context::query()))}
    }
}

#[cfg(test)]
mod render_cost {
    use super::*;
    use crate::accounts::model::Flash;
    use crate::disputes::queue::{QueueFilter, QueuePage, QueueRow};
    use crate::disputes::state::{Stage, Status};
    use leptos::tachys::view::RenderHtml;

    #[test]
    #[ignore = "a measurement: cargo test -p app -p server --release --lib render_cost -- --ignored --nocapture"]
    fn a_page_of_25_rows() {
        let rows: Vec<QueueRow> = (0..25)
            .map(|index| QueueRow {
                id: index,
                case_number: format!("LIT-2026-{index:07}"),
                stage: Stage::Inquiry,
                status: Status::NeedsResponse,
                reason_code: "C08".into(),
                amount: 12_345,
                currency: "EUR".into(),
                reply_by: "2026-12-10".into(),
                establishment: "Café de l'Opéra".into(),
                card_masked: "497010******1234".into(),
                days_left: Some(5),
                urgent: index % 3 == 0,
            })
            .collect();
        let _ = any_spawner::Executor::init_futures_executor();
        let owner = Owner::new();
        owner.set();
        let render = |count: usize| {
            let page = Ok(QueuePage { rows: rows[..count].to_vec(), next: Some("2026-12-10_25".into()), total: 30 });
            let (filter, flash) = (QueueFilter::default(), Flash::for_form("bulk"));
            view! {
                <I18nContextProvider>
                    <body::QueueBody filter page establishments=vec![(1, "Opéra".into())] summary=vec![] can_answer=true flash query=String::new() language="fr".to_owned() />
                </I18nContextProvider>
            }
            .to_html()
        };
        for count in [0, 25] {
            let size = render(count).len();
            let start = std::time::Instant::now();
            for _ in 0..2000 {
                std::hint::black_box(render(count));
            }
            println!("queue body of {count} rows: {size} bytes, {:?} per render", start.elapsed() / 2000);
        }
    }
}
