//! Resource limits (getrlimit/setrlimit/prlimit64): one soft and hard value per
//! resource, inherited by fork and kept across execve, with Linux's defaults and
//! Linux's rules for changing them.
use kabi::process::{RLIMIT_NICE, RLIMIT_NOFILE, RLIMIT_STACK};
use kabi::{Errno, Rlimit};

use crate::fs::fdtable::MAX_FDS;

pub const RLIM_INFINITY: u64 = u64::MAX;
/// Number of resources (RLIMIT_CPU..=RLIMIT_RTTIME).
pub const RESOURCES: usize = 16;
/// The default soft stack limit (8 MiB), as Linux's.
pub const DEFAULT_STACK: u64 = 8 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits([Rlimit; RESOURCES]);

impl Default for Limits {
    fn default() -> Self {
        let mut all = [Rlimit { rlim_cur: RLIM_INFINITY, rlim_max: RLIM_INFINITY }; RESOURCES];
        all[RLIMIT_STACK as usize].rlim_cur = DEFAULT_STACK;
        all[RLIMIT_NOFILE as usize] = Rlimit { rlim_cur: 1024, rlim_max: MAX_FDS as u64 };
        // Raising priority (a nice value below the current one) takes privilege.
        all[RLIMIT_NICE as usize] = Rlimit { rlim_cur: 0, rlim_max: 0 };
        Self(all)
    }
}

impl Limits {
    /// The limit of `resource` (EINVAL for an unknown one).
    pub fn get(&self, resource: u32) -> Result<Rlimit, Errno> {
        self.0.get(resource as usize).copied().ok_or(Errno::EINVAL)
    }

    /// The soft limit of a known resource.
    pub fn soft(&self, resource: u32) -> u64 {
        self.0.get(resource as usize).map_or(RLIM_INFINITY, |l| l.rlim_cur)
    }

    /// Change a limit: soft above hard is EINVAL, a file limit above what the
    /// descriptor table holds (Linux's nr_open) EPERM, and so is raising the hard
    /// limit without privilege.
    pub fn set(&mut self, resource: u32, new: Rlimit, privileged: bool) -> Result<(), Errno> {
        let slot = self.0.get_mut(resource as usize).ok_or(Errno::EINVAL)?;
        if new.rlim_cur > new.rlim_max {
            return Err(Errno::EINVAL);
        }
        if (resource == RLIMIT_NOFILE && new.rlim_max > MAX_FDS as u64) || (new.rlim_max > slot.rlim_max && !privileged)
        {
            return Err(Errno::EPERM);
        }
        *slot = new;
        Ok(())
    }
}
