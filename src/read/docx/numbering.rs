//! Word auto-numbering: `numbering.xml` definitions, the counters Word keeps
//! while it lays out a document, and the rendering of a label such as `6.`,
//! `（三）` or `①`.
//!
//! Counters are kept per abstract numbering and level in document order, so
//! two text boxes that share one list continue each other (1–5, then 6–10),
//! exactly as Word shows them: that continuation is a defect users need to see.

use super::xml::{Ev, Pull, Stop};
use std::collections::{HashMap, HashSet};

/// One level of a list definition.
#[derive(Debug, Clone, PartialEq)]
pub struct Level {
    pub start: i64,
    pub fmt: String,
    pub text: String,
    /// `w:lvlRestart`: 1-based level after whose use this level restarts; 0 = never.
    pub restart: Option<i64>,
    /// `w:isLgl`: show every level's number as decimal.
    pub legal: bool,
}

impl Default for Level {
    fn default() -> Self {
        Level {
            start: 1,
            fmt: "decimal".into(),
            text: String::new(),
            restart: None,
            legal: false,
        }
    }
}

#[derive(Debug, Clone, Default)]
struct Num {
    abstract_id: i64,
    /// Level → start override.
    start_overrides: HashMap<u8, i64>,
    /// Level → replacement definition (`w:lvlOverride/w:lvl`).
    level_overrides: HashMap<u8, Level>,
}

/// The definitions of `numbering.xml`.
#[derive(Debug, Clone, Default)]
pub struct Numbering {
    abstracts: HashMap<i64, HashMap<u8, Level>>,
    nums: HashMap<i64, Num>,
    /// abstractNumId → numbering style it borrows its levels from (`w:numStyleLink`).
    style_links: HashMap<i64, String>,
}

const MAX_LEVEL: u8 = 9;

impl Numbering {
    /// Parse `word/numbering.xml`. On malformed XML, returns what was read and the reason.
    pub fn parse(bytes: &[u8], max_depth: usize) -> (Numbering, Option<Stop>) {
        let mut n = Numbering::default();
        let mut pull = Pull::new(bytes, max_depth);
        let mut abs: Option<(i64, HashMap<u8, Level>)> = None;
        let mut num: Option<(i64, Num)> = None;
        let mut lvl: Option<(u8, Level)> = None;
        let mut override_lvl: Option<u8> = None;
        let stop = loop {
            let ev = match pull.next() {
                Ok(ev) => ev,
                Err(e) => break Some(e),
            };
            match ev {
                Ev::Eof => break None,
                Ev::Start(s) => match s.name.as_str() {
                    "w:abstractNum" => {
                        abs = s.attr_i64("abstractNumId").map(|id| (id, HashMap::new()));
                    }
                    "w:num" => {
                        num = s.attr_i64("numId").map(|id| (id, Num::default()));
                    }
                    "w:numStyleLink" => {
                        if let (Some((id, _)), Some(v)) = (abs.as_ref(), s.attr("val")) {
                            n.style_links.insert(*id, v.to_string());
                        }
                    }
                    "w:abstractNumId" => {
                        if let (Some((_, nm)), Some(v)) = (num.as_mut(), s.attr_i64("val")) {
                            nm.abstract_id = v;
                        }
                    }
                    "w:lvlOverride" => {
                        override_lvl = s.attr_i64("ilvl").and_then(level_index);
                    }
                    "w:startOverride" => {
                        if let (Some((_, nm)), Some(l), Some(v)) =
                            (num.as_mut(), override_lvl, s.attr_i64("val"))
                        {
                            nm.start_overrides.insert(l, v);
                        }
                    }
                    "w:lvl" => {
                        lvl = s
                            .attr_i64("ilvl")
                            .and_then(level_index)
                            .map(|i| (i, Level::default()));
                    }
                    "w:start" => set(&mut lvl, |l| {
                        if let Some(v) = s.attr_i64("val") {
                            l.start = v;
                        }
                    }),
                    "w:numFmt" => set(&mut lvl, |l| {
                        if let Some(v) = s.attr("val") {
                            l.fmt = v.to_string();
                        }
                    }),
                    "w:lvlText" => set(&mut lvl, |l| {
                        l.text = s.attr("val").unwrap_or("").to_string();
                    }),
                    "w:lvlRestart" => set(&mut lvl, |l| l.restart = s.attr_i64("val")),
                    "w:isLgl" => set(&mut lvl, |l| {
                        l.legal = !matches!(s.attr("val"), Some("0" | "false" | "off"))
                    }),
                    _ => {}
                },
                Ev::End(name) => match name.as_str() {
                    "w:lvl" => {
                        if let Some((i, l)) = lvl.take() {
                            if let Some((_, nm)) = num.as_mut().filter(|_| override_lvl.is_some()) {
                                nm.level_overrides.insert(i, l);
                            } else if let Some((_, levels)) = abs.as_mut() {
                                levels.insert(i, l);
                            }
                        }
                    }
                    "w:lvlOverride" => override_lvl = None,
                    "w:abstractNum" => {
                        if let Some((id, levels)) = abs.take() {
                            n.abstracts.insert(id, levels);
                        }
                    }
                    "w:num" => {
                        if let Some((id, nm)) = num.take() {
                            n.nums.insert(id, nm);
                        }
                    }
                    _ => {}
                },
                Ev::Text(_) => {}
            }
        };
        (n, stop)
    }
}

