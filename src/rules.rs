//! Rules are data: `rules/*.toml`, compiled into the binary as defaults and
//! overridable file by file with `--rules DIR`. Everything is validated
//! (TOML syntax, regexes, level names) before any document is read.

use crate::recognise::fields::compact;
use regex::Regex;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The rule files, in the fixed order used for `rules_digest`.
/// The optional rule file of people's dedup decisions in a `--rules` folder.
pub const DECISIONS: &str = "decisions.toml";

pub const FILES: &[(&str, &str)] = &[
    ("dedup.toml", include_str!("../rules/dedup.toml")),
    ("grades.toml", include_str!("../rules/grades.toml")),
    ("headers.toml", include_str!("../rules/headers.toml")),
    ("labels.toml", include_str!("../rules/labels.toml")),
    ("noise.toml", include_str!("../rules/noise.toml")),
    ("steps.toml", include_str!("../rules/steps.toml")),
    ("titles.toml", include_str!("../rules/titles.toml")),
    ("tables.toml", include_str!("../rules/tables.toml")),
    ("variants.toml", include_str!("../rules/variants.toml")),
    ("limits.toml", include_str!("../rules/limits.toml")),
];

/// Traditional → simplified characters, for matching only (`rules/variants.toml`).
/// Folding runs on nearly every line the layouts look at, so the test
/// "is this character mapped" is a bit per character of the Basic
/// Multilingual Plane (every mapped character is there), not a hash.
#[derive(Debug, Clone, PartialEq)]
pub struct Variants {
    /// (traditional, simplified), sorted by the traditional form.
    pairs: Vec<(char, char)>,
    /// Bit `c` set when `c` is a traditional form folded.
    known: Box<[u64]>,
}

impl Default for Variants {
    fn default() -> Self {
        Variants {
            pairs: Vec::new(),
            known: vec![0; 0x10000 / 64].into_boxed_slice(),
        }
    }
}

impl Variants {
    /// Adds a pair; both characters are 3 bytes in UTF-8 (checked by the
    /// rules loader), so they are in the Basic Multilingual Plane.
    fn insert(&mut self, traditional: char, simplified: char) {
        let c = traditional as usize;
        self.known[c / 64] |= 1 << (c % 64);
        match self.pairs.binary_search_by_key(&traditional, |p| p.0) {
            Ok(i) => self.pairs[i].1 = simplified,
            Err(i) => self.pairs.insert(i, (traditional, simplified)),
        }
    }

    /// Is `c` a traditional form these rules fold?
    pub fn knows(&self, c: char) -> bool {
        let c = c as usize;
        c < 0x10000 && self.known_bit(c)
    }

    /// The bit of code point `c` (below 0x10000).
    fn known_bit(&self, c: usize) -> bool {
        self.known[c / 64] & (1 << (c % 64)) != 0
    }

    /// Does `s` hold a character these rules fold? Every mapped character
    /// is 3 bytes in UTF-8, so only 3-byte sequences are decoded, straight
    /// from their bytes (a `chars()` walk here was a hot spot of layout).
    pub fn maps_any(&self, s: &str) -> bool {
        let b = s.as_bytes();
        let mut i = 0;
        while i + 2 < b.len() {
            if b[i] & 0xF0 == 0xE0 {
                let c = (usize::from(b[i] & 0x0F) << 12)
                    | (usize::from(b[i + 1] & 0x3F) << 6)
                    | usize::from(b[i + 2] & 0x3F);
                if self.known_bit(c) {
                    return true;
                }
                i += 3;
            } else {
                i += 1;
            }
        }
        false
    }

    /// The simplified form of `c` (itself when these rules fold it to
    /// nothing else).
    pub fn simplified(&self, c: char) -> char {
        if !self.knows(c) {
            return c;
        }
        self.pairs
            .binary_search_by_key(&c, |p| p.0)
            .map_or(c, |i| self.pairs[i].1)
    }

