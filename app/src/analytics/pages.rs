//! `/analytics` and `/analytics/settings`, rendered on the server. The filter is a GET form,
//! so every view has its own address and works without JavaScript; each table has its CSV link
//! (`analytics::http`); the monthly chart is an inline SVG with its title, description, a
//! sentence saying what it shows and the table of its figures beside it.

use super::period::Refusal;
use crate::i18n::*;
use crate::web::page::{language, server_body, PageHeading};
use crate::AppError;
use leptos::prelude::*;
use leptos_i18n::td_string;

/// The settings form's name in flashes.
pub const SETTINGS_FORM: &str = "analytics_settings";

/// The sentence for a refused filter, in `language`.
pub fn refusal_message(refusal: Refusal, language: &str) -> String {
    let locale = crate::format::locale(language);
    match refusal {
        Refusal::BadMonth => td_string!(locale, analytics_refused_month),
        Refusal::Reversed => td_string!(locale, analytics_refused_reversed),
        Refusal::OutOfRange => td_string!(locale, analytics_refused_range),
        Refusal::BadReason => td_string!(locale, analytics_refused_reason),
        Refusal::BadParameter => td_string!(locale, analytics_refused_parameter),
    }
    .to_owned()
}

mod body {
    use crate::accounts::model::Flash;
    use crate::analytics::chart::{self, Chart};
    use crate::analytics::figures::Analytics;
    use crate::analytics::period::Period;
    use crate::analytics::tables::{percent, table, Cell, Flag, Table, TableId};
    use crate::format;
    use crate::i18n::*;
    use crate::web::form::{FormProblem, NoticeBanner};
    use leptos::prelude::*;

