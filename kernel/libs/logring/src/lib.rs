//! The kernel log as pure logic: a ring of records in a fixed byte buffer
//! (`ring`), the text forms syslog(2) and /dev/kmsg give them and the `<N>`
//! prefix of a written line (`text`), and the log with syslog(2)'s cursors
//! (`log`: the unread cursor of READ, the clear cursor of READ_ALL and CLEAR).
//! The kernel keeps one `Log` under a lock and adds the waiting and the copies
//! to user memory.
#![cfg_attr(not(test), no_std)]

extern crate alloc;

pub mod log;
pub mod ring;
pub mod text;

pub use log::{KmsgRead, Log};
pub use ring::{Cursor, Lost, Record, Ring, TEXT_MAX};
