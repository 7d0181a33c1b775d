//! All of the gateway API's SQL, one file per subject: API keys and the establishments they name
//! (`keys`); establishments as operations see them and their Plan Amex rates (`establishments`);
//! operations and their running totals (`operations`); the ledger rows captures, refunds and
//! cancellations write — transactions, the day's submission and its pending payment
//! (`ledger`); and idempotency records (`idempotency`).
//!
//! Reads take the [`Db`](crate::db::Db), writes the transaction of the caller's
//! [`Db::write`](crate::db::Db::write). Booleans are read as `CASE … THEN 1 ELSE 0` integers,
//! which both engines' drivers decode alike. Nothing here decides what a key may reach or which
//! operation may follow which (`keys` and `rules` do).

pub mod establishments;
pub mod idempotency;
pub mod keys;
pub mod ledger;
pub mod operations;

/// A boolean column as an integer both drivers decode (`flag!("k.can_send")`).
macro_rules! flag {
    ($column:literal, $name:literal) => {
        concat!("CASE WHEN ", $column, " THEN 1 ELSE 0 END AS ", $name)
    };
}
pub(crate) use flag;
