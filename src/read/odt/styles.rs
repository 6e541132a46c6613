//! The few OpenDocument style facts the .odt reader needs, from both
//! `styles.xml` and the automatic styles of `content.xml`: paragraph font
//! sizes, spacing and page breaks; how drawing objects are positioned; list
//! label formats; the page size and margins.

use crate::read::docx::xml::{Ev, Pull, Start, Stop};
use std::collections::HashMap;

/// EMU per unit of every ODF length unit.
const EMU_PER_IN: f64 = 914_400.0;

/// An ODF length (`2.7224in`, `6.9cm`, `12pt` …) in EMU; percentages and
/// unknown units give `None`.
pub fn length(s: &str) -> Option<i64> {
    let s = s.trim();
    let split = s
        .find(|c: char| c.is_ascii_alphabetic() || c == '%')
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let v: f64 = num.trim().parse().ok()?;
    let per = match unit {
        "in" | "inch" => EMU_PER_IN,
        "cm" => 360_000.0,
        "mm" => 36_000.0,
        "pt" => 12_700.0,
        "pc" => 152_400.0,
        "px" => 9_525.0,
        "" if v == 0.0 => 0.0,
        _ => return None,
    };
    let emu = v * per;
    // Absurd values are hostile or broken: clamp to about 25 km.
    emu.is_finite()
        .then(|| emu.clamp(-1.0e12, 1.0e12).round() as i64)
}

/// Paragraph (and text) style properties; `None` = inherited.
#[derive(Debug, Clone, Default)]
pub struct ParaStyle {
    pub parent: Option<String>,
    /// Font size in EMU.
    pub font: Option<i64>,
    pub break_before: Option<bool>,
    pub break_after: Option<bool>,
    /// A paragraph naming a master page starts a new page (except the first).
    pub master_page: Option<bool>,
    pub margin_top: Option<i64>,
    pub margin_bottom: Option<i64>,
    /// Line height as a percentage of single spacing.
    pub line_percent: Option<i64>,
    pub list_style: Option<String>,
}

/// How a drawing object is placed (`style:graphic-properties`).
#[derive(Debug, Clone, Default)]
pub struct GraphicStyle {
    pub parent: Option<String>,
    pub vertical_rel: Option<String>,
    pub vertical_pos: Option<String>,
    pub horizontal_rel: Option<String>,
    pub horizontal_pos: Option<String>,
}

/// One level of a list style.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListLevel {
    /// `style:num-format` (`1`, `a`, `I`, `一, 二, 三, ...` …); `None` for bullets.
    pub format: Option<String>,
    pub bullet: Option<String>,
    pub prefix: String,
    pub suffix: String,
    pub start: i64,
    pub display_levels: usize,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub width: i64,
    pub height: i64,
    pub top: i64,
    pub bottom: i64,
    pub left: i64,
    pub right: i64,
}

