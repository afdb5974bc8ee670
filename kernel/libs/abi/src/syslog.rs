//! syslog(2)'s actions (man 2 syslog; Linux's SYSLOG_ACTION_*) and the kernel
//! log's levels and facilities, shared by the kernel and `dmesg`.

pub const SYSLOG_ACTION_CLOSE: i32 = 0;
pub const SYSLOG_ACTION_OPEN: i32 = 1;
pub const SYSLOG_ACTION_READ: i32 = 2;
pub const SYSLOG_ACTION_READ_ALL: i32 = 3;
pub const SYSLOG_ACTION_READ_CLEAR: i32 = 4;
pub const SYSLOG_ACTION_CLEAR: i32 = 5;
pub const SYSLOG_ACTION_CONSOLE_OFF: i32 = 6;
pub const SYSLOG_ACTION_CONSOLE_ON: i32 = 7;
pub const SYSLOG_ACTION_CONSOLE_LEVEL: i32 = 8;
pub const SYSLOG_ACTION_SIZE_UNREAD: i32 = 9;
pub const SYSLOG_ACTION_SIZE_BUFFER: i32 = 10;

/// The levels, most urgent first (KERN_EMERG 0 .. KERN_DEBUG 7), by their
/// names in dmesg and syslog.
pub const LEVEL_NAMES: [&str; 8] = ["emerg", "alert", "crit", "err", "warn", "notice", "info", "debug"];

/// The facilities a record may have, by their names in dmesg (LOG_KERN 0 ..
/// LOG_LOCAL7 23).
pub const FACILITY_NAMES: [&str; 24] = [
    "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp", "res0",
    "res1", "res2", "res3", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7",
];
