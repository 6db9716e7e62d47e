//! Per-client-IP rate limits for the sensitive forms (login, register, reset).

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A sliding window: at most `limit` attempts per `window` for each (action, IP).
#[derive(Debug)]
pub struct RateLimiter {
    limit: usize,
    window: Duration,
    hits: Mutex<HashMap<(&'static str, IpAddr), VecDeque<Instant>>>,
}

impl RateLimiter {
    pub fn new(limit: usize, window: Duration) -> Self {
        Self { limit, window, hits: Mutex::new(HashMap::new()) }
    }

    /// Records an attempt; `false` when it is over the limit (and then it is not counted).
    pub fn check(&self, action: &'static str, ip: IpAddr) -> bool {
        let now = Instant::now();
        let mut hits = self.hits.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        // Keep memory bounded: forget windows that have fully passed.
        if hits.len() > 10_000 {
            let window = self.window;
            hits.retain(|_, q| q.back().is_some_and(|t| now.duration_since(*t) < window));
        }
        let queue = hits.entry((action, ip)).or_default();
        while queue.front().is_some_and(|t| now.duration_since(*t) >= self.window) {
            queue.pop_front();
        }
        if queue.len() >= self.limit {
            return false;
        }
        queue.push_back(now);
        true
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
}
