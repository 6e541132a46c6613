//! A tokeniser for the plain XML that Word writes: start, empty and end
//! tags, text, references and the XML declaration. It gives exactly the
//! events quick-xml gives for that subset, but checks UTF-8 once for the
//! whole part instead of once per event, and does nothing else per event:
//! in the docx pass quick-xml itself took as long as all the reading done
//! with its events.
//!
//! Anything outside the subset — comments, CDATA, a DOCTYPE, a mismatched
//! or unclosed tag, a lone `&`, bytes that are not UTF-8 — is not judged
//! here: [`Tokens::next`] returns `None` and the pull layer hands the part
//! over to quick-xml, which re-reads the part up to the same byte and goes
//! on (so errors and their positions are quick-xml's, word for word).
//! Event for event the two stop at the same bytes (`position`), which is
//! what lets a skipped subtree and the hand-over agree.

use quick_xml::events::{BytesEnd, BytesPI, BytesRef, BytesStart, BytesText, Event};

/// Which local names may stand as plain children (see
/// [`Tokens::plain_children`]).
pub type Allowed = fn(&[u8]) -> bool;

pub struct Tokens<'a> {
    xml: &'a str,
    /// Bytes read (after a byte order mark, as quick-xml counts).
    pos: usize,
    /// Written names of the open elements, as ranges of `xml`.
    open: Vec<(usize, usize)>,
    /// Where a failed `skip_open` search stopped (see there).
    searched_to: usize,
    /// Finds `sectPr` in a subtree to skip (built at the first skip of the
    /// part; boxed, as it is large and most parts never skip).
    section: Option<Box<memchr::memmem::Finder<'static>>>,
    /// A searcher per element name skipped in this part, built once: a
    /// part skips the same few names (`mc:Fallback`, `a:prstGeom` …)
    /// thousands of times, and building the searcher cost more than most
    /// searches.
    finders: Vec<(Box<[u8]>, memchr::memmem::Finder<'static>)>,
}

impl<'a> Tokens<'a> {
    /// `None` when the part is not UTF-8 (quick-xml reports where).
    pub fn new(bytes: &'a [u8]) -> Option<Self> {
        simdutf8::basic::from_utf8(bytes).ok().map(Self::from_str)
    }

    /// A part already known to be UTF-8.
    pub fn from_str(xml: &'a str) -> Self {
        Tokens {
            xml: xml.strip_prefix('\u{feff}').unwrap_or(xml),
            pos: 0,
            open: Vec::new(),
            searched_to: 0,
            section: None,
            finders: Vec::new(),
        }
    }

    /// Bytes read so far, counted as quick-xml counts them.
    pub fn position(&self) -> u64 {
        self.pos as u64
    }

