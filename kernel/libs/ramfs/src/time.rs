//! Timestamps: the crate has no clock, so every operation that changes a time takes the
//! caller's "now" as a [`Timestamp`], and `utimensat` says what to do with each time as a
//! [`SetTime`].

/// A point in time, as `struct timespec`: seconds since the epoch and nanoseconds.
/// Ordered by time (seconds first).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    pub sec: i64,
    /// Below 1,000,000,000.
    pub nsec: u32,
}

impl Timestamp {
    /// A whole number of seconds since the epoch.
    pub const fn from_secs(sec: i64) -> Timestamp {
        Timestamp { sec, nsec: 0 }
    }
}

/// What `utimensat` does with one of the times it may set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetTime {
    /// `UTIME_NOW` (or a null `times`): the caller's "now".
    Now,
    /// `UTIME_OMIT`: leave this time alone.
    Omit,
    /// An explicit time.
    To(Timestamp),
}
