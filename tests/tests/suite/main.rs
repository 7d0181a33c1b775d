//! Every integration, browser and process test of the portal, linked into one test binary: each
//! binary links the whole app and server, which on two cores costs more than running the tests.
//! `cargo test -p portal-tests` runs the integration tests (the real server on port 0, a fresh
//! database: SQLite, or PostgreSQL with `TEST_DATABASE=postgres`); the browser and process tests
//! are ignored there and run on the release build by `scripts/test.sh`
//! (`cargo test -p portal-tests --test suite -- --ignored`).

mod accounts;
mod analytics;
mod api;
mod api_batch;
mod api_browser;
mod api_contract;
mod browser;
mod chat;
mod chat_browser;
mod dashboard;
mod deadlines;
mod disputes_cases;
mod disputes_queue;
mod foundation;
mod migrations;
mod money;
mod notifications;
mod onboarding;
mod processes;
mod security;
mod security_access;
mod security_data;
mod security_sessions;
mod seed;
mod support;
