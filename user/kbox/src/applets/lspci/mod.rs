//! `lspci [-nvxD] [-s SLOT] [-d ID]`: the PCI functions from /proc/bus/pci, as
//! pciutils's lspci shows them without the ids database (built-in class names,
//! `Device VVVV:DDDD`).
mod classes;
mod device;
mod show;

use std::ffi::OsString;
use std::fs;
use std::io::Write;

use ulib::args::Spec;
use ulib::diag::report;

use crate::cli;
use device::{Device, IdFilter, SlotFilter, parse_line};
use show::{Names, Options, show};

const PROGRAM: &str = "lspci";
/// Where Linux's procfs shows the buses (`-O proc.path=DIR` elsewhere).
const PROC_PATH: &str = "/proc/bus/pci";

pub const USAGE: &str = "Usage: lspci [<switches>]
List the PCI devices (from /proc/bus/pci).

Display options:
-v\t\tBe verbose (subsystem, flags, regions, ROM, capabilities)
-x\t\tShow hex-dump of the standard part of the config space
-xxx\t\tShow hex-dump of the whole config space (root only)
-D\t\tAlways show domain numbers

Resolving of device IDs to names:
-n\t\tShow numeric IDs
-nn\t\tShow both textual and numeric IDs (names & numbers)

Selection of devices:
-s [[[[<domain>]:]<bus>]:][<slot>][.[<func>]]\tShow only devices in selected slots
-d [<vendor>]:[<device>][:<class>[:<prog-if>]]\tShow only devices with specified IDs

PCI access options:
-A <method>\tUse the specified PCI access method (see `-A help' for a list)
-O <par>=<val>\tSet PCI access parameter (see `-O help' for a list)";

const SPEC: Spec = Spec { flags: "nvxD", valued: "sdAO", ..Spec::NONE };

/// How many times `flag` was given.
fn count(command_line: &ulib::args::CommandLine, flag: char) -> usize {
    command_line.in_order().filter(|(option, _)| *option == Ok(flag)).count()
}

/// Reports `message` as pciutils's `die` does and gives its status.
fn die(message: impl std::fmt::Display) -> u8 {
    report(PROGRAM, message);
    1
}

/// `-A` and `-O`: the procfs directory to read; None after printing a list
/// (`-A help`, `-O help`).
fn access(command_line: &ulib::args::CommandLine) -> Result<Option<String>, u8> {
    for method in command_line.values('A') {
        match method.to_string_lossy().as_ref() {
            "linux-proc" => {}
            "help" => return print("Known PCI access methods:\n\nlinux-proc\n").map(|()| None),
            other => return Err(die(format_args!("No such PCI access method: {other} (see `-A help' for a list)"))),
        }
    }
    let mut path = String::from(PROC_PATH);
    for parameter in command_line.values('O') {
        let parameter = parameter.to_string_lossy();
        if parameter == "help" {
            let text =
                format!("Known PCI access parameters:\n\nproc.path\tPath to the procfs bus tree ({PROC_PATH})\n");
            return print(&text).map(|()| None);
        }
        match parameter.split_once('=') {
            Some(("proc.path", value)) => path = value.to_string(),
            Some((name, _)) => {
                return Err(die(format_args!("Unrecognized PCI access parameter: {name} (see `-O help' for a list)")));
            }
            None => return Err(die(format_args!("Invalid PCI access parameter syntax: {parameter}"))),
        }
    }
    Ok(Some(path))
}

/// Writes `text` to standard output; the status if that fails.
fn print(text: &str) -> Result<(), u8> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()).map_err(|err| cli::write_failed(PROGRAM, &err))
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse_without_operands(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let slot = match command_line.value('s').map(|s| SlotFilter::parse(&s.to_string_lossy())).transpose() {
        Ok(filter) => filter.unwrap_or_default(),
        Err(message) => return die(format_args!("-s: {message}")),
    };
    let id = match command_line.value('d').map(|s| IdFilter::parse(&s.to_string_lossy())).transpose() {
        Ok(filter) => filter.unwrap_or_default(),
        Err(message) => return die(format_args!("-d: {message}")),
    };
    let options = Options {
        names: match count(&command_line, 'n') {
            0 => Names::Text,
            1 => Names::Numeric,
            _ => Names::Both,
        },
        verbose: command_line.has('v'),
        hex: match count(&command_line, 'x') {
            0 => 0,
            1 | 2 => 64,
            _ => 256,
        },
        domain: command_line.has('D'),
    };
    let proc_path = match access(&command_line) {
        Ok(Some(path)) => path,
        Ok(None) => return 0,
        Err(status) => return status,
    };
    let Ok(text) = fs::read_to_string(format!("{proc_path}/devices")) else {
        return die("Cannot find any working access method.");
    };
    let mut devices = Vec::new();
    for line in text.lines() {
        let Some(mut device) = parse_line(line) else {
            return die(format_args!("proc: parse error in {proc_path}/devices"));
        };
        match fs::read(device.config_path(&proc_path)) {
            Ok(bytes) if bytes.len() >= 64 => device.config = bytes,
            _ => {
                return die(format_args!("Unable to read the standard configuration space header of device {device}"));
            }
        }
        devices.push(device);
    }
    devices.sort_by_key(|d: &Device| (d.bus, d.slot, d.function));
    let text: String = devices.iter().filter(|d| slot.matches(d) && id.matches(d)).map(|d| show(d, &options)).collect();
    print(&text).map_or_else(|status| status, |()| 0)
}
