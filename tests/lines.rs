//! lines tests.
