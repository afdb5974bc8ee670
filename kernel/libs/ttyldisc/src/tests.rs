//! Host tests of the line discipline: byte sequences in, echo, reads and signals out.

use super::*;
use kabi::tty::{IXON, OPOST, VMIN, VTIME};

/// Feeds `bytes`; returns the echo and the signals raised.
fn feed(discipline: &mut LineDiscipline, bytes: &[u8]) -> (Vec<u8>, Vec<Signal>) {
    let mut echoed = Vec::new();
    let mut signals = Vec::new();
    for &byte in bytes {
        if let Some(signal) = discipline.input(byte, &mut |out: &[u8]| echoed.extend_from_slice(out)) {
            signals.push(signal);
        }
    }
    (echoed, signals)
}

/// Feeds `bytes` and returns only the echo.
fn echo_of(discipline: &mut LineDiscipline, bytes: &[u8]) -> Vec<u8> {
    feed(discipline, bytes).0
}

/// One read of at most `size` bytes.
fn read(discipline: &mut LineDiscipline, size: usize) -> Vec<u8> {
    let mut buffer = vec![0; size];
    let count = discipline.read(&mut buffer);
    buffer.truncate(count);
    buffer
}

fn raw() -> LineDiscipline {
    let mut discipline = LineDiscipline::new();
    let mut termios = discipline.termios();
    termios.c_lflag &= !(ICANON | ECHO);
    discipline.set_termios(termios);
    discipline
}

#[test]
fn starts_with_the_linux_console_settings() {
    let termios = LineDiscipline::new().termios();
    assert_eq!(termios, Termios::linux_default());
    assert_eq!(termios.c_iflag & (ICRNL | IXON), ICRNL | IXON);
    assert_ne!(termios.c_oflag & OPOST, 0);
    let lflags = ICANON | ECHO | ECHOE | ECHOK | ISIG | IEXTEN | ECHOCTL;
    assert_eq!(termios.c_lflag & lflags, lflags);
    let cc = termios.c_cc;
    assert_eq!((cc[VINTR], cc[VQUIT], cc[VERASE], cc[VKILL], cc[VEOF]), (3, 0x1c, 0x7f, 0x15, 4));
    assert_eq!((cc[VMIN], cc[VTIME], cc[VSUSP], cc[VWERASE]), (1, 0, 0x1a, 0x17));
}

#[test]
fn a_line_is_readable_once_it_ends() {
    let mut discipline = LineDiscipline::new();
    assert_eq!(echo_of(&mut discipline, b"ls -l"), b"ls -l");
    assert!(!discipline.readable());
    assert_eq!(discipline.available(), 0);
    assert_eq!(read(&mut discipline, 100), b"", "nothing until the line ends");
    assert_eq!(echo_of(&mut discipline, b"\n"), b"\n");
    assert!(discipline.readable());
    assert_eq!(discipline.available(), 6);
    assert_eq!(read(&mut discipline, 100), b"ls -l\n");
    assert!(!discipline.readable());
}

#[test]
fn carriage_return_is_read_as_newline() {
    let mut discipline = LineDiscipline::new();
    assert_eq!(echo_of(&mut discipline, b"pwd\r"), b"pwd\n");
    assert_eq!(read(&mut discipline, 100), b"pwd\n");
}

#[test]
fn carriage_return_flags() {
    let mut discipline = LineDiscipline::new();
    let mut termios = discipline.termios();
    termios.c_iflag = (termios.c_iflag & !ICRNL) | IGNCR;
    discipline.set_termios(termios);
    feed(&mut discipline, b"a\rb\n");
    assert_eq!(read(&mut discipline, 100), b"ab\n", "IGNCR drops CR");
    termios.c_iflag &= !IGNCR;
    discipline.set_termios(termios);
    assert_eq!(echo_of(&mut discipline, b"a\r\n"), b"a^M\n", "CR kept as is, echoed as ^M");
    assert_eq!(read(&mut discipline, 100), b"a\r\n");
    termios.c_iflag |= INLCR;
    discipline.set_termios(termios);
    feed(&mut discipline, b"x\n");
    assert!(!discipline.readable(), "INLCR: NL read as CR, which ends no line");
}

