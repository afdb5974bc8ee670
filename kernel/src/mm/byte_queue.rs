//! A byte FIFO kept in whole frames (a pipe's or a socket's contents): frames are taken from
//! the frame allocator as data is written (user-class allocations: never the
//! kernel's reserve, so a full memory gives ENOMEM) and given back as soon as the
//! data in them has been read, so an idle or drained pipe holds no memory.
use alloc::collections::VecDeque;

use kabi::Errno;

use super::address_space::AddressSpace;
use super::frames::{self, FRAME_SIZE};
use super::phys;
use super::user::UserSlice;

const PAGE: usize = FRAME_SIZE as usize;

#[derive(Debug, Default)]
pub struct ByteQueue {
    /// The frames holding data, oldest first.
    frames: VecDeque<u64>,
    /// Where the data starts in the first frame.
    head: usize,
    len: usize,
}

impl ByteQueue {
    pub const fn new() -> Self {
        Self { frames: VecDeque::new(), head: 0, len: 0 }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Where the next byte goes: (frame index, offset in it).
    fn tail(&self) -> (usize, usize) {
        let end = self.head + self.len;
        (end / PAGE, end % PAGE)
    }

    /// Append all of `data`, taking frames as needed; ENOMEM (and nothing
    /// appended) when a frame cannot be had.
    pub fn push(&mut self, data: &[u8]) -> Result<(), Errno> {
        self.push_with(data.len(), |bytes, at| {
            bytes.copy_from_slice(&data[at..at + bytes.len()]);
            Ok(())
        })
    }

    /// Append the bytes of user memory `src` (all accessible) straight into the
    /// queue's frames; ENOMEM (and nothing appended) as `push`.
    pub fn push_from_user(&mut self, src: UserSlice, space: &mut AddressSpace) -> Result<(), Errno> {
        self.push_with(src.len(), |bytes, at| src.part(at, bytes.len()).read(space, bytes))
    }

    /// Append `len` bytes that `fill(bytes, at)` writes, piece by piece, into
    /// the frames (`bytes` are those at `at..` of the appended ones); on an
    /// error nothing is appended.
    fn push_with(
        &mut self,
        len: usize,
        mut fill: impl FnMut(&mut [u8], usize) -> Result<(), Errno>,
    ) -> Result<(), Errno> {
        let (index, offset) = self.tail();
        let needed = (offset + len).div_ceil(PAGE) + index;
        let new_frames = needed.saturating_sub(self.frames.len());
        self.frames.try_reserve(new_frames).map_err(|_| Errno::ENOMEM)?;
        for taken in 0..new_frames {
            match frames::alloc() {
                Some(frame) => self.frames.push_back(frame),
                None => {
                    for _ in 0..taken {
                        self.frames.pop_back().into_iter().for_each(frames::free);
                    }
                    return Err(Errno::ENOMEM);
                }
            }
        }
        let mut done = 0;
        let (mut index, mut offset) = (index, offset);
        while done < len {
            let n = (PAGE - offset).min(len - done);
            if let Err(error) = phys::with_bytes_mut(self.frames[index], offset, n, |bytes| fill(bytes, done)) {
                for _ in 0..new_frames {
                    self.frames.pop_back().into_iter().for_each(frames::free);
                }
                return Err(error);
            }
            done += n;
            (index, offset) = (index + 1, 0);
        }
        self.len += len;
        Ok(())
    }

    /// Copy up to `out.len()` bytes from `skip` bytes in, leaving them queued
    /// (MSG_PEEK); returns how many were copied.
    pub fn peek(&self, skip: usize, out: &mut [u8]) -> usize {
        let count = out.len().min(self.len.saturating_sub(skip));
        let mut done = 0;
        while done < count {
            let at = self.head + skip + done;
            let n = (PAGE - at % PAGE).min(count - done);
            phys::read(self.frames[at / PAGE], at % PAGE, &mut out[done..done + n]);
            done += n;
        }
        done
    }

    /// Drop the first `count` bytes (at most all), freeing the frames emptied.
    pub fn discard(&mut self, count: usize) {
        let count = count.min(self.len);
        self.head += count;
        self.len -= count;
        let emptied = if self.len == 0 { self.frames.len() } else { self.head / PAGE };
        self.frames.drain(..emptied).for_each(frames::free);
        self.head = if self.len == 0 { 0 } else { self.head % PAGE };
    }

    /// Move up to `out.len()` bytes out, freeing the frames emptied; returns how
    /// many moved.
    pub fn pop(&mut self, out: &mut [u8]) -> usize {
        let done = self.peek(0, out);
        self.discard(done);
        done
    }

    /// Move up to `dest.len()` bytes straight into user memory `dest` (all
    /// accessible), freeing the frames emptied; returns how many moved. Bytes
    /// that could not be stored (no frame for the user page) stay queued.
    pub fn pop_to_user(&mut self, dest: UserSlice, space: &mut AddressSpace) -> Result<usize, Errno> {
        let count = dest.len().min(self.len);
        let mut done = 0;
        let mut result = Ok(());
        while done < count && result.is_ok() {
            let at = self.head + done;
            let n = (PAGE - at % PAGE).min(count - done);
            let piece = dest.part(done, n);
            result = phys::with_bytes(self.frames[at / PAGE], at % PAGE, n, |bytes| piece.write(space, bytes));
            done += if result.is_ok() { n } else { 0 };
        }
        self.discard(done);
        if done == 0 { result.map(|()| 0) } else { Ok(done) }
    }
}

impl Drop for ByteQueue {
    fn drop(&mut self) {
        self.frames.drain(..).for_each(frames::free);
    }
}
