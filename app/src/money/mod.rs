//! Money: statements (16 months), payments (paid and pending), transactions (35 days).

pub mod pages;