impl Default for Page {
    /// A4 with 2 cm margins, LibreOffice's default.
    fn default() -> Self {
        Page {
            width: 7_560_000,
            height: 10_692_000,
            top: 720_000,
            bottom: 720_000,
            left: 720_000,
            right: 720_000,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Styles {
    pub paragraphs: HashMap<String, ParaStyle>,
    pub graphics: HashMap<String, GraphicStyle>,
    pub lists: HashMap<String, HashMap<usize, ListLevel>>,
    /// `style:default-style` for paragraphs.
    pub default_para: ParaStyle,
    /// Page layouts by name, and the layout of each master page.
    layouts: HashMap<String, Page>,
    masters: HashMap<String, String>,
}

/// Chains longer than this are cycles or hostile.
const MAX_CHAIN: usize = 32;

impl Styles {
    /// Add the styles of one part (styles.xml first, then content.xml).
    pub fn parse(&mut self, xml: &[u8], max_depth: usize) -> Option<Stop> {
        let mut pull = Pull::new(xml, max_depth);
        // The style being read: (family, name).
        let mut current: Option<(String, String)> = None;
        let mut list: Option<String> = None;
        let mut level: Option<(usize, ListLevel)> = None;
        let mut layout: Option<String> = None;
        loop {
            let ev = match pull.next() {
                Ok(ev) => ev,
                Err(e) => return Some(e),
            };
            match ev {
                Ev::Eof => return None,
                Ev::Start(s) => match s.name.as_str() {
                    "style:style" | "style:default-style" => {
                        let family = s.attr("family").unwrap_or("").to_string();
                        let name = if s.name == "style:default-style" {
                            String::new()
                        } else {
                            s.attr("name").unwrap_or("").to_string()
                        };
                        let parent = s.attr("parent-style-name").map(str::to_string);
                        match family.as_str() {
                            "paragraph" | "text" => {
                                // A later part's style of the same name replaces it.
                                let st = self.para_mut(&name);
                                *st = ParaStyle::default();
                                st.parent = parent;
                                if let Some(m) = s.attr("master-page-name") {
                                    st.master_page = Some(!m.is_empty());
                                }
                                if let Some(l) = s.attr("list-style-name") {
                                    st.list_style = Some(l.to_string());
                                }
                            }
                            "graphic" => {
                                self.graphics.insert(
                                    name.clone(),
                                    GraphicStyle {
                                        parent,
                                        ..GraphicStyle::default()
                                    },
                                );
                            }
                            _ => {}
                        }
                        current = Some((family, name));
                    }
                    "style:paragraph-properties" | "style:text-properties" => {
                        if let Some((family, name)) = &current
                            && (family == "paragraph" || family == "text")
                        {
                            let name = name.clone();
                            apply_para(self.para_mut(&name), &s);
                        }
                    }
                    "style:graphic-properties" => {
                        if let Some((family, name)) = &current
                            && family == "graphic"
                        {
                            let g = self.graphics.entry(name.clone()).or_default();
                            let get = |k| s.attr(k).map(str::to_string);
                            g.vertical_rel = get("vertical-rel").or(g.vertical_rel.take());
                            g.vertical_pos = get("vertical-pos").or(g.vertical_pos.take());
                            g.horizontal_rel = get("horizontal-rel").or(g.horizontal_rel.take());
                            g.horizontal_pos = get("horizontal-pos").or(g.horizontal_pos.take());
                        }
                    }
                    "text:list-style" => {
                        list = s.attr("name").map(str::to_string);
                    }
                    "text:list-level-style-number" | "text:list-level-style-bullet" => {
                        let n = s
                            .attr("level")
                            .and_then(|v| v.parse::<usize>().ok())
                            .filter(|&n| (1..=10).contains(&n));
                        level = n.map(|n| {
                            let numbered = s.name.ends_with("number");
                            let lv = ListLevel {
                                format: numbered
                                    .then(|| s.attr("num-format").unwrap_or("").to_string()),
                                bullet: (!numbered)
                                    .then(|| s.attr("bullet-char").unwrap_or("").to_string()),
                                prefix: s.attr("num-prefix").unwrap_or("").to_string(),
                                suffix: s.attr("num-suffix").unwrap_or("").to_string(),
                                start: s
                                    .attr("start-value")
                                    .and_then(|v| v.parse().ok())
                                    .unwrap_or(1),
                                display_levels: s
                                    .attr("display-levels")
                                    .and_then(|v| v.parse().ok())
                                    .unwrap_or(1)
                                    .clamp(1, 10),
                            };
                            (n, lv)
                        });
                    }
                    "style:page-layout" => layout = s.attr("name").map(str::to_string),
                    "style:page-layout-properties" => {
                        let mut p = Page::default();
                        let get = |k: &str, d: i64| {
                            s.attr(k)
                                .and_then(length)
                                .filter(|&v| (0..100_000_000).contains(&v))
                                .unwrap_or(d)
                        };
                        p.width = get("page-width", p.width).max(1);
                        p.height = get("page-height", p.height).max(1);
                        p.top = get("margin-top", p.top);
                        p.bottom = get("margin-bottom", p.bottom);
                        p.left = get("margin-left", p.left);
                        p.right = get("margin-right", p.right);
                        if let Some(name) = &layout {
                            self.layouts.insert(name.clone(), p);
                        }
                    }
                    "style:master-page" => {
                        if let (Some(name), Some(l)) = (s.attr("name"), s.attr("page-layout-name"))
                        {
                            self.masters.insert(name.to_string(), l.to_string());
                        }
                    }
                    _ => {}
                },
                Ev::End(name) => match name.as_str() {
                    "style:style" | "style:default-style" => current = None,
                    "style:page-layout" => layout = None,
                    "text:list-style" => list = None,
                    "text:list-level-style-number" | "text:list-level-style-bullet" => {
                        if let (Some(l), Some((n, lv))) = (&list, level.take()) {
                            self.lists.entry(l.clone()).or_default().insert(n, lv);
                        }
                    }
                    _ => {}
                },
                Ev::Text(_) => {}
            }
        }
    }

    fn para_mut(&mut self, name: &str) -> &mut ParaStyle {
        if name.is_empty() {
            &mut self.default_para
        } else {
            self.paragraphs.entry(name.to_string()).or_default()
        }
    }

    /// The page of the `Standard` master page (else any), else A4.
    pub fn page(&self) -> Page {
        let by_master = |m: &str| self.masters.get(m).and_then(|l| self.layouts.get(l));
        by_master("Standard")
            .or_else(|| {
                let mut names: Vec<&String> = self.masters.keys().collect();
                names.sort();
                names.into_iter().find_map(|m| by_master(m))
            })
            .cloned()
            .unwrap_or_default()
    }

    /// A paragraph property resolved through the parent chain and the default.
    pub fn para<T>(&self, name: Option<&str>, get: impl Fn(&ParaStyle) -> Option<T>) -> Option<T> {
        let mut cur = name;
        for _ in 0..MAX_CHAIN {
            let Some(n) = cur else { break };
            let Some(st) = self.paragraphs.get(n) else {
                break;
            };
            if let Some(v) = get(st) {
                return Some(v);
            }
            cur = st.parent.as_deref();
        }
        get(&self.default_para)
    }

    /// A graphic property resolved through the parent chain.
    pub fn graphic(
        &self,
        name: Option<&str>,
        get: impl Fn(&GraphicStyle) -> Option<&String>,
    ) -> Option<String> {
        let mut cur = name;
        for _ in 0..MAX_CHAIN {
            let st = self.graphics.get(cur?)?;
            if let Some(v) = get(st) {
                return Some(v.clone());
            }
            cur = st.parent.as_deref();
        }
        None
    }
}

fn apply_para(st: &mut ParaStyle, s: &Start) {
    let page = |k: &str| s.attr(k).map(|v| v == "page");
    if let Some(v) = page("break-before") {
        st.break_before = Some(v);
    }
    if let Some(v) = page("break-after") {
        st.break_after = Some(v);
    }
    let len = |k: &str| {
        s.attr(k)
            .and_then(length)
            .filter(|&v| (0..10_000_000).contains(&v))
    };
    if let Some(v) = len("font-size").filter(|&v| v > 0) {
        st.font = Some(v);
    }
    if let Some(v) = len("margin-top") {
        st.margin_top = Some(v);
    }
    if let Some(v) = len("margin-bottom") {
        st.margin_bottom = Some(v);
    }
    if let Some(p) = s
        .attr("line-height")
        .and_then(|v| v.strip_suffix('%'))
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|v| v.is_finite() && *v > 0.0 && *v < 1000.0)
    {
        st.line_percent = Some(p.round() as i64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_in_every_unit() {
        assert_eq!(length("1in"), Some(914_400));
        assert_eq!(length("2.54cm"), Some(914_400));
        assert_eq!(length("25.4mm"), Some(914_400));
        assert_eq!(length("72pt"), Some(914_400));
        assert_eq!(length("-0.75in"), Some(-685_800));
        assert_eq!(length("0"), Some(0));
        assert_eq!(length("100%"), None);
        assert_eq!(length("3furlongs"), None);
        assert_eq!(length("99999999in"), Some(1_000_000_000_000));
    }

    #[test]
    fn chains_defaults_and_lists() {
        let xml = r#"<office:document-styles xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">
<style:default-style style:family="paragraph"><style:text-properties fo:font-size="10.5pt"/></style:default-style>
<style:style style:name="A" style:family="paragraph" style:parent-style-name="B"><style:paragraph-properties fo:break-before="page"/></style:style>
<style:style style:name="B" style:family="paragraph" style:parent-style-name="A"><style:text-properties fo:font-size="18pt"/></style:style>
<text:list-style style:name="L1"><text:list-level-style-number text:level="1" style:num-prefix="(" style:num-suffix=")" style:num-format="一, 二, 三, ..." text:start-value="3"/></text:list-style>
<style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="1in" fo:margin-left="2cm"/></style:page-layout>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1"/></office:master-styles>
</office:document-styles>"#;
        let mut st = Styles::default();
        assert_eq!(st.parse(xml.as_bytes(), 64), None);
        assert_eq!(st.para(Some("A"), |p| p.font), Some(228_600));
        assert_eq!(st.para(Some("A"), |p| p.break_before), Some(true));
        // A cycle (A → B → A) ends at the chain cap, then the default.
        assert_eq!(st.para(Some("A"), |p| p.line_percent), None);
        assert_eq!(st.para(Some("missing"), |p| p.font), Some(133_350));
        let l = &st.lists["L1"][&1];
        assert_eq!(
            (l.prefix.as_str(), l.suffix.as_str(), l.start),
            ("(", ")", 3)
        );
        let page = st.page();
        assert_eq!(
            (page.width, page.top, page.left),
            (7_560_000, 914_400, 720_000)
        );
    }
}
