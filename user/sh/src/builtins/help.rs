//! `help [NAME]...`: with no name, every command with its one-line summary (the
//! shell's builtins, then the programs that have a manual page in /usr/share/man);
//! with names, their manual pages (the `manpages` crate), as bash's help shows a
//! builtin's.
use ulib::diag::report;

use super::names;
use crate::shell::{PROGRAM, Shell};

const INTRO: &str = "Kestrel sh: a POSIX shell. `man sh` describes its language and keys, `man NAME`
any command's page, `man -k WORD` finds commands by topic; `vi FILE` edits a file.\n";

/// The text `help` prints for no names: the builtins and the other pages, each
/// group a listing with summaries from `pages`.
fn overview(pages: &[(String, String)]) -> String {
    let summary = |name: &str| pages.iter().find(|(page, _)| page == name).map_or("", |(_, summary)| summary.as_str());
    let builtins: Vec<(&str, &str)> = names().map(|name| (name, summary(name))).collect();
    let programs: Vec<(&str, &str)> = pages
        .iter()
        .filter(|(name, _)| !names().any(|builtin| builtin == name))
        .map(|(name, summary)| (name.as_str(), summary.as_str()))
        .collect();
    let indent = |text: String| text.lines().map(|line| format!("  {line}\n")).collect::<String>();
    format!(
        "{INTRO}\nShell builtins:\n{}\nPrograms:\n{}",
        indent(manpages::listing(builtins)),
        indent(manpages::listing(programs))
    )
}

impl Shell {
    pub(super) fn help(&mut self, args: &[String]) -> i32 {
        let dirs = manpages::folders();
        if args.is_empty() {
            let text = overview(&manpages::index_all(&dirs));
            return self.print("help", &text);
        }
        let mut status = 0;
        for name in args {
            match manpages::find(&dirs, name) {
                Ok(page) => status = status.max(self.print("help", &page)),
                Err(_) => {
                    report(PROGRAM, format_args!("help: no help topics match '{name}'"));
                    status = 1;
                }
            }
        }
        status
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_overview_lists_builtins_and_programs_with_summaries() {
        let pages = vec![
            ("cd".to_string(), "change the working directory".to_string()),
            ("ls".to_string(), "list directory contents".to_string()),
        ];
        let text = overview(&pages);
        let builtins = text.find("Shell builtins:").unwrap();
        let programs = text.find("Programs:").unwrap();
        let cd = text.find("cd       - change the working directory").unwrap();
        let ls = text.find("ls - list directory contents").unwrap();
        assert!(builtins < cd && cd < programs && programs < ls, "{text}");
        // Every builtin is listed, with or without a page.
        assert!(text.contains("\n  wait\n") && text.contains("\n  .\n"), "{text}");
    }
}
