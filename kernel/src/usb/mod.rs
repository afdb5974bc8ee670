//! The USB driver: xHCI host controllers found on the PCI bus (class 0c0330),
//! the devices on their root ports and behind hubs, and HID boot keyboards,
//! whose keys reach the same consoles as the PS/2 keyboard's. A controller
//! with MSI or MSI-X signals its events when the local APIC is in use (the
//! handler calls `on_interrupt`); the timer tick calls `service` too (key
//! repeat, and every event on machines without MSI), which reads nothing but
//! each event ring's next entry when nothing happened. Enumeration (at boot,
//! and on a port's connect change) waits for each command and transfer
//! (bounded), in the interrupt or tick when hot-plugged.
#![deny(unsafe_code)]

mod device;
mod hub;
mod interrupt;
mod keyboard;
mod ring;
mod xhci;

use alloc::format;
use alloc::vec::Vec;
use core::fmt;

use ::xhci::ring::trb::event::{Allowed as Event, CompletionCode};
use pci::{BarKind, Function};
use spin::Mutex;
use vtscreen::keys::Key;

use device::{Devices, Path};
use xhci::{PORT_CONNECT_CHANGE, PORT_CONNECTED, Xhci};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsbError {
    Timeout,
    /// A completion code other than success.
    Completion(u8),
    NoMemory,
    BadDescriptor,
    PortDisabled,
    NoDevice,
    /// A slot id of 0 from Enable Slot.
    BadSlot,
    /// A hub more than five tiers down (the route string has five).
    TooDeep,
}

impl fmt::Display for UsbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Timeout => f.write_str("timed out"),
            Self::Completion(code) => write!(f, "completion code {code}"),
            Self::NoMemory => f.write_str("out of memory"),
            Self::BadDescriptor => f.write_str("bad descriptor"),
            Self::PortDisabled => f.write_str("port not enabled after reset"),
            Self::NoDevice => f.write_str("no such device"),
            Self::BadSlot => f.write_str("the controller gave slot 0"),
            Self::TooDeep => f.write_str("hubs nested too deep"),
        }
    }
}

/// A running controller and its devices.
#[derive(Debug)]
struct Controller {
    bus: u8,
    hc: Xhci,
    devices: Devices,
    /// Its PCI name and MSI vector, if it signals by MSI.
    name: alloc::string::String,
    vector: Option<u8>,
    /// Interrupts taken (the first is logged).
    interrupts: u64,
}

static CONTROLLERS: Mutex<Vec<Controller>> = Mutex::new(Vec::new());

/// Whether `f` is an xHCI controller (serial bus, USB, programming interface 0x30).
fn is_xhci(f: &Function) -> bool {
    (f.class, f.subclass, f.prog_if) == (0x0c, 0x03, 0x30)
}

/// Start every xHCI controller and enumerate what is plugged in; a controller
/// that can signals its events by MSI to `interrupt_handler` (which calls
/// [`on_interrupt`]).
pub fn init(interrupt_handler: fn()) {
    for function in crate::pci::functions().iter().filter(|f| is_xhci(f)) {
        let name = format!("0000:{}", function.address);
        let bar = function.resources.bars[0];
        if !matches!(bar.kind, BarKind::Memory32 | BarKind::Memory64) || bar.size == 0 {
            log::warn!("usb: xHCI {name}: no register BAR");
            continue;
        }
        crate::pci::enable_memory_and_dma(function.address);
        let hc = match Xhci::start(bar.address, bar.size) {
            Ok(hc) => hc,
            Err(e) => {
                log::warn!("usb: xHCI {name}: cannot start: {e}");
                continue;
            }
        };
        // Linux's numbering: each controller's USB 2 and USB 3 root hubs are buses.
        let bus = CONTROLLERS.lock().len() as u8 * 2 + 1;
        log::info!(
            "usb: xHCI {name}, {} ports, version {:x}.{}, buses {bus} and {}",
            hc.ports,
            hc.version >> 8,
            hc.version >> 4 & 0xf,
            bus + 1
        );
        let vector = crate::pci::enable_msi(function, interrupt_handler).ok();
        if let Some(vector) = vector {
            hc.enable_interrupts();
            log::info!("usb: xHCI {name}: events by MSI on vector {vector}");
        } else {
            log::info!("usb: xHCI {name}: no MSI, events polled at each tick");
        }
        let mut controller = Controller { bus, hc, devices: Devices::default(), name, vector, interrupts: 0 };
        for port in 1..=controller.hc.ports {
            controller.port_changed(port, true);
        }
        CONTROLLERS.lock().push(controller);
    }
}

