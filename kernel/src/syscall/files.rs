//! File-descriptor syscalls: open/openat, close, read/write and their vector and
//! positional forms, lseek, the stat family, getdents64, ioctl, fcntl, the dup
//! family, pipe/pipe2, access, readlink, getcwd, chdir/fchdir, fsync and
//! sendfile. Reads and writes of sockets go to socket.rs, terminal ioctls to
//! terminal.rs.
use alloc::sync::Arc;
use alloc::vec::Vec;

use kabi::Errno;
use kabi::fs::*;

use super::user::Flow;
use super::{SysResult, socket, user};
use crate::fs::devfs::Device;
use crate::fs::file::OpenFile;
use crate::fs::pipe::{ReadInto, WriteFrom};
use crate::fs::vfs::{self, Node};
use crate::mm::user::UserSlice;
use crate::proc::process::SharedMemory;
use crate::proc::table::{read_current, with_current};

/// Most iovecs per readv/writev (IOV_MAX).
const IOV_MAX: i32 = 1024;
/// Most bytes one read or write moves (Linux's MAX_RW_COUNT).
const MAX_RW_COUNT: usize = 0x7fff_f000;

/// The bytes a read or write of `len` at `buf` moves: at most MAX_RW_COUNT, once
/// the whole buffer the caller named lies in user space (EFAULT otherwise: Linux's
/// access_ok before the count is cut).
fn rw_count(buf: u64, len: usize) -> Result<usize, Errno> {
    crate::mm::user::UserSlice::new(buf, len)?;
    Ok(len.min(MAX_RW_COUNT))
}

pub fn file(fd: i32) -> Result<Arc<OpenFile>, Errno> {
    read_current(|p| p.files.lock().get(fd))
}

/// The open file `fd` and the caller's memory, from one look at the process
/// table (what read and write need).
fn file_and_memory(fd: i32) -> Result<(Arc<OpenFile>, SharedMemory), Errno> {
    read_current(|p| Ok((p.files.lock().get(fd)?, p.memory.clone().ok_or(Errno::EFAULT)?)))
}

/// The directory a *at() path is relative to: the cwd for AT_FDCWD or an absolute
/// path, else the directory open as `dirfd`.
pub fn base_dir(dirfd: i32, path: &[u8]) -> Result<Node, Errno> {
    if path.first() == Some(&b'/') || dirfd == AT_FDCWD {
        return Ok(read_current(|p| p.cwd().clone()));
    }
    let node = file(dirfd)?.node().cloned().ok_or(Errno::ENOTDIR)?;
    if !vfs::is_directory(&node) {
        return Err(Errno::ENOTDIR);
    }
    Ok(node)
}

/// Resolve a *at() path argument.
pub fn resolve_at(dirfd: i32, path: &[u8], follow: bool) -> Result<Node, Errno> {
    vfs::resolve(&base_dir(dirfd, path)?, path, follow)
}

/// Put `file` in the lowest free descriptor (EMFILE at RLIMIT_NOFILE).
pub(super) fn install(file: OpenFile, cloexec: bool) -> SysResult {
    with_current(|p| p.files.lock().insert(p.fd_limit(), Arc::new(file), cloexec)).map(|fd| fd as usize)
}

pub fn openat(dirfd: i32, path: u64, flags: u32, mode: u32) -> SysResult {
    let path = user::read_path(path)?;
    let base = base_dir(dirfd, &path)?;
    let umask = with_current(|p| p.umask());
    let file = vfs::open(&base, &path, flags, mode & !umask & 0o7777)?;
    install(file, flags & O_CLOEXEC != 0)
}

pub fn close(fd: i32) -> SysResult {
    let file = with_current(|p| p.files.lock().close(fd))?;
    drop(file); // with no lock held: a last close may signal processes
    Ok(0)
}

/// RLIMIT_FSIZE: how large the caller may make a file.
fn max_file_size() -> u64 {
    read_current(|p| p.limits().soft(kabi::process::RLIMIT_FSIZE))
}

/// RLIMIT_FSIZE for a write to `file`, which only a file system's files heed
/// (not looked up for devices, pipes and sockets).
fn file_size_limit(file: &OpenFile) -> u64 {
    if file.node().is_some() { max_file_size() } else { u64::MAX }
}

