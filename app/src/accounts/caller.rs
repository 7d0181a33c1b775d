//! The authorisation layer: who is calling and what they may see and do. Every route and server
//! function that touches merchant data starts from a [`Caller`] and asks it for the scope
//! (`establishment(id)` answers "not found" for anyone else's establishment, so ids cannot be
//! probed). The caller is loaded once per request from the session by [`attach_caller`].

use super::model::{Flash, Identity, Role, UserKind};
use super::store::{self, CallerRow};
use crate::db::Db;
use crate::services::Services;
use crate::web::reply::{session_error, FLASH};
use crate::AppError;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

/// Session keys.
pub const USER_ID: &str = "user_id";
/// When the session's idle timeout was last pushed back.
pub const TOUCHED_AT: &str = "touched_at";

/// Pushes the session's idle timeout back (a changed session is saved with a new expiry). To
/// spare the database a write per request, a request does so only when the last push is older
/// than a thirtieth of the timeout (30 s of 15 min), or when `now` is asked (keep-alive).
pub async fn touch(session: &Session, services: &Services, now: bool) {
    let instant = crate::clock::now();
    let every = (services.idle_timeout.as_secs() / 30) as i64;
    let last = session.get::<i64>(TOUCHED_AT).await.ok().flatten().unwrap_or(0);
    if now || instant - last >= every {
        if let Err(error) = session.insert(TOUCHED_AT, instant).await {
            tracing::warn!(%error, "cannot extend the session");
        }
    }
}

/// Ends the session (data and stored record) and starts an empty one under a new id. (After
/// `flush` alone, tower-sessions would store new data under the old id again.)
pub async fn restart_session(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(session_error)?;
    session.cycle_id().await.map_err(session_error)
}

pub use super::model::DisputeConfig;

/// One establishment the caller can see, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EstablishmentScope {
    pub id: i64,
    pub organisation_id: i64,
    /// Its trading name.
    pub name: String,
    pub dispute_config: DisputeConfig,
    /// The caller is one of this establishment's own users.
    pub own: bool,
    /// The caller's headquarters role over it, if any.
    pub headquarters: Option<Role>,
}

impl EstablishmentScope {
    /// Answering disputes: the establishment's users, or headquarters in central configuration.
    pub fn can_answer_disputes(&self) -> bool {
        self.own || (self.headquarters.is_some() && self.dispute_config == DisputeConfig::Central)
    }

    /// Subscription, business details: the establishment's users, its organisation's
    /// administrators, and headquarters in central configuration.
    pub fn can_manage(&self) -> bool {
        self.can_answer_disputes() || self.headquarters == Some(Role::OrgAdmin)
    }
}

/// The signed-in user of this request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user_id: i64,
    pub username: String,
    pub email: String,
    pub language: String,
    pub kind: UserKind,
    /// Organisation ids with the caller's role there.
    pub organisations: Vec<(i64, Role)>,
    /// Every establishment the caller can see, ordered by number.
    pub establishments: Vec<EstablishmentScope>,
    /// Unread notifications when the request began (the header's count), read with the user.
    pub unread_notifications: i64,
    /// Secure-message threads with a reply of customer service the caller has not opened yet
    /// (the count beside "Messages"), read with the user.
    pub unread_threads: i64,
}

impl Caller {
    /// The establishment with this id, if the caller can see it; otherwise "not found".
    pub fn establishment(&self, id: i64) -> Result<&EstablishmentScope, AppError> {
        self.establishments.iter().find(|scope| scope.id == id).ok_or(AppError::NotFound)
    }

    pub fn establishment_ids(&self) -> Vec<i64> {
        self.establishments.iter().map(|scope| scope.id).collect()
    }

    /// Organisations this caller administers.
    pub fn administered(&self) -> Vec<i64> {
        self.organisations.iter().filter(|(_, role)| *role == Role::OrgAdmin).map(|(id, _)| *id).collect()
    }

