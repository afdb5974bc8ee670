//! Kestrel's kernel: `kmain`, entered from the 32-bit trampoline in
//! arch/x86_64/boot.S, and the order in which the subsystems start.
#![no_std]
#![no_main]
#![deny(unsafe_code)]

extern crate alloc;

#[allow(unsafe_code)]
mod arch;
mod boot_info;
mod config;
mod console;
mod enosys;
mod fs;
mod irq;
mod klog;
mod ktest;
mod layout;
mod logbuf;
#[allow(unsafe_code)]
mod mm;
mod panic;
mod pci;
mod proc;
mod profile;
mod symbols;
mod syscall;
mod task;
mod time;
mod usb;
mod uts;

use arch::{cpu, multiboot, paging, qemu};

/// The kernel's entry, on the higher-half boot stack, interrupts off.
///
/// Init order:
/// 1. serial console and kernel log (so everything after can report),
/// 2. GDT, TSS and IDT (exceptions are reported from here on),
/// 3. boot information: command line, symbols for backtraces,
/// 4. memory: the frame allocator, then the kernel's own page table (W^X, guard
///    pages, no identity map); the heap works from here on,
/// 5. the screen's virtual consoles (VGA text, or the framebuffer on UEFI), then
///    the banner,
/// 6. the interrupt controller and timer (local APIC + I/O APIC with the APIC
///    timer, or with `noapic` or on machines without them the 8259s and the
///    PIT), then interrupts on, then the clocks (the TSC calibrated against the
///    HPET, the ACPI PM timer or the PIT; the real-time clock read), then the
///    PCI buses enumerated and the USB controllers started (their devices found),
/// 7. the root file system from the initramfs,
/// 8. a test mode if the command line names one, else init as pid 1 and the
///    scheduler's idle loop.
#[allow(unsafe_code)] // no_mangle: boot.S calls it by name
#[unsafe(no_mangle)]
extern "C" fn kmain(boot_info_phys: u64) -> ! {
    let boot_tsc = cpu::timestamp_ordered();
    console::init_serial();
    klog::init();
    arch::init_traps();

    let boot = match multiboot::load(boot_info_phys) {
        Ok(boot) => boot,
        Err(e) => {
            log::error!("cannot read the Multiboot2 boot information at {boot_info_phys:#x}: {e:?}");
            log::error!("the boot loader must load this kernel with Multiboot2; the system stops here");
            fatal_stop();
        }
    };
    let cmdline = boot.command_line_tag().and_then(|t| t.cmdline().ok()).unwrap_or("");
    let config = config::init(cmdline);
    if !symbols::init(boot) {
        log::warn!("no kernel symbol table: backtraces show addresses only");
    }
    let kernel_phys = arch::sections::kernel_sections().phys;
    let stats = mm::frames::init(boot, boot_info::usable_ram(boot), kernel_phys);
    let ram_end = boot_info::usable_ram(boot).map(|r| r.end).max().unwrap_or(0);
    paging::set_frame_source(paging::FrameSource { alloc: mm::frames::alloc, free: mm::frames::free });
    paging::init_kernel_table(ram_end.max(1 << 32));
    if mm::kstack::init().is_err() {
        log::error!("no memory for the kernel stacks' page tables");
        fatal_stop();
    }
    // The screen's consoles need the heap: the lines logged before are on the
    // serial line only.
    if boot_info::has_vga_text(boot) {
        console::enable_vga_text();
    } else if let Some(Ok(fb)) = boot.framebuffer_tag()
        && !console::enable_framebuffer(fb)
    {
        log::warn!("framebuffer: format not supported, no screen console");
    }
    fs::tty::screen_resized(console::screen_size());
    boot_info::print_banner(boot, config.cmdline);
    arch::acpi::init(boot, &|call| {
        mm::kstack::run_contained(core::panic::AssertUnwindSafe(call)).map_err(|e| alloc::format!("{e}"))
    });
    let protections = arch::protection::enable();
    let names: alloc::vec::Vec<&str> = protections.iter().flatten().copied().collect();
    log::info!("cpu protections: NX W^X{}{}", if names.is_empty() { "" } else { " " }, names.join(" "));
    log::info!(
        "frames: {} MiB free of {} MiB total ({} KiB reserved); identity map removed",
        stats.free * 4 / 1024,
        stats.total * 4 / 1024,
        stats.reserved * 4
    );

    if let Some(shift) = config.profile {
        profile::start(shift);
    }
    let interrupts = arch::interrupts::init(config.noapic, time::TIMER_HZ);
    cpu::enable_interrupts();
    log::info!("{interrupts}");
    time::init(boot_tsc);
    if config.tsc_deadline
        && let Some(line) = arch::interrupts::use_tsc_deadline(time::tsc_hz(), time::TIMER_HZ)
    {
        log::info!("{line}");
    }
    pci::init();
    usb::init(irq::usb_interrupt);

    proc::info::register();
    mount_initramfs(boot);
    if let Some(test) = config.test
        && !ktest::runs_with_init(test)
    {
        ktest::run(test);
    }
    start_init(config);
    task::scheduler::idle()
}