/// A write past RLIMIT_FSIZE raises SIGXFSZ besides failing with EFBIG.
fn file_size_signal(error: &Errno) {
    if *error == Errno::EFBIG {
        crate::proc::lifecycle::raise_on_current(kabi::signal::Signal::SIGXFSZ);
    }
}

/// Sockets keep message boundaries: their reads and writes, vectored or not,
/// go through the socket calls' paths.
fn is_socket(file: &OpenFile) -> bool {
    socket::endpoint_of(file).is_ok()
}

/// How transfers treat `file`: one chunk for pipes and terminals.
fn flow(file: &OpenFile) -> Flow {
    if file.may_block() { Flow::Stream } else { Flow::Whole }
}

pub fn read(fd: i32, buf: u64, len: usize) -> SysResult {
    let (file, memory) = file_and_memory(fd)?;
    if !file.readable() {
        return Err(Errno::EBADF);
    }
    let len = rw_count(buf, len)?;
    if file.device().is_some_and(Device::reads_zeros) {
        return user::zero_out(buf, len);
    }
    if is_socket(&file) {
        return socket::read_socket(&file, alloc::vec![(buf, len)]);
    }
    if let Some(pipe) = file.as_pipe() {
        return pipe.read(ReadInto::User(UserSlice::new(buf, len)?, &*memory), file.nonblocking());
    }
    user::transfer_out(&memory, buf, len, flow(&file), |chunk| file.read(chunk))
}

fn offset_arg(offset: i64) -> Result<u64, Errno> {
    u64::try_from(offset).map_err(|_| Errno::EINVAL)
}

pub fn pread(fd: i32, buf: u64, len: usize, offset: i64) -> SysResult {
    let offset = offset_arg(offset)?;
    let (file, memory) = file_and_memory(fd)?;
    if !file.readable() {
        return Err(Errno::EBADF);
    }
    let mut at = offset;
    user::transfer_out(&memory, buf, rw_count(buf, len)?, Flow::Whole, |chunk| {
        let n = file.read_at(chunk, at)?;
        at += n as u64;
        Ok(n)
    })
}

pub fn write(fd: i32, buf: u64, len: usize) -> SysResult {
    let (file, memory) = file_and_memory(fd)?;
    if !file.writable() {
        return Err(Errno::EBADF);
    }
    let len = rw_count(buf, len)?;
    if let Some(result) = file.device().and_then(|device| device.write_unread(len)) {
        return result;
    }
    if is_socket(&file) {
        return socket::write_socket(&file, alloc::vec![(buf, len)]);
    }
    if let Some(pipe) = file.as_pipe() {
        return pipe.write(WriteFrom::User(UserSlice::new(buf, len)?, &*memory), file.nonblocking());
    }
    let max = file_size_limit(&file);
    let written = match write_straight(&file, UserSlice::new(buf, len)?, max) {
        Some(written) => written,
        None => user::transfer_in(buf, len, |chunk| file.write(chunk, max)),
    };
    written.inspect_err(file_size_signal)
}

/// write(2) of a tmpfs file, straight from user memory into its pages (one copy,
/// as Linux's), a TRANSFER_CHUNK at a time as transfers go: where a copy stops at
/// a page not mapped in yet, that page is mapped in with no lock held and the
/// write goes on. A page that cannot be read ends it (EFAULT if nothing was
/// written). None for other files.
fn write_straight(file: &OpenFile, src: UserSlice, max: u64) -> Option<SysResult> {
    let len = src.len();
    let mut done = 0;
    let mut stalled = false;
    while done < len {
        let piece = src.part(done, user::TRANSFER_CHUNK);
        let n = match file.write_user(piece, max)? {
            Ok(n) => n,
            Err(_) if done > 0 => break,
            Err(e) => return Some(Err(e)),
        };
        done += n;
        if done == len || user::interrupted() {
            break;
        }
        if n < piece.len() {
            // Map in the page the copy stopped at, as a read of it would; a
            // page that cannot be read, or one lost again at once (another
            // thread unmapping it), ends the write.
            let readable = piece.part(n, 1).read_loaded(&mut [0]) == 1;
            if !readable || (n == 0 && stalled) {
                break;
            }
            stalled = n == 0;
        }
    }
    Some(if done == 0 && len > 0 { Err(Errno::EFAULT) } else { Ok(done) })
}

