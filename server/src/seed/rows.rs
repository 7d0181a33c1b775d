//! Bulk inserts for the seed: rows of typed values, sent as multi-row `INSERT`s in batches that
//! stay under both engines' limit on bound parameters.

use sqlx::AnyConnection;

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

/// `INSERT INTO table (columns) VALUES ($1, …), (…)` for `rows` rows. The placeholders are
/// written out because sqlx's query builder uses `?` for the `Any` driver, which PostgreSQL
/// refuses; both engines accept `$n`.
fn insert_sql(table: &str, columns: &[&str], rows: usize) -> String {
    let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
    let mut parameter = 0;
    for row in 0..rows {
        sql.push_str(if row == 0 { "(" } else { ", (" });
        for column in 0..columns.len() {
            parameter += 1;
            if column > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("${parameter}"));
        }
        sql.push(')');
    }
    sql
}

/// Rows waiting to be written to one table, flushed in batches.
pub struct Batch {
    table: &'static str,
    columns: &'static [&'static str],
    rows: Vec<Vec<V>>,
    capacity: usize,
    pub written: u64,
}

/// Parameters per statement. SQLite finds a numbered parameter (`$n`) by a linear search, so
/// binding a statement costs the square of its parameter count: a few hundred per statement is
/// fastest there (12,000 made the benchmark seed five times slower), and costs PostgreSQL only
/// a few more round trips.
const MAX_PARAMETERS: usize = 256;

impl Batch {
    pub fn new(table: &'static str, columns: &'static [&'static str]) -> Batch {
        let capacity = (MAX_PARAMETERS / columns.len()).max(1);
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
        let sql = insert_sql(self.table, self.columns, self.rows.len());
        let mut query = sqlx::query(&sql);
        for value in self.rows.drain(..).flatten() {
            query = match value {
                V::I(v) => query.bind(v),
                V::T(v) => query.bind(v),
                V::B(v) => query.bind(v),
                V::NullI => query.bind(None::<i64>),
                V::NullT => query.bind(None::<String>),
            };
        }
        let done = query.execute(&mut *connection).await?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_across_rows() {
        assert_eq!(insert_sql("t", &["a", "b"], 2), "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)");
    }
}
