//! USB devices on one controller: enumeration (Enable Slot, Address Device, the
//! descriptors, the configuration), boot keyboards (hubs are `hub.rs`'s), and
//! removal (Disable Slot for the devices below a port, the deepest first).
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use usbdesc::{Configuration, DESCRIPTOR_CONFIGURATION, DESCRIPTOR_DEVICE, Device, Setup};
use xhci::context::{Endpoint32Byte, EndpointHandler, EndpointType, Slot32Byte, SlotHandler};
use xhci::ring::trb::command::{self, Allowed as Command};

use crate::mm::dma::DmaFrame;

use super::UsbError;
use super::interrupt::InterruptIn;
use super::keyboard::Keyboard;
use super::ring::ProducerRing;
use super::xhci::Xhci;

/// Where a device is: its root port and the hub ports below it (at most five).
/// Linux's name for it counts the root port within its root hub (USB 2 or 3),
/// each a bus of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    pub bus: u8,
    /// The controller's port id (the slot context's root hub port number).
    pub root_port: u8,
    /// Its number on the root hub `bus` stands for.
    pub hub_port: u8,
    pub hubs: Vec<u8>,
}

impl Path {
    /// The route string: each hub port in four bits, the first tier lowest.
    fn route(&self) -> u32 {
        self.hubs.iter().enumerate().map(|(tier, &port)| u32::from(port.min(15)) << (4 * tier)).sum()
    }

    pub fn child(&self, port: u8) -> Self {
        let mut hubs = self.hubs.clone();
        hubs.push(port);
        Self { hubs, ..self.clone() }
    }
}

impl fmt::Display for Path {
    /// Linux's device name: `1-2`, `1-2.3`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.bus, self.hub_port)?;
        for port in &self.hubs {
            write!(f, ".{port}")?;
        }
        Ok(())
    }
}

impl Path {
    /// Whether `self` is `other` or below it.
    fn within(&self, other: &Path) -> bool {
        self.root_port == other.root_port && self.hubs.starts_with(&other.hubs)
    }
}

fn speed_name(speed: u8) -> &'static str {
    match speed {
        1 => "full-speed",
        2 => "low-speed",
        3 => "high-speed",
        4 => "SuperSpeed",
        _ => "SuperSpeedPlus",
    }
}

/// An addressed device: its slot, contexts, endpoint 0 and what drives it.
#[derive(Debug)]
pub struct Slot {
    pub path: Path,
    pub speed: u8,
    _output: DmaFrame,
    pub input: DmaFrame,
    ep0: ProducerRing,
    data: DmaFrame,
    pub keyboard: Option<Keyboard>,
    /// A hub's status-change endpoint.
    pub hub: Option<InterruptIn>,
}

/// The devices of one controller, by slot id.
#[derive(Debug, Default)]
pub struct Devices {
    pub slots: BTreeMap<u8, Slot>,
}

/// The slot context of a device at `path`.
pub fn slot_context(path: &Path, speed: u8, entries: u8) -> Slot32Byte {
    let mut slot = Slot32Byte::new_32byte();
    slot.set_route_string(path.route());
    slot.set_speed(speed);
    slot.set_context_entries(entries);
    slot.set_root_hub_port_number(path.root_port);
    slot
}

/// Endpoint 0's context.
fn control_context(ring: u64, max_packet: u16) -> Endpoint32Byte {
    let mut ep = Endpoint32Byte::new_32byte();
    ep.set_endpoint_type(EndpointType::Control);
    ep.set_max_packet_size(max_packet);
    ep.set_error_count(3);
    ep.set_tr_dequeue_pointer(ring & !1);
    ep.set_dequeue_cycle_state();
    ep.set_average_trb_length(8);
    ep
}

/// Write an input context: the add flags, then contexts by index (0 the slot).
pub fn write_input(hc: &Xhci, input: &DmaFrame, add: u32, contexts: &[(usize, &[u32])]) {
    for offset in (0..4096).step_by(4) {
        input.write_u32(offset, 0);
    }
    input.write_u32(4, add);
    for (index, words) in contexts {
        input.write_words((index + 1) * hc.context_size, words);
    }
}

