//! The zip package around the workbook's parts. An entry is put together
//! from pieces of raw deflate made beforehand ([`Deflater`]), so its sizes
//! and CRC are known before its header is written: no data descriptors and
//! no seeking back. That lets a sheet's rows be compressed as they come
//! while its head (column widths, dimension), made last, goes first.
//!
//! Pieces join because each but the last ends on a sync flush (a byte
//! boundary, no final block) and a deflate stream's back-references never
//! reach before its own start. Zip64 fields are written only for an entry
//! or an archive past the classic format's 4 GiB and 65,535-entry limits.
//! Every entry has the same fixed date (1980-01-01), so the bytes depend on
//! the content alone.

use crate::write::TempFile;
use flate2::{Compress, Compression, Crc, FlushCompress, Status};
use std::fs::File;
use std::io::{self, Write};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// Compressed bytes are handed on in chunks of this size.
const CHUNK: usize = 64 << 10;

/// Raw deflate (fast, level 1) of what is written, into `out`.
pub struct Deflater<W: Write> {
    z: Compress,
    out: W,
    buf: Vec<u8>,
    sums: Sums,
}

/// A piece's uncompressed CRC and length and its compressed length.
#[derive(Debug, Default)]
pub struct Sums {
    crc: Crc,
    len: u64,
    compressed: u64,
}

impl Sums {
    /// These sums followed by `next`'s.
    fn then(&mut self, next: &Sums) {
        self.crc.combine(&next.crc);
        self.len += next.len;
        self.compressed += next.compressed;
    }
}

impl<W: Write> Deflater<W> {
    pub fn new(out: W) -> Deflater<W> {
        Deflater {
            z: Compress::new(Compression::fast(), false),
            out,
            buf: Vec::with_capacity(CHUNK),
            sums: Sums::default(),
        }
    }

    pub fn write(&mut self, data: &[u8]) -> io::Result<()> {
        self.sums.crc.update(data);
        self.sums.len += data.len() as u64;
        self.run(data, FlushCompress::None)
    }

    /// End the piece: with the final block if `last`, else on a sync flush
    /// so that another piece can follow it in the same entry.
    pub fn finish(mut self, last: bool) -> io::Result<(W, Sums)> {
        let flush = match last {
            true => FlushCompress::Finish,
            false => FlushCompress::Sync,
        };
        self.run(&[], flush)?;
        Ok((self.out, self.sums))
    }

    fn run(&mut self, mut input: &[u8], flush: FlushCompress) -> io::Result<()> {
        if input.is_empty() && flush == FlushCompress::None {
            return Ok(());
        }
        loop {
            self.buf.clear();
            let before = self.z.total_in();
            let status = self
                .z
                .compress_vec(input, &mut self.buf, flush)
                .map_err(io::Error::other)?;
            input = &input[(self.z.total_in() - before) as usize..];
            self.out.write_all(&self.buf)?;
            self.sums.compressed += self.buf.len() as u64;
            // A buffer left with room means the input is in and a flush is
            // complete; only the final block ends the stream.
            let full = self.buf.len() == self.buf.capacity();
            let done = match flush {
                FlushCompress::Finish => status == Status::StreamEnd,
                _ => input.is_empty() && !full,
            };
            if done {
                return Ok(());
            }
            if self.buf.is_empty() && status == Status::BufError {
                return Err(io::Error::other("deflate made no progress"));
            }
        }
    }
}

/// A finished piece of an entry: its compressed bytes, in memory or in a
/// temporary file.
pub struct Piece {
    bytes: Bytes,
    sums: Sums,
}

enum Bytes {
    Memory(Vec<u8>),
    File(TempFile),
}

impl Piece {
    /// The whole of `data`, deflated in memory (small parts).
    pub fn of(data: &[u8], last: bool) -> io::Result<Piece> {
        let mut d = Deflater::new(Vec::new());
        d.write(data)?;
        let (bytes, sums) = d.finish(last)?;
        Ok(Piece {
            bytes: Bytes::Memory(bytes),
            sums,
        })
    }

    /// What a [`Deflater`] wrote to `file` (closed by the caller).
    pub fn file(file: TempFile, sums: Sums) -> Piece {
        Piece {
            bytes: Bytes::File(file),
            sums,
        }
    }
}

/// A temporary file beside the output, `.xlsx-N.tmp-PID` (see
/// [`TempFile`]), numbered within the run.
pub fn temp_file(dir: &Path) -> io::Result<(TempFile, File)> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    TempFile::create(dir, &format!("xlsx-{n}"))
}

/// Past this, a size or offset needs its Zip64 field.
const ZIP32_MAX: u64 = 0xFFFF_FFFF;

/// A zip file being written to `out`, entry by entry.
pub struct Package<W: Write> {
    out: W,
    at: u64,
    central: Vec<u8>,
    entries: u64,
    /// Zip64 fields for every entry and the end, whatever the sizes (tests).
    force_zip64: bool,
}

/// 1980-01-01 00:00, the earliest MS-DOS date: a fixed time for every entry.
const DOS_DATE: u16 = (1 << 5) | 1;
const DEFLATE: u16 = 8;

