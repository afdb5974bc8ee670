//! Boot-test modes (`test=NAME` on the command line): each exercises one kernel
//! path and ends the QEMU run with the agreed exit code. A fatal report (panic,
//! exception) in any test mode exits with the failure code.
use crate::arch::{qemu, selftest};

/// Run the test named on the command line. Returns only if there is nothing to
/// run; a test ends the machine.
pub fn run(name: &str) -> ! {
    log::info!("test mode: {name}");
    match name {
        "boot" => pass(),
        "panic" => panic!("test panic requested on the command line"),
        "pagefault" => {
            let value = selftest::read_address(0xdead_b000);
            log::error!("read {value} from an unmapped address without a fault");
        }
        "nullptr" => {
            let value = selftest::read_address(0);
            log::error!("read {value} from address 0 without a fault (identity map still present?)");
        }
        "stackoverflow" => {
            let value = selftest::overflow_stack(0);
            log::error!("recursion returned {value} without overflowing the stack");
        }
        "invalidopcode" => {
            selftest::invalid_opcode();
            log::error!("ud2 did not fault");
        }
        unknown => log::error!("unknown test '{unknown}'"),
    }
    fail()
}

/// Report success and end the run.
pub fn pass() -> ! {
    log::info!("KTEST PASS");
    qemu::exit(qemu::ExitCode::Success);
    crate::arch::cpu::halt_forever()
}

fn fail() -> ! {
    log::error!("KTEST FAIL");
    crate::fatal_stop()
}
