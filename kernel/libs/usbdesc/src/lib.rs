//! USB descriptors as a device sends them (USB 2.0 chapters 9 and 11, HID 1.11):
//! the device descriptor, a configuration's interfaces and endpoints, and a
//! hub's descriptor, read from untrusted bytes (short or malformed input gives
//! `None` or stops the walk, never a panic); the standard and class requests a
//! host sends to enumerate a keyboard or a hub. `no_std`.
#![no_std]
#![deny(unsafe_code)]

extern crate alloc;

use alloc::vec::Vec;

pub const DESCRIPTOR_DEVICE: u8 = 1;
pub const DESCRIPTOR_CONFIGURATION: u8 = 2;
const DESCRIPTOR_INTERFACE: u8 = 4;
const DESCRIPTOR_ENDPOINT: u8 = 5;
pub const DESCRIPTOR_HUB: u8 = 0x29;

pub const CLASS_HID: u8 = 3;
pub const CLASS_HUB: u8 = 9;
const SUBCLASS_BOOT: u8 = 1;
const PROTOCOL_KEYBOARD: u8 = 1;

/// The fields of a device descriptor the host uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Device {
    pub usb_version: u16,
    pub class: u8,
    pub max_packet_size0: u8,
    pub vendor: u16,
    pub product: u16,
    pub configurations: u8,
}

impl Device {
    /// The first 18 bytes of a GET_DESCRIPTOR(DEVICE) answer (the first 8 give the
    /// fields up to bMaxPacketSize0; the ids are 0 then).
    pub fn parse(bytes: &[u8]) -> Option<Self> {
        if bytes.len() < 8 || bytes[1] != DESCRIPTOR_DEVICE {
            return None;
        }
        let word = |at: usize| bytes.get(at..at + 2).map_or(0, |b| u16::from_le_bytes([b[0], b[1]]));
        Some(Self {
            usb_version: word(2),
            class: bytes[4],
            max_packet_size0: bytes[7],
            vendor: word(8),
            product: word(10),
            configurations: bytes.get(17).copied().unwrap_or(0),
        })
    }
}

/// An endpoint of an interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Endpoint {
    /// bEndpointAddress: number in bits 0..4, IN if bit 7.
    pub address: u8,
    /// bmAttributes: transfer type in bits 0..2 (3 interrupt).
    pub attributes: u8,
    pub max_packet_size: u16,
    pub interval: u8,
}

impl Endpoint {
    pub fn number(&self) -> u8 {
        self.address & 0x0f
    }

    pub fn is_in(&self) -> bool {
        self.address & 0x80 != 0
    }

    pub fn is_interrupt(&self) -> bool {
        self.attributes & 3 == 3
    }

    /// The xHCI device context index: 2n + 1 for IN, 2n for OUT.
    pub fn context_index(&self) -> u8 {
        self.number() * 2 + u8::from(self.is_in())
    }
}

/// An interface (alternate setting 0 only) and its endpoints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interface {
    pub number: u8,
    pub class: u8,
    pub subclass: u8,
    pub protocol: u8,
    pub endpoints: Vec<Endpoint>,
}

impl Interface {
    /// A HID keyboard that speaks the boot protocol.
    pub fn is_boot_keyboard(&self) -> bool {
        (self.class, self.subclass, self.protocol) == (CLASS_HID, SUBCLASS_BOOT, PROTOCOL_KEYBOARD)
    }

    /// Its first interrupt-IN endpoint.
    pub fn interrupt_in(&self) -> Option<Endpoint> {
        self.endpoints.iter().copied().find(|e| e.is_interrupt() && e.is_in() && e.number() != 0)
    }
}

/// A configuration: its value for SET_CONFIGURATION and its interfaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Configuration {
    pub value: u8,
    pub interfaces: Vec<Interface>,
}

/// wTotalLength of a configuration descriptor's first 9 bytes.
pub fn configuration_length(bytes: &[u8]) -> Option<u16> {
    (bytes.len() >= 4 && bytes[1] == DESCRIPTOR_CONFIGURATION).then(|| u16::from_le_bytes([bytes[2], bytes[3]]))
}

