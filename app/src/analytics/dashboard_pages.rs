//! `/`: the dashboard, rendered on the server. Each figure is a link to the list it counts (see
//! `dashboard::links`); the establishments' cards below keep the "Activate" offer of online
//! dispute management, whose form posts to `/establishments/{id}/activate`.

use crate::i18n::*;
use crate::web::page::{language, server_body, PageHeading};
use crate::AppError;
use leptos::prelude::*;

mod body {
    use crate::accounts::model::{EstablishmentSummary, Flash, SessionView};
    use crate::analytics::dashboard::{
        links, AdminDashboard, AnalystDashboard, Dashboard, MerchantDashboard, NearestCase, OpenFigures, RecentFigures,
    };
    use crate::analytics::store::PaymentRow;
    use crate::disputes::queue::Due;
    use crate::disputes::state::{Stage, Status};
    use crate::format;
    use crate::i18n::*;
    use crate::web::form::{FormProblem, NoticeBanner};
    use leptos::prelude::*;

    /// One figure: its number, what it counts, and the list it links to.
    #[component]
    fn Figure(value: String, label: String, href: Option<String>, testid: &'static str) -> impl IntoView {
        let inner = view! { <strong class="figure__value">{value}</strong> <span class="figure__label">{label}</span> };
        view! {
            <li class="figure" data-testid=testid>
                {match href {
                    Some(href) => view! { <a href=href>{inner}</a> }.into_any(),
                    None => view! { <span>{inner}</span> }.into_any(),
                }}
            </li>
        }
    }

    fn count(value: i64) -> String {
        value.to_string()
    }

    /// Amounts in their currencies, "0" without any.
    fn amounts(amounts: &[(String, i64)], language: &str) -> String {
        if amounts.is_empty() {
            return format::amount(0, "EUR", language);
        }
        amounts
            .iter()
            .map(|(currency, amount)| format::amount(*amount, currency, language))
            .collect::<Vec<_>>()
            .join(" + ")
    }

    /// Cases waiting for an answer, across the caller's establishments.
    #[component]
    fn Waiting(totals: OpenFigures, language: String) -> impl IntoView {
        let i18n = use_i18n();
        view! {
            <section class="section" aria-labelledby="waiting-title">
                <h2 id="waiting-title">{t_string!(i18n, dash_waiting_title)}</h2>
                <ul class="figures">
                    <Figure value=count(totals.open) label=t_string!(i18n, dash_open).to_owned() href=Some(links::open(None)) testid="figure-open" />
                    <Figure value=count(totals.urgent) label=t_string!(i18n, dash_urgent).to_owned() href=Some(links::due(None, Due::Urgent)) testid="figure-urgent" />
                    <Figure value=count(totals.overdue) label=t_string!(i18n, dash_overdue).to_owned() href=Some(links::due(None, Due::Overdue)) testid="figure-overdue" />
                    <Figure value=count(totals.drafts) label=t_string!(i18n, dash_drafts).to_owned() href=Some(links::drafts(None)) testid="figure-drafts" />
                    <Figure value=amounts(&totals.at_stake, &language) label=t_string!(i18n, dash_at_stake).to_owned() href=Some(links::open(None)) testid="figure-at-stake" />
                </ul>
            </section>
        }
    }

