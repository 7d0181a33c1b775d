//! The details as a definition list and a table of line items, every amount in its own
//! currency's decimals (JPY 0, EUR 2, KWD 3).

use super::TransactionDetails;
use crate::format;
use crate::i18n::*;
use leptos::prelude::*;

/// The details of one transaction; `testid` names the list for tests.
#[component]
pub fn DetailsList(details: TransactionDetails, language: String) -> impl IntoView {
    let i18n = use_i18n();
    let money = |minor: i64, currency: &str| format::amount(minor, currency, &language);
    let currency = details.currency.clone();
    let level3_currency = details.level3_currency().to_owned();
    let terms = details.terms.as_ref().map(|terms| {
        let text = format::fill(
            t_string!(i18n, details_plan_terms),
            &[
                ("plan", &terms.plan_id),
                ("payments", &terms.payments.to_string()),
                ("amount", &money(terms.payment_amount, &currency)),
                ("rate", &crate::format::percent_basis_points(terms.rate_basis_points, &language)),
                ("interest", &money(terms.total_interest, &currency)),
                ("total", &money(terms.total_payable, &currency)),
            ],
        );
        view! { <dt>{t_string!(i18n, details_plan)}</dt><dd data-testid="details-plan">{text}</dd> }
    });
    let original = details.original.as_ref().map(|original| {
        let text = format::fill(
            t_string!(i18n, details_original_value),
            &[("amount", &money(original.amount, &original.currency)), ("rate", &original.rate)],
        );
        view! { <dt>{t_string!(i18n, details_original)}</dt><dd data-testid="details-original">{text}</dd> }
    });
    let mut indicators = Vec::new();
    if details.card_on_file {
        indicators.push(t_string!(i18n, details_card_on_file).to_owned());
    }
    if details.recurring {
        indicators.push(t_string!(i18n, details_recurring).to_owned());
    }
    let indicators = (!indicators.is_empty()).then(|| {
        view! { <dt>{t_string!(i18n, details_indicators)}</dt><dd data-testid="details-indicators">{indicators.join(" · ")}</dd> }
    });
    let sub_merchant = details.sub_merchant.as_ref().map(|(id, name, category)| {
        view! { <dt>{t_string!(i18n, details_sub_merchant)}</dt><dd>{format!("{name} ({id}, MCC {category})")}</dd> }
    });
    let customer = details.customer_reference.clone().map(|reference| {
        view! { <dt>{t_string!(i18n, details_customer_reference)}</dt><dd>{reference}</dd> }
    });
    let tax = details.tax_amount.map(|tax| {
        view! { <dt>{t_string!(i18n, details_tax)}</dt><dd>{money(tax, &level3_currency)}</dd> }
    });
    let ship_to = details.ship_to_postcode.clone().map(|postcode| {
        view! { <dt>{t_string!(i18n, details_ship_to)}</dt><dd>{postcode}</dd> }
    });
    let lines = (!details.line_items.is_empty()).then(|| {
        view! {
            <table class="table table--compact" data-testid="details-line-items">
                <caption>{t_string!(i18n, details_line_items)}</caption>
                <thead><tr>
                    <th scope="col">{t_string!(i18n, details_description)}</th>
                    <th scope="col" class="number">{t_string!(i18n, details_quantity)}</th>
                    <th scope="col" class="number">{t_string!(i18n, details_unit_price)}</th>
                    <th scope="col" class="number">{t_string!(i18n, details_tax)}</th>
                </tr></thead>
                <tbody>
                    {details.line_items.iter().map(|item| view! {
                        <tr>
                            <td>{item.description.clone()}</td>
                            <td class="number">{item.quantity}</td>
                            <td class="number">{money(item.unit_price, &level3_currency)}</td>
                            <td class="number">{money(item.tax_amount, &level3_currency)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        }
    });
    view! {
        <dl class="facts" data-testid="transaction-details">
            {terms}{original}{indicators}{sub_merchant}{customer}{tax}{ship_to}
        </dl>
        {lines}
    }
}