impl<W: Write> Package<W> {
    pub fn new(out: W) -> Package<W> {
        Package {
            out,
            at: 0,
            central: Vec::new(),
            entries: 0,
            force_zip64: false,
        }
    }

    #[cfg(test)]
    pub fn forcing_zip64(mut self) -> Package<W> {
        self.force_zip64 = true;
        self
    }

    /// Add the entry `name`: the pieces, in order, make its content.
    pub fn add(&mut self, name: &str, pieces: Vec<Piece>) -> io::Result<()> {
        let mut sums = Sums::default();
        for p in &pieces {
            sums.then(&p.sums);
        }
        let offset = self.at;
        let zip64 = self.force_zip64 || sums.len >= ZIP32_MAX || sums.compressed >= ZIP32_MAX;
        let (crc, len, compressed) = (sums.crc.sum(), sums.len, sums.compressed);
        let name = name.as_bytes();

        // Local header: with Zip64, both sizes in the extra field.
        let mut h = Vec::with_capacity(64 + name.len());
        put32(&mut h, 0x0403_4b50);
        put16(&mut h, if zip64 { 45 } else { 20 });
        h.extend_from_slice(&[0, 0]); // flags
        put16(&mut h, DEFLATE);
        put16(&mut h, 0); // time
        put16(&mut h, DOS_DATE);
        put32(&mut h, crc);
        put32(&mut h, if zip64 { u32::MAX } else { compressed as u32 });
        put32(&mut h, if zip64 { u32::MAX } else { len as u32 });
        put16(&mut h, name.len() as u16);
        put16(&mut h, if zip64 { 20 } else { 0 });
        h.extend_from_slice(name);
        if zip64 {
            put16(&mut h, 1);
            put16(&mut h, 16);
            put64(&mut h, len);
            put64(&mut h, compressed);
        }
        self.emit(&h)?;
        for p in pieces {
            match p.bytes {
                Bytes::Memory(b) => self.emit(&b)?,
                Bytes::File(f) => {
                    let copied = io::copy(&mut File::open(f.path())?, &mut self.out)?;
                    if copied != p.sums.compressed {
                        return Err(io::Error::other("a workbook piece changed size"));
                    }
                    self.at += copied;
                }
            }
        }

        // Central directory record: Zip64 fields for what does not fit.
        let big = |n: u64| self.force_zip64 || n >= ZIP32_MAX;
        let mut extra = Vec::new();
        for n in [len, compressed, offset] {
            if big(n) {
                put64(&mut extra, n);
            }
        }
        let c = &mut self.central;
        put32(c, 0x0201_4b50);
        put16(c, if zip64 { 45 } else { 20 }); // made by: MS-DOS
        put16(c, if zip64 { 45 } else { 20 });
        c.extend_from_slice(&[0, 0]);
        put16(c, DEFLATE);
        put16(c, 0);
        put16(c, DOS_DATE);
        put32(c, crc);
        for n in [compressed, len] {
            put32(c, if big(n) { u32::MAX } else { n as u32 });
        }
        put16(c, name.len() as u16);
        put16(
            c,
            if extra.is_empty() {
                0
            } else {
                4 + extra.len() as u16
            },
        );
        // Comment length, first disk, internal and external attributes.
        c.extend_from_slice(&[0; 10]);
        put32(c, if big(offset) { u32::MAX } else { offset as u32 });
        c.extend_from_slice(name);
        if !extra.is_empty() {
            put16(c, 1);
            put16(c, extra.len() as u16);
            c.extend_from_slice(&extra);
        }
        self.entries += 1;
        Ok(())
    }

    /// Write the central directory and the end records; give back `out`.
    pub fn finish(mut self) -> io::Result<W> {
        let (start, size) = (self.at, self.central.len() as u64);
        let central = std::mem::take(&mut self.central);
        self.emit(&central)?;
        let many = self.entries >= 0xFFFF;
        let mut e = Vec::new();
        if self.force_zip64 || many || start >= ZIP32_MAX || size >= ZIP32_MAX {
            let record = self.at;
            put32(&mut e, 0x0606_4b50);
            put64(&mut e, 44);
            put16(&mut e, 45);
            put16(&mut e, 45);
            put32(&mut e, 0);
            put32(&mut e, 0);
            put64(&mut e, self.entries);
            put64(&mut e, self.entries);
            put64(&mut e, size);
            put64(&mut e, start);
            // Locator.
            put32(&mut e, 0x0706_4b50);
            put32(&mut e, 0);
            put64(&mut e, record);
            put32(&mut e, 1);
        }
        let n = if self.force_zip64 || many {
            0xFFFF
        } else {
            self.entries as u16
        };
        let clip = |v: u64| match self.force_zip64 || v >= ZIP32_MAX {
            true => u32::MAX,
            false => v as u32,
        };
        put32(&mut e, 0x0605_4b50);
        put32(&mut e, 0); // disks
        put16(&mut e, n);
        put16(&mut e, n);
        put32(&mut e, clip(size));
        put32(&mut e, clip(start));
        put16(&mut e, 0); // comment
        self.emit(&e)?;
        Ok(self.out)
    }

