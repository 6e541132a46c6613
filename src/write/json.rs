//! `catalog.json`: the whole catalog, pretty-printed, keys in contract order.
//!
//! Streamed: the head, then each list read part by part from the store, by
//! the same serializer `serde_json::to_string_pretty` uses, so the bytes
//! are those of the whole catalog serialised at once.

use super::{PartSource, WriteError, atomic_write, atomic_write_bytes};
use crate::catalog::Catalog;
use crate::store::Part;
use std::io::Write as _;
use std::path::Path;

pub fn to_string(cat: &Catalog) -> String {
    let mut out = Vec::new();
    // The catalog holds only strings, integers and lists: serialising cannot fail.
    let _ = erased::Value::pretty(cat, &mut out, 0);
    out.push(b'\n');
    // serde_json writes UTF-8 only.
    String::from_utf8(out).unwrap_or_default()
}

pub fn write(cat: &Catalog, path: &Path) -> Result<(), WriteError> {
    atomic_write_bytes(path, to_string(cat).as_bytes())
}

/// Write the catalog of `parts` to `path`, list by list.
///
/// The catalog's frame (its eight keys) is written here and every value
/// by serde_json's pretty printer, started at the value's depth, so the
/// bytes are those of `to_string`. The lists' elements are printed a run
/// of parts at a time on all cores, then written in order: printing was
/// most of the time left after the last file was read.
pub fn write_parts(parts: &dyn PartSource, path: &Path) -> Result<(), WriteError> {
    atomic_write(path, |tmp| {
        let mut out = super::create(tmp)?;
        let io = |source: std::io::Error| WriteError::Io {
            path: path.to_path_buf(),
            source,
        };
        let h = parts.head();
        out.write_all(b"{").map_err(io)?;
        // `"key": value` after the line break and, but for the first, a comma.
        let mut frame = Vec::new();
        let mut separator: &[u8] = b"\n  ";
        let mut field = |out: &mut dyn std::io::Write,
                         key: &str,
                         value: &dyn erased::Value|
         -> Result<(), WriteError> {
            frame.clear();
            frame.extend_from_slice(std::mem::replace(&mut separator, b",\n  "));
            serde_json::to_writer(&mut frame, key).map_err(|e| io(e.into()))?;
            frame.extend_from_slice(b": ");
            value.pretty(&mut frame, 1).map_err(|e| io(e.into()))?;
            out.write_all(&frame).map_err(io)
        };
        field(&mut out, "schema", &h.schema)?;
        field(&mut out, "generator", &h.generator)?;
        field(&mut out, "rules_digest", &h.rules_digest)?;
        field(&mut out, "summary", &h.summary)?;
        list(&mut out, parts, "sources", |p| erased::each(&p.sources)).map_err(|e| e.at(path))?;
        list(&mut out, parts, "charts", |p| erased::each(&p.charts)).map_err(|e| e.at(path))?;
        field(&mut out, "texts", &h.texts)?;
        list(&mut out, parts, "findings", |p| erased::each(&p.findings)).map_err(|e| e.at(path))?;
        out.write_all(b"\n}\n").map_err(io)?;
        super::close(out, tmp)
    })
}

/// Why a list could not be written: reading the parts, or the file.
enum ListError {
    Read(WriteError),
    Io(std::io::Error),
}

impl ListError {
    fn at(self, path: &Path) -> WriteError {
        match self {
            ListError::Read(e) => e,
            ListError::Io(source) => WriteError::Io {
                path: path.to_path_buf(),
                source,
            },
        }
    }
}

/// `,\n  "key": [` … `]` with the elements `items` picks from each part,
/// each printed at depth 2.
fn list(
    out: &mut dyn std::io::Write,
    parts: &dyn PartSource,
    key: &str,
    items: impl Fn(&Part) -> Vec<&dyn erased::Value> + Sync,
) -> Result<(), ListError> {
    use rayon::prelude::*;
    write!(out, ",\n  \"{key}\": [").map_err(ListError::Io)?;
    let mut first = true;
    let mut failed = None;
    // One buffer per part of a run, kept from run to run: printing into
    // fresh buffers grew each by doubling and took new memory for every
    // run, and on the 2-core VM touching new memory costs ~1 ms per MB.
    let mut bufs: Vec<Vec<u8>> = Vec::new();
    let read = parts.each_run(&mut |run| {
        if bufs.len() < run.len() {
            bufs.resize_with(run.len(), Vec::new);
        }
        // Each element with the separator before it; the list's first
        // element has none but the line break.
        let printed: Vec<std::io::Result<()>> = run
            .par_iter()
            .zip(bufs.par_iter_mut())
            .map(|(part, buf)| {
                buf.clear();
                for x in items(part) {
                    buf.extend_from_slice(b",\n    ");
                    x.pretty(buf, 2).map_err(std::io::Error::from)?;
                }
                Ok(())
            })
            .collect();
        for (done, buf) in printed.into_iter().zip(&bufs) {
            let written = done.and_then(|()| {
                let skip = usize::from(first && !buf.is_empty());
                first &= buf.is_empty();
                out.write_all(&buf[skip..])
            });
            if let Err(e) = written {
                failed = Some(e);
                // Stops the reading; the error is returned below.
                return Err(WriteError::Format {
                    path: Default::default(),
                    message: String::new(),
                });
            }
        }
        Ok(())
    });
    if let Some(e) = failed {
        return Err(ListError::Io(e));
    }
    read.map_err(ListError::Read)?;
    out.write_all(if first { b"]" } else { b"\n  ]" })
        .map_err(ListError::Io)
}

