//! One integration-test binary, a module per layer.

mod common;
mod core;
mod fidelity;
mod files;
mod lines;
mod properties;
mod reports;
mod safety;
mod tree;
