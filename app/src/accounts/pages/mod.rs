//! The account pages: sign-in and recovery, registration, the account summary, the profile and
//! the organisation's users. Each is a plain HTML form posting to the endpoints in
//! `accounts::handlers`, so that everything works before (or without) the wasm.

mod forms;
mod organisation;
mod profile;
mod register;
mod server_pages;
mod sign_in;
mod summary;

#[cfg(feature = "ssr")]
pub use forms::{or_problem, render_html, FormProblem, NoticeBanner};
pub use forms::{
    provide_session, query_page, section_resource, use_session, IdleWarning, ServerSection, SessionResource,
};
pub use organisation::OrganisationUsersPage;
pub use profile::ProfilePage;
pub use server_pages::{
    ConfirmEmailPage, Dashboard, InvitationPage, LoginPage, RecoverPasswordPage, RecoverUsernamePage, RegisterPage,
    ResetPasswordPage,
};
