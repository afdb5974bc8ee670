//! ktest-interp: execve of programs with an interpreter (PT_INTERP), with small
//! ELF files written by hand: a program (ET_EXEC, whose own code would exit 7)
//! naming an interpreter (ET_DYN, or ET_EXEC, whose code prints a line and exits
//! 42). Each is executed in a child, whose standard output is a pipe; a failed
//! execve makes the child exit 100 + errno. As Linux's `load_elf_binary`:
//!
//! - the interpreter runs, not the program: an ET_DYN one (placed where the kernel
//!   chooses), an ET_EXEC one (at its own addresses), one named by a relative path
//!   (from the current directory), and one that has a PT_INTERP of its own (which
//!   Linux ignores);
//! - a missing interpreter is ENOENT; a directory, or a file without execute
//!   permission, EACCES; a text file of at least 64 bytes, or an ELF file for
//!   another machine, ELIBBAD; a file shorter than an ELF header EIO;
//! - a PT_INTERP of fewer than 2 or more than PATH_MAX (4096) bytes, or whose last
//!   byte is not a NUL, is ENOEXEC; one past the end of the file EIO; an empty
//!   path (2 NULs) names the current directory: EACCES.
//!
//! After each refusal the process carries on (the caller is untouched).
//!
//! Usage: `ktest-interp [DIR]` (the scratch files go to a directory under DIR, by
//! default /tmp).
use std::ffi::c_int;
use std::fs::{self, OpenOptions};
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;
use std::process::ExitCode;

use ktest::{Context, Outcome, Scratch, c_path, ensure, errno_name, pipe, wait_for};
use ulib::diag::error_text;
use ulib::process::{self, Fork, execve, exit_immediately};

const NAME: &str = "interp";
/// A child whose execve failed exits with this plus the errno.
const EXEC_FAILED_BASE: c_int = 100;
/// The exit code of the hand-made interpreter, and of the program's own code.
const INTERPRETER_EXIT: c_int = 42;
const PROGRAM_EXIT: c_int = 7;
/// What the hand-made interpreter prints.
const INTERPRETER_SAYS: &[u8] = b"interp: the interpreter ran\n";

const EHDR_SIZE: usize = 64;
const PHDR_SIZE: usize = 56;
const ET_EXEC: u16 = 2;
const ET_DYN: u16 = 3;
const EM_X86_64: u16 = 62;
const EM_AARCH64: u16 = 183;
const PT_LOAD: u32 = 1;
const PT_INTERP: u32 = 3;
const PF_R: u32 = 4;
const PF_X: u32 = 1;
const PATH_MAX: usize = 4096;
/// Where the code starts in each file (after the headers) and where the data after
/// the code lies.
const CODE_AT: usize = 0x100;
const DATA_AT: usize = 0x200;
/// Where the programs are linked.
const PROGRAM_BASE: u64 = 0x40_0000;
const EXEC_INTERPRETER_BASE: u64 = 0x1000_0000;

/// One program header.
struct Phdr {
    kind: u32,
    offset: u64,
    vaddr: u64,
    filesz: u64,
}

/// An ELF64 file: the header, the program headers, `code` at `CODE_AT` and `data`
/// at `DATA_AT`; one PT_LOAD maps the whole file at `base`, read and execute.
fn elf_file(e_type: u16, machine: u16, base: u64, code: &[u8], data: &[u8], extra: &[Phdr]) -> Vec<u8> {
    let len = DATA_AT + data.len();
    let mut file = vec![0u8; len];
    file[..8].copy_from_slice(&[0x7f, b'E', b'L', b'F', 2, 1, 1, 0]);
    file[16..18].copy_from_slice(&e_type.to_le_bytes());
    file[18..20].copy_from_slice(&machine.to_le_bytes());
    file[20..24].copy_from_slice(&1u32.to_le_bytes());
    file[24..32].copy_from_slice(&(base + CODE_AT as u64).to_le_bytes());
    file[32..40].copy_from_slice(&(EHDR_SIZE as u64).to_le_bytes());
    file[52..54].copy_from_slice(&(EHDR_SIZE as u16).to_le_bytes());
    file[54..56].copy_from_slice(&(PHDR_SIZE as u16).to_le_bytes());
    file[56..58].copy_from_slice(&(1 + extra.len() as u16).to_le_bytes());
    let load = Phdr { kind: PT_LOAD, offset: 0, vaddr: base, filesz: len as u64 };
    for (index, phdr) in [load].iter().chain(extra).enumerate() {
        let at = EHDR_SIZE + index * PHDR_SIZE;
        let flags = if phdr.kind == PT_LOAD { PF_R | PF_X } else { PF_R };
        let align = if phdr.kind == PT_LOAD { 0x1000 } else { 1 };
        file[at..at + 4].copy_from_slice(&phdr.kind.to_le_bytes());
        file[at + 4..at + 8].copy_from_slice(&flags.to_le_bytes());
        let fields = [phdr.offset, phdr.vaddr, phdr.vaddr, phdr.filesz, phdr.filesz, align];
        for (slot, value) in fields.iter().enumerate() {
            file[at + 8 + slot * 8..at + 16 + slot * 8].copy_from_slice(&value.to_le_bytes());
        }
    }
    file[CODE_AT..CODE_AT + code.len()].copy_from_slice(code);
    file[DATA_AT..].copy_from_slice(data);
    file
}

