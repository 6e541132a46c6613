//! A small pull layer over quick-xml for the docx parts.
//!
//! It gives every element a canonical name (`w:p`, `wp:anchor`, `v:shape` …)
//! resolved through the namespace declarations, so files that bind unusual
//! prefixes read the same; turns `<a/>` into a start and an end; resolves the
//! five predefined entities and character references (any other entity is
//! skipped: a DOCTYPE is never expanded or fetched); and caps nesting depth.

use super::name_cache::NameCache;
use super::tokens::Tokens;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::{PrefixDeclaration, QName};
use std::borrow::Cow;
use std::hash::Hasher;
use std::rc::Rc;

/// Most namespace declarations in scope at once; more is not a Word file.
const MAX_BINDINGS: usize = 4096;

/// Name as written → canonical name, and whether it is Word 2003 XML.
type Names = NameCache<(Name, bool)>;

/// One namespace declaration in scope: the prefix (empty: the default
/// namespace), the prefix this reader uses for its URI (None: not one of
/// ours), and the depth of the element that declared it.
struct Binding {
    prefix: Box<str>,
    canonical: Option<&'static str>,
    /// Word 2003 XML: a few names and attributes differ (`wordml::rename`).
    word_2003: bool,
    depth: usize,
}

/// Defines [`Known`]: the canonical names the readers match on the hot
/// path, so that a match is an integer compare instead of a string one.
macro_rules! known_names {
    ($($variant:ident = $text:literal,)*) => {
        /// A canonical element name the readers match often. Every name
        /// here is always given as `Known` (never as its text), so
        /// comparing the ids is the same as comparing the names.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Known {
            $($variant,)*
        }

        impl Known {
            #[cfg(test)]
            pub const ALL: &[Known] = &[$(Known::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Known::$variant => $text,)*
                }
            }

            /// Once per distinct name per part (names are cached): a match
            /// on strings is fast enough.
            fn from_str(text: &str) -> Option<Known> {
                match text {
                    $($text => Some(Known::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

known_names! {
    AlternateContent = "mc:AlternateContent",
    Choice = "mc:Choice",
    Fallback = "mc:Fallback",
    P = "w:p",
    PPr = "w:pPr",
    R = "w:r",
    RPr = "w:rPr",
    T = "w:t",
    Sz = "w:sz",
    SzCs = "w:szCs",
    Vanish = "w:vanish",
    Tab = "w:tab",
    PTab = "w:ptab",
    Cr = "w:cr",
    NoBreakHyphen = "w:noBreakHyphen",
    Sym = "w:sym",
    Br = "w:br",
    FldChar = "w:fldChar",
    InstrText = "w:instrText",
    Tbl = "w:tbl",
    TblPr = "w:tblPr",
    TblGrid = "w:tblGrid",
    GridCol = "w:gridCol",
    Tr = "w:tr",
    TrPr = "w:trPr",
    GridBefore = "w:gridBefore",
    TrHeight = "w:trHeight",
    Tc = "w:tc",
    TcPr = "w:tcPr",
    TcW = "w:tcW",
    GridSpan = "w:gridSpan",
    VMerge = "w:vMerge",
    TxbxContent = "w:txbxContent",
    Del = "w:del",
    MoveFrom = "w:moveFrom",
    Rt = "w:rt",
    SectPr = "w:sectPr",
    RFonts = "w:rFonts",
    Lang = "w:lang",
    Color = "w:color",
    B = "w:b",
    BCs = "w:bCs",
    Spacing = "w:spacing",
    Jc = "w:jc",
    Ind = "w:ind",
    PStyle = "w:pStyle",
    PageBreakBefore = "w:pageBreakBefore",
    SnapToGrid = "w:snapToGrid",
    NumId = "w:numId",
    Ilvl = "w:ilvl",
    RStyle = "w:rStyle",
    Kern = "w:kern",
    PosOffset = "wp:posOffset",
    Align = "wp:align",
}

impl Known {
    /// The known WordprocessingML name `w:{local}`, from its local name (a
    /// child found by a byte scan under a `w:` element, see
    /// [`Pull::plain_children`]), without making the string.
    pub fn of_w(local: &str) -> Option<Known> {
        let mut buf = [0u8; 32];
        let name = buf.get_mut(..local.len() + 2)?;
        name[..2].copy_from_slice(b"w:");
        name[2..].copy_from_slice(local.as_bytes());
        Known::from_str(std::str::from_utf8(name).ok()?)
    }

    /// Whether the drawing reader (`Drawings`) reads this element. Every
    /// other known name is a WordprocessingML (or `mc:`) name that it
    /// neither starts, ends nor places, so the body pass need not offer it
    /// (most elements are such names: offering each cost string compares
    /// against every drawing name).
    pub fn is_drawing(self) -> bool {
        matches!(self, Known::PosOffset | Known::Align)
    }
}

/// A canonical element name (`w:p`). A [`Known`] name is a small integer;
/// any other is interned per part (a reference count, not an allocation).
#[derive(Debug, Clone)]
pub struct Name(Repr);

#[derive(Debug, Clone)]
enum Repr {
    Known(Known),
    Other(Rc<str>),
}

impl Name {
    fn new(text: &str) -> Self {
        Name(match Known::from_str(text) {
            Some(k) => Repr::Known(k),
            None => Repr::Other(Rc::from(text)),
        })
    }

    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Known(k) => k.as_str(),
            Repr::Other(s) => s,
        }
    }

    /// The name's id when it is one the readers match often.
    #[inline]
    pub fn known(&self) -> Option<Known> {
        match self.0 {
            Repr::Known(k) => Some(k),
            Repr::Other(_) => None,
        }
    }

    /// Same as `*self == k.as_str()`, without the string compare.
    #[inline]
    pub fn is(&self, k: Known) -> bool {
        self.known() == Some(k)
    }
}

impl PartialEq for Name {
    fn eq(&self, other: &Name) -> bool {
        match (&self.0, &other.0) {
            (Repr::Known(a), Repr::Known(b)) => a == b,
            _ => self.as_str() == other.as_str(),
        }
    }
}

impl Eq for Name {}

impl std::hash::Hash for Name {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl std::ops::Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One element's start: canonical name and its attributes, read from the
/// part's bytes only when asked for.
#[derive(Debug, Clone)]
pub struct Start<'a> {
    pub name: Name,
    raw: BytesStart<'a>,
    /// Values with entities, resolved once (rare: most values hold none).
    resolved: Option<Vec<(String, String)>>,
}

impl<'a> Start<'a> {
    /// Attribute value by local name (`w:val` → `val`), entities resolved.
    pub fn attr(&self, local: &str) -> Option<&str> {
        if let Some(all) = &self.resolved {
            return all
                .iter()
                .find(|(k, _)| k == local)
                .map(|(_, v)| v.as_str());
        }
        if let Some(found) = plain_attr(self.raw.attributes_raw(), local) {
            return found;
        }
        let mut it = self.raw.attributes();
        it.with_checks(false);
        for a in it.flatten() {
            if a.key.local_name().as_ref() == local {
                return match a.value {
                    // Borrowed from the part: lives as long as `self`.
                    Cow::Borrowed(v) => Some(v),
                    Cow::Owned(_) => None,
                };
            }
        }
        None
    }

    /// Several attributes by local name, read in one pass when they are
    /// plain (an element with many looked up, such as `w:spacing`).
    pub fn attrs<const N: usize>(&self, locals: [&str; N]) -> [Option<&str>; N] {
        if self.resolved.is_none()
            && let Some(found) = plain_attrs(self.raw.attributes_raw(), locals)
        {
            return found;
        }
        locals.map(|local| self.attr(local))
    }

    /// Integer attribute by local name.
    pub fn attr_i64(&self, local: &str) -> Option<i64> {
        self.attr(local).and_then(parse_i64)
    }
}

/// The value of the attribute whose local name is `local` (the part after
/// the first `:`), as written, when the attributes are all plain
/// `name="value"` pairs (`'` quotes too) apart by white space, as Word writes
/// them: `Some(None)` when none has that name. `None` for anything else,
/// which quick-xml's attribute reader then judges: its general iterator cost
/// more than the rest of the lookup.
fn plain_attr<'r>(raw: &'r str, local: &str) -> Option<Option<&'r str>> {
    plain_attrs(raw, [local]).map(|[value]| value)
}

/// [`plain_attr`] for several names in one scan: the first value of each.
fn plain_attrs<'r, const N: usize>(
    raw: &'r str,
    locals: [&str; N],
) -> Option<[Option<&'r str>; N]> {
    let b = raw.as_bytes();
    let space = super::tokens::is_space;
    let mut found = [None; N];
    let mut missing = N;
    let mut i = 0;
    loop {
        while i < b.len() && space(b[i]) {
            i += 1;
        }
        if i == b.len() || missing == 0 {
            return Some(found);
        }
        let name_from = i;
        while i < b.len() && b[i] != b'=' && !space(b[i]) {
            i += 1;
        }
        let quote = *b.get(i + 1)?;
        if b.get(i) != Some(&b'=') || !matches!(quote, b'"' | b'\'') || i == name_from {
            return None;
        }
        let name = &raw[name_from..i];
        let value_from = i + 2;
        let len = super::tokens::find_byte(quote, &b[value_from..])?;
        let key = match super::tokens::find_byte(b':', name.as_bytes()) {
            Some(colon) => &name[colon + 1..],
            None => name,
        };
        for (slot, local) in found.iter_mut().zip(locals) {
            if slot.is_none() && super::name_cache::same(key.as_bytes(), local.as_bytes()) {
                *slot = Some(&raw[value_from..value_from + len]);
                missing -= 1;
            }
        }
        i = value_from + len + 1;
        // Attributes must be apart: `a="1"b="2"` goes to quick-xml.
        if i < b.len() && !space(b[i]) {
            return None;
        }
    }
}

