//! Placeholder until the doc reader lands.
use super::{Limits, ReadError};
use crate::document::Document;

pub fn read(_bytes: &[u8], _limits: &Limits) -> Result<Document, ReadError> {
    Err(ReadError::Unsupported("doc reader not built yet".into()))
}
