//! All of the accounts' SQL (but the session store's own, in `accounts::session_store`), one
//! file per subject: what the account pages read (`pages`), the signed-in caller read on every
//! request (`caller`), signing in and its lockout (`sign_in`), the single-use tokens of emailed
//! links (`tokens`), recovery (`recovery`), registration (`registration`), the user's own
//! settings (`profile`), an establishment's settings (`establishments`) and the organisation's
//! users (`organisation`). Callers use the functions re-exported here; the activation codes
//! (`activation`), onboarding by the platform (`onboarding`) and the organisation's settings
//! (`org_settings`) are used by their module's path.
//!
//! Each function is named for what it reads or writes and takes ids and values already checked
//! by its caller: the scope (which establishments, which organisation) is the caller's to
//! decide, from its `Caller`. Functions that take a transaction run inside a write the handler
//! opened with [`crate::db::Db::write`], so that one form's statements commit together; the
//! others take the `Db`. Rows are decoded by `sqlx::FromRow`; flags are
//! selected as integers (sqlx's `Any` driver cannot decode SQLite's BOOLEAN) and turned into
//! `bool` here.

pub mod activation;
mod caller;
mod establishments;
pub mod onboarding;
pub mod org_settings;
mod organisation;
mod pages;
mod profile;
mod recovery;
mod registration;
mod sign_in;
mod tokens;

pub use caller::{caller_json_sql, caller_rows, CallerJson, CallerRow, CALLER_ROWS};
pub use establishments::{save_business_details, subscribe_to_disputes, BusinessDetails};
pub use organisation::{
    accept_invitation, add_membership, insert_invited_user, is_member_of_organisation, organisation_name,
    organisation_of_establishment, remove_from_organisation, replace_establishments_of_user,
};
pub use pages::{account_summary, business_details_of_establishments, profile_of_user, users_of_organisation};
pub use profile::{
    add_default_preferences, change_password, confirm_email, password_hash_of_user, save_notification_preference,
    save_preferences, set_pending_email, Preferences,
};
pub use recovery::{accounts_by_email, reset_account_by_username, reset_password, ResetAccount, UsernameReminder};
pub use registration::{
    add_establishment_user, finish_establishment_registration, insert_merchant_user, username_taken, username_taken_in,
};
pub use sign_in::{account_by_username, record_sign_in, SignInAccount, SignInOutcome};
pub use tokens::{cancel_email_changes, claim_token, insert_token, use_up_password_resets, valid_token, ValidToken};
