//! Process credentials as Linux keeps them (`struct cred`): the real, effective,
//! saved and file-system user and group ids and the supplementary groups, the rules
//! by which the set*id calls change them (`kernel/sys.c`), what execve does to them,
//! and who may signal, renice or change the limits of whom.
//!
//! There are no capabilities: a process is privileged when its effective uid is 0,
//! which stands for every capability these rules ask for (`CAP_SETUID`,
//! `CAP_SETGID`, `CAP_KILL`, `CAP_SYS_NICE`, `CAP_SYS_RESOURCE`). File-system
//! checks go by the file-system ids instead (the `ramfs` crate's rules).
#![cfg_attr(not(test), no_std)]

extern crate alloc;

use alloc::vec::Vec;

use kabi::Errno;

/// An id argument of -1: "leave this id as it is" for setreuid and setresuid, an
/// invalid id for setuid (`EINVAL`), a query for setfsuid.
pub const UNCHANGED: u32 = u32::MAX;

/// The most supplementary groups a process may have (Linux's `NGROUPS_MAX`).
pub const NGROUPS_MAX: usize = 65536;

/// The four ids of one kind (user or group) a process holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Ids {
    /// Who the process is: what getuid returns, what signals and limits go by.
    pub real: u32,
    /// Whose rights it acts with (privilege is an effective uid of 0).
    pub effective: u32,
    /// An id it may take back as its effective one (the "saved set-user-ID").
    pub saved: u32,
    /// Whose rights file accesses go by; follows the effective id unless
    /// setfsuid/setfsgid set it apart.
    pub fs: u32,
}

impl Ids {
    /// All four ids `id`.
    pub const fn all(id: u32) -> Ids {
        Ids { real: id, effective: id, saved: id, fs: id }
    }

    /// Whether `id` is the real, effective or saved id: one an unprivileged
    /// process may switch to.
    fn holds(&self, id: u32) -> bool {
        id == self.real || id == self.effective || id == self.saved
    }

    /// setuid/setgid: privileged, all four ids become `id`; otherwise the effective
    /// (and file-system) id may become the real or saved one. `EINVAL` for -1,
    /// `EPERM` for any other id.
    fn set(&mut self, id: u32, privileged: bool) -> Result<(), Errno> {
        if id == UNCHANGED {
            return Err(Errno::EINVAL);
        }
        if privileged {
            *self = Ids::all(id);
        } else if id == self.real || id == self.saved {
            self.effective = id;
            self.fs = id;
        } else {
            return Err(Errno::EPERM);
        }
        Ok(())
    }

    /// setreuid/setregid: -1 leaves an id alone. Unprivileged, the real id may
    /// become the real or effective one, the effective id any of the three. The
    /// saved id takes the new effective one when the real id is set or the
    /// effective one set to something other than the old real id; the file-system
    /// id follows the effective one.
    fn set_real_effective(&mut self, real: u32, effective: u32, privileged: bool) -> Result<(), Errno> {
        let old = *self;
        if !privileged
            && ((real != UNCHANGED && real != old.real && real != old.effective)
                || (effective != UNCHANGED && !old.holds(effective)))
        {
            return Err(Errno::EPERM);
        }
        if real != UNCHANGED {
            self.real = real;
        }
        if effective != UNCHANGED {
            self.effective = effective;
        }
        if real != UNCHANGED || (effective != UNCHANGED && effective != old.real) {
            self.saved = self.effective;
        }
        self.fs = self.effective;
        Ok(())
    }

    /// setresuid/setresgid: -1 leaves an id alone; unprivileged, each id may
    /// become any of the three held. A call that changes nothing leaves even the
    /// file-system id alone; otherwise it follows the effective id.
    fn set_real_effective_saved(
        &mut self,
        real: u32,
        effective: u32,
        saved: u32,
        privileged: bool,
    ) -> Result<(), Errno> {
        let keeps = |new: u32, old: u32| new == UNCHANGED || new == old;
        if keeps(real, self.real)
            && (effective == UNCHANGED || (effective == self.effective && effective == self.fs))
            && keeps(saved, self.saved)
        {
            return Ok(());
        }
        let allowed = |id: u32| id == UNCHANGED || self.holds(id);
        if !(privileged || [real, effective, saved].into_iter().all(allowed)) {
            return Err(Errno::EPERM);
        }
        for (slot, id) in [(&mut self.real, real), (&mut self.effective, effective), (&mut self.saved, saved)] {
            if id != UNCHANGED {
                *slot = id;
            }
        }
        self.fs = self.effective;
        Ok(())
    }

    /// setfsuid/setfsgid: the file-system id becomes `id` if it is one of the
    /// four held, or the caller is privileged; -1 or any other id changes
    /// nothing. Returns the previous file-system id either way.
    fn set_fs(&mut self, id: u32, privileged: bool) -> u32 {
        let old = self.fs;
        if id != UNCHANGED && (privileged || self.holds(id) || id == self.fs) {
            self.fs = id;
        }
        old
    }

