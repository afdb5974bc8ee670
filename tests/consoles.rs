//! The serial line and the screen's virtual consoles are separate terminals:
//! /sbin/init runs a shell on each of the serial line and /dev/tty1; the tests
//! type on the serial line and on the PS/2 keyboard, switch consoles with Alt-Fn,
//! scroll with Shift-PageUp, and read the VGA text screen.
use std::time::{Duration, Instant};

use kestrel::session::{TIMEOUT, run, shell};
use kestrel::Machine;

/// Wait until a row of the screen satisfies `wanted`; the screen's rows.
fn screen_until(m: &Machine, what: &str, wanted: impl Fn(&str) -> bool) -> Vec<String> {
    let start = Instant::now();
    loop {
        let screen = m.vga_text();
        if screen.iter().any(|row| wanted(row)) {
            return screen;
        }
        assert!(start.elapsed() < TIMEOUT, "the screen never showed {what}:\n{}\n{}", screen.join("\n"), m.log());
        std::thread::sleep(Duration::from_millis(300));
    }
}

/// Wait until the screen shows `text`.
fn screen_shows(m: &Machine, text: &str) -> Vec<String> {
    screen_until(m, &format!("{text:?}"), |row| row.contains(text))
}

/// The serial shell, and the screen showing tty1's shell prompt.
fn both_shells() -> Machine {
    let m = shell();
    screen_until(&m, "tty1's prompt", |row| row == "/ #");
    m
}

#[test]
fn the_serial_line_and_the_screen_are_separate_terminals() {
    let mut m = both_shells();
    run(&mut m, "echo serial $((6 * 7))", "serial 42\n");
    run(&mut m, "busybox tty", "/dev/console\n");
    m.type_on_keyboard("busybox tty\n");
    let screen = screen_shows(&m, "/dev/tty1");
    let text = screen.join("\n");
    assert!(!text.contains("serial"), "the serial shell's lines reached the screen:\n{text}");
    assert!(!m.log().contains("busybox tty\r\n/dev/tty1"), "keyboard lines reached the serial line:\n{}", m.log());
    // Each shell is in a session of its own, controlling its terminal.
    run(&mut m, "ps -f | grep -c ' sh$'", "2\n");
    run(&mut m, "ps -f | grep ' tty1 ' | grep -c ' sh$'", "1\n");
    run(&mut m, "ps -f | grep ' ttyS0 ' | grep -c ' sh$'", "1\n");
}
