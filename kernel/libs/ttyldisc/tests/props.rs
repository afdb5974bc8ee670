//! Property tests of the line discipline: any bytes under any termios settings never
//! panic and never hold or deliver more than `INPUT_CAPACITY` bytes; in canonical
//! mode with the console's settings, what reads return matches a plain model of line
//! editing (so erasing never reaches into a completed line); with `IUTF8`, erasing
//! never splits a character.

use std::collections::VecDeque;

use kabi::signal::Signal;
use kabi::tty::{ICANON, IUTF8};
use kabi::{NCCS, Termios};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm};
use ttyldisc::{INPUT_CAPACITY, LineDiscipline};

/// `cases` cases (`PROPTEST_CASES` sets another number, for a longer run), drawn
/// with the XorShift generator (ChaCha dominates the run time in debug builds),
/// without regression files in the source tree (a failure prints its input; it
/// becomes a plain `#[test]`).
fn config(cases: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|value| value.parse().ok()).unwrap_or(cases);
    Config { cases, failure_persistence: None, rng_algorithm: RngAlgorithm::XorShift, ..Config::default() }
}

const INTR: u8 = 0x03;
const EOF: u8 = 0x04;
const BACKSPACE: u8 = 0x08;
const KILL: u8 = 0x15;
const LNEXT: u8 = 0x16;
const WERASE: u8 = 0x17;
const SUSP: u8 = 0x1a;
const QUIT: u8 = 0x1c;
const ERASE: u8 = 0x7f;

/// Feeds one byte; returns the signal it raised.
fn feed(discipline: &mut LineDiscipline, byte: u8) -> Option<Signal> {
    discipline.input(byte, &mut |_: &[u8]| {})
}

fn read(discipline: &mut LineDiscipline, size: usize) -> Vec<u8> {
    let mut buffer = vec![0; size];
    let count = discipline.read(&mut buffer);
    buffer.truncate(count);
    buffer
}

/// Canonical input with the console's settings (`ICRNL`, `ISIG`, `IEXTEN`, no
/// `IUTF8`), as the crate documents it: completed lines (an end of file is an empty
/// one), the line being edited, and at most `INPUT_CAPACITY` bytes with the last one
/// kept for a line's end.
#[derive(Debug, Default)]
struct Model {
    lines: VecDeque<Vec<u8>>,
    /// The bytes of `lines`.
    completed: usize,
    current: Vec<u8>,
    literal_next: bool,
}

impl Model {
    fn held(&self) -> usize {
        self.completed + self.current.len()
    }

    fn store(&mut self, byte: u8) {
        if self.held() < INPUT_CAPACITY - 1 {
            self.current.push(byte);
        }
    }

    fn input(&mut self, byte: u8) -> Option<Signal> {
        if self.literal_next {
            self.literal_next = false;
            self.store(byte);
            return None;
        }
        let signal = match byte {
            INTR => Some(Signal::SIGINT),
            QUIT => Some(Signal::SIGQUIT),
            SUSP => Some(Signal::SIGTSTP),
            _ => None,
        };
        if signal.is_some() {
            self.lines.clear();
            self.completed = 0;
            self.current.clear();
            return signal;
        }
        let is_word = |byte: &u8| byte.is_ascii_alphanumeric() || *byte == b'_';
        match byte {
            ERASE | BACKSPACE => {
                self.current.pop();
            }
            KILL => self.current.clear(),
            WERASE => {
                while self.current.last().is_some_and(|byte| !is_word(byte)) {
                    self.current.pop();
                }
                while self.current.last().is_some_and(is_word) {
                    self.current.pop();
                }
            }
            LNEXT => self.literal_next = true,
            b'\n' | b'\r' => {
                if self.held() < INPUT_CAPACITY {
                    self.current.push(b'\n');
                    self.completed += self.current.len();
                    self.lines.push_back(std::mem::take(&mut self.current));
                }
            }
            EOF => {
                if self.lines.len() < INPUT_CAPACITY {
                    self.completed += self.current.len();
                    self.lines.push_back(std::mem::take(&mut self.current));
                }
            }
            _ => self.store(byte),
        }
        None
    }

