//! /etc/issue, the text getty shows before its prompt, with agetty's escapes:
//! `\n` the host name, `\l` the terminal, `\s` the system's name, `\r` its release,
//! `\m` the machine, `\\` a backslash; any other escape is left as it is.

/// What the escapes stand for.
#[derive(Debug, Clone, Default)]
pub struct System {
    pub hostname: String,
    pub tty: String,
    pub sysname: String,
    pub release: String,
    pub machine: String,
}

fn field(chars: &[libc::c_char]) -> String {
    let bytes: Vec<u8> = chars.iter().take_while(|&&char| char != 0).map(|&char| char as u8).collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

impl System {
    /// This machine's names (uname(2)), for terminal `tty`.
    pub fn current(tty: &str) -> Self {
        // SAFETY: an all-zero utsname is a valid value for uname to overwrite.
        let mut names: libc::utsname = unsafe { std::mem::zeroed() };
        // SAFETY: `names` is a live utsname for the kernel to fill; on failure it stays
        // zeroed, which reads as empty names.
        unsafe { libc::uname(&mut names) };
        Self {
            hostname: field(&names.nodename),
            tty: tty.to_owned(),
            sysname: field(&names.sysname),
            release: field(&names.release),
            machine: field(&names.machine),
        }
    }
}

/// `text` with its escapes replaced.
pub fn expand(text: &str, system: &System) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(char) = chars.next() {
        if char != '\\' {
            out.push(char);
            continue;
        }
        match chars.next() {
            Some('n') => out.push_str(&system.hostname),
            Some('l') => out.push_str(&system.tty),
            Some('s') => out.push_str(&system.sysname),
            Some('r') => out.push_str(&system.release),
            Some('m') => out.push_str(&system.machine),
            Some('\\') => out.push('\\'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        let system = System {
            hostname: "kestrel".into(),
            tty: "tty2".into(),
            sysname: "Kestrel".into(),
            release: "0.1.0".into(),
            machine: "x86_64".into(),
        };
        assert_eq!(expand("\\s \\r (\\n) \\l\n", &system), "Kestrel 0.1.0 (kestrel) tty2\n");
        assert_eq!(expand("\\m \\\\ \\x \\", &system), "x86_64 \\ \\x \\");
        assert_eq!(expand("plain", &system), "plain");
    }
}
