//! A per-address limit on public POSTs, kept in memory only: addresses are never written
//! anywhere, and each server instance counts its own requests.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

/// At most `limit` requests per address per minute; a limit of 0 lets everything through.
pub struct RateLimiter {
    limit: u32,
    counts: Mutex<HashMap<IpAddr, (u64, u32)>>,
}

/// Past this many tracked addresses, entries from earlier minutes are dropped.
const PRUNE_AT: usize = 10_000;

impl RateLimiter {
    pub fn new(limit: u32) -> Self {
        Self {
            limit,
            counts: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a request from `address`; `false` when it is over the limit.
    pub fn allow(&self, address: IpAddr) -> bool {
        let minute = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() / 60);
        self.allow_at(address, minute)
    }

    fn allow_at(&self, address: IpAddr, minute: u64) -> bool {
        if self.limit == 0 {
            return true;
        }
        let Ok(mut counts) = self.counts.lock() else {
            // A poisoned lock only means another request panicked; do not block residents.
            return true;
        };
        if counts.len() >= PRUNE_AT {
            counts.retain(|_, (at, _)| *at == minute);
        }
        let entry = counts.entry(address).or_insert((minute, 0));
        if entry.0 != minute {
            *entry = (minute, 0);
        }
        entry.1 += 1;
        entry.1 <= self.limit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_each_address_per_minute() {
        let limiter = RateLimiter::new(3);
        let a: IpAddr = [192, 0, 2, 1].into();
        let b: IpAddr = [192, 0, 2, 2].into();
        assert!((0..3).all(|_| limiter.allow_at(a, 10)));
        assert!(!limiter.allow_at(a, 10));
        assert!(limiter.allow_at(b, 10), "other addresses are not affected");
        assert!(limiter.allow_at(a, 11), "a new minute starts afresh");
    }

    #[test]
    fn zero_means_no_limit() {
        let limiter = RateLimiter::new(0);
        let a: IpAddr = [192, 0, 2, 1].into();
        assert!((0..1_000).all(|_| limiter.allow_at(a, 10)));
    }
}
