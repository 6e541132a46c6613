//! Risk grades on any of the scales in `rules/grades.toml`:
//! `风险等级：高` (word), `B级` (letter), `★★★` (stars), `一级风险` (tier).

use crate::catalog::Grade;
use crate::rules::Rules;
use regex::Regex;
use std::sync::LazyLock;

/// A line that states a grade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GradeLine {
    /// None when the value is not on any scale (`grade.unknown`).
    pub grade: Option<Grade>,
    /// The line as written, trimmed.
    pub raw: String,
    /// `风险等级;中` → `风险等级：中` when the separator is wrong (`text.punctuation`).
    pub punctuation_fix: Option<String>,
}

// What may stand before a grade on a grade line: nothing, `风险等级：`,
// or a risk-point label such as `风险点 A1-3`.
static PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:风险点\s*[A-Za-z]?\s*[0-9]*(?:\s*[-－]\s*[0-9]+)?\s*|风险等级\s*[：:;；]?\s*|风险级别\s*[：:;；]?\s*|等级\s*[：:]?\s*)?$")
        .expect("static regex")
});
static SUFFIX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:风险)?[。.;；，,、\s]*$").expect("static regex"));
static WRONG_SEPARATOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(风险等级|风险级别)\s*[;；,，]\s*").expect("static regex"));

/// Is this whole line a grade statement? (`风险等级：中`, `B级`, `★★★`,
/// `一级风险`, `风险点 A1-3 等级 高`.)
pub fn grade_line(line: &str, rules: &Rules) -> Option<GradeLine> {
    let raw = line.trim();
    if raw.is_empty() || raw.chars().count() > 30 {
        return None;
    }
    // Match on the simplified form; byte offsets are the same in `raw`.
    let folded = rules.variants.fold(raw);
    if !rules.grade_any.is_match(&folded) {
        return None;
    }
    let punctuation_fix = WRONG_SEPARATOR.captures(&folded).and_then(|c| {
        let label = raw.get(c.get(1)?.range())?;
        Some(format!("{label}：{}", raw.get(c.get(0)?.end()..)?))
    });
    for scale in &rules.scales {
        for c in scale.pattern.captures_iter(&folded) {
            let (Some(all), Some(v)) = (c.get(0), c.name("v")) else {
                continue;
            };
            if !PREFIX.is_match(&folded[..all.start()]) || !SUFFIX.is_match(&folded[all.end()..]) {
                continue;
            }
            let value = v.as_str().trim();
            return Some(GradeLine {
                grade: scale.levels.get(value).map(|level| Grade {
                    level: level.clone(),
                    scale: scale.name.clone(),
                    raw: raw.to_string(),
                }),
                raw: raw.to_string(),
                punctuation_fix,
            });
        }
    }
    if rules.grade_hint.is_match(&folded) {
        return Some(GradeLine {
            grade: None,
            raw: raw.to_string(),
            punctuation_fix,
        });
    }
    None
}

/// A risk-point label with its grade closing a line (a step box that
/// carries its risk: `…初审,责任人:王利影(时限2工作日) 风险点 A1-3等级 高`):
/// the label (`A1-3`), the grade, and where the statement starts.
pub fn trailing_risk_label(line: &str, rules: &Rules) -> Option<(String, GradeLine, usize)> {
    static LABEL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"风险点\s*(?P<l>[A-Za-z]?\s*[-－]?\s*[0-9]+(?:\s*[-－]\s*[0-9]+)?)\s*(?:风险)?等级",
        )
        .expect("static regex")
    });
    let raw = line.trim_end();
    let folded = rules.variants.fold(raw);
    let c = LABEL.captures_iter(&folded).last()?;
    let (all, label) = (c.get(0)?, c.name("l")?);
    if all.start() == 0 {
        return None;
    }
    let statement = grade_line(&raw[all.start()..], rules)?;
    let label: String = raw[label.range()]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    Some((label, statement, all.start()))
}

/// A risk-point label with its grade anywhere in a line (`…填写采购批准单。
/// 风险点 B-1等级 中 风险表现:虚报数量和种类`, or the whole line): the byte
/// ranges of the text before it, of the label statement, and of the text
/// after it.
pub fn risk_label_in(line: &str, rules: &Rules) -> Option<(usize, usize)> {
    static LABEL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"风险点\s*[A-Za-z]?\s*[-－]?\s*[0-9]+(?:\s*[-－]\s*[0-9]+)?\s*(?:风险)?等级\s*[:：]?\s*",
        )
        .expect("static regex")
    });
    let folded = rules.variants.fold(line);
    let m = LABEL.find(&folded)?;
    // The grade is the shortest tail of a few characters that reads as one.
    let after: Vec<usize> = line[m.end()..]
        .char_indices()
        .map(|(i, c)| m.end() + i + c.len_utf8())
        .take(4)
        .collect();
    let end = after
        .into_iter()
        .find(|&e| grade_line(&line[m.start()..e], rules).is_some_and(|g| g.grade.is_some()))?;
    Some((m.start(), end))
}

