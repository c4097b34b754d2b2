//! One integration-test binary, a module per layer.

mod common;
mod core;
