//! All of money's SQL: statements, payments and their lines, transactions (the search, the
//! file's chunks, a submission's). Each function is named for what it reads and takes the
//! establishment it reads for, already checked against the caller's scope; the few that take a
//! payment's or a submission's id take one that a scoped read returned. Rows are decoded by
//! `sqlx::FromRow`; nothing here decides what is shown (the 16 months, the 35 days): the
//! domain modules do, and pass the bounds in.
//!
//! SQL whose shape depends on the request is built with [`crate::db::Sql`] (`$n` placeholders
//! that both engines read; not `sqlx::QueryBuilder`, whose `?` PostgreSQL rejects).

mod payments;
mod statements;
mod transactions;

pub use payments::{lines_of_payment, payment_for_establishments, payments_for_file, payments_of_tab};
pub use payments::{reconciliation_lines_of_payment, PaymentTab};
pub use statements::{holder_of_establishment, statement_for_establishment, statements_for_establishment};
pub use transactions::{transaction_chunk_for_establishment, transaction_page_for_establishment};
pub use transactions::{transactions_of_submission, FILE_CHUNK};