/// The label of a grade line that names its risk point (`风险点 B-1等级中`
/// → `B-1`).
pub fn grade_label(line: &str) -> Option<String> {
    static LABEL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\s*风险点\s*(?P<l>[A-Za-z]?\s*[-－]?\s*[0-9]+(?:\s*[-－]\s*[0-9]+)?)")
            .expect("static regex")
    });
    let c = LABEL.captures(line)?;
    Some(c["l"].chars().filter(|c| !c.is_whitespace()).collect())
}

static TRAILER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[）)】\]]?[。.;；，,\s]*$").expect("static regex"));

/// A grade statement closing an item line: `審核把關不嚴，虛列支出。風險等級：高`
/// or `档案柜使用后没有及时关门上锁（C级）`. Returns the grade and the byte
/// offset where the statement (or its opening bracket) starts; the text
/// before it is the item. The word scale may follow any text; the others
/// only inside brackets, where they cannot be part of a sentence.
pub fn trailing_grade(line: &str, rules: &Rules) -> Option<(GradeLine, usize)> {
    let raw = line.trim_end();
    let folded = rules.variants.fold(raw);
    // Most item lines state no grade: one pass of the set of every scale's
    // pattern tells, where each scale's captures would read the whole line.
    if !rules.grade_any.is_match(&folded) {
        return None;
    }
    for scale in &rules.scales {
        let Some(c) = scale.pattern.captures_iter(&folded).last() else {
            continue;
        };
        let (Some(all), Some(v)) = (c.get(0), c.name("v")) else {
            continue;
        };
        if all.start() == 0 || !TRAILER.is_match(&folded[all.end()..]) {
            continue;
        }
        let before = &folded[..all.start()];
        let opened = before.ends_with(['（', '(', '【', '[']);
        if scale.name != "word" && !opened {
            continue;
        }
        let at = if opened {
            before.char_indices().last().map_or(0, |(i, _)| i)
        } else {
            all.start()
        };
        if raw[..at].trim().is_empty() {
            continue;
        }
        let stated = raw.get(all.range())?.to_string();
        let grade = scale.levels.get(v.as_str().trim()).map(|level| Grade {
            level: level.clone(),
            scale: scale.name.clone(),
            raw: stated.clone(),
        });
        return Some((
            GradeLine {
                grade,
                raw: stated,
                punctuation_fix: None,
            },
            at,
        ));
    }
    None
}

