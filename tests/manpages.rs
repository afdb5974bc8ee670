//! Every command has a manual page: each kbox applet, each other program installed
//! in /bin or /sbin (but the test programs, ktest-*), and each shell builtin has a
//! page docs/man/NAME (`dot` for `.`) in the documented shape (the `manpages` crate: a first line
//! `NAME - summary`, SYNOPSIS and DESCRIPTION sections, at most 78 columns).
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The quoted names in `source` that follow `marker` (`applet!("ls"` gives ls).
fn quoted_after(source: &str, marker: &str) -> Vec<String> {
    source
        .match_indices(marker)
        .filter_map(|(at, _)| source[at + marker.len()..].split('"').next().map(str::to_string))
        .collect()
}

/// Every command the image has: applets, builtins and the user packages' programs.
fn commands() -> BTreeSet<String> {
    let mut names: BTreeSet<String> =
        quoted_after(&read("user/kbox/src/applets/mod.rs"), "applet!(\"").into_iter().collect();
    names.extend(quoted_after(&read("user/sh/src/builtins/mod.rs"), "    (\""));
    for package in std::fs::read_dir(root().join("user")).expect("user/") {
        let package = package.expect("user/ entry").path();
        if package.join("src/main.rs").exists() {
            names.insert(package.file_name().expect("name").to_string_lossy().into_owned());
        }
        for bin in std::fs::read_dir(package.join("src/bin")).into_iter().flatten() {
            let bin = bin.expect("src/bin entry").path();
            names.insert(bin.file_stem().expect("name").to_string_lossy().into_owned());
        }
    }
    names.retain(|name| !name.starts_with("ktest"));
    names
}

#[test]
fn every_command_has_a_manual_page() {
    let names = commands();
    assert!(
        names.contains("ls") && names.contains("cd") && names.contains("init") && names.contains("sh"),
        "{names:?}"
    );
    let missing: Vec<&String> =
        names.iter().filter(|name| !root().join("docs/man").join(manpages::file_name(name)).is_file()).collect();
    assert!(missing.is_empty(), "commands without a page in docs/man: {missing:?}");
}

#[test]
fn every_page_has_the_documented_shape() {
    let dir = root().join("docs/man");
    let mut problems = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("docs/man") {
        let path = entry.expect("docs/man entry").path();
        let file = path.file_name().expect("name").to_string_lossy().into_owned();
        let name = manpages::command_name(&file).to_string();
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        if manpages::summary(&name, &text).is_none() {
            problems.push(format!("{name}: the first line is not `{name} - summary`"));
        }
        for section in ["\nSYNOPSIS\n", "\nDESCRIPTION\n"] {
            if !text.contains(section) {
                problems.push(format!("{name}: no {} section", section.trim()));
            }
        }
        if let Some((number, _)) =
            text.lines().enumerate().find(|(_, line)| line.chars().count() > 78 || line.contains('\t'))
        {
            problems.push(format!("{name}: line {} is wider than 78 columns or has a tab", number + 1));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(Path::new(&dir).join("grep").exists());
}