/// `mov eax, 231; mov edi, CODE; syscall`: exit_group(CODE).
fn exit_code(code: c_int) -> Vec<u8> {
    let mut bytes = vec![0xb8, 231, 0, 0, 0, 0xbf];
    bytes.extend_from_slice(&code.to_le_bytes());
    bytes.extend_from_slice(&[0x0f, 0x05]);
    bytes
}

/// write(1, message at DATA_AT, its length), then exit_group(42); position
/// independent (the message is found relative to RIP).
fn interpreter_code() -> Vec<u8> {
    // mov eax, 1; mov edi, 1; lea rsi, [rip + disp32]
    let mut code = vec![0xb8, 1, 0, 0, 0, 0xbf, 1, 0, 0, 0, 0x48, 0x8d, 0x35];
    let after_lea = CODE_AT + code.len() + 4;
    code.extend_from_slice(&((DATA_AT - after_lea) as u32).to_le_bytes());
    // mov edx, len; syscall
    code.push(0xba);
    code.extend_from_slice(&(INTERPRETER_SAYS.len() as u32).to_le_bytes());
    code.extend_from_slice(&[0x0f, 0x05]);
    code.extend(exit_code(INTERPRETER_EXIT));
    code
}

/// A hand-made interpreter: ET_DYN or ET_EXEC, for x86-64 or `machine`, perhaps
/// with a PT_INTERP of its own.
fn interpreter(e_type: u16, machine: u16, own_interp: Option<&[u8]>) -> Vec<u8> {
    let base = if e_type == ET_EXEC { EXEC_INTERPRETER_BASE } else { 0 };
    let mut data = INTERPRETER_SAYS.to_vec();
    let extra: Vec<Phdr> = own_interp
        .map(|path| {
            let offset = DATA_AT + data.len();
            data.extend_from_slice(path);
            Phdr { kind: PT_INTERP, offset: offset as u64, vaddr: base + offset as u64, filesz: path.len() as u64 }
        })
        .into_iter()
        .collect();
    elf_file(e_type, machine, base, &interpreter_code(), &data, &extra)
}

/// A program whose PT_INTERP holds `interp` (its segment `filesz` bytes long, at
/// `offset` in the file when given, else where `interp` is written).
fn program(interp: &[u8], filesz: Option<u64>, offset: Option<u64>) -> Vec<u8> {
    let phdr = Phdr {
        kind: PT_INTERP,
        offset: offset.unwrap_or(DATA_AT as u64),
        vaddr: PROGRAM_BASE + DATA_AT as u64,
        filesz: filesz.unwrap_or(interp.len() as u64),
    };
    elf_file(ET_EXEC, EM_X86_64, PROGRAM_BASE, &exit_code(PROGRAM_EXIT), interp, &[phdr])
}

/// `path` and its NUL, as a PT_INTERP holds it.
fn with_nul(path: &Path) -> Vec<u8> {
    [path.as_os_str().as_bytes(), b"\0"].concat()
}

/// Writes `bytes` to a new file `path` with permissions `mode`, and closes it.
fn write_file(path: &Path, bytes: &[u8], mode: u32) -> Outcome {
    let mut file = OpenOptions::new().write(true).create_new(true).mode(mode).open(path).context(path.display())?;
    file.write_all(bytes).context(format_args!("write {}", path.display()))?;
    file.set_permissions(fs::Permissions::from_mode(mode)).context(format_args!("fchmod {}", path.display()))
}

