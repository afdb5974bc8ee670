//! xHCI rings in DMA memory: a producer ring (the command ring, or one endpoint's
//! transfer ring) of one frame, 255 TRBs and a Link TRB back to the start that
//! toggles the cycle bit; and the event ring the controller produces into, one
//! segment of one frame with its one-entry segment table.
use xhci::ring::trb::Link;

use crate::mm::dma::{DmaFrame, publish};

const TRB_SIZE: usize = 16;
const TRBS: usize = 4096 / TRB_SIZE;
const CYCLE: u32 = 1;

/// A ring the driver writes TRBs into.
#[derive(Debug)]
pub struct ProducerRing {
    frame: DmaFrame,
    enqueue: usize,
    cycle: bool,
}

impl ProducerRing {
    pub fn new() -> Option<Self> {
        let frame = DmaFrame::new()?;
        let mut link = Link::new();
        link.set_ring_segment_pointer(frame.phys()).set_toggle_cycle();
        frame.write_words((TRBS - 1) * TRB_SIZE, &link.into_raw());
        Some(Self { frame, enqueue: 0, cycle: true })
    }

    /// The ring's start, with the cycle state the consumer starts with (bit 0).
    pub fn start(&self) -> u64 {
        self.frame.phys() | 1
    }

    /// Append `trb` (its cycle bit set here, written last); its physical address.
    pub fn push(&mut self, mut trb: [u32; 4]) -> u64 {
        let at = self.enqueue * TRB_SIZE;
        trb[3] = (trb[3] & !CYCLE) | u32::from(self.cycle);
        self.frame.write_words(at, &trb[..3]);
        publish();
        self.frame.write_u32(at + 12, trb[3]);
        let address = self.frame.phys() + at as u64;
        self.enqueue += 1;
        if self.enqueue == TRBS - 1 {
            let link = (TRBS - 1) * TRB_SIZE + 12;
            let control = self.frame.read_u32(link);
            self.frame.write_u32(link, (control & !CYCLE) | u32::from(self.cycle));
            self.enqueue = 0;
            self.cycle = !self.cycle;
        }
        publish();
        address
    }
}

/// The ring the controller writes events into.
#[derive(Debug)]
pub struct EventRing {
    segment: DmaFrame,
    table: DmaFrame,
    dequeue: usize,
    cycle: bool,
}

impl EventRing {
    pub fn new() -> Option<Self> {
        let segment = DmaFrame::new()?;
        let table = DmaFrame::new()?;
        table.write_u64(0, segment.phys());
        table.write_u32(8, TRBS as u32);
        Some(Self { segment, table, dequeue: 0, cycle: true })
    }

    /// The segment table's address and size (for ERSTBA, ERSTSZ).
    pub fn table(&self) -> (u64, u32) {
        (self.table.phys(), 1)
    }

    /// Where the driver has read up to (for ERDP).
    pub fn dequeue_pointer(&self) -> u64 {
        self.segment.phys() + (self.dequeue * TRB_SIZE) as u64
    }

    /// The next event, if the controller has written one.
    pub fn pop(&mut self) -> Option<[u32; 4]> {
        let at = self.dequeue * TRB_SIZE;
        if (self.segment.read_u32(at + 12) & CYCLE != 0) != self.cycle {
            return None;
        }
        publish();
        let mut trb = [0; 4];
        self.segment.read_words(at, &mut trb);
        self.dequeue += 1;
        if self.dequeue == TRBS {
            self.dequeue = 0;
            self.cycle = !self.cycle;
        }
        Some(trb)
    }
}
