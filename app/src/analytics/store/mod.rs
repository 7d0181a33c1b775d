//! All of the dashboard's and the analytics page's SQL. Every query takes the establishments
//! already checked against the caller's scope (ids written in the text are ours; every other
//! value is bound); the platform-wide ones are read only for the network's staff.

mod dashboard;
mod figures;

pub use dashboard::*;
pub use figures::*;
