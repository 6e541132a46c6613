//! Placeholder until the html writer lands.
