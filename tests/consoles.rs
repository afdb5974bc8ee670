//! The serial line and the screen's virtual consoles are separate terminals:
//! /sbin/init logs root in on the serial line and on /dev/tty1 (getty on tty2-4
//! asks for a login); the tests
//! type on the serial line and on the PS/2 keyboard, switch consoles with Alt-Fn,
//! scroll with Shift-PageUp, and read the VGA text screen.
use std::time::{Duration, Instant};

use kestrel::session::{TIMEOUT, run, shell};
use kestrel::{Machine, run_ktest};

/// Wait until a row of the screen satisfies `wanted`; the rows.
fn screen_until(m: &Machine, what: &str, wanted: impl Fn(&str) -> bool) -> Vec<String> {
    m.wait_for_screen(what, |screen| screen.iter().any(|row| wanted(row)))
}

/// Wait until the screen shows `text`.
fn screen_shows(m: &Machine, text: &str) -> Vec<String> {
    screen_until(m, &format!("{text:?}"), |row| row.contains(text))
}

/// tty1's shell prompt: root's automatic login, at home.
const TTY1_PROMPT: &str = "/root #";

/// The serial shell, and the screen showing tty1's shell prompt.
fn both_shells() -> Machine {
    let m = shell();
    screen_until(&m, "tty1's prompt", |row| row == TTY1_PROMPT);
    m
}

#[test]
fn the_serial_line_and_the_screen_are_separate_terminals() {
    let mut m = both_shells();
    run(&mut m, "echo serial $((6 * 7))", "serial 42\n");
    run(&mut m, "busybox tty", "/dev/ttyS0\n");
    m.type_on_keyboard("busybox tty\n");
    let screen = screen_shows(&m, "/dev/tty1");
    let text = screen.join("\n");
    assert!(!text.contains("serial"), "the serial shell's lines reached the screen:\n{text}");
    assert!(!m.log().contains("/dev/tty1"), "tty1's lines reached the serial line:\n{}", m.log());
    // Each login shell is in a session of its own, controlling its terminal.
    run(&mut m, "ps -f | grep -c ' -sh$'", "2\n");
    run(&mut m, "ps -f | grep ' tty1 ' | grep -c ' -sh$'", "1\n");
    run(&mut m, "ps -f | grep ' ttyS0 ' | grep -c ' -sh$'", "1\n");
}

#[test]
fn alt_f2_shows_tty2_and_the_keys_go_there() {
    let mut m = both_shells();
    m.monitor("sendkey alt-f2");
    // tty2's getty asks for a login; the name typed goes to it, and login asks
    // for the password.
    let screen = screen_until(&m, "tty2's getty", |row| row.ends_with(" on tty2"));
    assert!(screen.iter().any(|row| row == "kestrel login:"), "{}", screen.join("\n"));
    m.type_on_keyboard("user\n");
    screen_shows(&m, "Password:");
    assert!(m.vga_text().iter().any(|row| row == "kestrel login: user"));
    run(&mut m, "busybox stty -F /dev/tty0 size", "25 80\n");
    // Ctrl-Alt-F1, as on Linux, shows tty1 again, its text kept.
    m.monitor("sendkey ctrl-alt-f1");
    screen_until(&m, "tty1's prompt", |row| row == TTY1_PROMPT);
    assert!(!m.vga_text().join("\n").contains("Password:"));
}

#[test]
fn writing_to_tty3_changes_tty3_only() {
    let mut m = both_shells();
    run(&mut m, "echo written to tty3 > /dev/tty3; echo done", "done\n");
    std::thread::sleep(Duration::from_millis(500));
    let screen = m.vga_text().join("\n");
    assert!(!screen.contains("written to tty3"), "tty3's text on tty1:\n{screen}");
    m.monitor("sendkey alt-f3");
    let screen = screen_shows(&m, "written to tty3");
    assert!(screen.iter().any(|row| row.ends_with(" on tty3")), "not tty3's getty:\n{}", screen.join("\n"));
    assert!(!screen.join("\n").contains(TTY1_PROMPT), "tty1's prompt on tty3:\n{}", screen.join("\n"));
}

/// The numbers `seq` printed that the screen shows, in order.
fn numbers(screen: &[String]) -> Vec<u32> {
    screen.iter().filter_map(|row| row.parse().ok()).collect()
}