/// The children found by [`Pull::plain_children`], in order.
pub struct PlainChildren<'a> {
    inner: &'a str,
    /// Bytes of the written prefix and its `:`, the same for every child.
    prefix_len: usize,
    /// Within a nested element (`w:rPr` in a `w:pPr`).
    inside: bool,
}

/// One plain empty child element.
pub struct PlainChild<'a> {
    /// Local name (`sz`).
    pub local: &'a str,
    /// It sits in the nested element, not straight in the element read.
    pub nested: bool,
    /// The tag between `<` and `/>`.
    content: &'a str,
    /// Bytes of its written name.
    name_len: usize,
}

impl<'a> PlainChild<'a> {
    /// The child as a start, under its canonical name.
    pub fn start(&self, name: Known) -> Start<'a> {
        Start {
            name: Name(Repr::Known(name)),
            raw: BytesStart::from_content(self.content, self.name_len),
            resolved: None,
        }
    }
}

impl<'a> PlainChildren<'a> {
    /// The content passed over, children not yet taken (all of it before
    /// the first).
    pub fn content(&self) -> &'a str {
        self.inner
    }
}

impl<'a> Iterator for PlainChildren<'a> {
    type Item = PlainChild<'a>;

    fn next(&mut self) -> Option<PlainChild<'a>> {
        // Checked by the tokeniser: white space, then `<prefix:local …/>`,
        // or the nested element's bare start or end tag.
        loop {
            let bytes = self.inner.as_bytes();
            let from = super::tokens::find_byte(b'<', bytes)?;
            let close = from + 1 + super::tokens::tag_end(&bytes[from + 1..])?;
            if bytes[from + 1] == b'/' || bytes[close - 1] != b'/' {
                self.inside = bytes[from + 1] != b'/';
                self.inner = &self.inner[close + 1..];
                continue;
            }
            let content = &self.inner[from + 1..close - 1];
            self.inner = &self.inner[close + 1..];
            let local_len = content.as_bytes()[self.prefix_len..]
                .iter()
                .position(|&b| super::tokens::is_space(b))
                .unwrap_or(content.len() - self.prefix_len);
            let name_len = self.prefix_len + local_len;
            return Some(PlainChild {
                local: &content[self.prefix_len..name_len],
                nested: self.inside,
                content,
                name_len,
            });
        }
    }
}

