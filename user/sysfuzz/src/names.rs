//! Syscall names for the printed calls: the kernel's table (`kabi::nr`, up to
//! fchmodat2, 452) and the numbers Linux added after it, up to mseal (462).

/// The highest x86-64 Linux syscall number (mseal).
pub const HIGHEST: u64 = 462;

/// Numbers 453..=462, which `kabi::nr` does not name (Kestrel implements none).
const NEWER: [&str; 10] = [
    "map_shadow_stack",
    "futex_wake",
    "futex_wait",
    "futex_requeue",
    "statmount",
    "listmount",
    "lsm_get_self_attr",
    "lsm_set_self_attr",
    "lsm_list_modules",
    "mseal",
];
const FIRST_NEWER: u64 = HIGHEST + 1 - NEWER.len() as u64;

/// The name of syscall `nr`, or `unknown` (the unused 335..=423, anything above 462).
pub fn name(nr: u64) -> &'static str {
    if (FIRST_NEWER..=HIGHEST).contains(&nr) {
        return NEWER[(nr - FIRST_NEWER) as usize];
    }
    usize::try_from(nr).ok().and_then(kabi::nr::name).unwrap_or("unknown")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cover_the_table() {
        assert_eq!(name(0), "read");
        assert_eq!(name(59), "execve");
        assert_eq!(name(169), "reboot");
        assert_eq!(name(452), "fchmodat2");
        assert_eq!(name(453), "map_shadow_stack");
        assert_eq!(name(HIGHEST), "mseal");
        assert_eq!(libc::SYS_mseal as u64, HIGHEST);
        assert_eq!(name(400), "unknown");
        assert_eq!(name(463), "unknown");
        assert_eq!(name(u64::MAX), "unknown");
        assert!(kabi::nr::name(FIRST_NEWER as usize).is_none(), "kabi now names {FIRST_NEWER}: drop it here");
    }
}