    /// `s` with traditional characters folded to simplified. Every mapped
    /// character is 3 bytes in UTF-8 on both sides, so byte offsets found
    /// in the folded text are valid in `s`.
    pub fn fold<'a>(&self, s: &'a str) -> std::borrow::Cow<'a, str> {
        if !self.maps_any(s) {
            return std::borrow::Cow::Borrowed(s);
        }
        std::borrow::Cow::Owned(s.chars().map(|c| self.simplified(c)).collect())
    }
}

/// The noise lines as two sets, each tested in one pass: the patterns
/// anchored at the line's start (`^下载积分`), which a search gives up on
/// after a few characters, and the rest (`关闭窗口$`), which must look
/// through the line. In one set the second kind made every line be read
/// to its end for all of them (a hot spot of layout).
#[derive(Debug, Clone)]
pub struct Noise {
    anchored: regex::RegexSet,
    other: regex::RegexSet,
}

impl Noise {
    fn new(patterns: &[Regex]) -> Result<Noise, regex::Error> {
        let (anchored, other): (Vec<&str>, Vec<&str>) = patterns
            .iter()
            .map(Regex::as_str)
            .partition(|p| p.starts_with('^'));
        Ok(Noise {
            anchored: regex::RegexSet::new(anchored)?,
            other: regex::RegexSet::new(other)?,
        })
    }

    /// Does any noise pattern match `line`?
    pub fn is_match(&self, line: &str) -> bool {
        self.anchored.is_match(line) || self.other.is_match(line)
    }
}

/// Rule words looked for inside a text (`contains` of titles.toml), with
/// one matcher for them all: a substring searcher set up per word for
/// every line asked was a hot spot of layout.
#[derive(Debug, Clone)]
pub struct Words {
    pub list: Vec<String>,
    /// The words as one alternation of literals; `None` for no words.
    any: Option<Regex>,
}

impl Words {
    fn new(list: Vec<String>) -> Result<Words, regex::Error> {
        let any = if list.is_empty() {
            None
        } else {
            let alternation: Vec<String> = list.iter().map(|w| regex::escape(w)).collect();
            Some(Regex::new(&alternation.join("|"))?)
        };
        Ok(Words { list, any })
    }