/// Parse an OOXML integer; tolerates a trailing unit-free decimal (`12.0`).
pub fn parse_i64(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(v) = s.parse::<i64>() {
        return Some(v);
    }
    s.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && v.abs() < 9.0e15)
        .map(|v| v.round() as i64)
}

#[derive(Debug)]
pub enum Ev<'a> {
    Start(Start<'a>),
    End(Name),
    /// Borrowed from the part unless an entity or a line end was rewritten.
    Text(Cow<'a, str>),
    Eof,
}

/// Why the pass stopped early.
#[derive(Debug, Clone, PartialEq)]
pub enum Stop {
    /// Malformed or truncated XML.
    Malformed(String),
    /// Nesting deeper than the cap.
    TooDeep(usize),
}

/// Where the events come from: the plain subset of XML that Word writes is
/// tokenised by [`Tokens`]; the rest by quick-xml.
enum Source<'a> {
    Fast(Tokens<'a>),
    Full(Reader<&'a [u8]>),
}

pub struct Pull<'a> {
    bytes: &'a [u8],
    source: Source<'a>,
    /// End to deliver after an empty element's start.
    pending_end: Option<Name>,
    /// Canonical names of the open elements, innermost last.
    open: Vec<Name>,
    max_depth: usize,
    /// A root element has started (an empty part is malformed, not empty text).
    seen_root: bool,
    /// The element last started is Word 2003 XML (its names may be renamed).
    top_2003: bool,
    /// Namespace declarations in scope, outermost first.
    bindings: Vec<Binding>,
    /// Element name as written → canonical name, under the bindings in
    /// scope (cleared when they change, which in Word files is only at
    /// the root: so namespaces are mapped once per part).
    names: Names,
}

impl<'a> Pull<'a> {
    pub fn new(bytes: &'a [u8], max_depth: usize) -> Self {
        let source = match Tokens::new(bytes) {
            Some(tokens) => Source::Fast(tokens),
            None => Source::Full(full_reader(bytes)),
        };
        Self::with(bytes, source, max_depth)
    }

    /// A part already known to be UTF-8 (a slice of one checked whole: its
    /// UTF-8 is not checked again).
    pub fn from_str(xml: &'a str, max_depth: usize) -> Self {
        Self::with(
            xml.as_bytes(),
            Source::Fast(Tokens::from_str(xml)),
            max_depth,
        )
    }

    fn with(bytes: &'a [u8], source: Source<'a>, max_depth: usize) -> Self {
        Pull {
            bytes,
            source,
            pending_end: None,
            open: Vec::new(),
            max_depth,
            seen_root: false,
            top_2003: false,
            bindings: Vec::new(),
            names: Names::default(),
        }
    }

    /// Pass over the rest of the element just started, whose events the
    /// caller would ignore: its end is the next event. Done by a byte search
    /// where the fast tokeniser can vouch for the content (see
    /// [`Tokens::skip_open`]); otherwise nothing happens and the events come
    /// as usual, so the caller must still be ready to ignore them.
    pub fn skip_subtree(&mut self) {
        if self.pending_end.is_some() {
            return;
        }
        if let Source::Fast(tokens) = &mut self.source {
            tokens.skip_open();
        }
    }

    /// The children of the element just started when they are all plain
    /// empty elements named in `allowed` (local names), written with the
    /// element's own prefix (so their canonical names share its prefix):
    /// the pull passes over them, and the element's end is the next event.
    /// With `nested`, children of that local name may hold such elements
    /// named in its own `allowed` (each given with `nested` set). `None`,
    /// with nothing passed over, for anything else (see
    /// [`Tokens::plain_children`]); then the children come as events.
    ///
    /// Run and paragraph properties are read this way: of a run's dozen
    /// property elements the body pass reads two, and giving each as
    /// events cost more than the rest of the pass.
    pub fn plain_children(
        &mut self,
        allowed: super::tokens::Allowed,
        nested: Option<(&[u8], super::tokens::Allowed)>,
    ) -> Option<PlainChildren<'a>> {
        if !self.may_read_plain(nested.is_some()) {
            return None;
        }
        let Source::Fast(tokens) = &mut self.source else {
            return None;
        };
        tokens
            .plain_children(allowed, nested)
            .map(|(inner, prefix_len)| PlainChildren {
                inner,
                prefix_len,
                inside: false,
            })
    }

    /// What [`Pull::plain_children`] (with a nested element or not) would
    /// pass over if the innermost element's content is plain, when it
    /// could be asked and the content is at most `max` bytes: the content
    /// up to the first end tag of the element's name, and the element's
    /// written name (see [`Tokens::content_before_end`]). Nothing is passed
    /// over.
    ///
    /// [`Tokens::content_before_end`]: super::tokens::Tokens::content_before_end
    pub fn plain_content(&self, nested: bool, max: usize) -> Option<(&'a str, &'a str)> {
        if !self.may_read_plain(nested) {
            return None;
        }
        let Source::Fast(tokens) = &self.source else {
            return None;
        };
        tokens.content_before_end(max)
    }

    /// Whether the innermost element's children may be read plain: it is
    /// not empty, not Word 2003 XML (whose names may be renamed), and they
    /// are within the depth cap, which counts a nested element's children
    /// too.
    fn may_read_plain(&self, nested: bool) -> bool {
        let depth = self.open.len() + usize::from(nested);
        self.pending_end.is_none() && !self.top_2003 && depth < self.max_depth
    }

    /// Pass over content [`Pull::plain_content`] just gave, which
    /// [`Pull::plain_children`] found plain before, byte for byte.
    pub fn pass_over(&mut self, content: &str) {
        if let Source::Fast(tokens) = &mut self.source {
            tokens.pass_over(content);
        }
    }

    /// Names of the open elements, outermost first.
    pub fn open(&self) -> &[Name] {
        &self.open
    }

    /// Bytes of the part read so far.
    pub fn position(&self) -> u64 {
        match &self.source {
            Source::Fast(tokens) => tokens.position(),
            Source::Full(reader) => reader.buffer_position(),
        }
    }

    /// The next raw event: from the fast tokeniser while it can, then from
    /// quick-xml. Inlined (as is the tokeniser): an event returned through
    /// memory cost a store-forwarding stall per token.
    #[inline(always)]
    fn read_event(&mut self) -> Result<Event<'a>, Stop> {
        if let Source::Fast(tokens) = &mut self.source {
            if let Some(event) = tokens.next() {
                return Ok(event);
            }
            self.hand_over()?;
        }
        match &mut self.source {
            Source::Full(reader) => reader.read_event().map_err(|e| malformed(reader, e)),
            // Replaced by `hand_over`.
            Source::Fast(_) => Ok(Event::Eof),
        }
    }

    /// The fast tokeniser stopped: quick-xml reads the part from the start
    /// up to where the tokeniser stopped (the same events, and any subtree
    /// the tokeniser passed over) and goes on.
    #[cold]
    fn hand_over(&mut self) -> Result<(), Stop> {
        let pos = match &self.source {
            Source::Fast(tokens) => tokens.position(),
            Source::Full(_) => return Ok(()),
        };
        let mut reader = full_reader(self.bytes);
        while reader.buffer_position() < pos {
            reader.read_event().map_err(|e| malformed(&reader, e))?;
        }
        self.source = Source::Full(reader);
        Ok(())
    }

    /// The next event. After `Err` or `Ev::Eof` the caller must stop.
    /// Inlined into its callers, like the tokeniser: returned through
    /// memory, each event (some 80 bytes) cost the body pass ~6 % of
    /// reading.
    #[inline(always)]
    pub fn next(&mut self) -> Result<Ev<'a>, Stop> {
        if let Some(name) = self.pending_end.take() {
            self.open.pop();
            self.leave();
            return Ok(Ev::End(name));
        }
        loop {
            let event = self.read_event()?;
            match event {
                Event::Start(_) | Event::Empty(_) if self.open.len() >= self.max_depth => {
                    return Err(Stop::TooDeep(self.max_depth));
                }
                Event::Start(e) => {
                    self.seen_root = true;
                    let name = self.enter(&e)?;
                    self.top_2003 = name.1;
                    self.open.push(name.0.clone());
                    return Ok(Ev::Start(start(name, e)));
                }
                Event::Empty(e) => {
                    self.seen_root = true;
                    let name = self.enter(&e)?;
                    self.open.push(name.0.clone());
                    self.pending_end = Some(name.0.clone());
                    return Ok(Ev::Start(start(name, e)));
                }
                Event::End(_) => {
                    // check_end_names guarantees the end matches the open start.
                    let name = self.open.pop();
                    self.leave();
                    return Ok(Ev::End(name.unwrap_or_else(|| Name::new(""))));
                }
                Event::Text(t) => {
                    let s = t.xml10_content();
                    if !s.is_empty() {
                        return Ok(Ev::Text(s));
                    }
                }
                Event::CData(t) => {
                    let s = t.xml10_content();
                    if !s.is_empty() {
                        return Ok(Ev::Text(s));
                    }
                }
                Event::GeneralRef(r) => {
                    let name = r.into_inner();
                    if let Some(c) = resolve_entity(&name) {
                        return Ok(Ev::Text(Cow::Owned(c.to_string())));
                    }
                    // Unknown entity: skipped, never expanded.
                }
                Event::Eof if !self.open.is_empty() => {
                    return Err(Stop::Malformed("XML 在文件末尾被截断".into()));
                }
                Event::Eof if !self.seen_root => {
                    return Err(Stop::Malformed("XML 为空或没有根元素".into()));
                }
                Event::Eof => return Ok(Ev::Eof),
                // DOCTYPE, comments, PIs, declarations carry no text for us.
                _ => {}
            }
        }
    }
}

