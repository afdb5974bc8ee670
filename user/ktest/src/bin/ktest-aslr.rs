//! ktest-aslr: address-space layout randomization. Programs run twice with
//! `--addresses` print where their code, stack, heap, a new mapping and the vDSO
//! are (and a dynamically linked one its interpreter, AT_BASE): this program itself
//! (a static PIE) and the dynamically linked test programs. With
//! /proc/sys/kernel/randomize_va_space 2 (Linux's default, Kestrel's unless the
//! command line says `norandmaps`) every address differs between the two runs but
//! the code of a program that is not position independent (ET_EXEC); with 0
//! (`norandmaps`, as under Linux's `setarch -R`) every address is the same, a PIE is
//! at 0x5555_5555_4000, the stack ends at 0x7fff_ffff_f000 and the interpreter lies
//! just below the mmap base, 128 MiB under it.
//!
//! Usage: `ktest-aslr [PROGRAM...]`: the programs that print their addresses
//! besides this one (default /bin/ktest-dynglibc, /bin/ktest-dynglibc-exec and
//! /bin/ktest-dynmusl, from tests/guest-c/dynamic.c).
use std::collections::BTreeMap;
use std::env;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use ktest::{Context, Outcome, ensure, map_anonymous, operands, own_path};

const NAME: &str = "aslr";
const ADDRESSES_FLAG: &str = "--addresses";
const DEFAULT_PROGRAMS: [&str; 3] = ["/bin/ktest-dynglibc", "/bin/ktest-dynglibc-exec", "/bin/ktest-dynmusl"];
const ET_EXEC: u16 = 2;

/// Where one run found things, by name.
type Addresses = BTreeMap<String, u64>;

/// `--addresses`: this program's own, in the probes' format.
fn print_addresses() -> Outcome {
    let local = 0u8;
    let mapping = map_anonymous(4096).context("mmap")?;
    // SAFETY: brk(0) only asks for the break.
    let heap = unsafe { ktest::brk(0) };
    // SAFETY: getauxval only reads the auxiliary vector.
    let vdso = unsafe { libc::getauxval(libc::AT_SYSINFO_EHDR) };
    println!("addr code {:#x}", print_addresses as *const () as usize);
    println!("addr stack {:#x}", &raw const local as usize);
    println!("addr heap {heap:#x}");
    println!("addr mmap {:#x}", mapping as usize);
    println!("addr vdso {vdso:#x}");
    Ok(())
}

/// Runs `program --addresses` and reads its `addr NAME VALUE` lines.
fn addresses_of(program: &Path) -> Result<Addresses, String> {
    let output = Command::new(program).arg(ADDRESSES_FLAG).output().context(program.display())?;
    ensure(output.status.success(), || format!("{}: {}", program.display(), output.status))?;
    let text = String::from_utf8_lossy(&output.stdout);
    let mut addresses = Addresses::new();
    for line in text.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [_, name, value] = fields[..] else { return Err(format!("{}: bad line {line:?}", program.display())) };
        let value = value.trim_start_matches("0x");
        let value =
            u64::from_str_radix(value, 16).map_err(|_| format!("{}: bad address in {line:?}", program.display()))?;
        addresses.insert(name.to_owned(), value);
    }
    ensure(addresses.contains_key("stack"), || format!("{}: no addresses in {text:?}", program.display()))?;
    Ok(addresses)
}

/// Whether `program` is an ET_EXEC file (its code is where it was linked).
fn is_fixed_executable(program: &Path) -> Result<bool, String> {
    let header = std::fs::read(program).context(program.display())?;
    Ok(header.get(16..18) == Some(&ET_EXEC.to_le_bytes()[..]))
}

