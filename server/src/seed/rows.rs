//! Bulk inserts for the seed: rows of typed values, sent as multi-row `INSERT`s in batches that
//! stay under both engines' limit on bound parameters.

use sqlx::{Any, AnyConnection, QueryBuilder};

/// One column value. NULLs carry their type: PostgreSQL refuses an untyped mismatch.
#[derive(Debug, Clone)]
pub enum V {
    I(i64),
    T(String),
    B(bool),
    NullI,
    NullT,
}

impl From<i64> for V {
    fn from(value: i64) -> V {
        V::I(value)
    }
}
impl From<&str> for V {
    fn from(value: &str) -> V {
        V::T(value.to_owned())
    }
}
impl From<String> for V {
    fn from(value: String) -> V {
        V::T(value)
    }
}
impl From<bool> for V {
    fn from(value: bool) -> V {
        V::B(value)
    }
}
impl From<Option<i64>> for V {
    fn from(value: Option<i64>) -> V {
        value.map_or(V::NullI, V::I)
    }
}
impl From<Option<String>> for V {
    fn from(value: Option<String>) -> V {
        value.map_or(V::NullT, V::T)
    }
}

/// Builds a row from values of mixed types: `row![id, "text", true]`.
macro_rules! row {
    ($($value:expr),* $(,)?) => { vec![$($crate::seed::rows::V::from($value)),*] };
}
pub(crate) use row;

/// Rows waiting to be written to one table, flushed in batches.
pub struct Batch {
    table: &'static str,
    columns: &'static [&'static str],
    rows: Vec<Vec<V>>,
    capacity: usize,
    pub written: u64,
}

/// Parameters per statement: under SQLite's 32,766 and PostgreSQL's 65,535.
const MAX_PARAMETERS: usize = 16_000;

impl Batch {
    pub fn new(table: &'static str, columns: &'static [&'static str]) -> Batch {
        let capacity = (MAX_PARAMETERS / columns.len()).min(1_000);
        Batch { table, columns, rows: Vec::with_capacity(capacity), capacity, written: 0 }
    }

    /// Queues a row, writing the batch when it is full.
    pub async fn push(&mut self, connection: &mut AnyConnection, row: Vec<V>) -> Result<(), sqlx::Error> {
        debug_assert_eq!(row.len(), self.columns.len(), "{}", self.table);
        self.rows.push(row);
        if self.rows.len() >= self.capacity {
            self.flush(connection).await?;
        }
        Ok(())
    }

    /// Writes what is queued.
    pub async fn flush(&mut self, connection: &mut AnyConnection) -> Result<(), sqlx::Error> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let mut query: QueryBuilder<Any> =
            QueryBuilder::new(format!("INSERT INTO {} ({}) ", self.table, self.columns.join(", ")));
        query.push_values(self.rows.drain(..), |mut values, row| {
            for value in row {
                match value {
                    V::I(v) => values.push_bind(v),
                    V::T(v) => values.push_bind(v),
                    V::B(v) => values.push_bind(v),
                    V::NullI => values.push_bind(None::<i64>),
                    V::NullT => values.push_bind(None::<String>),
                };
            }
        });
        let done = query.build().execute(&mut *connection).await?;
        self.written += done.rows_affected();
        Ok(())
    }

    /// Writes every row of `rows`, then what is left queued.
    pub async fn write_all(
        mut self,
        connection: &mut AnyConnection,
        rows: impl IntoIterator<Item = Vec<V>>,
    ) -> Result<u64, sqlx::Error> {
        for row in rows {
            self.push(connection, row).await?;
        }
        self.flush(connection).await?;
        Ok(self.written)
    }
}
