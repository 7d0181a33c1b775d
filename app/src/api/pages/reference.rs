//! `/developers/api`: the gateway API's reference, served by the portal itself (no script, no
//! outside resource): authentication, idempotency, the endpoints, the operation fields, the
//! payment terms' rounding rule, and every problem type, each under the anchor its `type` names.

use crate::api::problem::Fault;
use crate::api::rules::Kind;
use crate::i18n::*;
use crate::web::form::text;
use crate::web::page::{language, PageHeading};
use leptos::prelude::*;

/// The endpoints: method, path, scope, what it does (locale key's text).
fn endpoints(i18n: leptos_i18n::I18nContext<Locale>) -> Vec<(&'static str, &'static str, &'static str, String)> {
    vec![
        ("POST", "/api/v1/operations", "send", t_string!(i18n, api_ref_post_operations).to_owned()),
        ("POST", "/api/v1/capture-files", "send", t_string!(i18n, api_ref_post_capture_file).to_owned()),
        ("GET", "/api/v1/operations/{id}", "read", t_string!(i18n, api_ref_get_operation).to_owned()),
        ("GET", "/api/v1/transactions", "read", t_string!(i18n, api_ref_get_transactions).to_owned()),
        ("POST", "/api/v1/payment-plans/PLANAMEX/terms", "send", t_string!(i18n, api_ref_post_terms).to_owned()),
    ]
}

/// The operation fields: path, type, when it is needed (locale key's text).
fn fields(i18n: leptos_i18n::I18nContext<Locale>) -> Vec<(&'static str, &'static str, String)> {
    vec![
        ("type", "string", Kind::ALL.map(Kind::as_str).join(", ")),
        ("establishment_number", "string (10 digits)", t_string!(i18n, api_ref_field_always).to_owned()),
        ("amount", "integer (minor units)", t_string!(i18n, api_ref_field_amount).to_owned()),
        ("currency", "string (ISO 4217)", t_string!(i18n, api_ref_field_currency).to_owned()),
        ("card.first_six, card.last_four", "string (digits)", t_string!(i18n, api_ref_field_card).to_owned()),
        ("card.expiry", "string (YYYY-MM)", t_string!(i18n, api_ref_field_card).to_owned()),
        ("card.token", "string", t_string!(i18n, api_ref_field_card).to_owned()),
        ("parent_operation_id", "integer", t_string!(i18n, api_ref_field_parent).to_owned()),
        ("merchant_reference", "string (≤ 64)", t_string!(i18n, api_ref_field_optional).to_owned()),
        ("sub_merchant.id, .name, .category_code", "string", t_string!(i18n, api_ref_field_sub_merchant).to_owned()),
        ("card_on_file, recurring", "boolean", t_string!(i18n, api_ref_field_optional).to_owned()),
        ("payment_plan.plan_id, .payments", "string, integer", t_string!(i18n, api_ref_field_plan).to_owned()),
        ("settlement.amount, .rate", "integer, string (decimal)", t_string!(i18n, api_ref_field_settlement).to_owned()),
        (
            "level3.customer_reference, .tax_amount, .ship_to_postcode, .line_items[].description, .quantity, .unit_price, .tax_amount",
            "string, integer",
            t_string!(i18n, api_ref_field_optional).to_owned(),
        ),
    ]
}

/// `/developers/api`
#[component]
pub fn ApiReferencePage() -> impl IntoView {
    let i18n = use_i18n();
    let language = language();
    view! {
        <PageHeading title=text!(i18n, api_ref_title) intro=text!(i18n, api_ref_intro) />
        <section class="section" aria-labelledby="ref-auth">
            <h2 id="ref-auth">{t_string!(i18n, api_ref_auth_title)}</h2>
            <p>{t_string!(i18n, api_ref_auth)}</p>
            <pre class="code">"Authorization: Bearer mdp_…\nIdempotency-Key: order-1042-capture"</pre>
            <p>{t_string!(i18n, api_ref_idempotency)}</p>
            <p>{t_string!(i18n, api_ref_openapi)}" "<a href="/api/v1/openapi.json">"/api/v1/openapi.json"</a></p>
        </section>
        <section class="section" aria-labelledby="ref-endpoints">
            <h2 id="ref-endpoints">{t_string!(i18n, api_ref_endpoints_title)}</h2>
            <div class="table-wrap">
                <table class="table" data-testid="api-endpoints">
                    <thead><tr>
                        <th scope="col">{t_string!(i18n, api_ref_method)}</th>
                        <th scope="col">{t_string!(i18n, api_ref_path)}</th>
                        <th scope="col">{t_string!(i18n, api_key_scopes)}</th>
                        <th scope="col">{t_string!(i18n, api_ref_what)}</th>
                    </tr></thead>
                    <tbody>
                        {endpoints(i18n).into_iter().map(|(method, path, scope, what)| view! {
                            <tr><td>{method}</td><td><code>{path}</code></td><td>{scope}</td><td>{what}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
        <section class="section" aria-labelledby="ref-fields">
            <h2 id="ref-fields">{t_string!(i18n, api_ref_fields_title)}</h2>
            <p>{t_string!(i18n, api_ref_ledger)}</p>
            <div class="table-wrap">
                <table class="table">
                    <thead><tr>
                        <th scope="col">{t_string!(i18n, api_ref_field)}</th>
                        <th scope="col">{t_string!(i18n, api_ref_type)}</th>
                        <th scope="col">{t_string!(i18n, api_ref_when)}</th>
                    </tr></thead>
                    <tbody>
                        {fields(i18n).into_iter().map(|(field, kind, when)| view! {
                            <tr><td><code>{field}</code></td><td>{kind}</td><td>{when}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
        <section class="section" aria-labelledby="ref-terms">
            <h2 id="ref-terms">{t_string!(i18n, api_ref_terms_title)}</h2>
            <p>{t_string!(i18n, api_ref_terms)}</p>
        </section>
        <section class="section" aria-labelledby="ref-problems">
            <h2 id="ref-problems">{t_string!(i18n, api_ref_problems_title)}</h2>
            <p>{t_string!(i18n, api_ref_problems)}</p>
            <dl class="definitions" data-testid="api-problems">
                {Fault::ALL.into_iter().map(|fault| view! {
                    <dt id=fault.code()><code>{fault.code()}</code>" · "{fault.status().as_u16()}</dt>
                    <dd>{fault.title(&language)}</dd>
                }).collect_view()}
            </dl>
        </section>
    }
}
