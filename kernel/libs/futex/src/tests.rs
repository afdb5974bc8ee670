//! Host tests: the wait table, `op` decoding, FUTEX_WAKE_OP words and the robust-list walk
//! against hand-worked Linux cases, and the table against a simple model.
mod model;
mod op;
mod robust;
mod table;
mod wake_op;
