//! The descriptors QEMU's usb-kbd and usb-hub send, and arbitrary bytes.
use proptest::prelude::*;

use super::*;

/// QEMU's usb-kbd: device descriptor and configuration (one HID boot keyboard
/// interface, its HID descriptor, one interrupt-IN endpoint).
const KBD_DEVICE: [u8; 18] = [18, 1, 0, 2, 0, 0, 0, 8, 0x27, 0x06, 0x01, 0x00, 0, 0, 1, 4, 11, 1];
const KBD_CONFIG: [u8; 34] = [
    9, 2, 34, 0, 1, 1, 7, 0xa0, 50, //
    9, 4, 0, 0, 1, 3, 1, 1, 0, //
    9, 0x21, 0x11, 1, 0, 1, 0x22, 63, 0, //
    7, 5, 0x81, 3, 8, 0, 7,
];

#[test]
fn a_keyboard_is_found_with_its_interrupt_endpoint() {
    let device = Device::parse(&KBD_DEVICE).expect("device");
    assert_eq!((device.vendor, device.product, device.class, device.max_packet_size0), (0x0627, 1, 0, 8));
    assert_eq!(configuration_length(&KBD_CONFIG[..9]), Some(34));
    let config = Configuration::parse(&KBD_CONFIG).expect("configuration");
    assert_eq!(config.value, 1);
    let interface = &config.interfaces[0];
    assert!(interface.is_boot_keyboard());
    let endpoint = interface.interrupt_in().expect("interrupt IN");
    assert_eq!(
        (endpoint.number(), endpoint.context_index(), endpoint.max_packet_size, endpoint.interval),
        (1, 3, 8, 7)
    );
}

#[test]
fn alternate_settings_and_truncated_descriptors_are_left_out() {
    let mut config = KBD_CONFIG.to_vec();
    config.extend_from_slice(&[9, 4, 0, 1, 1, 3, 1, 1, 0, 7, 5, 0x82, 3, 8, 0, 7, 9, 4, 1]);
    let parsed = Configuration::parse(&config).expect("configuration");
    assert_eq!(parsed.interfaces.len(), 1);
    assert_eq!(parsed.interfaces[0].endpoints.len(), 1);
}

#[test]
fn hub_descriptor_and_port_status() {
    let hub = Hub::parse(&[9, 0x29, 8, 0, 0, 50, 0, 0, 0xff]).expect("hub");
    assert_eq!(hub, Hub { ports: 8, power_good_ms: 100 });
    let status = PortStatus(0x0103);
    assert!(status.connected() && status.enabled() && !status.resetting());
    assert_eq!((status.xhci_speed(), PortStatus(0x0301).xhci_speed(), PortStatus(0x0501).xhci_speed()), (1, 2, 3));
}

#[test]
fn requests_are_the_standard_setup_packets() {
    let get = Setup::get_descriptor(DESCRIPTOR_CONFIGURATION, 9);
    assert_eq!((get.request_type, get.request, get.value, get.length), (0x80, 6, 0x0200, 9));
    assert!(get.is_in());
    let reset = Setup::port_feature(true, PORT_RESET, 3);
    assert_eq!((reset.request_type, reset.request, reset.value, reset.index), (0x23, 3, 4, 3));
    assert!(!reset.is_in());
}

proptest! {
    #[test]
    fn any_bytes_parse_without_panicking(bytes in proptest::collection::vec(any::<u8>(), 0..96)) {
        let _ = Device::parse(&bytes);
        let _ = Hub::parse(&bytes);
        let _ = configuration_length(&bytes);
        if let Some(config) = Configuration::parse(&bytes) {
            for interface in &config.interfaces {
                if let Some(e) = interface.interrupt_in() {
                    prop_assert!(e.context_index() >= 2 && e.context_index() < 32);
                }
            }
        }
    }
}