impl Pull<'_> {
    /// An element starts at depth `open.len() + 1`: take in its namespace
    /// declarations and give its canonical name — the prefix this reader
    /// uses for its namespace, or the prefix as written when the namespace
    /// is unbound or not one of ours.
    fn enter(&mut self, e: &BytesStart) -> Result<(Name, bool), Stop> {
        if super::tokens::declares_namespace(e.attributes_raw().as_bytes()) {
            let depth = self.open.len() + 1;
            let mut it = e.attributes();
            it.with_checks(false);
            for a in it.flatten() {
                let prefix = match a.key.as_namespace_binding() {
                    Some(PrefixDeclaration::Default) => "",
                    Some(PrefixDeclaration::Named(p)) => p,
                    None => continue,
                };
                let uri: &str = &a.value;
                if prefix == "xmlns" || uri == "http://www.w3.org/2000/xmlns/" {
                    return Err(Stop::Malformed(format!(
                        "XML 在字节 {} 处损坏（命名空间声明无效：{prefix}）",
                        self.position()
                    )));
                }
                if self.bindings.len() >= MAX_BINDINGS {
                    return Err(Stop::Malformed(format!(
                        "XML 在字节 {} 处损坏（命名空间声明超过 {MAX_BINDINGS} 个）",
                        self.position()
                    )));
                }
                let canonical = canonical_prefix(uri);
                let word_2003 = is_wordml_2003(uri);
                // Word declares `a` on every drawing (`<a:graphic xmlns:a=…>`),
                // often without binding it at the root: a declaration that
                // changes no canonical name is not kept, so the name cache
                // survives it. Names only depend on the prefix they get
                // (the canonical one, else the prefix as written), so an
                // unbound `a` and `a` bound to DrawingML name alike.
                let current = self
                    .bindings
                    .iter()
                    .rev()
                    .find(|b| &*b.prefix == prefix)
                    .map_or((prefix, false), |b| {
                        (b.canonical.unwrap_or(prefix), b.word_2003)
                    });
                if current == (canonical.unwrap_or(prefix), word_2003) {
                    continue;
                }
                self.bindings.push(Binding {
                    prefix: prefix.into(),
                    canonical,
                    word_2003,
                    depth,
                });
                self.names.clear();
            }
        }
        let written = e.name();
        let bytes = written.into_inner().as_bytes();
        if let Some(n) = self.names.get(bytes) {
            return Ok(n.clone());
        }
        let name = self.canonical(written);
        self.names.insert(bytes, name.clone());
        Ok(name)
    }

    fn canonical(&self, written: QName) -> (Name, bool) {
        let prefix = written.prefix().map(|p| p.into_inner()).unwrap_or("");
        let (canonical, word_2003) = self
            .bindings
            .iter()
            .rev()
            .find(|b| &*b.prefix == prefix)
            .map_or((None, false), |b| (b.canonical, b.word_2003));
        let local = written.local_name().into_inner();
        let renamed;
        let local = if word_2003 {
            renamed = super::wordml::rename(local.to_string(), &mut []);
            renamed.as_str()
        } else {
            local
        };
        let name = match (canonical, prefix) {
            (Some(p), _) => format!("{p}:{local}"),
            (None, "") => local.to_string(),
            (None, p) => format!("{p}:{local}"),
        };
        (Name::new(&name), word_2003)
    }

    /// An element ended: its declarations go out of scope.
    fn leave(&mut self) {
        let depth = self.open.len();
        let before = self.bindings.len();
        while self.bindings.last().is_some_and(|b| b.depth > depth) {
            self.bindings.pop();
        }
        if self.bindings.len() != before {
            self.names.clear();
        }
    }
}

