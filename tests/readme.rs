//! The README is accurate where a test can tell: every repository path it names
//! exists, every `make TARGET` it names (in code) is a target of the Makefile, and
//! the kernel options it documents are the ones kernel/src/config.rs knows.
use std::collections::BTreeSet;
use std::path::Path;

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).expect("README.md")
}

/// The words of `text` that name something under one of the repository's top-level
/// folders (`scripts/run.sh`, `kernel/libs/\*`), as written.
fn repository_paths(text: &str) -> BTreeSet<String> {
    const TOP: [&str; 9] =
        ["src/", "tests/", "kernel/", "user/", "scripts/", "docs/", "initramfs/", "grub/", "targets/"];
    text.split(|c: char| c.is_whitespace() || "`()[]{},;\"'|<>".contains(c))
        .map(|word| word.trim_end_matches(['.', ':']))
        .filter(|word| TOP.iter().any(|top| word.starts_with(top)))
        .map(str::to_string)
        .collect()
}

#[test]
fn every_path_the_readme_names_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let paths = repository_paths(&readme());
    assert!(paths.len() > 20, "too few paths found: {paths:?}");
    let missing: Vec<&String> = paths
        .iter()
        .filter(|path| {
            // `kernel/libs/\*` names what is in a folder, `user/NAME` any name in
            // one: the folder must exist.
            let literal = path.split(['*', '\\']).next().unwrap_or(path);
            let placeholder = |part: &str| part.len() > 1 && part.chars().all(|c| c.is_ascii_uppercase());
            let literal = match literal.rsplit_once('/') {
                Some((folder, last)) if placeholder(last) => folder,
                _ => literal,
            };
            !root.join(literal).exists()
        })
        .collect();
    assert!(missing.is_empty(), "README.md names paths that do not exist: {missing:?}");
}

#[test]
fn every_make_target_the_readme_names_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let makefile = std::fs::read_to_string(root.join("Makefile")).expect("Makefile");
    let targets: BTreeSet<&str> = makefile
        .lines()
        .filter_map(|line| line.split_once(':').map(|(name, _)| name))
        .filter(|name| !name.contains(['$', ' ', '\t', '.']))
        .collect();
    let text = readme();
    let named: BTreeSet<&str> = text
        .match_indices("make ")
        .filter(|(at, _)| *at == 0 || matches!(text.as_bytes()[at - 1], b'`' | b'\n'))
        .filter_map(|(at, _)| text[at + 5..].split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).next())
        .filter(|word| !word.is_empty() && word.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
        .collect();
    assert!(named.len() >= 8, "too few targets found: {named:?}");
    let missing: Vec<&&str> = named.iter().filter(|name| !targets.contains(*name)).collect();
    assert!(missing.is_empty(), "README.md names make targets the Makefile lacks: {missing:?} (targets: {targets:?})");
}

/// The options kernel/src/config.rs knows (its `KNOWN_OPTIONS`).
fn kernel_options() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = std::fs::read_to_string(root.join("kernel/src/config.rs")).expect("kernel/src/config.rs");
    let line = config.lines().find(|l| l.contains("const KNOWN_OPTIONS")).expect("KNOWN_OPTIONS in config.rs");
    let list = line.split_once('[').and_then(|(_, rest)| rest.split_once("= [")).map(|(_, list)| list);
    let list = list.expect("KNOWN_OPTIONS = [...]").split(']').next().unwrap_or("");
    list.split(',').map(|word| word.trim().trim_matches('"').to_string()).filter(|w| !w.is_empty()).collect()
}

#[test]
fn the_readme_documents_every_kernel_option_and_no_other() {
    let text = readme();
    let options = kernel_options();
    assert!(options.iter().any(|o| o == "init"), "options read from config.rs: {options:?}");
    let section = text.split("## The kernel command line").nth(1).expect("the command-line section");
    let section = section.split("\n## ").next().unwrap_or(section);
    for option in &options {
        let named = section.contains(&format!("`{option}=")) || section.contains(&format!("`{option}`"));
        assert!(named, "the kernel command-line section does not name `{option}`");
    }
    // Linux options a reader may expect: named only once the kernel has them.
    for linux in ["noapic", "nosmp", "quiet", "loglevel", "console", "acpi", "nomodeset", "debug"] {
        let named = text.contains(&format!("`{linux}=")) || text.contains(&format!("`{linux}`"));
        assert!(!named || options.iter().any(|o| o == linux), "README.md names `{linux}`, which the kernel lacks");
    }
}
