//! One integration-test binary, a module per layer.

#[cfg(feature = "cli")]
mod cli;
mod common;
mod content;
mod core;
mod exclusions;
mod fidelity;
mod files;
mod finance;
mod floors;
mod integer_accrual;
mod lines;
mod mfn;
mod mfn_timeline;
mod properties;
mod reports;
mod retaliation;
mod safety;
mod shipped;
mod stacked_paths;
mod streaming;
mod switches;
mod tree;
mod with_tree;
