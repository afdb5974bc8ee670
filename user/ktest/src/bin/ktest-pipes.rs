//! ktest-pipes: pipes as on Linux: data from a forked child, EOF once the last writer
//! is gone, a write with no reader (SIGPIPE kills by default; EPIPE when ignored),
//! O_NONBLOCK (EAGAIN on empty and full pipes; the capacity is reported, at least
//! 4096), atomic PIPE_BUF writes from two concurrent writers, poll (POLLIN, POLLOUT,
//! POLLHUP, POLLERR, POLLNVAL, timeouts, wake-ups, and a regular file always ready),
//! 1 MiB through a pipe with a checksum, and ESPIPE/EBADF on the ends.
//!
//! Usage: `ktest-pipes [DIR]`: works in DIR/ktest-pipes-PID (default under /tmp).
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::fs::{FileExt, FileTypeExt};
use std::process::ExitCode;
use std::thread;
use std::time::{Duration, Instant};

use ktest::{
    Context, Outcome, Scratch, check, child_check, close_fd, ensure, expect_eq, expect_exit, expect_failure,
    expect_signal, fcntl, pipe, pipe2, read_fd, spawn, text, wait_for, write_fd,
};

const NAME: &str = "pipes";
/// POSIX's PIPE_BUF on Linux: writes up to this size are atomic.
const PIPE_BUF: usize = 4096;
const MESSAGES_PER_WRITER: u32 = 128;
const LARGE_TRANSFER: usize = 1 << 20;
/// How long children wait before acting, so that the parent is blocked by then.
const CHILD_DELAY: Duration = Duration::from_millis(100);
const POLL_TIMEOUT_MS: i32 = 50;
/// The least time a 50 ms poll timeout may measure (the clock may be coarse).
const POLL_TIMEOUT_FLOOR: Duration = Duration::from_millis(40);

/// The byte at `index` of the data the tests send.
fn pattern(index: usize) -> u8 {
    (index % 251) as u8 ^ (index >> 12) as u8
}

/// 64-bit FNV-1a, fed in pieces.
struct Checksum(u64);

impl Checksum {
    fn new() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }

    fn feed(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x100_0000_01b3);
        }
    }
}

fn set_sigpipe(action: libc::sighandler_t) -> Outcome {
    // SAFETY: SIG_DFL and SIG_IGN install no handler code.
    let previous = unsafe { libc::signal(libc::SIGPIPE, action) };
    ensure(previous != libc::SIG_ERR, || format!("signal(SIGPIPE): {}", io::Error::last_os_error()))
}

fn poll_one(fd: RawFd, events: libc::c_short, timeout_ms: libc::c_int) -> io::Result<libc::c_short> {
    let mut entry = libc::pollfd { fd, events, revents: 0 };
    // SAFETY: poll reads and updates the one pollfd `entry`.
    let ready = check(unsafe { libc::poll(&mut entry, 1, timeout_ms) })?;
    if (ready == 1) != (entry.revents != 0) {
        return Err(io::Error::other(format!("poll returned {ready} with revents {:#x}", entry.revents)));
    }
    Ok(entry.revents)
}

/// Poll events by name, such as `POLLIN|POLLHUP` (or `none`).
fn event_names(events: libc::c_short) -> String {
    let names = [
        (libc::POLLIN, "POLLIN"),
        (libc::POLLPRI, "POLLPRI"),
        (libc::POLLOUT, "POLLOUT"),
        (libc::POLLERR, "POLLERR"),
        (libc::POLLHUP, "POLLHUP"),
        (libc::POLLNVAL, "POLLNVAL"),
    ];
    let mut set: Vec<String> =
        names.iter().filter(|(bit, _)| events & bit != 0).map(|(_, name)| name.to_string()).collect();
    let known = names.iter().fold(0, |all, (bit, _)| all | bit);
    if events & !known != 0 {
        set.push(format!("{:#x}", events & !known));
    }
    if set.is_empty() { "none".into() } else { set.join("|") }
}

fn expect_poll(what: &str, fd: RawFd, events: libc::c_short, expected: libc::c_short) -> Outcome {
    let revents = poll_one(fd, events, 0).context(format_args!("poll ({what})"))?;
    expect_eq(&format!("poll: {what}"), event_names(revents), event_names(expected))
}

