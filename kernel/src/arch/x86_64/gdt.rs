//! The GDT (kernel and user code/data segments, the TSS) and the TSS itself, whose
//! IST entry gives the double fault its own stack and whose RSP0 is the kernel stack
//! used on entry from user mode.
use x86_64::VirtAddr;
use x86_64::instructions::segmentation::{CS, DS, ES, SS, Segment};
use x86_64::instructions::tables::load_tss;
use x86_64::structures::gdt::{Descriptor, GlobalDescriptorTable, SegmentSelector};
use x86_64::structures::tss::TaskStateSegment;

use super::stacks;

/// The user selectors (RPL 3) as syscall.S and new processes use them; `init`
/// checks the GDT really has them there.
pub const USER_DATA_SELECTOR: u16 = 0x18 | 3;
pub const USER_CODE_SELECTOR: u16 = 0x20 | 3;

/// IST slot (0-based, as the x86_64 crate counts) of the double-fault stack.
pub const DOUBLE_FAULT_IST: u16 = 0;

/// Segment selectors. The order kernel code, kernel data, user data, user code is
/// the one `sysret` requires (STAR).
#[derive(Debug, Clone, Copy)]
pub struct Selectors {
    pub kernel_code: SegmentSelector,
    pub kernel_data: SegmentSelector,
    pub user_data: SegmentSelector,
    pub user_code: SegmentSelector,
    pub tss: SegmentSelector,
}

static mut TSS: TaskStateSegment = TaskStateSegment::new();
static GDT: spin::Once<(GlobalDescriptorTable, Selectors)> = spin::Once::new();

/// Build and load the GDT and TSS, reload the segment registers.
pub fn init() {
    // SAFETY: runs once on the boot CPU before interrupts are enabled; nothing else
    // refers to TSS yet.
    let tss: &'static TaskStateSegment = unsafe {
        let tss = (&raw mut TSS).as_mut().expect("TSS is a static");
        tss.interrupt_stack_table[usize::from(DOUBLE_FAULT_IST)] = VirtAddr::new(stacks::fault_stack_top());
        tss.privilege_stack_table[0] = VirtAddr::new(stacks::boot_stack_top());
        tss
    };
    let (gdt, sel) = GDT.call_once(|| {
        let mut gdt = GlobalDescriptorTable::new();
        let kernel_code = gdt.append(Descriptor::kernel_code_segment());
        let kernel_data = gdt.append(Descriptor::kernel_data_segment());
        let user_data = gdt.append(Descriptor::user_data_segment());
        let user_code = gdt.append(Descriptor::user_code_segment());
        let tss = gdt.append(Descriptor::tss_segment(tss));
        (gdt, Selectors { kernel_code, kernel_data, user_data, user_code, tss })
    });
    assert_eq!((sel.user_data.0 | 3, sel.user_code.0 | 3), (USER_DATA_SELECTOR, USER_CODE_SELECTOR));
    gdt.load();
    // SAFETY: the selectors index the GDT just loaded, with matching descriptors.
    unsafe {
        CS::set_reg(sel.kernel_code);
        DS::set_reg(sel.kernel_data);
        ES::set_reg(sel.kernel_data);
        SS::set_reg(sel.kernel_data);
        load_tss(sel.tss);
    }
}

pub fn selectors() -> &'static Selectors {
    &GDT.get().expect("gdt::init runs first").1
}

/// Set the stack the CPU switches to on a trap from user mode (TSS.RSP0).
pub fn set_kernel_stack(top: u64) {
    // SAFETY: a single aligned 8-byte store into the TSS, which the CPU reads only
    // on a privilege change, never concurrently with this code.
    unsafe { TSS.privilege_stack_table[0] = VirtAddr::new(top) };
}