fn full_reader(bytes: &[u8]) -> Reader<&[u8]> {
    let mut reader = Reader::from_reader(bytes);
    let cfg = reader.config_mut();
    cfg.trim_text(false);
    cfg.check_end_names = true;
    cfg.expand_empty_elements = false;
    reader
}

fn malformed(reader: &Reader<&[u8]>, e: quick_xml::Error) -> Stop {
    let pos = reader.error_position();
    Stop::Malformed(format!("XML 在字节 {pos} 处损坏（{e}）"))
}

fn start<'a>((name, word_2003): (Name, bool), raw: BytesStart<'a>) -> Start<'a> {
    // Values are borrowed from the part unless one holds an entity (or the
    // element is Word 2003 XML, whose attributes may be renamed): then all
    // are resolved once, here.
    let resolved = (word_2003
        || super::tokens::find_byte(b'&', raw.attributes_raw().as_bytes()).is_some())
    .then(|| {
        let mut it = raw.attributes();
        it.with_checks(false);
        let mut attrs: Vec<(String, String)> = it
            .flatten()
            .map(|a| {
                let key = a.key.local_name().as_ref().to_string();
                (key, unescape(&a.value))
            })
            .collect();
        if word_2003 {
            super::wordml::rename(raw.local_name().as_ref().to_string(), &mut attrs);
        }
        attrs
    });
    Start {
        name,
        raw,
        resolved,
    }
}

