//! /etc/shadow: each user's password hash (`name:hash:lastchange:...`, nine fields
//! as shadow(5)), checking a password against it with SHA-crypt (`$6$` SHA-512,
//! `$5$` SHA-256, RustCrypto's `sha-crypt`), making a new `$6$` hash with a random
//! salt, and the file's text with one user's hash replaced.
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;

use sha_crypt::{PasswordHasher, PasswordVerifier, ShaCrypt};

/// Where the hashes are.
pub const PATH: &str = "/etc/shadow";
/// Random bytes in a new salt (16 characters once encoded, the most SHA-crypt uses).
pub const SALT_BYTES: usize = 12;

/// A user's hash field in the shadow file's `text`, if the user has a line.
pub fn hash_of<'a>(text: &'a str, user: &str) -> Option<&'a str> {
    text.lines().find_map(|line| {
        let mut fields = line.split(':');
        (fields.next() == Some(user)).then(|| fields.next().unwrap_or(""))
    })
}

/// What a hash field says about logging in with a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// The password matches.
    Match,
    /// It does not, or the account is locked (`!`, `*`), or the hash is of a kind
    /// this system cannot check.
    Mismatch,
    /// The field is empty: the account has no password and needs none.
    NoPassword,
}

/// Checks `password` against a shadow hash field.
pub fn check(password: &str, hash: &str) -> Check {
    if hash.is_empty() {
        return Check::NoPassword;
    }
    if !(hash.starts_with("$6$") || hash.starts_with("$5$")) {
        return Check::Mismatch;
    }
    match ShaCrypt::default().verify_password(password.as_bytes(), hash) {
        Ok(()) => Check::Match,
        Err(_) => Check::Mismatch,
    }
}

/// A SHA-512-crypt hash of `password` with `salt` (random bytes, encoded into the
/// hash), in crypt(3)'s format: `$6$rounds=5000$SALT$HASH`.
pub fn hash(password: &str, salt: &[u8]) -> String {
    ShaCrypt::SHA512
        .hash_password_with_salt(password.as_bytes(), salt)
        .map(|hash| hash.as_str().to_owned())
        .unwrap_or_else(|err| unreachable!("SHA-crypt rejected its own parameters: {err}"))
}

/// A new salt's random bytes (getrandom(2)).
pub fn random_salt() -> io::Result<[u8; SALT_BYTES]> {
    let mut salt = [0; SALT_BYTES];
    // SAFETY: getrandom writes at most `salt.len()` bytes into `salt`, which is live.
    let count = ulib::sys::check(unsafe { libc::getrandom(salt.as_mut_ptr().cast(), salt.len(), 0) })?;
    if count != salt.len() as isize {
        return Err(io::Error::from_raw_os_error(libc::EAGAIN));
    }
    Ok(salt)
}

/// Replaces the file at `path` with `text` at once: written to `path`+`.new`
/// (mode 0600, made afresh), flushed to storage, then renamed over it.
pub fn store(path: &str, text: &str) -> io::Result<()> {
    let new = format!("{path}.new");
    let _ = fs::remove_file(&new);
    let mut file = OpenOptions::new().write(true).create_new(true).mode(0o600).open(&new)?;
    let written = file.write_all(text.as_bytes()).and_then(|()| file.sync_all());
    if let Err(err) = written.and_then(|()| fs::rename(&new, path)) {
        let _ = fs::remove_file(&new);
        return Err(err);
    }
    Ok(())
}

/// A shadow line for a user who has none: `hash`, changed `today`, no ageing.
pub fn new_line(user: &str, hash: &str, today: u64) -> String {
    format!("{user}:{hash}:{today}:0:99999:7:::\n")
}