/// A grade anywhere inside a short label such as `风险点1（B级）` or a
/// `★★` prefix; `raw` is the matched grade (`B级`).
pub fn find_grade(text: &str, rules: &Rules) -> Option<(Grade, std::ops::Range<usize>)> {
    let folded = rules.variants.fold(text);
    for scale in &rules.scales {
        for c in scale.pattern.captures_iter(&folded) {
            let (Some(all), Some(v)) = (c.get(0), c.name("v")) else {
                continue;
            };
            if let Some(level) = scale.levels.get(v.as_str().trim()) {
                return Some((
                    Grade {
                        level: level.clone(),
                        scale: scale.name.clone(),
                        raw: text.get(all.range()).unwrap_or("").trim().to_string(),
                    },
                    all.range(),
                ));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(line: &str) -> Option<(String, String, String)> {
        let r = Rules::builtin();
        grade_line(line, &r)
            .and_then(|l| l.grade)
            .map(|g| (g.level, g.scale, g.raw))
    }

    fn t(a: &str, b: &str, c: &str) -> Option<(String, String, String)> {
        Some((a.into(), b.into(), c.into()))
    }

    #[test]
    fn risk_labels_closing_a_step_box() {
        let r = Rules::builtin();
        let line = "对外贸易发展室,进行初审,责任人:王利影(时限2工作日) 风险点 A1-3等级 高";
        let (label, g, at) = trailing_risk_label(line, &r).expect("a label");
        assert_eq!(label, "A1-3");
        assert_eq!(
            g.grade.map(|g| (g.level, g.raw)),
            Some(("high".into(), "风险点 A1-3等级 高".into()))
        );
        assert_eq!(
            line[..at].trim(),
            "对外贸易发展室,进行初审,责任人:王利影(时限2工作日)"
        );
        assert_eq!(trailing_risk_label("风险点 A1-3等级 高", &r), None);
        assert_eq!(trailing_risk_label("窗口受理,责任人:熊用云", &r), None);
        assert_eq!(grade_label("风险点 B-1 等级 中").as_deref(), Some("B-1"));
        assert_eq!(grade_label("风险等级：中"), None);
    }

    #[test]
    fn word_scale_with_every_separator() {
        assert_eq!(g("风险等级：高"), t("high", "word", "风险等级：高"));
        assert_eq!(g("风险等级:中"), t("medium", "word", "风险等级:中"));
        assert_eq!(g("风险等级;中"), t("medium", "word", "风险等级;中"));
        assert_eq!(g("风险等级；低"), t("low", "word", "风险等级；低"));
        assert_eq!(g("  风险等级：低 "), t("low", "word", "风险等级：低"));
        assert_eq!(
            g("风险点 A1-3 等级 高"),
            t("high", "word", "风险点 A1-3 等级 高")
        );
        assert_eq!(
            g("风险点A1-3等级 高"),
            t("high", "word", "风险点A1-3等级 高")
        );
    }

    #[test]
    fn letter_stars_tier() {
        assert_eq!(g("B级"), t("medium", "letter", "B级"));
        assert_eq!(g("A级"), t("high", "letter", "A级"));
        assert_eq!(g("★★★"), t("high", "stars", "★★★"));
        assert_eq!(g("★"), t("low", "stars", "★"));
        assert_eq!(g("一级风险"), t("high", "tier", "一级风险"));
        assert_eq!(g("风险等级：二级"), t("medium", "tier", "风险等级：二级"));
    }

    #[test]
    fn punctuation_and_unknown() {
        let r = Rules::builtin();
        let l = grade_line("风险等级;中", &r).unwrap();
        assert_eq!(l.punctuation_fix.as_deref(), Some("风险等级：中"));
        assert_eq!(
            grade_line("风险等级：中", &r).unwrap().punctuation_fix,
            None
        );
        let u = grade_line("风险等级：较大", &r).unwrap();
        assert_eq!(u.grade, None);
        assert_eq!(u.raw, "风险等级：较大");
    }

    #[test]
    fn prose_is_not_a_grade() {
        assert_eq!(g("报上一级部门审批"), None);
        assert_eq!(g("1.故意刁难申请人。"), None);
        assert!(grade_line("故意刁难申请人。", &Rules::builtin()).is_none());
    }

    #[test]
    fn traditional_grades() {
        assert_eq!(g("風險等級：高"), t("high", "word", "風險等級：高"));
        assert_eq!(g("B級"), t("medium", "letter", "B級"));
        let l = grade_line("風險等級;中", &Rules::builtin()).unwrap();
        assert_eq!(l.punctuation_fix.as_deref(), Some("風險等級：中"));
    }

    #[test]
    fn grade_closing_an_item() {
        let r = Rules::builtin();
        let (g, at) = trailing_grade("審核把關不嚴，虛列支出。風險等級：高", &r).unwrap();
        let grade = g.grade.unwrap();
        assert_eq!(
            (grade.level.as_str(), grade.raw.as_str()),
            ("high", "風險等級：高")
        );
        assert_eq!(
            &"審核把關不嚴，虛列支出。風險等級：高"[..at],
            "審核把關不嚴，虛列支出。"
        );
        let (g, at) = trailing_grade("档案柜使用后没有及时关门上锁（C级）", &r).unwrap();
        assert_eq!(g.grade.unwrap().level, "low");
        assert_eq!(
            &"档案柜使用后没有及时关门上锁（C级）"[..at],
            "档案柜使用后没有及时关门上锁"
        );
        // Not a grade: a level word inside a sentence, a bare grade line.
        assert!(trailing_grade("报上一级部门审批", &r).is_none());
        assert!(trailing_grade("风险等级：高", &r).is_none());
    }

    #[test]
    fn inside_a_label() {
        let r = Rules::builtin();
        let (grade, range) = find_grade("风险点1（B级）", &r).unwrap();
        assert_eq!(
            (grade.level.as_str(), grade.raw.as_str()),
            ("medium", "B级")
        );
        assert_eq!(&"风险点1（B级）"[range], "B级");
    }
}
