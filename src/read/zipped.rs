//! Capped access to the parts of a zip package (OOXML, ODF).
//!
//! Every part is read through [`Package::part`], which enforces the per-part
//! and total uncompressed caps and the compression-ratio cap, so a zip bomb
//! becomes a clear [`ReadError`] instead of an exhausted machine.

use super::{Limits, ReadError};
use std::io::{Cursor, Read};

pub struct Package<'a> {
    /// The whole archive: a deflated part is inflated straight from it.
    bytes: &'a [u8],
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    limits: Limits,
    total: u64,
}

impl<'a> Package<'a> {
    pub fn open(bytes: &'a [u8], limits: &Limits) -> Result<Self, ReadError> {
        let zip = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| ReadError::Unreadable(format!("zip 结构损坏（{e}）")))?;
        Ok(Package {
            bytes,
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
        let buf = match inflate_whole(self.bytes, &f, room) {
            Some(buf) => buf,
            None => {
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
                buf
            }
        };
        self.total += buf.len() as u64;
        Ok(Some(buf))
    }
}

/// A deflated part inflated in one call from the archive's bytes into
/// a buffer of the declared size, its checksum then checked: what the
/// zip reader gives, without its layers of readers and without zeroing
/// the buffer first (the two cost a tenth of reading a Word file).
/// `None` for anything else — a stored or encrypted part, a stream that
/// is corrupt, ends early, outgrows `room` or fails its checksum — which
/// the zip reader then reads, so errors read as they always did.
fn inflate_whole(
    bytes: &[u8],
    f: &zip::read::ZipFile<'_, Cursor<&[u8]>>,
    room: u64,
) -> Option<Vec<u8>> {
    use flate2::{Decompress, FlushDecompress, Status};
    if f.compression() != zip::CompressionMethod::Deflated || f.encrypted() {
        return None;
    }
    let start = usize::try_from(f.data_start()?).ok()?;
    let len = usize::try_from(f.compressed_size()).ok()?;
    let input = bytes.get(start..start.checked_add(len)?)?;
    // One byte spare: a stream that exactly fills its buffer may need one
    // more call to see its end.
    let mut out = Vec::with_capacity(f.size().min(room).saturating_add(1) as usize);
    let mut inflate = Decompress::new(false);
    loop {
        let read = usize::try_from(inflate.total_in()).ok()?;
        let status = inflate
            .decompress_vec(&input[read..], &mut out, FlushDecompress::Finish)
            .ok()?;
        match status {
            Status::StreamEnd => break,
            // The declared size was too small: grow, within the cap.
            _ if out.len() == out.capacity() && (out.len() as u64) < room => {
                let more = (out.len() / 2).max(64 << 10) as u64;
                out.reserve(more.min(room - out.len() as u64).max(1) as usize);
            }
            _ => return None,
        }
    }
    (out.len() as u64 <= room && crc32fast::hash(&out) == f.crc32()).then_some(out)
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

    /// Writes `value` into a 4-byte field of the first local header and of
    /// the central directory entry (offsets from each signature).
    fn patch(z: &mut [u8], local: usize, central: usize, value: u32) {
        let find = |sig: &[u8]| z.windows(4).position(|w| w == sig).unwrap();
        let (l, c) = (find(b"PK\x03\x04"), find(b"PK\x01\x02"));
        z[l + local..l + local + 4].copy_from_slice(&value.to_le_bytes());
        z[c + central..c + central + 4].copy_from_slice(&value.to_le_bytes());
    }

    fn text(n: usize) -> Vec<u8> {
        (0..n).map(|i| b"<w:t>ab</w:t>"[i % 13]).collect()
    }

    #[test]
    fn a_declared_size_too_small_still_reads_the_whole_part() {
        let data = text(300_000);
        let mut z = zip_with("word/document.xml", &data);
        patch(&mut z, 22, 24, 1000);
        let mut p = Package::open(&z, &Limits::default()).unwrap();
        assert_eq!(p.part("word/document.xml").unwrap().unwrap(), data);
    }

    #[test]
    fn a_wrong_checksum_is_an_error() {
        let mut z = zip_with("word/document.xml", &text(5000));
        patch(&mut z, 14, 16, 0xdead_beef);
        let mut p = Package::open(&z, &Limits::default()).unwrap();
        let err = p.part("word/document.xml").unwrap_err();
        assert!(
            matches!(err, ReadError::Unreadable(ref m) if m.contains("解压失败")),
            "{err:?}"
        );
    }

    #[test]
    fn a_truncated_stream_is_an_error() {
        let data = text(5000);
        let mut z = zip_with("word/document.xml", &data);
        // Claim half the compressed bytes: the stream ends early.
        let c = z.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
        let half = u32::from_le_bytes(z[c + 20..c + 24].try_into().unwrap()) / 2;
        patch(&mut z, 18, 20, half);
        let mut p = Package::open(&z, &Limits::default()).unwrap();
        assert!(p.part("word/document.xml").is_err());
    }

    #[test]
    fn refuses_garbage() {
        assert!(Package::open(b"PK\x03\x04garbage", &Limits::default()).is_err());
    }
}