    /// Does `text` contain one of the words?
    pub fn found_in(&self, text: &str) -> bool {
        self.any.as_ref().is_some_and(|re| re.is_match(text))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VariantsFile {
    pairs: String,
}

#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    #[error("rules file {file}: {message}")]
    Invalid { file: String, message: String },
    #[error("cannot read rules file {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// A grade scale: `word`, `letter`, `stars`, `tier`.
#[derive(Debug, Clone)]
pub struct Scale {
    pub name: String,
    pub pattern: Regex,
    pub levels: BTreeMap<String, String>,
}

#[derive(Debug, Clone)]
pub struct Contact {
    pub label: String,
    pub kind: String,
}

/// All rules, compiled.
#[derive(Debug, Clone)]
pub struct Rules {
    pub scales: Vec<Scale>,
    pub grade_hint: Regex,
    /// Every scale's pattern and the hint as one set: most lines match none,
    /// and one pass tells.
    pub grade_any: regex::RegexSet,
    pub responsible: Vec<String>,
    pub responsible_split: Vec<String>,
    pub name_labels: Vec<String>,
    /// Labels that end a name run on into them (`客服岗部门:…`).
    pub name_stops: Vec<String>,
    /// Labels of the chart's department (`部门:营销部`).
    pub department_labels: Vec<String>,
    /// Lead-ins of risk lines (`风险表现：`), dropped from the items.
    pub risk_lead_in: Vec<String>,
    /// Field labels of flow charts written out as labelled text.
    pub labelled: crate::layout::labelled::LabelledRules,
    pub time_limit_labels: Vec<String>,
    pub contacts: Vec<Contact>,
    pub header_measures: Vec<String>,
    pub header_steps: Vec<String>,
    pub header_risks: Vec<String>,
    pub step_words: Vec<String>,
    pub step_max_chars: usize,
    pub actor_labels: Vec<String>,
    /// Evidence weights for tying blocks to steps without geometry.
    pub ties: crate::layout::ties::TieWeights,
    /// The usual order of a procedure's stages.
    pub stages: crate::layout::stages::Stages,
    /// Verdicts written on a flow's arrows (`初审合格`), never steps.
    pub arrows: ArrowLabels,
    /// Labels that lead in a note beside a flow (`所需材料：`).
    pub notes: NoteLabels,
    /// When one paragraph is a run of flow charts.
    pub runon: crate::layout::runon::RunOnRules,
    pub title_contains: Words,
    pub title_max_chars: usize,
    /// Lines starting with these field labels are never titles.
    pub title_never_start: Vec<String>,
    /// Short lines ending with these are titles (`文件处理流程`).
    pub title_ends: Vec<String>,
    pub title_ends_max_chars: usize,
    /// Title endings that name the kind of chart, not its subject.
    pub title_generic: Vec<String>,
    pub category_pattern: Regex,
    pub categories: Vec<String>,
    pub department_suffixes: Vec<String>,
    pub department_max_chars: usize,
    /// Lines that are page furniture (`rules/noise.toml`).
    pub noise: Noise,
    pub dedup: crate::dedup::DedupRules,
    /// Column synonyms and section words of the table, list and prose layouts.
    pub tables: crate::layout::table::LayoutRules,
    pub variants: Variants,
    /// What one source may produce (`rules/limits.toml`).
    pub limits: crate::check::OutputLimits,
    /// sha256 over the rule files' names and contents, in [`FILES`] order.
    pub digest: String,
    /// The rule files these were compiled from (name as shown in errors,
    /// content), in [`FILES`] order: a worker process compiles the same
    /// rules from them ([`Rules::from_texts`]).
    pub texts: std::sync::Arc<[(String, String)]>,
}

// ---- the files' shapes -------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GradesFile {
    scale: Vec<ScaleFile>,
    hint: HintFile,
}
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScaleFile {
    name: String,
    pattern: String,
    levels: BTreeMap<String, String>,
}
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HintFile {
    pattern: String,
}
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LabelsFile {
    responsible: Vec<String>,
    responsible_split: Vec<String>,
    name: Vec<String>,
    name_stops: Vec<String>,
    #[serde(default)]
    department: Vec<String>,
    risk_lead_in: Vec<String>,
    time_limit: Vec<String>,
    labelled: crate::layout::labelled::LabelledRules,
    contact: Vec<ContactFile>,
}
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ContactFile {
    label: String,
    kind: String,
}
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HeadersFile {
    measures: Vec<String>,
    steps: Vec<String>,
    risks: Vec<String>,
}
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StepsFile {
    max_chars: usize,
    words: Vec<String>,
    actor_labels: Vec<String>,
    ties: crate::layout::ties::TieWeights,
    stages: crate::layout::stages::Stages,
    arrows: ArrowLabels,
    /// Labels that lead in a note of a flattened flow (`办理依据：`).
    #[serde(default)]
    notes: NoteLabels,
    runon: crate::layout::runon::RunOnRules,
}

/// Labels that lead in a note written beside a flow (rules/steps.toml
/// `[notes]`): the materials to bring, the legal basis. Such a line is
/// kept as it is, never read as a risk or a measure.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteLabels {
    pub labels: Vec<String>,
}

