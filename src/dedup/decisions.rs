//! People's decisions about texts, which overrule the clustering.
//!
//! Like a "cluster and edit" review, a person reads the clusters
//! (`riskflow dedup --explain FILE`), then says which lines are one text,
//! which form to show, and which lines must stay apart. The file is TOML and
//! the review file is already one: edited and fed back (`--decisions FILE`,
//! or `decisions.toml` in the `--rules` folder for `ingest`), the next run
//! honours it.
//!
//! ```toml
//! [[text]]                      # these lines are one text ...
//! canonical = "严格履行服务承诺制度。"   # ... shown in this form
//! members = ["严各履行服务承诺制度", "严格履行服务承诺制。"]
//!
//! [[apart]]                     # these lines are different texts
//! texts = ["无检查方案，对外宣传审核把关不到位", "管理不规范，对外宣传审核把关不到位"]
//! ```
//!
//! Lines are matched on their normalised key, so width, spaces, list
//! markers and trailing punctuation do not matter. Every `[[text]]` is its
//! own text: two entries are never merged with each other, which is how
//! splitting a cluster in the review is said. Each line of an `[[apart]]`
//! that no `[[text]]` names becomes a text of its own. Lines nobody named
//! are clustered as usual and may join a decided text as a near-duplicate
//! of its canonical form.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::normalise::normalise_key;

/// Decisions, resolved to normalised keys.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Decisions {
    /// Normalised key → its decided group.
    group_of: BTreeMap<String, u32>,
    /// Per group: the written form to show, if a person chose one.
    canonical: Vec<Option<String>>,
}

/// A decisions file that cannot be honoured.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum DecisionsError {
    #[error("{file}: {message}")]
    Syntax { file: String, message: String },
    #[error(
        "{file}: “{text}” is named in two [[text]] entries ({first} and {second}); a line belongs to one text"
    )]
    TwoTexts {
        file: String,
        text: String,
        first: usize,
        second: usize,
    },
    #[error(
        "{file}: [[apart]] entry {entry} names “{a}” and “{b}”, which [[text]] entry {text} makes one text"
    )]
    ApartButMerged {
        file: String,
        entry: usize,
        a: String,
        b: String,
        text: usize,
    },
    #[error("{file}: {what} entry {entry} {problem}")]
    Incomplete {
        file: String,
        what: &'static str,
        entry: usize,
        problem: &'static str,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileShape {
    #[serde(default)]
    text: Vec<TextEntry>,
    #[serde(default)]
    apart: Vec<ApartEntry>,
}

/// One text. `id` and `lines` are what the review wrote for the reader;
/// they are accepted and ignored.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TextEntry {
    #[serde(default)]
    #[allow(dead_code)]
    id: Option<String>,
    #[serde(default)]
    canonical: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    lines: Option<u64>,
    #[serde(default)]
    members: Vec<Member>,
}

