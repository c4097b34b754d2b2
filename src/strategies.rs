//! Reusable proptest strategies for scenarios (feature `proptest`).