fn from_child() -> Outcome {
    let message = b"hello through a pipe";
    let (mut reader, writer) = pipe().context("pipe")?;
    let child = spawn(|| child_check("writer", || (&writer).write_all(message).context("write")))?;
    drop(writer);
    let mut received = Vec::new();
    reader.read_to_end(&mut received).context("read")?;
    expect_exit(wait_for(child)?, 0)?;
    expect_eq("read what a child wrote, then EOF", text(&received), text(message))?;

    let (mut reader, writer) = pipe().context("pipe")?;
    let child = spawn(|| {
        thread::sleep(CHILD_DELAY);
        child_check("late writer", || (&writer).write_all(b"last words").context("write"))
    })?;
    drop(writer);
    received.clear();
    reader.read_to_end(&mut received).context("read")?;
    expect_exit(wait_for(child)?, 0)?;
    expect_eq("blocked reader: data, then EOF when the writer exits", text(&received), "last words".into())?;

    let (reader, writer) = pipe2(libc::O_NONBLOCK).context("pipe2")?;
    let second_writer = writer.try_clone().context("dup")?;
    drop(writer);
    let mut buffer = [0; 16];
    expect_failure("read with one of two writers closed", read_fd(reader.as_raw_fd(), &mut buffer), libc::EAGAIN)?;
    drop(second_writer);
    expect_eq("read after the last writer closed", read_fd(reader.as_raw_fd(), &mut buffer).context("read")?, 0)
}

fn no_reader() -> Outcome {
    let (reader, writer) = pipe().context("pipe")?;
    drop(reader);
    let child = spawn(|| {
        child_check("writer", || {
            set_sigpipe(libc::SIG_DFL)?;
            (&writer).write_all(b"nobody reads this").context("write")?;
            Err("the write returned".into())
        })
    })?;
    expect_signal(wait_for(child)?, libc::SIGPIPE)?;
    println!("write with no reader, SIGPIPE default: killed by SIGPIPE");
    set_sigpipe(libc::SIG_IGN)?;
    expect_failure("write with no reader, SIGPIPE ignored", write_fd(writer.as_raw_fd(), b"x"), libc::EPIPE)?;
    expect_poll("write end with no reader", writer.as_raw_fd(), libc::POLLOUT, libc::POLLOUT | libc::POLLERR)
}

fn nonblocking() -> Outcome {
    let (reader, writer) = pipe2(libc::O_NONBLOCK).context("pipe2 O_NONBLOCK")?;
    expect_failure("O_NONBLOCK read of an empty pipe", read_fd(reader.as_raw_fd(), &mut [0; 16]), libc::EAGAIN)?;
    let (plain_reader, _plain_writer) = pipe().context("pipe")?;
    fcntl(plain_reader.as_raw_fd(), libc::F_SETFL, libc::O_NONBLOCK).context("F_SETFL O_NONBLOCK")?;
    expect_failure("read after F_SETFL O_NONBLOCK", read_fd(plain_reader.as_raw_fd(), &mut [0; 16]), libc::EAGAIN)?;

    let mut capacity = 0;
    for chunk in [1024, 1] {
        loop {
            let data: Vec<u8> = (capacity..capacity + chunk).map(pattern).collect();
            match write_fd(writer.as_raw_fd(), &data) {
                Ok(written) => capacity += written,
                Err(err) if err.raw_os_error() == Some(libc::EAGAIN) => break,
                Err(err) => return Err(format!("filling the pipe: {err}")),
            }
        }
    }
    println!("pipe capacity: {capacity} bytes");
    ensure(capacity >= PIPE_BUF, || format!("the pipe holds only {capacity} bytes"))?;
    expect_failure("O_NONBLOCK write to a full pipe", write_fd(writer.as_raw_fd(), b"x"), libc::EAGAIN)?;
    expect_poll("full pipe's write end", writer.as_raw_fd(), libc::POLLOUT, 0)?;

    let mut drained = vec![0; PIPE_BUF];
    expect_eq("read 4096 from the full pipe", read_fd(reader.as_raw_fd(), &mut drained).context("read")?, PIPE_BUF)?;
    expect_poll("write end after reading 4096", writer.as_raw_fd(), libc::POLLOUT, libc::POLLOUT)?;
    let refill: Vec<u8> = (capacity..capacity + PIPE_BUF).map(pattern).collect();
    expect_eq("write 4096 after that", write_fd(writer.as_raw_fd(), &refill).context("write")?, PIPE_BUF)?;
    let mut all = drained;
    let mut buffer = vec![0; 3000];
    loop {
        match read_fd(reader.as_raw_fd(), &mut buffer) {
            Ok(count) => all.extend_from_slice(&buffer[..count]),
            Err(err) if err.raw_os_error() == Some(libc::EAGAIN) => break,
            Err(err) => return Err(format!("draining the pipe: {err}")),
        }
    }
    let wrong = all.iter().enumerate().position(|(index, &byte)| byte != pattern(index));
    ensure(all.len() == capacity + PIPE_BUF && wrong.is_none(), || {
        format!("drained {} bytes (expected {}), first wrong byte {wrong:?}", all.len(), capacity + PIPE_BUF)
    })?;
    println!("drained all {} bytes in order", all.len());
    Ok(())
}