    /// When the innermost open element holds nothing but empty elements
    /// written with its own prefix and named in `allowed` (by local name),
    /// apart by white space at most, with no entity and no namespace
    /// declaration (`<w:rFonts w:ascii="黑体"/><w:sz w:val="28"/>` in a
    /// `w:rPr`): that content, passed over up to the element's end tag.
    /// With `nested` (a local name and its own `allowed`), children so
    /// named, written bare (`<w:rPr>`), may hold such elements in turn (a
    /// paragraph's `w:pPr` with the mark's `w:rPr`). `None`, with nothing
    /// passed over, for anything else.
    /// Also gives the length of the written prefix with its `:`.
    pub fn plain_children(
        &mut self,
        allowed: Allowed,
        nested: Option<(&[u8], Allowed)>,
    ) -> Option<(&'a str, usize)> {
        let &(from, to) = self.open.last()?;
        let xml = self.xml;
        let name = &xml.as_bytes()[from..to];
        let prefix = &name[..find_byte(b':', name)? + 1];
        let rest = &xml.as_bytes()[self.pos..];
        let mut i = 0;
        // Inside a nested element (its local name, its own `allowed`).
        let mut inside: Option<(&[u8], Allowed)> = None;
        let end = loop {
            while rest.get(i).is_some_and(|&b| is_space(b)) {
                i += 1;
            }
            if rest.get(i) != Some(&b'<') {
                return None;
            }
            let tag = &rest[i + 1..];
            if let Some(end_name) = tag.strip_prefix(b"/") {
                // The first end tag must be the element's own, or the
                // nested element's when inside one.
                if let Some((local, _)) = inside {
                    let len = prefix.len() + local.len();
                    if end_name.get(..prefix.len()) == Some(prefix)
                        && end_name.get(prefix.len()..len) == Some(local)
                        && end_name.get(len) == Some(&b'>')
                    {
                        inside = None;
                        i += len + 3;
                        continue;
                    }
                    return None;
                }
                if end_name.get(..name.len()) == Some(name)
                    && end_name.get(name.len()) == Some(&b'>')
                {
                    break i;
                }
                return None;
            }
            let local = tag.strip_prefix(prefix)?;
            let close = tag_end(tag)?;
            if tag[close - 1] != b'/' {
                // A start tag: only the nested element, bare, not inside one.
                let (nested_local, nested_allowed) = nested.filter(|_| inside.is_none())?;
                if close != prefix.len() + nested_local.len() || !local.starts_with(nested_local) {
                    return None;
                }
                inside = Some((nested_local, nested_allowed));
                i += close + 2;
                continue;
            }
            let local_len = local.iter().position(|&b| is_space(b) || b == b'/')?;
            let attributes = &local[local_len..close - 1 - prefix.len()];
            let allowed = inside.map_or(allowed, |(_, a)| a);
            if !allowed(&local[..local_len]) || declares_namespace(attributes) {
                return None;
            }
            i += close + 2;
        };
        if memchr::memchr(b'&', &rest[..end]).is_some() {
            return None;
        }
        let inner = xml.get(self.pos..self.pos + end)?;
        self.pos += end;
        Some((inner, prefix.len()))
    }

    /// The content of the innermost open element up to the first end tag
    /// of its name, when that comes within `max` bytes, with the element's
    /// written name; nothing is passed over. For plain content this is
    /// exactly what [`Tokens::plain_children`] passes over, so content read
    /// once can be known again by its bytes (see `docx::repeats`).
    pub fn content_before_end(&self, max: usize) -> Option<(&'a str, &'a str)> {
        let &(from, to) = self.open.last()?;
        let xml = self.xml;
        let name = &xml.as_bytes()[from..to];
        let rest = &xml.as_bytes()[self.pos..];
        let rest = &rest[..rest.len().min(max + name.len() + 3)];
        let mut at = 0;
        loop {
            let lt = at + find_byte(b'<', &rest[at..])?;
            let tag = &rest[lt + 1..];
            if tag.first() == Some(&b'/')
                && tag.get(1..1 + name.len()) == Some(name)
                && tag.get(1 + name.len()) == Some(&b'>')
            {
                let content = xml.get(self.pos..self.pos + lt)?;
                return Some((content, xml.get(from..to)?));
            }
            at = lt + 1;
        }
    }

    /// Pass over `content`, which [`Tokens::content_before_end`] just gave
    /// and [`Tokens::plain_children`] passed over before, byte for byte.
    pub fn pass_over(&mut self, content: &str) {
        debug_assert!(self.xml[self.pos..].starts_with(content));
        self.pos += content.len();
    }

    /// Pass over the content of the innermost open element, up to (not
    /// including) its end tag, without tokenising it; `false`, with nothing
    /// passed over, when the content holds anything the plain subset does
    /// not judge (a comment, CDATA, a processing instruction), a section
    /// (`sectPr`, which the body pass collects from every event) or no end
    /// tag found by name. Nested elements of the same name are counted.
    ///
    /// A search that failed is not made again over the bytes it covered
    /// (every later call before that point is `false` at once), so each
    /// byte is searched at most once however the elements nest.
    pub fn skip_open(&mut self) -> bool {
        let Some(&(from, to)) = self.open.last() else {
            return false;
        };
        if self.pos < self.searched_to {
            return false;
        }
        match self.search_open(from, to) {
            Ok(end) => {
                self.pos += end;
                true
            }
            Err(searched) => {
                self.searched_to = self.pos + searched;
                false
            }
        }
    }