impl Devices {
    /// Enumerate the device just enabled at `path`, and below it if it is a hub.
    pub fn attach(&mut self, hc: &mut Xhci, path: Path, speed: u8) -> Result<(), UsbError> {
        let slot = hc.enable_slot()?;
        let result = self.address(hc, slot, path.clone(), speed).and_then(|()| self.configure(hc, slot));
        if let Err(e) = result {
            log::warn!("usb {path}: cannot enumerate the device: {e}");
            self.disable(hc, slot);
            return Err(e);
        }
        Ok(())
    }

    /// Give the device an address, its endpoint 0 the right packet size.
    fn address(&mut self, hc: &mut Xhci, slot: u8, path: Path, speed: u8) -> Result<(), UsbError> {
        let output = DmaFrame::new().ok_or(UsbError::NoMemory)?;
        let input = DmaFrame::new().ok_or(UsbError::NoMemory)?;
        let ep0 = ProducerRing::new().ok_or(UsbError::NoMemory)?;
        let data = DmaFrame::new().ok_or(UsbError::NoMemory)?;
        let packet = match speed {
            2 => 8,
            3 => 64,
            1 => 64,
            _ => 512,
        };
        let slot_ctx = slot_context(&path, speed, 1);
        let ep_ctx = control_context(ep0.start(), packet);
        write_input(hc, &input, 0b11, &[(0, slot_ctx.as_ref()), (1, ep_ctx.as_ref())]);
        hc.set_device_context(slot, output.phys());
        let mut trb = command::AddressDevice::new();
        trb.set_input_context_pointer(input.phys()).set_slot_id(slot);
        let device = Slot { path, speed, _output: output, input, ep0, data, keyboard: None, hub: None };
        self.slots.insert(slot, device);
        hc.command(Command::AddressDevice(trb))?;

        let head = self.descriptor(hc, slot, DESCRIPTOR_DEVICE, 8)?;
        let head = Device::parse(&head).ok_or(UsbError::BadDescriptor)?;
        let real = if head.usb_version >= 0x300 {
            1u16 << head.max_packet_size0.min(15)
        } else {
            head.max_packet_size0.into()
        };
        if real != packet && real != 0 {
            let device = &self.slots[&slot];
            let ep_ctx = control_context(device.ep0.start(), real);
            write_input(hc, &device.input, 0b10, &[(1, ep_ctx.as_ref())]);
            let mut trb = command::EvaluateContext::new();
            trb.set_input_context_pointer(device.input.phys()).set_slot_id(slot);
            hc.command(Command::EvaluateContext(trb))?;
        }
        Ok(())
    }

    /// GET_DESCRIPTOR of `length` bytes.
    fn descriptor(&mut self, hc: &mut Xhci, slot: u8, kind: u8, length: u16) -> Result<Vec<u8>, UsbError> {
        self.request(hc, slot, Setup::get_descriptor(kind, length))
    }

    /// A control request; the data stage's bytes.
    pub fn request(&mut self, hc: &mut Xhci, slot: u8, setup: Setup) -> Result<Vec<u8>, UsbError> {
        let device = self.slots.get_mut(&slot).ok_or(UsbError::NoDevice)?;
        let length = usize::from(setup.length).min(4096);
        for offset in (0..length.next_multiple_of(4)).step_by(4) {
            device.data.write_u32(offset, 0);
        }
        hc.control(slot, &mut device.ep0, setup, &device.data)?;
        let mut bytes = alloc::vec![0; length];
        device.data.read_bytes(0, &mut bytes);
        Ok(bytes)
    }

