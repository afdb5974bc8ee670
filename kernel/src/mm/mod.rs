//! Memory management: physical frames, the kernel heap, address spaces and kernel
//! stacks.
pub mod address_space;
pub mod file_pages;
pub mod frames;
pub mod heap;
pub mod kstack;
pub mod phys;
pub mod user;