    fn read(&mut self, size: usize) -> Vec<u8> {
        let Some(line) = self.lines.front_mut() else {
            return Vec::new();
        };
        let taken: Vec<u8> = line.drain(..size.min(line.len())).collect();
        self.completed -= taken.len();
        if line.is_empty() {
            self.lines.pop_front();
        }
        taken
    }

    fn available(&self) -> usize {
        self.completed
    }
}

/// A byte for canonical editing: mostly letters, blanks and punctuation, with the
/// editing, line-ending and signal characters among them.
fn editing_byte() -> impl Strategy<Value = u8> {
    prop_oneof![
        10 => prop::sample::select(b"abc_ 1.-/".to_vec()),
        2 => Just(b'\n'),
        1 => Just(b'\r'),
        2 => Just(ERASE),
        1 => Just(BACKSPACE),
        1 => Just(KILL),
        1 => Just(WERASE),
        1 => Just(EOF),
        1 => Just(LNEXT),
        1 => prop::sample::select(vec![INTR, QUIT, SUSP]),
        1 => any::<u8>(),
    ]
}

/// What a test does next.
#[derive(Debug, Clone)]
enum Step {
    Input(Vec<u8>),
    /// A long run of one byte (to fill the buffer).
    Flood(u8, usize),
    Read(usize),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        12 => prop::collection::vec(editing_byte(), 1..40).prop_map(Step::Input),
        1 => (prop::sample::select(b"x\n \x7f".to_vec()), prop_oneof![1usize..100, INPUT_CAPACITY - 8..INPUT_CAPACITY + 8])
            .prop_map(|(byte, count)| Step::Flood(byte, count)),
        6 => prop_oneof![1usize..8, 1usize..5000].prop_map(Step::Read),
    ]
}

/// Any settings: random flag words and control characters.
fn termios() -> impl Strategy<Value = Termios> {
    (any::<u32>(), any::<u32>(), prop::collection::vec(prop_oneof![any::<u8>(), 0u8..0x20], NCCS)).prop_map(
        |(c_iflag, c_lflag, cc)| {
            let mut termios = Termios::linux_default();
            termios.c_iflag = c_iflag;
            termios.c_lflag = c_lflag;
            termios.c_cc.copy_from_slice(&cc);
            termios
        },
    )
}

/// An action under arbitrary settings.
#[derive(Debug, Clone)]
enum Action {
    Input(Vec<u8>),
    SetTermios(Termios),
    Read(usize),
    Flush,
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        12 => prop::collection::vec(prop_oneof![any::<u8>(), 0u8..0x20, Just(b'\n')], 1..300).prop_map(Action::Input),
        1 => (any::<u8>(), INPUT_CAPACITY - 8..INPUT_CAPACITY + 8).prop_map(|(byte, count)| Action::Input(vec![byte; count])),
        4 => termios().prop_map(Action::SetTermios),
        6 => prop_oneof![0usize..8, 0usize..6000].prop_map(Action::Read),
        1 => Just(Action::Flush),
    ]
}

