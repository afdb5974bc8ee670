//! A process's file-descriptor table: small integers naming shared open files,
//! each with its close-on-exec flag. fork copies the table (the files are shared,
//! offsets too, as on Linux). What closing takes out is handed back, for the
//! caller to drop once it holds no lock: the last close of a file may signal
//! processes (a pty's master hangs up its slave).
use alloc::sync::Arc;
use alloc::vec::Vec;

use kabi::Errno;

use super::file::OpenFile;

/// Most descriptors a process may have open: the highest RLIMIT_NOFILE allowed
/// (Linux's default nr_open is far higher; the default soft limit is 1024).
pub const MAX_FDS: usize = 4096;

#[derive(Debug, Clone)]
struct Slot {
    file: Arc<OpenFile>,
    cloexec: bool,
}

#[derive(Debug, Clone, Default)]
pub struct FdTable {
    slots: Vec<Option<Slot>>,
}

impl FdTable {
    /// Every open descriptor and its file, ascending.
    pub fn open_files(&self) -> Vec<(i32, Arc<OpenFile>)> {
        let slots = self.slots.iter().enumerate();
        slots.filter_map(|(fd, slot)| Some((fd as i32, slot.as_ref()?.file.clone()))).collect()
    }

    /// stdin, stdout and stderr on the console, as init gets them.
    pub fn with_console() -> Self {
        let console = Arc::new(OpenFile::console());
        let slot = Some(Slot { file: console, cloexec: false });
        Self { slots: alloc::vec![slot.clone(), slot.clone(), slot] }
    }

    pub fn get(&self, fd: i32) -> Result<Arc<OpenFile>, Errno> {
        self.slot(fd).map(|s| s.file.clone())
    }

    fn slot(&self, fd: i32) -> Result<&Slot, Errno> {
        usize::try_from(fd).ok().and_then(|i| self.slots.get(i)).and_then(Option::as_ref).ok_or(Errno::EBADF)
    }

    /// Install `file` at the lowest free descriptor >= `min` and below `limit`
    /// (RLIMIT_NOFILE): EMFILE when there is none.
    pub fn insert_from(&mut self, min: usize, limit: usize, file: Arc<OpenFile>, cloexec: bool) -> Result<i32, Errno> {
        let limit = limit.min(MAX_FDS);
        let index = (min..limit).find(|&i| self.slots.get(i).is_none_or(Option::is_none)).ok_or(Errno::EMFILE)?;
        if index >= self.slots.len() {
            self.slots.resize(index + 1, None);
        }
        self.slots[index] = Some(Slot { file, cloexec });
        Ok(index as i32)
    }

    pub fn insert(&mut self, limit: usize, file: Arc<OpenFile>, cloexec: bool) -> Result<i32, Errno> {
        self.insert_from(0, limit, file, cloexec)
    }

    /// Put `file` at exactly `fd`, below `limit`, closing what was there
    /// (dup2/dup3; returned); EBADF past the limit.
    pub fn install_at(
        &mut self,
        fd: i32,
        limit: usize,
        file: Arc<OpenFile>,
        cloexec: bool,
    ) -> Result<Option<Arc<OpenFile>>, Errno> {
        let index = usize::try_from(fd).ok().filter(|&i| i < limit.min(MAX_FDS)).ok_or(Errno::EBADF)?;
        if index >= self.slots.len() {
            self.slots.resize(index + 1, None);
        }
        Ok(self.slots[index].replace(Slot { file, cloexec }).map(|slot| slot.file))
    }

    /// Closes `fd`, returning its file.
    pub fn close(&mut self, fd: i32) -> Result<Arc<OpenFile>, Errno> {
        self.slot(fd)?;
        self.slots[fd as usize].take().map(|slot| slot.file).ok_or(Errno::EBADF)
    }

    pub fn cloexec(&self, fd: i32) -> Result<bool, Errno> {
        self.slot(fd).map(|s| s.cloexec)
    }

    pub fn set_cloexec(&mut self, fd: i32, cloexec: bool) -> Result<(), Errno> {
        self.slot(fd)?;
        if let Some(slot) = self.slots[fd as usize].as_mut() {
            slot.cloexec = cloexec;
        }
        Ok(())
    }

    /// execve: close every descriptor marked close-on-exec, returning their files.
    pub fn close_on_exec(&mut self) -> Vec<Arc<OpenFile>> {
        let closing = self.slots.iter_mut().filter(|slot| slot.as_ref().is_some_and(|s| s.cloexec));
        closing.filter_map(|slot| slot.take()).map(|slot| slot.file).collect()
    }
}
