//! ioctl on terminals (fs/tty.rs): settings, window size, job control and the
//! controlling terminal, flushing, and a pty master's own requests (its slave's
//! number, lock and a file of it), and a virtual console's (switching consoles,
//! the keyboard's type). A pty's master acts on its slave's terminal, as
//! Linux's does; a hung-up terminal answers EIO (TIOCSPGRP: ENOTTY).
use alloc::sync::Arc;

use kabi::fs::{O_ACCMODE, O_CLOEXEC, O_NOCTTY, O_NONBLOCK};
use kabi::tty::*;
use kabi::{Errno, Termios, Winsize};

use super::files::install;
use super::{SysResult, user};
use crate::console::VT_COUNT;
use crate::fs::devfs::Device;
use crate::fs::file::{OpenFile, Origin};
use crate::fs::pty::{self, Pty};
use crate::fs::tty;

fn write_i32(arg: u64, value: i32) -> SysResult {
    user::copy_out(arg, &value.to_le_bytes()).map(|()| 0)
}

fn read_i32(arg: u64) -> Result<i32, Errno> {
    user::read_array::<4>(arg).map(i32::from_le_bytes)
}

/// A terminal request `request` on `file` (ENOTTY for other files and requests).
pub fn ioctl(file: &OpenFile, request: u32, arg: u64) -> SysResult {
    let terminal = file.terminal().ok_or(Errno::ENOTTY)?;
    if let Some(Device::Vt(_)) = file.device()
        && let Some(result) = console_ioctl(request, arg)
    {
        return result;
    }
    let pty = pty::side_of(file);
    let from_master = matches!(pty, Some((_, true)));
    if let Some((pty, true)) = pty
        && let Some(result) = master_ioctl(pty, request, arg)
    {
        return result;
    }
    if terminal.hung_up() {
        return Err(if request == TIOCSPGRP { Errno::ENOTTY } else { Errno::EIO });
    }
    match request {
        TCGETS => user::copy_out(arg, &terminal.termios().to_bytes()).map(|()| 0),
        TCSETS | TCSETSW | TCSETSF => {
            let termios = Termios::from_bytes(&user::read_array::<{ Termios::SIZE }>(arg)?);
            terminal.set_termios(&termios, request == TCSETSF);
            Ok(0)
        }
        TIOCGWINSZ => user::copy_out(arg, &terminal.window_size().to_bytes()).map(|()| 0),
        TIOCSWINSZ => {
            terminal.set_window_size(Winsize::from_bytes(&user::read_array::<{ Winsize::SIZE }>(arg)?));
            Ok(0)
        }
        TIOCGPGRP => write_i32(arg, terminal.foreground_group(from_master)? as i32),
        TIOCSPGRP => {
            let pgid = u32::try_from(read_i32(arg)?).map_err(|_| Errno::EINVAL)?;
            terminal.set_foreground_group(pgid).map(|()| 0)
        }
        TIOCGSID => write_i32(arg, terminal.session_id(from_master)? as i32),
        TIOCSCTTY => terminal.make_controlling(arg == 1, file.readable()).map(|()| 0),
        TIOCNOTTY => terminal.give_up_controlling().map(|()| 0),
        // The input side is what a terminal's readers get: for a pty's master,
        // its slave's output.
        TCFLSH => {
            let (input, output) = match arg as u32 {
                TCIFLUSH => (true, false),
                TCOFLUSH => (false, true),
                TCIOFLUSH => (true, true),
                _ => return Err(Errno::EINVAL),
            };
            let (slave_input, slave_output) = if from_master { (output, input) } else { (input, output) };
            if slave_input {
                terminal.flush_input();
            }
            if slave_output && let Some((pty, _)) = pty {
                pty.flush_output();
            }
            Ok(0)
        }
        TCSBRK | TCXONC => Ok(0),
        _ => Err(Errno::ENOTTY),
    }
}

/// The requests only a virtual console takes (any of them: they are about the
/// screen and keyboard they share); None for the others.
fn console_ioctl(request: u32, arg: u64) -> Option<SysResult> {
    // The console a VT_ACTIVATE or VT_WAITACTIVE argument names (1-based).
    let console = |arg: u64| match usize::try_from(arg) {
        Ok(n @ 1..=VT_COUNT) => Ok(n - 1),
        _ => Err(Errno::ENXIO),
    };
    Some(match request {
        VT_GETSTATE => {
            // struct vt_stat: the visible console, v_signal (unused), and a bit
            // for each console in use (all of them, from bit 1).
            let active = crate::console::active_vt() as u16 + 1;
            let in_use = ((1u16 << VT_COUNT) - 1) << 1;
            let bytes: alloc::vec::Vec<u8> = [active, 0, in_use].iter().flat_map(|v| v.to_le_bytes()).collect();
            user::copy_out(arg, &bytes).map(|()| 0)
        }
        VT_ACTIVATE => console(arg).map(|index| {
            tty::switch_vt(index);
            0
        }),
        VT_WAITACTIVE => console(arg).and_then(tty::wait_visible).map(|()| 0),
        KDGKBTYPE => user::copy_out(arg, &[KB_101]).map(|()| 0),
        KDGKBMODE => write_i32(arg, K_UNICODE),
        _ => return None,
    })
}

/// The requests only a pty's master takes; None for the others.
fn master_ioctl(pty: &Arc<Pty>, request: u32, arg: u64) -> Option<SysResult> {
    Some(match request {
        TIOCGPTN => write_i32(arg, pty.index() as i32),
        TIOCSPTLCK => read_i32(arg).map(|lock| {
            pty.set_locked(lock != 0);
            0
        }),
        TIOCGPTLCK => write_i32(arg, i32::from(pty.locked())),
        TIOCGPTPEER => open_peer(pty, arg as u32),
        _ => return None,
    })
}

/// TIOCGPTPEER: the slave, opened with `flags` (the access mode, O_NOCTTY,
/// O_NONBLOCK, O_CLOEXEC), in a new descriptor.
fn open_peer(pty: &Arc<Pty>, flags: u32) -> SysResult {
    if flags & !(O_ACCMODE | O_NOCTTY | O_NONBLOCK | O_CLOEXEC) != 0 {
        return Err(Errno::EINVAL);
    }
    let kind = pty::open_slave(pty, flags, false)?;
    let file = OpenFile::new(kind, flags).with_origin(Origin::Path(pty.path()));
    install(file, flags & O_CLOEXEC != 0)
}