impl Numbering {
    /// Point lists whose abstract definition only links to a numbering style
    /// (`w:numStyleLink`) at the definition that style's own list uses.
    /// `num_of_style` gives a style's `numId`.
    pub fn link_styles(&mut self, num_of_style: impl Fn(&str) -> Option<i64>) {
        let mut target: HashMap<i64, i64> = HashMap::new();
        for (&abs_id, style) in &self.style_links {
            let Some(num_id) = num_of_style(style) else {
                continue;
            };
            let Some(real) = self.nums.get(&num_id).map(|n| n.abstract_id) else {
                continue;
            };
            if real != abs_id {
                target.insert(abs_id, real);
            }
        }
        for num in self.nums.values_mut() {
            if let Some(&real) = target.get(&num.abstract_id) {
                num.abstract_id = real;
            }
        }
    }
}

fn set(lvl: &mut Option<(u8, Level)>, f: impl FnOnce(&mut Level)) {
    if let Some((_, l)) = lvl.as_mut() {
        f(l);
    }
}

fn level_index(v: i64) -> Option<u8> {
    u8::try_from(v).ok().filter(|&i| i < MAX_LEVEL)
}

/// The running counters of one document pass.
#[derive(Debug, Default)]
pub struct Counters {
    /// (abstractNumId, level) → last value shown.
    values: HashMap<(i64, u8), i64>,
    /// numIds already used once (their start overrides have been applied).
    started: HashSet<i64>,
}

impl Counters {
    /// Count one paragraph with `numId`/`ilvl` and return its label (`None`
    /// when the numbering is removed, unknown, or the format is `none`).
    pub fn next_label(&mut self, defs: &Numbering, num_id: i64, ilvl: i64) -> Option<String> {
        if num_id == 0 {
            return None;
        }
        let num = defs.nums.get(&num_id)?;
        let abs_id = num.abstract_id;
        let ilvl = level_index(ilvl).unwrap_or(0);
        let level_of = |i: u8| -> Level {
            num.level_overrides
                .get(&i)
                .or_else(|| defs.abstracts.get(&abs_id).and_then(|a| a.get(&i)))
                .cloned()
                .unwrap_or_default()
        };
        if self.started.insert(num_id) {
            for (&l, &v) in &num.start_overrides {
                self.values.insert((abs_id, l), v.saturating_sub(1));
            }
        }
        let this = level_of(ilvl);
        let value = match self.values.get(&(abs_id, ilvl)) {
            Some(v) => v.saturating_add(1),
            None => this.start,
        };
        self.values.insert((abs_id, ilvl), value);
        // Using a level restarts the deeper levels that restart after it.
        for deeper in ilvl + 1..MAX_LEVEL {
            let restart = level_of(deeper).restart.unwrap_or(i64::from(deeper));
            if restart != 0 && i64::from(ilvl) < restart {
                self.values.remove(&(abs_id, deeper));
            }
        }
        if this.fmt == "none" {
            return None;
        }
        let mut label = String::new();
        let mut chars = this.text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '%'
                && let Some(d) = chars.peek().and_then(|d| d.to_digit(10))
            {
                chars.next();
                let k = (d as u8).saturating_sub(1).min(MAX_LEVEL - 1);
                let lk = level_of(k);
                let v = self.values.get(&(abs_id, k)).copied().unwrap_or(lk.start);
                let fmt = if this.legal && k < ilvl {
                    "decimal"
                } else {
                    lk.fmt.as_str()
                };
                label.push_str(&format_number(v, fmt));
                continue;
            }
            label.push(c);
        }
        if this.fmt == "bullet" || !label.is_empty() {
            Some(label)
        } else {
            None
        }
    }
}