impl Controller {
    /// A root port's state changed (or is looked at first, `initial`): enumerate
    /// a new device, or forget the ones that went away.
    fn port_changed(&mut self, port: u8, initial: bool) {
        if port == 0 || port > self.hc.ports {
            return;
        }
        let status = self.hc.acknowledge_port(port);
        if status & PORT_CONNECT_CHANGE == 0 && !initial {
            return;
        }
        let (usb3, hub_port) = self.hc.root_hub_port(port);
        let path = Path { bus: self.bus + u8::from(usb3), root_port: port, hub_port, hubs: Vec::new() };
        // Gone, or unplugged and plugged again between two looks.
        if self.devices.on_port(port) {
            self.devices.detach(&mut self.hc, &path);
        }
        if status & PORT_CONNECTED == 0 {
            return;
        }
        match self.hc.reset_port(port) {
            Ok(speed) => {
                let _ = self.devices.attach(&mut self.hc, path, speed);
            }
            Err(e) => log::warn!("usb {path}: cannot reset the port: {e}"),
        }
    }

    /// Handle what the controller reported; the keys pressed.
    fn service(&mut self, now_ms: u64, keys: &mut Vec<Key>) {
        while let Some(event) = self.hc.take_event() {
            match event {
                Event::PortStatusChange(change) => self.port_changed(change.port_id(), false),
                Event::TransferEvent(done) => {
                    let ok =
                        matches!(done.completion_code(), Ok(CompletionCode::Success | CompletionCode::ShortPacket));
                    let slot = done.slot_id();
                    let Some(device) = self.devices.slots.get_mut(&slot) else { continue };
                    let endpoint = done.endpoint_id();
                    if !ok {
                        log::debug!("usb {}: endpoint {endpoint}: {:?}", device.path, done.completion_code());
                    } else if let Some(kbd) = device.keyboard.as_mut().filter(|k| k.reports.context_index() == endpoint)
                    {
                        keys.extend(kbd.received(&self.hc, slot, now_ms));
                    } else if let Some(changes) = device.hub.as_mut().filter(|h| h.context_index() == endpoint) {
                        let mut bitmap = [0; 4];
                        changes.take(&self.hc, slot, &mut bitmap);
                        self.devices.hub_changed(&mut self.hc, slot, u32::from_le_bytes(bitmap));
                    }
                }
                _ => {}
            }
        }
        for device in self.devices.slots.values_mut() {
            if let Some(key) = device.keyboard.as_mut().and_then(|k| k.tick(now_ms)) {
                keys.push(key);
            }
        }
    }
}

/// A controller's MSI arrived: acknowledge every controller that signals so,
/// then service them all; the keys pressed.
pub fn on_interrupt(now_ms: u64) -> Vec<Key> {
    if let Some(mut controllers) = CONTROLLERS.try_lock() {
        for controller in controllers.iter_mut() {
            let Some(vector) = controller.vector else { continue };
            controller.hc.acknowledge_interrupt();
            controller.interrupts += 1;
            if controller.interrupts == 1 {
                log::debug!("usb: xHCI {}: first interrupt (MSI vector {vector})", controller.name);
            }
        }
    }
    service(now_ms)
}

/// Service every controller (from the timer tick, and after an interrupt):
/// port changes, keyboard reports and key repeats; the keys pressed.
pub fn service(now_ms: u64) -> Vec<Key> {
    let mut keys = Vec::new();
    if let Some(mut controllers) = CONTROLLERS.try_lock() {
        for controller in controllers.iter_mut() {
            controller.service(now_ms, &mut keys);
        }
    }
    keys
}
