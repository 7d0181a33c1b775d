//! Explicit ids for seeded rows, continuing after what the tables already hold, so that rows
//! can name each other before they are written. PostgreSQL's identity sequences are moved past
//! them afterwards.

use app::db::{Db, Engine};
use sqlx::AnyConnection;
use std::collections::BTreeMap;

/// The tables the seed writes, in an order their foreign keys allow.
pub const TABLES: &[&str] = &[
    "organisations",
    "establishments",
    "users",
    "memberships",
    "payments",
    "submissions",
    "transactions",
    "disputes",
    "requested_documents",
    "responses",
    "decisions",
    "case_events",
    "adjustments",
    "payment_lines",
    "statements",
    "statement_lines",
    "message_threads",
    "secure_messages",
];

/// The next free id of each seeded table.
pub struct Ids {
    next: BTreeMap<&'static str, i64>,
}

impl Ids {
    /// Reads the highest id of every seeded table.
    pub async fn load(connection: &mut AnyConnection) -> Result<Ids, sqlx::Error> {
        let mut next = BTreeMap::new();
        for table in TABLES {
            let max: i64 = sqlx::query_scalar(&format!("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM {table}"))
                .fetch_one(&mut *connection)
                .await?;
            next.insert(*table, max + 1);
        }
        Ok(Ids { next })
    }

    /// Ids starting at 1 in every table, for tests that write nothing.
    #[cfg(test)]
    pub fn fresh() -> Ids {
        Ids { next: TABLES.iter().map(|table| (*table, 1)).collect() }
    }

    /// The next id of `table`.
    pub fn next(&mut self, table: &'static str) -> i64 {
        self.take(table, 1)
    }

    /// Reserves `count` consecutive ids of `table`; returns the first.
    pub fn take(&mut self, table: &'static str, count: i64) -> i64 {
        let next = self.next.get_mut(table).unwrap_or_else(|| panic!("{table} is not a seeded table"));
        let first = *next;
        *next += count;
        first
    }
}

/// Moves PostgreSQL's identity sequences past the ids the seed wrote explicitly.
pub async fn sync_sequences(db: &Db, connection: &mut AnyConnection) -> Result<(), sqlx::Error> {
    if db.engine != Engine::Postgres {
        return Ok(());
    }
    for table in TABLES {
        sqlx::query(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table})) WHERE EXISTS (SELECT 1 FROM {table})"
        ))
        .execute(&mut *connection)
        .await?;
    }
    Ok(())
}