pub fn pwrite(fd: i32, buf: u64, len: usize, offset: i64) -> SysResult {
    let offset = offset_arg(offset)?;
    let file = file(fd)?;
    if !file.writable() {
        return Err(Errno::EBADF);
    }
    let mut at = offset;
    let max = max_file_size();
    user::transfer_in(buf, rw_count(buf, len)?, |chunk| {
        let n = file.write_at(chunk, at, max)?;
        at += n as u64;
        Ok(n)
    })
    .inspect_err(file_size_signal)
}

/// The (base, length) pairs of an iovec array.
pub(super) fn iovecs(iov: u64, count: i32) -> Result<Vec<(u64, usize)>, Errno> {
    if !(0..=IOV_MAX).contains(&count) {
        return Err(Errno::EINVAL);
    }
    let raw = user::copy_in(iov, count as usize * kabi::IoVec::SIZE)?;
    Ok(raw
        .chunks_exact(kabi::IoVec::SIZE)
        .map(|c| {
            let v = kabi::IoVec::from_bytes(c.try_into().unwrap_or(&[0; 16]));
            (v.iov_base, v.iov_len as usize)
        })
        .collect())
}

pub fn readv(fd: i32, iov: u64, count: i32) -> SysResult {
    let vectors = iovecs(iov, count)?;
    let file = file(fd)?;
    if is_socket(&file) {
        return socket::read_socket(&file, vectors);
    }
    let mut total = 0;
    for (base, len) in vectors {
        if len == 0 {
            continue;
        }
        let n = match read(fd, base, len) {
            Ok(n) => n,
            Err(_) if total > 0 => break,
            Err(e) => return Err(e),
        };
        total += n;
        if n < len {
            break;
        }
    }
    Ok(total)
}

/// writev: a vector small enough for one chunk is gathered and written at once
/// (so a pipe gets it atomically, as Linux's does up to PIPE_BUF); a larger one is
/// written iovec by iovec.
pub fn writev(fd: i32, iov: u64, count: i32) -> SysResult {
    let file = file(fd)?;
    if !file.writable() {
        return Err(Errno::EBADF);
    }
    let vectors = iovecs(iov, count)?;
    if is_socket(&file) {
        return socket::write_socket(&file, vectors);
    }
    let total = vectors.iter().try_fold(0usize, |sum, &(_, len)| sum.checked_add(len)).ok_or(Errno::EINVAL)?;
    if total <= user::TRANSFER_CHUNK {
        let mut data = Vec::new();
        data.try_reserve_exact(total).map_err(|_| Errno::ENOMEM)?;
        for (base, len) in vectors {
            data.extend_from_slice(&user::copy_in(base, len)?);
        }
        return file.write(&data, max_file_size()).inspect_err(file_size_signal);
    }
    let mut done = 0;
    for (base, len) in vectors {
        let n = match write(fd, base, len) {
            Ok(n) => n,
            Err(_) if done > 0 => break,
            Err(e) => return Err(e),
        };
        done += n;
        if n < len {
            break;
        }
    }
    Ok(done)
}

pub fn lseek(fd: i32, offset: i64, whence: u32) -> SysResult {
    file(fd)?.seek(offset, whence).map(|o| o as usize)
}

pub fn fstat(fd: i32, out: u64) -> SysResult {
    let stat = file(fd)?.stat();
    user::copy_out(out, &stat.to_bytes()).map(|()| 0)
}

/// The node a stat-like call names: `path` from `dirfd`, or the fd itself for an
/// empty path with AT_EMPTY_PATH.
pub fn stat_target(dirfd: i32, path: u64, flags: u32) -> Result<kabi::Stat, Errno> {
    let path = user::copy_in_path_or_empty(path, flags)?;
    if path.is_empty() {
        return if dirfd == AT_FDCWD {
            Ok(vfs::stat(&read_current(|p| p.cwd().clone())))
        } else {
            Ok(file(dirfd)?.stat())
        };
    }
    Ok(vfs::stat(&resolve_at(dirfd, &path, flags & AT_SYMLINK_NOFOLLOW == 0)?))
}

pub fn fstatat(dirfd: i32, path: u64, out: u64, flags: u32) -> SysResult {
    let stat = stat_target(dirfd, path, flags)?;
    user::copy_out(out, &stat.to_bytes()).map(|()| 0)
}

