//! Placeholder until the text reader lands.
use super::{Format, Limits, ReadError};
use crate::document::Document;

pub fn read(_format: Format, _bytes: &[u8], _limits: &Limits) -> Result<Document, ReadError> {
    Err(ReadError::Unsupported("text reader not built yet".into()))
}
