//! The money pages' bodies, rendered on the server: the establishment picker, the transaction
//! search and its results, the payment tabs and a payment's detail, the statement list and a
//! statement, and the reporting files' form.

use super::filter::{decimal, Range, TransactionFilter};
use super::payments::{Payment, PaymentLine, Tab};
use super::statements::{line_label, Holder, Statement, StatementLine};
use super::transactions::TransactionPage;
use crate::format;
use crate::i18n::*;
use crate::transaction_details::{DetailsList, TransactionDetails};
use leptos::prelude::*;

/// The establishments a caller can choose from: (id, name).
pub type Choices = Vec<(i64, String)>;

/// A select of the caller's establishments (a plain name when there is only one).
#[component]
pub fn EstablishmentField(choices: Choices, chosen: i64) -> impl IntoView {
    let i18n = use_i18n();
    if choices.len() == 1 {
        let (id, name) = choices[0].clone();
        return view! {
            <div class="field">
                <span class="field__label">{t_string!(i18n, col_establishment)}</span>
                <strong data-testid="establishment-name">{name}</strong>
                <input type="hidden" name="establishment" value=id.to_string() />
            </div>
        }
        .into_any();
    }
    view! {
        <div class="field">
            <label for="money-establishment">{t_string!(i18n, col_establishment)}</label>
            <select id="money-establishment" name="establishment" data-testid="establishment-picker">
                {choices.into_iter().map(|(id, name)| view! {
                    <option value=id.to_string() selected=id == chosen>{name}</option>
                }).collect_view()}
            </select>
        </div>
    }
    .into_any()
}

/// A picker form that reloads `action` for the chosen establishment (extra hidden fields kept).
#[component]
pub fn Picker(
    action: &'static str,
    choices: Choices,
    chosen: i64,
    #[prop(optional)] hidden: Vec<(&'static str, String)>,
) -> impl IntoView {
    let i18n = use_i18n();
    (choices.len() > 1).then(|| view! {
        <form class="filters" method="get" action=action data-testid="establishment-form">
            {hidden.into_iter().map(|(name, value)| view! { <input type="hidden" name=name value=value /> }).collect_view()}
            <EstablishmentField choices chosen />
            <button type="submit" class="button">{t_string!(i18n, money_show)}</button>
        </form>
    })
}

/// The refusal of a bad request, said plainly.
#[component]
pub fn Refused(message: &'static str) -> impl IntoView {
    view! { <p class="notice notice--error" role="alert" data-testid="money-refused">{message}</p> }
}

