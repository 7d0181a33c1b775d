//! `/profile`: password, email address (changed through a link sent to the new address),
//! communication preferences and language, notification preferences, and the business details
//! of the establishments the user manages. Each section is its own form.

use super::sign_in::NewPasswordFields;
use crate::accounts::model::{NotificationSetting, Profile, SessionView};
use crate::i18n::*;
use crate::web::context;
use crate::web::form::{text, Checkbox, Field, NoticeBanner};
use crate::web::page::{server_body, PageHeading};
use leptos::prelude::*;

fn category_label(i18n: leptos_i18n::I18nContext<Locale>, category: &str) -> String {
    match category {
        "new_inquiry" => t_string!(i18n, category_new_inquiry).to_string(),
        "new_chargeback" => t_string!(i18n, category_new_chargeback).to_string(),
        "case_update" => t_string!(i18n, category_case_update).to_string(),
        "urgent_case" => t_string!(i18n, category_urgent_case).to_string(),
        _ => t_string!(i18n, category_payments).to_string(),
    }
}

#[component]
fn PasswordSection(view: SessionView) -> impl IntoView {
    let i18n = use_i18n();
    let flash = view.flash_for("password");
    view! {
        <section class="section" aria-labelledby="password-title">
            <h2 id="password-title">{t!(i18n, change_password)}</h2>
            <NoticeBanner flash=flash.clone() />
            <form class="form" method="post" action="/profile/password" data-testid="password-form">
                <Field name="current_password" label=text!(i18n, field_current_password) flash=flash.clone() kind="password" autocomplete="current-password" />
                <NewPasswordFields flash=flash.clone() />
                <button type="submit" class="button button--primary">{t!(i18n, save_password)}</button>
            </form>
        </section>
    }
}

#[component]
fn EmailSection(view: SessionView, profile: Profile) -> impl IntoView {
    let i18n = use_i18n();
    let flash = view.flash_for("email");
    view! {
        <section class="section" aria-labelledby="email-title">
            <h2 id="email-title">{t!(i18n, email_address)}</h2>
            <NoticeBanner flash=flash.clone() />
            <p>{t!(i18n, current_email)} " " <strong data-testid="current-email">{profile.email.clone()}</strong></p>
            {profile.pending_email.clone().map(|pending| view! {
                <p class="notice" data-testid="pending-email">{t!(i18n, pending_email)} " " {pending}</p>
            })}
            <form class="form" method="post" action="/profile/email">
                <Field name="email" label=text!(i18n, field_new_email) flash=flash.clone() kind="email" autocomplete="email" />
                <Field name="email_password" label=text!(i18n, field_current_password) flash=flash.clone() kind="password" autocomplete="current-password" />
                <button type="submit" class="button">{t!(i18n, send_confirmation)}</button>
            </form>
        </section>
    }
}

#[component]
fn PreferencesSection(view: SessionView, profile: Profile) -> impl IntoView {
    let i18n = use_i18n();
    let flash = view.flash_for("preferences");
    let english = profile.language == "en";
    view! {
        <section class="section" aria-labelledby="preferences-title">
            <h2 id="preferences-title">{t!(i18n, communication_preferences)}</h2>
            <NoticeBanner flash=flash.clone() />
            <form class="form" method="post" action="/profile/preferences" data-testid="preferences-form">
                <Field name="full_name" label=text!(i18n, field_full_name) flash=flash.clone() value=profile.full_name.clone() autocomplete="name" />
                <div class="field">
                    <label for="field-language">{t!(i18n, field_language)}</label>
                    <select id="field-language" name="language">
                        <option value="fr" selected=!english>"Français"</option>
                        <option value="en" selected=english>"English"</option>
                    </select>
                </div>
                <fieldset>
                    <legend>{t!(i18n, contact_me_by)}</legend>
                    <Checkbox name="comm_email".into() label=text!(i18n, by_email) checked=profile.comm_email />
                    <Checkbox name="comm_post".into() label=text!(i18n, by_post) checked=profile.comm_post />
                    <Checkbox name="comm_phone".into() label=text!(i18n, by_phone) checked=profile.comm_phone />
                </fieldset>
                <button type="submit" class="button button--primary">{t!(i18n, save)}</button>
            </form>
        </section>
    }
}

