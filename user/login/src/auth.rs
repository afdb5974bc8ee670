//! Asking for a user's password and checking it against /etc/shadow (what login,
//! su and passwd do before they act for someone).
use std::time::Duration;
use std::{fs, io, thread};

use ulib::diag::{report, report_error};

use crate::password;
use crate::shadow::{self, Check};

/// What came of asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Right,
    Wrong,
    /// Input ended instead of a password.
    Ended,
}

/// Asks for `user`'s password with `prompt` (no question when the account has an
/// empty password field) and checks it. A user without a shadow entry is asked
/// all the same, and the answer is wrong.
pub fn ask(user: &str, prompt: &str) -> io::Result<Answer> {
    let text = fs::read_to_string(shadow::PATH)?;
    let hash = shadow::hash_of(&text, user);
    if hash == Some("") {
        return Ok(Answer::Right);
    }
    let Some(typed) = password::ask(prompt)? else { return Ok(Answer::Ended) };
    Ok(match hash.map(|hash| shadow::check(&typed, hash)) {
        Some(Check::Match | Check::NoPassword) => Answer::Right,
        Some(Check::Mismatch) | None => Answer::Wrong,
    })
}

/// How long a wrong password costs.
pub const FAIL_DELAY: Duration = Duration::from_secs(3);

/// Asks for `user`'s password for `program`, which acts only on the right one:
/// after a wrong one it waits `FAIL_DELAY` and reports `refusal`. `Err` holds the
/// status to exit with.
pub fn require(program: &str, user: &str, prompt: &str, refusal: &str) -> Result<(), u8> {
    match ask(user, prompt) {
        Ok(Answer::Right) => Ok(()),
        Ok(Answer::Wrong) => {
            thread::sleep(FAIL_DELAY);
            report(program, refusal);
            Err(1)
        }
        Ok(Answer::Ended) => Err(1),
        Err(err) => {
            report_error(program, shadow::PATH, &err);
            Err(1)
        }
    }
}