    /// Read the descriptors and start the driver that fits.
    fn configure(&mut self, hc: &mut Xhci, slot: u8) -> Result<(), UsbError> {
        let device =
            Device::parse(&self.descriptor(hc, slot, DESCRIPTOR_DEVICE, 18)?).ok_or(UsbError::BadDescriptor)?;
        let head = self.descriptor(hc, slot, DESCRIPTOR_CONFIGURATION, 9)?;
        let total = usbdesc::configuration_length(&head).ok_or(UsbError::BadDescriptor)?;
        let bytes = self.descriptor(hc, slot, DESCRIPTOR_CONFIGURATION, total.clamp(9, 1024))?;
        let config = Configuration::parse(&bytes).ok_or(UsbError::BadDescriptor)?;
        let (path, speed) = (self.slots[&slot].path.clone(), self.slots[&slot].speed);
        log::debug!(
            "usb {path}: new {} device, slot {slot}, {:04x}:{:04x} class {:02x}, USB {:x}.{:02x}",
            speed_name(speed),
            device.vendor,
            device.product,
            device.class,
            device.usb_version >> 8,
            device.usb_version & 0xff
        );
        if device.class == usbdesc::CLASS_HUB {
            return self.start_hub(hc, slot, &config);
        }
        let Some(interface) = config.interfaces.iter().find(|i| i.is_boot_keyboard()) else {
            log::info!("usb {path}: {:04x}:{:04x} (no driver)", device.vendor, device.product);
            return Ok(());
        };
        let endpoint = interface.interrupt_in().ok_or(UsbError::BadDescriptor)?;
        let keyboard = Keyboard::new(endpoint, speed).ok_or(UsbError::NoMemory)?;
        let slot_ctx = slot_context(&path, speed, endpoint.context_index());
        let dci = usize::from(endpoint.context_index());
        let ep_ctx = keyboard.reports.context();
        let input = &self.slots[&slot].input;
        write_input(hc, input, 1 | 1 << dci, &[(0, slot_ctx.as_ref()), (dci, ep_ctx.as_ref())]);
        let mut trb = command::ConfigureEndpoint::new();
        trb.set_input_context_pointer(input.phys()).set_slot_id(slot);
        hc.command(Command::ConfigureEndpoint(trb))?;
        self.request(hc, slot, Setup::set_configuration(config.value))?;
        self.request(hc, slot, Setup::set_boot_protocol(interface.number))?;
        // SET_IDLE is optional for keyboards; a stall changes nothing.
        if let Err(e) = self.request(hc, slot, Setup::set_idle(interface.number)) {
            log::debug!("usb {path}: SET_IDLE: {e}");
        }
        let device = self.slots.get_mut(&slot).ok_or(UsbError::NoDevice)?;
        device.keyboard.insert(keyboard).reports.queue(hc, slot);
        log::info!("usb {path}: keyboard (HID boot protocol)");
        Ok(())
    }

    /// Disable a slot and forget its device.
    pub fn disable(&mut self, hc: &mut Xhci, slot: u8) {
        let mut trb = command::DisableSlot::new();
        trb.set_slot_id(slot);
        if let Err(e) = hc.command(Command::DisableSlot(trb)) {
            log::debug!("usb: Disable Slot {slot}: {e}");
        }
        hc.set_device_context(slot, 0);
        self.slots.remove(&slot);
    }

    /// Whether a device is on root port `port`.
    pub fn on_port(&self, port: u8) -> bool {
        self.slots.values().any(|d| d.path.root_port == port)
    }

    /// The device at `path` and those below it went away: disable their slots,
    /// the deepest first.
    pub fn detach(&mut self, hc: &mut Xhci, path: &Path) {
        let mut gone: Vec<(usize, u8, String)> = self
            .slots
            .iter()
            .filter(|(_, d)| d.path.within(path))
            .map(|(&slot, d)| (d.path.hubs.len(), slot, format!("{}", d.path)))
            .collect();
        gone.sort_by_key(|g| core::cmp::Reverse(g.0));
        for (_, slot, name) in gone {
            log::info!("usb {name}: USB disconnect, slot {slot}");
            self.disable(hc, slot);
        }
    }
}
