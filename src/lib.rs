//! Host-side boot-test harness for Kestrel: boots build/os.iso headless in QEMU
//! (BIOS or UEFI) or Bochs, collects the serial console, types into it, and reports
//! how the machine ended. Tests live in tests/; they fail with the serial log.
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// QEMU's exit status when the kernel reports success through isa-debug-exit
/// (`(0x10 << 1) | 1`); a triple fault exits with 0, which never counts.
pub const EXIT_SUCCESS: i32 = 33;
/// The exit status for a kernel-reported failure (`(0x11 << 1) | 1`).
pub const EXIT_FAILURE: i32 = 35;

/// What init's environment holds in Kestrel (kernel/src/main.rs): differential
/// tests give a program the same on the host.
pub const INIT_ENV: [(&str, &str); 3] = [("HOME", "/"), ("PATH", "/bin:/sbin:/usr/bin:/usr/sbin"), ("TERM", "linux")];

/// The build directory (`build/` in the workspace).
pub fn build_dir() -> PathBuf {
    PathBuf::from(env!("KESTREL_BUILD_DIR"))
}

fn workspace_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The ISO every test boots; `make iso` builds it.
pub fn iso() -> PathBuf {
    let iso = build_dir().join("os.iso");
    assert!(iso.exists(), "{} is missing: run `make iso` (or `make test`)", iso.display());
    iso
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Firmware {
    Bios,
    Uefi,
}

/// How to boot one machine.
#[derive(Debug, Clone)]
pub struct Boot {
    /// Extra kernel command-line words (appended after grub.cfg's).
    pub args: String,
    pub memory: String,
    pub firmware: Firmware,
    /// A QEMU CPU model other than the default.
    pub cpu: Option<String>,
    /// A QEMU machine type other than the default i440fx (`q35`).
    pub machine: Option<String>,
    /// How many processors (`-smp`), when not one.
    pub smp: Option<u32>,
    /// Boot the ISO as a USB stick instead of a CD.
    pub usb: bool,
    /// A GRUB menu entry booted instead of grub.cfg's own (scripts/args-disk.sh).
    pub grub_entry: Option<String>,
    /// Another image than build/os.iso.
    pub iso: Option<PathBuf>,
    /// Boot another kernel directly instead (`-kernel`, `-initrd`, `-append`).
    pub direct_kernel: Option<(PathBuf, PathBuf, String)>,
    /// Guest time proportional to the instructions run (`-icount`), so that figures
    /// taken with the guest's clock do not move with the host's load.
    pub icount: bool,
    /// Extra devices (`-device SPEC` each).
    pub devices: Vec<String>,
    /// Extra SSDTs, each the AML after the table's header (QEMU's
    /// `-acpitable sig=SSDT,data=FILE` adds the header and lists the table).
    pub ssdts: Vec<Vec<u8>>,
    /// Extra whole ACPI tables, header included (`-acpitable file=FILE`).
    pub acpi_tables: Vec<Vec<u8>>,
    /// Whether the machine has COM1 (on the pipes); without it only the exit
    /// status tells what happened.
    pub serial: bool,
}

impl Boot {
    pub fn new(args: &str) -> Self {
        Self {
            args: args.to_string(),
            memory: "256M".into(),
            firmware: Firmware::Bios,
            cpu: None,
            machine: None,
            smp: None,
            usb: false,
            grub_entry: None,
            iso: None,
            direct_kernel: None,
            icount: false,
            devices: Vec::new(),
            ssdts: Vec::new(),
            acpi_tables: Vec::new(),
            serial: true,
        }
    }

    /// A machine without a serial port (`-serial none`).
    pub fn without_serial(mut self) -> Self {
        self.serial = false;
        self
    }

    /// Boot a QEMU machine type other than the default i440fx (`q35`).
    pub fn machine(mut self, machine: &str) -> Self {
        self.machine = Some(machine.to_string());
        self
    }

    /// Add a device (`-device SPEC`), such as `e1000`.
    pub fn device(mut self, spec: &str) -> Self {
        self.devices.push(spec.to_string());
        self
    }

    /// Add an SSDT holding the definition block `aml` (after the firmware's tables).
    pub fn ssdt(mut self, aml: &[u8]) -> Self {
        self.ssdts.push(aml.to_vec());
        self
    }

    /// Add a whole ACPI table, `table` being its header and body as the
    /// firmware would publish them (QEMU lists it in the RSDT/XSDT).
    pub fn acpi_table(mut self, table: &[u8]) -> Self {
        self.acpi_tables.push(table.to_vec());
        self
    }

    /// Boot `kernel` with `initrd` and the command line `append` (QEMU's direct
    /// Linux boot), under the same settings as Kestrel's boots: how `make bench`
    /// runs Debian's Linux.
    pub fn kernel(mut self, kernel: &Path, initrd: &Path, append: &str) -> Self {
        self.direct_kernel = Some((kernel.to_path_buf(), initrd.to_path_buf(), append.to_string()));
        self
    }

    /// Run under `-icount shift=0,sleep=off` (one nanosecond of guest time per
    /// instruction, idle time skipped).
    pub fn icount(mut self) -> Self {
        self.icount = true;
        self
    }

    /// Boot `iso` instead of build/os.iso.
    pub fn iso(mut self, iso: &Path) -> Self {
        self.iso = Some(iso.to_path_buf());
        self
    }

    pub fn memory(mut self, memory: &str) -> Self {
        self.memory = memory.to_string();
        self
    }

    pub fn uefi(mut self) -> Self {
        self.firmware = Firmware::Uefi;
        self
    }

    pub fn cpu(mut self, model: &str) -> Self {
        self.cpu = Some(model.to_string());
        self
    }

    pub fn smp(mut self, cpus: u32) -> Self {
        self.smp = Some(cpus);
        self
    }

    pub fn usb(mut self) -> Self {
        self.usb = true;
        self
    }

    /// Boot this GRUB menu entry (its body: `multiboot2 ...`, `module2 ...`).
    pub fn grub_entry(mut self, body: &str) -> Self {
        self.grub_entry = Some(format!("menuentry \"test\" {{\n{body}\nboot\n}}"));
        self
    }

    /// Start QEMU (TCG) with serial on pipes.
    pub fn start(&self) -> Machine {
        let scratch = tempfile::tempdir().expect("temporary directory");
        let args_img = scratch.path().join("args.img");
        make_args_disk(&args_img, &self.args, self.grub_entry.as_deref());
        let iso = self.iso.clone().unwrap_or_else(iso);
        let monitor = scratch.path().join("monitor.sock");
        let mut cmd = Command::new("qemu-system-x86_64");
        let serial = if self.serial { "stdio" } else { "none" };
        cmd.args(["-m", &self.memory, "-display", "none", "-serial", serial, "-no-reboot"]);
        cmd.arg("-monitor").arg(format!("unix:{},server,nowait", monitor.display()));
        cmd.args(["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]);
        if let Some(cpu) = &self.cpu {
            cmd.args(["-cpu", cpu]);
        }
        if let Some(machine) = &self.machine {
            cmd.args(["-machine", machine]);
        }
        if let Some(cpus) = self.smp {
            cmd.arg("-smp").arg(cpus.to_string());
        }
        for device in &self.devices {
            cmd.args(["-device", device]);
        }
        if self.icount {
            cmd.args(["-icount", "shift=0,sleep=off"]);
        }
        for (i, aml) in self.ssdts.iter().enumerate() {
            let file = scratch.path().join(format!("ssdt{i}.aml"));
            std::fs::write(&file, aml).expect("write an SSDT's AML");
            cmd.arg("-acpitable").arg(format!("sig=SSDT,data={}", file.display()));
        }
        for (i, table) in self.acpi_tables.iter().enumerate() {
            let file = scratch.path().join(format!("table{i}.bin"));
            std::fs::write(&file, table).expect("write an ACPI table");
            cmd.arg("-acpitable").arg(format!("file={}", file.display()));
        }
        if let Some((kernel, initrd, append)) = &self.direct_kernel {
            cmd.arg("-kernel").arg(kernel).arg("-initrd").arg(initrd).args(["-append", append]);
            return Machine::spawn(cmd, scratch, Some(monitor), format!("QEMU {self:?}"));
        }
        if self.usb {
            cmd.arg("-drive").arg(format!("file={},format=raw,if=none,id=stick,readonly=on", iso.display()));
            cmd.args(["-device", "usb-ehci", "-device", "usb-storage,drive=stick,bootindex=0"]);
        } else {
            cmd.args(["-boot", "d"]);
            cmd.arg("-drive").arg(format!("file={},media=cdrom,readonly=on,if=ide,index=0", iso.display()));
        }
        cmd.arg("-drive").arg(format!("file={},format=raw,if=ide,index=1", args_img.display()));
        if self.firmware == Firmware::Uefi {
            let vars = scratch.path().join("vars.fd");
            std::fs::copy("/usr/share/OVMF/OVMF_VARS_4M.fd", &vars).expect("OVMF vars (Debian package ovmf)");
            cmd.args(["-drive", "if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd"]);
            cmd.arg("-drive").arg(format!("if=pflash,format=raw,file={}", vars.display()));
        }
        Machine::spawn(cmd, scratch, Some(monitor), format!("QEMU {self:?}"))
    }
}

/// The FAT disk grub.cfg reads extra kernel arguments from (scripts/args-disk.sh).
fn make_args_disk(path: &Path, args: &str, grub_entry: Option<&str>) {
    let mut script = Command::new(workspace_dir().join("scripts/args-disk.sh"));
    script.arg(path).arg(args);
    if let Some(entry) = grub_entry {
        script.env("KESTREL_GRUB_ENTRY", entry);
    }
    let status = script.status().expect("run scripts/args-disk.sh");
    assert!(status.success(), "scripts/args-disk.sh failed");
}

/// A running machine and everything its serial port has printed so far.
pub struct Machine {
    child: Child,
    stdin: Option<ChildStdin>,
    log: Arc<Mutex<Vec<u8>>>,
    /// QEMU's monitor socket (for keystrokes and memory dumps).
    monitor: Option<PathBuf>,
    what: String,
    scratch: tempfile::TempDir,
    /// The child leads a session (script(1)) whose process groups go with it.
    own_session: bool,
}

/// `text` without ANSI CSI sequences (`ESC [ ... letter`: colours, cursor moves,
/// line erases), as a terminal would not show them.
pub fn strip_escapes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' && chars.peek() == Some(&'[') {
            chars.next();
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() || c == '~' {
                    break;
                }
            }
        } else if c != '\x07' {
            out.push(c);
        }
    }
    out
}

