//! What the boot loader told us: the banner lines, and the facts later stages need
//! (usable RAM, modules, the screen).
use frame_bitmap::PhysRange;
use multiboot2::{BootInformation, EFIMemoryAreaType, FramebufferType, MemoryAreaType};

/// Usable RAM from the Multiboot2 memory map (the BIOS/e820-style map, which GRUB
/// also builds under UEFI), or from the EFI memory map when that is all there is.
pub fn usable_ram<'a>(boot: &'a BootInformation<'a>) -> impl Iterator<Item = PhysRange> + Clone + 'a {
    let bios = boot
        .memory_map_tag()
        .into_iter()
        .flat_map(|tag| tag.memory_areas().iter())
        .filter(|area| area.typ() == MemoryAreaType::Available)
        .map(|area| PhysRange { start: area.start_address(), end: area.end_address() });
    let efi = boot
        .efi_memory_map_tag()
        .filter(|_| boot.memory_map_tag().is_none())
        .into_iter()
        .flat_map(|tag| tag.memory_areas())
        .filter(|desc| {
            [
                EFIMemoryAreaType::CONVENTIONAL,
                EFIMemoryAreaType::BOOT_SERVICES_CODE,
                EFIMemoryAreaType::BOOT_SERVICES_DATA,
                EFIMemoryAreaType::LOADER_CODE,
                EFIMemoryAreaType::LOADER_DATA,
            ]
            .contains(&desc.ty)
        })
        .map(|desc| PhysRange { start: desc.phys_start, end: desc.phys_start + desc.page_count * 4096 });
    bios.chain(efi)
}

/// Whether the screen is a VGA text screen: no framebuffer tag (BIOS text mode) or
/// an EGA-text one.
pub fn has_vga_text(boot: &BootInformation) -> bool {
    match boot.framebuffer_tag() {
        None => true,
        Some(Ok(fb)) => matches!(fb.buffer_type(), Ok(FramebufferType::Text)),
        Some(Err(_)) => false,
    }
}

/// Log the boot banner.
pub fn print_banner(boot: &BootInformation, cmdline: &str) {
    log::info!("Kestrel {} (x86_64)", env!("CARGO_PKG_VERSION"));
    let loader = boot.boot_loader_name_tag().and_then(|t| t.name().ok()).unwrap_or("unknown");
    log::info!("boot loader: {loader}");
    log::info!("command line: '{cmdline}'");
    let usable: u64 = usable_ram(boot).map(|r| r.end - r.start).sum();
    log::info!("memory: {} KiB usable ({} MiB)", usable / 1024, usable >> 20);
    for module in boot.module_tags() {
        log::info!(
            "module: '{}' at {:#x}, {} bytes",
            module.cmdline().unwrap_or("?"),
            module.start_address(),
            module.module_size()
        );
    }
    match boot.framebuffer_tag() {
        Some(Ok(fb)) => {
            let kind = match fb.buffer_type() {
                Ok(FramebufferType::Text) => "text",
                Ok(FramebufferType::RGB { .. }) => "rgb",
                Ok(FramebufferType::Indexed { .. }) => "indexed",
                Err(_) => "unknown",
            };
            log::info!(
                "framebuffer: {}x{} {} bpp, pitch {}, {kind}, at {:#x}",
                fb.width(),
                fb.height(),
                fb.bpp(),
                fb.pitch(),
                fb.address()
            );
        }
        Some(Err(_)) => log::info!("framebuffer: of an unknown type"),
        None => log::info!("framebuffer: none (VGA text mode)"),
    }
}