#[test]
fn one_read_returns_at_most_one_line_and_partial_reads_keep_the_rest() {
    let mut discipline = LineDiscipline::new();
    feed(&mut discipline, b"first\nsecond\n");
    assert_eq!(discipline.available(), 13);
    assert_eq!(read(&mut discipline, 100), b"first\n");
    assert_eq!(read(&mut discipline, 3), b"sec");
    assert!(discipline.readable());
    assert_eq!(read(&mut discipline, 2), b"on");
    assert_eq!(read(&mut discipline, 100), b"d\n");
    assert!(!discipline.readable());
    assert_eq!(read(&mut discipline, 0), b"");
}

#[test]
fn erase_removes_one_character_and_echoes_backspace_space_backspace() {
    let mut discipline = LineDiscipline::new();
    assert_eq!(echo_of(&mut discipline, b"cat\x7f"), b"cat\x08 \x08");
    assert_eq!(echo_of(&mut discipline, b"r\x08"), b"r\x08 \x08", "Backspace erases too");
    feed(&mut discipline, b"\n");
    assert_eq!(read(&mut discipline, 100), b"ca\n");
}

#[test]
fn erase_at_the_start_of_a_line_does_nothing() {
    let mut discipline = LineDiscipline::new();
    assert_eq!(echo_of(&mut discipline, b"\x7f\x08"), b"");
    feed(&mut discipline, b"a\n");
    assert_eq!(echo_of(&mut discipline, b"\x7f"), b"", "a completed line is not erased");
    feed(&mut discipline, b"b\n");
    assert_eq!(read(&mut discipline, 100), b"a\n");
    assert_eq!(read(&mut discipline, 100), b"b\n");
}

#[test]
fn erasing_a_control_character_erases_its_two_columns() {
    let mut discipline = LineDiscipline::new();
    assert_eq!(echo_of(&mut discipline, b"a\x01"), b"a^A");
    assert_eq!(echo_of(&mut discipline, b"\x7f"), b"\x08 \x08\x08 \x08");
}

#[test]
fn erase_without_echoe_echoes_the_erase_character() {
    let mut discipline = LineDiscipline::new();
    let mut termios = discipline.termios();
    termios.c_lflag &= !ECHOE;
    discipline.set_termios(termios);
    assert_eq!(echo_of(&mut discipline, b"ab\x7f"), b"ab^?");
    feed(&mut discipline, b"\n");
    assert_eq!(read(&mut discipline, 100), b"a\n");
}

#[test]
fn utf8_characters_are_erased_whole_with_iutf8() {
    let mut discipline = LineDiscipline::new();
    let mut termios = discipline.termios();
    termios.c_iflag |= IUTF8;
    discipline.set_termios(termios);
    assert_eq!(echo_of(&mut discipline, "aé€\x7f".as_bytes()), "aé€\x08 \x08".as_bytes());
    feed(&mut discipline, b"\n");
    assert_eq!(read(&mut discipline, 100), "aé\n".as_bytes());
}

#[test]
fn kill_erases_the_line() {
    let mut discipline = LineDiscipline::new();
    feed(&mut discipline, b"done\n");
    assert_eq!(echo_of(&mut discipline, b"abc\x15"), b"abc\x08 \x08\x08 \x08\x08 \x08");
    assert_eq!(echo_of(&mut discipline, b"\x15"), b"", "nothing left to kill");
    feed(&mut discipline, b"x\n");
    assert_eq!(read(&mut discipline, 100), b"done\n");
    assert_eq!(read(&mut discipline, 100), b"x\n");
}

#[test]
fn kill_without_echoke_echoes_the_kill_character_and_a_newline() {
    let mut discipline = LineDiscipline::new();
    let mut termios = discipline.termios();
    termios.c_lflag &= !ECHOKE;
    discipline.set_termios(termios);
    assert_eq!(echo_of(&mut discipline, b"abc\x15"), b"abc^U\n");
    feed(&mut discipline, b"d\n");
    assert_eq!(read(&mut discipline, 100), b"d\n");
}

#[test]
fn word_erase_removes_the_last_word_and_what_follows_it() {
    let mut discipline = LineDiscipline::new();
    assert_eq!(
        echo_of(&mut discipline, b"echo foo  \x17"),
        b"echo foo  ".iter().chain(b"\x08 \x08".repeat(5).iter()).copied().collect::<Vec<_>>()
    );
    feed(&mut discipline, b"bar/baz_1\x17\n");
    assert_eq!(read(&mut discipline, 100), b"echo bar/\n");
    feed(&mut discipline, b"\x17 \x17\n");
    assert_eq!(read(&mut discipline, 100), b"\n", "erases lone spaces, ignores an empty line");
}

