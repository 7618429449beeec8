//! Slowing down password guessing without letting anyone lock an account (OWASP
//! authentication guidance: throttle, do not lock out).
//!
//! Every login attempt is counted before its password is checked, on three counters: the
//! account tried, the client address, and the pair of both. A few failures cost nothing;
//! past them, the pair (or the address, for one address trying many accounts) must wait
//! before its next attempt, twice as long after each further failure, up to 15 minutes.
//! The account counter never blocks anyone: when it passes its ceiling (the account is
//! being guessed from many addresses), each address that fails on it must wait after its
//! first failure instead of its third. So the owner, from an address that has not failed,
//! always gets in with the right password.

/// Failures of one address on one account before it must wait.
pub const PAIR_FREE_FAILURES: i64 = 3;
/// Failures of one address on any accounts before it must wait.
pub const CLIENT_FREE_FAILURES: i64 = 10;
/// Failures on one account, from anywhere, past which each address gets a single free
/// failure on it.
pub const ACCOUNT_SOFT_CEILING: i64 = 10;
/// The first wait; each further failure doubles it, up to [`MAX_DELAY_SECONDS`].
pub const FIRST_DELAY_SECONDS: i64 = 30;
pub const MAX_DELAY_SECONDS: i64 = 15 * 60;
/// A counter is forgotten this long after the last attempt it counted.
pub const MEMORY_SECONDS: i64 = 60 * 60;

/// One counter as stored: attempts not (yet) proven right, and when the next may be made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counter {
    pub failures: i64,
    /// Unix seconds; attempts before it wait.
    pub next_at: i64,
}

/// The three counters one attempt touches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoginCounters {
    pub account: Counter,
    pub client: Counter,
    pub pair: Counter,
}

/// What an attempt may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Check the password.
    Check,
    /// Refused without checking the password; try again from this Unix time.
    Wait { until: i64 },
}

/// The wait after `failures` failures, the first `free` of which cost nothing.
pub fn delay(failures: i64, free: i64) -> i64 {
    if failures < free {
        return 0;
    }
    // 2^5 times the first delay already passes the maximum.
    let doublings = (failures - free).min(5);
    (FIRST_DELAY_SECONDS << doublings).min(MAX_DELAY_SECONDS)
}

impl LoginCounters {
    /// Counts an attempt made at `now`, as a failure until it proves right. An attempt
    /// that must wait is counted too (so hammering only lengthens the next wait) but
    /// does not move the time it may retry.
    pub fn charge(self, now: i64) -> (Verdict, Self) {
        let pair_free = if self.account.failures >= ACCOUNT_SOFT_CEILING {
            1
        } else {
            PAIR_FREE_FAILURES
        };
        let mut after = self;
        after.account.failures += 1;
        after.client.failures += 1;
        after.pair.failures += 1;
        let until = self.client.next_at.max(self.pair.next_at);
        if until > now {
            return (Verdict::Wait { until }, after);
        }
        after.client.next_at = now + delay(after.client.failures, CLIENT_FREE_FAILURES);
        after.pair.next_at = now + delay(after.pair.failures, pair_free);
        (Verdict::Check, after)
    }

    /// Takes back a charged attempt whose password was right: the pair starts afresh;
    /// the address and the account keep their other failures.
    pub fn forgive(self) -> Self {
        let take_back = |counter: Counter, free: i64| {
            let failures = (counter.failures - 1).max(0);
            Counter {
                failures,
                next_at: if failures < free { 0 } else { counter.next_at },
            }
        };
        Self {
            account: take_back(self.account, i64::MAX),
            client: take_back(self.client, CLIENT_FREE_FAILURES),
            pair: Counter::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;

    /// Charges `n` attempts at `now`, returning the verdicts and the counters.
    fn attempts(mut counters: LoginCounters, n: usize, now: i64) -> (Vec<Verdict>, LoginCounters) {
        let mut verdicts = Vec::new();
        for _ in 0..n {
            let (verdict, after) = counters.charge(now);
            verdicts.push(verdict);
            counters = after;
        }
        (verdicts, counters)
    }

    #[test]
    fn the_wait_doubles_after_the_free_failures_up_to_fifteen_minutes() {
        assert_eq!(delay(0, 3), 0);
        assert_eq!(delay(2, 3), 0);
        assert_eq!(delay(3, 3), 30);
        assert_eq!(delay(4, 3), 60);
        assert_eq!(delay(5, 3), 120);
        assert_eq!(delay(8, 3), 900);
        assert_eq!(delay(1_000_000, 3), 900);
        assert_eq!(delay(i64::MAX, 1), 900);
    }

    #[test]
    fn three_free_failures_then_the_pair_waits_and_every_attempt_counts() {
        let (verdicts, counters) = attempts(LoginCounters::default(), 6, NOW);
        assert_eq!(&verdicts[..3], &[Verdict::Check; 3]);
        assert_eq!(&verdicts[3..], &[Verdict::Wait { until: NOW + 30 }; 3]);
        assert_eq!(counters.pair.failures, 6);
        assert_eq!(counters.account.failures, 6);
        assert_eq!(counters.client.failures, 6);
        // Waiting is not enough to reset it: the next failure waits longer.
        let (verdict, later) = counters.charge(NOW + 30);
        assert_eq!(verdict, Verdict::Check);
        assert_eq!(later.pair.next_at, NOW + 30 + 480);
    }

    #[test]
    fn the_right_password_forgives_the_pair_but_not_the_others() {
        let (_, counters) = attempts(LoginCounters::default(), 3, NOW);
        let forgiven = counters.forgive();
        assert_eq!(forgiven.pair, Counter::default());
        assert_eq!(forgiven.account.failures, 2);
        assert_eq!(
            forgiven.client,
            Counter {
                failures: 2,
                next_at: 0
            }
        );
        let saturated = LoginCounters {
            client: Counter {
                failures: 12,
                next_at: NOW + 60,
            },
            ..LoginCounters::default()
        };
        assert_eq!(
            saturated.forgive().client,
            Counter {
                failures: 11,
                next_at: NOW + 60
            }
        );
        assert_eq!(LoginCounters::default().forgive(), LoginCounters::default());
    }

    #[test]
    fn an_address_trying_many_accounts_waits_after_ten_failures() {
        let mut client = Counter::default();
        for n in 1..=CLIENT_FREE_FAILURES {
            // A different account each time: a fresh pair.
            let (verdict, after) = LoginCounters {
                client,
                ..LoginCounters::default()
            }
            .charge(NOW);
            assert_eq!(verdict, Verdict::Check, "attempt {n}");
            client = after.client;
        }
        let (verdict, _) = LoginCounters {
            client,
            ..LoginCounters::default()
        }
        .charge(NOW);
        assert_eq!(verdict, Verdict::Wait { until: NOW + 30 });
    }

    #[test]
    fn an_account_guessed_from_everywhere_never_blocks_a_clean_address() {
        let account = Counter {
            failures: 500,
            next_at: 0,
        };
        let clean = LoginCounters {
            account,
            ..LoginCounters::default()
        };
        let (verdict, after) = clean.charge(NOW);
        assert_eq!(
            verdict,
            Verdict::Check,
            "the owner's first attempt is checked"
        );
        // A failure from that address now makes it wait at once.
        assert_eq!(after.pair.next_at, NOW + 30);
        assert_eq!(after.charge(NOW + 1).0, Verdict::Wait { until: NOW + 30 });
    }
}