pub fn getdents64(fd: i32, buf: u64, len: usize) -> SysResult {
    let records = file(fd)?.read_dir(len.min(user::TRANSFER_CHUNK))?;
    user::copy_out(buf, &records).map(|()| records.len())
}

pub fn ioctl(fd: i32, request: u32, arg: u64) -> SysResult {
    use kabi::tty::{FIOCLEX, FIONBIO, FIONCLEX, FIONREAD};
    let file = file(fd)?;
    // The requests every kind of file takes; the rest are terminals'.
    match request {
        FIONREAD => user::copy_out(arg, &(file.bytes_ready() as i32).to_le_bytes()).map(|()| 0),
        FIOCLEX | FIONCLEX => with_current(|p| p.files.lock().set_cloexec(fd, request == FIOCLEX)).map(|()| 0),
        FIONBIO => {
            let on = user::read_array::<4>(arg)? != [0; 4];
            let flags = file.status_flags() & !O_NONBLOCK;
            file.set_status_flags(if on { flags | O_NONBLOCK } else { flags });
            Ok(0)
        }
        _ => super::terminal::ioctl(&file, request, arg),
    }
}

pub fn fcntl(fd: i32, command: u32, arg: u64) -> SysResult {
    let file = file(fd)?;
    match command {
        F_DUPFD | F_DUPFD_CLOEXEC => with_current(|p| {
            let limit = p.fd_limit();
            let min = usize::try_from(arg).ok().filter(|&m| m < limit).ok_or(Errno::EINVAL)?;
            p.files.lock().insert_from(min, limit, file, command == F_DUPFD_CLOEXEC)
        })
        .map(|fd| fd as usize),
        F_GETFD => read_current(|p| p.files.lock().cloexec(fd)).map(|c| if c { FD_CLOEXEC as usize } else { 0 }),
        F_SETFD => with_current(|p| p.files.lock().set_cloexec(fd, arg as u32 & FD_CLOEXEC != 0)).map(|()| 0),
        F_GETFL => Ok(file.status_flags() as usize),
        F_SETFL => {
            file.set_status_flags(arg as u32);
            Ok(0)
        }
        _ => Err(Errno::EINVAL),
    }
}

pub fn dup(fd: i32) -> SysResult {
    let file = file(fd)?;
    with_current(|p| p.files.lock().insert(p.fd_limit(), file, false)).map(|fd| fd as usize)
}

/// dup3 (and dup2, which allows old == new and takes no flags).
pub fn dup3(old: i32, new: i32, flags: u32, is_dup2: bool) -> SysResult {
    let file = file(old)?;
    if old == new {
        return if is_dup2 { Ok(new as usize) } else { Err(Errno::EINVAL) };
    }
    if flags & !O_CLOEXEC != 0 {
        return Err(Errno::EINVAL);
    }
    let replaced = with_current(|p| p.files.lock().install_at(new, p.fd_limit(), file, flags & O_CLOEXEC != 0))?;
    drop(replaced); // with no lock held, as close's
    Ok(new as usize)
}

pub fn pipe2(fds: u64, flags: u32) -> SysResult {
    if flags & !(O_CLOEXEC | O_NONBLOCK) != 0 {
        return Err(Errno::EINVAL);
    }
    let (read_end, write_end) = OpenFile::pipe(flags);
    install_pair(read_end, write_end, flags & O_CLOEXEC != 0, fds)
}

/// Put two new files in the lowest free descriptors and their numbers in the
/// int[2] at `fds` (pipe2, socketpair); on any failure neither stays open.
pub(super) fn install_pair(first: OpenFile, second: OpenFile, cloexec: bool, fds: u64) -> SysResult {
    let (r, w) = with_current(|p| {
        let limit = p.fd_limit();
        let mut files = p.files.lock();
        let r = files.insert(limit, Arc::new(first), cloexec)?;
        match files.insert(limit, Arc::new(second), cloexec) {
            Ok(w) => Ok((r, w)),
            Err(e) => {
                let _ = files.close(r);
                Err(e)
            }
        }
    })?;
    let mut out = [0u8; 8];
    out[..4].copy_from_slice(&r.to_le_bytes());
    out[4..].copy_from_slice(&w.to_le_bytes());
    if let Err(e) = user::copy_out(fds, &out) {
        with_current(|p| {
            let mut files = p.files.lock();
            let _ = files.close(r);
            let _ = files.close(w);
        });
        return Err(e);
    }
    Ok(0)
}

