//! Rate limiting, so that guessing passwords or flooding inboxes costs time: per client (its
//! address as [`client_address`](super::client_address) finds it) on sign-in, registration and
//! recovery; per account (the username or address typed) on sign-in and recovery; per account on
//! password changes and on the requests that send an email; per API key on the gateway API. Over
//! a limit the answer is 429 with Retry-After. The allowances live in this process's memory.

use super::client_address::{rate_key, TrustedProxies};
use governor::{clock::DefaultClock, state::keyed::DefaultKeyedStateStore, Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;

type KeyedLimiter<K> = RateLimiter<K, DefaultKeyedStateStore<K>, DefaultClock>;

/// Password changes allowed per account and hour.
pub const PASSWORD_CHANGES_PER_HOUR: u32 = 5;
/// Emails (recovery, address confirmation) one account may have sent per hour.
pub const EMAILS_PER_HOUR: u32 = 5;
/// Requests one API key may make per second, in bursts of up to [`API_BURST`].
pub const API_REQUESTS_PER_SECOND: u32 = 2_000;
pub const API_BURST: u32 = 4_000;

/// The limiters the account routes share.
pub struct RateLimits {
    auth: KeyedLimiter<IpAddr>,
    accounts: KeyedLimiter<String>,
    password_changes: KeyedLimiter<i64>,
    emails: KeyedLimiter<String>,
    api_keys: KeyedLimiter<i64>,
    per_minute: u32,
    trusted_proxies: TrustedProxies,
}

impl std::fmt::Debug for RateLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimits").field("per_minute", &self.per_minute).finish()
    }
}

impl RateLimits {
    /// `per_minute` account requests per client and per account, in bursts of up to that many;
    /// the client's address is read from `X-Forwarded-For` only behind `trusted_proxies`.
    pub fn new(per_minute: u32, trusted_proxies: TrustedProxies) -> RateLimits {
        let rate = NonZeroU32::new(per_minute.max(1)).expect("at least one");
        let changes = NonZeroU32::new(PASSWORD_CHANGES_PER_HOUR).expect("at least one");
        let emails = NonZeroU32::new(EMAILS_PER_HOUR).expect("at least one");
        RateLimits {
            auth: RateLimiter::keyed(Quota::per_minute(rate)),
            accounts: RateLimiter::keyed(Quota::per_minute(rate)),
            password_changes: RateLimiter::keyed(Quota::per_hour(changes)),
            emails: RateLimiter::keyed(Quota::per_hour(emails)),
            api_keys: RateLimiter::keyed(api_quota(API_REQUESTS_PER_SECOND, API_BURST)),
            per_minute,
            trusted_proxies,
        }
    }

    /// The client of a request that came from `peer` with these `X-Forwarded-For` values.
    pub fn client(&self, peer: IpAddr, forwarded_for: &[&str]) -> IpAddr {
        self.trusted_proxies.client(peer, forwarded_for)
    }

    /// Takes one request from `client`'s allowance; `Err(seconds)` to wait when none is left.
    pub fn check_auth(&self, client: IpAddr) -> Result<(), u64> {
        take(&self.auth, rate_key(client))
    }

    /// Takes one attempt from the allowance of the account named `name` (a username or an email
    /// address, as typed; whether it exists or not, so the answer tells nothing).
    pub fn check_account(&self, name: &str) -> Result<(), u64> {
        take(&self.accounts, name.trim().to_lowercase())
    }

    /// Takes one email from the allowance of `account` (a user id, username or address).
    pub fn check_email(&self, account: &str) -> Result<(), u64> {
        take(&self.emails, account.trim().to_lowercase())
    }

    /// Takes one password change from `user_id`'s allowance; `Err(seconds)` to wait.
    pub fn check_password_change(&self, user_id: i64) -> Result<(), u64> {
        take(&self.password_changes, user_id)
    }

    /// Takes one request from the allowance of the API key `key_id`; `Err(seconds)` to wait.
    pub fn check_api_key(&self, key_id: i64) -> Result<(), u64> {
        take(&self.api_keys, key_id)
    }

    /// Forgets clients that have been quiet long enough to have a full allowance again.
    pub fn forget_idle_clients(&self) {
        self.auth.retain_recent();
        self.accounts.retain_recent();
        self.password_changes.retain_recent();
        self.emails.retain_recent();
        self.api_keys.retain_recent();
    }
}

fn api_quota(per_second: u32, burst: u32) -> Quota {
    let rate = NonZeroU32::new(per_second.max(1)).expect("at least one");
    Quota::per_second(rate).allow_burst(NonZeroU32::new(burst.max(1)).expect("at least one"))
}

/// Takes one request from `key`'s allowance in `limiter`; `Err(seconds)` to wait when none is left.
fn take<K: std::hash::Hash + Eq + Clone>(limiter: &KeyedLimiter<K>, key: K) -> Result<(), u64> {
    limiter.check_key(&key).map_err(|not_until| {
        let wait = not_until.wait_time_from(governor::clock::Clock::now(&DefaultClock::default()));
        wait.as_secs().max(1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_client_has_its_own_allowance() {
        let limits = RateLimits::new(3, TrustedProxies::default());
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        for _ in 0..3 {
            assert!(limits.check_auth(a).is_ok());
        }
        assert!(limits.check_auth(a).unwrap_err() >= 1);
        assert!(limits.check_auth(b).is_ok());
    }

    #[test]
    fn each_api_key_has_its_own_allowance() {
        let limiter: KeyedLimiter<i64> = RateLimiter::keyed(api_quota(1, 2));
        assert!(take(&limiter, 1).is_ok() && take(&limiter, 1).is_ok());
        assert!(take(&limiter, 1).unwrap_err() >= 1, "the burst is spent");
        assert!(take(&limiter, 2).is_ok(), "another key");
    }

    /// Hole 6: two IPv6 addresses in one /64 share one allowance.
    #[test]
    fn ipv6_addresses_in_one_64_share_an_allowance() {
        let limits = RateLimits::new(2, TrustedProxies::default());
        let (a, b): (IpAddr, IpAddr) = ("2001:db8:1:2::1".parse().unwrap(), "2001:db8:1:2:abcd::7".parse().unwrap());
        assert!(limits.check_auth(a).is_ok());
        assert!(limits.check_auth(b).is_ok());
        assert!(limits.check_auth(a).is_err(), "one /64, one allowance");
        assert!(limits.check_auth("2001:db8:1:3::1".parse().unwrap()).is_ok(), "another /64");
    }
}