/// How an execve went: refused with an errno, or the image ran and exited with a
/// code after printing something.
#[derive(Debug, PartialEq, Eq)]
enum Ran {
    Refused(c_int),
    Exited(c_int, Vec<u8>),
}

/// Executes `path` in a child with its standard output on a pipe.
fn run(path: &Path) -> Result<Ran, String> {
    let path = c_path(path).context("path")?;
    let (mut reader, writer) = pipe().context("pipe")?;
    let pid = match process::fork() {
        Ok(Fork::Child) => {
            drop(reader);
            if ulib::fd::dup2(writer.as_raw_fd(), 1).is_err() {
                exit_immediately(1);
            }
            drop(writer);
            let err = execve(&path, std::slice::from_ref(&path), &[]);
            exit_immediately(EXEC_FAILED_BASE + err.raw_os_error().unwrap_or(0))
        }
        Ok(Fork::Parent { child }) => child,
        Err(err) => return Err(format!("fork: {}", error_text(&err))),
    };
    drop(writer);
    let mut output = Vec::new();
    reader.read_to_end(&mut output).context("read the child's output")?;
    let status = wait_for(pid)?;
    match status.exit_code() {
        Some(code) if code > EXEC_FAILED_BASE && output.is_empty() => Ok(Ran::Refused(code - EXEC_FAILED_BASE)),
        Some(code) => Ok(Ran::Exited(code, output)),
        None => Err(format!("{}: {status}", path.to_string_lossy())),
    }
}

/// Writes the program `bytes` as `name` and checks that executing it fails with
/// `errno`.
fn refused(dir: &Scratch, name: &str, bytes: &[u8], errno: c_int, what: &str) -> Outcome {
    let path = dir.join(name);
    write_file(&path, bytes, 0o755)?;
    let ran = run(&path)?;
    ensure(ran == Ran::Refused(errno), || format!("{what}: expected {}, got {ran:?}", errno_name(errno)))?;
    println!("{what}: {}", errno_name(errno));
    Ok(())
}

/// Checks that executing `program` runs the hand-made interpreter.
fn interpreter_runs(program: &Path, what: &str) -> Outcome {
    let ran = run(program)?;
    let expected = Ran::Exited(INTERPRETER_EXIT, INTERPRETER_SAYS.to_vec());
    ensure(ran == expected, || format!("{what}: expected the interpreter's line and exit 42, got {ran:?}"))?;
    println!("{what}: the interpreter ran (exit {INTERPRETER_EXIT})");
    Ok(())
}

fn interpreters_run(dir: &Scratch) -> Outcome {
    let dyn_interp = dir.join("ld-dyn.so");
    write_file(&dyn_interp, &interpreter(ET_DYN, EM_X86_64, None), 0o755)?;
    let program_path = dir.join("uses-dyn");
    write_file(&program_path, &program(&with_nul(&dyn_interp), None, None), 0o755)?;
    interpreter_runs(&program_path, "an ET_DYN interpreter")?;

    let exec_interp = dir.join("ld-exec.so");
    write_file(&exec_interp, &interpreter(ET_EXEC, EM_X86_64, None), 0o755)?;
    let program_path = dir.join("uses-exec");
    write_file(&program_path, &program(&with_nul(&exec_interp), None, None), 0o755)?;
    interpreter_runs(&program_path, "an ET_EXEC interpreter")?;

    let chained = dir.join("ld-chained.so");
    write_file(&chained, &interpreter(ET_DYN, EM_X86_64, Some(b"/nonexistent/ld.so\0")), 0o755)?;
    let program_path = dir.join("uses-chained");
    write_file(&program_path, &program(&with_nul(&chained), None, None), 0o755)?;
    interpreter_runs(&program_path, "an interpreter with a PT_INTERP of its own (ignored)")?;

    let program_path = dir.join("uses-relative");
    write_file(&program_path, &program(b"ld-dyn.so\0", None, None), 0o755)?;
    let previous = std::env::current_dir().context("getcwd")?;
    std::env::set_current_dir(dir.path()).context("chdir")?;
    let relative = interpreter_runs(&program_path, "an interpreter named by a relative path");
    std::env::set_current_dir(previous).context("chdir back")?;
    relative
}

