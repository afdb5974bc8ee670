//! The screen editor `vi` over the serial console: typing text, saving, editing
//! with commands whose result was not typed (`ddp` swaps lines, `:s` replaces),
//! undo, the E37 refusal to quit with changes, Ctrl-Z and fg, and the shell's
//! line editing working again once vi has quit; and vi on the screen's first
//! virtual console, typed on the PS/2 keyboard.
use kestrel::Machine;
use kestrel::session::{TIMEOUT, run, shell};

/// Sends `keys` and waits until `text` appears in what follows them.
fn send_and_wait(m: &mut Machine, keys: &str, text: &str) {
    let before = m.log().len();
    m.send(keys);
    let wanted = text.to_string();
    if let Err(failure) = m.wait_until(TIMEOUT, |log| log.get(before..).is_some_and(|new| new.contains(&wanted))) {
        panic!("after {keys:?}, waiting for {text:?}: {}\n{}", failure.0, m.log());
    }
}

#[test]
fn vi_edits_writes_undoes_and_restores_the_terminal() {
    let mut m = shell();
    send_and_wait(&mut m, "vi /tmp/f\n", "\"/tmp/f\" [New]");
    send_and_wait(&mut m, "ihello world\x1b:w\r", "\"/tmp/f\" [New] 1L, 12B written");
    // A second line, the two swapped, a word replaced, a word deleted and the
    // deletion undone; quitting is refused while the changes are not written.
    send_and_wait(&mut m, "oline two\x1bggddp:2s/world/there/\r0dwu:q\r", "E37: No write since last change");
    send_and_wait(&mut m, ":wq\r", "\"/tmp/f\" 2L, 21B written");
    run(&mut m, "cat /tmp/f", "line two\nhello there\n");
    // The shell edits its line again: Backspace, then Left twice and an insertion.
    run(&mut m, "echo abX\x7f\x1b[DZ", "aZb");
    // +2 starts on line 2; a change undone leaves nothing to write.
    send_and_wait(&mut m, "vi +2 /tmp/f\n", "\"/tmp/f\" 2L, 21B");
    send_and_wait(&mut m, "x:q\r", "E37");
    send_and_wait(&mut m, "u:q\r", "# ");
    // Ctrl-Z stops vi with the terminal restored; fg brings its screen back.
    send_and_wait(&mut m, "vi /tmp/f\n", "\"/tmp/f\" 2L, 21B");
    send_and_wait(&mut m, "\x1a", "Stopped");
    send_and_wait(&mut m, "fg\n", "hello there");
    send_and_wait(&mut m, "x:q!\r", "# ");
    run(&mut m, "echo back $?; cat /tmp/f", "back 0\nline two\nhello there\n");
    // vi reads ahead, so what follows ZZ waits until it has quit.
    send_and_wait(&mut m, "vi /tmp/f\n", "\"/tmp/f\" 2L, 21B");
    send_and_wait(&mut m, "ZZ", "# ");
    run(&mut m, "echo done $?", "done 0");
}

/// vi on tty1 (root's automatic login there), typed on the PS/2 keyboard: the
/// screen shows its text, `~` rows and status line (drawn by the kernel's
/// cellterm), and the file it writes is read back from the serial line's shell.
#[test]
fn vi_works_on_the_screen_console() {
    let mut m = shell();
    m.wait_for_screen("tty1's prompt", |screen| {
        screen.iter().any(|row| row.ends_with("# ")) || screen.iter().any(|row| row.ends_with(" #"))
    });
    m.type_on_keyboard("vi /tmp/g\n");
    m.wait_for_screen_text("\"/tmp/g\" [New]");
    m.type_on_keyboard("ihello screen\x1b");
    let screen = m.wait_for_screen("the text and the status line", |screen| {
        screen.first().is_some_and(|row| row == "hello screen")
            && screen.iter().any(|row| row.starts_with(" /tmp/g [+]") && row.ends_with("1,12  All"))
    });
    assert_eq!(screen[1..3], ["~", "~"], "{}", screen.join("\n"));
    m.type_on_keyboard(":wq\n");
    m.wait_for_screen_text("written");
    run(&mut m, "cat /tmp/g", "hello screen\n");
}