    /// execve: the effective id becomes `set_id` (a set-user-ID or set-group-ID
    /// file's owner), if given; the saved and file-system ids take the effective.
    fn exec(&mut self, set_id: Option<u32>) {
        self.effective = set_id.unwrap_or(self.effective);
        self.saved = self.effective;
        self.fs = self.effective;
    }
}

/// Who a process is and what it may do, shared by its threads.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Credentials {
    pub user: Ids,
    pub group: Ids,
    /// The supplementary groups, ascending (setgroups sorts them, as Linux does).
    pub groups: Vec<u32>,
}

impl Credentials {
    /// The superuser: uid and gid 0, no supplementary groups (the first process).
    pub const ROOT: Credentials = Credentials { user: Ids::all(0), group: Ids::all(0), groups: Vec::new() };

    /// Whether the process is privileged: its effective uid is 0.
    pub fn is_privileged(&self) -> bool {
        self.user.effective == 0
    }

    pub fn setuid(&mut self, uid: u32) -> Result<(), Errno> {
        let privileged = self.is_privileged();
        self.user.set(uid, privileged)
    }

    pub fn setgid(&mut self, gid: u32) -> Result<(), Errno> {
        let privileged = self.is_privileged();
        self.group.set(gid, privileged)
    }

    pub fn setreuid(&mut self, real: u32, effective: u32) -> Result<(), Errno> {
        let privileged = self.is_privileged();
        self.user.set_real_effective(real, effective, privileged)
    }

    pub fn setregid(&mut self, real: u32, effective: u32) -> Result<(), Errno> {
        let privileged = self.is_privileged();
        self.group.set_real_effective(real, effective, privileged)
    }

    pub fn setresuid(&mut self, real: u32, effective: u32, saved: u32) -> Result<(), Errno> {
        let privileged = self.is_privileged();
        self.user.set_real_effective_saved(real, effective, saved, privileged)
    }

    pub fn setresgid(&mut self, real: u32, effective: u32, saved: u32) -> Result<(), Errno> {
        let privileged = self.is_privileged();
        self.group.set_real_effective_saved(real, effective, saved, privileged)
    }

    /// setfsuid: returns the previous file-system uid.
    pub fn setfsuid(&mut self, uid: u32) -> u32 {
        let privileged = self.is_privileged();
        self.user.set_fs(uid, privileged)
    }

    /// setfsgid: returns the previous file-system gid.
    pub fn setfsgid(&mut self, gid: u32) -> u32 {
        let privileged = self.is_privileged();
        self.group.set_fs(gid, privileged)
    }

    /// setgroups, once the caller has been found privileged (`EPERM` otherwise,
    /// before the list is read): the groups, sorted.
    pub fn set_groups(&mut self, mut groups: Vec<u32>) {
        groups.sort_unstable();
        self.groups = groups;
    }

    /// execve of a file whose set-user-ID bit makes its owner `set_uid` the
    /// effective user (and set-group-ID bit its group `set_gid` the effective
    /// group), if they do: the saved and file-system ids take the effective ones.
    pub fn exec(&mut self, set_uid: Option<u32>, set_gid: Option<u32>) {
        self.user.exec(set_uid);
        self.group.exec(set_gid);
    }

    /// Whether a program runs with ids other than its real ones (the auxiliary
    /// vector's AT_SECURE, which tells the C library to distrust its environment).
    pub fn is_set_id(&self) -> bool {
        self.user.effective != self.user.real || self.group.effective != self.group.real
    }

    /// Whether this process may send a signal to one with `target`'s credentials
    /// (`kill_ok_by_cred`): privileged, or its real or effective uid is the target's
    /// real or saved uid.
    pub fn may_signal(&self, target: &Credentials) -> bool {
        self.is_privileged()
            || [self.user.real, self.user.effective].iter().any(|&id| id == target.user.real || id == target.user.saved)
    }

    /// Whether this process may change the nice value of one with `target`'s
    /// credentials (`set_one_prio_perm`): privileged, or its effective uid is the
    /// target's real or effective uid.
    pub fn may_renice(&self, target: &Credentials) -> bool {
        self.is_privileged() || self.user.effective == target.user.real || self.user.effective == target.user.effective
    }

    /// Whether this process may read or change the resource limits of one with
    /// `target`'s credentials (`check_prlimit_permission`): privileged, or the
    /// target's real, effective and saved uids are all this one's real uid, and
    /// its gids this one's real gid.
    pub fn may_change_limits_of(&self, target: &Credentials) -> bool {
        let all_are = |ids: &Ids, id: u32| ids.real == id && ids.effective == id && ids.saved == id;
        self.is_privileged() || (all_are(&target.user, self.user.real) && all_are(&target.group, self.group.real))
    }
}

#[cfg(test)]
mod tests;
