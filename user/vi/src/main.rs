//! `vi [+N|+/PATTERN|+] [FILE]`: the screen editor on the terminal (see
//! `docs/man/vi`); the editing itself is the library's.
use std::collections::VecDeque;
use std::process::ExitCode;

use vi::editor::Editor;
use vi::input::{lone_escape, take_key};
use vi::render::Frame;
use vi::screen;

mod terminal;

use terminal::{Input, Terminal};

const USAGE: &str = "\
Usage: vi [+N|+/PATTERN|+] [FILE]...
Edit FILE (a new one if it does not exist) with a screen editor; :n goes
on to the next FILE.

  +N          start at line N (+ alone: the last line)
  +/PATTERN   start at the first line matching PATTERN
      --help  display this help and exit

In the editor, :help shows the keys; `man vi` has them all.
";

fn main() -> ExitCode {
    let mut files = Vec::new();
    let mut start = None;
    for arg in std::env::args().skip(1) {
        if arg == "--help" {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        match arg.strip_prefix('+') {
            Some(place) => start = Some(place.to_string()),
            None => files.push(arg),
        }
    }
    let mut terminal = match Terminal::open() {
        Ok(terminal) => terminal,
        Err(err) => {
            ulib::diag::report("vi", format_args!("standard input: {}", ulib::diag::error_text(&err)));
            return ExitCode::FAILURE;
        }
    };
    let (rows, columns) = terminal::size();
    let mut editor = Editor::new(rows, columns);
    editor.open_all(files);
    if let Some(place) = start {
        editor.start_at(&place);
    }
    let result = edit(&mut terminal, &mut editor);
    drop(terminal);
    let code = match result {
        Ok(code) => code,
        Err(err) => {
            ulib::diag::report("vi", ulib::diag::error_text(&err));
            ExitCode::FAILURE
        }
    };
    if code != ExitCode::SUCCESS
        && let Some(note) = editor.save_recovery()
    {
        ulib::diag::report("vi", note);
    }
    code
}

/// Draws, reads keys and hands them to the editor until it quits.
fn edit(terminal: &mut Terminal, editor: &mut Editor) -> std::io::Result<ExitCode> {
    let mut pending = VecDeque::new();
    let mut shown: Option<Frame> = None;
    loop {
        if editor.take_redraw() {
            shown = None;
        }
        let frame = editor.frame();
        terminal.write(&screen::update(shown.as_ref(), &frame))?;
        shown = Some(frame);
        match terminal.read(&mut pending)? {
            Input::Bytes => {}
            Input::Resized => {
                let (rows, columns) = terminal::size();
                editor.resize(rows, columns);
                shown = None;
            }
            Input::Terminated | Input::End => return Ok(ExitCode::FAILURE),
        }
        loop {
            while let Some(key) = take_key(&mut pending) {
                editor.key(key);
                if editor.take_suspend() {
                    terminal.suspend()?;
                    let (rows, columns) = terminal::size();
                    editor.resize(rows, columns);
                    shown = None;
                }
                if editor.quitting() {
                    // The last message (`... written`) stays on the screen.
                    terminal.write(&screen::update(shown.as_ref(), &editor.frame()))?;
                    return Ok(ExitCode::SUCCESS);
                }
            }
            if !lone_escape(&pending) || terminal.more_input_soon() {
                break;
            }
            pending.clear();
            editor.key(vi::input::Key::Escape);
        }
    }
}
