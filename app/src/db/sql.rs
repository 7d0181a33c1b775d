//! SQL whose shape depends on the request, built as text with its values bound in order.
//!
//! Not `sqlx::QueryBuilder`: `QueryBuilder<Any>` writes `?` placeholders, which PostgreSQL
//! rejects (launchbadge/sqlx#3000), while the `$n` that [`Sql`] writes are read by both engines.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_in_binding_order_and_a_previous_one_can_be_named_again() {
        let mut sql = Sql::new("SELECT id FROM t WHERE a = ");
        sql.push_bind(7_i64).push(" AND (b > ").push_bind("x".to_owned());
        sql.push(" OR (b = ").push_previous(0).push(" AND c = ").push_previous(1).push("))");
        let (text, arguments) = sql.into_parts().unwrap();
        assert_eq!(text, "SELECT id FROM t WHERE a = $1 AND (b > $2 OR (b = $2 AND c = $1))");
        assert_eq!(arguments.len(), 2, "a value named again is bound once");
    }
}