#[test]
fn shift_page_up_scrolls_back_through_the_history() {
    let mut m = both_shells();
    run(&mut m, "busybox seq 100 > /dev/tty1; echo done", "done\n");
    let bottom = numbers(&screen_shows(&m, "100"));
    assert_eq!(bottom, (77..=100).collect::<Vec<_>>(), "24 numbers and the prompt's row");
    // Half a screen (12 lines) back at a time.
    let back: Vec<u32> = (65..=89).collect();
    m.monitor("sendkey shift-pgup");
    m.wait_for_screen("65 to 89", |screen| numbers(screen) == back);
    m.monitor("sendkey shift-pgup");
    m.wait_for_screen("53 to 77", |screen| numbers(screen) == (53..=77).collect::<Vec<_>>());
    m.monitor("sendkey shift-pgdn");
    m.wait_for_screen("65 to 89 again", |screen| numbers(screen) == back);
    // Any other key returns to the bottom, and goes to the shell.
    m.type_on_keyboard("x");
    let screen = screen_until(&m, "the typed key", |row| row == "x");
    assert_eq!(numbers(&screen), bottom);
}

#[test]
fn each_console_has_its_own_settings_and_job_control() {
    let mut m = both_shells();
    run(&mut m, "busybox stty -F /dev/tty2 -echo; busybox stty -F /dev/tty2 -a | grep -o -- ' -echo '", " -echo \n");
    run(&mut m, "busybox stty -F /dev/tty3 -a | grep -o -- ' echo '", " echo \n");
    run(&mut m, "busybox stty -a | grep -o -- ' echo '", " echo \n");
    // Ctrl-C on the keyboard interrupts tty1's foreground job, not the serial one's.
    run(&mut m, "sleep 30 & echo started", "started\n");
    // (Longer than the wait for "back": only ^C lets it come in time.)
    m.type_on_keyboard("sleep 600\n");
    screen_shows(&m, "sleep 600");
    m.monitor("sendkey ctrl-c");
    m.type_on_keyboard("echo back\n");
    screen_until(&m, "the shell's answer", |row| row == "back");
    run(&mut m, "jobs", "Running");
}

#[test]
fn kernel_log_lines_go_to_the_serial_line_and_the_screen() {
    let mut m = both_shells();
    // The first lines may have scrolled into tty1's scrollback.
    let lines = ["Kestrel 0.1.0 (x86_64)", "INFO  interrupts: ", "started /sbin/init as pid 1"];
    let screen = m.screen_with_scrollback(&lines, 6);
    for line in lines {
        assert!(screen.contains(line), "{line:?} not on the screen:\n{screen}");
        assert!(m.log().contains(line), "{line:?} not on the serial line");
    }
    // A line the kernel logs later: a program's fault, started from the serial shell.
    run(&mut m, "/bin/ktest-vt fault; echo status $?", "status 139\n");
    let screen = screen_shows(&m, "(ktest-vt)");
    // The row may start after tty1's prompt and ends where the screen wraps.
    let row = screen.iter().find(|row| row.contains("(ktest-vt)")).expect("the fault's row");
    let line = &row[row.find("WARN").unwrap_or_else(|| panic!("not a warning: {row}"))..];
    assert!(line.contains("SIGSEGV"), "{line}");
    assert!(m.log().contains(line), "{line:?} not on the serial line:\n{}", m.log());
}

/// The device nodes, controlling terminals, TIOCNOTTY, TIOCSCTTY's stealing and
/// the virtual console requests (tests/guest-c/vt.c).
#[test]
fn consoles_as_a_program_sees_them() {
    run_ktest("vt", "");
}

/// The screen as QEMU shows it (a PPM image), whatever the display.
fn screendump(m: &Machine, dir: &std::path::Path, name: &str) -> Vec<u8> {
    let path = dir.join(name);
    m.monitor(&format!("screendump \"{}\"", path.display()));
    std::fs::read(&path).expect("read the screen dump")
}

/// On UEFI the consoles draw on the framebuffer: switching away changes the
/// picture, and switching back redraws tty1 exactly as it was.
#[test]
fn the_framebuffer_redraws_each_console() {
    let mut m = kestrel::Boot::new("").uefi().start();
    kestrel::session::logged_in(&mut m, Duration::from_secs(180));
    run(&mut m, "echo on tty2 > /dev/tty2; echo done", "done\n");
    std::thread::sleep(Duration::from_secs(1));
    let dir = tempfile::tempdir().expect("a scratch directory");
    let tty1 = screendump(&m, dir.path(), "tty1.ppm");
    m.monitor("sendkey alt-f2");
    let start = Instant::now();
    while screendump(&m, dir.path(), "tty2.ppm") == tty1 {
        assert!(start.elapsed() < TIMEOUT, "Alt-F2 did not change the screen");
        std::thread::sleep(Duration::from_millis(300));
    }
    m.monitor("sendkey alt-f1");
    let start = Instant::now();
    while screendump(&m, dir.path(), "again.ppm") != tty1 {
        assert!(start.elapsed() < TIMEOUT, "Alt-F1 did not bring tty1's picture back");
        std::thread::sleep(Duration::from_millis(300));
    }
    run(&mut m, "echo still here", "still here\n");
}
