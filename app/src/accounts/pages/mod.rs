//! The account pages: sign-in and recovery, registration, the profile, the
//! organisation's users, and onboarding by the platform. Each is a plain HTML form posting to the
//! endpoints in `accounts::http`, rendered on the server, so that everything works without the
//! wasm.

mod dispute_config;
mod onboarding;
mod organisation;
mod profile;
mod register;
mod server_pages;
mod sign_in;

pub use onboarding::{AdminEstablishmentPage, AdminOrganisationPage, AdminOrganisationsPage};
pub use organisation::OrganisationUsersPage;
pub use profile::ProfilePage;
pub use server_pages::{
    ConfirmEmailPage, InvitationPage, LoginPage, RecoverPasswordPage, RecoverUsernamePage, RegisterPage,
    ResetPasswordPage,
};
