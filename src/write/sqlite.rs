//! Placeholder until the sqlite writer lands.
