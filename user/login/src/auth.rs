//! Asking for a user's password and checking it against /etc/shadow (what login,
//! su and passwd do before they act for someone).
use std::{fs, io};

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