#[component]
pub fn TransactionsBody(
    choices: Choices,
    chosen: i64,
    filter: TransactionFilter,
    result: Result<TransactionPage, &'static str>,
    /// What the gateway's operations added to some of the rows (plan terms, Level 3…).
    details: std::collections::HashMap<i64, TransactionDetails>,
    language: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let kind_label = move |kind: &str| match kind {
        "refund" => t_string!(i18n, kind_refund).to_string(),
        "cancellation" => t_string!(i18n, kind_cancellation).to_string(),
        _ => t_string!(i18n, kind_charge).to_string(),
    };
    let query = filter.query(chosen);
    let chosen_kind = filter.kind.map(|kind| kind.as_str());
    let online = Range::online(crate::clock::paris_today());
    let amount = |value: Option<i64>| value.map(decimal).unwrap_or_default();
    view! {
        <form class="filters" method="get" action="/transactions" data-testid="transaction-search">
            <EstablishmentField choices chosen />
            <div class="field">
                <label for="tx-from">{t_string!(i18n, date_from)}</label>
                <input id="tx-from" name="from" type="date" value=filter.range.from.to_string()
                    min=online.from.to_string() max=online.to.to_string() required=true />
            </div>
            <div class="field">
                <label for="tx-to">{t_string!(i18n, date_to)}</label>
                <input id="tx-to" name="to" type="date" value=filter.range.to.to_string()
                    min=online.from.to_string() max=online.to.to_string() required=true />
            </div>
            <div class="field">
                <label for="tx-kind">{t_string!(i18n, col_type)}</label>
                <select id="tx-kind" name="kind">
                    <option value="">{t_string!(i18n, all)}</option>
                    {super::filter::Kind::ALL.into_iter().map(|kind| view! {
                        <option value=kind.as_str() selected=chosen_kind == Some(kind.as_str())>{kind_label(kind.as_str())}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="tx-min">{t_string!(i18n, amount_from)}</label>
                <input id="tx-min" name="amount_min" inputmode="decimal" value=amount(filter.amount_min) />
            </div>
            <div class="field">
                <label for="tx-max">{t_string!(i18n, amount_to)}</label>
                <input id="tx-max" name="amount_max" inputmode="decimal" value=amount(filter.amount_max) />
            </div>
            <div class="field">
                <label for="tx-card">{t_string!(i18n, card_last_digits)}</label>
                <input id="tx-card" name="card" inputmode="numeric" maxlength="4" pattern="[0-9]{4}"
                    value=filter.card_last4.clone().unwrap_or_default() />
            </div>
            <button type="submit" class="button" data-testid="search-transactions">{t_string!(i18n, money_search)}</button>
        </form>
        {match result {
            Err(message) => view! { <Refused message /> }.into_any(),
            Ok(page) => {
                let next = page.next.map(|(at, id)| format!("/transactions?{query}&after={at}_{id}"));
                view! {
                    <p>
                        <a class="button" href=format!("/transactions/export?{query}") download="" data-testid="download-transactions">
                            {t_string!(i18n, download_csv)}
                        </a>
                    </p>
                    {if page.rows.is_empty() {
                        view! { <p class="notice" data-testid="no-transactions">{t_string!(i18n, no_transactions)}</p> }.into_any()
                    } else {
                        view! {
                            <div class="table-scroll" tabindex="0">
                                <table class="table" data-testid="transactions">
                                    <thead><tr>
                                        <th>{t_string!(i18n, col_date)}</th>
                                        <th>{t_string!(i18n, col_card)}</th>
                                        <th>{t_string!(i18n, col_amount)}</th>
                                        <th>{t_string!(i18n, col_type)}</th>
                                        <th>{t_string!(i18n, col_reference)}</th>
                                        <th>{t_string!(i18n, col_installments)}</th>
                                        <th>{t_string!(i18n, col_case)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {page.rows.into_iter().map(|row| {
                                            let more = details.get(&row.id).cloned().map(|found| view! {
                                                <tr class="table__more" data-testid="transaction-more">
                                                    <td colspan="7">
                                                        <details>
                                                            <summary>{t_string!(i18n, details_title)}</summary>
                                                            <DetailsList details=found language=language.clone() />
                                                        </details>
                                                    </td>
                                                </tr>
                                            });
                                            view! {
                                            <tr data-testid="transaction-row">
                                                <td>{format::instant(row.occurred_at, &language)}</td>
                                                <td>{row.card_masked.clone()}</td>
                                                <td class="number">{format::amount(row.amount, &row.currency, &language)}</td>
                                                <td>{kind_label(&row.kind)}</td>
                                                <td>{row.reference.clone()}</td>
                                                <td>{row.plan.clone().map(|(plan, count)| format!("{plan} × {count}"))}</td>
                                                <td>{row.case_number.clone().map(|case| view! {
                                                    <a href=format!("/disputes/{case}") data-testid="transaction-case">{case.clone()}</a>
                                                })}</td>
                                            </tr>
                                            {more}
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            {next.map(|href| view! { <p><a href=href data-testid="next-page">{t_string!(i18n, next_page)}</a></p> })}
                        }.into_any()
                    }}
                }.into_any()
            }
        }}
    }
}

#[component]
pub fn PaymentsBody(
    choices: Choices,
    chosen: i64,
    tab: Tab,
    payments: Vec<Payment>,
    language: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let tabs = [(Tab::Paid, t_string!(i18n, payments_paid)), (Tab::Pending, t_string!(i18n, payments_pending))];
    view! {
        <Picker action="/payments" choices chosen hidden=vec![("tab", tab.as_str().to_owned())] />
        <nav class="tabs" aria-label=t_string!(i18n, nav_payments)>
            {tabs.into_iter().map(|(each, label)| view! {
                <a href=format!("/payments?establishment={chosen}&tab={}", each.as_str())
                    aria-current=(each == tab).then_some("page")>{label}</a>
            }).collect_view()}
        </nav>
        {if payments.is_empty() {
            view! { <p class="notice" data-testid="no-payments">{t_string!(i18n, no_payments)}</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll" tabindex="0">
                    <table class="table" data-testid="payments">
                        <thead><tr>
                            <th>{t_string!(i18n, col_date)}</th>
                            <th>{t_string!(i18n, col_reference)}</th>
                            <th>{t_string!(i18n, col_submission_amount)}</th>
                            <th>{t_string!(i18n, col_fees)}</th>
                            <th>{t_string!(i18n, col_adjustments)}</th>
                            <th>{t_string!(i18n, col_net_amount)}</th>
                        </tr></thead>
                        <tbody>
                            {payments.into_iter().map(|payment| {
                                let money = |minor: i64| format::amount(minor, &payment.currency, &language);
                                view! {
                                    <tr data-testid="payment-row">
                                        <td>{payment.date.clone()}</td>
                                        <td><a href=format!("/payments/{}", payment.reference)>{payment.reference.clone()}</a></td>
                                        <td class="number">{money(payment.submission_amount)}</td>
                                        <td data-testid="payment-fees" class="number">{money(-payment.fees_and_incentives)}</td>
                                        <td class="number">{money(payment.adjustments)}</td>
                                        <td class="number">{money(payment.net_amount)}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}

#[component]
pub fn PaymentBody(establishment: i64, payment: Payment, lines: Vec<PaymentLine>, language: String) -> impl IntoView {
    let i18n = use_i18n();
    let money = move |minor: i64| format::amount(minor, &payment.currency, &language);
    let status =
        if payment.status == "paid" { t_string!(i18n, payments_paid) } else { t_string!(i18n, payments_pending) };
    let back = format!("/payments?establishment={establishment}&tab={}", payment.status);
    view! {
        <dl class="summary" data-testid="payment-summary">
            <dt>{t_string!(i18n, col_reference)}</dt><dd>{payment.reference.clone()}</dd>
            <dt>{t_string!(i18n, col_date)}</dt><dd>{payment.date.clone()} " (" {status} ")"</dd>
            <dt>{t_string!(i18n, col_submission_amount)}</dt><dd>{money(payment.submission_amount)}</dd>
            <dt>{t_string!(i18n, col_fees)}</dt><dd>{money(-payment.fees_and_incentives)}</dd>
            <dt>{t_string!(i18n, col_adjustments)}</dt><dd>{money(payment.adjustments)}</dd>
            <dt>{t_string!(i18n, col_net_amount)}</dt><dd data-testid="payment-net">{money(payment.net_amount)}</dd>
        </dl>
        <div class="table-scroll" tabindex="0">
            <table class="table" data-testid="payment-lines">
                <thead><tr>
                    <th>{t_string!(i18n, col_label)}</th>
                    <th>{t_string!(i18n, col_date)}</th>
                    <th>{t_string!(i18n, col_case)}</th>
                    <th>{t_string!(i18n, col_amount)}</th>
                </tr></thead>
                <tbody>
                    {lines.into_iter().map(|line| {
                        let (date, detail) = match &line.submission {
                            Some((reference, date, count)) => (date.clone(), format!("{reference} ({count})")),
                            None => (String::new(), line.label.clone()),
                        };
                        let case = line.adjustment.clone().and_then(|(_, case)| case);
                        view! {
                            <tr data-testid="payment-line" data-kind=line.kind.clone()>
                                <td>{detail}</td>
                                <td>{date}</td>
                                <td>{case.map(|case| view! { <a href=format!("/disputes/{case}") data-testid="adjustment-case">{case.clone()}</a> })}</td>
                                <td class="number">{money(line.amount)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <p><a href=back>{t_string!(i18n, back_to_payments)}</a></p>
    }
}

#[component]
pub fn StatementsBody(choices: Choices, chosen: i64, statements: Vec<Statement>, language: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Picker action="/statements" choices chosen />
        {if statements.is_empty() {
            view! { <p class="notice" data-testid="no-statements">{t_string!(i18n, no_statements)}</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll" tabindex="0">
                    <table class="table" data-testid="statements">
                        <thead><tr>
                            <th>{t_string!(i18n, col_month)}</th>
                            <th>{t_string!(i18n, col_submission_amount)}</th>
                            <th>{t_string!(i18n, col_fees)}</th>
                            <th>{t_string!(i18n, col_adjustments)}</th>
                            <th>{t_string!(i18n, statement_total_paid)}</th>
                        </tr></thead>
                        <tbody>
                            {statements.into_iter().map(|statement| {
                                let money = |minor: i64| format::amount(minor, &statement.currency, &language);
                                view! {
                                    <tr data-testid="statement-row">
                                        <td><a href=format!("/statements/{}?establishment={chosen}", statement.month)>{statement.month.clone()}</a></td>
                                        <td class="number">{money(statement.total_submissions)}</td>
                                        <td class="number">{money(-statement.total_fees)}</td>
                                        <td class="number">{money(statement.total_adjustments)}</td>
                                        <td class="number">{money(statement.total_paid)}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}

#[component]
pub fn StatementBody(
    establishment: i64,
    holder: Holder,
    statement: Statement,
    lines: Vec<StatementLine>,
    language: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = format::locale(&language);
    let money = move |minor: i64| format::amount(minor, &statement.currency, &language);
    let files = format!("/statements/{}", statement.month);
    let kind_label = move |kind: &str| match kind {
        "commission" => t_string!(i18n, line_commission),
        "adjustment" => t_string!(i18n, col_adjustments),
        _ => t_string!(i18n, line_payment),
    };
    view! {
        <h2 data-testid="statement-month">{statement.month.clone()}</h2>
        <address class="statement-holder">
            <strong>{holder.trading_name.clone()}</strong><br />
            {t_string!(i18n, statement_pdf_establishment)} " " {holder.number.clone()}<br />
            {holder.address_line.clone()}<br />
            {holder.postcode.clone()} " " {holder.city.clone()}
        </address>
        <p>
            <a class="button" href=format!("{files}/pdf?establishment={establishment}") download="" data-testid="download-pdf">{t_string!(i18n, download_pdf)}</a>
            " "
            <a class="button" href=format!("{files}/csv?establishment={establishment}") download="" data-testid="download-statement-csv">{t_string!(i18n, download_csv)}</a>
        </p>
        <dl class="summary">
            <dt>{t_string!(i18n, col_submission_amount)}</dt><dd>{money(statement.total_submissions)}</dd>
            <dt>{t_string!(i18n, col_fees)}</dt><dd>{money(-statement.total_fees)}</dd>
            <dt>{t_string!(i18n, col_adjustments)}</dt><dd>{money(statement.total_adjustments)}</dd>
            <dt>{t_string!(i18n, statement_total_paid)}</dt><dd data-testid="statement-total">{money(statement.total_paid)}</dd>
        </dl>
        <div class="table-scroll" tabindex="0">
            <table class="table" data-testid="statement-lines">
                <thead><tr>
                    <th>{t_string!(i18n, col_date)}</th>
                    <th>{t_string!(i18n, col_type)}</th>
                    <th>{t_string!(i18n, col_label)}</th>
                    <th>{t_string!(i18n, col_amount)}</th>
                </tr></thead>
                <tbody>
                    {lines.into_iter().map(|line| view! {
                        <tr data-testid="statement-line" data-kind=line.kind.clone()>
                            <td>{line.date.clone()}</td>
                            <td>{kind_label(&line.kind)}</td>
                            <td>{match line.payment.clone() {
                                Some(reference) => view! { <a href=format!("/payments/{reference}")>{line_label(&line, locale)}</a> }.into_any(),
                                None => line_label(&line, locale).into_any(),
                            }}</td>
                            <td class="number">{money(line.amount)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <p><a href=format!("/statements?establishment={establishment}")>{t_string!(i18n, back_to_statements)}</a></p>
    }
}

#[component]
pub fn ReportsBody(choices: Choices, chosen: i64) -> impl IntoView {
    let i18n = use_i18n();
    let online = Range::online(crate::clock::paris_today());
    view! {
        <form class="filters" method="get" action="/reports/file" data-testid="report-form">
            <EstablishmentField choices chosen />
            <div class="field">
                <label for="report-kind">{t_string!(i18n, report_kind)}</label>
                <select id="report-kind" name="kind">
                    <option value="transactions">{t_string!(i18n, report_transactions)}</option>
                    <option value="payments">{t_string!(i18n, report_payments)}</option>
                    <option value="reconciliation">{t_string!(i18n, report_reconciliation)}</option>
                </select>
            </div>
            <div class="field">
                <label for="report-from">{t_string!(i18n, date_from)}</label>
                <input id="report-from" name="from" type="date" value=online.from.to_string()
                    min=online.from.to_string() max=online.to.to_string() required=true />
            </div>
            <div class="field">
                <label for="report-to">{t_string!(i18n, date_to)}</label>
                <input id="report-to" name="to" type="date" value=online.to.to_string()
                    min=online.from.to_string() max=online.to.to_string() required=true />
            </div>
            <button type="submit" class="button" data-testid="download-report">{t_string!(i18n, download_csv)}</button>
        </form>
    }
}
