//! Bounds-checked little-endian reads: every offset in a .doc comes from the
//! file itself, so every read may fail.

pub fn u8_at(b: &[u8], off: usize) -> Option<u8> {
    b.get(off).copied()
}

pub fn u16_at(b: &[u8], off: usize) -> Option<u16> {
    let s = b.get(off..off.checked_add(2)?)?;
    Some(u16::from_le_bytes([s[0], s[1]]))
}

pub fn u32_at(b: &[u8], off: usize) -> Option<u32> {
    let s = b.get(off..off.checked_add(4)?)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

pub fn i32_at(b: &[u8], off: usize) -> Option<i32> {
    u32_at(b, off).map(|v| v as i32)
}

/// The `len` bytes at `off`, or None when they run past the end.
pub fn slice(b: &[u8], off: usize, len: usize) -> Option<&[u8]> {
    b.get(off..off.checked_add(len)?)
}

/// A PLC: `n + 1` u32 positions followed by `n` data elements of `elem` bytes.
pub struct Plc<'a> {
    bytes: &'a [u8],
    pub count: usize,
    elem: usize,
}

impl<'a> Plc<'a> {
    /// None when `bytes` is not exactly a PLC of that element size.
    pub fn new(bytes: &'a [u8], elem: usize) -> Option<Plc<'a>> {
        let len = bytes.len();
        if len < 4 || !(len - 4).is_multiple_of(4 + elem) {
            return None;
        }
        Some(Plc {
            bytes,
            count: (len - 4) / (4 + elem),
            elem,
        })
    }

    /// Position `i` (0..=count).
    pub fn pos(&self, i: usize) -> u32 {
        u32_at(self.bytes, i * 4).unwrap_or(0)
    }

    /// Data element `i` (0..count).
    pub fn data(&self, i: usize) -> &'a [u8] {
        let start = (self.count + 1) * 4 + i * self.elem;
        slice(self.bytes, start, self.elem).unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_bounds_checked() {
        let b = [1u8, 2, 3, 4, 5];
        assert_eq!(u16_at(&b, 0), Some(0x0201));
        assert_eq!(u32_at(&b, 1), Some(0x05040302));
        assert_eq!(u32_at(&b, 2), None);
        assert_eq!(u16_at(&b, usize::MAX), None);
        assert_eq!(slice(&b, 4, 2), None);
    }

    #[test]
    fn plc_splits_positions_and_data() {
        // Two elements of 2 bytes: positions 0, 5, 9; data AA BB / CC DD.
        let b = [0, 0, 0, 0, 5, 0, 0, 0, 9, 0, 0, 0, 0xAA, 0xBB, 0xCC, 0xDD];
        let plc = Plc::new(&b, 2).unwrap();
        assert_eq!(plc.count, 2);
        assert_eq!((plc.pos(0), plc.pos(1), plc.pos(2)), (0, 5, 9));
        assert_eq!(plc.data(1), &[0xCC, 0xDD]);
        assert!(Plc::new(&b[..15], 2).is_none());
    }
}
