//! An interrupt-IN endpoint (a keyboard's reports, a hub's port changes): its
//! ring and context, and one transfer into a DMA buffer kept queued.
use usbdesc::Endpoint;
use xhci::context::{Endpoint32Byte, EndpointHandler, EndpointType};
use xhci::ring::trb::transfer::Normal;

use crate::mm::dma::DmaFrame;

use super::ring::ProducerRing;
use super::xhci::Xhci;

#[derive(Debug)]
pub struct InterruptIn {
    endpoint: Endpoint,
    speed: u8,
    /// Bytes per transfer.
    length: u16,
    ring: ProducerRing,
    buffer: DmaFrame,
}

impl InterruptIn {
    pub fn new(endpoint: Endpoint, speed: u8, length: u16) -> Option<Self> {
        Some(Self { endpoint, speed, length, ring: ProducerRing::new()?, buffer: DmaFrame::new()? })
    }

    /// The device context index of the endpoint.
    pub fn context_index(&self) -> u8 {
        self.endpoint.context_index()
    }

    /// The endpoint's context for Configure Endpoint. The interval is in 125 µs
    /// units as a power of two: bInterval frames (ms) at low and full speed,
    /// 2^(bInterval-1) microframes at high speed and above.
    pub fn context(&self) -> Endpoint32Byte {
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
        ep.set_average_trb_length(self.length);
        ep.set_max_endpoint_service_time_interval_payload_low(packet);
        ep
    }

    /// Queue the next transfer.
    pub fn queue(&mut self, hc: &Xhci, slot: u8) {
        let mut trb = Normal::new();
        trb.set_data_buffer_pointer(self.buffer.phys()).set_trb_transfer_length(self.length.into());
        trb.set_interrupt_on_completion();
        self.ring.push(trb.into_raw());
        hc.ring_doorbell(slot, self.context_index());
    }

    /// The completed transfer's bytes (into `out`); the next is queued.
    pub fn take(&mut self, hc: &Xhci, slot: u8, out: &mut [u8]) {
        self.buffer.read_bytes(0, out);
        self.queue(hc, slot);
    }
}