/// Unpack the initramfs into the root file tree: the module named `initramfs`,
/// else the first module (most Multiboot2 configurations give it no string).
/// Without a usable one there is nothing to run: say so plainly and stop.
fn mount_initramfs(boot: &multiboot2::BootInformation) {
    let named = boot.module_tags().find(|m| m.cmdline() == Ok("initramfs"));
    let Some(module) = named.or_else(|| boot.module_tags().next()) else {
        log::error!("no initramfs: GRUB loaded no module (grub.cfg needs `module2 /boot/initramfs.cpio`)");
        log::error!("nothing to run; the system stops here");
        fatal_stop();
    };
    let bytes = multiboot::phys_bytes(module.start_address().into(), module.module_size() as usize);
    match fs::root::init(bytes) {
        Ok(size) => log::info!("initramfs: {} KiB unpacked into the root file system", size / 1024),
        Err(e) => {
            log::error!("initramfs: cannot unpack the module ({} bytes): {e}", bytes.len());
            log::error!("nothing to run; the system stops here");
            fatal_stop();
        }
    }
    if let Err(e) = fs::mounts::init() {
        log::error!("cannot mount /dev and /proc: {}", e.description());
    }
}

/// Start `init=` (default /sbin/init) as pid 1 with the words after `--` as its
/// arguments, or stop with a clear message if it cannot run.
fn start_init(config: &config::Config) {
    use alloc::string::String;
    use alloc::vec::Vec;
    let path = config.init;
    let argv: Vec<Vec<u8>> = core::iter::once(path).chain(config::init_args()).map(|a| a.as_bytes().to_vec()).collect();
    let envp: Vec<Vec<u8>> =
        ["HOME=/", "PATH=/bin:/sbin:/usr/bin:/usr/sbin", "TERM=linux"].iter().map(|e| e.as_bytes().to_vec()).collect();
    let cwd = fs::vfs::root();
    let started = fs::vfs::read_executable(&cwd, path.as_bytes()).and_then(|program| {
        let (stack, root) = (proc::limits::DEFAULT_STACK, creds::Credentials::ROOT);
        let image = proc::exec::build(&cwd, &program, &argv, &envp, path.as_bytes(), stack, root)?;
        let cmdline = argv.iter().map(|a| String::from_utf8_lossy(a).into_owned()).collect();
        proc::lifecycle::spawn_init(image, cmdline, String::from_utf8_lossy(&program.path).into_owned())
    });
    match started {
        Ok(pid) => log::info!("started {path} as pid {pid}"),
        Err(e) => {
            log::error!("cannot run init {path}: {} ({})", e.description(), e.name());
            proc::lifecycle::stop_without_init(false);
        }
    }
}

/// Stop after a fatal report: in a test mode QEMU exits with the failure code,
/// otherwise the CPU halts for good.
pub fn fatal_stop() -> ! {
    if config::get().test.is_some() {
        qemu::exit(qemu::ExitCode::Failure);
    }
    cpu::halt_forever()
}
