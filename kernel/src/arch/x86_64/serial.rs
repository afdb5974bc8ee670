//! COM1, a 16550 UART (through `uart_16550`) at 115200 8N1: console output, and
//! input bytes on IRQ 4 (or polled from the timer tick when that cannot be
//! routed). A machine without a working COM1 boots without it: the port must
//! answer (its scratch register keeps what is written) and keep draining its
//! transmitter. (No loopback test: Bochs's UART takes no more terminal input
//! after one.)
use spin::Mutex;
use uart_16550::backend::PioBackend;
use uart_16550::spec::registers::IER;
use uart_16550::{BaudRate, Config, Uart16550};
use x86_64::instructions::port::Port;

const COM1: u16 = 0x3f8;

static PORT: Mutex<Option<Uart16550<PioBackend>>> = Mutex::new(None);

/// TSC cycles without room in the transmit FIFO before the port is taken as
/// broken: seconds at any clock rate, where a working port drains its 16 bytes
/// in 1.4 ms at 115200 baud (an emulator's may stall far longer while a busy
/// host reads its output, and a port given up loses all later output).
const STALL_CYCLES: u64 = 10_000_000_000;

/// Initialise COM1 (if present) with receive interrupts enabled.
pub fn init() {
    // SAFETY: 0x3f8..0x400 are COM1's registers, used only through PORT.
    let Ok(mut uart) = (unsafe { Uart16550::new_port(COM1) }) else {
        return;
    };
    let config = Config { baud_rate: BaudRate::Baud115200, interrupts: IER::DATA_READY, ..Config::default() };
    if uart.init(config).is_ok() {
        *PORT.lock() = Some(uart);
    }
}

/// Write bytes, translating "\n" to "\r\n". Callers serialise (the console
/// lock). A port whose transmitter stops draining is given up.
pub fn write(bytes: &[u8]) {
    let mut port = PORT.lock();
    let Some(uart) = port.as_mut() else { return };
    let sent = bytes.split_inclusive(|&b| b == b'\n').all(|line| match line.strip_suffix(b"\n") {
        Some(text) => send(uart, text) && send(uart, b"\r\n"),
        None => send(uart, line),
    });
    if !sent {
        *port = None;
    }
}

/// Send all of `bytes`; false if the FIFO has no room for STALL_CYCLES.
fn send(uart: &mut Uart16550<PioBackend>, mut bytes: &[u8]) -> bool {
    let mut stalled_since = None;
    while !bytes.is_empty() {
        match uart.send_bytes(bytes) {
            0 => {
                let now = super::cpu::timestamp();
                if now.wrapping_sub(*stalled_since.get_or_insert(now)) > STALL_CYCLES {
                    return false;
                }
                core::hint::spin_loop();
            }
            n => {
                stalled_since = None;
                bytes = &bytes[n..];
            }
        }
    }
    true
}

/// A byte received, if any.
pub fn try_read() -> Option<u8> {
    PORT.lock().as_mut().and_then(|uart| uart.try_receive_byte().ok())
}

/// Write with plain port I/O, bypassing the lock: for the panic path only, when
/// the lock may be held by the code that failed.
pub fn emergency_write(bytes: &[u8]) {
    let mut data = Port::<u8>::new(COM1);
    let mut line_status = Port::<u8>::new(COM1 + 5);
    for &b in bytes {
        for &out in if b == b'\n' { b"\r\n".as_slice() } else { core::slice::from_ref(&b) } {
            // SAFETY: COM1's data and line-status registers; at worst the bytes
            // interleave with another writer's.
            unsafe {
                let mut spins = 0u32;
                while line_status.read() & 0x20 == 0 && spins < 100_000 {
                    spins += 1;
                }
                data.write(out);
            }
        }
    }
}
