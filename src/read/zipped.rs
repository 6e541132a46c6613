//! Capped access to the parts of a zip package (OOXML, ODF).
//!
//! Every part is read through [`Package::part`], which enforces the per-part
//! and total uncompressed caps and the compression-ratio cap, so a zip bomb
//! becomes a clear [`ReadError`] instead of an exhausted machine.

use super::{Limits, ReadError};
use std::io::{Cursor, Read};

pub struct Package<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    limits: Limits,
    total: u64,
}

impl<'a> Package<'a> {
    pub fn open(bytes: &'a [u8], limits: &Limits) -> Result<Self, ReadError> {
        let zip = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| ReadError::Unreadable(format!("zip 结构损坏（{e}）")))?;
        Ok(Package {
            zip,
            limits: limits.clone(),
            total: 0,
        })
    }

    /// Names of all parts, in the zip's order.
    pub fn names(&self) -> Vec<String> {
        self.zip
            .file_names()
            .filter_map(|r| r.ok())
            .map(|s| s.to_string())
            .collect()
    }

    pub fn has(&self, name: &str) -> bool {
        self.find(name).is_some()
    }

    /// Part names are case-insensitive in OPC; find the stored spelling.
    fn find(&self, name: &str) -> Option<String> {
        let name = name.trim_start_matches('/');
        self.zip
            .file_names()
            .filter_map(|r| r.ok())
            .find(|n| n.eq_ignore_ascii_case(name))
            .map(|s| s.to_string())
    }

    /// Read one part whole, within the caps. `Ok(None)` when it does not exist.
    pub fn part(&mut self, name: &str) -> Result<Option<Vec<u8>>, ReadError> {
        let Some(stored) = self.find(name) else {
            return Ok(None);
        };
        let mut f = self
            .zip
            .by_name(&stored)
            .map_err(|e| ReadError::Unreadable(format!("无法打开部件 {stored}（{e}）")))?;
        let declared = f.size();
        let compressed = f.compressed_size().max(1);
        if declared > self.limits.max_part_bytes {
            return Err(ReadError::Unreadable(format!(
                "部件 {stored} 解压后 {declared} 字节，超过上限 {}（疑似压缩炸弹）",
                self.limits.max_part_bytes
            )));
        }
        if declared > (1 << 20) && declared / compressed > self.limits.max_ratio {
            return Err(ReadError::Unreadable(format!(
                "部件 {stored} 压缩比 {}:1 超过上限 {}:1（疑似压缩炸弹）",
                declared / compressed,
                self.limits.max_ratio
            )));
        }
        // The declared size can lie: cap what is actually inflated as well.
        let room = self
            .limits
            .max_part_bytes
            .min(self.limits.max_total_bytes.saturating_sub(self.total));
        let mut buf = Vec::with_capacity(declared.min(room) as usize);
        (&mut f)
            .take(room + 1)
            .read_to_end(&mut buf)
            .map_err(|e| ReadError::Unreadable(format!("部件 {stored} 解压失败（{e}）")))?;
        if buf.len() as u64 > room {
            return Err(ReadError::Unreadable(format!(
                "部件 {stored} 解压后超过上限（疑似压缩炸弹）"
            )));
        }
        self.total += buf.len() as u64;
        Ok(Some(buf))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_with(name: &str, data: &[u8]) -> Vec<u8> {
        let mut buf = Cursor::new(Vec::new());
        {
            let mut z = zip::ZipWriter::new(&mut buf);
            let o = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            z.start_file(name, o).unwrap();
            z.write_all(data).unwrap();
            z.finish().unwrap();
        }
        buf.into_inner()
    }

    #[test]
    fn reads_a_part_case_insensitively() {
        let z = zip_with("word/document.xml", b"<w:document/>");
        let mut p = Package::open(&z, &Limits::default()).unwrap();
        assert_eq!(
            p.part("Word/Document.xml").unwrap().unwrap(),
            b"<w:document/>"
        );
        assert_eq!(p.part("word/missing.xml").unwrap(), None);
    }

    #[test]
    fn refuses_a_bomb() {
        let z = zip_with("word/document.xml", &vec![b'a'; 8 << 20]);
        let mut p = Package::open(&z, &Limits::default()).unwrap();
        let err = p.part("word/document.xml").unwrap_err();
        assert!(
            matches!(err, ReadError::Unreadable(ref m) if m.contains("压缩炸弹")),
            "{err:?}"
        );
    }

    #[test]
    fn refuses_garbage() {
        assert!(Package::open(b"PK\x03\x04garbage", &Limits::default()).is_err());
    }
}
