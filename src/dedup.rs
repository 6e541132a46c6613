//! Placeholder until the dedup module lands.