/// The shadow file's `text` with `user`'s hash field set to `hash` and the day of
/// the last change set to `today` (days since 1970); `None` when the user has no
/// line.
pub fn with_hash(text: &str, user: &str, hash: &str, today: u64) -> Option<String> {
    let mut found = false;
    let mut out = String::with_capacity(text.len() + hash.len());
    for line in text.lines() {
        let mut fields: Vec<&str> = line.split(':').collect();
        let today = today.to_string();
        if fields[0] == user && !found {
            found = true;
            fields.resize(fields.len().max(9), "");
            fields[1] = hash;
            fields[2] = &today;
            out.push_str(&fields.join(":"));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    found.then_some(out)
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;
    use std::path::Path;

    use super::*;

    /// Made on Linux with `openssl passwd -6 -salt kestrelsalt kestrel`.
    const ROOT_HASH: &str =
        "$6$kestrelsalt$LO6PAoyI8tJKQGIrXBikfu.e1f4bATa85uBb2P.pLFpc69xEYZ954BQLjCr6q6ANEs7L3209VROyERDbff49L.";
    /// `openssl passwd -5 -salt saltsalt secret`.
    const SHA256_HASH: &str = "$5$saltsalt$0IyaXrmV7.sGNS6tirgqHLqX/G.FBvgkYA.lpPdS5sA";
    /// glibc's crypt("rounds test", "$6$rounds=1000$roundsalt$").
    const ROUNDS_HASH: &str = "$6$rounds=1000$roundsalt$DmNXftgKnADJgyxG7xcoylGi74QlHilXuEAKungXi6E0RL3jMvKQdWcs4m07iSrBMUHqP1Ztix40bfwX0xkWg0";

    #[test]
    fn hashes_made_by_linux_check() {
        assert_eq!(check("kestrel", ROOT_HASH), Check::Match);
        assert_eq!(check("Kestrel", ROOT_HASH), Check::Mismatch);
        assert_eq!(check("", ROOT_HASH), Check::Mismatch);
        assert_eq!(check("secret", SHA256_HASH), Check::Match);
        assert_eq!(check("secrets", SHA256_HASH), Check::Mismatch);
        assert_eq!(check("rounds test", ROUNDS_HASH), Check::Match);
        assert_eq!(check("rounds tesT", ROUNDS_HASH), Check::Mismatch);
    }

    #[test]
    fn locked_unknown_and_empty_fields() {
        assert_eq!(check("kestrel", &format!("!{ROOT_HASH}")), Check::Mismatch);
        assert_eq!(check("", "*"), Check::Mismatch);
        assert_eq!(check("x", "$1$salt$whatever"), Check::Mismatch);
        assert_eq!(check("x", "$6$broken"), Check::Mismatch);
        assert_eq!(check("anything", ""), Check::NoPassword);
    }

    #[test]
    fn new_hashes_check_and_differ_by_salt() {
        let one = hash("new password", b"0123456789ab");
        let two = hash("new password", b"ba9876543210");
        assert!(one.starts_with("$6$"), "{one}");
        assert_ne!(one, two);
        assert_eq!(check("new password", &one), Check::Match);
        assert_eq!(check("new passwort", &one), Check::Mismatch);
    }

    #[test]
    fn finding_and_replacing_a_users_hash() {
        let text = format!("root:{ROOT_HASH}:19000:0:99999:7:::\nuser:*:19000\nbob::1:2:3:4:5:6:\n");
        assert_eq!(hash_of(&text, "root"), Some(ROOT_HASH));
        assert_eq!(hash_of(&text, "bob"), Some(""));
        assert_eq!(hash_of(&text, "ro"), None);
        let changed = with_hash(&text, "user", "$6$x$y", 20000).unwrap();
        assert_eq!(
            changed,
            format!("root:{ROOT_HASH}:19000:0:99999:7:::\nuser:$6$x$y:20000::::::\nbob::1:2:3:4:5:6:\n")
        );
        assert_eq!(with_hash(&text, "nobody", "$6$x$y", 1), None);
        assert_eq!(new_line("nobody", "*", 5), "nobody:*:5:0:99999:7:::\n");
    }

    #[test]
    fn storing_replaces_the_file() {
        let dir = std::env::temp_dir().join(format!("shadow-test-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("shadow");
        let path = path.to_str().unwrap();
        fs::write(path, "old\n").unwrap();
        store(path, "new\n").unwrap();
        assert_eq!(fs::read_to_string(path).unwrap(), "new\n");
        assert!(!Path::new(&format!("{path}.new")).exists());
        assert_eq!(fs::metadata(path).unwrap().permissions().mode() & 0o777, 0o600);
        assert_ne!(random_salt().unwrap(), random_salt().unwrap());
        fs::remove_dir_all(&dir).unwrap();
    }

    proptest::proptest! {
        /// Any file text and hash field is handled without panicking; replacing a
        /// hash changes only that user's line.
        #[test]
        fn any_shadow_text(text in "[a-z$:./0-9\n]{0,200}", field in "[$a-z0-9./]{0,40}") {
            let _ = check("password", &field);
            if let Some(changed) = with_hash(&text, "ann", "$6$x$y", 7) {
                proptest::prop_assert_eq!(hash_of(&changed, "ann"), Some("$6$x$y"));
                let replaced = text.lines().position(|line| line.split(':').next() == Some("ann"));
                let (before, after): (Vec<&str>, Vec<&str>) = (text.lines().collect(), changed.lines().collect());
                proptest::prop_assert_eq!(before.len(), after.len());
                for (index, (old, new)) in before.iter().zip(&after).enumerate() {
                    proptest::prop_assert!(Some(index) == replaced || old == new);
                }
            }
        }
    }
}
