//! riskflow: bulk-import Chinese integrity-risk charts into one catalog.
//!
//! Pipeline: discover → read (per format) → [`document::Document`] → layout
//! (segment + flow/table/list/prose) → recognise → dedup → check → write.

pub mod catalog;
pub mod check;
pub mod dedup;
pub mod diff;
pub mod document;
pub mod ingest;
pub mod layout;
pub mod read;
pub mod recognise;
pub mod rules;
pub mod write;

pub use ingest::{Options, ingest};
pub mod isolate;
pub mod report;
pub mod review;
