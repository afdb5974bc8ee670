//! syslog(2) (klogctl): the kernel log buffer's actions, as Linux's do_syslog
//! with dmesg_restrict 0: anyone may READ_ALL and ask SIZE_BUFFER, the rest
//! (and unknown actions) need root (EPERM).
use kabi::Errno;
use kabi::syslog::*;

use super::{SysResult, ids, user};
use crate::logbuf;

pub fn syslog(action: i32, buf: u64, len: i32) -> SysResult {
    let open_to_all = matches!(action, SYSLOG_ACTION_READ_ALL | SYSLOG_ACTION_SIZE_BUFFER);
    if !open_to_all && !ids::caller_is_privileged() {
        return Err(Errno::EPERM);
    }
    match action {
        SYSLOG_ACTION_CLOSE | SYSLOG_ACTION_OPEN => Ok(0),
        SYSLOG_ACTION_READ => {
            let Some(size) = buffer_size(buf, len)? else { return Ok(0) };
            let text = logbuf::added()
                .wait_until(|| logbuf::with(|log| log.has_unread().then(|| log.read(size))))
                .map_err(|_| Errno::EINTR)?;
            user::copy_out(buf, &text).map(|()| text.len())
        }
        SYSLOG_ACTION_READ_ALL | SYSLOG_ACTION_READ_CLEAR => {
            let Some(size) = buffer_size(buf, len)? else { return Ok(0) };
            let text = logbuf::with(|log| log.read_all(size, action == SYSLOG_ACTION_READ_CLEAR));
            user::copy_out(buf, &text).map(|()| text.len())
        }
        SYSLOG_ACTION_CLEAR => {
            logbuf::with(|log| log.clear());
            Ok(0)
        }
        SYSLOG_ACTION_CONSOLE_OFF => {
            logbuf::console_off();
            Ok(0)
        }
        SYSLOG_ACTION_CONSOLE_ON => {
            logbuf::console_on();
            Ok(0)
        }
        SYSLOG_ACTION_CONSOLE_LEVEL => {
            if !(1..=8).contains(&len) {
                return Err(Errno::EINVAL);
            }
            logbuf::set_console_level(len);
            Ok(0)
        }
        SYSLOG_ACTION_SIZE_UNREAD => Ok(logbuf::with(|log| log.size_unread())),
        SYSLOG_ACTION_SIZE_BUFFER => Ok(logbuf::SIZE),
        _ => Err(Errno::EINVAL),
    }
}

/// A read's buffer: EINVAL without one or with a negative length, None for 0 bytes.
fn buffer_size(buf: u64, len: i32) -> Result<Option<usize>, Errno> {
    if buf == 0 || len < 0 {
        return Err(Errno::EINVAL);
    }
    Ok((len > 0).then_some(len as usize))
}
