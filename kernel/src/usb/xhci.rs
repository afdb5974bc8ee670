//! One xHCI host controller (xHCI 1.2): its registers (BAR0, mapped uncached),
//! the BIOS-to-OS handoff, reset and start, the device context array and
//! scratchpad, the command and event rings; commands and control transfers
//! waited for synchronously (bounded), and root-port resets. Events that arrive
//! while a command waits are kept for `take_event`, which the timer tick's
//! service drains. The register layout is read with offsets here: the `xhci`
//! crate gives the TRB and context layouts, but its port-register array reads
//! and writes a port's four registers as one 16-byte value, and PORTSC's
//! write-1-to-clear bits need the masking below.
use alloc::collections::VecDeque;
use alloc::vec::Vec;

use usbdesc::Setup;
use xhci::ring::trb::command::{self, Allowed as Command};
use xhci::ring::trb::event::{Allowed as Event, CompletionCode};
use xhci::ring::trb::transfer::{DataStage, Direction, StatusStage, TransferType};

use crate::arch::mmio::Mmio;
use crate::mm::dma::DmaFrame;

use super::UsbError;
use super::ring::{EventRing, ProducerRing};

// Capability registers.
const CAPLENGTH: u64 = 0x00;
const HCSPARAMS1: u64 = 0x04;
const HCSPARAMS2: u64 = 0x08;
const HCCPARAMS1: u64 = 0x10;
const DBOFF: u64 = 0x14;
const RTSOFF: u64 = 0x18;
// Operational registers (from CAPLENGTH).
const USBCMD: u64 = 0x00;
const USBSTS: u64 = 0x04;
const CRCR: u64 = 0x18;
const DCBAAP: u64 = 0x30;
const CONFIG: u64 = 0x38;
const PORTSC: u64 = 0x400;
const CMD_RUN: u32 = 1;
const CMD_RESET: u32 = 2;
const STS_HALTED: u32 = 1;
const STS_NOT_READY: u32 = 1 << 11;
// Interrupter 0 (from RTSOFF).
const IR0: u64 = 0x20;
const ERSTSZ: u64 = IR0 + 0x08;
const ERSTBA: u64 = IR0 + 0x10;
const ERDP: u64 = IR0 + 0x18;
const ERDP_BUSY: u64 = 1 << 3;
/// Interrupter 0's management register: interrupt pending (write 1 to clear)
/// and interrupt enable; USBCMD's interrupter enable and USBSTS's event
/// interrupt (write 1 to clear).
const IMAN: u64 = IR0;
const IMAN_PENDING: u32 = 1;
const IMAN_ENABLE: u32 = 1 << 1;
const CMD_INTERRUPTS: u32 = 1 << 2;
const STS_EVENT: u32 = 1 << 3;
// Extended capabilities: USB Legacy Support, Supported Protocol.
const CAP_LEGACY: u32 = 1;
const CAP_PROTOCOL: u32 = 2;
const BIOS_OWNED: u32 = 1 << 16;
const OS_OWNED: u32 = 1 << 24;
// PORTSC bits.
pub const PORT_CONNECTED: u32 = 1;
pub const PORT_ENABLED: u32 = 1 << 1;
const PORT_RESET: u32 = 1 << 4;
const PORT_POWER: u32 = 1 << 9;
pub const PORT_CONNECT_CHANGE: u32 = 1 << 17;
const PORT_RESET_CHANGE: u32 = 1 << 21;
/// The change bits (write 1 to clear).
const PORT_CHANGES: u32 = 0x7f << 17;
/// The bits a write keeps as they are: power, indicator, link-write strobe
/// off, wake enables.
const PORT_PRESERVE: u32 = PORT_POWER | 3 << 14 | 7 << 25;

/// How long a command, a transfer or a reset may take.
const TIMEOUT_NS: u64 = 500_000_000;

/// Busy-wait `ms` milliseconds (the clock reads the TSC, so this works with
/// interrupts off).
pub fn delay_ms(ms: u64) {
    let end = crate::time::uptime_ns() + ms * 1_000_000;
    while crate::time::uptime_ns() < end {
        core::hint::spin_loop();
    }
}