/// A PIPE_BUF-sized message: its sequence number, the writer's id, then the id again.
fn message(writer: u8, sequence: u32) -> Vec<u8> {
    let mut message = vec![writer; PIPE_BUF];
    message[..4].copy_from_slice(&sequence.to_le_bytes());
    message
}

fn atomic_writes() -> Outcome {
    let (mut reader, writer) = pipe().context("pipe")?;
    let writers = [b'A', b'B'].map(|id| {
        spawn(|| {
            child_check("message writer", || {
                for sequence in 0..MESSAGES_PER_WRITER {
                    let written = (&writer).write(&message(id, sequence)).context("write")?;
                    ensure(written == PIPE_BUF, || format!("a {PIPE_BUF}-byte write wrote {written}"))?;
                }
                Ok(())
            })
        })
    });
    drop(writer);
    let mut stream = Vec::new();
    reader.read_to_end(&mut stream).context("read")?;
    for child in writers {
        expect_exit(wait_for(child?)?, 0)?;
    }
    let mut next = [0u32; 2];
    for (index, block) in stream.chunks(PIPE_BUF).enumerate() {
        let id = block[4];
        let writer = usize::from(id.wrapping_sub(b'A'));
        ensure(writer < 2 && block.len() == PIPE_BUF && block[4..].iter().all(|&byte| byte == id), || {
            format!("block {index} of the stream is not one whole message")
        })?;
        let sequence = u32::from_le_bytes(block[..4].try_into().expect("4 bytes"));
        ensure(sequence == next[writer], || {
            format!("message {sequence} of writer {} came as its {}", id as char, next[writer])
        })?;
        next[writer] += 1;
    }
    expect_eq("whole 4096-byte messages from each of two writers", next, [MESSAGES_PER_WRITER; 2])
}

fn polling(scratch: &Scratch) -> Outcome {
    let (mut reader, mut writer) = pipe().context("pipe")?;
    let (read_fd_number, write_fd_number) = (reader.as_raw_fd(), writer.as_raw_fd());
    expect_poll("empty pipe's read end", read_fd_number, libc::POLLIN, 0)?;
    expect_poll("empty pipe's write end", write_fd_number, libc::POLLOUT, libc::POLLOUT)?;
    let started = Instant::now();
    let revents = poll_one(read_fd_number, libc::POLLIN, POLL_TIMEOUT_MS).context("poll")?;
    let waited = started.elapsed();
    ensure(revents == 0 && waited >= POLL_TIMEOUT_FLOOR, || {
        format!("poll with a {POLL_TIMEOUT_MS} ms timeout gave {} after {waited:?}", event_names(revents))
    })?;
    println!("poll with a {POLL_TIMEOUT_MS} ms timeout: none after {} ms", waited.as_millis());

    let child = spawn(|| {
        thread::sleep(CHILD_DELAY);
        child_check("writer", || (&writer).write_all(b"x").context("write"))
    })?;
    let woken = poll_one(read_fd_number, libc::POLLIN, 10_000).context("poll")?;
    expect_exit(wait_for(child)?, 0)?;
    expect_eq("poll blocked until a child wrote", event_names(woken), event_names(libc::POLLIN))?;
    writer.write_all(b"y").context("write")?;
    drop(writer);
    expect_poll("read end with data, writer closed", read_fd_number, libc::POLLIN, libc::POLLIN | libc::POLLHUP)?;
    let mut data = Vec::new();
    reader.read_to_end(&mut data).context("read")?;
    expect_poll("read end drained, writer closed", read_fd_number, libc::POLLIN, libc::POLLHUP)?;
    expect_poll("a closed descriptor", write_fd_number, libc::POLLIN, libc::POLLNVAL)?;

    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(scratch.join("polled"))
        .context("open")?;
    let both = libc::POLLIN | libc::POLLOUT;
    expect_poll("an empty regular file", file.as_raw_fd(), both, both)?;
    (&file).write_all(b"data").context("write")?;
    expect_poll("a regular file with data", file.as_raw_fd(), both, both)
}

