//! Sliding-window rate limits: per client address for the sensitive forms and
//! APIs, per account for sign-in. Memory is bounded: at most `capacity` keys are
//! tracked; beyond that the least recently seen are forgotten.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Keys tracked at most by one limiter (a few MB at the worst).
const DEFAULT_CAPACITY: usize = 20_000;

/// At most `limit` attempts per `window` for each key.
#[derive(Debug)]
pub struct RateLimiter<K = (&'static str, IpAddr)> {
    limit: usize,
    window: Duration,
    capacity: usize,
    hits: Mutex<HashMap<K, Window>>,
}

/// One key's attempts within the window, and when it last tried (refused or not).
#[derive(Debug, Default)]
struct Window {
    attempts: VecDeque<Instant>,
    last_seen: Option<Instant>,
}

impl<K: Hash + Eq + Clone> RateLimiter<K> {
    pub fn new(limit: usize, window: Duration) -> Self {
        Self::with_capacity(limit, window, DEFAULT_CAPACITY)
    }

    pub fn with_capacity(limit: usize, window: Duration, capacity: usize) -> Self {
        Self { limit, window, capacity: capacity.max(1), hits: Mutex::new(HashMap::new()) }
    }

    /// Records an attempt for `key`; `false` when it is over the limit (and then it is not counted).
    pub fn check_key(&self, key: K) -> bool {
        let now = Instant::now();
        let mut hits = self.hits.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if hits.len() >= self.capacity && !hits.contains_key(&key) {
            self.make_room(&mut hits, now);
        }
        let entry = hits.entry(key).or_default();
        entry.last_seen = Some(now);
        let queue = &mut entry.attempts;
        while queue.front().is_some_and(|t| now.duration_since(*t) >= self.window) {
            queue.pop_front();
        }
        if queue.len() >= self.limit {
            return false;
        }
        queue.push_back(now);
        true
    }

    /// Whether `key` has used its budget (without counting an attempt).
    pub fn exhausted_key(&self, key: &K) -> bool {
        let now = Instant::now();
        let hits = self.hits.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        hits.get(key)
            .is_some_and(|w| w.attempts.iter().filter(|t| now.duration_since(**t) < self.window).count() >= self.limit)
    }

    /// Forgets windows that have passed; if that is not enough, the least recently
    /// seen tenth of the keys.
    fn make_room(&self, hits: &mut HashMap<K, Window>, now: Instant) {
        let window = self.window;
        hits.retain(|_, w| w.attempts.back().is_some_and(|t| now.duration_since(*t) < window));
        if hits.len() < self.capacity {
            return;
        }
        let mut last_seen: Vec<(Instant, K)> =
            hits.iter().filter_map(|(k, w)| w.last_seen.map(|t| (t, k.clone()))).collect();
        let evict = (self.capacity / 10).max(1);
        last_seen.select_nth_unstable_by_key(evict - 1, |(t, _)| *t);
        for (_, key) in last_seen.into_iter().take(evict) {
            hits.remove(&key);
        }
    }

    #[cfg(test)]
    fn tracked(&self) -> usize {
        self.hits.lock().unwrap().len()
    }
}

impl RateLimiter<(&'static str, IpAddr)> {
    /// Records an attempt at `action` by the client at `ip`.
    pub fn check(&self, action: &'static str, ip: IpAddr) -> bool {
        self.check_key((action, client_key(ip)))
    }

    /// Whether the client at `ip` has used its budget for `action` (counting nothing).
    pub fn exhausted(&self, action: &'static str, ip: IpAddr) -> bool {
        self.exhausted_key(&(action, client_key(ip)))
    }
}

/// The address a client is limited by: IPv4 as is; IPv6 by its /64, which one
/// subscriber usually holds whole (counting single addresses would let anyone
/// with a /64 make 2^64 fresh attempts).
pub fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sixth_attempt_in_a_minute_is_refused_per_ip_and_action() {
        let limiter = RateLimiter::new(5, Duration::from_secs(60));
        let ip: IpAddr = "203.0.113.7".parse().unwrap();
        for _ in 0..5 {
            assert!(limiter.check("login", ip));
        }
        assert!(!limiter.check("login", ip));
        assert!(limiter.check("register", ip), "another form has its own budget");
        assert!(limiter.check("login", "203.0.113.8".parse().unwrap()), "another visitor is unaffected");
    }

    #[test]
    fn attempts_are_allowed_again_after_the_window() {
        let limiter = RateLimiter::new(1, Duration::from_millis(30));
        let ip: IpAddr = "198.51.100.1".parse().unwrap();
        assert!(limiter.check("login", ip));
        assert!(!limiter.check("login", ip));
        std::thread::sleep(Duration::from_millis(40));
        assert!(limiter.check("login", ip));
    }

    #[test]
    fn addresses_of_one_ipv6_64_share_a_budget() {
        let limiter = RateLimiter::new(2, Duration::from_secs(60));
        assert!(limiter.check("login", "2001:db8:1:2::1".parse().unwrap()));
        assert!(limiter.check("login", "2001:db8:1:2:ffff::9".parse().unwrap()));
        assert!(!limiter.check("login", "2001:db8:1:2:abcd:1:2:3".parse().unwrap()), "same /64");
        assert!(limiter.check("login", "2001:db8:1:3::1".parse().unwrap()), "another /64");
        // An IPv4 client seen through an IPv6 socket is the IPv4 client.
        assert!(limiter.check("login", "::ffff:192.0.2.1".parse().unwrap()));
        assert!(limiter.check("login", "192.0.2.1".parse().unwrap()));
        assert!(!limiter.check("login", "192.0.2.1".parse().unwrap()));
    }

    #[test]
    fn memory_stays_bounded_and_a_limited_client_stays_limited() {
        let limiter = RateLimiter::with_capacity(1, Duration::from_secs(60), 100);
        let busy: IpAddr = "192.0.2.200".parse().unwrap();
        assert!(limiter.check("login", busy));
        for i in 0..1_000u32 {
            let ip = IpAddr::from((0xC633_6400u32 + i).to_be_bytes());
            limiter.check("login", ip);
            if i % 50 == 0 {
                // The limited client keeps trying, so it is never the least recently seen.
                assert!(!limiter.check("login", busy), "still limited after {i} other clients");
            }
        }
        assert!(limiter.tracked() <= 100, "tracked {}", limiter.tracked());
    }

    #[test]
    fn exhausted_looks_without_counting() {
        let limiter = RateLimiter::new(2, Duration::from_secs(60));
        let ip: IpAddr = "192.0.2.9".parse().unwrap();
        for _ in 0..5 {
            assert!(!limiter.exhausted("refused", ip));
        }
        assert!(limiter.check("refused", ip) && limiter.check("refused", ip));
        assert!(limiter.exhausted("refused", ip));
    }

    #[test]
    fn any_key_works_for_per_account_limits() {
        let limiter: RateLimiter<String> = RateLimiter::new(2, Duration::from_secs(60));
        assert!(limiter.check_key("ana@example.com".into()));
        assert!(limiter.check_key("ana@example.com".into()));
        assert!(!limiter.check_key("ana@example.com".into()));
        assert!(limiter.check_key("bo@example.com".into()));
    }
}
