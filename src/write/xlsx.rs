//! Placeholder until the xlsx writer lands.
