//! One integration-test binary, a module per layer.

mod common;
mod core;
mod tree;
mod files;
mod fidelity;
mod reports;
mod lines;
mod properties;