/// Spin until `done` or the timeout.
fn wait_until(mut done: impl FnMut() -> bool) -> Result<(), UsbError> {
    let end = crate::time::uptime_ns() + TIMEOUT_NS;
    while !done() {
        if crate::time::uptime_ns() > end {
            return Err(UsbError::Timeout);
        }
        core::hint::spin_loop();
    }
    Ok(())
}

#[derive(Debug)]
pub struct Xhci {
    mmio: Mmio,
    op: u64,
    runtime: u64,
    doorbells: u64,
    pub ports: u8,
    pub version: u16,
    /// Bytes per context (32, or 64 with HCCPARAMS1.CSZ).
    pub context_size: usize,
    /// The root ports of each USB major revision: (revision, first port, count).
    protocols: Vec<(u8, u8, u8)>,
    dcbaa: DmaFrame,
    _scratchpad: Vec<DmaFrame>,
    commands: ProducerRing,
    events: EventRing,
    deferred: VecDeque<Event>,
}

impl Xhci {
    /// Take the controller from the firmware, reset it and start it with empty
    /// rings.
    pub fn start(bar: u64, size: u64) -> Result<Self, UsbError> {
        let mmio = Mmio::map(bar, size).ok_or(UsbError::NoMemory)?;
        let op = u64::from(mmio.read32(CAPLENGTH) & 0xff);
        let version = (mmio.read32(CAPLENGTH) >> 16) as u16;
        let params1 = mmio.read32(HCSPARAMS1);
        let params2 = mmio.read32(HCSPARAMS2);
        let cparams1 = mmio.read32(HCCPARAMS1);
        let capabilities = u64::from(cparams1 >> 16) * 4;
        take_from_firmware(&mmio, capabilities);
        let protocols = extended_capabilities(&mmio, capabilities)
            .filter(|&at| mmio.read32(at) & 0xff == CAP_PROTOCOL)
            .map(|at| {
                let ports = mmio.read32(at + 8);
                ((mmio.read32(at) >> 24) as u8, ports as u8, (ports >> 8) as u8)
            })
            .collect();

        mmio.write32(op + USBCMD, mmio.read32(op + USBCMD) & !CMD_RUN);
        wait_until(|| mmio.read32(op + USBSTS) & STS_HALTED != 0)?;
        mmio.write32(op + USBCMD, CMD_RESET);
        wait_until(|| mmio.read32(op + USBCMD) & CMD_RESET == 0 && mmio.read32(op + USBSTS) & STS_NOT_READY == 0)?;

        let slots = params1 & 0xff;
        mmio.write32(op + CONFIG, slots);
        let dcbaa = DmaFrame::new().ok_or(UsbError::NoMemory)?;
        let scratchpads = (params2 >> 27 & 0x1f) | (params2 >> 21 & 0x1f) << 5;
        let mut scratchpad = Vec::new();
        if scratchpads > 0 {
            let array = DmaFrame::new().ok_or(UsbError::NoMemory)?;
            for index in 0..scratchpads as usize {
                let buffer = DmaFrame::new().ok_or(UsbError::NoMemory)?;
                array.write_u64(index * 8, buffer.phys());
                scratchpad.push(buffer);
            }
            dcbaa.write_u64(0, array.phys());
            scratchpad.push(array);
        }
        mmio.write64(op + DCBAAP, dcbaa.phys());
        let commands = ProducerRing::new().ok_or(UsbError::NoMemory)?;
        mmio.write64(op + CRCR, commands.start());
        let events = EventRing::new().ok_or(UsbError::NoMemory)?;
        let runtime = u64::from(mmio.read32(RTSOFF) & !0x1f);
        let (table, entries) = events.table();
        mmio.write32(runtime + ERSTSZ, entries);
        mmio.write64(runtime + ERDP, events.dequeue_pointer());
        mmio.write64(runtime + ERSTBA, table);
        mmio.write32(op + USBCMD, CMD_RUN);
        wait_until(|| mmio.read32(op + USBSTS) & STS_HALTED == 0)?;
        Ok(Self {
            doorbells: u64::from(mmio.read32(DBOFF) & !3),
            mmio,
            op,
            runtime,
            ports: (params1 >> 24) as u8,
            version,
            protocols,
            context_size: if cparams1 & 4 != 0 { 64 } else { 32 },
            dcbaa,
            _scratchpad: scratchpad,
            commands,
            events,
            deferred: VecDeque::new(),
        })
    }