#[test]
fn word_erase_needs_iexten() {
    let mut discipline = LineDiscipline::new();
    let mut termios = discipline.termios();
    termios.c_lflag &= !IEXTEN;
    discipline.set_termios(termios);
    feed(&mut discipline, b"a b\x17\n");
    assert_eq!(read(&mut discipline, 100), b"a b\x17\n");
}

#[test]
fn end_of_file_at_the_start_of_a_line_reads_zero_once() {
    let mut discipline = LineDiscipline::new();
    assert_eq!(echo_of(&mut discipline, b"\x04"), b"", "^D is not echoed");
    assert!(discipline.readable());
    assert_eq!(discipline.available(), 0);
    assert_eq!(read(&mut discipline, 100), b"");
    assert!(!discipline.readable(), "the end of file is consumed");
    feed(&mut discipline, b"more\n");
    assert_eq!(read(&mut discipline, 100), b"more\n");
}

#[test]
fn end_of_file_after_text_completes_the_line_without_a_newline() {
    let mut discipline = LineDiscipline::new();
    assert_eq!(echo_of(&mut discipline, b"abc\x04"), b"abc");
    assert_eq!(read(&mut discipline, 100), b"abc");
    feed(&mut discipline, b"line\n\x04");
    assert_eq!(read(&mut discipline, 100), b"line\n");
    assert!(discipline.readable());
    assert_eq!(read(&mut discipline, 100), b"", "then the end of file");
}

#[test]
fn extra_line_ends_end_a_line() {
    let mut discipline = LineDiscipline::new();
    let mut termios = discipline.termios();
    termios.c_cc[VEOL] = b';';
    discipline.set_termios(termios);
    assert_eq!(echo_of(&mut discipline, b"a;b"), b"a;b");
    assert_eq!(read(&mut discipline, 100), b"a;");
    assert!(!discipline.readable());
}

#[test]
fn signal_characters_raise_signals_flush_input_and_echo() {
    let mut discipline = LineDiscipline::new();
    let (echoed, signals) = feed(&mut discipline, b"done\npartial\x03");
    assert_eq!(echoed, b"done\npartial^C");
    assert_eq!(signals, [Signal::SIGINT]);
    assert!(!discipline.readable(), "everything pending is discarded");
    assert_eq!(feed(&mut discipline, b"\x1c"), (b"^\\".to_vec(), vec![Signal::SIGQUIT]));
    assert_eq!(feed(&mut discipline, b"\x1a"), (b"^Z".to_vec(), vec![Signal::SIGTSTP]));
    feed(&mut discipline, b"next\n");
    assert_eq!(read(&mut discipline, 100), b"next\n");
}

#[test]
fn noflsh_keeps_input_and_isig_off_makes_signal_characters_data() {
    let mut discipline = LineDiscipline::new();
    let mut termios = discipline.termios();
    termios.c_lflag |= NOFLSH;
    discipline.set_termios(termios);
    let (_, signals) = feed(&mut discipline, b"ab\x03c\n");
    assert_eq!(signals, [Signal::SIGINT]);
    assert_eq!(read(&mut discipline, 100), b"abc\n");
    termios.c_lflag &= !ISIG;
    discipline.set_termios(termios);
    let (echoed, signals) = feed(&mut discipline, b"\x03\n");
    assert!(signals.is_empty());
    assert_eq!(echoed, b"^C\n");
    assert_eq!(read(&mut discipline, 100), b"\x03\n");
}

#[test]
fn disabled_control_characters_match_nothing() {
    let mut discipline = LineDiscipline::new();
    let mut termios = discipline.termios();
    termios.c_cc[VINTR] = 0;
    termios.c_cc[VEOF] = 0;
    discipline.set_termios(termios);
    let (_, signals) = feed(&mut discipline, b"\x03\x00\x04\n");
    assert!(signals.is_empty());
    assert_eq!(read(&mut discipline, 100), b"\x03\x00\x04\n");
}

#[test]
fn literal_next_stores_the_following_byte_as_it_is() {
    let mut discipline = LineDiscipline::new();
    let (echoed, signals) = feed(&mut discipline, b"a\x16\x03\x16\x7f\x16\n\n");
    assert!(signals.is_empty());
    assert_eq!(echoed, b"a^\x08^C^\x08^?^\x08\n\n");
    assert_eq!(read(&mut discipline, 100), b"a\x03\x7f\n\n");
}