    /// Bytes from `pos` to the end tag of the open element named by
    /// `xml[from..to]`, when its content may be skipped; else how many
    /// bytes the search covered.
    fn search_open(&mut self, from: usize, to: usize) -> Result<usize, usize> {
        let bytes = self.xml.as_bytes();
        let name = &bytes[from..to];
        let rest = &bytes[self.pos..];
        let at = match self.finders.iter().position(|(n, _)| **n == *name) {
            Some(at) => at,
            None => {
                let finder = memchr::memmem::Finder::new(name).into_owned();
                self.finders.push((name.into(), finder));
                self.finders.len() - 1
            }
        };
        let finder = &self.finders[at].1;
        let mut depth = 1usize;
        let mut end = None;
        for hit in finder.find_iter(rest) {
            let after = rest.get(hit + name.len()).copied();
            if hit >= 2 && &rest[hit - 2..hit] == b"</" && after == Some(b'>') {
                depth -= 1;
                if depth == 0 {
                    end = Some(hit - 2);
                    break;
                }
            } else if hit >= 1 && rest[hit - 1] == b'<' && ends_start_name(after) {
                // An empty element of the same name does not nest.
                match tag_end(&rest[hit..]) {
                    Some(close) if rest[hit + close - 1] == b'/' => {}
                    Some(_) => depth += 1,
                    None => return Err(rest.len()),
                }
            }
        }
        let end = end.ok_or(rest.len())?;
        let inner = &rest[..end];
        // `!` and `?` are rare in Word's XML: look for them, then for the `<`.
        let unjudged =
            memchr::memchr2_iter(b'!', b'?', inner).any(|i| i > 0 && inner[i - 1] == b'<');
        let section = self
            .section
            .get_or_insert_with(|| Box::new(memchr::memmem::Finder::new(b"sectPr")));
        if unjudged || section.find(inner).is_some() {
            return Err(end);
        }
        Ok(end)
    }

    /// The next event, or `None` when the rest needs quick-xml. An XML
    /// declaration is given as a processing instruction (the pull layer
    /// reads neither).
    #[inline(always)]
    pub fn next(&mut self) -> Option<Event<'a>> {
        let xml = self.xml;
        let rest = &xml.as_bytes()[self.pos..];
        let (token, len) = match rest.first() {
            None => return Some(Event::Eof),
            Some(b'<') => match rest.get(1)? {
                b'!' => return None,
                b'?' => {
                    // As quick-xml: up to the first `?>`, the `?` of `<?` counting.
                    let end = memchr::memmem::find(&rest[1..], b"?>")? + 3;
                    if end <= 3 {
                        return None;
                    }
                    let content = xml.get(self.pos + 2..self.pos + end - 2)?;
                    (Event::PI(BytesPI::new(content)), end)
                }
                b'/' => {
                    // The end tag must name the open element exactly, then
                    // `>` (quick-xml also trims spaces and reads quotes: those
                    // go to it). Compared in place: no search.
                    let (from, to) = *self.open.last()?;
                    let len = to - from;
                    if !super::name_cache::same(rest.get(2..2 + len)?, &xml.as_bytes()[from..to])
                        || rest.get(2 + len) != Some(&b'>')
                    {
                        return None;
                    }
                    let name = xml.get(self.pos + 2..self.pos + 2 + len)?;
                    self.open.pop();
                    (Event::End(BytesEnd::new(name)), len + 3)
                }
                _ => {
                    let close = tag_end(&rest[1..])? + 1;
                    // `rest[1..close]` lies between ASCII bytes: a char boundary.
                    let content = xml.get(self.pos + 1..self.pos + close)?;
                    let (content, empty) = match content.strip_suffix('/') {
                        Some(c) => (c, true),
                        None => (content, false),
                    };
                    let name_len = content.bytes().position(is_space).unwrap_or(content.len());
                    if name_len == 0 {
                        return None;
                    }
                    let start = BytesStart::from_content(content, name_len);
                    if empty {
                        (Event::Empty(start), close + 1)
                    } else {
                        self.open.push((self.pos + 1, self.pos + 1 + name_len));
                        (Event::Start(start), close + 1)
                    }
                }
            },
            Some(b'&') => {
                let end = memchr::memchr3(b';', b'&', b'<', &rest[1..])?;
                if rest[1 + end] != b';' {
                    return None;
                }
                let name = xml.get(self.pos + 1..self.pos + 1 + end)?;
                (Event::GeneralRef(BytesRef::new(name)), end + 2)
            }
            Some(_) => {
                let len = memchr::memchr2(b'<', b'&', rest).unwrap_or(rest.len());
                let text = xml.get(self.pos..self.pos + len)?;
                (Event::Text(BytesText::from_escaped(text)), len)
            }
        };
        self.pos += len;
        Some(token)
    }
}