proptest! {
    #![proptest_config(config(512))]

    /// With the console's settings, reads give what the model of line editing gives.
    #[test]
    fn canonical_editing_matches_the_model(steps in prop::collection::vec(step(), 1..30)) {
        let mut discipline = LineDiscipline::new();
        let mut model = Model::default();
        for step in &steps {
            match *step {
                Step::Input(ref bytes) => {
                    for &byte in bytes {
                        prop_assert_eq!(feed(&mut discipline, byte), model.input(byte), "byte {:#x}", byte);
                    }
                }
                Step::Flood(byte, count) => {
                    for _ in 0..count {
                        feed(&mut discipline, byte);
                        model.input(byte);
                    }
                }
                Step::Read(size) => {
                    let got = read(&mut discipline, size);
                    prop_assert!(got.len() <= INPUT_CAPACITY);
                    prop_assert_eq!(got, model.read(size));
                }
            }
            prop_assert_eq!(discipline.available(), model.available());
            prop_assert_eq!(discipline.readable(), !model.lines.is_empty());
        }
    }

    /// Completed lines survive any amount of erasing, killing and word-erasing after
    /// them: erasing stops at the start of the line being edited.
    #[test]
    fn erasing_never_reaches_a_completed_line(
        line in prop::collection::vec(prop::sample::select(b"ab_ .\x7f".to_vec()), 0..60),
        edits in prop::collection::vec(prop_oneof![Just(ERASE), Just(BACKSPACE), Just(KILL), Just(WERASE), Just(b'z')], 0..200),
    ) {
        let mut discipline = LineDiscipline::new();
        for &byte in line.iter().chain(b"\n").chain(&edits) {
            feed(&mut discipline, byte);
        }
        let mut model = Model::default();
        for &byte in line.iter().chain(b"\n") {
            model.input(byte);
        }
        let expected = model.read(INPUT_CAPACITY);
        prop_assert_eq!(read(&mut discipline, INPUT_CAPACITY), expected);
    }

    /// With `IUTF8`, lines of whole characters stay whole: erasing removes one
    /// character, all of its bytes, and reads return valid UTF-8 matching the model.
    #[test]
    fn utf8_erase_removes_whole_characters(
        tokens in prop::collection::vec(prop_oneof![
            6 => any::<char>().prop_map(Some),
            2 => Just(None),
        ], 0..80),
    ) {
        let mut discipline = LineDiscipline::new();
        let mut termios = discipline.termios();
        termios.c_iflag |= IUTF8;
        discipline.set_termios(termios);
        let mut expected = String::new();
        for token in &tokens {
            match token {
                // Control characters edit or signal: leave them out here.
                Some(char) if !char.is_ascii_control() => {
                    expected.push(*char);
                    for &byte in char.encode_utf8(&mut [0; 4]).as_bytes() {
                        feed(&mut discipline, byte);
                    }
                }
                Some(_) => {}
                None => {
                    expected.pop();
                    feed(&mut discipline, ERASE);
                }
            }
        }
        feed(&mut discipline, b'\n');
        expected.push('\n');
        let line = read(&mut discipline, INPUT_CAPACITY);
        prop_assert!(std::str::from_utf8(&line).is_ok(), "{line:?}");
        prop_assert_eq!(line, expected.as_bytes());
    }

    /// Any bytes under any settings, changed at any time: no panic, never more than
    /// `INPUT_CAPACITY` bytes held, no read longer than its buffer or than what is
    /// available, and never more bytes read than received.
    #[test]
    fn any_bytes_under_any_settings(actions in prop::collection::vec(action(), 1..40)) {
        let mut discipline = LineDiscipline::new();
        let mut received = 0usize;
        let mut delivered = 0usize;
        for action in &actions {
            match action {
                Action::Input(bytes) => {
                    for &byte in bytes {
                        let mut echoed = 0;
                        discipline.input(byte, &mut |echo: &[u8]| echoed += echo.len());
                        // The most one byte echoes: erasing a full line, 8 bytes a character.
                        prop_assert!(echoed <= 8 * INPUT_CAPACITY);
                    }
                    received += bytes.len();
                }
                Action::SetTermios(termios) => discipline.set_termios(*termios),
                Action::Read(size) => {
                    let available = discipline.available();
                    let canonical = discipline.termios().c_lflag & ICANON != 0;
                    let got = read(&mut discipline, *size);
                    prop_assert!(got.len() <= *size);
                    prop_assert!(got.len() <= available, "read {} of {} available", got.len(), available);
                    if !canonical {
                        prop_assert_eq!(got.len(), (*size).min(available));
                    }
                    delivered += got.len();
                }
                Action::Flush => discipline.flush_input(),
            }
            prop_assert!(discipline.available() <= INPUT_CAPACITY);
            if discipline.termios().c_lflag & ICANON == 0 {
                prop_assert_eq!(discipline.readable(), discipline.available() > 0);
            } else if discipline.available() > 0 {
                prop_assert!(discipline.readable());
            }
            prop_assert!(delivered <= received);
        }
    }
}