    /// Have interrupter 0 signal new events (by the MSI the caller set up).
    pub fn enable_interrupts(&self) {
        self.mmio.write32(self.runtime + IMAN, IMAN_ENABLE);
        self.mmio.write32(self.op + USBCMD, self.mmio.read32(self.op + USBCMD) | CMD_INTERRUPTS);
    }

    /// Acknowledge an interrupt: clear USBSTS's event bit and IMAN's pending bit
    /// (write 1 to clear both), so the next event signals again.
    pub fn acknowledge_interrupt(&self) {
        self.mmio.write32(self.op + USBSTS, STS_EVENT);
        self.mmio.write32(self.runtime + IMAN, IMAN_ENABLE | IMAN_PENDING);
    }

    /// Point the device context array's entry for `slot` at a context (0: none).
    pub fn set_device_context(&self, slot: u8, phys: u64) {
        self.dcbaa.write_u64(usize::from(slot) * 8, phys);
    }

    pub fn ring_doorbell(&self, slot: u8, target: u8) {
        crate::mm::dma::publish();
        self.mmio.write32(self.doorbells + 4 * u64::from(slot), u32::from(target));
    }

    /// The next event: one kept while waiting, else a new one from the ring.
    pub fn take_event(&mut self) -> Option<Event> {
        if let Some(event) = self.deferred.pop_front() {
            return Some(event);
        }
        loop {
            let trb = self.events.pop()?;
            self.mmio.write64(self.runtime + ERDP, self.events.dequeue_pointer() | ERDP_BUSY);
            if let Ok(event) = Event::try_from(trb) {
                return Some(event);
            }
        }
    }

    /// Wait for the event `wanted` picks, keeping the others for later.
    fn wait_event(&mut self, mut wanted: impl FnMut(&Event) -> bool) -> Result<Event, UsbError> {
        let end = crate::time::uptime_ns() + TIMEOUT_NS;
        loop {
            while let Some(trb) = self.events.pop() {
                self.mmio.write64(self.runtime + ERDP, self.events.dequeue_pointer() | ERDP_BUSY);
                let Ok(event) = Event::try_from(trb) else { continue };
                if wanted(&event) {
                    return Ok(event);
                }
                self.deferred.push_back(event);
            }
            if crate::time::uptime_ns() > end {
                return Err(UsbError::Timeout);
            }
            core::hint::spin_loop();
        }
    }

    /// Run a command; the slot id of its completion.
    pub fn command(&mut self, command: Command) -> Result<u8, UsbError> {
        let address = self.commands.push(command.into_raw());
        self.ring_doorbell(0, 0);
        let event =
            self.wait_event(|e| matches!(e, Event::CommandCompletion(c) if c.command_trb_pointer() == address))?;
        let Event::CommandCompletion(done) = event else { unreachable!("waited for a command completion") };
        match done.completion_code() {
            Ok(CompletionCode::Success) => Ok(done.slot_id()),
            Ok(code) => Err(UsbError::Completion(code as u8)),
            Err(code) => Err(UsbError::Completion(code)),
        }
    }

    pub fn enable_slot(&mut self) -> Result<u8, UsbError> {
        match self.command(Command::EnableSlot(command::EnableSlot::new()))? {
            0 => Err(UsbError::BadSlot),
            slot => Ok(slot),
        }
    }