fn large_transfer() -> Outcome {
    let (mut reader, writer) = pipe().context("pipe")?;
    let data: Vec<u8> = (0..LARGE_TRANSFER).map(pattern).collect();
    let mut expected = Checksum::new();
    expected.feed(&data);
    let child = spawn(|| {
        child_check("writer", || {
            let mut sent = 0;
            for size in (1..).map(|step: usize| step * 997 % 8191 + 1) {
                let end = (sent + size).min(data.len());
                (&writer).write_all(&data[sent..end]).context("write")?;
                sent = end;
                if sent == data.len() {
                    return Ok(());
                }
            }
            unreachable!("the sizes never end")
        })
    })?;
    drop(writer);
    let mut received = Checksum::new();
    let (mut total, mut reads) = (0, 0);
    let mut buffer = vec![0; 65536];
    loop {
        let size = (reads * 1531 % 65535) + 1;
        let count = reader.read(&mut buffer[..size]).context("read")?;
        if count == 0 {
            break;
        }
        received.feed(&buffer[..count]);
        total += count;
        reads += 1;
    }
    expect_exit(wait_for(child)?, 0)?;
    ensure(total == LARGE_TRANSFER && received.0 == expected.0, || {
        format!("received {total} bytes with checksum {:#x}, sent {LARGE_TRANSFER} with {:#x}", received.0, expected.0)
    })?;
    println!("1 MiB through a pipe in {reads} reads: checksum {:#018x} matches", received.0);
    Ok(())
}

fn end_errors() -> Outcome {
    let (mut reader, writer) = pipe().context("pipe")?;
    ensure(reader.metadata().context("fstat")?.file_type().is_fifo(), || "fstat of a pipe is not S_IFIFO".into())?;
    println!("fstat of a pipe: S_IFIFO");
    let mode =
        |end: &File| fcntl(end.as_raw_fd(), libc::F_GETFL, 0).context("F_GETFL").map(|flags| flags & libc::O_ACCMODE);
    expect_eq("F_GETFL access modes of the ends", (mode(&reader)?, mode(&writer)?), (libc::O_RDONLY, libc::O_WRONLY))?;
    expect_failure("lseek on a pipe", reader.seek(SeekFrom::Start(0)), libc::ESPIPE)?;
    expect_failure("pread on a pipe", reader.read_at(&mut [0; 4], 0), libc::ESPIPE)?;
    expect_failure("read from the write end", read_fd(writer.as_raw_fd(), &mut [0; 4]), libc::EBADF)?;
    expect_failure("write to the read end", write_fd(reader.as_raw_fd(), b"x"), libc::EBADF)?;
    let closed = writer.as_raw_fd();
    drop(writer);
    expect_failure("close a closed write end", close_fd(closed), libc::EBADF)
}

fn pipes_test() -> Outcome {
    let scratch = Scratch::create(NAME)?;
    from_child()?;
    no_reader()?;
    nonblocking()?;
    atomic_writes()?;
    polling(&scratch)?;
    large_transfer()?;
    end_errors()?;
    scratch.remove()
}

fn main() -> ExitCode {
    ktest::run(NAME, pipes_test)
}