#[test]
fn echo_off_hides_input_but_not_line_editing() {
    let mut discipline = LineDiscipline::new();
    let mut termios = discipline.termios();
    termios.c_lflag &= !ECHO;
    discipline.set_termios(termios);
    assert_eq!(echo_of(&mut discipline, b"secret\x7f\x17pw\n"), b"");
    assert_eq!(read(&mut discipline, 100), b"pw\n");
    termios.c_lflag |= ECHONL;
    discipline.set_termios(termios);
    assert_eq!(echo_of(&mut discipline, b"pw\n"), b"\n", "ECHONL echoes only the newline");
}

#[test]
fn echoctl_off_echoes_control_characters_raw() {
    let mut discipline = LineDiscipline::new();
    let mut termios = discipline.termios();
    termios.c_lflag &= !ECHOCTL;
    discipline.set_termios(termios);
    assert_eq!(feed(&mut discipline, b"\x01\x03"), (b"\x01\x03".to_vec(), vec![Signal::SIGINT]));
}

#[test]
fn non_canonical_bytes_are_readable_at_once() {
    let mut discipline = raw();
    assert_eq!(echo_of(&mut discipline, b"ab"), b"", "ECHO is off");
    assert!(discipline.readable());
    assert_eq!(discipline.available(), 2);
    assert_eq!(read(&mut discipline, 1), b"a");
    feed(&mut discipline, b"\x7f\x15\x04\x17\rc");
    assert_eq!(read(&mut discipline, 100), b"b\x7f\x15\x04\x17\nc", "no editing, ICRNL still applies");
    assert!(!discipline.readable());
    let (_, signals) = feed(&mut discipline, b"\x03");
    assert_eq!(signals, [Signal::SIGINT], "ISIG is separate from ICANON");
}

#[test]
fn non_canonical_echo_follows_echo() {
    let mut discipline = LineDiscipline::new();
    let mut termios = discipline.termios();
    termios.c_lflag &= !ICANON;
    discipline.set_termios(termios);
    assert_eq!(echo_of(&mut discipline, b"a\x7f\r"), b"a^?\n");
    assert_eq!(read(&mut discipline, 100), b"a\x7f\n");
}

#[test]
fn switching_modes_keeps_pending_input() {
    let mut discipline = LineDiscipline::new();
    feed(&mut discipline, b"line\npart");
    let canonical = discipline.termios();
    let mut non_canonical = canonical;
    non_canonical.c_lflag &= !ICANON;
    discipline.set_termios(non_canonical);
    assert_eq!(discipline.available(), 9);
    assert_eq!(read(&mut discipline, 3), b"lin");
    discipline.set_termios(canonical);
    assert!(discipline.readable(), "what is pending becomes one line");
    assert_eq!(read(&mut discipline, 100), b"e\npart");
    assert!(!discipline.readable());
    let mut vmin = canonical;
    vmin.c_cc[VMIN] = 5;
    discipline.set_termios(vmin);
    assert_eq!(discipline.termios().c_cc[VMIN], 5);
}

#[test]
fn flush_input_discards_everything() {
    let mut discipline = LineDiscipline::new();
    feed(&mut discipline, b"a\nb\x04c");
    discipline.flush_input();
    assert!(!discipline.readable());
    feed(&mut discipline, b"d\n");
    assert_eq!(read(&mut discipline, 100), b"d\n");
}

#[test]
fn canonical_input_is_bounded_but_a_line_can_always_end() {
    let mut discipline = LineDiscipline::new();
    let (echoed, _) = feed(&mut discipline, &[b'x'; INPUT_CAPACITY + 10]);
    assert_eq!(echoed.len(), INPUT_CAPACITY - 1, "dropped bytes are not echoed");
    assert_eq!(echo_of(&mut discipline, b"\r"), b"\n");
    assert_eq!(discipline.available(), INPUT_CAPACITY);
    assert_eq!(echo_of(&mut discipline, b"y\n"), b"", "full: dropped");
    let line = read(&mut discipline, 2 * INPUT_CAPACITY);
    assert_eq!(line.len(), INPUT_CAPACITY);
    assert_eq!(line.last(), Some(&b'\n'));
    assert!(!discipline.readable());
    // Erasing still works on a full line.
    feed(&mut discipline, &[b'z'; INPUT_CAPACITY]);
    feed(&mut discipline, b"\x7f\x7f\n");
    assert_eq!(read(&mut discipline, 2 * INPUT_CAPACITY).len(), INPUT_CAPACITY - 2);
}

