//! `catalog.json`: the whole catalog, pretty-printed, keys in contract order.
//!
//! Streamed: the head, then each list read part by part from the store, by
//! the same serializer `serde_json::to_string_pretty` uses, so the bytes
//! are those of the whole catalog serialised at once.

use super::{PartSource, WriteError, atomic_write, atomic_write_bytes};
use crate::catalog::Catalog;
use crate::store::Part;
use serde::ser::{Error as _, SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};
use std::cell::RefCell;
use std::io::Write as _;
use std::path::Path;

pub fn to_string(cat: &Catalog) -> String {
    // The catalog holds only strings, integers and lists: serialising cannot fail.
    let mut s = serde_json::to_string_pretty(cat).unwrap_or_default();
    s.push('\n');
    s
}

pub fn write(cat: &Catalog, path: &Path) -> Result<(), WriteError> {
    atomic_write_bytes(path, to_string(cat).as_bytes())
}

/// Write the catalog of `parts` to `path`, list by list.
pub fn write_parts(parts: &dyn PartSource, path: &Path) -> Result<(), WriteError> {
    atomic_write(path, |tmp| {
        let mut out = super::create(tmp)?;
        let failed = RefCell::new(None);
        let streamed = Streamed {
            parts,
            failed: &failed,
        };
        let written = serde_json::to_writer_pretty(&mut out, &streamed);
        if let Some(e) = failed.into_inner() {
            return Err(e);
        }
        written
            .map_err(std::io::Error::from)
            .and_then(|()| out.write_all(b"\n"))
            .map_err(|source| WriteError::Io {
                path: path.to_path_buf(),
                source,
            })?;
        super::close(out, tmp)
    })
}

/// The catalog's shape (the field order of `Catalog`), its lists read from
/// the parts as they are serialised.
struct Streamed<'a> {
    parts: &'a dyn PartSource,
    /// Why reading the parts failed, if it did (serde's error is a string).
    failed: &'a RefCell<Option<WriteError>>,
}

#[derive(Clone, Copy)]
enum List {
    Sources,
    Charts,
    Findings,
}

struct Seq<'a> {
    of: &'a Streamed<'a>,
    list: List,
}

impl Serialize for Streamed<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let h = self.parts.head();
        let mut st = s.serialize_struct("Catalog", 8)?;
        st.serialize_field("schema", &h.schema)?;
        st.serialize_field("generator", &h.generator)?;
        st.serialize_field("rules_digest", &h.rules_digest)?;
        st.serialize_field("summary", &h.summary)?;
        let list = |list| Seq { of: self, list };
        st.serialize_field("sources", &list(List::Sources))?;
        st.serialize_field("charts", &list(List::Charts))?;
        st.serialize_field("texts", &h.texts)?;
        st.serialize_field("findings", &list(List::Findings))?;
        st.end()
    }
}

impl Serialize for Seq<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        let mut ser_error = None;
        let mut element = |part: &Part| -> Result<(), S::Error> {
            match self.list {
                List::Sources => part
                    .sources
                    .iter()
                    .try_for_each(|x| seq.serialize_element(x)),
                List::Charts => part
                    .charts
                    .iter()
                    .try_for_each(|x| seq.serialize_element(x)),
                List::Findings => part
                    .findings
                    .iter()
                    .try_for_each(|x| seq.serialize_element(x)),
            }
        };
        let read = self.of.parts.each(&mut |part| {
            element(part).map_err(|e| {
                ser_error = Some(e);
                // Stops the reading; the serializer's error is returned below.
                WriteError::Format {
                    path: Default::default(),
                    message: String::new(),
                }
            })
        });
        if let Some(e) = ser_error {
            return Err(e);
        }
        if let Err(e) = read {
            let message = e.to_string();
            *self.of.failed.borrow_mut() = Some(e);
            return Err(S::Error::custom(message));
        }
        seq.end()
    }
}
