//! Context switches (lmbench's lat_ctx with no working set): a token of one byte
//! goes round a ring of 2 or 16 processes joined by pipes; each pass is one
//! switch. And one-byte ping-pongs between two processes (a switch each way) over
//! two pipes and over an AF_UNIX stream socket pair (lmbench's lat_pipe, lat_unix).
use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{FromRawFd, OwnedFd};

use ktest::{Context, Outcome, child_check, ensure, expect_exit, pipe, spawn, wait_for};

use crate::{FILL, report, seconds_each};

const LAPS: u32 = 2_000;
const PING_PONGS: u32 = 20_000;

/// A token of one byte goes round `members.len()` processes, this one first and
/// then one child per further member: member i reads it from `members[i].0` and
/// writes it to `members[i].1`. The time of one lap, over `laps` laps.
fn lap_time(members: &[(&File, &File)], laps: u32) -> Result<f64, String> {
    let mut children = Vec::new();
    for &(from, to) in &members[1..] {
        children.push(spawn(|| {
            child_check("ring member", || {
                let mut token = [0];
                for lap in 0..laps {
                    (&*from).read_exact(&mut token).context(format_args!("read lap {lap}"))?;
                    (&*to).write_all(&token).context(format_args!("write lap {lap}"))?;
                }
                Ok(())
            })
        })?);
    }
    let (from, to) = members[0];
    let mut token = [0];
    let seconds = seconds_each(laps, || {
        (&*to).write_all(&[FILL]).context("write the token")?;
        (&*from).read_exact(&mut token).context("read the token")?;
        ensure(token[0] == FILL, || format!("the token is {:#x}", token[0]))
    })?;
    for child in children {
        expect_exit(wait_for(child)?, 0)?;
    }
    Ok(seconds)
}

/// `processes` processes in a ring of pipes: the time of one pass (a switch).
fn ring(processes: usize) -> Result<f64, String> {
    let pipes = (0..processes).map(|_| pipe().context("pipe")).collect::<Result<Vec<_>, _>>()?;
    let members: Vec<(&File, &File)> =
        (0..processes).map(|member| (&pipes[member].0, &pipes[(member + 1) % processes].1)).collect();
    Ok(lap_time(&members, LAPS)? / processes as f64)
}

/// socketpair(AF_UNIX, SOCK_STREAM): the two ends.
fn socket_pair() -> Result<(File, File), String> {
    let mut fds = [0; 2];
    // SAFETY: socketpair stores two descriptors into the two-element `fds`.
    let result = unsafe { libc::socketpair(libc::AF_UNIX, libc::SOCK_STREAM, 0, fds.as_mut_ptr()) };
    ensure(result == 0, || format!("socketpair: {}", std::io::Error::last_os_error()))?;
    // SAFETY: both descriptors are new and owned by nothing else.
    Ok(unsafe { (File::from(OwnedFd::from_raw_fd(fds[0])), File::from(OwnedFd::from_raw_fd(fds[1]))) })
}

pub fn figures() -> Outcome {
    let (ping_reader, ping_writer) = pipe().context("pipe")?;
    let (pong_reader, pong_writer) = pipe().context("pipe")?;
    let seconds = lap_time(&[(&pong_reader, &ping_writer), (&ping_reader, &pong_writer)], PING_PONGS)?;
    report("pipe_ping_pong", seconds * 1e6, "us");
    let (mine, theirs) = socket_pair()?;
    report("unix_ping_pong", lap_time(&[(&mine, &mine), (&theirs, &theirs)], PING_PONGS)? * 1e6, "us");
    report("context_switch_2", ring(2)? * 1e6, "us");
    report("context_switch_16", ring(16)? * 1e6, "us");
    Ok(())
}