#[test]
fn end_of_file_markers_are_bounded() {
    let mut discipline = LineDiscipline::new();
    feed(&mut discipline, &[4; INPUT_CAPACITY + 5]);
    let mut reads = 0;
    while discipline.readable() {
        assert_eq!(read(&mut discipline, 10), b"");
        reads += 1;
    }
    assert_eq!(reads, INPUT_CAPACITY);
}

#[test]
fn non_canonical_input_is_bounded() {
    let mut discipline = raw();
    feed(&mut discipline, &[b'r'; INPUT_CAPACITY + 1]);
    assert_eq!(discipline.available(), INPUT_CAPACITY);
    assert_eq!(read(&mut discipline, 2 * INPUT_CAPACITY).len(), INPUT_CAPACITY);
}

#[test]
fn istrip_clears_the_eighth_bit() {
    let mut discipline = LineDiscipline::new();
    let mut termios = discipline.termios();
    termios.c_iflag |= ISTRIP;
    discipline.set_termios(termios);
    let (_, signals) = feed(&mut discipline, &[0xe1, 0x83]);
    assert_eq!(signals, [Signal::SIGINT], "0x83 is ^C once stripped");
    feed(&mut discipline, &[0xe1, b'\n']);
    assert_eq!(read(&mut discipline, 100), b"a\n");
}

#[test]
fn vtime_is_left_to_the_kernel() {
    let mut discipline = raw();
    let mut termios = discipline.termios();
    termios.c_cc[VTIME] = 10;
    termios.c_cc[VMIN] = 0;
    discipline.set_termios(termios);
    assert_eq!((discipline.termios().c_cc[VMIN], discipline.termios().c_cc[VTIME]), (0, 10));
    assert!(!discipline.readable());
}

#[test]
fn reads_across_the_ring_buffer_wrap_keep_the_order() {
    let mut discipline = raw();
    let bytes: Vec<u8> = (0..INPUT_CAPACITY).map(|n| b'a' + (n % 26) as u8).collect();
    feed(&mut discipline, &bytes);
    assert_eq!(read(&mut discipline, 3000), bytes[..3000]);
    // Refilling wraps the buffer's storage around; reads must still see arrival order.
    let more: Vec<u8> = (0..2000).map(|n| b'0' + (n % 10) as u8).collect();
    feed(&mut discipline, &more);
    let mut expected = bytes[3000..].to_vec();
    expected.extend_from_slice(&more);
    assert_eq!(read(&mut discipline, 500), expected[..500]);
    assert_eq!(read(&mut discipline, 10_000), expected[500..]);
    assert!(!discipline.readable());
}

#[test]
fn room_runs_out_only_when_input_cannot_be_kept() {
    let mut discipline = raw();
    echo_of(&mut discipline, &[b'x'; INPUT_CAPACITY - 1]);
    assert!(discipline.has_room());
    echo_of(&mut discipline, b"x");
    assert!(!discipline.has_room(), "a full raw buffer");
    let mut canonical = LineDiscipline::new();
    echo_of(&mut canonical, &[b'x'; INPUT_CAPACITY + 10]);
    assert!(canonical.has_room(), "an overlong line still takes its end");
    echo_of(&mut canonical, b"\n");
    assert!(!canonical.has_room(), "completed lines fill the buffer");
    read(&mut canonical, INPUT_CAPACITY);
    assert!(canonical.has_room());
}

#[test]
fn output_processing_maps_line_ends_within_the_room() {
    let termios = Termios::linux_default();
    let mut out = Vec::new();
    assert_eq!(process_output(&termios, b"a\nb\r", 100, &mut out), 4);
    assert_eq!(out, b"a\r\nb\r");
    out.clear();
    assert_eq!(process_output(&termios, b"ab\n", 3, &mut out), 2, "CR NL is not split");
    assert_eq!(out, b"ab");
    let mut cooked = termios;
    cooked.c_oflag |= kabi::tty::OCRNL;
    out.clear();
    assert_eq!(process_output(&cooked, b"\r", 1, &mut out), 1);
    assert_eq!(out, b"\n");
    let mut raw = termios;
    raw.c_oflag &= !OPOST;
    out.clear();
    assert_eq!(process_output(&raw, b"\n\r", 2, &mut out), 2);
    assert_eq!(out, b"\n\r");
}
