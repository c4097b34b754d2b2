//! reports tests.