fn bad_interpreters(dir: &Scratch) -> Outcome {
    let missing = program(b"/nonexistent/ld.so\0", None, None);
    refused(dir, "missing", &missing, libc::ENOENT, "a missing interpreter")?;

    refused(dir, "directory", &program(&with_nul(dir.path()), None, None), libc::EACCES, "a directory")?;

    let unexecutable = dir.join("ld-noexec.so");
    write_file(&unexecutable, &interpreter(ET_DYN, EM_X86_64, None), 0o644)?;
    let without_x = program(&with_nul(&unexecutable), None, None);
    refused(dir, "noexec", &without_x, libc::EACCES, "an interpreter without execute permission")?;

    let text = dir.join("ld-text.so");
    write_file(&text, "this is not an ELF file, but text of more than 64 bytes\n".repeat(2).as_bytes(), 0o755)?;
    refused(dir, "text", &program(&with_nul(&text), None, None), libc::ELIBBAD, "a text file as interpreter")?;

    let short = dir.join("ld-short.so");
    write_file(&short, b"\x7fELF short\n", 0o755)?;
    let short_program = program(&with_nul(&short), None, None);
    refused(dir, "short", &short_program, libc::EIO, "an interpreter shorter than an ELF header")?;

    let foreign = dir.join("ld-aarch64.so");
    write_file(&foreign, &interpreter(ET_DYN, EM_AARCH64, None), 0o755)?;
    let foreign_program = program(&with_nul(&foreign), None, None);
    refused(dir, "foreign", &foreign_program, libc::ELIBBAD, "an interpreter for another machine")
}

fn bad_interp_strings(dir: &Scratch) -> Outcome {
    let no_nul = program(b"/nonexistent/ld.so", None, None);
    refused(dir, "no-nul", &no_nul, libc::ENOEXEC, "a PT_INTERP without its NUL")?;

    let mut long = vec![b'/'; PATH_MAX + 1];
    long[PATH_MAX] = 0;
    refused(dir, "long", &program(&long, None, None), libc::ENOEXEC, "a PT_INTERP of PATH_MAX + 1 bytes")?;
    // PATH_MAX bytes are allowed: "////...": the root directory, EACCES.
    refused(dir, "longest", &program(&long[1..], None, None), libc::EACCES, "a PT_INTERP of PATH_MAX bytes")?;

    refused(dir, "one-byte", &program(b"\0", None, None), libc::ENOEXEC, "a PT_INTERP of one byte")?;
    // Linux looks the path up as the kernel's own name, where an empty one is the
    // current directory.
    refused(dir, "empty", &program(b"\0\0", None, None), libc::EACCES, "an empty interpreter path")?;

    let past_end = program(b"/nonexistent/ld.so\0", None, Some(0x10_0000));
    refused(dir, "past-end", &past_end, libc::EIO, "a PT_INTERP past the end of the file")?;
    let too_long = program(b"/nonexistent/ld.so\0", Some(0x1000), None);
    refused(dir, "past-end2", &too_long, libc::EIO, "a PT_INTERP reaching past the end of the file")
}

fn interp() -> Outcome {
    let dir = Scratch::create(NAME)?;
    interpreters_run(&dir)?;
    bad_interpreters(&dir)?;
    bad_interp_strings(&dir)?;
    dir.remove()
}

fn main() -> ExitCode {
    ktest::run(NAME, interp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_files_have_their_parts_where_the_headers_say() {
        let file = program(b"/x\0", None, None);
        assert_eq!(&file[DATA_AT..], b"/x\0");
        assert_eq!(u16::from_le_bytes([file[56], file[57]]), 2);
        let second = EHDR_SIZE + PHDR_SIZE;
        assert_eq!(u32::from_le_bytes(file[second..second + 4].try_into().unwrap()), PT_INTERP);
        let code = interpreter_code();
        assert!(CODE_AT + code.len() <= DATA_AT);
        let interp = interpreter(ET_DYN, EM_X86_64, Some(b"/y\0"));
        assert_eq!(&interp[DATA_AT..DATA_AT + INTERPRETER_SAYS.len()], INTERPRETER_SAYS);
        assert_eq!(&interp[DATA_AT + INTERPRETER_SAYS.len()..], b"/y\0");
    }
}
