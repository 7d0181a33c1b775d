//! API keys and the authentication of API requests.
//!
//! A key's secret is `mdp_` followed by 64 hex characters (32 random bytes): shown once when the
//! key is issued, stored only as its SHA-256 (a fast hash is enough for a random secret of that
//! length: there is nothing to guess from it), with its first 12 characters kept to tell keys
//! apart. A request names its key in `Authorization: Bearer <secret>`; cookies are never read
//! by the API, so a page of another site cannot act with a signed-in user's session (see
//! `server/src/security.rs`).
//!
//! Platform administrators issue gateway keys (every establishment, or a list); an organisation's
//! administrators issue keys for their organisation's establishments (all of them, or a list).
//! A key sends operations, reads operations and transactions, or both.

use super::problem::{Fault, Problem};
use super::store::keys::{self as store, KeyRow};
use crate::services::Services;
use axum::extract::{FromRef, FromRequestParts};
use axum::http::header;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};

/// The beginning of every secret, so that one found in a log or a repository is recognisable.
pub const SECRET_PREFIX: &str = "mdp_";
/// How many characters of the secret lists show.
const SHOWN: usize = 12;
/// Names are kept short enough for a table cell.
pub const NAME_MAX: usize = 80;
/// A key's last use is written at most this often (seconds), not on every request.
const TOUCH_EVERY: i64 = 60;

/// A new key's secret and what is stored of it.
pub struct NewSecret {
    pub secret: String,
    pub prefix: String,
    pub hash: String,
}

/// A fresh random secret.
pub fn new_secret() -> NewSecret {
    let secret = format!("{SECRET_PREFIX}{}", crate::accounts::tokens::new_secret());
    NewSecret { prefix: secret[..SHOWN].to_owned(), hash: hash(&secret), secret }
}

/// The stored form of a secret.
pub fn hash(secret: &str) -> String {
    crate::accounts::tokens::sha256_hex(secret)
}

/// What a key may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// `POST /api/v1/operations`, the terms inquiry.
    Send,
    /// `GET /api/v1/operations/{id}`, `GET /api/v1/transactions`.
    Read,
}

/// The key of a request, with what it may reach.
#[derive(Debug, Clone)]
pub struct ApiKey {
    pub id: i64,
    /// `None`: a gateway key of the platform.
    pub organisation_id: Option<i64>,
    pub all_establishments: bool,
    /// The establishments it names, when not all.
    pub establishments: Vec<i64>,
    pub can_send: bool,
    pub can_read: bool,
}

impl ApiKey {
    pub fn require(&self, scope: Scope) -> Result<(), Problem> {
        let allowed = match scope {
            Scope::Send => self.can_send,
            Scope::Read => self.can_read,
        };
        if allowed {
            Ok(())
        } else {
            Err(Problem::new(Fault::ScopeMissing))
        }
    }

    /// Whether the key may name this establishment (of this organisation).
    pub fn reaches(&self, establishment_id: i64, organisation_id: i64) -> bool {
        self.organisation_id.is_none_or(|own| own == organisation_id)
            && (self.all_establishments || self.establishments.contains(&establishment_id))
    }
}

impl From<KeyRow> for ApiKey {
    fn from(row: KeyRow) -> ApiKey {
        ApiKey {
            id: row.id,
            organisation_id: row.organisation_id,
            all_establishments: row.all_establishments,
            establishments: Vec::new(),
            can_send: row.can_send,
            can_read: row.can_read,
        }
    }
}

/// The secret in an `Authorization` header value: `Bearer <secret>` (the scheme in any case).
pub fn bearer(value: &str) -> Option<&str> {
    let (scheme, secret) = value.trim().split_once(' ')?;
    let secret = secret.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !secret.is_empty()).then_some(secret)
}

/// The caller of an API request: its key and the language of its problem documents.
#[derive(Debug, Clone)]
pub struct ApiCaller {
    pub key: ApiKey,
    pub language: &'static str,
}

/// A refused authentication, answered as a problem document.
pub struct Refused(pub Problem, pub &'static str);

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        self.0.response(self.1)
    }
}

impl<S> FromRequestParts<S> for ApiCaller
where
    S: Send + Sync,
    Services: FromRef<S>,
{
    type Rejection = Refused;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<ApiCaller, Refused> {
        let language = super::problem::language(&parts.headers);
        let services = Services::from_ref(state);
        let refuse = |fault| Refused(Problem::new(fault), language);
        let secret = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(bearer)
            .ok_or(refuse(Fault::MissingKey))?;
        let row = store::find_active_key(&services.db, &hash(secret))
            .await
            .map_err(|error| Refused(Problem::from(error), language))?
            .ok_or(refuse(Fault::BadKey))?;
        services.limits.check_api_key(row.id).map_err(|seconds| refuse(Fault::RateLimited(seconds)))?;
        let now = crate::clock::now();
        if row.last_used_at.is_none_or(|at| now - at >= TOUCH_EVERY) {
            // A missed write only leaves the shown last use a little older.
            if let Err(error) = store::touch_key(&services.db, row.id, now).await {
                tracing::warn!(%error, "cannot record an API key's last use");
            }
        }
        let mut key = ApiKey::from(row);
        if !key.all_establishments {
            key.establishments = store::key_establishments(&services.db, key.id)
                .await
                .map_err(|error| Refused(Problem::from(error), language))?;
        }
        Ok(ApiCaller { key, language })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_random_prefixed_and_stored_hashed() {
        let first = new_secret();
        let second = new_secret();
        assert_ne!(first.secret, second.secret);
        assert!(first.secret.starts_with(SECRET_PREFIX) && first.secret.len() == 68);
        assert!(first.secret.starts_with(&first.prefix));
        assert_eq!(first.hash, hash(&first.secret));
        assert!(!first.hash.contains(&first.secret[4..]));
    }

    #[test]
    fn only_a_bearer_header_names_a_key() {
        assert_eq!(bearer("Bearer mdp_abc"), Some("mdp_abc"));
        assert_eq!(bearer("bearer  mdp_abc "), Some("mdp_abc"));
        assert_eq!(bearer("Basic dXNlcg=="), None);
        assert_eq!(bearer("Bearer "), None);
        assert_eq!(bearer("mdp_abc"), None);
    }

    #[test]
    fn a_key_reaches_its_organisations_establishments_only() {
        let organisation = ApiKey {
            id: 1,
            organisation_id: Some(7),
            all_establishments: true,
            establishments: vec![],
            can_send: true,
            can_read: false,
        };
        assert!(organisation.reaches(10, 7));
        assert!(!organisation.reaches(11, 8), "another organisation's establishment");
        assert!(organisation.require(Scope::Send).is_ok());
        assert_eq!(organisation.require(Scope::Read).unwrap_err().fault, Fault::ScopeMissing);
        let listed =
            ApiKey { organisation_id: None, all_establishments: false, establishments: vec![10], ..organisation };
        assert!(listed.reaches(10, 7) && !listed.reaches(12, 7));
    }
}
