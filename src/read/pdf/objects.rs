//! The object layer: loading with lopdf (xref tables and streams, object
//! streams, repair by scanning, decryption with the empty password) and small
//! typed accessors that follow references and never panic.

use lopdf::{Dictionary, Document, Object, ObjectId};

/// Largest decoded stream accepted (content, fonts' CMaps, forms).
pub const MAX_STREAM: usize = 64 << 20;

/// Why a file could not be opened as a PDF.
#[derive(Debug)]
pub enum OpenError {
    /// Encrypted with a user password that is not empty.
    Encrypted,
    Broken(String),
}

pub fn open(bytes: &[u8]) -> Result<Document, OpenError> {
    let options = lopdf::LoadOptions {
        max_decompressed_size: Some(MAX_STREAM),
        ..Default::default()
    };
    match Document::load_mem_with_options(bytes, options) {
        Ok(doc) => {
            // Still carrying /Encrypt without a decryption state: the empty
            // user password did not open it.
            if doc.is_encrypted() && !doc.was_encrypted() {
                return Err(OpenError::Encrypted);
            }
            Ok(doc)
        }
        Err(e) => {
            let text = e.to_string();
            let lower = text.to_ascii_lowercase();
            if lower.contains("password") || lower.contains("decrypt") || lower.contains("encrypt")
            {
                Err(OpenError::Encrypted)
            } else {
                Err(OpenError::Broken(text))
            }
        }
    }
}

/// Follow references (a bounded chain) to the object itself.
pub fn resolve<'a>(doc: &'a Document, obj: &'a Object) -> Option<&'a Object> {
    let mut o = obj;
    for _ in 0..16 {
        match o {
            Object::Reference(id) => o = doc.get_object(*id).ok()?,
            _ => return Some(o),
        }
    }
    None
}

pub fn get<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    resolve(doc, dict.get(key).ok()?)
}

pub fn dict<'a>(doc: &'a Document, obj: &'a Object) -> Option<&'a Dictionary> {
    match resolve(doc, obj)? {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

pub fn get_dict<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a Dictionary> {
    dict(doc, d.get(key).ok()?)
}

pub fn num(obj: &Object) -> Option<f64> {
    let v = match obj {
        Object::Integer(i) => *i as f64,
        Object::Real(r) => *r as f64,
        _ => return None,
    };
    v.is_finite().then_some(v)
}

pub fn get_num(doc: &Document, d: &Dictionary, key: &[u8]) -> Option<f64> {
    num(get(doc, d, key)?)
}

pub fn name<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a [u8]> {
    match get(doc, d, key)? {
        Object::Name(n) => Some(n),
        _ => None,
    }
}

pub fn array<'a>(doc: &'a Document, obj: &'a Object) -> Option<&'a [Object]> {
    match resolve(doc, obj)? {
        Object::Array(a) => Some(a),
        _ => None,
    }
}

/// Numbers of an array (non-numbers dropped).
pub fn numbers(doc: &Document, obj: &Object) -> Vec<f64> {
    array(doc, obj)
        .unwrap_or(&[])
        .iter()
        .filter_map(|o| resolve(doc, o).and_then(num))
        .collect()
}

/// The decoded bytes of a stream object (filters applied, capped).
pub fn stream_data(doc: &Document, obj: &Object) -> Option<Vec<u8>> {
    match resolve(doc, obj)? {
        Object::Stream(s) => {
            if s.dict.get(b"Filter").is_err() {
                Some(s.content.clone())
            } else {
                s.decompressed_content_with_limit(MAX_STREAM).ok()
            }
        }
        _ => None,
    }
}

/// The object id behind a reference, for caching and cycle checks.
pub fn id_of(obj: &Object) -> Option<ObjectId> {
    match obj {
        Object::Reference(id) => Some(*id),
        _ => None,
    }
}

/// A page attribute, inherited from the page tree when the page lacks it.
pub fn inherited<'a>(doc: &'a Document, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut node = page;
    for _ in 0..64 {
        if let Some(v) = get(doc, node, key) {
            return Some(v);
        }
        node = get_dict(doc, node, b"Parent")?;
    }
    None
}
