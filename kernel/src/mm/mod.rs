//! Memory management: physical frames, the kernel heap, address spaces and the
//! shared memory they may map, kernel stacks, and byte queues in frames (pipe
//! contents).
pub mod address_space;
pub mod byte_queue;
pub mod dma;
pub mod file_pages;
pub mod frames;
pub mod heap;
pub mod kstack;
pub mod phys;
pub mod shared;
pub mod user;