/// Values of several types behind one reference, for the frame's fields
/// and the lists' elements.
mod erased {
    use super::Indented;
    use serde::Serialize;

    pub trait Value: Sync {
        /// As the pretty printer writes the value nested `depth` deep.
        fn pretty(&self, out: &mut Vec<u8>, depth: usize) -> serde_json::Result<()>;
    }

    impl<T: Serialize + Sync> Value for T {
        fn pretty(&self, out: &mut Vec<u8>, depth: usize) -> serde_json::Result<()> {
            let f = Indented {
                depth,
                has_value: false,
            };
            self.serialize(&mut serde_json::Serializer::with_formatter(out, f))
        }
    }

    pub fn each<T: Serialize + Sync>(items: &[T]) -> Vec<&dyn Value> {
        items.iter().map(|x| x as &dyn Value).collect()
    }
}

/// Line break, then the indent of `depth` levels, as one slice (with the
/// comma before it when `comma`): serde_json's `PrettyFormatter` writes an
/// indent two spaces at a time, a write per level on every line.
fn break_and_indent(comma: bool, depth: usize) -> Option<&'static [u8]> {
    const MOST: usize = 32;
    static LINE: [u8; 2 + 2 * MOST] = {
        let mut b = [b' '; 2 + 2 * MOST];
        b[0] = b',';
        b[1] = b'\n';
        b
    };
    (depth <= MOST).then(|| &LINE[usize::from(!comma)..2 + 2 * depth])
}

/// The pretty printer's layout (two spaces a level, `"key": value`), byte
/// for byte as serde_json's `PrettyFormatter`, starting at any depth.
struct Indented {
    depth: usize,
    has_value: bool,
}

impl Indented {
    fn new_line<W: ?Sized + std::io::Write>(&self, w: &mut W, comma: bool) -> std::io::Result<()> {
        match break_and_indent(comma, self.depth) {
            Some(line) => w.write_all(line),
            None => {
                w.write_all(if comma { b",\n" } else { b"\n" })?;
                (0..self.depth).try_for_each(|_| w.write_all(b"  "))
            }
        }
    }

    /// `[` or `{`: one level deeper, nothing in it yet.
    fn open<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    /// `]` or `}`: on a line of its own unless the list or object is empty.
    fn close<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.new_line(w, false)?;
        }
        w.write_all(bracket)
    }
}

impl serde_json::ser::Formatter for Indented {
    #[inline]
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }

    #[inline]
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }

    #[inline]
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.new_line(w, !first)
    }

    #[inline]
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    #[inline]
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }

    #[inline]
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }

    #[inline]
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.new_line(w, !first)
    }

    #[inline]
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }

    #[inline]
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::erased::Value;

    /// Values nested deeper than the indent table, empty lists and
    /// objects, strings to escape: the same bytes as serde_json's own
    /// pretty printer, from the top and from inside a list.
    #[test]
    fn printed_as_serde_json_prints_pretty() {
        let mut deep = serde_json::json!({"leaf": ["a\"b\\c\n\u{1}", 1, -2, true, null, [], {}]});
        for i in 0..40 {
            deep = serde_json::json!({ format!("k{i}"): [deep, {"x": "值"}], "e": [] });
        }
        let mut ours = Vec::new();
        deep.pretty(&mut ours, 0).unwrap();
        assert_eq!(
            String::from_utf8(ours).unwrap(),
            serde_json::to_string_pretty(&deep).unwrap()
        );
        // At depth 2, as a list's element is printed: the whole list's
        // text holds it after `[` + line break + four spaces.
        let list = serde_json::json!([[deep.clone()]]);
        let mut inner = b"[\n  [\n    ".to_vec();
        deep.pretty(&mut inner, 2).unwrap();
        inner.extend_from_slice(b"\n  ]\n]");
        assert_eq!(
            String::from_utf8(inner).unwrap(),
            serde_json::to_string_pretty(&list).unwrap()
        );
    }
}
