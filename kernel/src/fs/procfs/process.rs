//! The text of a process's files under /proc/PID (and of its threads' under
//! task/TID): stat, status, cmdline, comm, maps, environ, mounts, mountinfo, in
//! Linux's formats (enough for `ps` and `free`).
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

use crate::time;

use super::super::devfs;
use super::super::processes::{ProcessInfo, processes};
use super::ProcessFile;

/// Clock ticks (USER_HZ, 100 a second) from timer ticks.
fn user_hz(ticks: u64) -> u64 {
    ticks * 100 / u64::from(time::TIMER_HZ)
}

/// The text of process file `file` of `p`.
pub fn text(p: &ProcessInfo, file: ProcessFile) -> Vec<u8> {
    let mut s = String::new();
    match file {
        ProcessFile::Stat => {
            // Linux's 52 fields; those Kestrel does not track are 0.
            let (tty, foreground) = super::super::tty::stat_fields(p.sid);
            let _ = write!(
                s,
                "{} ({}) {} {} {} {} {tty} {foreground} 0 0 0 0 0 {} 0 0 0 {} {} {} 0 {} {} {}",
                p.pid,
                p.name,
                p.state,
                p.ppid,
                p.pgid,
                p.sid,
                user_hz(p.cpu_ticks),
                20 + p.nice,
                p.nice,
                p.threads,
                user_hz(p.start_ticks),
                p.resident_pages * 4096,
                p.resident_pages
            );
            for _ in 0..28 {
                s.push_str(" 0");
            }
            s.push('\n');
        }
        ProcessFile::Status => {
            let state = match p.state {
                'R' => "R (running)",
                'T' => "T (stopped)",
                'Z' => "Z (zombie)",
                _ => "S (sleeping)",
            };
            let (user, group) = (p.creds.user, p.creds.group);
            // Linux ends the Groups line with a space (kept for compatibility).
            let mut groups = p.creds.groups.iter().map(|g| format!("{g}")).collect::<Vec<_>>().join(" ");
            groups.push(' ');
            let _ = write!(
                s,
                "Name:\t{}\nState:\t{state}\nTgid:\t{}\nPid:\t{pid}\nPPid:\t{}\nUid:\t{}\t{}\t{}\t{}\nGid:\t{}\t{}\t{}\t{}\nGroups:\t{}\nVmRSS:\t{} kB\nRssAnon:\t{} kB\nVmPTE:\t{} kB\nThreads:\t{}\n",
                p.name,
                p.tgid,
                p.ppid,
                user.real,
                user.effective,
                user.saved,
                user.fs,
                group.real,
                group.effective,
                group.saved,
                group.fs,
                groups,
                p.resident_pages * 4,
                p.anonymous_pages * 4,
                p.table_frames * 4,
                p.threads,
                pid = p.pid
            );
        }
        ProcessFile::Cmdline => {
            let mut bytes = Vec::new();
            for arg in &p.cmdline {
                bytes.extend_from_slice(arg.as_bytes());
                bytes.push(0);
            }
            return bytes;
        }
        ProcessFile::Comm => {
            let _ = writeln!(s, "{}", p.name);
        }
        ProcessFile::Maps => {
            // start-end perms offset major:minor inode name (a mapped file's
            // device and inode; 0 as Linux shows them for anonymous memory; the
            // offset is where a mapping starts in its file or shared object).
            for r in &p.regions {
                let flag = |on: bool, c: char| if on { c } else { '-' };
                let sharing = if r.shared { 's' } else { 'p' };
                let perms = [flag(r.read, 'r'), flag(r.write, 'w'), flag(r.execute, 'x'), sharing];
                let perms: String = perms.iter().collect();
                let (major, minor) = (devfs::major(r.device), devfs::minor(r.device));
                let line = format!(
                    "{:08x}-{:08x} {perms} {:08x} {major:02x}:{minor:02x} {}",
                    r.start, r.end, r.offset, r.inode
                );
                if r.name.is_empty() {
                    let _ = writeln!(s, "{line}");
                } else {
                    let _ = writeln!(s, "{line:<73}{}", r.name);
                }
            }
        }
        ProcessFile::Environ => return processes().environ(p.tgid).unwrap_or_default(),
        ProcessFile::Mounts => super::system::mounts(&mut s),
        ProcessFile::Mountinfo => super::system::mountinfo(&mut s),
        ProcessFile::Exe => {}
    }
    s.into_bytes()
}