    /// The organisation, if the caller administers it; otherwise "not found".
    pub fn require_admin_of(&self, organisation_id: i64) -> Result<(), AppError> {
        if self.administered().contains(&organisation_id) {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    /// Platform administrators only; anyone else is told the page does not exist.
    pub fn require_platform_admin(&self) -> Result<(), AppError> {
        if self.kind == UserKind::PlatformAdmin {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    pub fn is_staff(&self) -> bool {
        self.kind != UserKind::Merchant
    }

    /// What pages show of the caller.
    pub fn identity(&self) -> Identity {
        Identity {
            username: self.username.clone(),
            kind: self.kind,
            role: self.organisations.iter().map(|(_, role)| *role).max(),
            administers: self.administered(),
        }
    }

    /// Loads the user and their scope; `None` when the user no longer exists or is disabled.
    /// One query (it runs on every request): the user, their unread count, and one row per
    /// membership and establishment it opens (an organisation without establishments still
    /// gives its membership row; a user without memberships gives one row of NULLs).
    pub async fn load(db: &Db, user_id: i64) -> Result<Option<Caller>, sqlx::Error> {
        Ok(Caller::from_rows(user_id, store::caller_rows(db, user_id).await?))
    }

    /// The caller of the user's rows ([`store::caller_rows`]); `None` without rows.
    pub fn from_rows(user_id: i64, rows: Vec<CallerRow>) -> Option<Caller> {
        let Some(user) = rows.first() else { return None };
        let kind = UserKind::parse(&user.kind).unwrap_or(UserKind::Merchant);
        let (username, email, language, unread, unread_threads) =
            (user.username.clone(), user.email.clone(), user.language.clone(), user.unread, user.unread_threads);
        let rows: Vec<MembershipRow> = rows.into_iter().filter_map(membership).collect();
        let mut organisations: Vec<(i64, Role)> = Vec::new();
        for row in &rows {
            let role = Role::parse(&row.role).unwrap_or(Role::EstablishmentUser);
            match organisations.iter_mut().find(|(id, _)| *id == row.membership_organisation) {
                Some(entry) => entry.1 = entry.1.max(role),
                None => organisations.push((row.membership_organisation, role)),
            }
        }
        organisations.sort_by_key(|(id, _)| *id);
        let mut establishments: Vec<EstablishmentScope> = Vec::new();
        for row in rows {
            let (Some(id), Some(organisation_id), Some(name)) = (row.id, row.organisation_id, row.trading_name) else {
                continue;
            };
            let own = row.establishment_id.is_some();
            let headquarters = if own { None } else { Role::parse(&row.role) };
            let dispute_config =
                if row.dispute_config == "central" { DisputeConfig::Central } else { DisputeConfig::Local };
            match establishments.iter_mut().find(|scope| scope.id == id) {
                Some(scope) => {
                    scope.own |= own;
                    scope.headquarters = scope.headquarters.max(headquarters);
                }
                None => establishments.push(EstablishmentScope {
                    id,
                    organisation_id,
                    name,
                    dispute_config,
                    own,
                    headquarters,
                }),
            }
        }
        Some(Caller {
            user_id,
            username,
            email,
            language,
            kind,
            organisations,
            establishments,
            unread_notifications: unread,
            unread_threads,
        })
    }
}

/// The membership a row of [`store::caller_rows`] carries, if any.
fn membership(row: CallerRow) -> Option<MembershipRow> {
    Some(MembershipRow {
        membership_organisation: row.membership_organisation?,
        role: row.role?,
        establishment_id: row.establishment_id,
        id: row.id,
        organisation_id: row.organisation_id,
        trading_name: row.trading_name,
        dispute_config: row.dispute_config?,
    })
}

/// A membership and one establishment it opens (none for an organisation without any).
struct MembershipRow {
    membership_organisation: i64,
    role: String,
    establishment_id: Option<i64>,
    id: Option<i64>,
    organisation_id: Option<i64>,
    trading_name: Option<String>,
    dispute_config: String,
}

/// Handlers that need a signed-in user take a `Caller`; anyone else is sent to sign in.
impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Caller, Response> {
        parts.extensions.get::<Caller>().cloned().ok_or_else(|| Redirect::to("/login").into_response())
    }
}

/// The last form's answer, taken out of the session by the page view that shows it.
#[derive(Debug, Clone)]
pub struct PendingFlash(pub Option<Flash>);

/// Whether a request is a page view (not an asset, server function or health check).
fn is_page_view(request: &Request) -> bool {
    let path = request.uri().path();
    request.method() == axum::http::Method::GET
        && !["/pkg/", "/api/", "/healthz", "/favicon"].iter().any(|prefix| path.starts_with(prefix))
}

/// The caller of a session signed in as `user_id`: from the rows the session store read with
/// the session (one query for both), or read now.
async fn signed_in(session: &Session, db: &Db, user_id: i64) -> Result<Option<Caller>, sqlx::Error> {
    match session.get::<Vec<store::CallerJson>>(store::CALLER_ROWS).await {
        Ok(Some(rows)) => Ok(Caller::from_rows(user_id, rows.into_iter().map(CallerRow::from).collect())),
        _ => Caller::load(db, user_id).await,
    }
}

/// Middleware: puts the signed-in [`Caller`] (if any) and, on page views, the pending flash into
/// the request. A session whose user is gone or disabled is ended.
pub async fn attach_caller(
    State(services): State<Services>,
    session: Session,
    mut request: Request,
    next: Next,
) -> Response {
    match session.get::<i64>(USER_ID).await {
        Ok(Some(user_id)) => match signed_in(&session, &services.db, user_id).await {
            Ok(Some(caller)) => {
                // The notification stream is the page listening, not the user acting: it must
                // not keep an idle session alive (its reconnections would, forever).
                if request.uri().path() != "/notifications/events" {
                    touch(&session, &services, false).await;
                }
                request.extensions_mut().insert(caller);
            }
            Ok(None) => {
                let _ = restart_session(&session).await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot load the signed-in user");
                return AppError::Internal.into_response();
            }
        },
        Ok(None) => {}
        Err(error) => tracing::warn!(%error, "unreadable session"),
    }
    if is_page_view(&request) {
        // Removed only when there is one: tower-sessions counts any removal as a change, and a
        // changed session is written back, so removing unconditionally wrote the session on
        // every page view (a database write per page, invalidating every pooled connection's
        // page cache on SQLite).
        let flash = session.get::<Flash>(FLASH).await.ok().flatten();
        if flash.is_some() {
            let _ = session.remove_value(FLASH).await;
        }
        request.extensions_mut().insert(PendingFlash(flash));
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(own: bool, headquarters: Option<Role>, dispute_config: DisputeConfig) -> EstablishmentScope {
        EstablishmentScope { id: 1, organisation_id: 1, name: "Test".into(), dispute_config, own, headquarters }
    }

    #[test]
    fn headquarters_answer_only_in_central_configuration() {
        assert!(scope(true, None, DisputeConfig::Local).can_answer_disputes());
        assert!(scope(false, Some(Role::HqUser), DisputeConfig::Central).can_answer_disputes());
        assert!(!scope(false, Some(Role::HqUser), DisputeConfig::Local).can_answer_disputes());
        assert!(!scope(false, Some(Role::OrgAdmin), DisputeConfig::Local).can_answer_disputes());
        assert!(scope(false, Some(Role::OrgAdmin), DisputeConfig::Local).can_manage());
        assert!(!scope(false, Some(Role::HqUser), DisputeConfig::Local).can_manage());
    }

    #[test]
    fn another_establishment_is_not_found() {
        let caller = Caller {
            user_id: 1,
            username: "opera".into(),
            email: "opera@demo.example".into(),
            language: "fr".into(),
            kind: UserKind::Merchant,
            organisations: vec![(1, Role::EstablishmentUser)],
            establishments: vec![scope(true, None, DisputeConfig::Central)],
            unread_notifications: 0,
            unread_threads: 0,
        };
        assert!(caller.establishment(1).is_ok());
        assert_eq!(caller.establishment(2), Err(AppError::NotFound));
        assert_eq!(caller.require_admin_of(1), Err(AppError::NotFound));
    }
}
