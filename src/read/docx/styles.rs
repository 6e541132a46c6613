//! The few paragraph properties the reader needs, from direct formatting,
//! paragraph styles (`w:basedOn` chains) and `w:docDefaults`.

use super::xml::{Ev, Known, Pull, Start, Stop, parse_i64};
use std::collections::HashMap;

/// How `w:spacing w:line` is read (`w:lineRule`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LineRule {
    /// Twips, exactly.
    Exact,
    /// Twips, at least the line's natural height.
    AtLeast,
    /// 240ths of a line (`auto`, or any other value).
    Multiple,
}

/// Paragraph properties that matter for numbering, pages and height estimates.
/// `None` means "not said here": the value comes from the style chain.
/// Copied per paragraph (the style chain folded into direct formatting):
/// plain values, no allocation.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Props {
    pub num_id: Option<i64>,
    pub ilvl: Option<i64>,
    pub page_break_before: Option<bool>,
    /// Twips.
    pub before: Option<i64>,
    /// Twips.
    pub after: Option<i64>,
    /// `w:spacing w:line` (240ths of a line for `auto`, else twips).
    pub line: Option<i64>,
    pub line_rule: Option<LineRule>,
    /// Font size in half-points.
    pub size: Option<i64>,
    /// `w:snapToGrid`: `false` frees the paragraph from the document grid.
    pub snap_to_grid: Option<bool>,
}

impl Props {
    /// Fill every unset field from `base`.
    pub fn or(mut self, base: &Props) -> Props {
        self.num_id = self.num_id.or(base.num_id);
        self.ilvl = self.ilvl.or(base.ilvl);
        self.page_break_before = self.page_break_before.or(base.page_break_before);
        self.before = self.before.or(base.before);
        self.after = self.after.or(base.after);
        if self.line.is_none() {
            self.line = base.line;
            self.line_rule = base.line_rule;
        }
        self.size = self.size.or(base.size);
        self.snap_to_grid = self.snap_to_grid.or(base.snap_to_grid);
        self
    }

    /// Record one property element. `in_rpr`: the element sits in a `w:rPr`
    /// (only the font size is taken from there). Matched by [`Known`] id
    /// only, so the body pass's byte scan, which names plain children by
    /// [`Known::of_w`], offers every property read here.
    pub fn apply(&mut self, s: &Start, in_rpr: bool) {
        if let Some(setting) = Setting::read(s, in_rpr) {
            self.set(setting);
        }
    }

    /// What [`Props::apply`] does with the element the setting was read from.
    pub fn set(&mut self, setting: Setting) {
        match setting {
            Setting::Size(v) => self.size = v,
            Setting::NumId(v) => self.num_id = v,
            Setting::Ilvl(v) => self.ilvl = v,
            Setting::PageBreakBefore(v) => self.page_break_before = Some(v),
            Setting::SnapToGrid(v) => self.snap_to_grid = Some(v),
            Setting::Spacing {
                before,
                after,
                line,
            } => {
                if before.is_some() {
                    self.before = before;
                }
                if after.is_some() {
                    self.after = after;
                }
                if let Some((line, rule)) = line {
                    self.line = Some(line);
                    self.line_rule = rule;
                }
            }
        }
    }
}

/// One property element as it changes [`Props`], read from its attributes
/// once: a body part repeats the same few property elements thousands of
/// times, and the pass keeps what each distinct one does (see
/// `body::Effect`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Setting {
    /// `w:sz` of a style's or paragraph mark's run properties.
    Size(Option<i64>),
    NumId(Option<i64>),
    Ilvl(Option<i64>),
    PageBreakBefore(bool),
    SnapToGrid(bool),
    /// `w:spacing`: only what it gives replaces what is set.
    Spacing {
        before: Option<i64>,
        after: Option<i64>,
        line: Option<(i64, Option<LineRule>)>,
    },
}

impl Setting {
    /// The setting of a property element (`in_rpr`: of run properties);
    /// `None` for one that sets nothing read here.
    pub fn read(s: &Start, in_rpr: bool) -> Option<Setting> {
        Some(match s.name.known()? {
            Known::Sz if in_rpr => Setting::Size(s.attr_i64("val").filter(|&v| v > 0 && v < 4000)),
            _ if in_rpr => return None,
            Known::NumId => Setting::NumId(s.attr_i64("val")),
            Known::Ilvl => Setting::Ilvl(s.attr_i64("val")),
            Known::PageBreakBefore => Setting::PageBreakBefore(on_off(s)),
            Known::SnapToGrid => Setting::SnapToGrid(on_off(s)),
            Known::Spacing => {
                let [before, after, before_auto, after_auto, line, rule] = s.attrs([
                    "before",
                    "after",
                    "beforeAutospacing",
                    "afterAutospacing",
                    "line",
                    "lineRule",
                ]);
                let twips =
                    |v: Option<&str>| v.and_then(parse_i64).filter(|&v| (0..32_000).contains(&v));
                // Automatic spacing (HTML-style documents) is 14 pt.
                let auto = |v: Option<&str>| v.is_some_and(|v| matches!(v, "1" | "true" | "on"));
                let spaced = |v: Option<&str>, automatic: Option<&str>| {
                    if auto(automatic) { Some(280) } else { twips(v) }
                };
                Setting::Spacing {
                    before: spaced(before, before_auto),
                    after: spaced(after, after_auto),
                    line: twips(line).map(|v| {
                        let rule = rule.map(|rule| match rule {
                            "exact" => LineRule::Exact,
                            "atLeast" => LineRule::AtLeast,
                            _ => LineRule::Multiple,
                        });
                        (v, rule)
                    }),
                }
            }
            _ => return None,
        })
    }
}

