//! USB hubs (USB 2.0 chapter 11): configured as hubs in their slot context, their
//! ports powered, each connected port reset and its device enumerated (a route
//! string tier deeper), and their status-change endpoint kept queued so that a
//! device plugged into or pulled out of a hub port is found or forgotten.
use usbdesc::{Configuration, Hub, PortStatus, Setup};
use xhci::context::SlotHandler;
use xhci::ring::trb::command::{self, Allowed as Command};

use super::UsbError;
use super::device::{Devices, slot_context, write_input};
use super::interrupt::InterruptIn;
use super::xhci::{Xhci, delay_ms};

impl Devices {
    /// Configure a hub, power its ports, enumerate what is on them and start
    /// listening for changes.
    pub fn start_hub(&mut self, hc: &mut Xhci, slot: u8, config: &Configuration) -> Result<(), UsbError> {
        let hub = Hub::parse(&self.request(hc, slot, Setup::get_hub_descriptor(9))?).ok_or(UsbError::BadDescriptor)?;
        let (path, speed) = (self.slots[&slot].path.clone(), self.slots[&slot].speed);
        let endpoint = config.interfaces.iter().find_map(|i| i.interrupt_in()).ok_or(UsbError::BadDescriptor)?;
        // One bit per port and one for the hub, in whole bytes (at most 31 ports).
        let bitmap = u16::from(hub.ports.min(31)) / 8 + 1;
        let changes = InterruptIn::new(endpoint, speed, bitmap).ok_or(UsbError::NoMemory)?;
        let dci = usize::from(changes.context_index());
        let mut slot_ctx = slot_context(&path, speed, changes.context_index());
        slot_ctx.set_hub();
        slot_ctx.set_number_of_ports(hub.ports);
        let input = &self.slots[&slot].input;
        write_input(hc, input, 1 | 1 << dci, &[(0, slot_ctx.as_ref()), (dci, changes.context().as_ref())]);
        let mut trb = command::ConfigureEndpoint::new();
        trb.set_input_context_pointer(input.phys()).set_slot_id(slot);
        hc.command(Command::ConfigureEndpoint(trb))?;
        self.request(hc, slot, Setup::set_configuration(config.value))?;
        log::info!("usb {path}: hub, {} ports", hub.ports);
        for port in 1..=hub.ports {
            self.request(hc, slot, Setup::port_feature(true, usbdesc::PORT_POWER, port))?;
        }
        delay_ms(u64::from(hub.power_good_ms).clamp(20, 500));
        for port in 1..=hub.ports {
            if let Err(e) = self.hub_port(hc, slot, port) {
                log::warn!("usb {}: {e}", path.child(port));
            }
        }
        let device = self.slots.get_mut(&slot).ok_or(UsbError::NoDevice)?;
        device.hub.insert(changes).queue(hc, slot);
        Ok(())
    }

    fn hub_port_status(&mut self, hc: &mut Xhci, hub: u8, port: u8) -> Result<(PortStatus, u16), UsbError> {
        let bytes = self.request(hc, hub, Setup::port_status(port))?;
        Ok((PortStatus(u16::from_le_bytes([bytes[0], bytes[1]])), u16::from_le_bytes([bytes[2], bytes[3]])))
    }

    /// Look at a hub's port: forget what was there if its connection changed,
    /// then reset and enumerate the device on it, if there is one.
    fn hub_port(&mut self, hc: &mut Xhci, hub: u8, port: u8) -> Result<(), UsbError> {
        let (status, change) = self.hub_port_status(hc, hub, port)?;
        // Acknowledge every change (C_PORT_CONNECTION and on: features 16 to 20).
        for bit in 0..5 {
            if change & 1 << bit != 0 {
                self.request(hc, hub, Setup::port_feature(false, usbdesc::C_PORT_CONNECTION + bit, port))?;
            }
        }
        let path = self.slots[&hub].path.child(port);
        if path.hubs.len() > 5 {
            return Err(UsbError::TooDeep);
        }
        let present = self.slots.values().any(|d| d.path == path);
        if present && (change & 1 != 0 || !status.connected()) {
            self.detach(hc, &path);
        } else if present {
            return Ok(());
        }
        if !status.connected() {
            return Ok(());
        }
        self.request(hc, hub, Setup::port_feature(true, usbdesc::PORT_RESET, port))?;
        let mut status = self.hub_port_status(hc, hub, port)?.0;
        for _ in 0..50 {
            if !status.resetting() {
                break;
            }
            delay_ms(10);
            status = self.hub_port_status(hc, hub, port)?.0;
        }
        self.request(hc, hub, Setup::port_feature(false, usbdesc::C_PORT_RESET, port))?;
        if !status.enabled() {
            return Err(UsbError::PortDisabled);
        }
        delay_ms(10);
        self.attach(hc, path, status.xhci_speed())
    }

    /// A hub's status-change endpoint reported `bitmap` (bit n: port n).
    pub fn hub_changed(&mut self, hc: &mut Xhci, hub: u8, bitmap: u32) {
        for port in 1..32u8 {
            if bitmap & 1 << port != 0
                && self.slots.contains_key(&hub)
                && let Err(e) = self.hub_port(hc, hub, port)
            {
                log::warn!("usb {}: {e}", self.slots[&hub].path.child(port));
            }
        }
    }
}