/// Render one counter value in a Word number format.
pub fn format_number(v: i64, fmt: &str) -> String {
    use crate::read::listnum::{chinese, cycle, enclosed, full_width_digits, letters, roman};
    match fmt {
        "decimalZero" if (0..10).contains(&v) => format!("0{v}"),
        "decimalFullWidth" | "decimalFullWidth2" => full_width_digits(&v.to_string()),
        "upperLetter" => letters(v, true),
        "lowerLetter" => letters(v, false),
        "upperRoman" => roman(v, true),
        "lowerRoman" => roman(v, false),
        "chineseCounting"
        | "chineseCountingThousand"
        | "japaneseCounting"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand"
        | "ideographDigital" => chinese(v, false),
        "chineseLegalSimplified" => chinese(v, true),
        "ideographTraditional" => cycle(v, "甲乙丙丁戊己庚辛壬癸"),
        "ideographZodiac" => cycle(v, "子丑寅卯辰巳午未申酉戌亥"),
        // ①–⑳; beyond the range Word falls back to digits.
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" => enclosed(v, 20, '\u{2460}'),
        "decimalEnclosedParen" => enclosed(v, 20, '\u{2474}'),
        "decimalEnclosedFullstop" => enclosed(v, 20, '\u{2488}'),
        "ideographEnclosedCircle" => enclosed(v, 10, '\u{3220}'),
        "none" => String::new(),
        _ => v.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(format_number(3, "decimal"), "3");
        assert_eq!(format_number(3, "decimalZero"), "03");
        assert_eq!(format_number(12, "decimalFullWidth"), "１２");
        assert_eq!(format_number(28, "upperLetter"), "BB");
        assert_eq!(format_number(2, "lowerLetter"), "b");
        assert_eq!(format_number(14, "upperRoman"), "XIV");
        assert_eq!(format_number(9, "lowerRoman"), "ix");
        assert_eq!(format_number(10, "chineseCounting"), "十");
        assert_eq!(format_number(11, "chineseCounting"), "十一");
        assert_eq!(format_number(20, "chineseCounting"), "二十");
        assert_eq!(format_number(21, "chineseCountingThousand"), "二十一");
        assert_eq!(format_number(101, "chineseCountingThousand"), "一百零一");
        assert_eq!(format_number(1010, "chineseCountingThousand"), "一千零一十");
        assert_eq!(format_number(3, "ideographTraditional"), "丙");
        assert_eq!(format_number(1, "decimalEnclosedCircle"), "①");
        assert_eq!(format_number(20, "decimalEnclosedCircleChinese"), "⑳");
        assert_eq!(format_number(21, "decimalEnclosedCircle"), "21");
        assert_eq!(format_number(2, "decimalEnclosedParen"), "⑵");
        assert_eq!(format_number(3, "chineseLegalSimplified"), "叁");
    }

    fn defs(xml: &str) -> Numbering {
        let (n, stop) = Numbering::parse(xml.as_bytes(), 64);
        assert_eq!(stop, None);
        n
    }

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

    #[test]
    fn multi_level_and_restart() {
        let n = defs(&format!(
            r#"<w:numbering {W}><w:abstractNum w:abstractNumId="5">
            <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
            <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>
            </w:abstractNum><w:num w:numId="3"><w:abstractNumId w:val="5"/></w:num>
            <w:num w:numId="4"><w:abstractNumId w:val="5"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="7"/></w:lvlOverride></w:num>
            </w:numbering>"#
        ));
        let mut c = Counters::default();
        assert_eq!(c.next_label(&n, 3, 0).as_deref(), Some("一、"));
        assert_eq!(c.next_label(&n, 3, 1).as_deref(), Some("一.1"));
        assert_eq!(c.next_label(&n, 3, 1).as_deref(), Some("一.2"));
        assert_eq!(c.next_label(&n, 3, 0).as_deref(), Some("二、"));
        assert_eq!(c.next_label(&n, 3, 1).as_deref(), Some("二.1"));
        // numId 4 shares the abstract list but restarts level 0 at 7 on first use.
        assert_eq!(c.next_label(&n, 4, 0).as_deref(), Some("七、"));
        assert_eq!(c.next_label(&n, 3, 0).as_deref(), Some("八、"));
        assert_eq!(c.next_label(&n, 0, 0), None);
        assert_eq!(c.next_label(&n, 99, 0), None);
    }

    #[test]
    fn style_linked_lists_use_the_style_definition() {
        let mut n = defs(&format!(
            r#"<w:numbering {W}><w:abstractNum w:abstractNumId="10"><w:styleLink w:val="LS"/>
            <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>
            <w:abstractNum w:abstractNumId="11"><w:numStyleLink w:val="LS"/></w:abstractNum>
            <w:num w:numId="20"><w:abstractNumId w:val="11"/></w:num><w:num w:numId="21"><w:abstractNumId w:val="10"/></w:num>
            </w:numbering>"#
        ));
        n.link_styles(|style| (style == "LS").then_some(21));
        let mut c = Counters::default();
        assert_eq!(c.next_label(&n, 20, 0).as_deref(), Some("I."));
        assert_eq!(c.next_label(&n, 21, 0).as_deref(), Some("II."));
    }
}