    /// The nearest reply-by dates, in the queue's order.
    #[component]
    fn Nearest(cases: Vec<NearestCase>, language: String) -> impl IntoView {
        let i18n = use_i18n();
        let overdue = t_string!(i18n, overdue).to_owned();
        view! {
            <section class="section" aria-labelledby="nearest-title">
                <h2 id="nearest-title">{t_string!(i18n, dash_nearest_title)}</h2>
                {if cases.is_empty() {
                    view! { <p class="notice" data-testid="no-nearest">{t_string!(i18n, dash_nothing_waiting)}</p> }.into_any()
                } else {
                    view! {
                        <div class="table-scroll" tabindex="0">
                            <table class="table" data-testid="nearest">
                                <thead><tr>
                                    <th>{t_string!(i18n, col_case)}</th>
                                    <th>{t_string!(i18n, col_establishment)}</th>
                                    <th>{t_string!(i18n, col_stage)}</th>
                                    <th>{t_string!(i18n, reason_code)}</th>
                                    <th>{t_string!(i18n, col_amount)}</th>
                                    <th>{t_string!(i18n, col_reply_by)}</th>
                                    <th>{t_string!(i18n, col_days_left)}</th>
                                </tr></thead>
                                <tbody>
                                    {cases.into_iter().map(|case| {
                                        let left = if case.days_left < 0 {
                                            overdue.clone()
                                        } else {
                                            format::fill(t_string!(i18n, dash_days_left), &[("days", &case.days_left.to_string())])
                                        };
                                        let stage = case.stage.map(|stage| match stage {
                                            Stage::Inquiry => t_string!(i18n, stage_inquiry).to_owned(),
                                            Stage::Chargeback => t_string!(i18n, stage_chargeback).to_owned(),
                                        });
                                        view! {
                                            <tr data-testid="nearest-case" data-case=case.case_number.clone()>
                                                <td><a href=format!("/disputes/{}", case.case_number)>{case.case_number.clone()}</a></td>
                                                <td>{case.establishment}</td>
                                                <td>{stage}</td>
                                                <td>{case.reason_code}</td>
                                                <td class="number">{format::amount(case.amount, &case.currency, &language)}</td>
                                                <td>{case.reply_by}</td>
                                                <td data-testid="days-left">{left}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <p><a href=links::open(None)>{t_string!(i18n, dash_all_waiting)}</a></p>
                    }.into_any()
                }}
            </section>
        }
    }

    /// Headquarters: one row per establishment, the most pressing first.
    #[component]
    fn Establishments(dashboard: MerchantDashboard, language: String) -> impl IntoView {
        let i18n = use_i18n();
        let cell = |value: i64, href: String, testid: &'static str| {
            view! { <td class="number" data-testid=testid><a href=href>{value}</a></td> }
        };
        view! {
            <section class="section" aria-labelledby="hq-title">
                <h2 id="hq-title">{t_string!(i18n, dash_establishments_title)}</h2>
                <div class="table-scroll" tabindex="0">
                    <table class="table" data-testid="hq-establishments">
                        <thead><tr>
                            <th>{t_string!(i18n, col_establishment)}</th>
                            <th>{t_string!(i18n, col_open)}</th>
                            <th>{t_string!(i18n, urgent)}</th>
                            <th>{t_string!(i18n, overdue)}</th>
                            <th>{t_string!(i18n, dash_drafts)}</th>
                            <th>{t_string!(i18n, dash_at_stake)}</th>
                        </tr></thead>
                        <tbody>
                            {dashboard.rows.into_iter().map(|row| {
                                let id = Some(row.id);
                                view! {
                                    <tr data-testid="hq-row" data-establishment=row.id.to_string()>
                                        <td><a href=links::open(id)>{row.name}</a></td>
                                        {cell(row.figures.open, links::open(id), "open-count")}
                                        {cell(row.figures.urgent, links::due(id, Due::Urgent), "urgent-count")}
                                        {cell(row.figures.overdue, links::due(id, Due::Overdue), "overdue-count")}
                                        {cell(row.figures.drafts, links::drafts(id), "drafts-count")}
                                        <td class="number" data-testid="at-stake">{amounts(&row.figures.at_stake, &language)}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </section>
        }
    }

    /// Headquarters: the last days across every establishment.
    #[component]
    fn Recent(recent: RecentFigures, language: String) -> impl IntoView {
        let i18n = use_i18n();
        let title =
            format::fill(t_string!(i18n, dash_recent_title), &[("date", &format::date(recent.since, &language))]);
        let since = recent.since;
        view! {
            <section class="section" aria-labelledby="recent-title">
                <h2 id="recent-title">{title}</h2>
                <ul class="figures">
                    <Figure value=count(recent.new_inquiries) label=t_string!(i18n, dash_new_inquiries).to_owned() href=Some(links::opened(Stage::Inquiry, since)) testid="recent-inquiries" />
                    <Figure value=count(recent.new_chargebacks) label=t_string!(i18n, dash_new_chargebacks).to_owned() href=Some(links::opened(Stage::Chargeback, since)) testid="recent-chargebacks" />
                    <Figure value=count(recent.decided()) label=t_string!(i18n, dash_decided).to_owned() href=Some(links::closed(&[Status::Won, Status::Lost], since)) testid="recent-decided" />
                    <Figure value=count(recent.won) label=t_string!(i18n, status_won).to_owned() href=Some(links::closed(&[Status::Won], since)) testid="recent-won" />
                    <Figure value=count(recent.lost) label=t_string!(i18n, status_lost).to_owned() href=Some(links::closed(&[Status::Lost], since)) testid="recent-lost" />
                    <Figure value=count(recent.accepted) label=t_string!(i18n, status_accepted).to_owned() href=Some(links::closed(&[Status::Accepted], since)) testid="recent-accepted" />
                </ul>
            </section>
        }
    }

    /// The latest payments and the pending ones, each linking to its tab.
    #[component]
    fn Payments(
        latest: Vec<PaymentRow>,
        pending: Vec<crate::analytics::dashboard::PendingPayments>,
        language: String,
    ) -> impl IntoView {
        let i18n = use_i18n();
        view! {
            <section class="section" aria-labelledby="payments-title">
                <h2 id="payments-title">{t_string!(i18n, dash_payments_title)}</h2>
                {if latest.is_empty() {
                    view! { <p class="notice" data-testid="no-payments">{t_string!(i18n, dash_no_payments)}</p> }.into_any()
                } else {
                    view! {
                        <div class="table-scroll" tabindex="0">
                            <table class="table" data-testid="latest-payments">
                                <thead><tr>
                                    <th>{t_string!(i18n, col_date)}</th>
                                    <th>{t_string!(i18n, col_establishment)}</th>
                                    <th>{t_string!(i18n, col_reference)}</th>
                                    <th>{t_string!(i18n, col_net_amount)}</th>
                                </tr></thead>
                                <tbody>
                                    {latest.into_iter().map(|payment| view! {
                                        <tr data-testid="latest-payment">
                                            <td>{payment.payment_date}</td>
                                            <td><a href=links::payments(payment.establishment_id, "paid")>{payment.trading_name}</a></td>
                                            <td><a href=format!("/payments/{}", payment.reference)>{payment.reference.clone()}</a></td>
                                            <td class="number">{format::amount(payment.net_amount, &payment.currency, &language)}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                }}
                <ul class="figures">
                    {pending.into_iter().map(|each| {
                        let label = format::fill(t_string!(i18n, dash_pending_payments), &[("establishment", &each.establishment)]);
                        view! { <Figure value=count(each.count) label href=Some(links::payments(each.establishment_id, "pending")) testid="figure-pending-payments" /> }
                    }).collect_view()}
                </ul>
            </section>
        }
    }

    #[component]
    fn EstablishmentCard(establishment: EstablishmentSummary, flash: Flash) -> impl IntoView {
        let i18n = use_i18n();
        let action = format!("/establishments/{}/activate", establishment.id);
        let subscribed = establishment.dispute_subscribed;
        let can_activate = establishment.can_activate;
        view! {
            <li class="card" data-testid="establishment" data-number=establishment.number.clone()>
                <h3 class="card__title">{establishment.trading_name.clone()}</h3>
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

    #[component]
    fn Merchant(dashboard: MerchantDashboard, flash: Flash, language: String) -> impl IntoView {
        let i18n = use_i18n();
        let unread = dashboard.unread_notifications;
        let cards = dashboard.summary.establishments.clone();
        let (latest, pending) = (dashboard.latest_payments.clone(), dashboard.pending_payments.clone());
        let recent = dashboard.recent.clone();
        let pressing = if dashboard.headquarters {
            view! { <Establishments dashboard=dashboard.clone() language=language.clone() /> }.into_any()
        } else {
            view! { <Nearest cases=dashboard.nearest.clone() language=language.clone() /> }.into_any()
        };
        view! {
            <Waiting totals=dashboard.totals.clone() language=language.clone() />
            {pressing}
            {recent.map(|recent| view! { <Recent recent language=language.clone() /> })}
            <Payments latest pending language=language.clone() />
            <section class="section" aria-labelledby="elsewhere-title">
                <h2 id="elsewhere-title">{t_string!(i18n, dash_elsewhere_title)}</h2>
                <ul class="figures">
                    <Figure value=count(unread) label=t_string!(i18n, dash_unread_notifications).to_owned() href=Some("/notifications".to_owned()) testid="figure-unread" />
                </ul>
                <p><a href="/analytics" data-testid="analytics-link">{t_string!(i18n, dash_analytics_link)}</a></p>
            </section>
            <section class="section" aria-labelledby="establishments-title">
                <h2 id="establishments-title">{t_string!(i18n, establishments)}</h2>
                <ul class="cards" data-testid="establishments">
                    {cards.into_iter().map(|establishment| view! {
                        <EstablishmentCard establishment flash=flash.clone() />
                    }).collect_view()}
                </ul>
            </section>
        }
    }

    #[component]
    fn Analyst(dashboard: AnalystDashboard, language: String) -> impl IntoView {
        let i18n = use_i18n();
        let oldest = match dashboard.oldest_submitted_at {
            Some(at) => format::instant(at, &language),
            None => "—".to_owned(),
        };
        view! {
            <section class="section" aria-labelledby="review-title">
                <h2 id="review-title">{t_string!(i18n, dash_review_title)}</h2>
                <ul class="figures">
                    <Figure value=count(dashboard.waiting) label=t_string!(i18n, dash_review_waiting).to_owned() href=Some("/review".to_owned()) testid="figure-review-waiting" />
                    <Figure value=oldest label=t_string!(i18n, dash_review_oldest).to_owned() href=Some("/review".to_owned()) testid="figure-review-oldest" />
                    <Figure value=count(dashboard.decisions_today) label=t_string!(i18n, dash_decisions_today).to_owned() href=None testid="figure-decisions-today" />
                </ul>
                <p><a href="/analytics" data-testid="analytics-link">{t_string!(i18n, dash_analytics_link)}</a></p>
            </section>
        }
    }

    #[component]
    fn Admin(dashboard: AdminDashboard) -> impl IntoView {
        let i18n = use_i18n();
        let organisations = || Some("/admin/organisations".to_owned());
        view! {
            <section class="section" aria-labelledby="platform-title">
                <h2 id="platform-title">{t_string!(i18n, dash_platform_title)}</h2>
                <ul class="figures">
                    <Figure value=count(dashboard.failed_emails) label=t_string!(i18n, dash_failed_emails).to_owned() href=Some("/admin/notifications".to_owned()) testid="figure-failed-emails" />
                    <Figure value=count(dashboard.organisations) label=t_string!(i18n, dash_organisations).to_owned() href=organisations() testid="figure-organisations" />
                    <Figure value=count(dashboard.establishments) label=t_string!(i18n, dash_establishments_onboarded).to_owned() href=organisations() testid="figure-establishments" />
                    <Figure value=count(dashboard.subscribed) label=t_string!(i18n, dash_subscribed).to_owned() href=organisations() testid="figure-subscribed" />
                </ul>
            </section>
        }
    }

    /// The caller's dashboard, under the welcome line.
    #[component]
    pub fn DashboardBody(view: SessionView, username: String, dashboard: Dashboard, language: String) -> impl IntoView {
        let i18n = use_i18n();
        let flash = view.flash_for("summary");
        let body = match dashboard {
            Dashboard::Merchant(merchant) => view! { <Merchant dashboard=*merchant flash=flash.clone() language /> }.into_any(),
            Dashboard::Analyst(analyst) => view! { <Analyst dashboard=analyst language /> }.into_any(),
            Dashboard::Admin(admin) => view! { <Admin dashboard=admin /> }.into_any(),
            Dashboard::Support => view! {
                <p><a class="button" href="/support" data-testid="support-link">{t_string!(i18n, dash_support_console)}</a></p>
            }.into_any(),
        };
        view! {
            <NoticeBanner flash=flash.clone() />
            <p>{t!(i18n, welcome)} " " <strong data-testid="welcome-user">{username}</strong></p>
            {body}
        }
    }
}

/// The dashboard's body for the signed-in caller.
async fn dashboard_body(language: String) -> Result<impl IntoView, AppError> {
    use crate::web::context::{caller, services, session_view};
    let (caller, services, view) = (caller()?, services()?, session_view()?);
    let dashboard = crate::analytics::dashboard::load(&services.db, &caller, crate::clock::paris_today()).await?;
    let username = caller.username.clone();
    Ok(view! { <body::DashboardBody view username dashboard language /> })
}

/// `/`
#[component]
pub fn DashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading title=t_string!(i18n, nav_dashboard).to_owned() intro=t_string!(i18n, dashboard_intro).to_owned() />
        {server_body(dashboard_body(language()))}
    }
}
