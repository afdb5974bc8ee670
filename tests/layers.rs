//! The kernel's layers point one way (docs/ARCHITECTURE.md): arch, mm, usb, task,
//! fs, proc, syscall, each using only those before it. This reads every source file
//! of those folders and fails on a `crate::` path that reaches upwards, except
//! from arch's entry points (the trap, exception and syscall entries hand control
//! up to the kernel: the one upward edge by design).
use std::fs;
use std::path::Path;

const LAYERS: [&str; 7] = ["arch", "mm", "usb", "task", "fs", "proc", "syscall"];
/// Modules above every layer (interrupt dispatch).
const ABOVE_ALL: [&str; 1] = ["irq"];
const ENTRY_FILES: [&str; 3] = ["arch/x86_64/exception.rs", "arch/x86_64/syscall.rs", "arch/x86_64/trap.rs"];

/// Every `crate::NAME` in the code of `text` (comments left out).
fn crate_paths(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        for piece in code.split("crate::").skip(1) {
            let name: String = piece.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            names.push(name);
        }
    }
    names
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn kernel_layers_only_use_the_layers_below() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("kernel/src");
    let mut violations = Vec::new();
    for (level, layer) in LAYERS.iter().enumerate() {
        let mut files = Vec::new();
        rust_files(&src.join(layer), &mut files);
        assert!(!files.is_empty(), "no sources in kernel/src/{layer}");
        for file in files {
            let relative = file.strip_prefix(&src).expect("under kernel/src").to_string_lossy().replace('\\', "/");
            if ENTRY_FILES.contains(&relative.as_str()) {
                continue;
            }
            let text = fs::read_to_string(&file).expect("readable source");
            for name in crate_paths(&text) {
                let above = LAYERS.iter().position(|l| *l == name).is_some_and(|l| l > level)
                    || ABOVE_ALL.contains(&name.as_str());
                if above {
                    violations.push(format!("{relative} ({layer}) uses crate::{name}"));
                }
            }
        }
    }
    assert!(violations.is_empty(), "upward imports:\n{}", violations.join("\n"));
}

#[test]
fn the_checker_sees_an_upward_path() {
    let names = crate_paths("use crate::proc::table; // crate::syscall in a comment\nlet x = crate::fs::vfs::root();");
    assert_eq!(names, ["proc", "fs"]);
}
