//! When a respawning entry may start again, as sysvinit decides: at once, unless it
//! was started `LIMIT` times within `WINDOW` (it keeps dying: a missing program, a
//! broken terminal), in which case it rests for `PAUSE` before the next try. Times
//! are durations since init started, so the rule is tested without a clock.
use std::collections::VecDeque;
use std::time::Duration;

/// Starts within `WINDOW` that make an entry "respawning too fast".
pub const LIMIT: usize = 10;
pub const WINDOW: Duration = Duration::from_secs(120);
/// How long such an entry rests.
pub const PAUSE: Duration = Duration::from_secs(300);

/// One entry's recent starts.
#[derive(Debug, Default, Clone)]
pub struct Respawner {
    starts: VecDeque<Duration>,
}

impl Respawner {
    /// Notes a start at `now`.
    pub fn started(&mut self, now: Duration) {
        self.starts.push_back(now);
        while self.starts.len() > LIMIT {
            self.starts.pop_front();
        }
    }

    /// When the entry, ended at `now`, may start again; and whether that is a rest
    /// for respawning too fast (init says so).
    pub fn next_start(&mut self, now: Duration) -> (Duration, bool) {
        let too_fast = self.starts.len() >= LIMIT && self.starts.front().is_some_and(|&first| now < first + WINDOW);
        if too_fast {
            self.starts.clear();
            (now + PAUSE, true)
        } else {
            (now, false)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seconds(count: u64) -> Duration {
        Duration::from_secs(count)
    }

    #[test]
    fn an_entry_that_lives_a_while_restarts_at_once() {
        let mut respawner = Respawner::default();
        for minute in 0..30 {
            respawner.started(seconds(minute * 60));
            assert_eq!(respawner.next_start(seconds(minute * 60 + 59)), (seconds(minute * 60 + 59), false));
        }
    }

    #[test]
    fn ten_quick_deaths_rest_five_minutes_then_try_again() {
        let mut respawner = Respawner::default();
        for start in 0..LIMIT as u64 - 1 {
            respawner.started(seconds(start));
            assert_eq!(respawner.next_start(seconds(start)), (seconds(start), false));
        }
        respawner.started(seconds(9));
        assert_eq!(respawner.next_start(seconds(10)), (seconds(10) + PAUSE, true));
        respawner.started(seconds(310));
        assert_eq!(respawner.next_start(seconds(311)), (seconds(311), false));
    }

    #[test]
    fn deaths_spread_over_more_than_the_window_are_not_too_fast() {
        let mut respawner = Respawner::default();
        for start in 0..30 {
            respawner.started(seconds(start * 14));
            assert!(!respawner.next_start(seconds(start * 14 + 1)).1, "start {start}");
        }
    }
}