impl Configuration {
    /// A whole configuration descriptor with the descriptors after it; a
    /// descriptor that runs past the end, or a zero length, ends the walk.
    pub fn parse(bytes: &[u8]) -> Option<Self> {
        if bytes.len() < 9 || bytes[1] != DESCRIPTOR_CONFIGURATION {
            return None;
        }
        let mut config = Self { value: bytes[5], interfaces: Vec::new() };
        let mut at = usize::from(bytes[0]).max(9);
        let mut alternate = false;
        while at + 2 <= bytes.len() {
            let length = usize::from(bytes[at]);
            let Some(d) = bytes.get(at..at + length).filter(|_| length >= 2) else { break };
            match d[1] {
                DESCRIPTOR_INTERFACE if length >= 9 => {
                    alternate = d[3] != 0;
                    if !alternate {
                        config.interfaces.push(Interface {
                            number: d[2],
                            class: d[5],
                            subclass: d[6],
                            protocol: d[7],
                            endpoints: Vec::new(),
                        });
                    }
                }
                DESCRIPTOR_ENDPOINT if length >= 7 && !alternate => {
                    if let Some(interface) = config.interfaces.last_mut() {
                        interface.endpoints.push(Endpoint {
                            address: d[2],
                            attributes: d[3],
                            max_packet_size: u16::from_le_bytes([d[4], d[5]]) & 0x7ff,
                            interval: d[6],
                        });
                    }
                }
                _ => {}
            }
            at += length;
        }
        Some(config)
    }
}

/// A hub descriptor's port count and power-on delay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hub {
    pub ports: u8,
    /// bPwrOn2PwrGood in milliseconds.
    pub power_good_ms: u16,
}

impl Hub {
    pub fn parse(bytes: &[u8]) -> Option<Self> {
        if bytes.len() < 7 || bytes[1] != DESCRIPTOR_HUB {
            return None;
        }
        Some(Self { ports: bytes[2], power_good_ms: u16::from(bytes[5]) * 2 })
    }
}

/// A control request's setup packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Setup {
    pub request_type: u8,
    pub request: u8,
    pub value: u16,
    pub index: u16,
    pub length: u16,
}

impl Setup {
    /// Whether the data stage (if any) is device to host.
    pub fn is_in(&self) -> bool {
        self.request_type & 0x80 != 0
    }

    /// GET_DESCRIPTOR of a standard descriptor.
    pub fn get_descriptor(kind: u8, length: u16) -> Self {
        Self { request_type: 0x80, request: 6, value: u16::from(kind) << 8, index: 0, length }
    }

    /// GET_DESCRIPTOR of the hub class descriptor.
    pub fn get_hub_descriptor(length: u16) -> Self {
        Self { request_type: 0xa0, request: 6, value: u16::from(DESCRIPTOR_HUB) << 8, index: 0, length }
    }

    pub fn set_configuration(value: u8) -> Self {
        Self { request_type: 0, request: 9, value: u16::from(value), index: 0, length: 0 }
    }

    /// HID SET_PROTOCOL(boot) for `interface`.
    pub fn set_boot_protocol(interface: u8) -> Self {
        Self { request_type: 0x21, request: 0x0b, value: 0, index: u16::from(interface), length: 0 }
    }

    /// HID SET_IDLE(0): report only on changes.
    pub fn set_idle(interface: u8) -> Self {
        Self { request_type: 0x21, request: 0x0a, value: 0, index: u16::from(interface), length: 0 }
    }

    /// Hub SET_FEATURE or CLEAR_FEATURE of a port feature.
    pub fn port_feature(set: bool, feature: u16, port: u8) -> Self {
        Self { request_type: 0x23, request: if set { 3 } else { 1 }, value: feature, index: u16::from(port), length: 0 }
    }

    /// Hub GET_STATUS of a port (wPortStatus, wPortChange).
    pub fn port_status(port: u8) -> Self {
        Self { request_type: 0xa3, request: 0, value: 0, index: u16::from(port), length: 4 }
    }
}

/// Hub port features (USB 2.0 table 11-17).
pub const PORT_RESET: u16 = 4;
pub const PORT_POWER: u16 = 8;
pub const C_PORT_CONNECTION: u16 = 16;
pub const C_PORT_RESET: u16 = 20;

/// A hub port's status (wPortStatus).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortStatus(pub u16);

impl PortStatus {
    pub fn connected(self) -> bool {
        self.0 & 1 != 0
    }

    pub fn enabled(self) -> bool {
        self.0 & 2 != 0
    }

    pub fn resetting(self) -> bool {
        self.0 & 0x10 != 0
    }

    /// The xHCI speed id of the device on the port: 2 low, 3 high, else 1 full.
    pub fn xhci_speed(self) -> u8 {
        if self.0 & 0x200 != 0 {
            2
        } else if self.0 & 0x400 != 0 {
            3
        } else {
            1
        }
    }
}

#[cfg(test)]
mod tests;
