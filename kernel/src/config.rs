//! The kernel's settings, from the command line GRUB passes: `init=PATH` (the
//! first program, default /sbin/init), `test=NAME` (a boot-test mode),
//! `norandmaps` (no address-space layout randomization, as on Linux), `noapic`
//! (the 8259 PICs and the PIT instead of the APICs, as on Linux),
//! `lapic=notscdeadline` (the APIC timer stays periodic, as on Linux), `profile=SHIFT`
//! (the kernel's sampling profiler, profile.rs), and the words after `--`
//! (init's arguments). Unknown options get a warning.
use kcmdline::CommandLine;

pub const DEFAULT_INIT: &str = "/sbin/init";

#[derive(Debug, Clone, Copy)]
pub struct Config {
    pub cmdline: &'static str,
    pub init: &'static str,
    pub test: Option<&'static str>,
    /// Whether new programs get randomized addresses (not with `norandmaps`).
    pub randomize: bool,
    /// Whether the 8259s and the PIT are used even when APICs exist (`noapic`).
    pub noapic: bool,
    /// Whether the APIC timer may use TSC-deadline mode (`lapic=notscdeadline`
    /// keeps it periodic, as on Linux).
    pub tsc_deadline: bool,
    /// The profiler's bucket size, as a power of two (`profile=SHIFT`).
    pub profile: Option<u32>,
}

const KNOWN_OPTIONS: [&str; 6] = ["init", "test", "norandmaps", "noapic", "lapic", "profile"];

static CONFIG: spin::Once<Config> = spin::Once::new();

pub fn init(cmdline: &'static str) -> &'static Config {
    CONFIG.call_once(|| {
        let parsed = CommandLine::parse(cmdline);
        for opt in parsed.options() {
            if !KNOWN_OPTIONS.contains(&opt.key) {
                log::warn!("unknown kernel option '{}' ignored", opt.key);
            }
        }
        Config {
            cmdline,
            init: parsed.value("init").unwrap_or(DEFAULT_INIT),
            test: parsed.value("test"),
            randomize: !parsed.has("norandmaps"),
            noapic: parsed.has("noapic"),
            tsc_deadline: match parsed.value("lapic") {
                None => true,
                Some("notscdeadline") => false,
                Some(other) => {
                    log::warn!("lapic={other}: only lapic=notscdeadline is known; ignored");
                    true
                }
            },
            profile: parsed.value("profile").and_then(|shift| match shift.parse() {
                Ok(shift) if shift <= crate::profile::MAX_SHIFT => Some(shift),
                _ => {
                    log::warn!(
                        "profile={shift}: not a bucket shift from 0 to {}; the profiler stays off",
                        crate::profile::MAX_SHIFT
                    );
                    None
                }
            }),
        }
    })
}

/// The settings; before `init` (very early faults) the defaults.
pub fn get() -> Config {
    CONFIG.get().copied().unwrap_or(Config {
        cmdline: "",
        init: DEFAULT_INIT,
        test: None,
        randomize: true,
        noapic: false,
        tsc_deadline: true,
        profile: None,
    })
}

/// init's argv[1..]: the words after `--`.
pub fn init_args() -> impl Iterator<Item = &'static str> {
    CommandLine::parse(get().cmdline).init_args()
}