fn is_wordml_2003(uri: &str) -> bool {
    uri == "http://schemas.microsoft.com/office/word/2003/wordml"
}

/// Namespace URI → the prefix this reader uses for it.
fn canonical_prefix(uri: &str) -> Option<&'static str> {
    Some(match uri {
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
        | "http://purl.oclc.org/ooxml/wordprocessingml/main" => "w",
        "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
        | "http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing" => "wp",
        "http://schemas.openxmlformats.org/drawingml/2006/main"
        | "http://purl.oclc.org/ooxml/drawingml/main" => "a",
        "http://schemas.openxmlformats.org/drawingml/2006/picture"
        | "http://purl.oclc.org/ooxml/drawingml/picture" => "pic",
        "http://schemas.microsoft.com/office/word/2010/wordprocessingShape" => "wps",
        "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup" => "wpg",
        "http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas" => "wpc",
        "http://schemas.openxmlformats.org/markup-compatibility/2006" => "mc",
        "urn:schemas-microsoft-com:vml" => "v",
        "urn:schemas-microsoft-com:office:office" => "o",
        // Word 2003 XML (`w:wordDocument`): read with the same element names,
        // the few that differ are renamed by `wordml::rename`.
        "http://schemas.microsoft.com/office/word/2003/wordml" => "w",
        "http://schemas.microsoft.com/office/word/2003/auxHint" => "wx",
        // OpenDocument (.odt content.xml and styles.xml).
        "urn:oasis:names:tc:opendocument:xmlns:office:1.0" => "office",
        "urn:oasis:names:tc:opendocument:xmlns:text:1.0" => "text",
        "urn:oasis:names:tc:opendocument:xmlns:table:1.0" => "table",
        "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" => "draw",
        "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" => "svg",
        "urn:oasis:names:tc:opendocument:xmlns:style:1.0" => "style",
        "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" => "fo",
        _ => return None,
    })
}

