//! Synthetic scenarios of given sizes, deterministic from a seed, for
//! benchmarks and tests at scale.
