//! The time as the content cache sees it (what is published, when a kept page
//! expires): the system clock, or in tests one that moves only when told, so a
//! test of scheduled publication does not have to wait for it.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

#[derive(Clone, Debug, Default)]
pub struct Clock(Option<Arc<AtomicI64>>);

impl Clock {
    /// Unix seconds from the system clock.
    pub fn system() -> Self {
        Self(None)
    }

    /// A clock standing at `unix` seconds until [`Clock::advance`] moves it.
    pub fn manual(unix: i64) -> Self {
        Self(Some(Arc::new(AtomicI64::new(unix))))
    }

    /// Unix seconds.
    pub fn now(&self) -> i64 {
        match &self.0 {
            None => super::db::now(),
            Some(t) => t.load(Ordering::SeqCst),
        }
    }

    /// Moves a manual clock forward (the system clock moves by itself: no effect).
    pub fn advance(&self, secs: i64) {
        if let Some(t) = &self.0 {
            t.fetch_add(secs, Ordering::SeqCst);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Clock;

    #[test]
    fn a_manual_clock_moves_only_when_told() {
        let clock = Clock::manual(1_000);
        assert_eq!(clock.now(), 1_000);
        clock.advance(61);
        assert_eq!(clock.now(), 1_061);
        let system = Clock::system();
        system.advance(3_600);
        assert!((system.now() - super::super::db::now()).abs() <= 1, "the system clock is not moved");
    }
}