    fn emit(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)?;
        self.at += bytes.len() as u64;
        Ok(())
    }
}

fn put16(v: &mut Vec<u8>, n: u16) {
    v.extend_from_slice(&n.to_le_bytes());
}

fn put32(v: &mut Vec<u8>, n: u32) {
    v.extend_from_slice(&n.to_le_bytes());
}

fn put64(v: &mut Vec<u8>, n: u64) {
    v.extend_from_slice(&n.to_le_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Read};
    use std::path::PathBuf;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("riskflow-zip-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// An entry of three pieces (memory, a file, memory), written with or
    /// without Zip64 fields, reads back whole with its CRC checked, and
    /// the piece's file is gone once added.
    fn pieces_join(force_zip64: bool) {
        let dir = scratch(&format!("pieces-{force_zip64}"));
        let (temp, file) = temp_file(&dir).unwrap();
        let temp_path = temp.path().to_path_buf();
        let mut middle = Deflater::new(file);
        let rows: Vec<u8> = (0..20_000)
            .flat_map(|i| format!("<row r=\"{i}\"><c>{}</c></row>", i * 7919 % 10_007).into_bytes())
            .collect();
        middle.write(&rows[..1000]).unwrap();
        middle.write(&rows[1000..]).unwrap();
        let (file, sums) = middle.finish(false).unwrap();
        drop(file);
        let pieces = vec![
            Piece::of(b"<head>", false).unwrap(),
            Piece::file(temp, sums),
            Piece::of(b"</tail>", true).unwrap(),
        ];
        let mut zip = Package::new(Cursor::new(Vec::new()));
        if force_zip64 {
            zip = zip.forcing_zip64();
        }
        zip.add("a.txt", vec![Piece::of(b"first", true).unwrap()])
            .unwrap();
        zip.add("sheet.xml", pieces).unwrap();
        zip.add("empty", vec![Piece::of(b"", true).unwrap()])
            .unwrap();
        assert!(!temp_path.exists());
        let bytes = zip.finish().unwrap().into_inner();

        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut read = |name: &str| {
            let mut entry = archive.by_name(name).unwrap();
            let mut out = Vec::new();
            entry.read_to_end(&mut out).unwrap();
            out
        };
        assert_eq!(read("a.txt"), b"first");
        let mut whole = b"<head>".to_vec();
        whole.extend_from_slice(&rows);
        whole.extend_from_slice(b"</tail>");
        assert_eq!(read("sheet.xml"), whole);
        assert_eq!(read("empty"), b"");
        assert_eq!(archive.len(), 3);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn pieces_join_into_one_entry() {
        pieces_join(false);
    }

    #[test]
    fn zip64_fields_read_back() {
        pieces_join(true);
    }

    /// The same content gives the same bytes.
    #[test]
    fn packages_are_deterministic() {
        let make = || {
            let mut zip = Package::new(Vec::new());
            zip.add("x.xml", vec![Piece::of(b"<x/>", true).unwrap()])
                .unwrap();
            zip.finish().unwrap()
        };
        assert_eq!(make(), make());
    }

    /// An entry past 4 GiB uncompressed (a sheet of ~40 million rows):
    /// Zip64 sizes. Slow (minutes of deflate and inflate): run by hand with
    /// `cargo test --release -- --ignored past_4_gib`.
    #[test]
    #[ignore]
    fn an_entry_past_4_gib_is_zip64() {
        let dir = scratch("big");
        let (temp, file) = temp_file(&dir).unwrap();
        let mut d = Deflater::new(std::io::BufWriter::new(file));
        let row = b"<row r=\"1\"><c r=\"A1\" s=\"2\" t=\"inlineStr\"><is><t>abc</t></is></c></row>";
        let block: Vec<u8> = row
            .iter()
            .copied()
            .cycle()
            .take(row.len() * 16_384)
            .collect();
        let mut total = 0u64;
        while total <= ZIP32_MAX + (64 << 20) {
            d.write(&block).unwrap();
            total += block.len() as u64;
        }
        let (out, sums) = d.finish(true).unwrap();
        drop(out);
        let path = dir.join("big.zip");
        let mut zip = Package::new(std::io::BufWriter::new(File::create(&path).unwrap()));
        zip.add("big.xml", vec![Piece::file(temp, sums)]).unwrap();
        zip.add("after.txt", vec![Piece::of(b"after", true).unwrap()])
            .unwrap();
        zip.finish().unwrap().flush().unwrap();

        let mut archive = zip::ZipArchive::new(File::open(&path).unwrap()).unwrap();
        let mut entry = archive.by_name("big.xml").unwrap();
        assert_eq!(entry.size(), total);
        // Reading to the end checks the CRC.
        let n = std::io::copy(&mut entry, &mut std::io::sink()).unwrap();
        assert_eq!(n, total);
        drop(entry);
        let mut after = String::new();
        archive
            .by_name("after.txt")
            .unwrap()
            .read_to_string(&mut after)
            .unwrap();
        assert_eq!(after, "after");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
