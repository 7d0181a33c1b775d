//! Support: live chat with customer service and secure messages.

pub mod pages;