fn resolve_entity(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix('x').or_else(|| num.strip_prefix('X')) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse::<u32>().ok()?,
            };
            char::from_u32(code).filter(|&c| c != '\0')
        }
    }
}

/// Resolve `&…;` in an attribute value; unknown entities are dropped.
fn unescape(raw: &str) -> String {
    if !raw.contains('&') {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        match after.find(';') {
            Some(j) if j <= 12 => {
                if let Some(c) = resolve_entity(&after[..j]) {
                    out.push(c);
                }
                rest = &after[j + 1..];
            }
            _ => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(xml: &str) -> Vec<String> {
        let mut p = Pull::new(xml.as_bytes(), 64);
        let mut out = Vec::new();
        loop {
            match p.next() {
                Ok(Ev::Start(s)) => out.push(format!("<{}>", s.name)),
                Ok(Ev::End(n)) => out.push(format!("</{n}>")),
                Ok(Ev::Text(t)) => out.push(t.into_owned()),
                Ok(Ev::Eof) => break,
                Err(e) => {
                    out.push(format!("{e:?}"));
                    break;
                }
            }
        }
        out
    }

    #[test]
    fn canonical_names_and_entities() {
        let xml = r#"<x:document xmlns:x="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><x:t>a&amp;b&#x4E00;&bogus;</x:t><x:br/></x:document>"#;
        assert_eq!(
            collect(xml),
            [
                "<w:document>",
                "<w:t>",
                "a",
                "&",
                "b",
                "一",
                "</w:t>",
                "<w:br>",
                "</w:br>",
                "</w:document>"
            ]
        );
    }

    #[test]
    fn known_names_are_canonical() {
        for &k in Known::ALL {
            assert_eq!(Known::from_str(k.as_str()), Some(k));
            assert!(Name::new(k.as_str()).is(k));
            // Drawings reads `w:pict`, `w:object` and the drawing
            // namespaces: no other known name may be one of those.
            if !k.is_drawing() {
                let name = k.as_str();
                assert!(name.starts_with("w:") || name.starts_with("mc:"), "{name}");
                assert!(!matches!(name, "w:pict" | "w:object"), "{name}");
            }
            // A `w:` name is found again from its local name.
            if let Some(local) = k.as_str().strip_prefix("w:") {
                assert_eq!(Known::of_w(local), Some(k), "{local}");
            }
        }
        for local in [
            "",
            "notAName",
            "pPrChangeWithAVeryLongLocalName",
            "mc:Choice",
        ] {
            assert_eq!(Known::of_w(local), None, "{local}");
        }
    }

    #[test]
    fn plain_attributes_are_read_by_local_name() {
        let raw = r#" w:val="28" w:ascii='黑体'  x="a>b""#;
        assert_eq!(plain_attr(raw, "val"), Some(Some("28")));
        assert_eq!(plain_attr(raw, "ascii"), Some(Some("黑体")));
        assert_eq!(plain_attr(raw, "x"), Some(Some("a>b")));
        assert_eq!(plain_attr(raw, "w"), Some(None));
        assert_eq!(plain_attr("", "val"), Some(None));
        assert_eq!(
            plain_attrs(raw, ["x", "val", "no"]),
            Some([Some("a>b"), Some("28"), None])
        );
        assert_eq!(plain_attrs(r#" a="1" a="2""#, ["a"]), Some([Some("1")]));
        // Not plain: left to quick-xml.
        for odd in [r#" a = "1""#, r#" a="1"b="2""#, r#" a=1"#, r#" a="1"#, " a"] {
            assert_eq!(plain_attr(odd, "b"), None, "{odd}");
        }
    }

    #[test]
    fn plain_children_are_named_under_the_written_prefix() {
        let xml = r#"<ww:r xmlns:ww="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><ww:rPr><ww:b/><ww:sz ww:val="30"/></ww:rPr></ww:r>"#;
        let mut p = Pull::new(xml.as_bytes(), 64);
        let mut seen = Vec::new();
        while let Ok(ev) = p.next() {
            match ev {
                Ev::Start(s) if s.name.is(Known::RPr) => {
                    let children = p.plain_children(|_| true, None).expect("plain");
                    for c in children {
                        seen.push(format!("{}={:?}", c.local, c.start(Known::Sz).attr("val")));
                    }
                }
                Ev::End(n) => seen.push(format!("/{n}")),
                Ev::Eof => break,
                _ => {}
            }
        }
        assert_eq!(seen, ["b=None", "sz=Some(\"30\")", "/w:rPr", "/w:r"]);
    }

    #[test]
    fn attribute_entities_resolved() {
        assert_eq!(unescape("a&lt;b&unknown;c&#49;"), "a<bc1");
        assert_eq!(unescape("R&D"), "R&D");
    }

    #[test]
    fn depth_cap_stops() {
        let xml = "<a>".repeat(100);
        let out = collect(&xml);
        assert_eq!(out.last().map(String::as_str), Some("TooDeep(64)"));
    }
}
