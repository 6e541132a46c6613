//! Readers: bytes of one file → [`Document`]. One file per format, one entry
//! point ([`read`]) that sniffs the format from the bytes and dispatches.

pub mod doc;
pub mod docx;
pub mod estimate;
pub mod listnum;
pub mod mht;
pub mod odt;
pub mod pdf;
pub mod rtf;
pub mod sniff;
pub mod text;
pub mod xlsx;
pub mod zipped;

use crate::document::Document;
pub use sniff::{Format, sniff};

/// Why a file could not be read at all. Each maps to one finding code.
#[derive(Debug, Clone, PartialEq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum ReadError {
    #[error("无法读取：{0}")]
    Unreadable(String),
    #[error("文件已加密：{0}")]
    Encrypted(String),
    #[error("不支持的格式：{0}")]
    Unsupported(String),
    #[error("文件为空")]
    Empty,
}

impl ReadError {
    /// The finding / `Source.error.code` for this error.
    pub fn code(&self) -> &'static str {
        match self {
            ReadError::Unreadable(_) => "source.unreadable",
            ReadError::Encrypted(_) => "source.encrypted",
            ReadError::Unsupported(_) => "source.unsupported",
            ReadError::Empty => "source.empty",
        }
    }
}

/// Caps that keep hostile input from exhausting the machine.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Largest uncompressed size of one zip part.
    pub max_part_bytes: u64,
    /// Largest total uncompressed size read from one zip.
    pub max_total_bytes: u64,
    /// Largest compression ratio accepted for a part larger than 1 MiB.
    pub max_ratio: u64,
    /// Deepest XML element nesting accepted.
    pub max_xml_depth: usize,
    /// Most cells read from one sheet.
    pub max_cells: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_part_bytes: 256 << 20,
            max_total_bytes: 1 << 30,
            max_ratio: 200,
            max_xml_depth: 256,
            max_cells: 2_000_000,
        }
    }
}

/// Read one file's bytes as the given format.
pub fn read_as(format: Format, bytes: &[u8], limits: &Limits) -> Result<Document, ReadError> {
    match format {
        Format::Docx | Format::Docm => docx::read(bytes, limits),
        Format::Xlsx | Format::Xlsm | Format::Xlsb | Format::Ods | Format::Xls => {
            xlsx::read(format, bytes, limits)
        }
        Format::Doc => doc::read(bytes, limits),
        Format::Odt => odt::read(bytes, limits),
        Format::Rtf => rtf::read(bytes, limits),
        Format::Mht => mht::read(bytes, limits),
        Format::WordXml => docx::read_wordml(bytes, limits),
        Format::Txt | Format::Html => text::read(format, bytes, limits),
        Format::EncryptedOoxml => Err(ReadError::Encrypted(
            "加密的 Office 文档（EncryptionInfo），需先解除密码".into(),
        )),
        Format::Pdf => pdf::read(bytes, limits),
        Format::Unknown => Err(ReadError::Unsupported(format!(
            "格式 {} 不受支持",
            format.as_str()
        ))),
    }
}

/// Sniff and read.
pub fn read(bytes: &[u8], limits: &Limits) -> (Format, Result<Document, ReadError>) {
    if bytes.is_empty() {
        return (Format::Unknown, Err(ReadError::Empty));
    }
    let format = sniff(bytes);
    (format, read_as(format, bytes, limits))
}