    /// A control transfer on `slot`'s endpoint 0 (ring `ring`), with the data stage
    /// in `buffer` (at most a frame).
    pub fn control(
        &mut self,
        slot: u8,
        ring: &mut ProducerRing,
        setup: Setup,
        buffer: &DmaFrame,
    ) -> Result<(), UsbError> {
        let mut stage = xhci::ring::trb::transfer::SetupStage::new();
        stage
            .set_request_type(setup.request_type)
            .set_request(setup.request)
            .set_value(setup.value)
            .set_index(setup.index)
            .set_length(setup.length);
        let (kind, direction) = match (setup.length, setup.is_in()) {
            (0, _) => (TransferType::No, Direction::In),
            (_, true) => (TransferType::In, Direction::In),
            (_, false) => (TransferType::Out, Direction::Out),
        };
        stage.set_transfer_type(kind);
        ring.push(stage.into_raw());
        if setup.length > 0 {
            let mut data = DataStage::new();
            data.set_data_buffer_pointer(buffer.phys())
                .set_trb_transfer_length(u32::from(setup.length).min(4096))
                .set_direction(direction);
            ring.push(data.into_raw());
        }
        let mut status = StatusStage::new();
        if setup.length == 0 || !setup.is_in() {
            status.set_direction();
        }
        status.set_interrupt_on_completion();
        let address = ring.push(status.into_raw());
        self.ring_doorbell(slot, 1);
        let event = self.wait_event(|e| match e {
            Event::TransferEvent(t) => {
                t.slot_id() == slot
                    && t.endpoint_id() == 1
                    && (t.trb_pointer() == address || !matches!(t.completion_code(), Ok(CompletionCode::Success)))
            }
            _ => false,
        })?;
        let Event::TransferEvent(done) = event else { unreachable!("waited for a transfer event") };
        match done.completion_code() {
            Ok(CompletionCode::Success | CompletionCode::ShortPacket) => Ok(()),
            Ok(code) => Err(UsbError::Completion(code as u8)),
            Err(code) => Err(UsbError::Completion(code)),
        }
    }

    /// Where Linux names a root port: whether it is on the USB 3 root hub (its
    /// second bus), and its number there.
    pub fn root_hub_port(&self, port: u8) -> (bool, u8) {
        self.protocols
            .iter()
            .find(|&&(_, first, count)| (first..first.saturating_add(count)).contains(&port))
            .map_or((false, port), |&(major, first, _)| (major >= 3, port - first + 1))
    }

    fn portsc(port: u8) -> u64 {
        PORTSC + 0x10 * u64::from(port - 1)
    }

    /// A root port's status and control register (ports from 1).
    pub fn port_status(&self, port: u8) -> u32 {
        self.mmio.read32(self.op + Self::portsc(port))
    }

    /// Clear a root port's change bits; its status before.
    pub fn acknowledge_port(&self, port: u8) -> u32 {
        let status = self.port_status(port);
        self.mmio.write32(self.op + Self::portsc(port), status & PORT_PRESERVE | status & PORT_CHANGES);
        status
    }

    /// Reset a root port (a USB 2 port is enabled only by a reset; a USB 3 port
    /// enables itself) and wait for it to be enabled; its speed id.
    pub fn reset_port(&self, port: u8) -> Result<u8, UsbError> {
        let at = self.op + Self::portsc(port);
        if self.port_status(port) & PORT_ENABLED == 0 {
            let status = self.port_status(port);
            self.mmio.write32(at, status & PORT_PRESERVE | PORT_RESET);
            wait_until(|| self.port_status(port) & PORT_RESET_CHANGE != 0)?;
            // TRSTRCY: the device gets 10 ms after a reset.
            delay_ms(10);
        }
        let status = self.acknowledge_port(port);
        if status & PORT_ENABLED == 0 {
            return Err(UsbError::PortDisabled);
        }
        Ok((status >> 10 & 0xf) as u8)
    }
}

/// The offsets of the extended capabilities starting at `first` (0: none).
fn extended_capabilities(mmio: &Mmio, first: u64) -> impl Iterator<Item = u64> + '_ {
    core::iter::successors((first != 0).then_some(first), move |&at| {
        let next = u64::from(mmio.read32(at) >> 8 & 0xff) * 4;
        (next != 0).then_some(at + next)
    })
}

/// The BIOS/OS handoff (xHCI 4.22.1): ask for ownership through the USB Legacy
/// Support capability, wait (bounded) for the firmware to let go, and turn off
/// its SMIs.
fn take_from_firmware(mmio: &Mmio, first: u64) {
    let Some(at) = extended_capabilities(mmio, first).find(|&at| mmio.read32(at) & 0xff == CAP_LEGACY) else {
        return;
    };
    mmio.write32(at, mmio.read32(at) | OS_OWNED);
    if wait_until(|| mmio.read32(at) & BIOS_OWNED == 0).is_err() {
        log::warn!("usb: the firmware did not hand the xHCI controller over; taking it");
        mmio.write32(at, mmio.read32(at) & !BIOS_OWNED);
    }
    let control = mmio.read32(at + 4);
    mmio.write32(at + 4, control & 0xffff_1fee | 0xe000_0000);
}
