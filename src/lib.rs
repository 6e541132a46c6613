//! riskflow: bulk-import Chinese integrity-risk charts (廉政风险防控图,
//! 权力运行流程图, 廉政风险点防控一览表) from Word, Excel and text files into
//! one catalog, and report what is wrong in the documents.
//!
//! Pipeline: discover → read (per format) → [`document::Document`] → layout
//! (segment + flow/table/list/prose) → recognise → dedup → check → write.
//!
//! What an integrator needs:
//! - [`ingest()`]: files and folders → a [`catalog::Catalog`] (the contract
//!   of CATALOG.md, schema `riskflow.catalog/1`; `schema/catalog.schema.json`);
//! - [`check()`]: the findings with their file paths and chart names, less a
//!   [`review::Baseline`] of findings already seen;
//! - [`diff()`]: what changed between two catalogs;
//! - [`dedup_lines`]: near-duplicate clustering of a plain list of lines;
//! - [`write::write_all`]: the output files.
//!
//! ```
//! use riskflow::{Options, ingest};
//! use std::path::PathBuf;
//!
//! let catalog = ingest(&[PathBuf::from("fixtures/flow/mixed.docx")], &Options::default())?;
//! assert_eq!(catalog.schema, "riskflow.catalog/1");
//! let chart = &catalog.charts[1];
//! assert_eq!(chart.name, "对劳动保障法律法规执行情况的检查");
//! assert_eq!(chart.steps[0].name, "接到线索");
//! // Every finding says where it is.
//! assert!(catalog.findings.iter().all(|f| f.id.starts_with("fd-")));
//! # Ok::<(), riskflow::ingest::IngestError>(())
//! ```

// The API (documented, stable with the catalog contract).
pub mod catalog;
pub mod dedup;
pub mod diff;
pub mod ingest;
pub mod review;
pub mod rules;
#[doc(hidden)]
pub mod store;
pub mod write;

pub use dedup::{DedupRules, dedup_lines};
pub use diff::diff;
pub use ingest::{Options, ingest};
pub use review::check;

// Internal stages. `check` and `recognise` are crate-private; the others are
// public only so that the CLI, the integration tests, the fuzz targets and
// the examples can reach single stages: hidden from the docs and not part of
// the API (they may change without notice).
pub(crate) mod check;
#[doc(hidden)]
pub mod document;
#[doc(hidden)]
pub mod isolate;
#[doc(hidden)]
pub mod layout;
#[doc(hidden)]
pub mod read;
pub(crate) mod recognise;
#[doc(hidden)]
pub mod report;
