//! System information and control: uname, sysinfo, getrandom, the host name,
//! reboot and resource limits.
use kabi::{Errno, Sysinfo, Utsname};

use super::{SysResult, user};
use crate::{time, uts};

pub fn uname(out: u64) -> SysResult {
    crate::ktest::panic_in_syscall_if_asked("uname");
    let field = Utsname::text_field;
    let uts = Utsname {
        sysname: field(uts::SYSNAME.as_bytes()),
        nodename: field(&uts::hostname()),
        release: field(uts::RELEASE.as_bytes()),
        version: field(uts::VERSION.as_bytes()),
        machine: field(uts::MACHINE.as_bytes()),
        domainname: field(b"(none)"),
    };
    user::copy_out(out, &uts.to_bytes()).map(|()| 0)
}

/// getrandom: as Linux, at most 32 MiB - 1 per call, moved a chunk at a time.
pub fn getrandom(buf: u64, len: usize) -> SysResult {
    user::transfer_out(&user::caller_memory()?, buf, len.min((32 << 20) - 1), user::Flow::Whole, |chunk| {
        crate::arch::random::fill(chunk);
        Ok(chunk.len())
    })
}

/// sysinfo: uptime, memory (in bytes: mem_unit 1) and the number of processes.
pub fn sysinfo(out: u64) -> SysResult {
    let frames = crate::mm::frames::stats();
    let info = Sysinfo {
        uptime: (time::uptime_ns() / 1_000_000_000) as i64,
        totalram: frames.total * 4096,
        freeram: frames.free * 4096,
        procs: crate::proc::table::with_table(|t| t.procs.len()) as u16,
        mem_unit: 1,
        ..Sysinfo::default()
    };
    user::copy_out(out, &info.to_bytes()).map(|()| 0)
}

/// sethostname: root only (EPERM), at most 64 bytes (EINVAL); the name uname
/// and /proc/sys/kernel/hostname report.
pub fn sethostname(name: u64, len: usize) -> SysResult {
    if !super::ids::caller_is_privileged() {
        return Err(Errno::EPERM);
    }
    if len > uts::HOST_NAME_MAX {
        return Err(Errno::EINVAL);
    }
    uts::set_hostname(user::copy_in(name, len)?);
    Ok(0)
}

const REBOOT_MAGIC1: u32 = 0xfee1_dead;
const REBOOT_MAGIC2: [u32; 4] = [672_274_793, 85_072_278, 369_367_448, 537_993_216];
const REBOOT_CMD_RESTART: u32 = 0x0123_4567;
const REBOOT_CMD_HALT: u32 = 0xcdef_0123;
const REBOOT_CMD_POWER_OFF: u32 = 0x4321_fedc;

/// reboot(2): restart, halt or power off (root only: EPERM).
pub fn reboot(magic1: u32, magic2: u32, command: u32) -> SysResult {
    if !super::ids::caller_is_privileged() {
        return Err(Errno::EPERM);
    }
    if magic1 != REBOOT_MAGIC1 || !REBOOT_MAGIC2.contains(&magic2) {
        return Err(Errno::EINVAL);
    }
    match command {
        REBOOT_CMD_RESTART => {
            log::info!("reboot: restarting the system");
            crate::arch::power::reset();
        }
        REBOOT_CMD_POWER_OFF => {
            log::info!("reboot: power down");
            crate::arch::power::power_off();
            log::warn!("reboot: ACPI power-off did not take; halting");
        }
        REBOOT_CMD_HALT => log::info!("reboot: system halted"),
        _ => return Err(Errno::EINVAL),
    }
    crate::arch::cpu::halt_forever()
}

/// getrlimit: the caller's limit of `resource` (a NULL `out` is EFAULT here,
/// while prlimit64 takes NULL as "not wanted").
pub fn getrlimit(resource: u32, out: u64) -> SysResult {
    let limit = crate::proc::table::with_current(|p| p.limits().get(resource))?;
    user::copy_out(out, &limit.to_bytes()).map(|()| 0)
}

/// setrlimit: change the caller's limit (a NULL pointer is EFAULT).
pub fn setrlimit(resource: u32, new: u64) -> SysResult {
    let limit = kabi::Rlimit::from_bytes(&user::read_array(new)?);
    crate::proc::table::with_current(|p| {
        let mut group = p.group();
        let privileged = group.creds.is_privileged();
        group.limits.set(resource, limit, privileged)
    })
    .map(|()| 0)
}

/// prlimit64: read and change the limits of the caller or of another process
/// (EPERM for another user's, without privilege). The new value is read and
/// checked before anything changes; the old one is returned through `old`.
pub fn prlimit(pid: i32, resource: u32, new: u64, old: u64) -> SysResult {
    let new = if new == 0 { None } else { Some(kabi::Rlimit::from_bytes(&user::read_array(new)?)) };
    let target = match pid {
        0 => crate::proc::table::current_pid(),
        p if p > 0 => p as u32,
        _ => return Err(Errno::ESRCH),
    };
    let previous = crate::proc::table::with_table(|t| {
        let me = t.current_process().map(|p| p.creds()).expect("a process");
        let p = t.procs.get_mut(&target).ok_or(Errno::ESRCH)?;
        if !me.may_change_limits_of(&p.creds()) {
            return Err(Errno::EPERM);
        }
        let previous = p.limits().get(resource)?;
        if let Some(limit) = new {
            p.group().limits.set(resource, limit, me.is_privileged())?;
        }
        Ok(previous)
    })?;
    user::copy_out_optional(old, &previous.to_bytes()).map(|()| 0)
}