/// `<w:b/>`, `<w:b w:val="0"/>`: OOXML on/off values.
pub fn on_off(s: &Start) -> bool {
    !matches!(s.attr("val"), Some("0" | "false" | "off" | "none"))
}

#[derive(Debug, Clone, Default)]
struct Style {
    based_on: Option<String>,
    props: Props,
}

#[derive(Debug, Clone, Default)]
pub struct Styles {
    styles: HashMap<String, Style>,
    defaults: Props,
    default_paragraph: Option<String>,
    /// Every style's properties with its chain folded in, made once when
    /// the styles are read: a document asks for a few styles, once per
    /// paragraph, and following the chain each time took longer than the
    /// rest of ending a paragraph.
    resolved: HashMap<String, Props>,
}

impl Styles {
    /// Parse `word/styles.xml`; on malformed XML returns what was read and why it stopped.
    pub fn parse(bytes: &[u8], max_depth: usize) -> (Styles, Option<Stop>) {
        let mut out = Styles::default();
        let mut pull = Pull::new(bytes, max_depth);
        let mut current: Option<(String, Style)> = None;
        let stop = loop {
            let ev = match pull.next() {
                Ok(ev) => ev,
                Err(e) => break Some(e),
            };
            match ev {
                Ev::Eof => break None,
                Ev::Start(s) => {
                    let in_defaults = pull.open().iter().any(|n| n == "w:docDefaults");
                    let in_rpr = pull.open().iter().any(|n| n == "w:rPr");
                    match s.name.as_str() {
                        "w:style" => {
                            let id = s.attr("styleId").unwrap_or("").to_string();
                            if s.attr("type") == Some("paragraph") && s.attr("default") == Some("1")
                            {
                                out.default_paragraph = Some(id.clone());
                            }
                            current = Some((id, Style::default()));
                        }
                        "w:basedOn" => {
                            if let Some((_, st)) = current.as_mut() {
                                st.based_on = s.attr("val").map(str::to_string);
                            }
                        }
                        _ if in_defaults => out.defaults.apply(&s, in_rpr),
                        _ => {
                            // Only the style's own pPr/rPr, not a table style's conditional parts.
                            let direct = pull.open().iter().all(|n| n != "w:tblStylePr");
                            if let (Some((_, st)), true) = (current.as_mut(), direct) {
                                st.props.apply(&s, in_rpr);
                            }
                        }
                    }
                }
                Ev::End(name) => {
                    if name == "w:style"
                        && let Some((id, st)) = current.take()
                    {
                        out.styles.insert(id, st);
                    }
                }
                Ev::Text(_) => {}
            }
        };
        out.resolved = out
            .styles
            .keys()
            .map(|id| (id.clone(), out.follow(id)))
            .collect();
        (out, stop)
    }

    /// The `numId` a style (typically a numbering style) carries, with its chain.
    pub fn num_id_of(&self, style_id: &str) -> Option<i64> {
        self.styles
            .contains_key(style_id)
            .then(|| self.resolve(Some(style_id)).num_id)?
    }

    /// Properties of a paragraph style with its `basedOn` chain and the
    /// document defaults folded in (cycle-safe). `None`: the default style.
    pub fn resolve(&self, style_id: Option<&str>) -> Props {
        match style_id.or(self.default_paragraph.as_deref()) {
            Some(id) => self
                .resolved
                .get(id)
                .copied()
                .unwrap_or_else(|| self.follow(id)),
            None => Props::default().or(&self.defaults),
        }
    }

    /// [`Styles::resolve`] for a style id, following its chain.
    fn follow(&self, style_id: &str) -> Props {
        /// Longest chain followed (a longer one is a loop in all but name).
        const MAX_CHAIN: usize = 33;
        let mut props = Props::default();
        let mut next = Some(style_id);
        let mut seen = [""; MAX_CHAIN];
        let mut n = 0;
        while let Some(id) = next.take() {
            if n == MAX_CHAIN || seen[..n].contains(&id) {
                break;
            }
            let Some(st) = self.styles.get(id) else {
                break;
            };
            props = props.or(&st.props);
            seen[n] = id;
            n += 1;
            next = st.based_on.as_deref();
        }
        props.or(&self.defaults)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_with_cycle_and_defaults() {
        let xml = r#"<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
        <w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="24"/></w:rPr></w:rPrDefault>
        <w:pPrDefault><w:pPr><w:spacing w:after="160" w:line="259" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>
        <w:style w:type="paragraph" w:styleId="A"><w:basedOn w:val="B"/><w:pPr><w:numPr><w:numId w:val="4"/></w:numPr></w:pPr></w:style>
        <w:style w:type="paragraph" w:styleId="B"><w:basedOn w:val="A"/><w:pPr><w:pageBreakBefore/><w:numPr><w:ilvl w:val="1"/><w:numId w:val="9"/></w:numPr></w:pPr><w:rPr><w:sz w:val="32"/></w:rPr></w:style>
        </w:styles>"#;
        let (s, stop) = Styles::parse(xml.as_bytes(), 64);
        assert_eq!(stop, None);
        let p = s.resolve(Some("A"));
        assert_eq!(p.num_id, Some(4));
        assert_eq!(p.ilvl, Some(1));
        assert_eq!(p.page_break_before, Some(true));
        assert_eq!(p.size, Some(32));
        assert_eq!(p.after, Some(160));
        assert_eq!(p.line, Some(259));
        assert_eq!(s.resolve(None).size, Some(24));
    }
}
