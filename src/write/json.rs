//! `catalog.json`: the whole catalog, pretty-printed, keys in contract order.

use super::{WriteError, atomic_write_bytes};
use crate::catalog::Catalog;
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