/// Two runs of `program`: what differs must differ (randomized), or everything is
/// the same (not); returns the first run's addresses.
fn compare_runs(program: &Path, randomized: bool) -> Result<Addresses, String> {
    let (first, second) = (addresses_of(program)?, addresses_of(program)?);
    ensure(first.keys().eq(second.keys()), || {
        format!("{}: runs printed {first:x?} and {second:x?}", program.display())
    })?;
    let fixed_code = is_fixed_executable(program)?;
    for (name, value) in &first {
        let same = second[name] == *value;
        let should_be_same = !randomized || (fixed_code && name == "code");
        ensure(same == should_be_same, || {
            format!(
                "{}: {name} at {value:#x}, then at {:#x}: expected {}",
                program.display(),
                second[name],
                if should_be_same { "the same address" } else { "another address" }
            )
        })?;
    }
    let shown: Vec<String> = first.iter().map(|(name, value)| format!("{name} {value:#x}")).collect();
    let verdict = if randomized { "moved in a second run" } else { "the same in a second run" };
    println!("{}: {} ({verdict})", program.display(), shown.join(", "));
    Ok(first)
}

/// Without randomization: Linux's places (`setarch -R` shows them).
fn fixed_places(program: &Path, addresses: &Addresses) -> Outcome {
    const STACK_TOP: u64 = 0x7fff_ffff_f000;
    const MMAP_BASE: u64 = STACK_TOP - (128 << 20);
    const PIE_BASE: u64 = 0x5555_5555_4000;
    let stack = addresses["stack"];
    ensure(stack < STACK_TOP && stack > STACK_TOP - (1 << 20), || format!("stack at {stack:#x}"))?;
    ensure(addresses["mmap"] < MMAP_BASE, || format!("a new mapping at {:#x}", addresses["mmap"]))?;
    if let Some(&interpreter) = addresses.get("interpreter") {
        ensure(interpreter < MMAP_BASE && interpreter > MMAP_BASE - (16 << 20), || {
            format!("{}: the interpreter at {interpreter:#x}, not just below {MMAP_BASE:#x}", program.display())
        })?;
        let code = addresses["code"];
        let pie = !is_fixed_executable(program)?;
        ensure(!pie || (PIE_BASE..PIE_BASE + (16 << 20)).contains(&code), || {
            format!("{}: a PIE's code at {code:#x}, not at {PIE_BASE:#x}", program.display())
        })?;
    }
    Ok(())
}

fn aslr(args: &[OsString]) -> Outcome {
    let setting = std::fs::read_to_string("/proc/sys/kernel/randomize_va_space").context("randomize_va_space")?;
    // SAFETY: personality(0xffffffff) only reads the persona.
    let persona = unsafe { libc::personality(0xffff_ffff) };
    let no_randomize = persona != -1 && persona & libc::ADDR_NO_RANDOMIZE != 0;
    let randomized = match setting.trim() {
        "2" => !no_randomize,
        "0" => false,
        other => return Err(format!("randomize_va_space is {other:?}: this test knows 0 and 2")),
    };
    println!("randomize_va_space {}{}", setting.trim(), if no_randomize { ", ADDR_NO_RANDOMIZE" } else { "" });
    let given = operands(args, &[]);
    let mut programs: Vec<PathBuf> = vec![PathBuf::from(own_path(&args[0])?.to_string_lossy().into_owned())];
    if given.is_empty() {
        programs.extend(DEFAULT_PROGRAMS.iter().map(PathBuf::from));
    } else {
        programs.extend(given.iter().map(PathBuf::from));
    }
    for program in &programs {
        let addresses = compare_runs(program, randomized)?;
        if !randomized {
            fixed_places(program, &addresses)?;
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<OsString> = env::args_os().collect();
    if args.get(1).is_some_and(|arg| arg == ADDRESSES_FLAG) {
        return match print_addresses() {
            Ok(()) => ExitCode::SUCCESS,
            Err(reason) => {
                eprintln!("ktest-aslr: {reason}");
                ExitCode::FAILURE
            }
        };
    }
    ktest::run(NAME, || aslr(&args))
}