/// Verdicts written on a flow's arrows (rules/steps.toml `[arrows]`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArrowLabels {
    pub max_chars: usize,
    pub passed: Vec<String>,
    pub failed: Vec<String>,
}
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TitlesFile {
    max_chars: usize,
    never_start: Vec<String>,
    ends: Vec<String>,
    ends_max_chars: usize,
    contains: Vec<String>,
    generic: Vec<String>,
    category_pattern: String,
    categories: Vec<String>,
    department_suffixes: Vec<String>,
    department_max_chars: usize,
}
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NoiseFile {
    lines: Vec<String>,
}

impl Rules {
    /// The rules compiled into the binary.
    pub fn builtin() -> Rules {
        let texts: Vec<(String, String)> = FILES
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        // The built-in files are tested (`builtin_rules_compile`): they cannot fail.
        Rules::from_texts(&texts).expect("built-in rules are valid")
    }

    /// Defaults overridden by every `*.toml` of [`FILES`] present in `dir`.
    /// The folder must exist and hold nothing but rule files (hidden files
    /// aside): a misspelt `grade.toml` would otherwise be ignored silently.
    pub fn load(dir: Option<&Path>) -> Result<Rules, RulesError> {
        if let Some(d) = dir {
            let io = |source| RulesError::Io {
                path: d.to_path_buf(),
                source,
            };
            for entry in std::fs::read_dir(d).map_err(io)? {
                let name = entry.map_err(io)?.file_name();
                let name = name.to_string_lossy();
                // decisions.toml: people's dedup decisions, never built in.
                if name.starts_with('.')
                    || name == DECISIONS
                    || FILES.iter().any(|(f, _)| *f == name)
                {
                    continue;
                }
                let mut known: Vec<&str> = FILES.iter().map(|(f, _)| *f).collect();
                known.push(DECISIONS);
                return Err(RulesError::Invalid {
                    file: d.join(&*name).display().to_string(),
                    message: format!("not a rule file; expected only {}", known.join(", ")),
                });
            }
        }
        let mut texts = Vec::new();
        for (name, builtin) in FILES {
            let text = match dir {
                Some(d) if d.join(name).exists() => {
                    let path = d.join(name);
                    std::fs::read_to_string(&path).map_err(|source| RulesError::Io {
                        path: path.clone(),
                        source,
                    })?
                }
                _ => builtin.to_string(),
            };
            let shown = match dir {
                Some(d) if d.join(name).exists() => d.join(name).display().to_string(),
                _ => format!("rules/{name}"),
            };
            texts.push((shown, text));
        }
        let mut rules = Rules::from_texts(&texts)?;
        // People's dedup decisions: optional, never built in.
        if let Some(path) = dir.map(|d| d.join(DECISIONS)).filter(|p| p.exists()) {
            let text = std::fs::read_to_string(&path).map_err(|source| RulesError::Io {
                path: path.clone(),
                source,
            })?;
            rules.dedup.decisions =
                crate::dedup::Decisions::parse(&text, &path.display().to_string()).map_err(
                    |e| RulesError::Invalid {
                        file: path.display().to_string(),
                        message: e.to_string(),
                    },
                )?;
            // Decisions change the catalog, so they are part of the digest.
            let mut hasher = Sha256::new();
            hasher.update(rules.digest.as_bytes());
            hasher.update(b"\ndecisions.toml\n");
            hasher.update(text.as_bytes());
            rules.digest = hex(&hasher.finalize());
        }
        Ok(rules)
    }

