//! The gateway API's endpoints: the JSON API under `/api/v1/` (bearer keys, no session, answers
//! and refusals as JSON; see `json`) and the key management forms of the platform's and the
//! organisations' administrators (plain POSTs answered by a redirect; see `keys`), and the
//! OpenAPI document (`openapi`).

mod json;
mod keys;
pub mod openapi;

use crate::services::Services;
use axum::extract::FromRef;
use axum::Router;

pub use json::API_PREFIX;

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Services: FromRef<S>,
{
    json::routes().route("/api/v1/openapi.json", axum::routing::get(openapi::document)).merge(keys::routes())
}
