//! The gateway API: card operations sent by payment gateways and merchants' integrations over
//! JSON with an API key (`Authorization: Bearer`), never with a session cookie.
//!
//! - `keys`: API keys (a secret shown once, stored as its SHA-256; scopes; the establishments a
//!   key may name) and the bearer authentication of every API request, rate limited per key;
//! - `rules`: what an operation request must hold (the card as first six and last four digits,
//!   never a full number; amounts in minor units; ISO 4217 currencies) and which operation may
//!   follow which;
//! - `terms`: Plan Amex payment terms, exact in minor units;
//! - `operations`: what each operation does, in one write transaction with its idempotency
//!   record: captures, refunds and cancellations become the establishment's transactions in
//!   the day's submission and its pending payment, with the fees of its pricing;
//! - `wire`: the JSON of the answers and bodies as types, from which `http::openapi` generates
//!   the OpenAPI document;
//! - `batch`: the offline capture file (CSV in, a result file naming every line out);
//! - `problem`: refusals as `application/problem+json` (RFC 9457) naming the field at fault;
//! - `http`: the JSON endpoints (`/api/v1/...`) and the key management forms;
//! - `pages`: key management for platform and organisation admins;
//! - `store`: all of the capability's SQL.
//!
//! Server only.

pub mod batch;
pub mod http;
pub mod keys;
pub mod operations;
pub mod pages;
pub mod problem;
pub mod rules;
pub mod store;
pub mod terms;
pub mod wire;