    /// `texts`: (file name as shown in errors, content) in [`FILES`] order,
    /// one per file (as [`Rules::texts`] holds them).
    pub fn from_texts(texts: &[(String, String)]) -> Result<Rules, RulesError> {
        if texts.len() != FILES.len() {
            return Err(RulesError::Invalid {
                file: "rules".into(),
                message: format!("{} rule files given, expected {}", texts.len(), FILES.len()),
            });
        }
        let get = |i: usize| &texts[i];
        let mut hasher = Sha256::new();
        for ((name, _), (_, text)) in FILES.iter().zip(texts) {
            hasher.update(name.as_bytes());
            hasher.update(b"\n");
            hasher.update(text.as_bytes());
            hasher.update(b"\n");
        }
        let digest = hex(&hasher.finalize());

        let (dedup_name, dedup_text) = get(0);
        let mut dedup: crate::dedup::DedupRules = parse(dedup_name, dedup_text)?;
        dedup.validate().map_err(|message| RulesError::Invalid {
            file: dedup_name.clone(),
            message,
        })?;

        let (gname, gtext) = get(1);
        let grades: GradesFile = parse(gname, gtext)?;
        let mut scales = Vec::new();
        for s in grades.scale {
            let pattern = regex(gname, gtext, &s.pattern, &format!("scale `{}`", s.name))?;
            if pattern.capture_names().all(|n| n != Some("v")) {
                return Err(invalid(
                    gname,
                    gtext,
                    &s.pattern,
                    &format!("scale `{}`: pattern needs a named group (?P<v>…)", s.name),
                ));
            }
            for (value, level) in &s.levels {
                if !matches!(level.as_str(), "high" | "medium" | "low") {
                    return Err(invalid(
                        gname,
                        gtext,
                        level,
                        &format!(
                            "scale `{}`: level of `{value}` is `{level}`, expected high, medium or low",
                            s.name
                        ),
                    ));
                }
            }
            scales.push(Scale {
                name: s.name,
                pattern,
                levels: s.levels,
            });
        }
        let grade_hint = regex(gname, gtext, &grades.hint.pattern, "hint")?;
        let grade_any = regex::RegexSet::new(
            scales
                .iter()
                .map(|s: &Scale| s.pattern.as_str())
                .chain([grade_hint.as_str()]),
        )
        .map_err(|e| invalid(gname, gtext, "pattern", &format!("grade patterns: {e}")))?;

        let (lname, ltext) = get(3);
        let labels: LabelsFile = parse(lname, ltext)?;
        for c in &labels.contact {
            if !matches!(c.kind.as_str(), "service" | "supervision" | "complaint") {
                return Err(invalid(
                    lname,
                    ltext,
                    &c.kind,
                    &format!(
                        "contact `{}`: kind `{}` must be service, supervision or complaint",
                        c.label, c.kind
                    ),
                ));
            }
        }

        let (hname, htext) = get(2);
        let headers: HeadersFile = parse(hname, htext)?;
        let (nname, ntext) = get(4);
        let noise_file: NoiseFile = parse(nname, ntext)?;
        let noise = noise_file
            .lines
            .iter()
            .map(|p| regex(nname, ntext, p, "noise line"))
            .collect::<Result<Vec<_>, _>>()?;
        let noise = Noise::new(&noise)
            .map_err(|e| invalid(nname, ntext, "lines", &format!("noise lines: {e}")))?;
        let (sname, stext) = get(5);
        let steps: StepsFile = parse(sname, stext)?;
        let (tname, ttext) = get(6);
        let mut titles: TitlesFile = parse(tname, ttext)?;
        let category_pattern = regex(tname, ttext, &titles.category_pattern, "category_pattern")?;
        let title_contains = Words::new(std::mem::take(&mut titles.contains))
            .map_err(|e| invalid(tname, ttext, "contains", &format!("contains: {e}")))?;
        // Header words are compared without whitespace.
        let compacted = |words: &[String]| -> Vec<String> {
            words.iter().map(|w| compact(w).into_owned()).collect()
        };
        let (vn, vt) = get(8);
        let vf: VariantsFile = parse(vn, vt)?;
        let mut variants = Variants::default();
        for pair in vf.pairs.split_whitespace() {
            let cs: Vec<char> = pair.chars().collect();
            match cs.as_slice() {
                [t, s] if t.len_utf8() == 3 && s.len_utf8() == 3 => {
                    variants.insert(*t, *s);
                }
                _ => {
                    return Err(invalid(
                        vn,
                        vt,
                        pair,
                        &format!(
                            "`{pair}` is not one traditional and one simplified CJK character"
                        ),
                    ));
                }
            }
        }
        let (tbn, tbt) = get(7);
        let mut tables: crate::layout::table::LayoutRules = parse(tbn, tbt)?;
        tables.variants = variants.clone();
        dedup.variants = variants.clone();
        let (lmn, lmt) = get(9);
        let limits: crate::check::OutputLimits = parse(lmn, lmt)?;
        limits.validate().map_err(|message| RulesError::Invalid {
            file: lmn.clone(),
            message,
        })?;

        Ok(Rules {
            scales,
            grade_hint,
            grade_any,
            responsible: labels.responsible,
            responsible_split: labels.responsible_split,
            name_labels: labels.name,
            name_stops: labels.name_stops,
            department_labels: labels.department,
            risk_lead_in: labels.risk_lead_in,
            labelled: labels.labelled,
            time_limit_labels: labels.time_limit,
            contacts: labels
                .contact
                .into_iter()
                .map(|c| Contact {
                    label: c.label,
                    kind: c.kind,
                })
                .collect(),
            header_measures: compacted(&headers.measures),
            header_steps: compacted(&headers.steps),
            header_risks: compacted(&headers.risks),
            step_words: steps.words,
            step_max_chars: steps.max_chars,
            actor_labels: steps.actor_labels,
            ties: steps.ties,
            stages: steps.stages,
            arrows: steps.arrows,
            notes: steps.notes,
            runon: steps.runon,
            title_contains,
            title_max_chars: titles.max_chars,
            title_never_start: titles.never_start,
            title_ends: titles.ends,
            title_ends_max_chars: titles.ends_max_chars,
            title_generic: titles.generic,
            category_pattern,
            categories: titles.categories,
            department_suffixes: titles.department_suffixes,
            department_max_chars: titles.department_max_chars,
            noise,
            dedup,
            tables,
            variants,
            limits,
            digest,
            texts: texts.into(),
        })
    }
}

