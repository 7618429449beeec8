//! A per-address limit on public POSTs, kept in memory only: addresses are never written
//! anywhere, and each server instance counts its own requests.
//!
//! A token bucket (in its "generic cell rate" form: one time per address): an address
//! may send `limit` requests at once, then one every `60 / limit` seconds. Unlike counts
//! per calendar minute, two full bursts can never come back to back at a minute's edge.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::Mutex;
use std::time::Instant;

/// Microseconds in the period the limit is given for.
const PERIOD_MICROS: u64 = 60_000_000;

/// At most `limit` requests per address per minute, in a burst or spread out; a limit of
/// 0 lets everything through.
pub struct RateLimiter {
    limit: u32,
    /// Time between two requests at the sustained rate.
    interval: u64,
    started: Instant,
    /// Per address: when its bucket will be full again (microseconds since `started`).
    full_at: Mutex<HashMap<IpAddr, u64>>,
}

/// Past this many tracked addresses, those whose bucket is full again are dropped.
const PRUNE_AT: usize = 10_000;

impl RateLimiter {
    pub fn new(limit: u32) -> Self {
        Self {
            limit,
            interval: PERIOD_MICROS / u64::from(limit.max(1)),
            started: Instant::now(),
            full_at: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a request from `address`; `false` when it is over the limit.
    pub fn allow(&self, address: IpAddr) -> bool {
        let now = u64::try_from(self.started.elapsed().as_micros()).unwrap_or(u64::MAX);
        self.allow_at(address, now)
    }

    /// [`RateLimiter::allow`] at `now`, in microseconds since the limiter started.
    fn allow_at(&self, address: IpAddr, now: u64) -> bool {
        if self.limit == 0 {
            return true;
        }
        let Ok(mut full_at) = self.full_at.lock() else {
            // A poisoned lock only means another request panicked; do not block residents.
            return true;
        };
        if full_at.len() >= PRUNE_AT {
            full_at.retain(|_, at| *at > now);
        }
        let at = full_at.entry(limit_key(address)).or_insert(0);
        // The bucket holds `limit` requests, i.e. `limit * interval` of credit; a request
        // spends one interval of it.
        let emptied_by = (*at).max(now) + self.interval;
        if emptied_by - now > u64::from(self.limit) * self.interval {
            return false;
        }
        *at = emptied_by;
        true
    }
}

/// What a client is counted by: its IPv4 address, or the /64 network of its IPv6 one,
/// since one home or phone is given a whole /64 and can pick any address in it.
pub(crate) fn limit_key(address: IpAddr) -> IpAddr {
    match address.to_canonical() {
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
        }
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: u64 = 1_000_000;

    #[test]
    fn limits_each_address_per_minute() {
        let limiter = RateLimiter::new(3);
        let a: IpAddr = [192, 0, 2, 1].into();
        let b: IpAddr = [192, 0, 2, 2].into();
        assert!((0..3).all(|_| limiter.allow_at(a, 10 * SECOND)));
        assert!(!limiter.allow_at(a, 10 * SECOND));
        assert!(
            limiter.allow_at(b, 10 * SECOND),
            "other addresses are not affected"
        );
        // One request back every 20 s (60 s / 3), the whole burst after a minute.
        assert!(!limiter.allow_at(a, 29 * SECOND));
        assert!(limiter.allow_at(a, 30 * SECOND));
        assert!(!limiter.allow_at(a, 31 * SECOND));
        assert!((0..3).all(|_| limiter.allow_at(a, 90 * SECOND)));
        assert!(!limiter.allow_at(a, 90 * SECOND));
    }

    #[test]
    fn no_second_burst_at_the_edge_of_a_minute() {
        let limiter = RateLimiter::new(60);
        let a: IpAddr = [192, 0, 2, 1].into();
        let just_before = 59 * SECOND + 900_000;
        let allowed = (0..60).filter(|_| limiter.allow_at(a, just_before)).count();
        assert_eq!(allowed, 60);
        // Counted per calendar minute, 60 more went through 0.2 s later.
        let just_after = 60 * SECOND + 100_000;
        let more = (0..60).filter(|_| limiter.allow_at(a, just_after)).count();
        assert_eq!(more, 0);
        // At the sustained rate, one a second.
        let later = (1..=30)
            .filter(|s| limiter.allow_at(a, just_before + s * SECOND))
            .count();
        assert_eq!(later, 30);
    }

    #[test]
    fn an_ipv6_client_is_counted_by_its_64_bit_prefix() {
        let limiter = RateLimiter::new(2);
        let home = |last: u16| -> IpAddr {
            IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0x12, 0x34, 0, 0, 0x99, last))
        };
        assert!(limiter.allow_at(home(1), SECOND));
        assert!(limiter.allow_at(home(2), SECOND));
        assert!(!limiter.allow_at(home(3), SECOND), "same /64, new address");
        let neighbour = IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0x12, 0x35, 0, 0, 0, 1));
        assert!(limiter.allow_at(neighbour, SECOND), "another /64");
        // An IPv4 client seen through an IPv6 socket is still counted by its address.
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().expect("address");
        assert_eq!(limit_key(mapped), IpAddr::from([192, 0, 2, 7]));
        assert_eq!(
            limit_key(IpAddr::from([192, 0, 2, 7])),
            IpAddr::from([192, 0, 2, 7])
        );
    }

    #[test]
    fn zero_means_no_limit() {
        let limiter = RateLimiter::new(0);
        let a: IpAddr = [192, 0, 2, 1].into();
        assert!((0..1_000).all(|_| limiter.allow_at(a, 10 * SECOND)));
    }
}