#[component]
fn NotificationRow(setting: NotificationSetting) -> impl IntoView {
    let i18n = use_i18n();
    let category = setting.category.clone();
    let label = Signal::derive(move || category_label(i18n, &category));
    view! {
        <tr data-testid=format!("notification-{}", setting.category)>
            <th scope="row">{label}</th>
            <td><Checkbox name=format!("{}_enabled", setting.category) label=text!(i18n, notification_on) checked=setting.enabled /></td>
            <td><Checkbox name=format!("{}_digest", setting.category) label=text!(i18n, daily_digest) checked=setting.daily_digest /></td>
        </tr>
    }
}

#[component]
fn NotificationsSection(view: SessionView, profile: Profile) -> impl IntoView {
    let i18n = use_i18n();
    let flash = view.flash_for("notifications");
    view! {
        <section class="section" aria-labelledby="notifications-title">
            <h2 id="notifications-title">{t!(i18n, notification_preferences)}</h2>
            <NoticeBanner flash=flash.clone() />
            <form class="form" method="post" action="/profile/notifications" data-testid="notifications-form">
                <table class="table table--compact">
                    <tbody>
                        {profile.notifications.into_iter().map(|setting| view! { <NotificationRow setting /> }).collect_view()}
                    </tbody>
                </table>
                <button type="submit" class="button button--primary">{t!(i18n, save)}</button>
            </form>
        </section>
    }
}

#[component]
fn BusinessSection(view: SessionView, id: i64, name: String, values: [String; 4]) -> impl IntoView {
    let i18n = use_i18n();
    let flash = view.flash_for(&format!("business-{id}"));
    let [address, postcode, city, phone] = values;
    view! {
        <section class="section" aria-label=name.clone()>
            <h2>{t!(i18n, business_information)} " — " {name.clone()}</h2>
            <NoticeBanner flash=flash.clone() />
            <form class="form" method="post" action=format!("/establishments/{id}/business")>
                <Field name="address_line" label=text!(i18n, field_address) flash=flash.clone() value=address autocomplete="street-address" />
                <Field name="postcode" label=text!(i18n, field_postcode) flash=flash.clone() value=postcode autocomplete="postal-code" />
                <Field name="city" label=text!(i18n, field_city) flash=flash.clone() value=city autocomplete="address-level2" />
                <Field name="phone" label=text!(i18n, field_phone) flash=flash.clone() value=phone kind="tel" autocomplete="tel" />
                <button type="submit" class="button">{t!(i18n, save)}</button>
            </form>
        </section>
    }
}

/// Everything below the heading, rendered on the server.
#[component]
fn ProfileBody(view: SessionView, profile: Profile, businesses: Vec<(i64, String, [String; 4])>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p>{t!(i18n, field_username)} {t!(i18n, label_separator)} <strong>{profile.username.clone()}</strong></p>
        <PasswordSection view=view.clone() />
        <EmailSection view=view.clone() profile=profile.clone() />
        <PreferencesSection view=view.clone() profile=profile.clone() />
        {profile.is_merchant.then(|| view! { <NotificationsSection view=view.clone() profile=profile.clone() /> })}
        {businesses.into_iter().map(|(id, name, values)| view! {
            <BusinessSection view=view.clone() id name values />
        }).collect_view()}
    }
}

/// The profile page's body, read for the caller: their own settings, and the business details
/// of the establishments they manage.
async fn profile_body() -> Result<impl IntoView, crate::AppError> {
    use crate::accounts::store;
    let (services, caller) = (context::services()?, context::caller()?);
    let profile = store::profile_of_user(&services.db, caller.user_id, !caller.is_staff()).await?;
    let managed: Vec<i64> =
        caller.establishments.iter().filter(|scope| scope.can_manage()).map(|scope| scope.id).collect();
    let businesses = store::business_details_of_establishments(&services.db, &managed).await?;
    let view = context::session_view()?;
    Ok(view! { <ProfileBody view profile businesses /> })
}

/// `/profile`
#[component]
pub fn ProfilePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading title=text!(i18n, nav_profile) intro=text!(i18n, profile_intro) />
        {server_body(profile_body())}
    }
}
