//! Boot-test modes (`test=NAME` on the command line): each exercises one kernel
//! path and ends the QEMU run with the agreed exit code. A fatal report (panic,
//! exception) in any test mode exits with the failure code.
mod bench;
mod contain;
mod memory;
mod msi;

use crate::arch::{qemu, sections, selftest};

/// The test mode that lets init run and makes the uname system call panic, for
/// a backtrace through a system call.
const SYSCALL_PANIC: &str = "syscallpanic";

/// Whether the test named on the command line runs alongside init (it hooks a
/// path init's programs take) rather than instead of it.
pub fn runs_with_init(name: &str) -> bool {
    name == SYSCALL_PANIC
}

/// In the `syscallpanic` test mode, panic here: inside a system call's handler.
pub fn panic_in_syscall_if_asked(call: &str) {
    if crate::config::get().test == Some(SYSCALL_PANIC) {
        panic!("test panic inside the {call} system call");
    }
}

/// Run the test named on the command line; it ends the machine.
pub fn run(name: &str) -> ! {
    log::info!("test mode: {name}");
    let result = match name {
        "boot" => Ok(()),
        "frames" => memory::all_frames(),
        "addrspace" => memory::address_spaces(),
        "heap" => memory::heap(),
        "bench" => bench::run(),
        "contain" => contain::run(),
        "msi" => msi::run(),
        "oom" => {
            memory::out_of_memory();
            Err("no out-of-memory panic".into())
        }
        "panic" => panic!("test panic requested on the command line"),
        "pagefault" => {
            let value = selftest::read_address(0xdead_b000);
            Err(alloc::format!("read {value} from an unmapped address without a fault"))
        }
        "usertouch" => memory::touch_user_page(),
        "nullptr" => {
            let value = selftest::read_address(0);
            Err(alloc::format!("read {value} from address 0 without a fault"))
        }
        "writetext" => {
            selftest::write_address(sections::kernel_sections().text.start, 0xcc);
            Err("wrote to kernel text without a fault".into())
        }
        "stackoverflow" => {
            let value = selftest::overflow_stack(0);
            Err(alloc::format!("recursion returned {value} without overflowing the stack"))
        }
        "invalidopcode" => {
            selftest::invalid_opcode();
            Err("ud2 did not fault".into())
        }
        unknown => Err(alloc::format!("unknown test '{unknown}'")),
    };
    match result {
        Ok(()) => pass(),
        Err(why) => fail(&why),
    }
}

/// Report success and end the run.
pub fn pass() -> ! {
    log::info!("KTEST PASS");
    qemu::exit(qemu::ExitCode::Success);
    crate::arch::cpu::halt_forever()
}

fn fail(why: &str) -> ! {
    log::error!("KTEST FAIL: {why}");
    crate::fatal_stop()
}
