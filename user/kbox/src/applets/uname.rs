//! `uname [-asnrvmo]`: prints the system's identity from uname(2), by default its name.
use std::ffi::{OsString, c_char};
use std::io;
use std::mem::MaybeUninit;

use ulib::args::{CommandLine, Spec};
use ulib::diag::report_error;
use ulib::sys::check;

use crate::cli;

const PROGRAM: &str = "uname";

pub const USAGE: &str = "Usage: uname [OPTION]...
Print certain system information. With no OPTION, same as -s.
  -a   print all of the following, in this order
  -s   print the kernel name
  -n   print the network node hostname
  -r   print the kernel release
  -v   print the kernel version
  -m   print the machine hardware name
  -o   print the operating system (GNU/Linux on Linux, else the kernel name)";

const SPEC: Spec = Spec { flags: "asnrvmo", ..Spec::NONE };

/// The fields, in the order uname prints them, with their flags.
const FIELDS: [Field; 6] =
    [Field::Sysname, Field::Nodename, Field::Release, Field::Version, Field::Machine, Field::OperatingSystem];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Sysname,
    Nodename,
    Release,
    Version,
    Machine,
    OperatingSystem,
}

impl Field {
    fn flag(self) -> char {
        match self {
            Field::Sysname => 's',
            Field::Nodename => 'n',
            Field::Release => 'r',
            Field::Version => 'v',
            Field::Machine => 'm',
            Field::OperatingSystem => 'o',
        }
    }

    fn value(self, name: &libc::utsname) -> String {
        let text = match self {
            Field::Sysname => &name.sysname[..],
            Field::Nodename => &name.nodename[..],
            Field::Release => &name.release[..],
            Field::Version => &name.version[..],
            Field::Machine => &name.machine[..],
            Field::OperatingSystem => match c_text(&name.sysname).as_str() {
                "Linux" => return "GNU/Linux".into(),
                _ => &name.sysname[..],
            },
        };
        c_text(text)
    }
}

/// The fields the command line asks for: every one for `-a`, the system name for none.
fn selected_fields(command_line: &CommandLine) -> Vec<Field> {
    let all = command_line.has('a');
    let chosen: Vec<Field> = FIELDS.into_iter().filter(|field| all || command_line.has(field.flag())).collect();
    if chosen.is_empty() { vec![Field::Sysname] } else { chosen }
}

/// The text of a NUL-terminated `char` array (all of it if there is no NUL).
fn c_text(chars: &[c_char]) -> String {
    let bytes: Vec<u8> = chars.iter().map(|&char| char as u8).take_while(|&byte| byte != 0).collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

fn system_name() -> io::Result<libc::utsname> {
    let mut name = MaybeUninit::<libc::utsname>::zeroed();
    // SAFETY: uname writes one utsname to the pointer, which points at a live one; and
    // a zeroed utsname (arrays of c_char) is already a valid value.
    let (result, name) = unsafe { (libc::uname(name.as_mut_ptr()), name.assume_init()) };
    check(result).map(|_| name)
}

/// The network node name (the host name), for `hostname`.
pub fn node_name() -> io::Result<String> {
    system_name().map(|name| Field::Nodename.value(&name))
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse_without_operands(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let name = match system_name() {
        Ok(name) => name,
        Err(err) => {
            report_error(PROGRAM, "cannot get system name", &err);
            return 1;
        }
    };
    let values: Vec<String> = selected_fields(&command_line).into_iter().map(|field| field.value(&name)).collect();
    cli::print_line(PROGRAM, values.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(line: &str) -> Vec<Field> {
        let args = line.split_whitespace().map(OsString::from);
        selected_fields(&ulib::args::parse_spec(args, &SPEC).unwrap())
    }

    #[test]
    fn default_is_the_system_name() {
        assert_eq!(fields(""), vec![Field::Sysname]);
    }

    #[test]
    fn all_fields_in_order() {
        assert_eq!(fields("-a"), FIELDS.to_vec());
        assert_eq!(fields("-s -a"), FIELDS.to_vec());
    }

    #[test]
    fn chosen_fields_keep_uname_order() {
        assert_eq!(fields("-mr"), vec![Field::Release, Field::Machine]);
        assert_eq!(fields("-om"), vec![Field::Machine, Field::OperatingSystem]);
        assert_eq!(fields("-n -s"), vec![Field::Sysname, Field::Nodename]);
    }

    #[test]
    fn text_stops_at_nul() {
        let chars: Vec<c_char> = b"Linux\0junk".iter().map(|&b| b as c_char).collect();
        assert_eq!(c_text(&chars), "Linux");
        let unterminated: Vec<c_char> = b"abc".iter().map(|&b| b as c_char).collect();
        assert_eq!(c_text(&unterminated), "abc");
    }

    #[test]
    fn the_host_has_a_name() {
        let name = system_name().unwrap();
        assert!(!Field::Sysname.value(&name).is_empty());
        assert!(!node_name().unwrap().is_empty());
    }
}