/// A member as a plain string, or as the review writes it.
#[derive(Deserialize)]
#[serde(untagged)]
enum Member {
    Text(String),
    Row(MemberRow),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MemberRow {
    text: String,
    #[serde(default)]
    #[allow(dead_code)]
    lines: Option<u64>,
    #[serde(default)]
    #[allow(dead_code)]
    similarity: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ApartEntry {
    texts: Vec<String>,
}

impl Decisions {
    /// Parses and checks a decisions file; `file` names it in errors.
    /// Entries are numbered from 1 in messages, as a person counts them.
    pub fn parse(text: &str, file: &str) -> Result<Decisions, DecisionsError> {
        let shape: FileShape = toml::from_str(text).map_err(|e| DecisionsError::Syntax {
            file: file.to_string(),
            message: e.to_string(),
        })?;
        let mut d = Decisions::default();
        // Which [[text]] entry (1-based) named a key first, for messages.
        let mut entry_of: BTreeMap<String, usize> = BTreeMap::new();
        for (i, t) in shape.text.iter().enumerate() {
            let entry = i + 1;
            let members = t.members.iter().map(|m| match m {
                Member::Text(s) => s.as_str(),
                Member::Row(r) => r.text.as_str(),
            });
            let named: Vec<&str> = t.canonical.as_deref().into_iter().chain(members).collect();
            if named.is_empty() {
                return Err(DecisionsError::Incomplete {
                    file: file.to_string(),
                    what: "[[text]]",
                    entry,
                    problem: "names no line (give canonical or members)",
                });
            }
            let group = d.canonical.len() as u32;
            d.canonical.push(t.canonical.clone());
            for text in named {
                let key = normalise_key(text);
                match entry_of.get(&key) {
                    Some(&first) if first != entry => {
                        return Err(DecisionsError::TwoTexts {
                            file: file.to_string(),
                            text: text.to_string(),
                            first,
                            second: entry,
                        });
                    }
                    _ => {
                        entry_of.insert(key.clone(), entry);
                        d.group_of.insert(key, group);
                    }
                }
            }
        }
        for (i, a) in shape.apart.iter().enumerate() {
            let entry = i + 1;
            if a.texts.len() < 2 {
                return Err(DecisionsError::Incomplete {
                    file: file.to_string(),
                    what: "[[apart]]",
                    entry,
                    problem: "needs at least two texts",
                });
            }
            // Two lines of one [[text]] cannot also be apart.
            let mut seen: BTreeMap<usize, &str> = BTreeMap::new();
            for text in &a.texts {
                let key = normalise_key(text);
                if let Some(&t) = entry_of.get(&key) {
                    if let Some(other) = seen.insert(t, text) {
                        return Err(DecisionsError::ApartButMerged {
                            file: file.to_string(),
                            entry,
                            a: other.to_string(),
                            b: text.clone(),
                            text: t,
                        });
                    }
                } else if !d.group_of.contains_key(&key) {
                    let group = d.canonical.len() as u32;
                    d.canonical.push(None);
                    d.group_of.insert(key, group);
                }
            }
        }
        Ok(d)
    }

    pub fn is_empty(&self) -> bool {
        self.group_of.is_empty()
    }

    /// The decided group of a normalised key.
    pub(crate) fn group_of(&self, key: &str) -> Option<u32> {
        self.group_of.get(key).copied()
    }

    pub(crate) fn group_count(&self) -> usize {
        self.canonical.len()
    }

    /// The written form a person chose for a group.
    pub(crate) fn canonical(&self, group: u32) -> Option<&str> {
        self.canonical.get(group as usize)?.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_and_apart_resolve_to_groups() {
        let d = Decisions::parse(
            r#"
[[text]]
canonical = "严格履行服务承诺制度。"
members = ["严各履行服务承诺制度", { text = "1.严格履行服务承诺制", lines = 2, similarity = 0.9 }]

[[apart]]
texts = ["无检查方案，对外宣传审核把关不到位", "管理不规范，对外宣传审核把关不到位", "严格履行服务承诺制度"]
"#,
            "d.toml",
        )
        .unwrap();
        let g = |t: &str| d.group_of(&normalise_key(t));
        assert_eq!(g("严格履行服务承诺制度"), Some(0));
        assert_eq!(g("严各履行服务承诺制度。"), Some(0));
        assert_eq!(g("严格履行服务承诺制"), Some(0));
        assert_eq!(g("无检查方案，对外宣传审核把关不到位"), Some(1));
        assert_eq!(g("管理不规范，对外宣传审核把关不到位"), Some(2));
        assert_eq!(g("别的"), None);
        assert_eq!(d.canonical(0), Some("严格履行服务承诺制度。"));
        assert_eq!(d.canonical(1), None);
        assert_eq!(d.group_count(), 3);
    }

    #[test]
    fn contradictions_are_errors_naming_the_entries() {
        let two = "[[text]]\nmembers = [\"甲乙丙丁\"]\n[[text]]\nmembers = [\"1.甲乙丙丁。\"]\n";
        assert_eq!(
            Decisions::parse(two, "d.toml").unwrap_err(),
            DecisionsError::TwoTexts {
                file: "d.toml".into(),
                text: "1.甲乙丙丁。".into(),
                first: 1,
                second: 2
            }
        );
        let apart = "[[text]]\nmembers = [\"甲乙丙丁\", \"甲乙丙戊\"]\n[[apart]]\ntexts = [\"甲乙丙丁\", \"甲乙丙戊\"]\n";
        let e = Decisions::parse(apart, "d.toml").unwrap_err();
        assert!(
            matches!(
                e,
                DecisionsError::ApartButMerged {
                    entry: 1,
                    text: 1,
                    ..
                }
            ),
            "{e}"
        );
        let lonely = "[[apart]]\ntexts = [\"甲乙丙丁\"]\n";
        assert!(Decisions::parse(lonely, "d.toml").is_err());
        let typo = "[[txet]]\nmembers = []\n";
        assert!(matches!(
            Decisions::parse(typo, "d.toml").unwrap_err(),
            DecisionsError::Syntax { .. }
        ));
    }
}
