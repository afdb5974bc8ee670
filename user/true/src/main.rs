//! `true`: do nothing, successfully.
fn main() {}
