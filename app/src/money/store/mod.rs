//! All of money's SQL: statements, payments and their lines, transactions (the search, the
//! file's chunks, a submission's). Each function is named for what it reads and takes the
//! establishment it reads for, already checked against the caller's scope; the few that take a
//! payment's or a submission's id take one that a scoped read returned. Rows are decoded by
//! `sqlx::FromRow`; nothing here decides what is shown (the 16 months, the 35 days): the
//! domain modules do, and pass the bounds in.
//!
//! SQL whose shape depends on the request is built with [`Sql`], not `sqlx::QueryBuilder`:
//! `QueryBuilder<Any>` writes `?` placeholders, which PostgreSQL rejects
//! (launchbadge/sqlx#3000), while the `$n` that [`Sql`] writes are read by both engines.

mod payments;
mod statements;
mod transactions;

pub use payments::{lines_of_payment, payment_for_establishments, payments_for_file, payments_of_tab};
pub use payments::{reconciliation_lines_of_payment, PaymentTab};
pub use statements::{holder_of_establishment, statement_for_establishment, statements_for_establishment};
pub use transactions::{transaction_chunk_for_establishment, transaction_page_for_establishment};
pub use transactions::{transactions_of_submission, FILE_CHUNK};

use sqlx::any::AnyArguments;
use sqlx::{Any, Arguments, Encode, Type};

/// SQL text and the values bound to it, pushed in order: the `QueryBuilder` interface
/// (`push`, `push_bind`) with `$n` placeholders numbered from the values already bound, as
/// `QueryBuilder<Postgres>` numbers them.
pub(crate) struct Sql<'q> {
    text: String,
    arguments: AnyArguments<'q>,
    /// The first value that could not be encoded, returned by [`Sql::into_parts`].
    error: Option<sqlx::error::BoxDynError>,
}

impl<'q> Sql<'q> {
    pub(crate) fn new(init: impl Into<String>) -> Self {
        Sql { text: init.into(), arguments: AnyArguments::default(), error: None }
    }

    /// Appends SQL text as it is: never a value from the request.
    pub(crate) fn push(&mut self, sql: impl std::fmt::Display) -> &mut Self {
        use std::fmt::Write;
        let _ = write!(self.text, "{sql}");
        self
    }

    /// Binds `value` and appends its placeholder.
    pub(crate) fn push_bind<T>(&mut self, value: T) -> &mut Self
    where
        T: 'q + Encode<'q, Any> + Type<Any>,
    {
        if let Err(error) = self.arguments.add(value) {
            self.error.get_or_insert(error);
        }
        self.push(format_args!("${}", self.arguments.len()))
    }

    /// The placeholder of the value bound `back` binds ago (`0`: the last one), to use it again.
    pub(crate) fn push_previous(&mut self, back: usize) -> &mut Self {
        let n = self.arguments.len() - back;
        self.push(format_args!("${n}"))
    }

    /// The SQL text and its values, for `sqlx::query_with` and its kin.
    pub(crate) fn into_parts(self) -> Result<(String, AnyArguments<'q>), sqlx::Error> {
        match self.error {
            Some(error) => Err(sqlx::Error::Encode(error)),
            None => Ok((self.text, self.arguments)),
        }
    }
}