/// XML white space, the four characters allowed between names and
/// attributes.
pub(super) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// Whether the byte after a name found by a byte search ends the name of a
/// start tag (`<w:sectPr>`, `<w:sectPr/>`, `<w:sectPr w:rsidR="…">`), so
/// that `<w:sectPrChange>` is not taken for it.
pub(super) fn ends_start_name(after: Option<u8>) -> bool {
    after.is_some_and(|b| is_space(b) || b == b'>' || b == b'/')
}

/// Whether a start tag's attributes may declare a namespace (hold `xmlns`).
/// Most hold no `x` at all, and a byte search answers for them; the
/// substring searcher is built once (setting one up per element cost more
/// than the lookup itself).
#[inline]
pub(super) fn declares_namespace(attributes: &[u8]) -> bool {
    static XMLNS: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"xmlns"));
    find_byte(b'x', attributes).is_some() && XMLNS.find(attributes).is_some()
}

/// High bit of each byte of `v` that is zero (exact: no borrow runs from
/// one byte into the next).
#[inline(always)]
fn zero_bytes(v: u64) -> u64 {
    const HIGH: u64 = u64::from_le_bytes([0x80; 8]);
    !(((v & !HIGH).wrapping_add(!HIGH)) | v | !HIGH)
}

/// `v` with `b` in each of its bytes.
#[inline(always)]
fn splat(b: u8) -> u64 {
    u64::from_le_bytes([b; 8])
}

/// Index of the first `needle` in `bytes`, eight bytes at a time. For the
/// short spans inside a tag (a name, a value, the space before the next
/// child): there `memchr`'s call and set-up cost more than the search.
#[inline]
pub(super) fn find_byte(needle: u8, bytes: &[u8]) -> Option<usize> {
    let mut chunks = bytes.chunks_exact(8);
    for (k, chunk) in chunks.by_ref().enumerate() {
        let v = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        let hits = zero_bytes(v ^ splat(needle));
        if hits != 0 {
            return Some(k * 8 + hits.trailing_zeros() as usize / 8);
        }
    }
    let done = bytes.len() - chunks.remainder().len();
    (done..bytes.len()).find(|&i| bytes[i] == needle)
}