/// How a wait ended when it did not find what it wanted.
#[derive(Debug)]
pub struct Failure(pub String);

impl Machine {
    fn spawn(mut cmd: Command, scratch: tempfile::TempDir, monitor: Option<PathBuf>, what: String) -> Self {
        cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap_or_else(|e| panic!("cannot start {what}: {e} (run `make deps`)"));
        let log = Arc::new(Mutex::new(Vec::new()));
        for mut pipe in [
            Box::new(child.stdout.take().expect("stdout")) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().expect("stderr")),
        ] {
            let log = Arc::clone(&log);
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                while let Ok(n @ 1..) = pipe.read(&mut buf) {
                    log.lock().expect("log lock").extend_from_slice(&buf[..n]);
                }
            });
        }
        let stdin = child.stdin.take();
        Self { child, stdin, log, monitor, what, scratch, own_session: false }
    }

    /// The serial output so far (lossy UTF-8, carriage returns and ANSI escape
    /// sequences removed).
    pub fn log(&self) -> String {
        strip_escapes(&String::from_utf8_lossy(&self.log.lock().expect("log lock")).replace('\r', ""))
    }

    /// Wait until the serial output contains `text`.
    pub fn wait_for(&mut self, text: &str, timeout: Duration) -> Result<(), Failure> {
        self.wait_until(timeout, |log| log.contains(text))
            .map_err(|f| Failure(format!("waiting for {text:?}: {}", f.0)))
    }

    /// Wait until `done(log)` holds, the machine stops, or the time is up.
    pub fn wait_until(&mut self, timeout: Duration, done: impl Fn(&str) -> bool) -> Result<(), Failure> {
        let start = Instant::now();
        loop {
            if done(&self.log()) {
                return Ok(());
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                std::thread::sleep(Duration::from_millis(100));
                if done(&self.log()) {
                    return Ok(());
                }
                return Err(Failure(format!("{} stopped ({status})", self.what)));
            }
            if start.elapsed() > timeout {
                return Err(Failure(format!("timed out after {timeout:?}")));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Type `text` into the serial console.
    pub fn send(&mut self, text: &str) {
        let stdin = self.stdin.as_mut().expect("stdin");
        stdin.write_all(text.as_bytes()).and_then(|()| stdin.flush()).expect("write to the serial console");
    }

    /// Run a QEMU monitor command and return its output.
    pub fn monitor(&self, command: &str) -> String {
        let path = self.monitor.as_ref().expect("a QEMU machine has a monitor");
        // QEMU makes the socket a moment after it starts.
        let until = std::time::Instant::now() + Duration::from_secs(10);
        let mut socket = loop {
            match std::os::unix::net::UnixStream::connect(path) {
                Ok(socket) => break socket,
                Err(e) if std::time::Instant::now() > until => panic!("connect to the QEMU monitor: {e}"),
                Err(_) => std::thread::sleep(Duration::from_millis(50)),
            }
        };
        socket.set_read_timeout(Some(Duration::from_secs(10))).expect("monitor timeout");
        let read_prompt = |socket: &mut std::os::unix::net::UnixStream| {
            let mut text = Vec::new();
            let mut buf = [0u8; 4096];
            while !text.ends_with(b"(qemu) ") {
                match socket.read(&mut buf) {
                    Ok(n @ 1..) => text.extend_from_slice(&buf[..n]),
                    _ => break,
                }
            }
            String::from_utf8_lossy(&text).into_owned()
        };
        read_prompt(&mut socket);
        writeln!(socket, "{command}").expect("write to the QEMU monitor");
        read_prompt(&mut socket)
    }

    /// Type `text` on the emulated PS/2 keyboard (letters, digits, space, newline,
    /// Escape and a little punctuation).
    pub fn type_on_keyboard(&self, text: &str) {
        for c in text.chars() {
            let key = match c {
                'a'..='z' | '0'..='9' => c.to_string(),
                ' ' => "spc".into(),
                '\n' => "ret".into(),
                '-' => "minus".into(),
                '/' => "slash".into(),
                '.' => "dot".into(),
                ':' => "shift-semicolon".into(),
                '\x1b' => "esc".into(),
                other => panic!("no key for {other:?}"),
            };
            self.monitor(&format!("sendkey {key}"));
        }
    }

    /// Wait until the VGA text screen's rows satisfy `wanted` (`what` names it in
    /// the failure, with the screen and the serial log); the rows.
    pub fn wait_for_screen(&self, what: &str, wanted: impl Fn(&[String]) -> bool) -> Vec<String> {
        let start = Instant::now();
        loop {
            let screen = self.vga_text();
            if wanted(&screen) {
                return screen;
            }
            assert!(
                start.elapsed() < session::TIMEOUT,
                "the screen never showed {what}:\n{}\n----- serial log -----\n{}",
                screen.join("\n"),
                self.log()
            );
            std::thread::sleep(Duration::from_millis(300));
        }
    }

    /// Wait until a row of the VGA text screen contains `text`; the rows.
    pub fn wait_for_screen_text(&self, text: &str) -> Vec<String> {
        self.wait_for_screen(&format!("{text:?}"), |screen| screen.iter().any(|row| row.contains(text)))
    }

    /// The VGA screen and as much of the visible console's scrollback as it takes
    /// (Shift-PageUp, half a screen each, at most `pages` times) to show all of
    /// `needles`, oldest rows first; the view goes back to the bottom afterwards.
    pub fn screen_with_scrollback(&self, needles: &[&str], pages: usize) -> String {
        let mut seen = self.vga_text().join("\n");
        let mut paged = 0;
        while paged < pages && !needles.iter().all(|needle| seen.contains(needle)) {
            self.monitor("sendkey shift-pgup");
            paged += 1;
            std::thread::sleep(Duration::from_millis(500));
            seen = self.vga_text().join("\n") + "\n" + &seen;
        }
        for _ in 0..paged {
            self.monitor("sendkey shift-pgdn");
        }
        seen
    }

    /// The VGA text screen (80x25 at 0xb8000) as lines of text.
    pub fn vga_text(&self) -> Vec<String> {
        let dump = self.scratch.path().join("vga.bin");
        // Quoted: unquoted, the path would parse as a division of the size.
        self.monitor(&format!("pmemsave 0xb8000 4000 \"{}\"", dump.display()));
        let cells = std::fs::read(&dump).expect("read the VGA dump");
        cells
            .chunks(160)
            .map(|row| row.chunks(2).map(|cell| char::from(cell[0])).collect::<String>().trim_end().to_string())
            .collect()
    }

    /// Wait for the machine to exit by itself; kill it after `timeout`.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let start = Instant::now();
        while start.elapsed() < timeout {
            if let Ok(Some(status)) = self.child.try_wait() {
                std::thread::sleep(Duration::from_millis(100)); // let the readers drain
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        None
    }

    /// Wait for the exit and require the agreed success status.
    pub fn expect_success(&mut self, timeout: Duration) -> Result<(), Failure> {
        self.expect_exit(EXIT_SUCCESS, timeout)
    }

    /// Wait for the exit and require `code`.
    pub fn expect_exit(&mut self, code: i32, timeout: Duration) -> Result<(), Failure> {
        match self.wait_exit(timeout) {
            Some(status) if status.code() == Some(code) => Ok(()),
            Some(status) => Err(Failure(format!("{} exited with {status}, expected status {code}", self.what))),
            None => Err(Failure(format!("{} did not exit within {timeout:?}", self.what))),
        }
    }
}

impl Drop for Machine {
    fn drop(&mut self) {
        if self.own_session {
            // script(1)'s child leads the session and its process group: end them all.
            let children = Command::new("pgrep").arg("-P").arg(self.child.id().to_string()).output();
            for group in children
                .map(|out| String::from_utf8_lossy(&out.stdout).into_owned())
                .unwrap_or_default()
                .split_whitespace()
            {
                let _ = Command::new("kill").args(["-KILL", "--", &format!("-{group}")]).status();
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Boot with `init=/bin/ktest-NAME` (plus `extra` kernel arguments; words after
/// `--` go to the program), require a clean exit and its `KTEST PASS NAME` line,
/// and return the serial log.
pub fn run_ktest(name: &str, extra: &str) -> String {
    let mut m = Boot::new(&format!("init=/bin/ktest-{name} {extra}")).start();
    m.expect_success(Duration::from_secs(120)).or_log(&m);
    let log = m.log();
    assert!(log.contains(&format!("KTEST PASS {name}")), "no pass line for {name}\n{log}");
    log
}

/// Unwrap a wait's result, failing the test with the serial log attached.
pub trait OrLog<T> {
    fn or_log(self, machine: &Machine) -> T;
}

impl<T> OrLog<T> for Result<T, Failure> {
    fn or_log(self, machine: &Machine) -> T {
        match self {
            Ok(value) => value,
            Err(Failure(why)) => panic!("{why}\n----- serial log -----\n{}\n----------------------", machine.log()),
        }
    }
}

/// Run `command` (a shell command line, in the workspace) under script(1), on a
/// pseudo-terminal as a user's terminal would be, without a display: what it prints
/// is the log, and `send` types on that terminal (control keys included). How
/// `make run` (scripts/run.sh) and `make bochs` (scripts/bochs.sh) are tested.
pub fn on_terminal(command: &str) -> Machine {
    let scratch = tempfile::tempdir().expect("temporary directory");
    let mut cmd = Command::new("script");
    cmd.args(["-qfec", command, "/dev/null"]).env_remove("DISPLAY").current_dir(workspace_dir());
    let mut machine = Machine::spawn(cmd, scratch, None, format!("`{command}` on a terminal"));
    machine.own_session = true;
    machine
}

/// A command line that boots build/os.iso under Bochs as `make bochs` does without a
/// display (scripts/bochs.sh: the serial console on the terminal), for `on_terminal`.
pub fn bochs_command() -> String {
    let scratch = build_dir().join("bochs-test");
    std::fs::create_dir_all(&scratch).expect("Bochs's scratch directory");
    format!("scripts/bochs.sh {} {}", iso().display(), scratch.display())
}

/// Shell sessions over the serial console: boot to the prompt of the shell init
/// starts, type command lines, wait for what they print.
pub mod session {
    use std::time::Duration;

    use super::{Boot, Machine, OrLog};

    /// How long one command line may take.
    pub const TIMEOUT: Duration = Duration::from_secs(60);
    /// How root's prompt ends.
    pub const PROMPT: &str = "# ";
    /// The prompt of the shell root is logged in to automatically on the serial
    /// console (init's getty -a root, login: in root's home).
    pub const LOGIN_PROMPT: &str = "/root # ";

    /// Wait for the automatic root login's prompt, then go to / (where the tests'
    /// relative paths start), at the prompt "/ # ".
    pub fn logged_in(m: &mut Machine, timeout: Duration) {
        m.wait_for(LOGIN_PROMPT, timeout).or_log(m);
        run(m, "cd /", "");
        m.wait_for("/ # ", TIMEOUT).or_log(m);
    }

    /// Boot the default image to the logged-in shell, in /.
    pub fn shell() -> Machine {
        let mut m = Boot::new("").start();
        logged_in(&mut m, Duration::from_secs(90));
        m
    }

    /// Type `keys` and wait until `expected` appears after them and a prompt follows.
    pub fn type_and_expect(m: &mut Machine, keys: &str, expected: &str) {
        let before = m.log().len();
        m.send(keys);
        let wanted = expected.to_string();
        m.wait_until(TIMEOUT, |log| {
            log.get(before..).is_some_and(|new| {
                new.find(&wanted).is_some_and(|at| new[at + wanted.len()..].contains(PROMPT) || new.ends_with(PROMPT))
            })
        })
        .or_log(m);
    }

    /// Do `act` (type something) and wait for `text` to appear in the serial log after it.
    pub fn act_until(m: &mut Machine, act: impl FnOnce(&mut Machine), text: &str) {
        let before = m.log().len();
        act(m);
        m.wait_until(TIMEOUT, |log| log.get(before..).is_some_and(|new| new.contains(text))).or_log(m);
    }

    /// Type `keys` on the serial console and wait for `text` to appear after them.
    pub fn type_until(m: &mut Machine, keys: &str, text: &str) {
        act_until(m, |m| m.send(keys), text);
    }

    /// Run one command line.
    pub fn run(m: &mut Machine, line: &str, expected: &str) {
        type_and_expect(m, &format!("{line}\n"), expected);
    }
}

/// Differential scripts' output: each check prints `check NN name: LINE` lines,
/// and two runs (Linux and Kestrel) must print the same lines for each check.
pub mod checks {
    /// A script's output as its checks in order: each label (`check NN name`) with
    /// the lines it printed.
    pub fn checks(output: &str) -> Vec<(&str, Vec<&str>)> {
        let mut checks: Vec<(&str, Vec<&str>)> = Vec::new();
        for line in output.lines().filter(|line| line.starts_with("check ")) {
            let (label, text) = line.split_once(": ").unwrap_or((line, ""));
            match checks.last_mut() {
                Some((last, lines)) if *last == label => lines.push(text),
                _ => checks.push((label, vec![text])),
            }
        }
        checks
    }

    /// The lines check `label` printed, if it ran.
    fn lines_of<'a>(checks: &'a [(&str, Vec<&str>)], label: &str) -> Option<&'a Vec<&'a str>> {
        checks.iter().find(|(l, _)| *l == label).map(|(_, lines)| lines)
    }

    /// The checks whose lines differ (or that only one side printed), each with the
    /// host's lines and Kestrel's; empty when the outputs agree.
    pub fn differences(host: &str, guest: &str) -> String {
        let (host, guest) = (checks(host), checks(guest));
        let mut labels: Vec<&str> = host.iter().map(|(label, _)| *label).collect();
        for (label, _) in &guest {
            if !labels.contains(label) {
                labels.push(label);
            }
        }
        let mut report = String::new();
        for label in labels {
            let (on_host, on_guest) = (lines_of(&host, label), lines_of(&guest, label));
            if on_host == on_guest {
                continue;
            }
            report.push_str(label);
            report.push('\n');
            for (side, lines) in [("linux  ", on_host), ("kestrel", on_guest)] {
                match lines {
                    Some(lines) => lines.iter().for_each(|line| report.push_str(&format!("  {side} | {line}\n"))),
                    None => report.push_str(&format!("  {side}   (no output)\n")),
                }
            }
        }
        report
    }

    #[cfg(test)]
    mod tests {
        use super::differences;

        #[test]
        fn differences_name_each_differing_check() {
            let host = "check 01 a: x\ncheck 02 b: y\ncheck 02 b: z\ndone\n";
            let guest = "[ 1.0] INFO boot\ncheck 01 a: x\ncheck 02 b: y\n";
            assert_eq!(differences(host, host), "");
            assert_eq!(differences(host, guest), "check 02 b\n  linux   | y\n  linux   | z\n  kestrel | y\n");
            assert_eq!(
                differences(host, "check 01 a: x\n"),
                "check 02 b\n  linux   | y\n  linux   | z\n  kestrel   (no output)\n"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::strip_escapes;

    #[test]
    fn escapes_are_removed() {
        assert_eq!(strip_escapes("\x1b[01;34mdir\x1b[0m  file\x1b[K\x07"), "dir  file");
        assert_eq!(strip_escapes("a\x1b[3~b\x1b[H\x1b[J"), "ab");
        assert_eq!(strip_escapes("plain \x1b text"), "plain \x1b text");
    }
}