fn parse<T: serde::de::DeserializeOwned>(file: &str, text: &str) -> Result<T, RulesError> {
    toml::from_str(text).map_err(|e| {
        let message = match e.span() {
            Some(span) => {
                let (line, col) = line_col(text, span.start);
                format!("line {line}, column {col}: {}", e.message())
            }
            None => e.message().to_string(),
        };
        RulesError::Invalid {
            file: file.to_string(),
            message,
        }
    })
}

fn regex(file: &str, text: &str, pattern: &str, what: &str) -> Result<Regex, RulesError> {
    Regex::new(pattern)
        .map_err(|e| invalid(file, text, pattern, &format!("{what}: bad regex: {e}")))
}

/// An error naming the line where `needle` (a value from the file) stands.
fn invalid(file: &str, text: &str, needle: &str, message: &str) -> RulesError {
    let line = text
        .lines()
        .position(|l| l.contains(needle))
        .map(|i| format!("line {}: ", i + 1))
        .unwrap_or_default();
    RulesError::Invalid {
        file: file.to_string(),
        message: format!("{line}{message}"),
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

pub fn hex(bytes: &[u8]) -> String {
    // By table, not `format!` per byte: ids are hashes shown in hex, a few
    // per risk point, and formatting each byte cost an allocation.
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(2 * bytes.len());
    for &b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_lowercase_two_digits_a_byte() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
        assert_eq!(hex(&[]), "");
        // SHA-256 of "abc" (FIPS 180-2, appendix B.1).
        assert_eq!(
            hex(&Sha256::digest(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn builtin_rules_compile() {
        let r = Rules::load(None).unwrap();
        assert_eq!(r.scales.len(), 4);
        assert_eq!(r.digest.len(), 64);
        assert!(r.responsible.contains(&"责任人".to_string()));
    }

    #[test]
    fn a_broken_file_names_file_and_line() {
        let dir = std::env::temp_dir().join(format!("riskflow-rules-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("grades.toml"),
            "[[scale]]\nname = \"word\"\npattern = '(?P<v>高'\nlevels = {}\n[hint]\npattern = 'x'\n",
        )
        .unwrap();
        let err = Rules::load(Some(&dir)).unwrap_err().to_string();
        assert!(err.contains("grades.toml"), "{err}");
        assert!(err.contains("line 3"), "{err}");
        assert!(err.contains("bad regex"), "{err}");

        std::fs::write(dir.join("grades.toml"), "[[scale]\nname = 1\n").unwrap();
        let err = Rules::load(Some(&dir)).unwrap_err().to_string();
        assert!(err.contains("grades.toml: line 1"), "{err}");

        std::fs::write(
            dir.join("grades.toml"),
            "[[scale]]\nname = \"word\"\npattern = '(?P<v>高)'\nlevels = { \"高\" = \"severe\" }\n[hint]\npattern = 'x'\n",
        )
        .unwrap();
        let err = Rules::load(Some(&dir)).unwrap_err().to_string();
        assert!(err.contains("line 4") && err.contains("severe"), "{err}");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_rules_folder_must_exist_and_hold_only_rule_files() {
        let dir = std::env::temp_dir().join(format!("riskflow-rules-only-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        assert!(matches!(
            Rules::load(Some(&dir)),
            Err(RulesError::Io { .. })
        ));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(".hidden"), "").unwrap();
        assert!(Rules::load(Some(&dir)).is_ok());
        std::fs::write(dir.join("grade.toml"), "").unwrap();
        let err = Rules::load(Some(&dir)).unwrap_err().to_string();
        assert!(err.contains("grade.toml: not a rule file"), "{err}");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn traditional_characters_fold_for_matching() {
        let r = Rules::builtin();
        assert_eq!(r.variants.fold("風險等級：高"), "风险等级：高");
        assert_eq!(r.variants.fold("責任主體"), "责任主体");
        // Found at the very end, after ASCII, 2-byte and 4-byte characters.
        assert_eq!(r.variants.fold("a é 😀 審"), "a é 😀 审");
        assert_eq!(r.variants.fold("險"), "险");
        assert!(matches!(
            r.variants.fold("受理"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn words_are_found_as_written() {
        let words =
            |list: &[&str]| Words::new(list.iter().map(|w| w.to_string()).collect()).unwrap();
        let title = words(&["流程图", "a.b", "(一览表)"]);
        assert!(title.found_in("行政许可流程图（试行）"));
        assert!(title.found_in("见(一览表)"));
        assert!(title.found_in("xa.by"));
        // Literals, not patterns.
        assert!(!title.found_in("axb"));
        assert!(!title.found_in("一览表"));
        assert!(!words(&[]).found_in("流程图"));
        // An empty word is in every text, as `str::contains` has it.
        assert!(words(&[""]).found_in(""));
        // The built-in rules' words, as a search for each would find them.
        let r = Rules::builtin();
        for line in [
            "廉政风险防控图",
            "风险点及防控措施一览",
            "权力运行",
            "风险",
            "防控",
        ] {
            let each = r
                .title_contains
                .list
                .iter()
                .any(|w| line.contains(w.as_str()));
            assert_eq!(r.title_contains.found_in(line), each, "{line}");
        }
    }

    #[test]
    fn digest_changes_with_content() {
        let a = Rules::load(None).unwrap().digest;
        let dir = std::env::temp_dir().join(format!("riskflow-digest-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let noise = FILES.iter().find(|f| f.0 == "noise.toml").unwrap().1;
        std::fs::write(dir.join("noise.toml"), format!("{noise}\n# changed\n")).unwrap();
        let b = Rules::load(Some(&dir)).unwrap().digest;
        assert_ne!(a, b);
        std::fs::remove_dir_all(&dir).ok();
    }
}
