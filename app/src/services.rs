//! What server-side code reaches on every request: the database, the mailer, the document
//! store, the portal's public URL, the rate limits, the session settings, the live
//! notification signal and the live chat's settings. Built once at start-up; cheap to clone.

use crate::accounts::rate_limit::RateLimits;
use crate::db::Db;
use crate::disputes::files::DocumentStore;
use crate::notifications::centre::Live;
use crate::notifications::mailer::Mailer;
use crate::support::chat::settings::ChatSettings;
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct Services {
    pub db: Db,
    pub mailer: Mailer,
    /// Where the merchants' documents are kept.
    pub documents: DocumentStore,
    /// How users reach the portal: links in emails, cookie security.
    pub public_url: url::Url,
    pub limits: Arc<RateLimits>,
    /// A session ends after this long without a request.
    pub idle_timeout: Duration,
    /// Wakes open pages' notification streams when new notifications are written.
    pub live: Live,
    /// The live chat's opening hours, phone line, clock and wake-ups.
    pub chat: Arc<ChatSettings>,
    /// The analytics figures of the last minute (`ANALYTICS_CACHE_SECONDS`).
    pub analytics: Arc<crate::analytics::cache::AnalyticsCache>,
}

impl Services {
    /// An absolute link to a path of the portal.
    pub fn link(&self, path_and_query: &str) -> String {
        let base = self.public_url.as_str().trim_end_matches('/');
        format!("{base}{path_and_query}")
    }

    /// Whether the portal is reached over HTTPS (secure, `__Host-` cookies; HSTS).
    pub fn is_https(&self) -> bool {
        self.public_url.scheme() == "https"
    }
}