/// access, faccessat and faccessat2: checked as the caller's real uid and gid,
/// or its effective (file-system) ones with AT_EACCESS; AT_SYMLINK_NOFOLLOW
/// checks a final link itself. AT_EMPTY_PATH is not supported (EINVAL).
pub fn faccessat(dirfd: i32, path: u64, mode: u32, flags: u32) -> SysResult {
    if mode & !(R_OK | W_OK | X_OK) != 0 || flags & !(AT_EACCESS | AT_SYMLINK_NOFOLLOW) != 0 {
        return Err(Errno::EINVAL);
    }
    let path = user::read_path(path)?;
    let (follow, effective) = (flags & AT_SYMLINK_NOFOLLOW == 0, flags & AT_EACCESS != 0);
    vfs::access(&base_dir(dirfd, &path)?, &path, follow, mode, effective).map(|()| 0)
}

pub fn readlinkat(dirfd: i32, path: u64, buf: u64, size: usize) -> SysResult {
    if size == 0 {
        return Err(Errno::EINVAL);
    }
    let path = user::read_path(path)?;
    let node = resolve_at(dirfd, &path, false)?;
    if !vfs::is_symlink(&node) {
        return Err(Errno::EINVAL);
    }
    let target = vfs::read_link(&node)?;
    let n = target.len().min(size);
    user::copy_out(buf, &target[..n]).map(|()| n)
}

pub fn getcwd(buf: u64, size: usize) -> SysResult {
    let cwd = read_current(|p| p.cwd().clone());
    let mut path = vfs::path_of(&cwd)?;
    path.push(0);
    if path.len() > size {
        return Err(Errno::ERANGE);
    }
    user::copy_out(buf, &path).map(|()| path.len())
}

fn set_cwd(dir: Node) -> SysResult {
    if !vfs::is_directory(&dir) {
        return Err(Errno::ENOTDIR);
    }
    vfs::check_search(&dir)?;
    with_current(|p| p.fs.lock().cwd = dir);
    Ok(0)
}

pub fn chdir(path: u64) -> SysResult {
    let path = user::read_path(path)?;
    set_cwd(resolve_at(AT_FDCWD, &path, true)?)
}

pub fn fchdir(fd: i32) -> SysResult {
    set_cwd(file(fd)?.node().cloned().ok_or(Errno::ENOTDIR)?)
}

/// fsync/fdatasync: tmpfs data is already where it lives; pipes and terminals
/// cannot be synced (EINVAL, as Linux).
pub fn fsync(fd: i32) -> SysResult {
    if file(fd)?.node().is_some() { Ok(0) } else { Err(Errno::EINVAL) }
}

/// sendfile: copy up to `count` bytes from `in_fd` (at `*offset` if given) to
/// `out_fd`. Data moves through one bounded buffer, a chunk at a time, while each
/// chunk is read and written whole.
pub fn sendfile(out_fd: i32, in_fd: i32, offset: u64, count: usize) -> SysResult {
    let (input, output) = (file(in_fd)?, file(out_fd)?);
    if !input.readable() || !output.writable() {
        return Err(Errno::EBADF);
    }
    let mut at = if offset == 0 { None } else { Some(user::read_u64(offset)?) };
    let count = count.min(MAX_RW_COUNT);
    let mut data = crate::mm::heap::try_zeroed_bytes(count.min(user::TRANSFER_CHUNK))?;
    let mut done = 0;
    while done < count {
        let want = (count - done).min(data.len());
        let read = match at {
            None => input.read(&mut data[..want]),
            Some(position) => input.read_at(&mut data[..want], position),
        };
        let n = match read {
            Ok(n) => n,
            Err(_) if done > 0 => break,
            Err(e) => return Err(e),
        };
        let written = match output.write(&data[..n], max_file_size()).inspect_err(file_size_signal) {
            Ok(w) => w,
            Err(_) if done > 0 => break,
            Err(e) => return Err(e),
        };
        done += written;
        if let Some(position) = at.as_mut() {
            *position += written as u64;
        }
        if written < want || flow(&input) == Flow::Stream || user::interrupted() {
            break;
        }
    }
    if let Some(position) = at {
        user::copy_out(offset, &position.to_le_bytes())?;
    }
    Ok(done)
}
