//! Links the kernel with targets/kernel.ld (higher half, boot code at 1 MiB), and
//! builds the vDSO (vdso/: C and a linker script, by gcc) into OUT_DIR/vdso.so,
//! padded to whole pages, for `include_bytes!` (src/time/vdso.rs).
use std::path::Path;
use std::process::Command;

fn main() {
    let root = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let script = format!("{root}/../targets/kernel.ld");
    println!("cargo:rustc-link-arg-bins=-T{script}");
    println!("cargo:rustc-link-arg-bins=--no-pie");
    println!("cargo:rerun-if-changed={script}");
    println!("cargo:rerun-if-changed=src/arch/x86_64/boot.S");
    println!("cargo:rerun-if-changed=src/arch/x86_64/trap.S");
    build_vdso(Path::new(&root), Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")));
}

/// Compile vdso/vdso.c into a shared object with no relocations (the kernel maps
/// it as it is) and pad it to a whole number of pages, so that the pages the
/// kernel maps into processes hold nothing else.
fn build_vdso(root: &Path, out: &Path) {
    let source = root.join("vdso/vdso.c");
    let script = root.join("vdso/vdso.lds");
    let object = out.join("vdso.so");
    let flags = [
        "-std=gnu11",
        "-O2",
        "-Wall",
        "-Wextra",
        "-Werror",
        "-fPIC",
        "-ffreestanding",
        "-fno-stack-protector",
        "-fno-common",
        "-fcf-protection=none",
        "-mno-sse",
        "-mno-mmx",
        "-fasynchronous-unwind-tables",
        "-nostdlib",
        "-shared",
        "-Wl,-soname=linux-vdso.so.1",
        "-Wl,--hash-style=both",
        "-Wl,--eh-frame-hdr",
        "-Wl,--build-id=none",
        "-Wl,-z,max-page-size=4096",
        "-Wl,--no-undefined",
        "-Wl,--strip-all",
    ];
    let status = Command::new("gcc")
        .args(flags)
        .arg(format!("-Wl,-T,{}", script.display()))
        .arg("-o")
        .arg(&object)
        .arg(&source)
        .status()
        .expect("running gcc for the vDSO (scripts/deps.sh installs it)");
    assert!(status.success(), "gcc failed to build the vDSO");
    let mut image = std::fs::read(&object).expect("reading the vDSO");
    image.resize(image.len().next_multiple_of(4096), 0);
    std::fs::write(out.join("vdso.pages"), image).expect("writing the padded vDSO");
    println!("cargo:rerun-if-changed={}", source.display());
    println!("cargo:rerun-if-changed={}", script.display());
}