/// Index of the `>` that closes a start tag (quotes hide a `>`), in the
/// bytes after its `<`; as quick-xml's element parser. Eight bytes at a
/// time in a `u64`: tags are short and full of quotes, and a SIMD search
/// set up again after every quote cost 1.7x as much (bench corpus tags).
#[inline]
pub(super) fn tag_end(bytes: &[u8]) -> Option<usize> {
    let mut quote = None;
    // Whether the byte ends the tag; else steps the quote state.
    let mut at = |b: u8| match (quote, b) {
        (None, b'>') => true,
        (None, b'"' | b'\'') => {
            quote = Some(b);
            false
        }
        (Some(q), b) if q == b => {
            quote = None;
            false
        }
        _ => false,
    };
    let mut chunks = bytes.chunks_exact(8);
    for (k, chunk) in chunks.by_ref().enumerate() {
        let v = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        let mut hits = zero_bytes(v ^ splat(b'>'))
            | zero_bytes(v ^ splat(b'"'))
            | zero_bytes(v ^ splat(b'\''));
        while hits != 0 {
            let i = hits.trailing_zeros() as usize / 8;
            hits &= hits - 1;
            if at(chunk[i]) {
                return Some(k * 8 + i);
            }
        }
    }
    let done = bytes.len() - chunks.remainder().len();
    (done..bytes.len()).find(|&i| at(bytes[i]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use quick_xml::Reader;
    use quick_xml::events::Event;

    fn show(e: Event) -> String {
        match e {
            Event::Start(s) => format!("<{}|{}>", s.name().as_ref(), &*s),
            Event::Empty(s) => format!("<{}|{}/>", s.name().as_ref(), &*s),
            Event::End(e) => format!("</{}>", e.name().as_ref()),
            Event::Text(t) => format!("{:?}", t.xml10_content()),
            Event::GeneralRef(r) => format!("&{};", &*r),
            // Declarations and instructions: the pull layer reads neither.
            Event::Decl(_) | Event::PI(_) => "?".into(),
            e => format!("{e:?}"),
        }
    }

    /// The events of both tokenisers, as text, up to where the subset
    /// ends; and whether it reached the end of the part.
    fn both(xml: &str) -> (Vec<String>, Vec<String>, bool) {
        let mut fast = Tokens::new(xml.as_bytes()).unwrap();
        let mut mine = Vec::new();
        let mut whole = false;
        while let Some(e) = fast.next() {
            if e == Event::Eof {
                whole = true;
                break;
            }
            mine.push(show(e));
        }
        let mut reader = Reader::from_reader(xml.as_bytes());
        reader.config_mut().check_end_names = true;
        let theirs: Vec<String> = (0..mine.len())
            .map(|_| show(reader.read_event().unwrap()))
            .collect();
        assert_eq!(reader.buffer_position(), fast.position(), "{xml}");
        if whole {
            assert_eq!(reader.read_event().unwrap(), Event::Eof);
        }
        (mine, theirs, whole)
    }

    /// Every place of the byte in spans of up to 20 bytes, among bytes one
    /// off it: the first one found, as `position` finds it.
    #[test]
    fn find_byte_finds_the_first() {
        for len in 0..20 {
            for first in 0..=len {
                for second in first..=len {
                    let mut bytes = vec![b'=' ^ 1; len];
                    bytes.iter_mut().step_by(3).for_each(|b| *b = b'=' + 1);
                    for at in [first, second] {
                        if at < len {
                            bytes[at] = b'=';
                        }
                    }
                    let want = bytes.iter().position(|&b| b == b'=');
                    assert_eq!(find_byte(b'=', &bytes), want, "{bytes:?}");
                }
            }
        }
    }

    /// Every string of up to 8 of `a > " '` (the bytes the search tells
    /// apart), shifted across the 8-byte chunks: the same answer as reading
    /// byte by byte. Bytes one off a sought byte (`?`, `#`, `&`) are in the
    /// filler, where an inexact zero-byte test would see them.
    #[test]
    fn tag_end_reads_quotes_as_a_byte_loop_does() {
        fn by_byte(bytes: &[u8]) -> Option<usize> {
            let mut quote = None;
            for (i, &b) in bytes.iter().enumerate() {
                match (quote, b) {
                    (None, b'>') => return Some(i),
                    (None, b'"' | b'\'') => quote = Some(b),
                    (Some(q), b) if q == b => quote = None,
                    _ => {}
                }
            }
            None
        }
        let alphabet = [b'a', b'>', b'"', b'\''];
        let mut checked = 0;
        for len in 0..=8u32 {
            for code in 0..4usize.pow(len) {
                let word: Vec<u8> = (0..len)
                    .map(|k| alphabet[code / 4usize.pow(k) % 4])
                    .collect();
                for shift in 0..8 {
                    let mut bytes = b"x?#&=\"a\"".repeat(2)[..shift].to_vec();
                    bytes.extend(&word);
                    bytes.extend(b"?#&b");
                    assert_eq!(
                        tag_end(&bytes),
                        by_byte(&bytes),
                        "{:?}",
                        String::from_utf8_lossy(&bytes)
                    );
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 8 * (0..=8).map(|l| 4usize.pow(l)).sum::<usize>());
    }

    #[test]
    fn same_events_as_quick_xml() {
        let xml = "\u{feff}<?xml version=\"1.0\"?>\r\n<w:a x=\"1>2\" y='\"'><w:b/>t&amp;u&#x4E00;<c  d=\"e\" /></w:a>\n";
        let (mine, theirs, whole) = both(xml);
        assert!(whole);
        assert_eq!(mine, theirs);
        assert_eq!(mine.len(), 11);
    }

    /// Start tokenising `xml` and take events up to the first start of `name`.
    fn at<'a>(xml: &'a str, name: &str) -> Tokens<'a> {
        let mut t = Tokens::new(xml.as_bytes()).unwrap();
        while let Some(e) = t.next() {
            if matches!(&e, Event::Start(s) if s.name().as_ref() == name) {
                return t;
            }
        }
        panic!("no <{name}> in {xml}");
    }

    #[test]
    fn skips_a_subtree_to_its_own_end() {
        let xml = "<r><a><b><a>x</a><a/></b></a><c/></r>";
        let mut t = at(xml, "a");
        assert!(t.skip_open());
        assert_eq!(show(t.next().unwrap()), "</a>");
        assert_eq!(show(t.next().unwrap()), "<c|c/>");
        // After a failed search, nothing it covered is searched again: the
        // inner `a` could be skipped, but its bytes were searched already.
        let xml = "<r><a><a>x</a><?p?></a><a>y</a></r>";
        let mut t = at(xml, "a");
        assert!(!t.skip_open());
        assert_eq!(show(t.next().unwrap()), "<a|a>");
        assert!(!t.skip_open());
        for _ in 0..4 {
            t.next();
        }
        assert_eq!(show(t.next().unwrap()), "<a|a>");
        assert!(t.skip_open(), "past the failed search");
        // Content the tokeniser does not judge, or a section, is not skipped.
        for xml in [
            "<r><a><!-- </a> --></a></r>",
            "<r><a><w:sectPr/></a></r>",
            "<r><a><b>",
        ] {
            let mut t = at(xml, "a");
            let before = t.position();
            assert!(!t.skip_open(), "{xml}");
            assert_eq!(t.position(), before);
        }
    }

    #[test]
    fn each_name_skipped_finds_its_own_end_tag() {
        // Two names skipped in turn in one part, each twice: the searcher
        // kept for one name must never serve the other.
        let xml = "<r><a><b/></a><b><a/></b><a>x</a><b>y</b><c/></r>";
        let mut t = at(xml, "a");
        assert!(t.skip_open());
        assert_eq!(show(t.next().unwrap()), "</a>");
        assert_eq!(show(t.next().unwrap()), "<b|b>");
        assert!(t.skip_open());
        assert_eq!(show(t.next().unwrap()), "</b>");
        assert_eq!(show(t.next().unwrap()), "<a|a>");
        assert!(t.skip_open());
        assert_eq!(show(t.next().unwrap()), "</a>");
        assert_eq!(show(t.next().unwrap()), "<b|b>");
        assert!(t.skip_open());
        assert_eq!(show(t.next().unwrap()), "</b>");
        assert_eq!(show(t.next().unwrap()), "<c|c/>");
    }

    #[test]
    fn plain_children_are_empty_elements_of_the_same_prefix() {
        let allowed = |local: &[u8]| matches!(local, b"sz" | b"b");
        let xml = r#"<w:r><w:rPr> <w:sz w:val="28"/><w:b/> </w:rPr><w:t>x</w:t></w:r>"#;
        let mut t = at(xml, "w:rPr");
        assert_eq!(
            t.plain_children(allowed, None),
            Some((r#" <w:sz w:val="28"/><w:b/> "#, 2))
        );
        assert_eq!(show(t.next().unwrap()), "</w:rPr>");
        for xml in [
            r#"<w:rPr><w:i/></w:rPr>"#,                // not allowed
            r#"<w:rPr><x:sz/></w:rPr>"#,               // another prefix
            r#"<w:rPr><w:sz w:val="&#50;"/></w:rPr>"#, // an entity
            r#"<w:rPr><w:b xmlns:w="u"/></w:rPr>"#,    // a declaration
            r#"<w:rPr><w:sz></w:sz></w:rPr>"#,         // not empty
            r#"<w:rPr>t<w:b/></w:rPr>"#,               // text
            r#"<w:rPr><w:b/>"#,                        // no end
        ] {
            let mut t = at(xml, "w:rPr");
            assert_eq!(t.plain_children(allowed, None), None, "{xml}");
            assert_eq!(t.position(), 7, "{xml}");
        }
    }

    #[test]
    fn plain_children_may_hold_one_nested_element_of_plain_children() {
        let allowed = |local: &[u8]| local != b"sectPr";
        let run = |local: &[u8]| matches!(local, b"sz" | b"b");
        let nested = Some((b"rPr".as_slice(), run as Allowed));
        let xml = r#"<w:p><w:pPr><w:jc w:val="center"/> <w:rPr><w:b/><w:sz w:val="28"/></w:rPr><w:ind/></w:pPr><w:r/></w:p>"#;
        let mut t = at(xml, "w:pPr");
        assert_eq!(
            t.plain_children(allowed, nested),
            Some((
                r#"<w:jc w:val="center"/> <w:rPr><w:b/><w:sz w:val="28"/></w:rPr><w:ind/>"#,
                2
            ))
        );
        assert_eq!(show(t.next().unwrap()), "</w:pPr>");
        for xml in [
            r#"<w:pPr><w:rPr><w:i/></w:rPr></w:pPr>"#, // not allowed inside
            r#"<w:pPr><w:rPr w:x="1"><w:b/></w:rPr></w:pPr>"#, // not bare
            r#"<w:pPr><w:rPr><w:rPr><w:b/></w:rPr></w:rPr></w:pPr>"#, // nested twice
            r#"<w:pPr><w:numPr><w:b/></w:numPr></w:pPr>"#, // another name
            r#"<w:pPr><w:rPr><w:b/></w:pPr>"#,         // not closed
            r#"<w:pPr><w:rPr><w:b/></w:rPrX></w:pPr>"#, // wrong end
            r#"<w:pPr><w:sectPr/></w:pPr>"#,           // not allowed
        ] {
            let mut t = at(xml, "w:pPr");
            assert_eq!(t.plain_children(allowed, nested), None, "{xml}");
            assert_eq!(t.position(), 7, "{xml}");
        }
        // Without `nested`, no child may hold anything.
        let xml = r#"<w:pPr><w:rPr><w:b/></w:rPr></w:pPr>"#;
        assert_eq!(at(xml, "w:pPr").plain_children(allowed, None), None);
    }

    /// Content up to the first end tag of the open element's name, within
    /// the limit, without passing over it; for plain content, exactly what
    /// `plain_children` passes over.
    #[test]
    fn content_before_end_is_what_plain_children_passes_over() {
        let run = |local: &[u8]| matches!(local, b"sz" | b"b");
        let xml = r#"<w:r><w:rPr><w:b/> <w:sz w:val="28"/></w:rPr><w:t/></w:r>"#;
        let mut t = at(xml, "w:rPr");
        let content = r#"<w:b/> <w:sz w:val="28"/>"#;
        assert_eq!(t.content_before_end(64), Some((content, "w:rPr")));
        assert_eq!(t.position(), 12);
        assert_eq!(t.plain_children(run, None), Some((content, 2)));
        let mut t = at(xml, "w:rPr");
        t.pass_over(content);
        assert_eq!(show(t.next().unwrap()), "</w:rPr>");
        // Too long, no end tag, an end tag that only starts like it.
        assert_eq!(at(xml, "w:rPr").content_before_end(content.len() - 1), None);
        assert_eq!(
            at(xml, "w:rPr").content_before_end(content.len()),
            Some((content, "w:rPr"))
        );
        assert_eq!(at("<w:rPr><w:b/>", "w:rPr").content_before_end(64), None);
        let xml = "<w:rPr><w:b/></w:rPrX></w:rPr >";
        assert_eq!(at(xml, "w:rPr").content_before_end(64), None);
    }

    #[test]
    fn hands_over_what_it_does_not_judge() {
        for xml in [
            "<a><!-- c --></a>",
            "<a><![CDATA[x]]></a>",
            "<a></b>",
            "<a></a >",
            // End tags are matched in place against the open name.
            "<a></ab>",
            "<ab></a>",
            "<a></a",
            "<a>x & y</a>",
            "<a><",
            "<a x='>",
            "< a/>",
            "<?>",
        ] {
            let (mine, theirs, whole) = both(xml);
            assert!(!whole, "{xml}");
            assert_eq!(mine, theirs, "{xml}");
        }
        assert!(Tokens::new(b"<a>\xff</a>").is_none());
    }
}
