//! Notifications: the four dispute categories and payments, by email and in the app.

pub mod category;

#[cfg(feature = "ssr")]
pub mod mailer;
