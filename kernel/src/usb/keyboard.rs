//! A HID boot keyboard's interrupt-IN endpoint: one 8-byte report transfer kept
//! queued on its ring; each completed report goes to `vtscreen::hid` for the
//! keys it presses, and the next transfer is queued.
use usbdesc::Endpoint;
use vtscreen::hid::BootKeyboard;
use vtscreen::keys::Key;
use xhci::context::{Endpoint32Byte, EndpointHandler, EndpointType};
use xhci::ring::trb::transfer::Normal;

use crate::mm::dma::DmaFrame;

use super::ring::ProducerRing;
use super::xhci::Xhci;

const REPORT: usize = 8;

#[derive(Debug)]
pub struct Keyboard {
    endpoint: Endpoint,
    speed: u8,
    ring: ProducerRing,
    report: DmaFrame,
    decoder: BootKeyboardState,
}

/// The decoder, kept out of Debug output.
struct BootKeyboardState(BootKeyboard);

impl core::fmt::Debug for BootKeyboardState {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("BootKeyboard")
    }
}

impl Keyboard {
    pub fn new(endpoint: Endpoint, speed: u8) -> Option<Self> {
        Some(Self {
            endpoint,
            speed,
            ring: ProducerRing::new()?,
            report: DmaFrame::new()?,
            decoder: BootKeyboardState(BootKeyboard::new()),
        })
    }

    /// The device context index of its endpoint.
    pub fn context_index(&self) -> u8 {
        self.endpoint.context_index()
    }

    /// The endpoint's context for Configure Endpoint. The interval is in 125 µs
    /// units as a power of two: bInterval frames (ms) at low and full speed,
    /// 2^(bInterval-1) microframes at high speed and above.
    pub fn endpoint_context(&self) -> Endpoint32Byte {
        let interval = match self.speed {
            1 | 2 => (u32::from(self.endpoint.interval.max(1)) * 8).ilog2().clamp(3, 10) as u8,
            _ => self.endpoint.interval.clamp(1, 16) - 1,
        };
        let packet = self.endpoint.max_packet_size.max(1);
        let mut ep = Endpoint32Byte::new_32byte();
        ep.set_endpoint_type(EndpointType::InterruptIn);
        ep.set_max_packet_size(packet);
        ep.set_interval(interval);
        ep.set_error_count(3);
        ep.set_tr_dequeue_pointer(self.ring.start() & !1);
        ep.set_dequeue_cycle_state();
        ep.set_average_trb_length(REPORT as u16);
        ep.set_max_endpoint_service_time_interval_payload_low(packet);
        ep
    }

    /// Queue the next report's transfer.
    pub fn queue(&mut self, hc: &Xhci, slot: u8) {
        let mut trb = Normal::new();
        trb.set_data_buffer_pointer(self.report.phys()).set_trb_transfer_length(REPORT as u32);
        trb.set_interrupt_on_completion();
        self.ring.push(trb.into_raw());
        hc.ring_doorbell(slot, self.context_index());
    }

    /// A report arrived (at `now_ms`): the keys it presses; the next is queued.
    pub fn received(&mut self, hc: &Xhci, slot: u8, now_ms: u64) -> alloc::vec::Vec<Key> {
        let mut report = [0; REPORT];
        self.report.read_bytes(0, &mut report);
        let keys = self.decoder.0.report(&report, now_ms);
        self.queue(hc, slot);
        keys
    }

    /// The repeat of a held key, if one is due.
    pub fn tick(&mut self, now_ms: u64) -> Option<Key> {
        self.decoder.0.tick(now_ms)
    }
}