    /// A table of the page with its CSV link.
    #[component]
    fn DataTable(table: Table, caption: String, query: String, language: String) -> impl IntoView {
        let i18n = use_i18n();
        let locale = format::locale(&language);
        let id = table.id.as_str();
        let href = format!("/analytics/export/{id}?{query}");
        view! {
            <div class="table-scroll" tabindex="0">
                <table class="table" data-testid=format!("table-{id}")>
                    <caption>{caption}</caption>
                    <thead><tr>
                        {table.columns.iter().map(|column| view! { <th scope="col">{column.heading(locale)}</th> }).collect_view()}
                    </tr></thead>
                    <tbody>
                        {table.rows.into_iter().map(|row| view! {
                            <tr data-testid="analytics-row">
                                {row.into_iter().map(|cell| {
                                    let numeric = cell.numeric();
                                    let flagged = matches!(cell, Cell::Flag(Flag::Above | Flag::AtRisk));
                                    let text = cell.shown(&language);
                                    view! {
                                        <td class:number=numeric>
                                            {if flagged { view! { <strong class="badge badge--urgent">{text}</strong> }.into_any() } else { text.into_any() }}
                                        </td>
                                    }
                                }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <p><a href=href download="" data-testid=format!("download-{id}")>{t_string!(i18n, analytics_download_csv)}</a></p>
        }
    }

    /// The month, establishment, organisation and reason-code filter.
    #[component]
    fn Filters(analytics: Analytics, today: chrono::NaiveDate, language: String) -> impl IntoView {
        let i18n = use_i18n();
        let locale = format::locale(&language);
        let filter = analytics.filter.clone();
        let months = Period::longest(today).months();
        let month_options = move |chosen: crate::analytics::period::Month| {
            months
                .iter()
                .map(|month| view! { <option value=month.to_string() selected=*month == chosen>{month.to_string()}</option> })
                .collect_view()
        };
        let mut organisations: Vec<(i64, String)> = Vec::new();
        for each in &analytics.choices {
            if !organisations.iter().any(|(id, _)| *id == each.organisation_id) {
                organisations.push((each.organisation_id, each.organisation.clone()));
            }
        }
        view! {
            <form class="filters" method="get" action="/analytics" data-testid="analytics-filters">
                <div class="field">
                    <label for="analytics-from">{t_string!(i18n, analytics_from)}</label>
                    <select id="analytics-from" name="from">{month_options.clone()(filter.period.from)}</select>
                </div>
                <div class="field">
                    <label for="analytics-to">{t_string!(i18n, analytics_to)}</label>
                    <select id="analytics-to" name="to">{month_options(filter.period.to)}</select>
                </div>
                {analytics.network.then(|| view! {
                    <div class="field">
                        <label for="analytics-organisation">{t_string!(i18n, analytics_col_organisation)}</label>
                        <select id="analytics-organisation" name="organisation">
                            <option value="">{t_string!(i18n, all)}</option>
                            {organisations.into_iter().map(|(id, name)| view! {
                                <option value=id.to_string() selected=filter.organisation == Some(id)>{name}</option>
                            }).collect_view()}
                        </select>
                    </div>
                })}
                <div class="field">
                    <label for="analytics-establishment">{t_string!(i18n, analytics_col_establishment)}</label>
                    <select id="analytics-establishment" name="establishment">
                        <option value="">{t_string!(i18n, all)}</option>
                        {analytics.choices.iter().map(|each| view! {
                            <option value=each.id.to_string() selected=filter.establishment == Some(each.id)>
                                {format!("{} ({})", each.trading_name, each.number)}
                            </option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="analytics-reason">{t_string!(i18n, reason_code)}</label>
                    <select id="analytics-reason" name="reason">
                        <option value="">{t_string!(i18n, all)}</option>
                        {crate::disputes::reason_codes::ALL.iter().map(|reason| view! {
                            <option value=reason.code selected=filter.reason.as_deref() == Some(reason.code)>
                                {format!("{} — {}", reason.code, reason.label(locale))}
                            </option>
                        }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="button" data-testid="apply-analytics">{t_string!(i18n, apply_filters)}</button>
            </form>
        }
    }

    /// The period's headline figures.
    #[component]
    fn Headline(analytics: Analytics, language: String) -> impl IntoView {
        let i18n = use_i18n();
        let locale = format::locale(&language);
        let overall = analytics.overall();
        let figure = |testid: &'static str, value: String, label: &'static str| {
            view! { <li class="figure" data-testid=testid><span><strong class="figure__value">{value}</strong> <span class="figure__label">{label}</span></span></li> }
        };
        let win_rate = overall.win_rate_bp().map_or("—".to_owned(), |rate| percent(rate, locale));
        let median = analytics.median_days.map_or("—".to_owned(), |days| days.to_string());
        view! {
            <ul class="figures" data-testid="analytics-headline">
                {figure("headline-inquiries", overall.inquiries.to_string(), t_string!(i18n, analytics_col_inquiries))}
                {figure("headline-chargebacks", overall.chargebacks.to_string(), t_string!(i18n, analytics_col_chargebacks))}
                {figure("headline-answered", overall.answered.to_string(), t_string!(i18n, analytics_col_answered))}
                {figure("headline-accepted", overall.accepted.to_string(), t_string!(i18n, analytics_col_accepted))}
                {figure("headline-won", overall.won.to_string(), t_string!(i18n, analytics_col_won))}
                {figure("headline-lost", overall.lost.to_string(), t_string!(i18n, analytics_col_lost))}
                {figure("headline-expired", overall.expired_chargebacks.to_string(), t_string!(i18n, analytics_col_expired))}
                {figure("headline-win-rate", win_rate, t_string!(i18n, analytics_col_win_rate))}
                {figure("headline-median-days", median, t_string!(i18n, analytics_col_median_days))}
            </ul>
            <p class="notice" data-testid="headline-conversions">
                {format::fill(t_string!(i18n, analytics_conversions_sentence), &[("count", &overall.expired_inquiries.to_string())])}
            </p>
        }
    }

    /// The monthly trend as SVG: inquiries (solid) and chargebacks (hatched) opened each month.
    #[component]
    fn TrendChart(analytics: Analytics, language: String) -> impl IntoView {
        let i18n = use_i18n();
        let by_month = analytics.opened_by_month();
        let series = [
            t_string!(i18n, analytics_col_inquiries).to_owned(),
            t_string!(i18n, analytics_col_chargebacks).to_owned(),
        ];
        let groups: Vec<(String, Vec<i64>)> = by_month
            .iter()
            .map(|(month, counts)| (month.to_string(), vec![counts.inquiries, counts.chargebacks]))
            .collect();
        let words = series.clone();
        let Chart { bars, grid, groups: names, baseline } =
            chart::grouped(&groups, |group, index, value| format!("{group} · {} : {value}", words[index]));
        let total_inquiries: i64 = by_month.iter().map(|(_, counts)| counts.inquiries).sum();
        let total_chargebacks: i64 = by_month.iter().map(|(_, counts)| counts.chargebacks).sum();
        let busiest =
            by_month.iter().max_by_key(|(_, counts)| counts.opened()).filter(|(_, counts)| counts.opened() > 0);
        let description = format::fill(
            t_string!(i18n, analytics_chart_desc),
            &[
                ("from", &analytics.filter.period.from.to_string()),
                ("to", &analytics.filter.period.to.to_string()),
                ("inquiries", &total_inquiries.to_string()),
                ("chargebacks", &total_chargebacks.to_string()),
                ("busiest", &busiest.map_or("—".to_owned(), |(month, _)| month.to_string())),
            ],
        );
        let _ = language;
        let fill = |series: usize| if series == 0 { "#00509a" } else { "url(#analytics-hatch)" };
        let view_box = format!("0 0 {} {}", chart::WIDTH, chart::HEIGHT);
        view! {
            <figure class="chart" data-testid="trend-chart">
                <svg viewBox=view_box role="img" aria-labelledby="trend-title trend-desc" class="chart__svg">
                    <title id="trend-title">{t_string!(i18n, analytics_chart_title)}</title>
                    <desc id="trend-desc">{description.clone()}</desc>
                    <defs>
                        <pattern id="analytics-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                            <rect width="6" height="6" fill="#a34700"></rect>
                            <rect width="2" height="6" fill="#ffffff"></rect>
                        </pattern>
                    </defs>
                    {grid.into_iter().map(|tick| view! {
                        <line x1="48" x2=chart::WIDTH.to_string() y1=tick.y.to_string() y2=tick.y.to_string() stroke="#d6dbe3"></line>
                        <text x=tick.x.to_string() y=(tick.y + 4).to_string() text-anchor="end" font-size="11" fill="#14213d">{tick.text}</text>
                    }).collect_view()}
                    {bars.into_iter().map(|bar| view! {
                        <rect x=bar.x.to_string() y=bar.y.to_string() width=bar.width.to_string() height=bar.height.to_string()
                            fill=fill(bar.series) stroke="#14213d" stroke-width="0.5">
                            <title>{bar.label}</title>
                        </rect>
                    }).collect_view()}
                    <line x1="48" x2=chart::WIDTH.to_string() y1=baseline.to_string() y2=baseline.to_string() stroke="#14213d"></line>
                    {names.into_iter().map(|tick| {
                        let short = tick.text.get(2..).unwrap_or_default().to_owned();
                        view! { <text x=tick.x.to_string() y=tick.y.to_string() text-anchor="middle" font-size="10" fill="#14213d">{short}</text> }
                    }).collect_view()}
                </svg>
                <figcaption>
                    <p data-testid="chart-description">{description}</p>
                    <ul class="legend">
                        <li><svg width="14" height="14" aria-hidden="true"><rect width="14" height="14" fill="#00509a"></rect></svg> {series[0].clone()} {t_string!(i18n, analytics_legend_solid)}</li>
                        <li><svg width="14" height="14" aria-hidden="true"><rect width="14" height="14" fill="url(#analytics-hatch)"></rect></svg> {series[1].clone()} {t_string!(i18n, analytics_legend_hatched)}</li>
                    </ul>
                </figcaption>
            </figure>
        }
    }

    /// The page's body once the figures are read.
    #[component]
    pub fn AnalyticsBody(analytics: Analytics, today: chrono::NaiveDate, language: String) -> impl IntoView {
        let i18n = use_i18n();
        let locale = format::locale(&language);
        let query = analytics.filter.query();
        let section = |id: TableId, title: String, intro: Option<String>| {
            let table = table(&analytics, id, locale);
            let heading = format!("analytics-{}-title", id.as_str());
            let labelled_by = heading.clone();
            view! {
                <section class="section" aria-labelledby=labelled_by>
                    <h2 id=heading>{title.clone()}</h2>
                    {intro.map(|intro| view! { <p>{intro}</p> })}
                    <DataTable table caption=title query=query.clone() language=language.clone() />
                </section>
            }
        };
        let threshold = percent(analytics.threshold_bp, locale);
        let flagged: Vec<String> = analytics
            .rates
            .iter()
            .filter(|rate| rate.above || rate.at_risk)
            .map(|rate| {
                let name = analytics
                    .establishment(rate.establishment_id)
                    .map(|each| each.trading_name.clone())
                    .unwrap_or_default();
                let flag = if rate.above { Flag::Above } else { Flag::AtRisk };
                format!("{name} · {} · {}", rate.month, flag.word(locale))
            })
            .collect();
        let rate_intro = format::fill(t_string!(i18n, analytics_rate_intro), &[("threshold", &threshold)]);
        view! {
            <Filters analytics=analytics.clone() today language=language.clone() />
            <section class="section" aria-labelledby="analytics-summary-title">
                <h2 id="analytics-summary-title">{t_string!(i18n, analytics_summary_title)}</h2>
                <Headline analytics=analytics.clone() language=language.clone() />
            </section>
            {section(TableId::Totals, t_string!(i18n, analytics_totals_title).to_owned(), None)}
            <section class="section" aria-labelledby="analytics-trend-title">
                <h2 id="analytics-trend-title">{t_string!(i18n, analytics_chart_title)}</h2>
                <TrendChart analytics=analytics.clone() language=language.clone() />
            </section>
            {section(TableId::Months, t_string!(i18n, analytics_months_title).to_owned(), None)}
            {section(TableId::Reasons, t_string!(i18n, analytics_reasons_title).to_owned(), None)}
            {section(TableId::Establishments, t_string!(i18n, analytics_establishments_title).to_owned(), None)}
            {analytics.network.then(|| section(TableId::Organisations, t_string!(i18n, analytics_organisations_title).to_owned(), None))}
            <section class="section" aria-labelledby="analytics-flagged-title">
                <h2 id="analytics-flagged-title">{t_string!(i18n, analytics_flagged_title)}</h2>
                {if flagged.is_empty() {
                    view! { <p data-testid="no-flagged">{t_string!(i18n, analytics_none_flagged)}</p> }.into_any()
                } else {
                    view! { <ul data-testid="flagged">{flagged.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul> }.into_any()
                }}
            </section>
            {section(TableId::Rates, t_string!(i18n, analytics_rates_title).to_owned(), Some(rate_intro))}
            {section(TableId::Cards, t_string!(i18n, analytics_cards_title).to_owned(), Some(t_string!(i18n, analytics_cards_intro).to_owned()))}
        }
    }

    /// What the page shows for a refused filter: the reason, and the form to try again.
    #[component]
    pub fn RefusedBody(message: String) -> impl IntoView {
        let i18n = use_i18n();
        view! {
            <p class="notice notice--error" role="alert" data-testid="analytics-refused">{message}</p>
            <p><a href="/analytics">{t_string!(i18n, analytics_reset)}</a></p>
        }
    }

    /// The platform admin's threshold form.
    #[component]
    pub fn SettingsBody(threshold_bp: i64, flash: Flash, language: String) -> impl IntoView {
        let i18n = use_i18n();
        let typed = flash.value("threshold");
        let shown = if typed.is_empty() {
            crate::money::filter::decimal(threshold_bp).replace('.', if language == "fr" { "," } else { "." })
        } else {
            typed
        };
        view! {
            <NoticeBanner flash=flash.clone() />
            <form class="form" method="post" action="/analytics/settings" data-testid="analytics-settings">
                <div class="field" class:field--invalid=flash.problem("threshold").is_some()>
                    <label for="field-threshold">{t_string!(i18n, analytics_threshold_label)}</label>
                    <input id="field-threshold" name="threshold" inputmode="decimal" value=shown aria-describedby="threshold-hint" />
                    <p class="field__hint" id="threshold-hint">{t_string!(i18n, analytics_threshold_hint)}</p>
                </div>
                <FormProblem flash=flash.clone() field="threshold" />
                <button type="submit" class="button button--primary" data-testid="save-threshold">{t_string!(i18n, analytics_save)}</button>
            </form>
        }
    }
}

/// The page's body for the filter in `query`.
async fn analytics_body(language: String, query: String) -> Result<AnyView, AppError> {
    use crate::analytics::period::Filter;
    use crate::web::context::{caller, services};
    let (caller, services) = (caller()?, services()?);
    let today = crate::clock::paris_today();
    let filter = match Filter::parse(&query, today) {
        Ok(filter) => filter,
        Err(refusal) => {
            crate::web::page::set_status(axum::http::StatusCode::BAD_REQUEST);
            let message = refusal_message(refusal, &language);
            return Ok(view! { <body::RefusedBody message /> }.into_any());
        }
    };
    let analytics = crate::analytics::figures::load(&services.db, &services.analytics, &caller, filter, today).await?;
    Ok(view! { <body::AnalyticsBody analytics today language /> }.into_any())
}

/// The settings form's body (platform admins only).
async fn settings_body(language: String) -> Result<impl IntoView, AppError> {
    use crate::web::context::{caller, pending_flash_for, services};
    let (caller, services) = (caller()?, services()?);
    caller.require_platform_admin()?;
    let threshold_bp = crate::analytics::figures::threshold(&services.db).await?;
    let flash = pending_flash_for(SETTINGS_FORM);
    Ok(view! { <body::SettingsBody threshold_bp flash language /> })
}

/// `/analytics`
#[component]
pub fn AnalyticsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading title=t_string!(i18n, analytics_title).to_owned() intro=t_string!(i18n, analytics_intro).to_owned() />
        {server_body(analytics_body(language(), crate::web::context::query()))}
    }
}

/// `/analytics/settings`
#[component]
pub fn AnalyticsSettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading title=t_string!(i18n, analytics_settings_title).to_owned() intro=t_string!(i18n, analytics_settings_intro).to_owned() />
        {server_body(settings_body(language()))}
    }
}
