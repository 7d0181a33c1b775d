//! Rate limiting per client (IP address) on sign-in, registration and recovery, so that guessing
//! passwords or flooding inboxes costs time. Over the limit the answer is 429 with Retry-After.

use governor::{clock::DefaultClock, state::keyed::DefaultKeyedStateStore, Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;

type KeyedLimiter = RateLimiter<IpAddr, DefaultKeyedStateStore<IpAddr>, DefaultClock>;

/// The limiters the account routes share.
pub struct RateLimits {
    auth: KeyedLimiter,
    per_minute: u32,
}

impl std::fmt::Debug for RateLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimits").field("per_minute", &self.per_minute).finish()
    }
}

impl RateLimits {
    /// `per_minute` account requests per client, in bursts of up to that many.
    pub fn new(per_minute: u32) -> RateLimits {
        let rate = NonZeroU32::new(per_minute.max(1)).expect("at least one");
        RateLimits { auth: RateLimiter::keyed(Quota::per_minute(rate)), per_minute }
    }

    /// Takes one request from `client`'s allowance; `Err(seconds)` to wait when none is left.
    pub fn check_auth(&self, client: IpAddr) -> Result<(), u64> {
        self.auth.check_key(&client).map_err(|not_until| {
            let wait = not_until.wait_time_from(governor::clock::Clock::now(&DefaultClock::default()));
            wait.as_secs().max(1)
        })
    }

    /// Forgets clients that have been quiet long enough to have a full allowance again.
    pub fn forget_idle_clients(&self) {
        self.auth.retain_recent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_client_has_its_own_allowance() {
        let limits = RateLimits::new(3);
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        for _ in 0..3 {
            assert!(limits.check_auth(a).is_ok());
        }
        assert!(limits.check_auth(a).unwrap_err() >= 1);
        assert!(limits.check_auth(b).is_ok());
    }
}
