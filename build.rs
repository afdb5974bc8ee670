//! Build script of the root package (the boot-test harness): it tells the harness
//! where the build artifacts live (`KESTREL_BUILD_DIR`, the workspace's build/) and
//! asks Cargo to rebuild the tests when the ISO changes.
fn main() {
    let root = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    println!("cargo:rustc-env=KESTREL_BUILD_DIR={root}/build");
    println!("cargo:rerun-if-changed=build/os.iso");
    println!("cargo:rerun-if-changed=build.rs");
}
